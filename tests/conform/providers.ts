// A small Graph-style provider of POST /deviceAppManagement/vppTokens written apart from the reference provider
// (OData content type, extra annotations, uppercase GUIDs, GET by id and a paged collection), the bugs conform
// must find in it (each reached only by some inputs), and the ways a correct Graph differs from the reference
// provider, which conform must pass (quirks).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { checkCreateRequest, createdVppToken, readAppleSToken, type VppTokenCreateRequest } from 'vpptokens-contract-kit';
import { systemClock, type Clock } from '../../src/net';

export type Bug =
  | 'a 500 on a non-ASCII displayName'
  | 'a 400 on more than one scope tag'
  | 'a 400 on an appleId over 100,000 characters'
  | 'a duplicate id now and then'
  | 'a name cut at 64 characters'
  | 'a read-back that differs'
  | 'no GET'
  | 'no validation'
  | 'no answer to a large body'
  | 'a 429 without Retry-After'
  | 'a 503 without Retry-After'
  /** Answers every create with a 429 without Retry-After. */
  | 'throttles every create without Retry-After'
  | 'a Content-Encoding that lies'
  | 'no body limit'
  | "Express's 100 KB body limit"
  | 'a 1 MiB body limit'
  | 'a nextLink to its own page'
  /** Every page empty, each with a nextLink to the next: a collection that never ends with fresh links (outside tester M21). */
  | 'empty pages without end'
  /** Every page lists the first vppToken again, each with a nextLink of a new $skiptoken (outside attacker R118). */
  | 'one vppToken on every page'
  | 'accepts a derived property on a base-typed item'
  /** Takes a property's type control information that contradicts its declared type (`displayName@odata.type: "#Int32"`, decision 1231). */
  | 'accepts a contradicting type annotation'
  | 'relabels derived action results as the base type'
  | 'a 401 without a Bearer challenge'
  | "echoes the bearer in a read's header"
  | 'echoes the bearer in its nextLinks'
  /** Its next links carry the request's bearer as `access_token` (outside tester N7): a page is served to either. */
  | 'puts the bearer in its nextLinks as access_token'
  /** Its next links' `$skiptoken` holds the request's `Ocp-Apim-Subscription-Key`, a gateway's key (outside tester N7). */
  | 'puts the gateway key in its skiptokens'
  /** Its next links carry a `session` it then refuses with 400: the link is shown in the finding (outside tester N7). */
  | 'a nextLink with a session it refuses'
  /** Its next links are relative to the request's URL, not to the context URL they are resolved from (outside tester R18). */
  | 'a relative nextLink that leads nowhere'
  /** Its 201 starts with the request's Authorization spelled in JSON escapes, `\u0042\u0065...` (outside tester K2). */
  | 'echoes the bearer in JSON escapes'
  /** Sends `103 Early Hints` with `X-Debug-Auth: <the request's Authorization>` before every answer (outside tester R36). */
  | 'echoes the bearer in a 103 Early Hints'
  /** Takes a body that starts with a byte order mark, as a parser may (RFC 8259 §8.1), and then: */
  | 'a 500 on a byte order mark'
  | 'creates something else from a body with a byte order mark'
  /** Two bugs of one check and place (outside tester J15): Graph answers 415 to both; then the first fixed. */
  | 'takes a create without Content-Type or as text/plain'
  | 'takes a create as text/plain'
  /** Refuses a create that carries an instance annotation, which OData says a receiver ignores (decision 0213). */
  | 'refuses instance annotations'
  /** Its reads (by id and the collection's pages) say another media type, or a charset their bytes are not in (outside tester N5). */
  | 'labels its reads text/plain'
  | 'labels its reads charset=utf-16'
  /** Its read by id is a body no strict reader takes, each as a 201's would be refused (outside tester N6). */
  | 'a read by id naming displayName twice'
  | 'a read by id after a byte order mark'
  | 'a read by id with data after the JSON'
  | 'a read by id that is not UTF-8'
  | 'a read by id labelled gzip and not'
  /** Its reads' @odata.context names another entity set, `deviceManagement/vppTokens` (outside attacker R109). */
  | "names another entity set in its reads' contexts"
  /** Its read by id says the collection's @odata.context, its pages one entity's (outside attacker R109). */
  | "swaps its reads' contexts"
  /** Its read by id writes `../$metadata`, right from the collection's URL, not from the read's own (decision 1181). */
  | "writes its read by id's context relative to the collection"
  /** Writes every answer's control information in OData 4.01's spelling, `@context`, `@nextLink` (decision 1220), asked or not. */
  | 'answers in OData 4.01 spelling';

