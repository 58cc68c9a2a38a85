export { matchersFor, matchersForInvalid, matchersForSchema, enumPattern, exampleOf } from './matchers';
export {
  VPP_TOKENS_PATH,
  VPP_TOKENS_PROVIDER,
  CANONICAL_CONSUMER,
  PROVIDER_STATE,
  JSON_CONTENT_TYPE_PATTERN,
  BEARER_PATTERN,
  EXAMPLE_AUTHORIZATION,
  CONTRACT_SEED,
  createInteraction,
  rejectedCreateInteraction,
  createdResponseBody,
  canonicalInteractions,
  type InteractionSpec,
} from './interactions';
export {
  addInteraction,
  exampleRequest,
  settleMockServer,
  mockServerMatchedCheck,
  pactHasMockServerRace,
  PACT_JS_VERSION,
  writePact,
  type WritePactOptions,
} from './pact';
export { checkCreateRequest, formatRequestProblem, type ObservedRequest, type RequestProblem } from './request-check';
