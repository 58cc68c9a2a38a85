// A correct Graph v1.0 provider of POST /deviceAppManagement/vppTokens written without the kit, that knows
// only the v1.0 vppToken: its 11 properties plus id (graph/FINDINGS.md), no beta-only one. The v1.0 contract
// must pass it; the beta contract must fail it.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { listenOnLoopback } from './listen';

const ENUMS: Record<string, string[]> = {
  vppTokenAccountType: ['business', 'education'],
  state: ['unknown', 'valid', 'expired', 'invalid', 'assignedToExternalMDM'],
  lastSyncStatus: ['none', 'inProgress', 'completed', 'failed'],
};
const DATE = /^[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$/;
const STRINGS = ['appleId', 'countryOrRegion', 'organizationName'];
const DATES = ['expirationDateTime', 'lastModifiedDateTime', 'lastSyncDateTime'];
const KNOWN = new Set(['@odata.type', 'id', 'token', 'automaticallyUpdateApps', ...STRINGS, ...DATES, ...Object.keys(ENUMS)]);
/** Each property's declared type, as OData names it (graph/FINDINGS.md): its `name@odata.type` must not name another. */
const TYPES: Record<string, string> = {
  id: 'Edm.String',
  token: 'Edm.String',
  automaticallyUpdateApps: 'Edm.Boolean',
  ...Object.fromEntries(STRINGS.map((k) => [k, 'Edm.String'])),
  ...Object.fromEntries(DATES.map((k) => [k, 'Edm.DateTimeOffset'])),
  vppTokenAccountType: 'microsoft.graph.vppTokenAccountType',
  state: 'microsoft.graph.vppTokenState',
  lastSyncStatus: 'microsoft.graph.vppTokenSyncStatus',
};
/** `#String`, `Edm.String`, `#graph.vppTokenState`, ...: the type a type control value names, fully qualified. */
const qualified = (value: string) => value.replace(/^#/, '').replace(/^graph\./, 'microsoft.graph.').replace(/^(?!Edm\.|microsoft\.graph\.)/, 'Edm.');

/**
 * An RFC 3339 date-time whose day exists and whose offset is one (a pattern allows February 30th and +25:00),
 * within what .NET's DateTimeOffset holds: an offset up to ±14:00, an instant in years 1 to 9999.
 */
function isDateTime(value: unknown): boolean {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (!m) return false;
  const [y, mo, d, h, mi, s] = (value as string).slice(0, 19).split(/[-T:]/).map(Number);
  const day = new Date(Date.UTC(2000, mo - 1, d));
  day.setUTCFullYear(y);
  const offset = /([+-])(\d\d):(\d\d)$/.exec(value as string);
  const instant = Date.parse((value as string).replace(/(\.\d{3})\d+/, '$1'));
  const inRange = instant >= Date.parse('0001-01-01T00:00:00Z') && instant <= Date.parse('9999-12-31T23:59:59.999Z');
  return y >= 1 && inRange && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && s < 60 && (!offset || (Number(offset[2]) * 60 + Number(offset[3]) <= 14 * 60 && Number(offset[3]) < 60));
}

const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** True when `text` nests its arrays and objects deeper than `limit`: .NET's reader, Graph's, stops at 64 (decision 0385). */
function deeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0, quoted = false; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[' || c === '{') {
      if (++depth > limit) return true;
    } else if (c === ']' || c === '}') depth--;
  }
  return false;
}

/** True when an object in `text` (valid JSON) names a member twice: JSON.parse would keep the last silently. */
function namesTwice(text: string): boolean {
  const objects: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const name = JSON.parse(text.slice(i, j + 1)) as string;
      let k = j + 1;
      while (' \t\r\n'.includes(text[k] ?? 'x')) k++;
      const top = objects[objects.length - 1];
      if (text[k] === ':' && top) {
        if (top.has(name)) return true;
        top.add(name);
      }
      i = j;
    } else if (c === '{' || c === '[') objects.push(c === '{' ? new Set() : null);
    else if (c === '}' || c === ']') objects.pop();
  }
  return false;
}

const lines = (req: IncomingMessage, name: string): string[] => req.rawHeaders.filter((line, i) => i % 2 === 0 && line.toLowerCase() === name);

