import { holdsSToken } from '../net/redact';
import { OF_THE_BATCH, headerCredentialProblems } from './header-credentials';
import { createRequestProblems, shownParts } from '../validation';
import { VPP_TOKENS_PATH } from './patterns';
import { readRequestTarget } from './target';
import { QueryOptionError, readQueryOptions } from './query';
import { ownBearerInBody, ownBearerOf, ownBearerOfHeaders } from './own-bearer';
import { isNoValueWord } from './graph-model';
import { bodyVppTokenProblems, urlVppTokenProblems } from './url-vpp-tokens';
import type { Profile } from '../schemas';
import { trailerFieldProblems } from './trailers';
export { isHeaderSectionOnly } from './trailers';
import { readMessageProblem, at, atBody, atHeader, bearerTokenOf, charsetProblem, headerLines, isAtHeader, isBearerCredentials, isJsonMediaType, readMessage, singleHeader, type HeaderLine, type ReadMessage, type HeaderPairs, type Placed, type RawHeaders, type WireRule } from '../wire';
import { BODY_TEXT_WORDS } from '../wire/message';
import { argumentProblem, refuseArguments, membersProblem, optionsObjectProblem } from '../net/option';

/** A request as a server saw it. */
export interface ObservedRequest {
  method: string;
  path: string;
  /** The headers as a record, or a Fetch API `Headers` or a `Map` (src/wire/headers.ts); with `rawHeaders`, only those are read. */
  headers: Record<string, string | string[] | undefined> | HeaderPairs;
  /** Node's `req.rawHeaders`: every header line, repeats kept. Judged instead of `headers` when given. */
  rawHeaders?: RawHeaders;
  /** The body text; with `bytes`, only those are read. */
  body: string | undefined;
  /** The body bytes as received (Content-Encoding applied): judged strictly instead of `body` when given. */
  bytes?: Uint8Array;
  /** Node's `req.rawTrailers`: the trailer fields after a chunked body, judged by `trailerProblems` (decision 0224). */
  rawTrailers?: RawHeaders;
  /**
   * A request inside a JSON batch: the batch's own Authorization value. Where the request gives an Authorization of
   * its own, the batch's bearer went to Graph with it all the same: it is looked for where the request's own is
   * (credentialLeakProblems), and never comes back in the request's answer (decision 0540).
   */
  batchAuthorization?: string;
  /** Node's `req.httpVersion` (`1.1`, `1.0`): an HTTP/1.0 request carries no Transfer-Encoding (decision 0492). */
  httpVersion?: string;
}

/**
 * A request's trailer fields, judged by the one rule (decision 0224; src/judgement/trailers.ts): a sender MUST NOT put
 * a field in the trailer section unless its definition permits it there (RFC 9110 §6.5.1), and a recipient MUST NOT
 * merge it into the header section. The client's fault, whoever judges it (check-client, the proxy); the mock and the
 * reference provider answer by the header section alone, as Graph does, and never use nor show the value.
 */
export function trailerProblems(rawTrailers: RawHeaders | undefined): RequestProblem[] {
  if (rawTrailers === undefined || rawTrailers.length === 0) return [];
  return trailerFieldProblems(headerLines(rawTrailers));
}

/** One way a request breaks the contract: where (method, path, query, a header, or a JSON pointer into the body: src/wire/place.ts) and what. */
export interface RequestProblem extends Placed {
  message: string;
  /** The value the message shows, `(got ...)` at its end, for a body value the schema refuses. */
  got?: string;
  /** The names allowed where the message lists them, `(allowed: ...)`: an unknown property's object's. */
  allowed?: string[];
  /** The reader's rule broken (docs/decisions/0081), when it is one of them. */
  rule?: WireRule;
}

export const formatRequestProblem = (p: RequestProblem): string => {
  refuseArguments(argumentProblem('p', p, 'object', "a request's problem, an object of where and message"));
  // The members it reads (decision 1041: `formatRequestProblem({})` wrote "undefined: undefined").
  refuseArguments(argumentProblem('p.where', p.where, 'string'), argumentProblem('p.message', p.message, 'string'));
  return `${p.where}: ${p.message}`;
};

