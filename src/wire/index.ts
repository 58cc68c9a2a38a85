// The one reader of HTTP messages: header lines and body bytes as they crossed the wire (docs/decisions/0080).
export { readMessage, readMessageProblem, type InterimHead, type ReadInterim, type WireMessage, type ReadMessage } from './message';
export {
  BEARER_CREDENTIALS_PATTERN,
  bearerTokenOf,
  CHALLENGE_LINE_PATTERN,
  challengeSchemes,
  headerLines,
  headerValues,
  WIRE_RULES,
  isBearerCredentials,
  isJsonMediaType,
  plainJsonMediaType,
  charsetProblem,
  JSON_MEDIA_TYPE_PATTERN,
  JSON_ANSWER_MEDIA_TYPE_PATTERN,
  JSON_REQUEST_MEDIA_TYPE_PATTERN,
  repeatedHeaderProblems,
  singleHeader,
  SINGLETON_HEADERS,
  type HeaderLine,
  type HeaderSource,
  type HeaderPairs,
  type RawHeaders,
  type WireProblem,
  type WireRule,
} from './headers';
export { decodeContent, decodeUtf8, parseJson, CONTENT_CODINGS, DEFAULT_MAX_DECODED_BYTES, type Read } from './body';
export { findDuplicateProperty } from './duplicates';
export { findTooDeep, MAX_NESTING_DEPTH, PACT_FILE_DEPTH } from './depth';
export { bodyStrings, type BodyString } from './strings';
export { findLoneSurrogate, findNumberOutOfRange, numbersOutOfRange } from './surrogates';
export { HTTP2_PRIOR_KNOWLEDGE, headFailure, headProblem, hostProblem, hostValueProblem, isParseError, misreadChunkedProblem, nodeHeadBound, readRefusedHead, tabAfterChunkedProblem, type ParseError } from './head';
export { answerDateMs, leastRetryAfterMs, retryAfterMs } from './retry-after';
export { forwardedOrigin, type ForwardedOrigin } from './forwarded';
export { transferCodingProblem, versionFramingProblem } from './transfer';
export { answerChunkProblem, answerEnd, chunkedTrailers, mayMisreadChunked, misreadChunkedValue, refusedRequestOf, requestChunkProblem } from './framing';
export { preferencesOf } from './prefer';
export { at, atBody, atChunkLine, atHeader, atHeaderLine, atInterim, atReadBack, atTrailer, atTrailerLine, isAtHeader, placeOf, whereOf, type Part, type Place, type Placed } from './place';
