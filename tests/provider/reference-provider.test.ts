import { request as httpRequest } from 'node:http';
import { createRequestFactory, formatRequestProblem, problemsOf, vppTokenFactory } from 'vpptokens-contract-kit';
import { checkClientRequest } from '../../src/judgement';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';

const AUTH = { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' };
let provider: ReferenceProvider;
const logs: string[] = [];

beforeAll(async () => {
  provider = await startReferenceProvider({ bodyLimit: 64 * 1024, log: (line) => logs.push(line) });
});
afterAll(() => provider.close());

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(`${provider.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
const post = (body: unknown, headers: Record<string, string> = AUTH, path = '/beta/deviceAppManagement/vppTokens') =>
  call(path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /deviceAppManagement/vppTokens', () => {
  it('creates a vppToken: 201, a GUID id, lastModifiedDateTime now, defaults and @odata.context', async () => {
    const before = Date.now();
    const { status, headers, body } = await post({ token: createRequestFactory.withTraits('minimal').buildAt(0).token });
    expect(status).toBe(201);
    expect(headers.get('content-type')).toMatch(/^application\/json;odata\.metadata=minimal/);
    expect(problemsOf('response', body)).toEqual([]);
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.parse(body.lastModifiedDateTime)).toBeGreaterThanOrEqual(before - 1000);
    expect(body['@odata.context']).toBe(`${provider.url}/beta/$metadata#deviceAppManagement/vppTokens/$entity`);
    expect(body).toMatchObject({ lastSyncStatus: 'none', lastSyncDateTime: '0001-01-01T00:00:00Z', roleScopeTagIds: ['0'], tokenActionResults: [], displayName: null });
    expect(body.organizationName).toEqual(expect.any(String));
    expect(headers.get('location')).toBe(`${provider.url}/beta/deviceAppManagement/vppTokens('${body.id}')`);
  });

  // Outside tester J17: behind a front that ends TLS, the provider named http in its links to a client that asked
  // over https. It takes the scheme the front says (RFC 7239 Forwarded proto=, else X-Forwarded-Proto), as ASP.NET
  // Core's forwarded-headers middleware does, with the Host it was asked by; any other value leaves http.
  it.each([
    [{ 'X-Forwarded-Proto': 'https' }, 'https'],
    [{ 'X-Forwarded-Proto': 'HTTPS, http' }, 'https'],
    [{ Forwarded: 'for=192.0.2.60;proto=https;by=203.0.113.43' }, 'https'],
    [{ Forwarded: 'Proto="https", proto=http' }, 'https'],
    [{ Forwarded: 'for=192.0.2.60', 'X-Forwarded-Proto': 'https' }, 'https'],
    [{ Forwarded: 'proto=http', 'X-Forwarded-Proto': 'https' }, 'http'],
    [{ 'X-Forwarded-Proto': 'ftp' }, 'http'],
    [{}, 'http'],
  ])('names the scheme a front says its client asked by, %j: %s', async (forwarded, scheme) => {
    const { headers, body } = await post({ token: createRequestFactory.withTraits('minimal').buildAt(0).token }, { ...AUTH, ...forwarded });
    const origin = `${scheme}://${new URL(provider.url).host}`;
    expect(body['@odata.context']).toBe(`${origin}/beta/$metadata#deviceAppManagement/vppTokens/$entity`);
    expect(headers.get('location')).toBe(`${origin}/beta/deviceAppManagement/vppTokens('${body.id}')`);
  });

  // Outside tester R53: behind a front that rewrites Host to the upstream's (nginx's default, proxy_set_header Host
  // $proxy_host) and says the host asked in Forwarded host= (RFC 7239 §5.3) or X-Forwarded-Host, the provider named
  // the front's scheme on the upstream's host, a URL that names neither server. It takes host and scheme from the
  // same place: the first element of Forwarded when it names either, else X-Forwarded-Host and X-Forwarded-Proto,
  // else Host and http; a forwarded host that is no host (RFC 9110 §7.2) leaves the listening address, as a bad Host.
  it.each([
    [{ Forwarded: 'for=192.0.2.60;host=front.example;proto=https' }, 'https://front.example'],
    [{ Forwarded: 'for=192.0.2.60;Host="Front.example:8443";proto=https, for=10.0.0.1;host=inner.example;proto=http' }, 'https://front.example:8443'],
    [{ Forwarded: 'host="[2001:db8::1]:8080"' }, 'http://[2001:db8::1]:8080'],
    [{ Forwarded: 'for="[2001:db8::2]:1, x";host=front.example', 'X-Forwarded-Proto': 'https' }, 'http://front.example'],
    [{ Forwarded: 'proto=https', 'X-Forwarded-Host': 'front.example' }, 'https://HOST'],
    [{ 'X-Forwarded-Host': 'front.example:8080', 'X-Forwarded-Proto': 'https' }, 'https://front.example:8080'],
    [{ 'X-Forwarded-Host': 'FRONT.example, inner.example' }, 'http://front.example'],
    [{ Forwarded: 'for=192.0.2.60', 'X-Forwarded-Host': 'front.example' }, 'http://front.example'],
    [{ 'X-Forwarded-Host': '' }, 'http://HOST'],
    [{ Forwarded: 'host="evil.example/path";proto=https' }, 'http://HOST'],
    [{ 'X-Forwarded-Host': 'user@front.example', 'X-Forwarded-Proto': 'https' }, 'http://HOST'],
  ])('names the host and scheme a front says its client asked by, %j: %s', async (forwarded, expected) => {
    const { headers, body } = await post({ token: createRequestFactory.withTraits('minimal').buildAt(0).token }, { ...AUTH, ...forwarded });
    const origin = expected.replace('HOST', new URL(provider.url).host);
    expect(body['@odata.context']).toBe(`${origin}/beta/$metadata#deviceAppManagement/vppTokens/$entity`);
    expect(headers.get('location')).toBe(`${origin}/beta/deviceAppManagement/vppTokens('${body.id}')`);
  });

  it('answers a minimal request as the minimal response fixture says (but for id, time and the state that depends on today)', async () => {
    const { body } = await post(createRequestFactory.withTraits('minimal').buildAt(5));
    const fixture = vppTokenFactory.withTraits('minimal').buildAt(5);
    expect(body['@odata.type']).toBe('#microsoft.graph.vppToken');
    const comparable = ({ id: _i, lastModifiedDateTime: _l, state: _s, '@odata.context': _c, '@odata.type': _t, ...rest }: Record<string, unknown>) => rest;
    expect(comparable(body)).toEqual(comparable(fixture as unknown as Record<string, unknown>));
  });

  it.each(['/deviceAppManagement/vppTokens', '/v1.0/deviceAppManagement/vppTokens', '/beta/deviceAppManagement/vppTokens'])('answers under %s', async (path) => {
    expect((await post(createRequestFactory.withProfile('v1.0').buildAt(1), AUTH, path)).status).toBe(201);
  });

  it('keeps what the client sent and accepts a charset', async () => {
    const sent = createRequestFactory.withTraits('full').buildAt(2);
    const { status, body } = await post(sent, { ...AUTH, 'Content-Type': 'application/json; charset=utf-8' });
    expect(status).toBe(201);
    expect(body.displayName).toBe(sent.displayName);
    expect(body.tokenActionResults).toEqual(sent.tokenActionResults);
  });

  // Decision 0251: nothing Microsoft documents refuses a token Intune already holds (Intune takes several location
  // tokens per tenant), and Graph beta names the case in vppTokenState: duplicateLocationId, "Token is associated
  // with the same location as another token on the account". The same token is the same location.
  it('takes a token it already holds as a second vppToken whose state is duplicateLocationId (beta; v1.0 has no such state)', async () => {
    const token = createRequestFactory.withSeed(251).buildAt(0).token;
    const first = await post({ token });
    const second = await post({ token });
    const told = await post({ token, state: 'valid' });
    expect([first.status, second.status, told.status]).toEqual([201, 201, 201]);
    expect(new Set([first.body.id, second.body.id, told.body.id]).size).toBe(3);
    expect(first.body.state).not.toBe('duplicateLocationId');
    // The service's finding, whatever the client said.
    expect([second.body.state, told.body.state]).toEqual(['duplicateLocationId', 'duplicateLocationId']);
    expect(problemsOf('response', second.body)).toEqual([]);
    expect((await call(`/beta/deviceAppManagement/vppTokens('${second.body.id}')`, { headers: AUTH })).body.state).toBe('duplicateLocationId');
    // Graph v1.0 has no member for it: its answer keeps the state it would have had.
    const v1 = await post({ token }, AUTH, '/v1.0/deviceAppManagement/vppTokens');
    expect([v1.status, v1.body.state]).toEqual([201, first.body.state]);
    // Another token is no duplicate.
    expect((await post({ token: createRequestFactory.withSeed(251).buildAt(1).token })).body.state).not.toBe('duplicateLocationId');
    // One sToken with and without its base64 padding is one token (decision 0205, outside tester K24).
    const sToken = (org: string) => Buffer.from(JSON.stringify({ token: 'edge-0251', expDate: '2041-06-01T00:00:00+0000', orgName: org })).toString('base64');
    const padded = ['Contoso', 'Contoso1', 'Contoso12'].map(sToken).find((t) => t.endsWith('='))!;
    expect((await post({ token: padded })).body.state).not.toBe('duplicateLocationId');
    expect((await post({ token: padded.replace(/=+$/, '') })).body.state).toBe('duplicateLocationId');
  });

  it('answers 400 with Graph\'s error body listing every problem', async () => {
    const { status, body } = await post({ state: 'String', vppTokenAccountType: 'String' });
    expect(status).toBe(400);
    expect(problemsOf('error', body)).toEqual([]);
    expect(body.error.code).toBe('BadRequest');
    expect(body.error.details.map((d: { target: string }) => d.target).sort()).toEqual(['/state', '/token', '/vppTokenAccountType']);
    expect(body.error.message).toContain('/vppTokenAccountType: must be one of business, education (got "String")');
    expect(body.error.innerError['request-id']).toEqual(expect.any(String));
  });

  it('answers 400 for a body that is not JSON, with the line and column', async () => {
    const { status, body } = await post('{\n  "token": "abc",\n  oops\n}');
    expect(status).toBe(400);
    expect(body.error.message).toBe('The request body is not JSON: line 3, column 3: unexpected character "o" where a property name in double quotes was expected.');
  });

  it('answers 401 without a Bearer token, before looking at the body', async () => {
    for (const headers of [{ 'Content-Type': 'application/json' } as Record<string, string>, { 'Content-Type': 'application/json', Authorization: 'Basic abc' }, { 'Content-Type': 'application/json', Authorization: 'Bearer ' }]) {
      const { status, body } = await post({}, headers);
      expect(status).toBe(401);
      expect(body.error.code).toBe('InvalidAuthenticationToken');
    }
  });

  // Outside tester I23: a token given but not as RFC 6750 writes one was told "Access token is empty."
  it('says whether the token is missing, malformed or given twice', async () => {
    // node:http, which sends a repeated header as it is given (fetch would merge two into one line).
    const said = (authorization: string | string[] | undefined) =>
      new Promise<string>((resolve, reject) => {
        const headers: Record<string, string | string[]> = { 'Content-Type': 'application/json', ...(authorization === undefined ? {} : { Authorization: authorization }) };
        const req = httpRequest(`${provider.url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString()) as { error: { message: string } }).error.message));
        });
        req.on('error', reject);
        req.end('{}');
      });
    expect(await said(undefined)).toBe('Access token is empty.');
    expect(await said('Bearer ')).toBe('Access token is empty.');
    expect(await said('Bearer abc%def')).toBe('Access token is malformed: Authorization must be "Bearer <access token>" with a token as RFC 6750 §2.1 writes one.');
    expect(await said('Basic dXNlcjpwYXNz')).toMatch(/^Access token is malformed/);
    expect(await said(['Bearer one-token', 'Bearer two-token'])).toBe('Authorization is given 2 times: give one, "Bearer <access token>".');
  });

  it('answers 415 for a body that is not application/json', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/jsonx']) {
      const { status, body } = await post('token=abc', { Authorization: 'Bearer t', 'Content-Type': type });
      expect(status).toBe(415);
      expect(body.error.message).toContain(type);
    }
  });

  it('answers 413 over the body limit', async () => {
    const { status, body } = await post({ token: 'x'.repeat(70 * 1024) });
    expect(status).toBe(413);
    expect(body.error.code).toBe('RequestEntityTooLarge');
  });

  it('answers 413 for an oversized chunked body too', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${provider.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: AUTH }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.write(`{"token":"${'y'.repeat(40 * 1024)}`);
      req.end(`${'y'.repeat(40 * 1024)}"}`);
    });
    expect(status).toBe(413);
  });

  it('answers 404 for an unknown path and 405 for another method', async () => {
    expect((await call('/beta/deviceAppManagement/vppTokenz', { headers: AUTH })).status).toBe(404);
    const put = await call('/beta/deviceAppManagement/vppTokens', { method: 'PUT', headers: AUTH, body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST');
    expect(problemsOf('error', put.body)).toEqual([]);
  });

  // Decision 0147: a browser client's preflight carries no credentials (Fetch §4.8), and its requests need CORS headers.
  it('answers a CORS preflight before authentication, with what the resource takes, and no body', async () => {
    const origin = 'https://admin.contoso.example';
    const preflight = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries([...preflight.headers].filter(([name]) => /^(access-control|allow$|content-)/.test(name)))).toEqual({
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, HEAD, OPTIONS, POST',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '3600',
      'access-control-expose-headers': 'Location, OData-EntityId, Retry-After, request-id, client-request-id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset',
      allow: 'GET, HEAD, OPTIONS, POST',
    });
    expect(await preflight.text()).toBe('');
    // What Graph takes on one vppToken, DELETE and PATCH too, though the mock answers them 501 (outside tester H20).
    const deleting = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens/x`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'DELETE' } });
    expect([deleting.status, deleting.headers.get('access-control-allow-methods')]).toEqual([204, 'DELETE, GET, HEAD, OPTIONS, PATCH']);
    const batch = await fetch(`${provider.url}/beta/$batch`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
    expect([batch.status, batch.headers.get('access-control-allow-methods')]).toEqual([204, 'OPTIONS, POST']);
    const refused = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens/x`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT' } });
    expect(refused.status).toBe(405);
    // A preflight answered with a status other than 2xx fails in the browser (Fetch §4.8), whatever its headers.
    expect(refused.headers.get('allow')).toBe('DELETE, GET, HEAD, OPTIONS, PATCH');
    expect(refused.headers.get('access-control-allow-methods')).toBeNull();
    const created = await post({ token: createRequestFactory.withTraits('minimal').buildAt(3).token }, { ...AUTH, Origin: origin });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe(origin);
    expect(created.headers.get('access-control-expose-headers')).toContain('Location');
    expect((await post({ token: 'x'.repeat(40) })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers HEAD as the GET it stands for, without the body', async () => {
    const { body } = await post({ token: createRequestFactory.withTraits('minimal').buildAt(4).token });
    const head = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens/${body.id}`, { method: 'HEAD', headers: AUTH });
    const get = await call(`/beta/deviceAppManagement/vppTokens/${body.id}`, { headers: AUTH });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    expect(await head.text()).toBe('');
    expect((await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens`, { method: 'HEAD' })).status).toBe(401);
  });

  it('never logs a token value', async () => {
    for (const i of [0, 1]) expect((await post(createRequestFactory.withSeed(11).buildAt(i))).status).toBe(201);
    const tokens = [...provider.vppTokens.values()].map((t) => t.token!).filter(Boolean);
    expect(tokens.length).toBeGreaterThan(0);
    const text = logs.join('\n');
    expect(text).toContain('POST /beta/deviceAppManagement/vppTokens 201');
    for (const token of tokens) expect(text).not.toContain(token.slice(0, 24));
    expect(text).not.toContain('test-token');
  });

  // Outside tester L9: a client that reads back by the wrong variable puts its access token where the id belongs;
  // serve's log is often kept as a CI artifact, so the request's own credentials are hidden from its line too. Such a
  // request is refused with 400 (decision 0327), no longer answered 404.
  it('never logs the request\'s own bearer, where the client put it in the path; an id it read by stays', async () => {
    const bearer = 'Zq9xLmP4vT7wRb2kYc8nHs5dJf3gA6eU';
    const headers = { Authorization: `Bearer ${bearer}` };
    const id = '6f0a4b2c-1d3e-4f5a-8b6c-7d8e9f0a1b2c';
    const from = logs.length;
    for (const [path, status] of [[`/beta/deviceAppManagement/vppTokens/${bearer}`, 400], [`/beta/deviceAppManagement/vppTokens(%27${bearer}%27)`, 400], [`/beta/deviceAppManagement/vppTokens/${id}`, 404]] as const) {
      expect((await call(path, { headers })).status).toBe(status);
    }
    const lines = logs.slice(from);
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).not.toContain(bearer.slice(0, 24));
    expect(lines[0]).toMatch(/^GET \/beta\/deviceAppManagement\/vppTokens\/\[token\] 400 /);
    expect(lines[1]).toMatch(/^GET \/beta\/deviceAppManagement\/vppTokens\(%27\[token\]%27\) 400 /);
    // The same characters from a request that does not carry them as its credential are an id, and logged.
    expect(lines[2]).toMatch(new RegExp(`^GET /beta/deviceAppManagement/vppTokens/${id} 404 `));
  });

  // Outside attacker R66 (decision 0650): a client that takes the Apple token inside its sToken for the key reads back
  // by it; the read carries no credential of its own, so the line showed it. The provider knows it: it stored the
  // create. Hidden raw, percent-encoded and quoted as a key; an Apple token the store does not hold is an unknown key.
  it('never logs the Apple token of a vppToken it holds, where a read-back puts it in the path; one it does not hold is a key', async () => {
    const { token } = createRequestFactory.buildAt(70);
    const apple = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { token: string }).token;
    expect(apple).toContain('/');
    const other = (JSON.parse(Buffer.from(createRequestFactory.buildAt(71).token, 'base64').toString('utf8')) as { token: string }).token.replace(/[+/=]/g, 'x');
    expect((await post({ token })).status).toBe(201);
    const from = logs.length;
    const base = '/beta/deviceAppManagement/vppTokens';
    for (const path of [`${base}/${encodeURIComponent(apple)}`, `${base}(%27${encodeURIComponent(apple)}%27)`, `${base}/${apple}`, `${base}/${other}`]) {
      expect((await call(path, { headers: AUTH })).status).toBeGreaterThanOrEqual(400);
    }
    const lines = logs.slice(from);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).join('\n')).not.toContain(encodeURIComponent(apple).slice(0, 24));
    expect(lines.slice(0, 3).join('\n')).not.toContain(apple.slice(0, 24));
    expect(lines[0]).toMatch(/^GET \/beta\/deviceAppManagement\/vppTokens\/\[token\] 404 /);
    expect(lines[1]).toMatch(/^GET \/beta\/deviceAppManagement\/vppTokens\(%27\[token\]%27\) 404 /);
    expect(lines[2]).toMatch(/^GET \/beta\/deviceAppManagement\/vppTokens\/\[token\] \d+ /);
    // Characters no vppToken held: a key as any other, logged.
    expect(lines[3]).toContain(`vppTokens/${other} 404 `);
  });

  // Decision 0683 (R66's rest): the Apple token spelt otherwise was logged: every byte percent-encoded, encoded twice,
  // lower-cased, or beside a malformed escape (decodeURIComponent refused the whole path, so it was not decoded); and
  // another caller's sToken with every byte encoded had no mark the redaction knew.
  it('never logs a held Apple token or any sToken spelt otherwise in the path or the query; a read by an id and a malformed escape alone are logged as sent', async () => {
    const { token } = createRequestFactory.buildAt(72);
    const apple = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { token: string }).token;
    const another = createRequestFactory.buildAt(73).token;
    const everyByte = (text: string) => [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    expect((await post({ token })).status).toBe(201);
    const from = logs.length;
    const base = '/beta/deviceAppManagement/vppTokens';
    const id = '5a8e0b1c-2d3f-4e5a-8b6c-7d8e9f0a1b2c';
    const paths = [
      `${base}/${everyByte(apple)}`,
      `${base}/${encodeURIComponent(encodeURIComponent(apple))}`,
      `${base}/${encodeURIComponent(apple).toLowerCase()}`,
      `${base}/${encodeURIComponent(apple)}/%zz`,
      `${base}/${everyByte(another)}`,
      `${base}/${id}/%zz`,
      // A query value: the line names the path alone, never a query (any credential in it stays out).
      `${base}?$filter=${encodeURIComponent(`displayName eq '${apple}'`)}&x=${everyByte(another)}`,
    ];
    for (const path of paths) expect((await call(path, { headers: AUTH })).status).toBeGreaterThanOrEqual(400);
    const lines = logs.slice(from);
    expect(lines).toHaveLength(7);
    const text = lines.join('\n');
    for (const secret of [apple, another]) for (const spelling of [secret, encodeURIComponent(secret), everyByte(secret), encodeURIComponent(encodeURIComponent(secret))]) expect(text.toLowerCase()).not.toContain(spelling.slice(8, 32).toLowerCase());
    expect(lines.slice(0, 5).every((line) => /^GET \/beta\/deviceAppManagement\/vppTokens\/\[token\](\/%zz)? \d+ /.test(line))).toBe(true);
    expect(lines[5]).toMatch(new RegExp(`^GET /beta/deviceAppManagement/vppTokens/${id}/%zz \\d+ `));
    expect(lines[6]).toMatch(/^GET \/beta\/deviceAppManagement\/vppTokens \d+ /);
  });
});

