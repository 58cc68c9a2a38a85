// Providers in front of the reference provider: broken ones each break one thing on the way back (or refuse or
// accept what they should not), so a verification test can show the contract catches exactly that defect; the
// Graph-style ones answer correctly in a way a contract must not mistake for a defect.
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { listenOnLoopback } from './listen';
import { gzipSync } from 'node:zlib';
import { NEVER, createdVppToken, problemsOf } from 'vpptokens-contract-kit';
import { startReferenceProvider } from '../../src/provider';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}
type Sent = Record<string, unknown>;

interface Breaker {
  /**
   * Text of the description of a canonical interaction this defect fails (verify's `interaction`): the defect is
   * verified against that one alone, which shows the contract catches it at a tenth of the CPU of all 18.
   */
  breaks: string;
  /** What the failed interactions' descriptions or mismatches must name. */
  names: RegExp;
  /** Does the pact file alone (any Pact verifier) catch it, or only verify's schema judgement (item 3)? */
  pactAlone?: boolean;
  request?: (headers: Record<string, string>) => void;
  response: (answer: Answer, sent: Sent | undefined, headers: Record<string, string>) => void;
  /** Rewrites the answer's bytes after the JSON is written (what a JSON value can't say: a name twice, a BOM). */
  bytes?: (body: Buffer, answer: Answer) => Buffer;
  /** Header lines added to the answer, repeats of its own included. */
  extraHeaders?: (answer: Answer) => string[];
}

/** A 201 that starts with a property `x` of arrays nested to `level` of the body (decision 0385). */
const nestedTo = (level: number): Breaker => ({
  breaks: EVERY_PROPERTY,
  names: /body \/x(\/0)+: is nested deeper than 64 levels/,
  pactAlone: false,
  response: () => undefined,
  bytes: (body, a) => (created(a) ? Buffer.from(body.toString('utf8').replace(/^\{/, `{"x":${'['.repeat(level - 1)}${']'.repeat(level - 1)},`)) : body),
});

/** Interactions most defects fail: 201s with every property set and with the nullable ones null, a 400, a 401. */
const EVERY_PROPERTY = 'with every property';
const NULLABLE = 'with its nullable properties set to null';
const REFUSED = 'without a token';
const UNAUTHENTICATED = 'without an Authorization header';

const created = (a: Answer) => a.status === 201;
const graphError = (a: Answer, status: number) => {
  a.status = status;
  a.body = { error: { code: 'BadRequest', message: 'refused' } };
};
const accept = (a: Answer, sent: Sent) => {
  a.status = 201;
  a.body = createdVppToken({ token: 'accepted' }, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date() }) as never;
  for (const key of ['displayName', 'appleId']) if (key in sent) a.body[key] = sent[key];
};

/** Each action result item's @odata.type as `to` gives it (an item without one is left alone). */
const relabel = (items: unknown, to: (type: string) => string) => {
  if (!Array.isArray(items)) return;
  for (const item of items as Record<string, unknown>[]) if (typeof item['@odata.type'] === 'string') item['@odata.type'] = to(item['@odata.type']);
};