/**
 * The one Content-Type rule of a request with a JSON body (a create, a JSON batch): one line, application/json
 * with its parameters, no charset but UTF-8. Nothing when the line is given twice (the reader's problem says so).
 */
export function jsonContentTypeProblems(read: Pick<ReturnType<typeof readMessage>, 'lines' | 'problems'>): RequestProblem[] {
  if (read.problems.some((p) => isAtHeader(p, 'Content-Type'))) return [];
  const contentType = singleHeader(read.lines, 'Content-Type');
  if (contentType === undefined) return [{ ...atHeader('Content-Type'), message: 'is required: application/json' }];
  if (!isJsonMediaType(contentType)) return [{ ...atHeader('Content-Type'), rule: 'media type', message: `must be application/json, parameters allowed (got ${JSON.stringify(contentType)})` }];
  const charset = charsetProblem(contentType);
  return charset ? [{ ...atHeader('Content-Type'), rule: 'charset', message: charset }] : [];
}

/**
 * Whether an Authorization value's bearer is an Apple sToken, the VPP credential (outside tester K30): no access
 * token, so Graph answers 401 (RFC 6750 §3.1, `invalid_token`); the VPP token goes in a create's body only. Found
 * as the redaction finds one (`holdsSToken`): with bytes after its padding, or cut, it is still that credential,
 * though no token Intune would take (decision 0330).
 */
export function bearerIsSToken(authorization: string | undefined): boolean {
  const bearer = bearerTokenOf(authorization);
  return bearer !== undefined && holdsSToken(bearer);
}

/**
 * Why a bearer that keeps RFC 6750 §2.1's grammar is still no access token, so Graph answers 401 (RFC 6750 §3.1,
 * invalid_token): a VPP token (K30), or a language's word for no value (`Bearer undefined`, P9; `x` or `test` are
 * bearers as any other). check-client's line (`judgement`) and the mock's 401 message (`answer`), one rule for both.
 */
export function refusedBearer(authorization: string | undefined): { judgement: string; answer: string } | undefined {
  if (bearerIsSToken(authorization)) {
    return {
      judgement: "holds a VPP token (an Apple sToken), not an access token: Graph answers 401 (RFC 6750 §3.1, invalid_token); the VPP token goes in the create's body only (the value is not shown)",
      answer: 'Access token validation failure: the bearer is a VPP token (an Apple sToken), not an access token.',
    };
  }
  const bearer = bearerTokenOf(authorization);
  if (isNoValueWord(bearer)) {
    return {
      judgement: `holds "${bearer}", a programming language's word for no value, not an access token: the client sent none (a variable left unset?); Graph answers 401 (RFC 6750 §3.1, invalid_token)`,
      answer: `Access token validation failure: the bearer is "${bearer}", a programming language's word for no value, not an access token.`,
    };
  }
  return undefined;
}

/**
 * Why an Authorization line that breaks RFC 6750 §2.1's grammar is no access token, when the kit can tell: a
 * JavaScript object written where the token goes (`Bearer [object Object]`: a token result without its
 * `.accessToken`; `[object Promise]`: a token not awaited; outside tester R40). Its value is no credential, so it is
 * shown. check-client's line (`judgement`) and the mock's 401 message (`answer`), one rule for both.
 */
export function malformedBearer(authorization: string | undefined): { judgement: string; answer: string } | undefined {
  const object = /^[ \t]*bearer +(\[object [A-Za-z]+\])[ \t]*$/i.exec(authorization ?? '')?.[1];
  if (object === undefined) return undefined;
  const why = object === '[object Promise]' ? 'a promise of the token, not awaited' : 'an object, not its access token (a token result? use its .accessToken)';
  return {
    judgement: `holds "${object}", JavaScript's text for ${why}: the client wrote a value that is no access token where the token goes; Graph answers 401 (RFC 6750 §2.1, §3.1)`,
    answer: `Access token is malformed: the bearer is "${object}", JavaScript's text for ${why}.`,
  };
}

