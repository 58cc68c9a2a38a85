import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VppToken } from '../generated/types';
import { createdVppToken } from '../fixtures';
import { checkCreateRequest, VPP_TOKENS_PATH } from '../judgement';
import { findJsonSyntaxError, formatProblems, problemsOf } from '../validation';
import { DEFAULT_PROFILE, type Profile } from '../schemas';
import { graphError } from './graph-errors';

/** The media type Graph answers with; contracts accept any application/json with parameters. */
export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_PAGE_SIZE = 100;
const MAX_TOP = 999;
const COLLECTION = /^\/deviceappmanagement\/vpptokens\/?$/i;
const ENTITY = /^\/deviceappmanagement\/vpptokens(?:\/([^/()]+)|\('([^/()']+)'\))\/?$/i;

export interface RecordedRequest {
  method: string;
  /** The path as received, version prefix included. */
  path: string;
  headers: IncomingMessage['headers'];
  /** The raw body text, or undefined when it could not be read (too large). */
  body: string | undefined;
}

export interface ReferenceProviderOptions {
  port?: number;
  host?: string;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  bodyLimit?: number;
  /** Called with one line per answered request (method, path, status, time): never a header or a body. */
  log?: (line: string) => void;
  /** The Graph profile of requests without a version prefix (default beta); /beta and /v1.0 always speak their own. */
  profile?: Profile;
  /** Called with every request and the status it got, after it was answered (check-client records with it). */
  onRequest?: (request: RecordedRequest, status: number) => void;
}

export interface ReferenceProvider {
  /** Base URL without a version prefix, e.g. http://127.0.0.1:41234; /beta and /v1.0 work under it too. */
  url: string;
  host: string;
  port: number;
  server: Server;
  /** The vppTokens created so far, in creation order. */
  vppTokens: Map<string, VppToken>;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; problems?: ReturnType<typeof problemsOf> } = {},
  ) {
    super(message);
  }
}

/** Splits `/beta/...` or `/v1.0/...` into the version prefix and the rest. */
function splitVersion(pathname: string): { version: string; rest: string } {
  const match = /^\/(beta|v1\.0)(?=\/|$)/i.exec(pathname);
  return match ? { version: `/${match[1]}`, rest: pathname.slice(match[0].length) || '/' } : { version: '', rest: pathname };
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(413, 'RequestEntityTooLarge', `The request body is ${declared} bytes; at most ${limit} are accepted.`, { headers: { Connection: 'close' } }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, 'RequestEntityTooLarge', `The request body is over ${limit} bytes, the most accepted.`, { headers: { Connection: 'close' } }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const where = findJsonSyntaxError(text);
    throw new HttpError(400, 'BadRequest', `The request body is not JSON: ${where ? `line ${where.line}, column ${where.column}: ${where.message}` : 'it could not be parsed'}.`);
  }
}

/**
 * Starts an in-memory server that answers POST /deviceAppManagement/vppTokens (and /beta, /v1.0 under it) the
 * way Graph does: 201 with the created vppToken, Graph's error body for 400, 401, 404, 405, 413 and 415, and
 * GET of the collection (with $top and @odata.nextLink paging) and of one vppToken by id.
 */
