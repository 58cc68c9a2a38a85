export {
  startReferenceProvider,
  DEFAULT_BODY_LIMIT,
  type ReferenceProvider,
  type ReferenceProviderOptions,
  type RecordedRequest,
} from './server';
export { DEFAULT_MAX_TOKENS, DEFAULT_MAX_STORED_BYTES, DEFAULT_PAGE_BYTES } from './store';
export {
  AFTER_CREATE_FAULTS,
  DEFAULT_FAIL_WITH,
  FAILURE_KINDS,
  FAULT_STATUSES,
  FaultInjector,
  systemClock,
  isAfterCreateFault,
  FaultOptionError,
  checkFaultOptions,
  readFaultsFile,
  readFaultsInputFile,
  FAULTS_FILE_SCHEMA,
  type AfterCreateFault,
  type FailureKind,
  type FaultOptions,
  type InjectedFault,
  type FaultStatus,
  type ProviderClock,
} from './faults';
export { graphError, GRAPH_JSON, VPP_TOKEN_TYPE } from '../graph';
export { refusalOf, type Refusal } from './refusal';
export { answerInOrder, noteUnanswered, refusedBodyAnswer, refusedHeadAnswer } from './refused-head';
