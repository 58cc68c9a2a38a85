// verify: replays pacts against any provider through Pact's verifier, and judges each answer with the kit's judgement.
export { canonicalPact, CANONICAL_PACT, DEFAULT_CONSUMER_VERSION_SELECTORS, verifyProvider, withoutEscapes } from './verify';
export { VerificationSetupError, checkVerifyOptions, resolvePactFiles, secretsOfVerify } from './setup';
export { startForwarder, type Forwarder, type ForwardedExchange } from './forwarder';
export { verifyInWorker, VerificationInterrupted, type WorkerOptions } from './worker';
export { verifyJUnit } from './junit';
export { failureLines, interactionFailureLine } from './failures';
export type { RequestFilter, ConsumerVersionSelector, BrokerOptions, StateHandler, VerifyOptions, InteractionResult, VerifyResult, PublishedResults } from './types';