/** The one Authorization rule of a request, create or read: one `Bearer <token>` line (RFC 6750 §2.1); never shown. Nothing when the line is given twice (the reader's problem says so). */
export function authorizationProblems(lines: readonly HeaderLine[]): RequestProblem[] {
  if (lines.filter((l) => l.name.toLowerCase() === 'authorization').length > 1) return [];
  const authorization = singleHeader(lines, 'Authorization');
  if (authorization === undefined) return [{ ...atHeader('Authorization'), message: 'is required: Bearer <access token>' }];
  if (!isBearerCredentials(authorization)) return [{ ...atHeader('Authorization'), rule: 'bearer credentials', message: malformedBearer(authorization)?.judgement ?? 'must be "Bearer <access token>" as RFC 6750 §2.1 gives it (the value is not shown)' }];
  const refused = refusedBearer(authorization);
  return refused ? [{ ...atHeader('Authorization'), rule: 'bearer credentials', message: refused.judgement }] : [];
}

/** Rules of a create beyond the schema, where a command asks for them. */
export interface CreateRules {
  /**
   * Refuse a token that is no Apple sToken, as Intune does (decision 0216): check-client's mock and `validate` do
   * unless `--schema-tokens`; the reference provider when started with `requireSTokens`.
   */
  requireSTokens?: boolean;
  /**
   * Judge the request's credentials in its other header lines (headerCredentialProblems: the client's leak, decision
   * 0332): check-client's verdict and the proxy's. Never the mock's or the reference provider's answer: Graph takes
   * such a request (and logs it).
   */
  headerCredentials?: boolean;
  /**
   * The VPP tokens the client sent (check-client: every create of its run), looked for in the request's URL by knowing
   * them, in any spelling, the Apple token inside included (urlVppTokenProblems: the client's leak, decision 0340). A
   * create's own token is looked for wherever `headerCredentials` is asked: check-client's verdict and the proxy's.
   */
  clientTokens?: readonly string[];
  /**
   * Fail a create that sets a read-only property (readOnlyProblems, decision 0341): check-client's verdict and the
   * proxy's. Never the mock's or the reference provider's answer: they ignore it, as a service may.
   */
  readOnly?: boolean;
}

/**
 * A create's credentials where Graph takes them but should never get them: the client's leak, judged by check-client
 * and the proxy (CreateRules.headerCredentials), never refused by the mock or the reference provider (Graph creates
 * it all the same, and logs it). Its VPP token or bearer in another header line (decision 0332); its VPP token, or one
 * of `clientTokens`, in its URL, known by knowing it (0340); its own access token in a string of the vppToken it
 * creates, which Graph stores and answers to every reader (outside tester P4), and a VPP token there outside `token` (0651).
 */
export function credentialLeakProblems(read: ReadMessage, request: ObservedRequest, clientTokens: readonly string[] = []): RequestProblem[] {
  const body = read.json?.value;
  const sentToken = typeof body === 'object' && body !== null && typeof (body as { token?: unknown }).token === 'string' ? (body as { token: string }).token : undefined;
  const own = ownBearerOf(singleHeader(read.lines, 'Authorization'));
  const carrier = batchBearerOf(request, own);
  return [
    ...headerCredentialProblems(read.lines, sentToken === undefined ? [] : [sentToken], { bearers: [carrier], said: OF_THE_BATCH }),
    ...urlVppTokenProblems(request.path, [sentToken, ...clientTokens]),
    ...ownBearerInBody(read.text, own),
    ...ownBearerInBody(read.text, carrier, 'batch'),
    ...bodyVppTokenProblems(read.text, [sentToken, ...clientTokens]),
  ];
}

