import type { Profile } from '../schemas';
import { at, readMessage, singleHeader } from '../wire';
import { OF_THE_BATCH, headerCredentialProblems } from './header-credentials';
import { VPP_TOKENS_PATH } from './patterns';
import { QueryOptionError, readQueryOptions, type QueryRoute } from './query';
import { batchBearerOf, checkCreateRequest, checkReadRequest, credentialProblems, trailerProblems, type CreateRules, type ObservedRequest, type RequestProblem } from './request';
import { priorKnowledgeProblem, profileOfVersion, readRequestTarget, serverWideOptions, versionGivenTwice } from './target';
import { ownBearerOf, ownBearerOfHeaders } from './own-bearer';
import { urlCredentials } from './url-vpp-tokens';
import { checkPreflight } from './preflight';
import { notModelledOperation, openDocumentRead } from './not-modelled';
import { batchHeaderCredentialProblems, checkBatchRequest, isBatchTarget } from './batch';

/**
 * What a client's request does: create a vppToken, list the collection, read one by id (GET, or HEAD: its head), ask
 * what a resource takes (OPTIONS, a browser's CORS preflight), or send several of these at once (a JSON batch,
 * `POST /$batch`: the requests inside it are judged each as its own, decision 0215).
 */
export type ClientRequestKind = 'create' | 'list' | 'read' | 'preflight' | 'batch';

export interface CheckedClientRequest {
  /** Undefined when the request is none of the three (a wrong method or path). */
  kind?: ClientRequestKind;
  /** The Graph version prefix the client used (`beta` or `v1.0`), when it used one. */
  version?: Profile;
  problems: RequestProblem[];
  /** A query the mock does not model (it answered 501, docs/decisions/0146): not the client's fault, not judged. */
  notModelled?: string;
}

/** The query's problems for `route`, and what the mock does not model (answered 501: no problem of the client's). */
function queryProblems(query: string, route: QueryRoute, profile: Profile, ownBearer: string | undefined, batchBearer: string | undefined): { problems: RequestProblem[]; notModelled?: string } {
  try {
    readQueryOptions(new URLSearchParams(query), route, profile, ownBearer, batchBearer);
    return { problems: [] };
  } catch (error) {
    if (!(error instanceof QueryOptionError)) throw error;
    return error.status === 501 ? { problems: [], notModelled: error.message } : { problems: [{ ...at('query'), message: error.message }] };
  }
}

/**
 * Judges a request a client makes to Graph's vppTokens, as a client really does: a create (POST, judged by
 * checkCreateRequest), or a read of what it created (GET of the collection or of one vppToken by id:
 * checkReadRequest), each with its query string read as the mock reads it (src/judgement/query.ts). The path may carry
 * the version prefix of `profile` (`/beta`, `/v1.0`) or none; another version's prefix is refused, with what to do.
 */
