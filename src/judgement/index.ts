// One judgement of a request and of an answer, shared by the reference provider (mock), verify, check-client
// and conform: a rule lives here once, so two of them can never disagree. Messages are read by src/wire.
export { versionAtEnd, versionAtStart, decodePath, decodeUnreserved } from './version';
export { VPP_TOKENS_PATH, VPP_TOKENS_COLLECTION, VPP_TOKENS_ENTITY, VPP_TOKENS_COUNT, pathUnderBase, JSON_CONTENT_TYPE_PATTERN, BEARER_PATTERN } from './patterns';
export { batchBearerOf, bearerIsSToken, malformedBearer, refusedBearer, checkCreateRequest, checkReadRequest, readRequest, trailerProblems, isHeaderSectionOnly, refusalStatus, formatRequestProblem, type CreateRules, type ObservedRequest, type RequestProblem } from './request';
export { findDuplicateProperty, isJsonMediaType, isBearerCredentials } from '../wire';
export { judgeReadBack, relativeLinkWords, relativeODataLink, resolveODataLink, SERVICE_OWNED_PROPERTIES, type ReadBackProblem, type RelativeODataLink } from './read-back';
export { ownBearerIn, ownBearerOf, ownBearerOfHeaders } from './own-bearer';
export { addedHeaderSecrets, answerContextOfLines, credentialLines, givenSecrets, headerSecretValues, secretsBeyondOwnData } from './header-credentials';
export { urlCredentials, urlVppTokenProblems, vppTokenIn } from './url-vpp-tokens';
export { readOnlyProblems, setsReadOnly } from './read-only';
export { judgeQueryOptions, readListOptionsButFilter, readQueryOptions, QueryOptionError, MAX_TOP, DEFAULT_PAGE_SIZE, type ODataQuery, type QueryRoute } from './query';
export { orderValues, type VppTokenPredicate } from './filter';
export { priorKnowledgeProblem, readRequestTarget, serverWideOptions, versionGivenTwice, profileOfVersion, type RequestTarget } from './target';
export { methodsOf, checkPreflight, preflightHeaders, corsHeaders, SERVER_METHODS } from './preflight';
export { notModelledOperation, openDocumentRead } from './not-modelled';
export { isBatchTarget, batchIdKey, batchedBody, batchedCreates, batchedAnswer, FAILED_DEPENDENCY, failedDependencyIn, failedDependencyMessage, failedDependencyOf, failedDependencyAnswer, notRunWords, batchMembers, batchHeaderCredentialProblems, batchRunOrder, checkBatchRequest, MAX_BATCH_REQUESTS, type BatchedCreate, type BatchMember, type BatchRequestMember } from './batch';
export { checkClientRequest, type ClientRequestKind, type CheckedClientRequest } from './client-request';
export {
  VALUES_THAT_COME_BACK,
  valuesThatComeBack,
  valuesBackProblems,
  valuesGivenBack,
  distinctMembers,
  organizationFromToken,
  expiryFromToken,
  judgeCreatedAnswer,
  judgeRejectedAnswer,
  judgeReadEcho,
  judgeReadAnswer,
  readAnswer,
  answerJson,
  createdIdOf,
  createdVppTokenOf,
  createdVppTokenIn,
  createOutcomeOf,
  monitorOutcomeOf,
  wholeBatchOutcomeOf,
  outcomeOfStatus,
  ACCEPTED_WHY,
  acceptedUnlistedWhy,
  acceptedForProcessing,
  SEE_OTHER_WHY,
  type CreateOutcome,
  vppTokenAsRead,
  connectionProblems,
  bodilessFramingProblems,
  UNKNOWN_OUTCOME_STATUSES,
  type ObservedAnswer,
} from './answer';
export { readVppTokenPage, whyPageCannotTell, whyListIsShort, pageTally, rewrappedIn, REWRAPPED, type ListTally, type ListedVppToken, type VppTokenPage } from './listed-page';
export { pagesAddingNothing, PAGES_ADDING_NOTHING } from './endless-list';
export { checkAndPlace, checkFindingProblem, formatAnswerProblem, formatCheckFinding, type AnswerCheck, type AnswerProblem } from './answer-problem';
export {
  judgeCreateExchange,
  judgeCreateRequest,
  judgeCreateHead,
  judgeOversizedCreate,
  judgeUnfinishedCreate,
  type CreateContext,
  requestCheckOf,
  ANSWERS_OUTSIDE_THE_CONTRACT,
  type Side,
  type RequestCheck,
  type ExchangeProblem,
} from './exchange';
export { sizeReason, isOverLimit, mayBeTooLarge, type BodySize } from './body-size';
export { MIN_CREDENTIAL_LENGTH, PLAUSIBLE_CLOCK_SKEW_MS, worthLookingFor, addressOf, credentialEchoProblems, publicHostValue, ownDataOf, sTokenDataOf, timestampProblems, bearerProblem, type AnswerContext } from './graph-model';
export { readContextProblems, resourceIdentityProblems, vppTokenKeyOf, type ContextKind, type ServiceOfCreate } from './resource-identity';
export { answerSaysCreated, createPreferences, type CreatePreferences } from './preferences';