const breakers = {
  'wrong status': { breaks: EVERY_PROPERTY, names: /201/, response: (a) => void (created(a) && (a.status = 200)) },
  'missing id': { breaks: EVERY_PROPERTY, names: /\bid\b/, response: (a) => void delete a.body.id },
  'wrong types': { breaks: 'with only its token', names: /automaticallyUpdateApps/, response: (a) => void (created(a) && (a.body.automaticallyUpdateApps = String(a.body.automaticallyUpdateApps))) },
  'bad enum': { breaks: NULLABLE, names: /state/, response: (a) => void (created(a) && (a.body.state = 'String')) },
  'date without a zone': { breaks: EVERY_PROPERTY, names: /lastModifiedDateTime/, response: (a) => void (created(a) && (a.body.lastModifiedDateTime = String(a.body.lastModifiedDateTime).slice(0, 19))) },
  'no auth check': { breaks: UNAUTHENTICATED, names: /Authorization/, request: (h) => void (h.authorization ??= 'Bearer injected'), response: () => undefined },
  'no validation': { breaks: 'with a malformed date', names: /token|property|date|enum/, response: (a, sent) => void (a.status === 400 && sent && accept(a, sent)) },
  'non-Graph error body': { breaks: REFUSED, names: /error/, response: (a) => void (a.status >= 400 && (a.body = { message: 'Bad Request', statusCode: a.status })) },
  'text/plain content type': { breaks: EVERY_PROPERTY, names: /Content-Type/i, response: (a) => void (a.headers['content-type'] = 'text/plain') },
  // Issue 7: what 13 of 46 broken providers got away with.
  'roleScopeTagIds as a string': { breaks: EVERY_PROPERTY, names: /roleScopeTagIds/, response: (a) => void (created(a) && (a.body.roleScopeTagIds = '0')) },
  'tokenActionResults as an object': { breaks: EVERY_PROPERTY, names: /tokenActionResults/, response: (a) => void (created(a) && (a.body.tokenActionResults = {})) },
  'organizationName as a number': { breaks: EVERY_PROPERTY, names: /organizationName/, response: (a) => void (created(a) && (a.body.organizationName = 42)) },
  // Outside tester I11: Intune reads the organisation from the sToken; another name is not the one created (decision 0217).
  'organizationName another than the sToken names': { breaks: 'with only its token', names: /organizationName/, response: (a) => void (created(a) && a.body.organizationName !== null && (a.body.organizationName = 'Another Organisation Ltd')) },
  // Outside tester N15: Intune reads the expiry from the sToken too (decision 0396); verify's judgement holds it, the
  // pact by its date pattern only (a plain Pact verifier compares text, not instants).
  'expirationDateTime another than the sToken names': { breaks: 'with only its token', names: /expirationDateTime/, pactAlone: false, response: (a) => void (created(a) && (a.body.expirationDateTime = '2030-01-01T00:00:00Z')) },
  'a list as null': { breaks: NULLABLE, names: /tokenActionResults/, response: (a) => void (created(a) && (a.body.tokenActionResults = null)) },
  'token left out': { breaks: EVERY_PROPERTY, names: /token/, response: (a) => void (created(a) && delete a.body.token) },
  'null properties left out': {
    breaks: NULLABLE,
    names: /appleId|displayName|organizationName|locationName|countryOrRegion/,
    response: (a) => void (created(a) && Object.keys(a.body).forEach((k) => a.body[k] === null && delete a.body[k])),
  },
  '@odata.type naming another type': { breaks: EVERY_PROPERTY, names: /@odata\.type/, pactAlone: false, response: (a) => void (created(a) && (a.body['@odata.type'] = '#microsoft.graph.iosVppApp')) },
  'displayName not stored': { breaks: EVERY_PROPERTY, names: /displayName/, response: (a) => void (created(a) && (a.body.displayName = 'Another name')) },
  // Outside tester R44 (decision 0600): the members sent in any order, or each once, pass; a member not sent fails.
  'a scope tag not sent': { breaks: EVERY_PROPERTY, names: /roleScopeTagIds/, response: (a) => void (created(a) && Array.isArray(a.body.roleScopeTagIds) && a.body.roleScopeTagIds.push('5')) },
  'automaticallyUpdateApps always false': { breaks: EVERY_PROPERTY, names: /automaticallyUpdateApps/, response: (a) => void (created(a) && (a.body.automaticallyUpdateApps = false)) },
  'refuses Graph\'s "never" date': { breaks: 'with Graph\'s "never" dates', names: /never/, response: (a, sent) => void (created(a) && JSON.stringify(sent).includes(NEVER) && graphError(a, 400)) },
  'refuses offsets other than Z': { breaks: 'with seven-digit dates and offsets other than Z', names: /offsets/, response: (a, sent) => void (created(a) && /[+-]\d\d:\d\d"/.test(JSON.stringify(sent)) && graphError(a, 400)) },
  'accepts an unknown property': {
    breaks: 'with an unknown property',
    names: /unknown property/,
    response: (a, sent) => void (a.status === 400 && sent && problemsOf('request', sent).every((p) => p.keyword === 'additionalProperties') && accept(a, sent)),
  },
  'accepts a derived property on a base-typed action result': {
    breaks: "with an action result of the base type carrying a derived type's property",
    names: /an action result of the base type carrying a derived type's property/,
    response: (a, sent) => void (a.status === 400 && sent && problemsOf('request', sent).every((p) => /is a property of \S+ only/.test(p.message)) && accept(a, sent)),
  },
  'accepts an empty token': { breaks: 'with an empty token', names: /empty token/, response: (a, sent) => void (a.status === 400 && sent?.token === '' && accept(a, sent)) },
  // Issue 14: what the pact file can't say, verify's judgement of the bytes and header lines catches.
  'a 201 whose JSON names id twice': {
    breaks: EVERY_PROPERTY,
    names: /body \/id: is given twice/,
    pactAlone: false,
    response: () => undefined,
    bytes: (body, a) => (created(a) ? Buffer.from(body.toString('utf8').replace(/^\{/, '{"id":"0f8fad5b-d9cb-469f-a165-70867728950e",')) : body),
  },
  // Decision 0385: a body nests at most 64 levels; one past it, and far past it (which overflowed JSON.stringify).
  'a 201 nested 65 levels deep': nestedTo(65),
  'a 201 nested 100000 levels deep': nestedTo(100_000),
  'garbage after the JSON': { breaks: EVERY_PROPERTY, names: /has data after its JSON value/, pactAlone: false, response: () => undefined, bytes: (body) => Buffer.concat([body, Buffer.from(' garbage')]) },
  'a byte order mark': { breaks: EVERY_PROPERTY, names: /byte order mark/, pactAlone: false, response: () => undefined, bytes: (body) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) },
  'Latin-1 bytes': {
    breaks: EVERY_PROPERTY,
    names: /is not UTF-8/,
    pactAlone: false,
    response: (a) => void (created(a) && (a.body.locationName = 'Caf\u00e9')),
    bytes: (body) => Buffer.from(body.toString('utf8'), 'latin1'),
  },
  'two Content-Type headers': { breaks: EVERY_PROPERTY, names: /header Content-Type: is given 2 times/, pactAlone: false, response: () => undefined, extraHeaders: () => ['Content-Type', 'text/plain'] },
  'a Content-Encoding that lies': { breaks: REFUSED, names: /is not gzip data/, pactAlone: false, response: () => undefined, extraHeaders: () => ['Content-Encoding', 'gzip'] },
  "echoes the caller's bearer in an error": {
    breaks: REFUSED,
    names: /credentials not echoed: body \/error\/message: must not contain the request's bearer token/,
    pactAlone: false,
    response: (a, _sent, headers) => void (a.status >= 400 && (a.body = { error: { code: 'BadRequest', message: `refused for ${headers.authorization ?? 'nobody'}` } })),
  },
  'OData control information naming another resource': {
    breaks: EVERY_PROPERTY,
    names: /resource identity: body \/@odata.id: must point at this vppToken/,
    pactAlone: false,
    response: (a) => void (created(a) && (a.body['@odata.id'] = "https://graph.microsoft.com/beta/deviceAppManagement/vppTokens('00000000-0000-0000-0000-000000000000')")),
  },
  'a Location naming another resource': {
    breaks: EVERY_PROPERTY,
    names: /resource identity: header Location: must point at this vppToken/,
    pactAlone: false,
    response: (a) => void (created(a) && (a.headers.location = "/beta/deviceAppManagement/vppTokens('00000000-0000-0000-0000-000000000000')")),
  },
  'a context naming another entity set': {
    breaks: EVERY_PROPERTY,
    names: /resource identity: body \/@odata.context/,
    pactAlone: false,
    response: (a) => void (created(a) && (a.body['@odata.context'] = 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/mobileApps/$entity')),
  },
  // Outside tester H25 (decision 0190): every place the answer names its service moved to another host: the
  // answer cannot vouch for a host by naming it twice. The host asked, Graph's or a --public-host only.
  'another host in Location, OData-EntityId and @odata.context': {
    breaks: EVERY_PROPERTY,
    names: /resource identity: body \/@odata.context: must name the service's own root, on the host asked, [^]*it names the host evil\.example/,
    pactAlone: false,
    response: (a) => {
      if (!created(a)) return;
      const elsewhere = (url: string) => url.replace(/^http:\/\/[^/]+/, 'https://evil.example');
      a.body['@odata.context'] = elsewhere(String(a.body['@odata.context']));
      a.headers.location = elsewhere(a.headers.location);
      a.headers['odata-entityid'] = a.headers.location;
    },
  },
  // Outside tester H8: a beta create (the provider asked at its root: the profile's) answered as a v1.0 entity.
  'a v1.0 context answering a beta create': {
    breaks: EVERY_PROPERTY,
    names: /resource identity: body \/@odata.context: must be the context of one vppToken of the version the create was sent to, \.\.\.\/beta\/\$metadata#deviceAppManagement\/vppTokens\/\$entity: it names v1\.0/,
    pactAlone: false,
    response: (a) => void (created(a) && (a.body['@odata.context'] = String(a.body['@odata.context']).replace(/(\/beta)?\/\$metadata/, '/v1.0/$metadata'))),
  },
  // Graph's model (decision 0105): a derived action result keeps its @odata.type. A pact rule can't depend on it.
  'derived action results relabelled as the base type': {
    breaks: EVERY_PROPERTY,
    names: /body \/tokenActionResults\/0\/(actionFailureReason|failedLicensesCount|totalLicensesCount): is a property of #microsoft\.graph\.vppTokenRevokeLicensesActionResult only/,
    pactAlone: false,
    response: (a) => void (created(a) && relabel(a.body.tokenActionResults, (type) => (/RevokeLicenses/.test(type) ? '#microsoft.graph.vppTokenActionResult' : type))),
  },
  // RFC 9110 §11.6.1: a 401 MUST carry a challenge; RFC 6750 §3: a bearer-protected resource's is Bearer. The pact
  // holds a challenge on each line; that one is Bearer, a rule across lines, is verify's (decision 0361).
  'a 401 without a Bearer challenge': {
    breaks: UNAUTHENTICATED,
    names: /response headers: header WWW-Authenticate: must carry a Bearer challenge on a 401/,
    pactAlone: false,
    response: (a) => void (a.status === 401 && (a.headers['www-authenticate'] = 'Basic realm="graph"')),
  },
  // Outside finding N1 (decision 0360): Graph's ODataError has a string code; an error handler writing the status as a
  // number passed Pact's regex alone, which reads 400 as "400". The pact holds the type beside it.
  'an error code as a number': {
    breaks: REFUSED,
    names: /response schema: body \/error\/code: must be a string/,
    response: (a) => void (a.status >= 400 && (a.body = { error: { code: a.status, message: 'refused' } })),
  },
  // Outside finding N2 (decision 0361): RFC 9110 §15.5.2, a 401 MUST carry WWW-Authenticate; the pact requires a
  // challenge on the header, so a plain Pact verifier fails its absence as verify does.
  'a 401 without WWW-Authenticate': {
    breaks: UNAUTHENTICATED,
    names: /response headers: header WWW-Authenticate: must carry a Bearer challenge on a 401 \(RFC 9110 §11\.6\.1, RFC 6750 §3; got none\)/,
    response: (a) => void (a.status === 401 && delete a.headers['www-authenticate']),
  },
  // Decision 0148: Graph's reader decodes a body by its charset, and JSON is UTF-8; in the pact since decision 0363.
  'a charset other than UTF-8': {
    breaks: EVERY_PROPERTY,
    names: /content type: header Content-Type: declares charset=iso-8859-1, but JSON is UTF-8/,
    response: (a) => void (a.headers['content-type'] = 'application/json;odata.metadata=minimal; charset=iso-8859-1'),
  },
  // Decision 0130: RFC 9110 lets the case vary, but Graph answers lowercase and its JavaScript client reads only that.
  'an uppercase media type': {
    breaks: EVERY_PROPERTY,
    names: /content type: header Content-Type: must be application\/json in lowercase/,
    pactAlone: false,
    response: (a) => void (a.headers['content-type'] = 'Application/JSON; Charset=UTF-8'),
  },
  'a lastModifiedDateTime from long ago': {
    breaks: EVERY_PROPERTY,
    names: /lastModifiedDateTime: must be the time of the create/,
    pactAlone: false,
    response: (a) => void (created(a) && (a.body.lastModifiedDateTime = '2001-01-01T00:00:00Z')),
  },
} satisfies Record<string, Breaker>;

export type Defect = keyof typeof breakers;
export const defects = Object.keys(breakers) as Defect[];
export const defectNames = (defect: Defect): RegExp => breakers[defect].names;
export const interactionBroken = (defect: Defect): string => breakers[defect].breaks;
export const caughtByPactAlone = (defect: Defect): boolean => (breakers[defect] as Breaker).pactAlone !== false;

/** Correct answers in Graph's own manner: none of them may fail a contract. */
const styles = {
  'OData content type': { response: () => undefined },
  'extra annotations and properties': {
    response: (a: Answer) => void (created(a) && Object.assign(a.body, { '@odata.etag': 'W/"JzEtOzEn"', '@microsoft.graph.tips': 'Use $select', someFutureProperty: 1 })),
  },
  gzip: { gzip: true, response: () => undefined },
  chunked: { chunked: true, response: () => undefined },
  'uppercase GUIDs': { response: (a: Answer) => void (created(a) && (a.body.id = String(a.body.id).toUpperCase())) },
  // The time of the create (the service sets it), written as .NET writes a DateTimeOffset at +02:00.
  '7-digit offsets': { response: (a: Answer) => void (created(a) && (a.body.lastModifiedDateTime = `${new Date(Date.now() + 2 * 3600_000).toISOString().slice(0, 19)}.1234567+02:00`)) },
  // Parameter names and values in any case: Graph's JavaScript client reads the media type before `;` only.
  'parameters in upper case': { response: (a: Answer) => void (a.headers['content-type'] = 'application/json; Charset=UTF-8; ODATA.METADATA=minimal') },
  // Control information and headers that point at this very vppToken, both spellings of each, on Graph's host
  // as Graph writes them, behind whatever front the request came through (decisions 0126, 0190).
  'control information pointing at this vppToken': {
    response: (a: Answer) => {
      if (!created(a)) return;
      const id = String(a.body.id);
      a.body['@odata.context'] = 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens/$entity';
      a.body['@odata.id'] = `https://graph.microsoft.com/beta/deviceAppManagement/vppTokens('${id}')`;
      a.headers.location = `https://graph.microsoft.com/beta/deviceAppManagement/vppTokens('${id}')`;
      a.body['@odata.editLink'] = `deviceAppManagement/vppTokens/${id.toUpperCase()}`;
      // The key by name (OData 4.01 URL Conventions §4.3.1; outside attacker K29), quoted: the id is an Edm.String.
      a.headers['odata-entityid'] = `https://graph.microsoft.com/beta/deviceAppManagement/vppTokens(id='${id}')`;
    },
  },
  // Both spellings of a type name (decision 0082); an untyped item is the base type.
  'action results typed in the other spelling': {
    response: (a: Answer) => void (created(a) && relabel(a.body.tokenActionResults, (type) => (type.startsWith('#') ? type.slice(1) : `#${type}`))),
  },
  // Outside tester I11: what the service owns (decisions 0012, 0085) is its own, whatever the pact's example says.
  'service-owned values of its own': {
    response: (a: Answer) =>
      void (created(a) && Object.assign(a.body, { locationName: 'Another Campus', tokenActionResults: [], state: 'unknown', lastSyncStatus: 'none', lastSyncDateTime: '0001-01-01T00:00:00Z', organizationName: null })),
  },
  // Graph's own 401 challenge (parameters with commas in one line) and a second scheme on a line of its own, as ASP.NET
  // Core writes two schemes: Pact applies a header's rule to each line alone (decision 0361).
  "Graph's 401 challenge and a second scheme on its own line": {
    response: (a: Answer) =>
      void (a.status === 401 && (a.headers['www-authenticate'] = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"')),
    extraHeaders: (a: Answer) => (a.status === 401 ? ['WWW-Authenticate', 'Negotiate'] : []),
  },
  // Error bodies as Graph writes them: a code of its own (held by type, never by the example's value) and innerError.
  "Graph's error bodies with their innerError": {
    response: (a: Answer) =>
      void (a.status >= 400 && (a.body = { error: { code: 'Request_BadRequest', message: 'Invalid request.', innerError: { date: '2026-12-03T15:00:00', 'request-id': '3f1e6a52-5c3b-4a8e-9d0c-6b2f1e7a9c41', 'client-request-id': '3f1e6a52-5c3b-4a8e-9d0c-6b2f1e7a9c41' } } })),
  },
  // In a value the service sets (its location, read from Apple): the organisation is the sToken's (decision 0217).
  // roleScopeTagIds is an unordered collection (no Core.Ordered); a service may keep scope tags as a set (decision 0600).
  'scope tags kept as a set, in an order of its own': {
    response: (a: Answer) => void (created(a) && Array.isArray(a.body.roleScopeTagIds) && (a.body.roleScopeTagIds = [...new Set(a.body.roleScopeTagIds as string[])].sort().reverse())),
  },
  'a Unicode body with a U+FFFD of its own': { response: (a: Answer) => void (created(a) && (a.body.locationName = 'Caf\u00e9 \uFFFD \u{1F600}')) },
};
export type GraphStyle = keyof typeof styles;
export const graphStyles = Object.keys(styles) as GraphStyle[];

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One request to the reference provider behind (node:http, kept alive: fetch costs about twice the CPU per request). */
function upstreamAnswer(url: string, agent: Agent, method: string, headers: Record<string, string>, body: string | undefined): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      readAll(res).then((text) => resolve({ status: res.statusCode!, headers: res.headers, text }), reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function startProxy(
  breaker: Pick<Breaker, 'request' | 'response' | 'bytes' | 'extraHeaders'> & { gzip?: boolean; chunked?: boolean },
  { bodyLimit }: { bodyLimit?: number } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = await startReferenceProvider({ bodyLimit });
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    void (async () => {
      const headers: Record<string, string> = {};
      // Host passed on, as a transparent front does: the reference provider names the host its client asked (decision 0190).
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'content-length') headers[k] = v;
      breaker.request?.(headers);
      const text = req.method === 'GET' ? undefined : await readAll(req);
      let sent: Sent | undefined;
      try {
        sent = text ? (JSON.parse(text) as Sent) : undefined;
      } catch {
        sent = undefined;
      }
      const response = await upstreamAnswer(`${upstream.url}${req.url}`, agent, req.method!, headers, text);
      const answer: Answer = { status: response.status, headers: { 'content-type': response.headers['content-type'] ?? '' }, body: JSON.parse(response.text) as Record<string, unknown> };
      for (const name of ['location', 'www-authenticate']) if (response.headers[name]) answer.headers[name] = String(response.headers[name]);
      breaker.response(answer, sent, headers);
      const json = Buffer.from(JSON.stringify(answer.body));
      const body = breaker.bytes ? breaker.bytes(json, answer) : json;
      const lines = [...Object.entries(answer.headers).flat(), ...(breaker.extraHeaders?.(answer) ?? [])];
      if (breaker.gzip) res.writeHead(answer.status, [...lines, 'content-encoding', 'gzip']).end(gzipSync(body));
      else if (breaker.chunked) {
        res.writeHead(answer.status, lines); // no Content-Length: Transfer-Encoding: chunked
        res.write(body.subarray(0, 10));
        res.end(body.subarray(10));
      } else res.writeHead(answer.status, lines).end(body);
    })();
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    close: async () => {
      await close();
      agent.destroy();
      await upstream.close();
    },
  };
}

/** `bodyLimit` is the reference provider's behind it (decision 0225). */
export const startBrokenProvider = (defect: Defect, options: { bodyLimit?: number } = {}) => startProxy(breakers[defect] as Breaker, options);
export const startGraphStyleProvider = (style: GraphStyle) => startProxy(styles[style]);