/** What a correct Graph does that the reference provider does not: conform must pass each. */
export type Quirk =
  | 'throttles like Graph'
  | 'gzips its answers'
  | '4 MB read as 4,000,000 bytes'
  | 'syncs after the create'
  | 'takes only sTokens'
  | 'checks its bearer'
  | 'types its action results strictly'
  /** Graph documents id "Read-only": a service may refuse a create that sets it, or the time it sets (outside tester I17). */
  | 'refuses what it sets itself'
  | 'writes relative nextLinks'
  /** Writes `$skiptoken='25'`, as directory-style paging does, and takes back only what it wrote (outside tester K20). */
  | 'quotes its skiptokens'
  /** Graph behind a gateway: its links name its own origin (here another server, which counts what reaches it). */
  | 'links its pages on another origin'
  /** The reference provider asked as localhost: its links name its listening address, 127.0.0.1. */
  | 'links its pages as localhost'
  /** "JSON parsers MAY ignore the presence of a byte order mark rather than treating it as an error" (RFC 8259 §8.1). */
  | 'ignores a byte order mark'
  /** Intune refuses a VPP token uploaded before: 409 with Graph's error body to a token it created (outside tester K17). */
  | 'takes each token once'
  /** Empty pages before its items, each with a nextLink: OData's paging allows a page with no results. */
  | 'starts with empty pages'
  /** Each page after the first lists the last vppToken of the page before it again, as an offset paging does after an insert. */
  | 'repeats the last item of each page'
  /**
   * With 'throttles like Graph': its clock is an hour ahead of conform's, and every Retry-After is an HTTP-date of it,
   * beside the answer's Date of the same clock (outside tester R17: the wait is their difference, RFC 9110 §6.6.1).
   */
  | 'its clock is an hour ahead'
  /**
   * Keeps roleScopeTagIds as a set in an order of its own: each tag once, the 201's in descending order, a read's in
   * ascending (an unordered OData collection, outside tester R44, decision 0600).
   */
  | 'keeps its scope tags as a set, in its own order'
  /** A tenant that held 60 vppTokens before the run (more than two pages of its own), listed before the run's. */
  | 'holds vppTokens of its own'
  /**
   * Lists the newest first (an OData collection's order is the service's own unless `$orderby` is asked): with
   * 'holds vppTokens of its own', every vppToken the run created is on the first pages and the collection goes on.
   */
  | 'lists the newest first'
  /**
   * Writes its reads' @odata.context relative to the URL read (OData JSON 4.01 §4.5.1, RFC 3986 §5.1.3): by id
   * (`.../vppTokens/<id>`) `../../$metadata`, a page `../$metadata` (decision 1181).
   */
  | 'writes relative contexts in its reads';

/** The properties only vppTokenRevokeLicensesActionResult has (Graph's beta CSDL), written out apart from the kit's schemas. */
const REVOKE_ONLY = ['actionFailureReason', 'failedLicensesCount', 'totalLicensesCount'];
const REVOKE_TYPE = /^#?(?:microsoft\.)?graph\.vppTokenRevokeLicensesActionResult$/;
/** Action result items that carry a revoke-only property without naming the derived type: what Graph refuses. */
const mistyped = (sent: unknown): boolean => {
  const items = (sent as { tokenActionResults?: unknown } | null)?.tokenActionResults;
  return Array.isArray(items) && items.some((item: Record<string, unknown> | null) => item !== null && typeof item === 'object' && !REVOKE_TYPE.test(String(item['@odata.type'] ?? '')) && REVOKE_ONLY.some((k) => k in item));
};