/** What is wrong with a v1.0 create body, one line per problem. */
function problems(body: unknown, enums: Record<string, string[]>): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return ['the body must be a vppToken object'];
  const token = body as Record<string, unknown>;
  // An instance annotation (`@Namespace.Term`, `property@Namespace.Term#qualifier`) is ignored, as OData JSON 4.01
  // §4.5 says a receiver must; any other name it does not know is refused.
  const annotation = (k: string) => /@[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:#\w+)?$/.test(k);
  const wrong = Object.keys(token).filter((k) => !KNOWN.has(k) && !annotation(k)).map((k) => `${k} is not a property of microsoft.graph.vppToken`);
  if (typeof token.token !== 'string' || token.token === '') wrong.push('token is required');
  // Type control information that contradicts the property's declared type (OData JSON Format 4.01 §4.5.3).
  for (const [k, type] of Object.entries(TYPES)) {
    const control = token[`${k}@odata.type`];
    if (control !== undefined && (typeof control !== 'string' || qualified(control) !== type)) wrong.push(`${k}@odata.type must name ${type}`);
  }
  if ('id' in token && typeof token.id !== 'string') wrong.push('id must be a string');
  if ('@odata.type' in token && !/^#?(?:microsoft\.)?graph\.vppToken$/.test(String(token['@odata.type']))) wrong.push('@odata.type must name microsoft.graph.vppToken');
  if ('automaticallyUpdateApps' in token && typeof token.automaticallyUpdateApps !== 'boolean') wrong.push('automaticallyUpdateApps must be a boolean');
  for (const k of STRINGS) if (k in token && token[k] !== null && typeof token[k] !== 'string') wrong.push(`${k} must be a string or null`);
  for (const k of DATES) if (k in token && !isDateTime(token[k])) wrong.push(`${k} must be a DateTimeOffset`);
  for (const [k, members] of Object.entries(enums)) if (k in token && !members.includes(token[k] as string)) wrong.push(`${k} must be one of ${members.join(', ')}`);
  return wrong;
}

const LIMIT = 4 * 1024 * 1024;

/** The body, or undefined when it is over the limit, Graph's 4 MB by default (read to its end, so that the 413 reaches the client). */
async function readAll(req: IncomingMessage, limit = LIMIT): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}

/**
 * With `acceptsBetaStates`, the provider is broken as issue 14 found one: it takes beta's duplicateLocationId,
 * a state v1.0 does not have. `bodyLimit` is the most it reads (Graph's 4 MiB by default; decision 0225).
 */
export async function startV1OnlyProvider({ acceptsBetaStates = false, bodyLimit = LIMIT } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const enums = acceptsBetaStates ? { ...ENUMS, state: [...ENUMS.state, 'duplicateLocationId'] } : ENUMS;
  const server = createServer((req, res) => {
    void (async () => {
      const bytes = await readAll(req, bodyLimit);
      const answer = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json', ...(status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}) }).end(JSON.stringify(body));
      const error = (status: number, code: string, message: string) => answer(status, { error: { code, message, innerError: { 'request-id': randomUUID(), date: new Date().toISOString().slice(0, 19) } } });
      if (req.method !== 'POST' || !/^\/deviceAppManagement\/vppTokens$/i.test((req.url ?? '').split('?')[0])) return error(404, 'ResourceNotFound', 'Not found');
      // Node keeps the first of two Authorization or Content-Type lines: the raw lines tell that there were two.
      if (lines(req, 'authorization').length !== 1 || !/^Bearer \S+/.test(req.headers.authorization ?? '')) return error(401, 'InvalidAuthenticationToken', 'Access token is empty.');
      if (lines(req, 'content-type').length !== 1 || !/^application\/json/i.test(req.headers['content-type'] ?? '')) return error(415, 'UnsupportedMediaType', 'application/json only');
      // Graph's reader decodes by the declared charset: UTF-8 bytes declared anything else are refused (decision 0148).
      const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1];
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) return error(415, 'UnsupportedMediaType', `charset ${charset} is not supported: JSON is UTF-8.`);
      if (lines(req, 'content-encoding').length > 0) return error(415, 'UnsupportedMediaType', 'No Content-Encoding is accepted.');
      if (bytes === undefined) return error(413, 'RequestEntityTooLarge', 'The body is over 1 MiB.');
      let body: unknown;
      try {
        const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
        if (text.startsWith('\uFEFF') || namesTwice(text) || deeperThan(text, 64)) throw new Error('not one JSON value');
        // A string with an unpaired surrogate (`\ud800` alone) is no text: refused, as I-JSON says (RFC 7493 §2.1).
        body = JSON.parse(text, (name: string, value: unknown) => {
          if (!wellFormed(name) || (typeof value === 'string' && !wellFormed(value))) throw new Error('not text');
          return value;
        });
      } catch {
        return error(400, 'BadRequest', 'The body is not JSON.');
      }
      const wrong = problems(body, enums);
      if (wrong.length > 0) return error(400, 'BadRequest', wrong.join('; '));
      const sent = body as Record<string, unknown>;
      const never = '0001-01-01T00:00:00Z';
      answer(201, {
        id: randomUUID(),
        appleId: sent.appleId ?? null,
        automaticallyUpdateApps: sent.automaticallyUpdateApps ?? false,
        countryOrRegion: sent.countryOrRegion ?? null,
        expirationDateTime: sent.expirationDateTime ?? never,
        lastModifiedDateTime: new Date().toISOString(),
        lastSyncDateTime: sent.lastSyncDateTime ?? never,
        lastSyncStatus: sent.lastSyncStatus ?? 'none',
        organizationName: sent.organizationName ?? null,
        state: sent.state ?? 'unknown',
        token: sent.token,
        vppTokenAccountType: sent.vppTokenAccountType ?? 'business',
      });
    })();
  });
  return listenOnLoopback(server);
}