export function checkClientRequest(request: ObservedRequest & { query?: string; inBatch?: boolean }, profile: Profile, rules: CreateRules = {}): CheckedClientRequest {
  // The target as the mock routed it (src/judgement/target.ts): the same reading, so the two never disagree.
  const http2 = priorKnowledgeProblem(request.method, request.path);
  if (http2) return { problems: [{ ...at('method'), message: http2 }] };
  const target = readRequestTarget(request.query ? `${request.path}?${request.query}` : request.path);
  const version = profileOfVersion(target.version);
  // `OPTIONS *` asks what the server takes (RFC 9112 §3.2.4): valid HTTP of no resource, answered, not the client's fault (outside tester P18).
  if (serverWideOptions(request.method, target)) return { problems: [...trailerProblems(request.rawTrailers), ...headerCredentialProblems(readMessage({ headers: request.rawHeaders ?? request.headers, text: '' }).lines)] };
  if (target.problem) return { problems: [{ ...at('path'), message: `the request target ${target.problem}` }] };
  // Fields in the trailer section that belong in the head, on any request (decision 0224).
  const problems: RequestProblem[] = trailerProblems(request.rawTrailers);
  // A credential in another header line (decision 0332): a create's is judged with its body's token, below; a JSON
  // batch's with the tokens of the requests inside it (0346).
  const creates = request.method === 'POST' && target.names.kind === 'collection';
  const batch = isBatchTarget(request.method, target);
  if (batch) problems.push(...batchHeaderCredentialProblems(request));
  else if (!creates) {
    const lines = readMessage({ headers: request.rawHeaders ?? request.headers, text: '' }).lines;
    problems.push(...headerCredentialProblems(lines, [], { bearers: [batchBearerOf(request, ownBearerOf(singleHeader(lines, 'Authorization')))], said: OF_THE_BATCH }));
  }
  // The request's own access token in its path, and any sToken, as the mock refuses them (decisions 0327, 0340); in its
  // query, below. The client's VPP tokens known by knowing them, in its URL, on any request (a create's, with its body's).
  const bearer = ownBearerOfHeaders(request.rawHeaders ?? request.headers);
  // The access token of the JSON batch that carries it, where it gives its own: judged in its url as its own is (0612).
  const batchBearer = batchBearerOf(request, bearer);
  problems.push(...urlCredentials(request.query ? `${request.path}?${request.query}` : request.path, bearer, creates ? undefined : rules.clientTokens, batchBearer).problems);
  if (version !== undefined && version !== profile) {
    problems.push({
      ...at('path'),
      message: `has the version prefix /${version}, but the client is checked as Graph ${profile}: point it at /${profile} or at no prefix, or check it with --profile ${version}`,
    });
  }
  const versioned = version ? { version } : {};
  const { names } = target;
  // Graph's metadata and service documents, which it serves without a token: not judged, bearer or none (decision 0266).
  const open = openDocumentRead(request.method, target);
  if (open) return { ...versioned, problems, ...(problems.length === 0 ? { notModelled: open } : {}) };
  // What Graph takes and the mock does not model (a DELETE, an action, $batch): its bearer is judged (the mock
  // authenticates first), nothing else; with a bearer it is not judged.
  const unmodelled = notModelledOperation(request.method, target);
  if (unmodelled) {
    const refused = [...problems, ...credentialProblems(request)];
    return { ...versioned, problems: refused, ...(refused.length === 0 ? { notModelled: unmodelled } : {}) };
  }
  // A JSON batch: its head and envelope here; each request inside it is judged as one of its own (decision 0215).
  if (batch) return { kind: 'batch', ...versioned, problems: [...problems, ...checkBatchRequest(request).problems] };
  if (request.method === 'OPTIONS') {
    return { kind: 'preflight', ...versioned, problems: [...problems, ...checkPreflight(request.rawHeaders ?? request.headers, target, request.path)] };
  }
  // A url inside a JSON batch that names the batch's version again (`/beta/$batch` holding `/beta/deviceAppManagement/
  // vppTokens`) is the url's fault, not the client's base URL's (outside attacker L7): said so, and the rest judged
  // as the url without it.
  // A request's own path that gives the version twice is said by the one rule, compare's too (decision 0348).
  const twice = versionGivenTwice(request.path);
  if (twice) {
    const { inner } = twice;
    problems.push({ ...at('path'), message: request.inBatch ? `repeats the batch's version (got ${target.rest}): a url inside a JSON batch is relative to the batch's version (${target.version}/$batch), so it goes without ${inner.version}: "url": "${inner.rest}"` : twice.message });
  }
  const rest = twice ? twice.inner.rest : target.rest;
  if (request.method === 'GET' || request.method === 'HEAD') {
    // The count of the collection (`/$count`) is a read of the list, with its own options.
    const kind = names.kind === 'collection' || names.kind === 'count' ? 'list' : names.kind === 'entity' ? 'read' : undefined;
    const query = queryProblems(target.query, names.kind === 'count' ? 'count' : (kind ?? 'read'), version ?? profile, bearer, batchBearer);
    const notModelled = query.notModelled ? { notModelled: query.notModelled } : {};
    return { ...(kind ? { kind } : {}), ...versioned, ...notModelled, problems: [...problems, ...checkReadRequest({ ...request, path: rest }), ...query.problems] };
  }
  const kind = request.method === 'POST' && names.kind === 'collection' ? 'create' : undefined;
  // The path judged is the one routed: what the client wrote is in the report beside it.
  const routed = names.kind === 'collection' ? VPP_TOKENS_PATH : rest;
  const create = checkCreateRequest({ ...request, path: target.query ? `${routed}?${target.query}` : routed }, profile, { ...rules, headerCredentials: creates, readOnly: true });
  return { ...(kind ? { kind } : {}), ...versioned, problems: [...problems, ...create] };
}
