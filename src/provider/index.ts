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
  FaultOptionError,
  checkFaultOptions,
  readFaultsFile,
  FAULTS_FILE_SCHEMA,
  parseFailRate,
  parseFailWith,
  parseLatency,
  parseRateLimit,
  type FaultOptions,
  type ProviderClock,
} from './faults';
export { graphError } from './graph-errors';