// Decision 0215 (outside tester I20): the mock answers a JSON batch as Graph does, each request inside it as if sent alone.
describe('POST /$batch (JSON batching)', () => {
  const batch = (requests: unknown, headers: Record<string, string> = AUTH) => call('/beta/$batch', { method: 'POST', headers, body: JSON.stringify({ requests }) });
  const create = (id: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) => ({ id, method: 'POST', url: '/deviceAppManagement/vppTokens', headers, body });

  // Graph lists a batch's answers in any order, matched by id (json-batching): the mock lists each one place before its
  // request's, the first request's last, so a client that reads them by place fails (decision 0541).
  it('answers 200 with one answer per request, each listed one place before its request\'s: a create 201 with its Location, a refused one with Graph\'s error, a read 200', async () => {
    const before = provider.vppTokens.size;
    const good = { ...createRequestFactory.buildAt(60), displayName: 'made inside a batch' };
    const { status, headers, body } = await batch([create('a', good), create('b', { ...createRequestFactory.buildAt(61), vppTokenAccountType: 'String' }), { id: 'c', method: 'GET', url: 'deviceAppManagement/vppTokens?$top=1' }]);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.responses.map((r: { id: string; status: number }) => [r.id, r.status])).toEqual([['b', 400], ['c', 200], ['a', 201]]);
    const [refused, list, created] = body.responses;
    expect(problemsOf('response', created.body)).toEqual([]);
    expect(created.body.displayName).toBe('made inside a batch');
    expect(created.headers.Location).toBe(`${provider.url}/beta/deviceAppManagement/vppTokens('${created.body.id}')`);
    expect(created.body['@odata.context']).toBe(`${provider.url}/beta/$metadata#deviceAppManagement/vppTokens/$entity`);
    expect(refused.body.error).toMatchObject({ code: 'BadRequest' });
    expect(refused.body.error.message).toMatch(/vppTokenAccountType/);
    expect(list.body.value).toHaveLength(1);
    expect(provider.vppTokens.size).toBe(before + 1);
  });

  // Decision 0612: the batch's access token in the url of a request inside that gives its own, refused as its own is (0327).
  it("refuses a request inside whose url holds the batch's access token, and answers one whose url holds neither bearer", async () => {
    const carrier = 'batch-access-token-0123456789';
    const own = { Authorization: 'Bearer member-access-token-9876543210' };
    const read = (id: string, url: string) => ({ id, method: 'GET', url, headers: own });
    const { status, body } = await batch([read('1', `deviceAppManagement/vppTokens?x=${carrier}`), read('2', `deviceAppManagement/vppTokens/${carrier}`), read('3', 'deviceAppManagement/vppTokens?$top=1')], { ...AUTH, Authorization: `Bearer ${carrier}` });
    expect(status).toBe(200);
    const byId = Object.fromEntries(body.responses.map((r: { id: string; status: number; body: { error?: { message: string } } }) => [r.id, [r.status, r.body.error?.message]]));
    expect(byId).toEqual({
      '1': [400, "The query carries the access token of the JSON batch that carries the request in 'x': send it only in the batch's Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown."],
      '2': [400, "The path carries the access token of the JSON batch that carries the request: send it only in the batch's Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown."],
      '3': [200, undefined],
    });
  });

  it('refuses a batch Graph refuses as a whole (ids twice, more than 20, no bearer) and creates nothing inside it', async () => {
    const before = provider.vppTokens.size;
    const twice = await batch([create('1', createRequestFactory.buildAt(62)), create('1', createRequestFactory.buildAt(63))]);
    expect([twice.status, twice.body.error.code]).toEqual([400, 'BadRequest']);
    expect(twice.body.error.message).toBe('The batch request is not valid: body /requests/1/id: is the id of request 0 as well: each id in a batch must be unique (ids are not case-sensitive).');
    const many = await batch(Array.from({ length: 21 }, (_, i) => create(String(i), createRequestFactory.buildAt(70 + i))));
    expect([many.status, many.body.error.message]).toEqual([400, 'The batch request is not valid: body /requests: holds 21 requests: a JSON batch holds at most 20.']);
    const anonymous = await batch([create('1', createRequestFactory.buildAt(64))], { 'Content-Type': 'application/json' });
    expect(anonymous.status).toBe(401);
    const notJson = await call('/beta/$batch', { method: 'POST', headers: { ...AUTH, 'Content-Type': 'text/plain' }, body: JSON.stringify({ requests: [create('1', createRequestFactory.buildAt(65))] }) });
    expect(notJson.status).toBe(415);
    expect(provider.vppTokens.size).toBe(before);
  });

  // Outside tester N4: "any request that depends on that request fails with status code 424 (Failed Dependency)" (json-batching).
  it('runs each request after those it dependsOn, and answers 424 to one whose dependency failed, running nothing of it', async () => {
    const before = provider.vppTokens.size;
    const counted = { id: 'count', method: 'GET', url: '/deviceAppManagement/vppTokens/$count', dependsOn: ['made'] };
    const { status, body } = await batch([
      create('broken', { token: '' }),
      { ...create('after-broken', createRequestFactory.buildAt(80)), dependsOn: ['broken'] },
      { ...create('after-that', createRequestFactory.buildAt(81)), dependsOn: ['AFTER-broken'] },
      // Listed before the create it depends on: it runs after it, and counts it.
      counted,
      create('made', createRequestFactory.buildAt(82)),
    ]);
    expect(status).toBe(200);
    // Each one place before its request's (decision 0541), whatever order they ran in.
    expect(body.responses.map((r: { id: string; status: number }) => [r.id, r.status])).toEqual([['after-broken', 424], ['after-that', 424], ['count', 200], ['made', 201], ['broken', 400]]);
    const [notRun, notRunEither, count] = body.responses;
    expect(notRun.body.error).toMatchObject({ code: 'FailedDependency', message: 'The request was not run: it depends on the request with the id "broken", which failed (400).' });
    expect(notRunEither.body.error.message).toBe('The request was not run: it depends on the request with the id "AFTER-broken", which failed (424).');
    expect(problemsOf('error', notRun.body)).toEqual([]);
    expect(provider.vppTokens.size).toBe(before + 1);
    expect(Buffer.from(count.body, 'base64').toString()).toBe(String(before + 1));
  });

  // Outside tester R23: `"dependsOn": null` was refused, and might be Graph's "none". OData JSON Format 4.01 §19.1 makes
  // it an array of ids, optional; OData.NET's batch reader reads only an array (decision 0460): null stays refused,
  // with what to do, and an empty array or none at all is taken.
  it('refuses a request whose dependsOn is null, saying to leave it out, and takes an empty one or none', async () => {
    const before = provider.vppTokens.size;
    const nulled = await batch([{ ...create('1', createRequestFactory.buildAt(86)), dependsOn: null }]);
    expect([nulled.status, nulled.body.error.message]).toEqual([400, 'The batch request is not valid: body /requests/0/dependsOn: must be an array of the ids of other requests in the batch (got null): leave dependsOn out when the request waits for none.']);
    const named = await batch([{ ...create('1', createRequestFactory.buildAt(86)), dependsOn: 'made' }]);
    expect(named.body.error.message).toMatch(/dependsOn: must be an array of the ids of other requests in the batch \(got string\)/);
    expect(provider.vppTokens.size).toBe(before);
    const empty = await batch([{ ...create('1', createRequestFactory.buildAt(86)), dependsOn: [] }, create('2', createRequestFactory.buildAt(87))]);
    expect([empty.status, empty.body.responses.map((r: { status: number }) => r.status)]).toEqual([200, [201, 201]]);
    expect(provider.vppTokens.size).toBe(before + 2);
  });

  // Outside tester N20: Graph gives an inner body that is not JSON as its bytes in base64 (the SDKs' BatchResponseContent decode it).
  it('gives an inner answer that is not JSON, the count as text/plain, as a base64 string; a JSON one as its value', async () => {
    const { body } = await batch([{ id: '1', method: 'GET', url: '/deviceAppManagement/vppTokens/$count' }, { id: '2', method: 'GET', url: '/deviceAppManagement/vppTokens?$top=1&$select=id' }]);
    const [count, list] = ['1', '2'].map((id) => body.responses.find((r: { id: string }) => r.id === id));
    expect(count.headers['Content-Type']).toBe('text/plain');
    expect(count.body).toBe(Buffer.from(String(provider.vppTokens.size)).toString('base64'));
    expect(list.headers['Content-Type']).toMatch(/^application\/json/);
    expect(list.body.value).toHaveLength(1);
  });

  it('refuses a batch whose requests wait for each other, naming the cycle, and runs none of it', async () => {
    const before = provider.vppTokens.size;
    const cycle = await batch([
      { ...create('1', createRequestFactory.buildAt(83)), dependsOn: ['3'] },
      { ...create('2', createRequestFactory.buildAt(84)), dependsOn: ['1'] },
      { ...create('3', createRequestFactory.buildAt(85)), dependsOn: ['2'] },
    ]);
    expect([cycle.status, cycle.body.error.message]).toEqual([400, 'The batch request is not valid: body /requests/0/dependsOn: waits for a request that waits for it ("1" -> "3" -> "2" -> "1"): no request of the cycle can run.']);
    expect(provider.vppTokens.size).toBe(before);
  });
});

