// One judgement of a request and of an answer, shared by the reference provider (mock), verify, check-client
// and conform: a rule lives here once, so two of them can never disagree.
export { VPP_TOKENS_PATH, JSON_CONTENT_TYPE_PATTERN, BEARER_PATTERN } from './patterns';
export { checkCreateRequest, formatRequestProblem, type ObservedRequest, type RequestProblem } from './request';
export { findDuplicateProperty } from './duplicates';
export { decodeContent, MAX_DECODED_BYTES } from './content-coding';
export { headerValue } from './headers';
export { judgeReadBack, SERVICE_OWNED_PROPERTIES, type ReadBackProblem } from './read-back';
export {
  VALUES_THAT_COME_BACK,
  valuesThatComeBack,
  valuesBackProblems,
  judgeCreatedAnswer,
  judgeRejectedAnswer,
  isJsonMediaType,
  formatAnswerProblem,
  type ObservedAnswer,
  type AnswerCheck,
  type AnswerProblem,
} from './answer';
