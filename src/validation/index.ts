export {
  assertCreateRequest,
  assertGraphError,
  assertValid,
  assertVppToken,
  isGraphError,
  isValid,
  isVppToken,
  isVppTokenCreateRequest,
  loadValidators,
  sentAsJson,
  problemsOf,
  schemaChecker,
  SchemaValidationError,
  validate,
  validateActionResult,
  validateCreateRequest,
  validateGraphError,
  validateVppToken,
  type ProfileSchemaTypes,
  type SchemaTypes,
  type SchemaTypesV1,
  type ValidationResult,
} from './validators';
export { CONTROL_INFORMATION, controlInformation, controlInformationValue, type ControlInformationName, type ControlInformationRead } from './control-information';
export { formatProblem, formatProblems, pointerSegment, problemMessage, shownParts, type Problem } from './problems';
export { ProblemDigest, allowedListedOnce } from './digest';
export { findJsonSyntaxError, type JsonSyntaxError } from './json-syntax';
export { readRecords, recordProblems, validateRecords, InputError, DEFAULT_MAX_RECORD_BYTES, INPUT_FORMATS, type InputFormat, type InputRecord, type RecordsSummary, type ReadRecordsOptions, type ValidateRecordsOptions } from './records';
export { isDateTimeOffset, sameAtGraphPrecision, sameDateTimeOffset, boundedDateTimeOffsetPattern, DATE_TIME_OFFSET_BOUNDS } from './date-time';
export { repeatedTokenChecker, type RepeatedTokenChecker } from './repeated-tokens';
export { createRequestProblems, readOnlyPropertyProblems, type CreateRequestRules } from './create-request';
export { readAppleSToken, isNoSToken, sTokenProblem, tokenIdentity, tokenFingerprint, appleTokenFingerprint, NO_STOKEN, noSTokenMessage } from './stoken';