/**
 * The access token of the JSON batch that carries a request (`batchAuthorization`), where it is not the request's own
 * (`own`: its Authorization's, ownBearerOf): a request inside a batch that gives an Authorization of its own is sent
 * with the batch's all the same (decision 0540). Undefined when the request is none inside a batch, gives none of its
 * own (the batch's then stands for it: it is its own), or the batch's is not worth looking for (worthLookingFor).
 */
export function batchBearerOf(request: Pick<ObservedRequest, 'batchAuthorization'>, own: string | undefined): string | undefined {
  const carrier = ownBearerOf(request.batchAuthorization);
  return carrier !== undefined && carrier !== own ? carrier : undefined;
}

/**
 * Why `request` is no request as observed (decision 1041): the members the one reader and the judgement read, each
 * asked by the one rule before it is read and named by its path; its headers are the one reader's to ask
 * (`headers must be Node's rawHeaders ...`, which names every shape it takes).
 */
export function observedRequestProblem(request: unknown, name = 'request'): string | undefined {
  const { method, path, body, bytes } = (request ?? {}) as Partial<Record<keyof ObservedRequest, unknown>>;
  return (
    argumentProblem(name, request, 'object', 'a request as observed, an object of method, path, rawHeaders and body') ??
    argumentProblem(`${name}.method`, method, 'string') ??
    argumentProblem(`${name}.path`, path, 'string', 'a string, the request target as sent') ??
    argumentProblem(`${name}.body`, body, 'string', BODY_TEXT_WORDS, 'optional') ??
    argumentProblem(`${name}.bytes`, bytes, 'bytes', undefined, 'optional')
  );
}

/** A request's header lines and body as the one reader reads them (its bytes when given, else its text). */
export function readRequest(request: ObservedRequest): ReadMessage {
  return readMessage({ headers: request.rawHeaders ?? request.headers, ...(request.bytes !== undefined ? { bytes: request.bytes } : { text: request.body }), ...(request.httpVersion ? { httpVersion: request.httpVersion } : {}) });
}

/**
 * Checks one request against the contract of POST /deviceAppManagement/vppTokens: method, path, each header
 * line (a singleton header given twice is refused), Content-Type and Authorization by their RFC grammars, and
 * the body from its bytes (Content-Encoding, strict UTF-8, strict JSON) against the create-request schema.
 * Header values are never echoed (a token).
 */
export function checkCreateRequest(request: ObservedRequest, profile?: Profile, options: CreateRules = {}, given?: ReadMessage): RequestProblem[] {
  refuseArguments(observedRequestProblem(request), argumentProblem('options', options, 'object'), readMessageProblem('given', given, 'optional'));
  refuseArguments(optionsObjectProblem('checkCreateRequest', options, ['requireSTokens', 'headerCredentials', 'clientTokens', 'readOnly']), membersProblem(options, { clientTokens: 'strings', headerCredentials: 'boolean', readOnly: 'boolean', requireSTokens: 'boolean' }));
  const read = given ?? readRequest(request);
  const problems: RequestProblem[] = [];
  if (request.method !== 'POST') problems.push({ ...at('method'), message: `must be POST (got ${request.method})` });
  // Read as Graph routes it (src/judgement/target.ts): any case, a trailing slash, %54 for T, an absolute-form.
  const target = readRequestTarget(request.path);
  if (target.version !== '' || target.names.kind !== 'collection') {
    const versioned = target.version !== '' && target.names.kind === 'collection';
    problems.push({
      ...at('path'),
      message: versioned
        ? `must be ${VPP_TOKENS_PATH} (got ${request.path}): the path is judged after its Graph version prefix (${target.version}), which the base URL carries: give the path without ${target.version}`
        : `must be ${VPP_TOKENS_PATH} (got ${request.path})${target.problem ? `: the target ${target.problem}` : ''}`,
    });
  }
  // A create takes no query option, and no credential in its URL (src/judgement/query.ts): the client's fault, as
  // the mock refuses it, whoever judges the create (check-client, the proxy: outside tester H10).
  if (target.query !== '') {
    try {
      const own = ownBearerOfHeaders(request.rawHeaders ?? request.headers);
      readQueryOptions(new URLSearchParams(target.query), 'create', profile ?? 'beta', own, batchBearerOf(request, own));
    } catch (error) {
      if (!(error instanceof QueryOptionError)) throw error;
      if (error.status !== 501) problems.push({ ...at('query'), message: error.message });
    }
  }
  const headerProblems = read.problems.filter((p) => p.part === 'header');
  problems.push(...headerProblems);
  problems.push(...jsonContentTypeProblems(read), ...authorizationProblems(read.lines));
  if (options.headerCredentials) problems.push(...credentialLeakProblems(read, request, options.clientTokens));
  const bodyProblems = read.problems.filter((p) => p.part !== 'header');
  if (bodyProblems.length > 0) return [...problems, ...bodyProblems];
  // A transfer coding besides chunked left the bytes coded: the header's problem says so, the body is not read.
  if (read.problems.some((p) => p.rule === 'transfer coding')) return problems;
  if (read.empty || !read.json) {
    problems.push({ ...atBody(), message: 'is required: one vppToken as JSON' });
    return problems;
  }
  // The one judgement of a create's content (decision 0427), validate's and seed's too: the schema, the read-only
  // properties where asked (check-client, the proxy), Intune's rule for the token where asked (decision 0216).
  for (const p of createRequestProblems(read.json.value, profile, { readOnly: options.readOnly, requireSTokens: options.requireSTokens })) problems.push({ ...atBody(p.pointer), message: p.message, ...shownParts(p) });
  return problems;
}