export async function startReferenceProvider(options: ReferenceProviderOptions = {}): Promise<ReferenceProvider> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const vppTokens = new Map<string, VppToken>();
  const ids: string[] = []; // creation order, so that a page is a slice, not a copy of everything
  let base = '';

  async function handle(req: IncomingMessage, seen: { body?: string }): Promise<Answer> {
    // Read (bounded) before routing, so that every request is drained and can be recorded whatever its answer.
    seen.body = await readBody(req, bodyLimit);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { version, rest } = splitVersion(url.pathname);
    const method = req.method ?? 'GET';
    const isCollection = COLLECTION.test(rest);
    const entity = ENTITY.exec(rest);
    if (!isCollection && !entity) {
      throw new HttpError(404, 'ResourceNotFound', `Resource not found for the segment '${rest.split('/').filter(Boolean).pop() ?? ''}'.`);
    }
    const allowed = isCollection ? 'GET, POST' : 'GET';
    if (!allowed.split(', ').includes(method)) {
      throw new HttpError(405, 'MethodNotAllowed', `The ${method} method is not supported for this resource; use ${allowed}.`, { headers: { Allow: allowed } });
    }
    if (!/^Bearer\s+\S+/i.test(req.headers.authorization ?? '')) {
      throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.', { headers: { 'WWW-Authenticate': 'Bearer' } });
    }
    if (method === 'GET' && entity) {
      const id = (entity[1] ?? entity[2]).toLowerCase();
      const found = vppTokens.get(id);
      if (!found) throw new HttpError(404, 'ResourceNotFound', `No vppToken with id '${id}'.`);
      return { status: 200, body: { '@odata.context': `${base}${version}/$metadata#deviceAppManagement/vppTokens/$entity`, ...stripContext(found) } };
    }
    if (method === 'GET') return list(url, version);

    // One judgement with check-client (src/judgement): Authorization problems are 401, Content-Type 415, body 400.
    const profile: Profile = version ? (version.slice(1).toLowerCase() as Profile) : (options.profile ?? DEFAULT_PROFILE);
    const problems = checkCreateRequest({ method, path: VPP_TOKENS_PATH, headers: req.headers, body: seen.body }, profile);
    const type = req.headers['content-type'];
    if (problems.some((p) => p.where === 'header Authorization')) throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.', { headers: { 'WWW-Authenticate': 'Bearer' } });
    if (problems.some((p) => p.where === 'header Content-Type')) {
      throw new HttpError(415, 'UnsupportedMediaType', `The request body must be application/json (got ${type ? JSON.stringify(type) : 'no Content-Type'}).`);
    }
    const inBody = problems.filter((p) => p.where.startsWith('body')).map((p) => ({ pointer: p.where.slice(5).replace('(root)', ''), message: p.message, keyword: '' }));
    if (inBody.length === 1 && problems.some((p) => p.where === 'body')) throw new HttpError(400, 'BadRequest', `The request body ${inBody[0].message}.`);
    if (inBody.length > 0) {
      throw new HttpError(400, 'BadRequest', `The request body is not a valid vppToken: ${inBody.length} problem${inBody.length === 1 ? '' : 's'}.\n${formatProblems(inBody)}`, { problems: inBody });
    }
    const payload: unknown = JSON.parse(seen.body);
    const id = randomUUID();
    const created = createdVppToken(payload as never, { id, now: new Date(), odataContext: `${base}${version}/$metadata#deviceAppManagement/vppTokens/$entity`, profile }) as VppToken;
    vppTokens.set(id, created);
    ids.push(id);
    return { status: 201, body: created, headers: { Location: `${base}${version}/deviceAppManagement/vppTokens('${id}')` } };
  }

  function list(url: URL, version: string): Answer {
    const topText = url.searchParams.get('$top');
    const top = topText === null ? DEFAULT_PAGE_SIZE : Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
      throw new HttpError(400, 'BadRequest', `Invalid value for $top: ${JSON.stringify(topText)}; it must be a whole number from 1 to ${MAX_TOP}.`);
    }
    const skipText = url.searchParams.get('$skiptoken') ?? '0';
    const skip = Number(skipText);
    if (!Number.isInteger(skip) || skip < 0) throw new HttpError(400, 'BadRequest', `Invalid $skiptoken ${JSON.stringify(skipText)}.`);
    const page = ids.slice(skip, skip + top).map((id) => stripContext(vppTokens.get(id)!));
    const next = skip + top < ids.length ? { '@odata.nextLink': `${base}${version}/deviceAppManagement/vppTokens?$top=${top}&$skiptoken=${skip + top}` } : {};
    return { status: 200, body: { '@odata.context': `${base}${version}/$metadata#deviceAppManagement/vppTokens`, value: page, ...next } };
  }

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    const clientRequestId = typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : undefined;
    const seen: { body?: string } = {};
    handle(req, seen)
      .catch((error: unknown) => {
        if (error instanceof HttpError) {
          return {
            status: error.status,
            headers: error.extra.headers,
            body: graphError(error.code, error.message, { requestId, clientRequestId, problems: error.extra.problems }),
          };
        }
        options.log?.(`internal error: ${error instanceof Error ? error.message : String(error)}`);
        return { status: 500, body: graphError('InternalServerError', 'The reference provider failed to answer.', { requestId, clientRequestId }) };
      })
      .then(({ status, body, headers }) => {
        const text = JSON.stringify(body);
        res.writeHead(status, {
          'Content-Type': GRAPH_JSON,
          'Content-Length': Buffer.byteLength(text),
          'request-id': requestId,
          'client-request-id': clientRequestId ?? requestId,
          ...headers,
        });
        res.end(text);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        options.log?.(`${req.method} ${(req.url ?? '/').split('?')[0]} ${status} ${ms.toFixed(1)}ms`);
        options.onRequest?.({ method: req.method ?? '', path: (req.url ?? '/').split('?')[0], headers: req.headers, body: seen.body }, status);
      });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  base = `http://${host}:${address.port}`;
  return {
    url: base,
    host: address.address,
    port: address.port,
    server,
    vppTokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function stripContext(token: VppToken): VppToken {
  const { '@odata.context': _context, ...rest } = token;
  return rest as VppToken;
}