describe('GET', () => {
  it('lists with $top and @odata.nextLink paging, and reads one by id', async () => {
    for (const i of [0, 1, 2]) expect((await post(createRequestFactory.withSeed(12).buildAt(i))).status).toBe(201);
    const seen: string[] = [];
    let next: string | undefined = `${provider.url}/beta/deviceAppManagement/vppTokens?$top=2`;
    while (next) {
      const response = await fetch(next, { headers: AUTH });
      const page = (await response.json()) as { value: { id: string }[]; '@odata.nextLink'?: string };
      expect(page.value.length).toBeLessThanOrEqual(2);
      seen.push(...page.value.map((t) => t.id));
      next = page['@odata.nextLink'];
    }
    expect(seen).toEqual([...provider.vppTokens.keys()]);
    const one = await call(`/deviceAppManagement/vppTokens/${seen[0]}`, { headers: AUTH });
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(seen[0]);
    expect((await call(`/v1.0/deviceAppManagement/vppTokens('${seen[1]}')`, { headers: AUTH })).body.id).toBe(seen[1]);
    expect((await call('/deviceAppManagement/vppTokens/00000000-0000-4000-8000-000000000000', { headers: AUTH })).status).toBe(404);
  });

  it('rejects a bad $top and needs a token', async () => {
    expect((await call('/deviceAppManagement/vppTokens?$top=0', { headers: AUTH })).status).toBe(400);
    expect((await call('/deviceAppManagement/vppTokens?$top=abc', { headers: AUTH })).status).toBe(400);
    expect((await call('/deviceAppManagement/vppTokens')).status).toBe(401);
  });

  // Outside tester L10: `?x=<sToken>` was refused and `$filter=token eq '<sToken>'` passed, though both put the VPP
  // token in the URL (RFC 6750 §5.3). The mock and check-client's verdict refuse it by the one rule, inside any value.
  it('refuses a VPP token or a Bearer value inside a $filter, as under any other name; a filter without one passes', async () => {
    const sent = createRequestFactory.withSeed(13).buildAt(0);
    expect((await post(sent)).status).toBe(201);
    const bearer = 'Zq9xLmP4vT7wRb2kYc8nHs5dJf3gA6eU';
    const list = '/beta/deviceAppManagement/vppTokens';
    const refused: [string, string][] = [
      [`token eq '${sent.token}'`, 'VPP token'],
      [`startswith(token,'${sent.token.slice(0, 40)}')`, 'VPP token'],
      [`displayName eq 'Bearer ${bearer}'`, 'bearer'],
    ];
    for (const [filter, what] of refused) {
      const query = `$filter=${encodeURIComponent(filter)}`;
      const answer = await call(`${list}?${query}`, { headers: AUTH });
      const message = `The query carries a ${what} in '$filter': send it only in the ${what === 'bearer' ? 'Authorization header (RFC 6750 §2.3; a URL ends up in logs)' : 'body (a URL ends up in logs)'}. The value is not shown.`;
      expect([answer.status, answer.body?.error?.message]).toEqual([400, message]);
      const judged = checkClientRequest({ method: 'GET', path: list, query, headers: { authorization: AUTH.Authorization }, body: undefined }, 'beta');
      expect(judged.problems.map(formatRequestProblem)).toEqual([`query: ${message}`]);
    }
    for (const filter of [`displayName eq '${sent.displayName ?? 'x'}'`, "startswith(token,'c2Vj')", "displayName eq 'Bearer of good news'"]) {
      const query = `$filter=${encodeURIComponent(filter)}`;
      expect((await call(`${list}?${query}`, { headers: AUTH })).status).toBe(200);
      expect(checkClientRequest({ method: 'GET', path: list, query, headers: { authorization: AUTH.Authorization }, body: undefined }, 'beta').problems).toEqual([]);
    }
  });

  // Only a `Bearer …` value was looked for in a URL: the request's own access token without its scheme, in a $filter
  // or where the id goes (outside tester L9's client), passed. One rule (decision 0327) looks for the request's own
  // Authorization bearer there, in any spelling: the mock refuses it and check-client's verdict fails it alike.
  it("refuses the request's own bearer in its query or path, without its scheme; the same text under another bearer passes", async () => {
    const bearer = 'Zq9xLmP4vT7wRb2kYc8nHs5dJf3gA6eU';
    const own = { ...AUTH, Authorization: `Bearer ${bearer}` };
    const list = '/beta/deviceAppManagement/vppTokens';
    const said = (where: string, what: string) => `The ${where} carries the request's own access token${what}: send it only in the Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown.`;
    const cases: [string, string, string, string][] = [
      ['GET', list, `$filter=${encodeURIComponent(`displayName eq '${bearer}'`)}`, `query: ${said('query', " in '$filter'")}`],
      ['GET', list, `$filter=${encodeURIComponent(`startswith(displayName,'${bearer.slice(0, 24)}')`)}`, `query: ${said('query', " in '$filter'")}`],
      ['GET', list, `note=${encodeURIComponent(Buffer.from(bearer).toString('base64'))}`, `query: ${said('query', " in 'note'")}`],
      ['GET', `${list}/${bearer}`, '', `path: ${said('path', '')}`],
      ['GET', `${list}('${bearer}')`, '', `path: ${said('path', '')}`],
      ['POST', list, `note=${bearer}`, `query: ${said('query', " in 'note'")}`],
    ];
    for (const [method, path, query, problem] of cases) {
      const answer = await call(query ? `${path}?${query}` : path, { method, headers: own, ...(method === 'POST' ? { body: JSON.stringify(createRequestFactory.withSeed(14).buildAt(0)) } : {}) });
      expect([answer.status, answer.body?.error?.message]).toEqual([400, problem.replace(/^\w+: /, '')]);
      const judged = checkClientRequest({ method, path, query, headers: { authorization: own.Authorization, 'content-type': 'application/json' }, body: method === 'POST' ? JSON.stringify(createRequestFactory.withSeed(14).buildAt(0)) : undefined }, 'beta');
      expect(judged.problems.map(formatRequestProblem)).toEqual([problem]);
      // The same URL under another bearer holds no credential of its request.
      if (method === 'GET') {
        expect((await call(query ? `${path}?${query}` : path, { headers: AUTH })).status).toBe(path === list ? 200 : 404);
        expect(checkClientRequest({ method, path, query, headers: { authorization: AUTH.Authorization }, body: undefined }, 'beta').problems).toEqual([]);
      }
    }
  });
});
