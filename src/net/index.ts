export { readCaFile, readCaInputFile, tlsOptions, tlsProblem, trustContradiction, TlsOptionError, type TlsTrust } from './tls';
export { checkReachable, UnreachableError } from './reach';
export { HeaderOptionError, checkExtraHeaders, parseHeaderArguments } from './headers';
export { redact, redactBody, redactStrings, hideSecrets, redactStream, clip, publicUrl, holdsSecret, holdsSToken, secretFilterOf, secretSpellings, isSToken, isCredentialKey, isPlainHeader, isPlainQueryParameter, redactQuery, redactTargetQuery, shownTarget, queryCredentialOf, queryCredentials, escapeControls, escapeC1Controls, escapeData, secretValuesIn, type Secrets } from './redact';
export { listen, type Listening } from './listen';
export { writeFileWhole } from './file';
export { systemErrorLine, systemReason } from './system-error';
export {
  createHttpClient,
  describeFailure,
  headerOf,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  tooLargeAnswer,
  interimAnswers,
  MAX_INTERIM_ANSWERS,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpAnswer,
  type InterimAnswer,
  type HttpFailure,
  type HttpFailureKind,
  type HttpOutcome,
} from './http';
export { createHttpStreamer, type HttpStream, type HttpStreamer, type HttpStreamOptions, type HttpStreamRequest, type HttpStreamedAnswer } from './stream';
export { likelyCause, targetQuestions, challengeQuestion, refusalQuestions, SET_UP_STATUSES, type CauseQuestions, type SetUpStatus } from './likely-cause';
export { baseUrlOf, httpUrlOf, publicHostOf, sameHost, targetAsWritten, urlText } from './url';
export { BACKOFF, DEFAULT_MAX_THROTTLE_WAIT_MS, MAX_THROTTLED_IN_A_ROW, Throttle, ThrottledTooLong, backoffMs, maxThrottleWaitProblem, retryWait, throttleFieldsOf, throttlingLine, type BackoffSchedule, type ThrottleWait, type Throttling } from './throttle';
export { aWholeTurn, systemClock, type Clock } from './clock';
export { MAX_TIMER_MS, isNumberFrom, isWholeNumber, millisecondsOptionProblem, serverOptionProblem, shownOption, wholeOptionProblem } from './option';
