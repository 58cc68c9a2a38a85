export { matchersFor, matchersForInvalid, matchersForSchema, enumPattern, exampleOf, MAX_ARRAY_EXAMPLES, MAX_TEXT_EXAMPLE } from './matchers';
export { VPP_TOKENS_PROVIDER, CANONICAL_CONSUMER, canonicalConsumer, DEFAULT_CONSUMER, pactFileName, pactFileProblem } from './names';
export { CONTRACT_SEED } from './seed';
export {
  PROVIDER_STATE,
  EXAMPLE_AUTHORIZATION,
  EXAMPLE_VPP_TOKEN,
  placeholderTokens,
  inPactOrder,
  createInteraction,
  type CreateInteractionOptions,
  describeCreate,
  rejectedCreateInteraction,
  createdResponseBody,
  canonicalInteractions,
  type InteractionSpec,
} from './interactions';
export {
  pactFileOf,
  addInteraction,
  exampleRequest,
  settleMockServer,
  mockServerMatchedCheck,
  pactHasMockServerRace,
  PACT_JS_VERSION,
  writePact,
  type WritePactOptions,
} from './pact';
export {
  createdExpectation,
  strengthenPact,
  pactPath,
  EXAMPLE_ID,
  type CreatedExpectation,
  type PactBodyRules,
  type PactRuleList,
  type PactMatcher,
} from './expectation';