/**
 * The status Graph refuses a request with, from its problems, in Graph's order: 401 for Authorization (Graph
 * authenticates before anything else), 415 for the media type or content coding, 400 for anything else; none
 * when the request is one Graph accepts. The reference provider answers by it; compare holds pacts to it.
 */
export function refusalStatus(problems: readonly RequestProblem[]): 400 | 401 | 415 | undefined {
  if (problems.length === 0) return undefined;
  if (problems.some((p) => isAtHeader(p, 'Authorization'))) return 401;
  if (problems.some((p) => isAtHeader(p, 'Content-Type') || isAtHeader(p, 'Content-Encoding'))) return 415;
  return 400;
}

/**
 * Checks a read a client makes of what it created: GET of the vppTokens list, or of one vppToken by id, with a
 * Bearer token (the query string is the provider's business: it answers options it does not support with 400).
 * A client that is unsure whether a create was stored reads the list back: that is allowed, and judged here.
 */
export function checkReadRequest(request: ObservedRequest): RequestProblem[] {
  const problems: RequestProblem[] = [];
  // HEAD is a GET without its body (RFC 9110 §9.3.2): the head of a read.
  if (request.method !== 'GET' && request.method !== 'HEAD') problems.push({ ...at('method'), message: `must be GET (or HEAD) for a read (got ${request.method})` });
  const path = request.path.split('?')[0];
  const target = readRequestTarget(path);
  if (target.version !== '' || target.names.kind === 'none') problems.push({ ...at('path'), message: `must be ${VPP_TOKENS_PATH}, ${VPP_TOKENS_PATH}/{id}, ${VPP_TOKENS_PATH}('{id}') or ${VPP_TOKENS_PATH}/$count for a read (got ${path})` });
  problems.push(...credentialProblems(request));
  return problems;
}

/** A request's bearer, judged alone (a read, an operation the mock does not model): one Authorization line, `Bearer <token>`. */
export function credentialProblems(request: Pick<ObservedRequest, 'headers' | 'rawHeaders'>): RequestProblem[] {
  const read = readMessage({ headers: request.rawHeaders ?? request.headers, text: '' });
  const repeated = read.problems.filter((p) => isAtHeader(p, 'Authorization'));
  return [...repeated, ...(repeated.length === 0 ? authorizationProblems(read.lines) : [])];
}