/** The bearer a provider with 'checks its bearer' takes. */
export const GOOD_BEARER = 'the-one-good-bearer';

export interface TestProvider {
  url: string;
  /** Pages after the first served by GET of the collection. */
  paged?: number;
  /** Pages of the collection served with no @odata.nextLink: its last page, read. */
  lastPages?: number;
  /** Requests that reached the other origin its pages link to ('links its pages on another origin'). */
  strays?: number;
  /** Creates refused for an sToken that had expired ('takes only sTokens'). */
  refusedExpired?: number;
  /** Creates whose body started with a byte order mark, taken ('ignores a byte order mark'). */
  bomCreates?: number;
  /** Requests whose target carried the request's bearer or gateway key (the N7 bugs): a credential sent in a URL. */
  credentialsInUrl?: number;
  /** Requests that came, by the provider's clock, before the Retry-After it gave had passed ('throttles like Graph'). */
  early?: number;
  /** Answers (201s and reads) whose roleScopeTagIds it gave in another order or with fewer members than sent ('keeps its scope tags as a set, in its own order'). */
  reorderedTags?: number;
  close(): Promise<void>;
}

const ODATA_JSON = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
const PAGE = 25;
const MiB = 1024 * 1024;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
  });
}

/** The header lines of a body read past its byte order mark: its Content-Length is that of what was read. */
const afterMark = (lines: string[], length: number): string[] => lines.map((line, i) => (i % 2 === 1 && lines[i - 1].toLowerCase() === 'content-length' ? String(length) : line));

