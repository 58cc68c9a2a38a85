export {
  startReferenceProvider,
  GRAPH_JSON,
  DEFAULT_BODY_LIMIT,
  VPP_TOKEN_TYPE,
  type ReferenceProvider,
  type ReferenceProviderOptions,
  type RecordedRequest,
} from './server';
export { DEFAULT_MAX_TOKENS } from './store';
export {
  DEFAULT_FAIL_WITH,
  FAULT_STATUSES,
  FaultInjector,
  FaultOptionError,
  checkFaultOptions,
  systemClock,
  parseFailRate,
  parseFailWith,
  parseLatency,
  parseRateLimit,
  type FaultOptions,
  type InjectedFault,
  type ProviderClock,
} from './faults';
export { graphError } from './graph-errors';
export { refusalOf, type Refusal } from './refusal';