/** The body limit it keeps when no bug or quirk sets its own: Graph's 4 MiB unless a test gives a smaller one (decision 0225). */
export async function startGraphStyleProvider(bug?: Bug, quirks: Quirk[] = [], options: { bodyLimit?: number; clock?: Clock } = {}): Promise<TestProvider> {
  const clock = options.clock ?? systemClock;
  // Until when, by its clock, the provider asked every client to wait (Retry-After in seconds).
  let holdUntil = 0;
  const tokens = new Map<string, Record<string, unknown>>();
  const order: string[] = [];
  let created = 0;
  let requests = 0;
  const lists = { paged: 0, lastPages: 0, strays: 0, refusedExpired: 0, bomCreates: 0, early: 0, credentialsInUrl: 0, reorderedTags: 0 };
  /** The tag ids as a service that keeps them as a set gives them, counted when that is not the list as it was. */
  const asSet = (ids: unknown, order: 1 | -1): unknown => {
    if (!Array.isArray(ids)) return ids;
    const kept = [...new Set(ids as string[])].sort((a, b) => (a < b ? -order : a > b ? order : 0));
    if (JSON.stringify(kept) !== JSON.stringify(ids)) lists.reorderedTags++;
    return kept;
  };
  const has = (quirk: Quirk) => quirks.includes(quirk);
  if (has('holds vppTokens of its own')) {
    for (let i = 0; i < 60; i++) {
      const id = randomUUID().toUpperCase();
      order.push(id);
      tokens.set(id, { ...createdVppToken({ token: `a-token-the-tenant-held-before-${i}`, displayName: `held before ${i}` }, { id, now: new Date(Date.UTC(2026, 0, 1)) }), '@odata.etag': 'W/"0"' });
    }
  }
  // The other origin its pages may link to: it only counts what reaches it.
  const elsewhere = { host: '', server: createServer((req, res) => void (lists.strays++, res.writeHead(404).end())) };
  await new Promise<void>((resolve) => elsewhere.server.listen(0, '127.0.0.1', resolve));
  elsewhere.host = `127.0.0.1:${(elsewhere.server.address() as AddressInfo).port}`;
  // Graph's 4 MB, as 4 MiB or (a quirk) as 4,000,000 bytes; the bugs keep a common server default (outside tester G24).
  const limit = bug === 'no body limit' ? Infinity : bug === "Express's 100 KB body limit" ? 100 * 1024 : bug === 'a 1 MiB body limit' ? MiB : has('4 MB read as 4,000,000 bytes') ? 4_000_000 : (options.bodyLimit ?? 4 * MiB);
  // Every answer goes through here: gzipped (whether asked or not), or labelled gzip and not (a lie).
  const answer = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) => {
    if (bug === 'answers in OData 4.01 spelling') {
      // The body's and each listed vppToken's own; nested ones (an action result's @odata.type) stay (decision 1220).
      const bare = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/^@odata\./, '@'), v]));
      const body = JSON.parse(text) as Record<string, unknown>;
      text = JSON.stringify(Array.isArray(body.value) ? { ...bare(body), value: (body.value as Record<string, unknown>[]).map(bare) } : bare(body));
      headers = { ...headers, 'OData-Version': '4.01' };
    }
    const all = { 'Content-Type': ODATA_JSON, ...headers };
    if (has('gzips its answers')) return res.writeHead(status, { ...all, 'Content-Encoding': 'gzip' }).end(gzipSync(text));
    if (bug === 'a Content-Encoding that lies') return res.writeHead(status, { ...all, 'Content-Encoding': 'gzip' }).end(text);
    return res.writeHead(status, all).end(text);
  };
  const error = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
    answer(res, status, JSON.stringify({ error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID() } } }), headers);
  const server = createServer((req, res) => {
    void (async () => {
      if (bug === 'no answer to a large body' && Number(req.headers['content-length']) > limit) return; // hangs
      const read = await readBody(req, limit);
      requests++;
      if (bug === 'echoes the bearer in a 103 Early Hints') res.writeEarlyHints({ link: '</app.css>; rel=preload; as=style', 'x-debug-auth': req.headers.authorization ?? '' });
      if (clock.now() < holdUntil) lists.early++;
      // A parser that ignores a byte order mark reads the body after it (RFC 8259 §8.1).
      const bom = read !== undefined && read.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
      const ignoresBom = has('ignores a byte order mark') || bug === 'a 500 on a byte order mark' || bug === 'creates something else from a body with a byte order mark';
      const body = bom && ignoresBom ? read.subarray(3) : read;
      if (bom && bug === 'a 500 on a byte order mark') return error(res, 500, 'InternalServerError', 'Unexpected character.');
      // Graph's throttling: 429 and 503, each with Retry-After (in seconds, or as an HTTP date); the first waits a second.
      if (has('throttles like Graph') && requests % 10 === 3) {
        // Whole seconds of its clock, as an HTTP-date says them: the Date, and a Retry-After date that many seconds on.
        const at = (seconds: number) => new Date(Math.floor(clock.now() / 1000) * 1000 + seconds * 1000 + (has('its clock is an hour ahead') ? 3_600_000 : 0)).toUTCString();
        const retryAfter = has('its clock is an hour ahead') ? at(requests === 3 ? 1 : 0) : requests === 3 ? '1' : requests % 20 === 3 ? new Date(clock.now()).toUTCString() : '0';
        if (requests === 3) holdUntil = Math.max(holdUntil, clock.now() + 1000);
        return error(res, requests % 20 === 3 ? 503 : 429, requests % 20 === 3 ? 'ServiceUnavailable' : 'TooManyRequests', 'Throttled.', { 'Retry-After': retryAfter, Date: at(0) });
      }
      // Graph's throttling without Retry-After (RFC 6585 §4: it is optional): a client backs off (decision 0232).
      if (bug === 'a 429 without Retry-After' && req.method === 'POST' && requests % 10 === 3) return error(res, 429, 'TooManyRequests', 'Throttled.');
      if (bug === 'throttles every create without Retry-After' && req.method === 'POST') return error(res, 429, 'TooManyRequests', 'Throttled.');
      if (bug === 'a 503 without Retry-After' && req.method === 'POST' && requests % 10 === 3) return error(res, 503, 'ServiceUnavailable', 'The service is unavailable.');
      const url = new URL(req.url ?? '/', 'http://localhost');
      // A credential of the request in its target: counted, whatever is answered (outside tester N7).
      const key = [req.headers['ocp-apim-subscription-key']].flat()[0];
      const bearerSent = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if ([bearerSent, key].some((credential) => credential !== undefined && decodeURIComponent(req.url ?? '').includes(credential))) lists.credentialsInUrl++;
      const path = url.pathname.replace(/^\/beta/, '');
      // Graph's challenge (RFC 6750 §3), with its auth-params; the bug sends another scheme only.
      const challenge = { 'WWW-Authenticate': bug === 'a 401 without a Bearer challenge' ? 'Basic realm="graph"' : 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' };
      if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) return error(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.', challenge);
      if (has('checks its bearer') && req.headers.authorization !== `Bearer ${GOOD_BEARER}`) return error(res, 401, 'InvalidAuthenticationToken', 'Access token validation failure.', challenge);
      const entity = /^\/deviceAppManagement\/vppTokens\/([^/]+)$/.exec(path);
      // A read's @odata.context as Graph writes it, on Graph's own host (a facade in front of Graph), or the bugs of R109.
      const readContext = (kind: 'entity' | 'collection') => {
        const path = bug === "names another entity set in its reads' contexts" ? 'deviceManagement/vppTokens' : 'deviceAppManagement/vppTokens';
        const entityContext = (kind === 'entity') !== (bug === "swaps its reads' contexts");
        const root =
          kind === 'entity' && bug === "writes its read by id's context relative to the collection" ? '../$metadata'
          : has('writes relative contexts in its reads') ? (kind === 'entity' ? '../../$metadata' : '../$metadata')
          : 'https://graph.microsoft.com/beta/$metadata';
        return `${root}#${path}${entityContext ? '/$entity' : ''}`;
      };
      // The bugs of a read's media type (outside tester N5): every GET answered 200 is labelled so, a create's 201 is not.
      const readType: Record<string, string> = bug === 'labels its reads text/plain' ? { 'Content-Type': 'text/plain; charset=utf-8' } : bug === 'labels its reads charset=utf-16' ? { 'Content-Type': 'application/json;charset=utf-16' } : {};
      if (req.method === 'GET' && bug === 'no GET') return error(res, 405, 'MethodNotAllowed', 'GET is not supported.');
      if (req.method === 'GET' && entity) {
        const found = tokens.get(decodeURIComponent(entity[1]).toUpperCase());
        if (!found) return error(res, 404, 'ResourceNotFound', 'No such vppToken.');
        let read = bug === 'a read-back that differs' && typeof found.countryOrRegion === 'string' ? { ...found, countryOrRegion: found.countryOrRegion.toUpperCase() } : found;
        // Intune syncs a new token with Apple: its sync properties (and the etag) are the service's, and change.
        if (has('syncs after the create')) {
          const now = new Date().toISOString();
          read = { ...read, '@odata.etag': `W/"synced-${created}"`, lastSyncDateTime: now, lastSyncStatus: 'completed', state: 'valid', lastModifiedDateTime: now, locationName: 'Contoso HQ', tokenActionResults: [] };
        }
        if (has('keeps its scope tags as a set, in its own order')) read = { ...read, roleScopeTagIds: asSet(read.roleScopeTagIds, 1) };
        // The bug: an echoing middleware on reads only (outside tester H32); creates are untouched.
        const debug: Record<string, string> = bug === "echoes the bearer in a read's header" ? { 'X-Debug-Auth': req.headers.authorization ?? '' } : {};
        const text = JSON.stringify({ '@odata.context': readContext('entity'), ...read });
        // The bugs of a read's body (outside tester N6): bytes as they go on the wire.
        const badRead: Partial<Record<Bug, () => Buffer>> = {
          'a read by id naming displayName twice': () => Buffer.from(text.replace(/^\{/, '{"displayName":"other",')),
          'a read by id after a byte order mark': () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
          'a read by id with data after the JSON': () => Buffer.from(`${text} x`),
          'a read by id that is not UTF-8': () => Buffer.from(text.replace('"@odata.context":"', '"@odata.context":"\u00e9'), 'latin1'),
          'a read by id labelled gzip and not': () => Buffer.from(text),
        };
        const bytes = bug && badRead[bug]?.();
        if (bytes) return res.writeHead(200, { 'Content-Type': ODATA_JSON, ...(bug === 'a read by id labelled gzip and not' ? { 'Content-Encoding': 'gzip' } : {}) }).end(bytes);
        return answer(res, 200, text, { ...debug, ...readType });
      }
      if (req.method === 'GET' && path === '/deviceAppManagement/vppTokens') {
        // Its skiptoken as it wrote it, quoted: the link is opaque, and `%27` for `'` is another URI (RFC 3986 §6.2.2.2).
        const written = /[?&]\$skiptoken=([^&]*)/.exec(req.url ?? '')?.[1];
        if (has('quotes its skiptokens') && written !== undefined && !/^'\d+'$/.test(written)) return error(res, 400, 'BadRequest', 'Invalid $skiptoken.');
        // Empty pages, each linking to the next (`$skiptoken=e1`, `e2`, ...): without end, or three before the items.
        const again = /^r(\d+)$/.exec(url.searchParams.get('$skiptoken') ?? (bug === 'one vppToken on every page' ? 'r0' : ''));
        if (again && order.length > 0) {
          const after = `http://${req.headers.host}/beta/deviceAppManagement/vppTokens?$skiptoken=r${Number(again[1]) + 1}`;
          return answer(res, 200, JSON.stringify({ '@odata.context': readContext('collection'), value: [tokens.get(order[0])], '@odata.nextLink': after }));
        }
        const emptyPage = /^e(\d+)$/.exec(url.searchParams.get('$skiptoken') ?? (has('starts with empty pages') || bug === 'empty pages without end' ? 'e0' : ''));
        if (emptyPage && (bug === 'empty pages without end' || Number(emptyPage[1]) < 3)) {
          const after = `http://${req.headers.host}/beta/deviceAppManagement/vppTokens?$skiptoken=e${Number(emptyPage[1]) + 1}`;
          return answer(res, 200, JSON.stringify({ '@odata.context': readContext('collection'), value: [], '@odata.nextLink': after }));
        }
        if (bug === 'a nextLink with a session it refuses' && url.searchParams.has('session')) return error(res, 400, 'BadRequest', 'The session has expired.');
        // The gateway key bug writes `<key>.<n>`: the number after the last dot is the page's start.
        const skip = emptyPage ? 0 : Number(has('quotes its skiptokens') ? (written?.slice(1, -1) ?? 0) : (url.searchParams.get('$skiptoken')?.replace(/^.*\./, '') ?? 0));
        const skiptoken = (n: number) => (has('quotes its skiptokens') ? `'${n}'` : bug === 'puts the gateway key in its skiptokens' ? `${encodeURIComponent(key ?? '')}.${n}` : String(n));
        // ASP.NET OData behind a path prefix: a nextLink relative to the context URL (OData JSON 4.01 §4.6), small pages.
        const relative = has('writes relative nextLinks') || bug === 'a relative nextLink that leads nowhere';
        const size = relative ? 2 : PAGE;
        const listed = has('lists the newest first') ? [...order].reverse() : order;
        const page = listed.slice(has('repeats the last item of each page') && skip > 0 ? skip - 1 : skip, skip + size).map((id) => tokens.get(id));
        // Its pages link to another origin (Graph's own host, whatever gateway the request came through), or to
        // 127.0.0.1 when it was asked as localhost (outside testers H6, H28).
        const host = has('links its pages on another origin') ? elsewhere.host : has('links its pages as localhost') ? (req.headers.host ?? '').replace('localhost', '127.0.0.1') : req.headers.host;
        const echo =
          bug === 'echoes the bearer in its nextLinks'
            ? `&state=${encodeURIComponent(req.headers.authorization ?? '')}`
            : bug === 'puts the bearer in its nextLinks as access_token'
              ? `&access_token=${encodeURIComponent(bearerSent ?? '')}`
              : bug === 'a nextLink with a session it refuses'
                ? '&session=s3ss10n-0f-the-pr0v1der'
                : '';
        const link = bug === 'a relative nextLink that leads nowhere' ? `vppTokens?$skiptoken=${skiptoken(skip + size)}` : relative ? `deviceAppManagement/vppTokens?$skiptoken=${skiptoken(skip + size)}` : `http://${host}/beta/deviceAppManagement/vppTokens?$skiptoken=${skiptoken(skip + size)}${echo}`;
        // The bug: the second page links to itself, so the collection never ends (outside tester H7).
        const self = bug === 'a nextLink to its own page' && skip > 0 ? `http://${req.headers.host}/beta/deviceAppManagement/vppTokens?$skiptoken=${skip}` : undefined;
        const next = self ? { '@odata.nextLink': self } : skip + size < order.length ? { '@odata.nextLink': link } : {};
        const context = relative ? `http://${req.headers.host}/beta/$metadata#deviceAppManagement/vppTokens` : readContext('collection');
        if (skip > 0) lists.paged++;
        if (!('@odata.nextLink' in next)) lists.lastPages++;
        return answer(res, 200, JSON.stringify({ '@odata.context': context, value: page, ...next }), readType);
      }
      if (req.method !== 'POST' || path !== '/deviceAppManagement/vppTokens') return error(res, 404, 'ResourceNotFound', 'Not found.');
      if (body === undefined) return error(res, 413, 'RequestEntityTooLarge', 'Too large.');
      const contentType = req.headers['content-type'];
      const lenient = (bug === 'takes a create without Content-Type or as text/plain' && contentType === undefined) || (bug?.endsWith('as text/plain') && /^text\/plain/i.test(contentType ?? ''));
      if (!lenient && !/^application\/json/i.test(contentType ?? '')) return error(res, 415, 'UnsupportedMediaType', 'application/json only.');
      // Its own check of the action results' types, before and apart from the kit's: Graph's OData reader.
      if (has('types its action results strictly')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          parsed = undefined;
        }
        if (mistyped(parsed)) return error(res, 400, 'BadRequest', 'A vppTokenActionResult has a property of vppTokenRevokeLicensesActionResult.');
      }
      // The kit's one judgement, from raw header lines and bytes, as any provider may use it.
      // A lenient provider reads the body as JSON whatever its Content-Type said.
      const raw = bom ? afterMark(req.rawHeaders, body.length) : req.rawHeaders;
      const asJson = (lines: string[]) => [...lines.flatMap((line, i) => (i % 2 === 0 && line.toLowerCase() !== 'content-type' ? [line, lines[i + 1]] : [])), 'Content-Type', 'application/json'];
      const seen = lenient ? { headers: { ...req.headers, 'content-type': 'application/json' }, rawHeaders: asJson(raw) } : { headers: req.headers, rawHeaders: raw };
      const judged = bug === 'no validation' ? [] : checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', ...seen, body: undefined, bytes: body });
      const problems =
        bug === 'accepts a derived property on a base-typed item'
          ? judged.filter((p) => !/is a property of \S+ only/.test(p.message))
          : bug === 'accepts a contradicting type annotation'
            ? judged.filter((p) => !/^must name the type \S+ is declared with/.test(p.message))
            : judged;
      if (problems.length) return error(res, 400, 'BadRequest', problems.map((p) => `${p.where}: ${p.message}`).join('; '));
      let sent: VppTokenCreateRequest;
      try {
        sent = JSON.parse(body.toString('utf8')) as VppTokenCreateRequest;
      } catch {
        return error(res, 400, 'BadRequest', 'Not JSON.');
      }
      if (bug === 'refuses instance annotations' && Object.keys(sent).some((k) => k.includes('@') && k !== '@odata.type')) return error(res, 400, 'BadRequest', 'Unknown property.');
      if (has('takes each token once') && [...tokens.values()].some((t) => t.token === sent.token)) return error(res, 409, 'Conflict', 'This VPP token has already been uploaded.');
      if (bom) lists.bomCreates++;
      // The bug: what came after the mark is read, but only its token kept.
      if (bom && bug === 'creates something else from a body with a byte order mark') sent = { token: sent.token };
      // Intune reads the sToken (base64 of {"token","expDate","orgName"}) and refuses any other token, and one that has
      // expired (outside tester H24), by the expiry it reads, written apart from the kit's own reading.
      if (has('takes only sTokens') && readAppleSToken(sent.token) === undefined) return error(res, 400, 'BadRequest', 'The token is not a valid Apple VPP token.');
      if (has('takes only sTokens') && Date.parse(readAppleSToken(sent.token)!.expDate.replace(/(\d\d)(\d\d)$/, '$1:$2')) < Date.now()) {
        lists.refusedExpired++;
        return error(res, 400, 'BadRequest', 'The VPP token has expired. Download a new token from Apple Business Manager.');
      }
      if (has('refuses what it sets itself') && ('id' in sent || 'lastModifiedDateTime' in sent)) return error(res, 400, 'BadRequest', "The property 'id' is read-only and cannot be set.");
      if (bug === 'a 500 on a non-ASCII displayName' && /[^\x00-\x7f]/.test(sent.displayName ?? '')) return error(res, 500, 'InternalServerError', 'Encoding failure.');
      if (bug === 'a 400 on more than one scope tag' && (sent.roleScopeTagIds?.length ?? 0) > 1) return error(res, 400, 'BadRequest', 'Only one scope tag is supported.');
      if (bug === 'a 400 on an appleId over 100,000 characters' && (sent.appleId?.length ?? 0) > 100_000) return error(res, 400, 'BadRequest', 'appleId: must be at most 100000 characters.');
      created++;
      const id = bug === 'a duplicate id now and then' && created % 7 === 0 ? order[order.length - 1] : randomUUID().toUpperCase();
      // The broken providers take any JSON (an array, a string) as a create; the kit's createdVppToken takes an object only
      // (decision 0800), so a body that is none is stored as the empty create it spreads to.
      const asCreate = typeof sent === 'object' && sent !== null && !Array.isArray(sent) ? sent : ({} as typeof sent);
      const token: Record<string, unknown> = { ...createdVppToken(asCreate, { id, now: new Date() }), '@odata.etag': `W/"${created}"` };
      if (bug === 'a name cut at 64 characters' && typeof token.displayName === 'string') token.displayName = token.displayName.slice(0, 64);
      if (has('keeps its scope tags as a set, in its own order')) token.roleScopeTagIds = asSet(token.roleScopeTagIds, -1);
      if (bug === 'relabels derived action results as the base type' && Array.isArray(token.tokenActionResults)) {
        token.tokenActionResults = (token.tokenActionResults as Record<string, unknown>[]).map((item) => (REVOKE_TYPE.test(String(item['@odata.type'])) ? { ...item, '@odata.type': '#microsoft.graph.vppTokenActionResult' } : item));
      }
      let text: string;
      try {
        // Graph names its own host, whatever front the request came through (decision 0190).
        text = JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens/$entity', ...token });
      } catch {
        return error(res, 500, 'InternalServerError', 'Could not write the answer.');
      }
      if (!tokens.has(id)) {
        order.push(id);
        tokens.set(id, token);
      }
      if (bug === 'echoes the bearer in JSON escapes') {
        const escaped = [...(req.headers.authorization ?? '')].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
        text = text.replace(/^\{/, `{"debugAuth":"${escaped}",`);
      }
      answer(res, 201, text, { Location: `/beta/deviceAppManagement/vppTokens/${id}` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/beta`,
    get paged() {
      return lists.paged;
    },
    get lastPages() {
      return lists.lastPages;
    },
    get strays() {
      return lists.strays;
    },
    get refusedExpired() {
      return lists.refusedExpired;
    },
    get bomCreates() {
      return lists.bomCreates;
    },
    get credentialsInUrl() {
      return lists.credentialsInUrl;
    },
    get early() {
      return lists.early;
    },
    get reorderedTags() {
      return lists.reorderedTags;
    },
    close: async () => {
      for (const each of [server, elsewhere.server]) {
        each.closeAllConnections();
        await new Promise((resolve) => each.close(resolve));
      }
    },
  };
}

/**
 * A clock for conform's throttling waits (and a provider's) that moves when it is waited on, so that no real second
 * passes: a pause to a time is the clock set to it, however many requests wait for it. `advancedMs`: how far it moved.
 */
export function movingClock(): Clock & { readonly advancedMs: number } {
  const start = Date.now();
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now = Math.max(now, now + ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
    get advancedMs() {
      return now - start;
    },
  };
}
