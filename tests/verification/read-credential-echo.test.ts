// 0860's leftover (decision 0900): a read's answer (conform's read-back and collection pages, the proxy's reads of the
// vppTokens) was looked at for the bearer only, not for the credentials of the request's other header lines
// (`--header X-Api-Key=...`), which the create's judgement looks for by the same rule. One reading of the request's
// lines (answerContextOfLines) for a create's answer and a read's; 0770's own data passes in a read as in a create.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequestFactory, createdVppToken } from '../../src';
import { conform } from '../../src/conform';
import { judgeReadEcho } from '../../src/judgement';
import { startReferenceProvider } from '../../src/provider';
import { frontOf } from '../support/front';
import { loopbackServers } from '../support/listen';
import { through } from '../support/through-proxy';
import { FAULT_IN_EVERY_ANSWER } from '../support/conform-budget';
import { testEnd } from '../support/test-end';

const JSON_TYPE = 'application/json;odata.metadata=minimal;charset=utf-8';
const KEY = 'SecretKey0123456789';
const BEARER = 'abcdefghijklmnop-0900';
const ECHO = "must not contain the credential of the request's X-Api-Key header (not shown): an answer never carries a credential of its request";
const factory = createRequestFactory.withSeed(900).buildAt(0);
const inner = (JSON.parse(Buffer.from(factory.token, 'base64').toString('utf8')) as { token: string }).token;
const sTokenOf = (orgName: string) => Buffer.from(JSON.stringify({ token: inner, expDate: '2041-06-09T09:57:17-0700', orgName }), 'utf8').toString('base64');
const id = '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60';
/** A vppToken as the collection lists it, of an sToken naming `orgName`. */
const listed = (orgName: string) => createdVppToken({ ...factory, token: sTokenOf(orgName) }, { id, now: new Date() });
const page = (body: unknown, headers: string[] = []) => ({ status: 200, headers: {}, rawHeaders: ['Content-Type', JSON_TYPE, ...headers], bytes: Buffer.from(JSON.stringify(body)), body: undefined });
const requestLines = (key: string) => ['Authorization', `Bearer ${BEARER}`, 'X-Api-Key', key, 'client-request-id', 'b1f2c3d4-0000-4000-8000-000000000900'];
const read = (body: unknown, key: string, headers: string[] = [], created?: unknown) => judgeReadEcho(page(body, headers), requestLines(key), created).map((p) => `${p.where}: ${p.message}`);

describe("a read's answer is looked at for the request's header credentials as a create's is (decision 0900)", () => {
  it('fails a page or a read by id that carries the X-Api-Key value, and passes the same answer without it', () => {
    const plain = { value: [listed('Rau Labs')] };
    expect(read(plain, KEY, ['X-Echo', `key=${KEY}`])).toEqual([`header X-Echo: ${ECHO}`]);
    expect(read({ ...plain, '@odata.nextLink': `https://graph.microsoft.com/beta/deviceAppManagement/vppTokens?$skiptoken=${encodeURIComponent(KEY)}` }, KEY)).toEqual([`body /@odata.nextLink: ${ECHO}`]);
    expect(read(plain, KEY)).toEqual([]);
    // Read by id, its create given: the key in the vppToken's displayName is an echo; the create's own values are not.
    const sent = { ...factory, token: sTokenOf('Rau Labs') };
    expect(read({ ...listed('Rau Labs'), displayName: `by ${KEY}` }, KEY, [], sent)).toEqual([`body /displayName: ${ECHO}`]);
    expect(read(listed('Rau Labs'), KEY, [], sent)).toEqual([]);
    // The bearer as before, and a client-request-id answered back is no credential.
    expect(read(plain, KEY, ['X-Debug-Auth', BEARER, 'client-request-id', 'b1f2c3d4-0000-4000-8000-000000000900']).map((p) => p.split(':')[0])).toEqual(['header X-Debug-Auth']);
    expect(read(plain, KEY, ['X-Echo', KEY]).join('\n')).not.toContain(`${KEY} `);
  });

  it("passes a page listing a vppToken whose own sToken holds the key (0770's own data), and fails the key elsewhere", () => {
    const own = { value: [listed('Rau Partners')] };
    expect(read(own, 'Partners')).toEqual([]);
    // The other way: the same key echoed by a page whose vppTokens' data do not hold it.
    expect(read({ value: [listed('Rau Labs')] }, 'Partners', ['X-Echo', 'key Partners'])).toEqual([`header X-Echo: ${ECHO}`]);
    expect(read({ value: [{ ...listed('Rau Labs'), organizationName: 'Rau Partners' }] }, 'Partners')).toEqual([`body /value/0/organizationName: ${ECHO}`]);
  });
});

describe("the proxy judges the answers to its client's reads of the vppTokens for the request's credentials (decision 0900)", () => {
  const serve = loopbackServers();
  /** A target answering every read with `body`, echoing the request's X-Api-Key in X-Echo when `echo`. */
  const target = (body: unknown, echo: boolean) =>
    serve((req, res) => {
      req.resume();
      req.on('end', () => {
        const text = JSON.stringify(body);
        res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': String(Buffer.byteLength(text)), ...(echo ? { 'X-Echo': `key=${String(req.headers['x-api-key'])}` } : {}) });
        res.end(text);
      });
    });
  const get = (url: string, path: string, key: string, method = 'GET') =>
    new Promise<number>((resolve, reject) => {
      const out = httpRequest(`${url}${path}`, { method, headers: { Authorization: `Bearer ${BEARER}`, 'X-Api-Key': key } }, (answer) => {
        answer.resume();
        answer.on('end', () => resolve(answer.statusCode ?? 0));
      });
      out.on('error', reject);
      out.end();
    });

  it.each([
    ['the collection', '/deviceAppManagement/vppTokens', { value: [listed('Rau Labs')] }, 'GET'],
    ['one vppToken by id', `/deviceAppManagement/vppTokens/${id}`, listed('Rau Labs'), 'GET'],
    ['the collection by HEAD', '/deviceAppManagement/vppTokens', { value: [] }, 'HEAD'],
  ])('fails an answer to a read of %s that carries the X-Api-Key value, forwarding it as it came; the same answer without it passes', async (_what, path, body, method) => {
    for (const echo of [true, false]) {
      await through(`${await target(body, echo)}/beta`, async (proxy, lines) => {
        expect(await get(proxy.url, path, KEY, method)).toBe(200);
        expect(proxy.violations.map((v) => `${v.request} ${v.side} ${v.check} ${v.where}: ${v.message}`)).toEqual(echo ? [`1 provider credentials not echoed header X-Echo: ${ECHO}`] : []);
        expect(lines.join('\n')).not.toContain(KEY);
      });
    }
  });

  it("fails a read inside a JSON batch whose answer carries its X-Api-Key or the batch's bearer, and passes the same batch without them", async () => {
    const batchTarget = (echo: 'key' | 'bearer' | 'none') =>
      serve((req, res) => {
        const parts: Buffer[] = [];
        req.on('data', (c: Buffer) => parts.push(c));
        req.on('end', () => {
          const member = (JSON.parse(Buffer.concat(parts).toString()) as { requests: { id: string; headers: Record<string, string> }[] }).requests[0];
          const headers: Record<string, string> = { 'Content-Type': JSON_TYPE, ...(echo === 'key' ? { 'X-Echo': `key=${member.headers['X-Api-Key']}` } : {}) };
          const body = { value: [], ...(echo === 'bearer' ? { debug: String(req.headers.authorization) } : {}) };
          const text = JSON.stringify({ responses: [{ id: member.id, status: 200, headers, body }] });
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) }).end(text);
        });
      });
    const batch = (url: string) =>
      new Promise<number>((resolve, reject) => {
        const text = JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/deviceAppManagement/vppTokens', headers: { 'X-Api-Key': KEY } }] });
        const out = httpRequest(`${url}/$batch`, { method: 'POST', headers: { Authorization: `Bearer ${BEARER}`, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) } }, (answer) => {
          answer.resume();
          answer.on('end', () => resolve(answer.statusCode ?? 0));
        });
        out.on('error', reject);
        out.end(text);
      });
    for (const [echo, expected] of [
      ['key', [`1 1 provider credentials not echoed header X-Echo: ${ECHO}`]],
      ['bearer', ["1 1 provider credentials not echoed body /debug: must not contain the request's bearer token (not shown): an answer never carries a credential of its request"]],
      ['none', []],
    ] as const) {
      await through(`${await batchTarget(echo)}/beta`, async (proxy, lines) => {
        expect(await batch(proxy.url)).toBe(200);
        expect([echo, proxy.violations.map((v) => `${v.request} ${v.batchId} ${v.side} ${v.check} ${v.where}: ${v.message}`)]).toEqual([echo, expected]);
        expect(lines.join('\n')).not.toContain(KEY);
        expect(lines.join('\n')).not.toContain(BEARER);
        // The batch's line says it, as a create's does.
        expect(lines.filter((l) => l.startsWith('request 1: POST')).map((l) => l.replace(/ [\d.]+ms/, ''))).toEqual([`request 1: POST /$batch -> 200${expected.length ? ': 1 violation' : ''}`]);
      });
    }
  });

  it("passes a page whose listed vppToken's own sToken holds the key, and a read outside the vppTokens is not judged", async () => {
    await through(`${await target({ value: [listed('Rau Partners')] }, false)}/beta`, async (proxy) => {
      expect(await get(proxy.url, '/deviceAppManagement/vppTokens', 'Partners')).toBe(200);
      expect(proxy.violations).toEqual([]);
    });
    await through(`${await target({ value: [] }, true)}/beta`, async (proxy) => {
      expect(await get(proxy.url, '/me', KEY)).toBe(200);
      expect(proxy.violations).toEqual([]);
    });
  });
});

describe("conform judges its reads' answers for its --header credentials (decision 0900)", () => {
  /** The reference provider behind a front that answers every GET as the provider did, with the request's X-Api-Key in X-Echo when `echo`. */
  const echoingFront = (provider: { url: string }, on: (path: string) => boolean) =>
    frontOf(provider, (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== 'GET' || !on(req.url ?? '')) return false;
      httpRequest(`${provider.url}${req.url}`, { headers: req.headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          const text = Buffer.concat(parts);
          res.writeHead(answer.statusCode ?? 502, { 'Content-Type': String(answer.headers['content-type']), 'Content-Length': String(text.length), 'X-Echo': `key=${String(req.headers['x-api-key'])}` });
          res.end(text);
        });
      }).end();
      return true;
    });

  it('fails a read by id that carries the key and passes its pages without it, and the other way round', async () => {
    const provider = await startReferenceProvider({ bodyLimit: 64 * 1024 });
    const byId = await echoingFront(provider, (path) => /vppTokens\/./.test(path));
    const pages = await echoingFront(provider, (path) => /vppTokens(\?|$)/.test(path));
    try {
      // The collection is read at a run's end, which --max-requests never reaches: that run is whole (runs: 1). Each
      // run reads both ways under the same key: the reads the front leaves alone pass.
      const found = async (url: string, budget: object) => {
        const result = await conform({ signal: testEnd(), providerBaseUrl: `${url}/beta`, bearer: BEARER, headers: { 'X-Api-Key': KEY }, seed: 9, checks: ['credentials not echoed', 'read-back'], ...budget, bodyLimit: 64 * 1024 });
        expect(JSON.stringify(result)).not.toContain(KEY);
        return result.findings.map((f) => `${f.check} ${f.where}: ${f.message}`);
      };
      expect(await found(byId.url, FAULT_IN_EVERY_ANSWER)).toEqual([`credentials not echoed GET by id: GET /deviceAppManagement/vppTokens/{id}: header X-Echo ${ECHO}`]);
      expect(await found(pages.url, { runs: 1 })).toEqual([`credentials not echoed collection: GET /beta/deviceAppManagement/vppTokens: header X-Echo ${ECHO}`]);
    } finally {
      await Promise.all([byId.close(), pages.close(), provider.close()]);
    }
  });
});

describe("the proxy holds its client's reads of the vppTokens to the whole read rule conform's read-back applies (0900, 0971; decision 1050)", () => {
  const serve = loopbackServers();
  const GRAPH_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
  const ROOT = 'https://graph.microsoft.com/beta/$metadata';
  /** A target answering each path (and query) asked with its own [content type, body], a batch's member reads each by the same table. */
  const target = (answers: Record<string, [string, unknown]>) =>
    serve((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const asked = decodeURIComponent((req.url ?? '').replace(/^\/beta/, ''));
        const one = (url: string): [string, string] => {
          const [type, body] = answers[url] ?? ['text/plain', 'no such read'];
          return [type, typeof body === 'string' ? body : JSON.stringify(body)];
        };
        if (asked === '/$batch') {
          const members = (JSON.parse(Buffer.concat(parts).toString()) as { requests: { id: string; url: string }[] }).requests;
          const text = JSON.stringify({ responses: members.map((m) => ({ id: m.id, status: 200, headers: { 'Content-Type': one(m.url)[0] }, body: JSON.parse(one(m.url)[1]) })) });
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) }).end(text);
          return;
        }
        const [type, text] = one(asked);
        res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(text)) }).end(req.method === 'HEAD' ? undefined : text);
      });
    });
  const ask = (url: string, path: string, method = 'GET', body?: string) =>
    new Promise<number>((resolve, reject) => {
      const out = httpRequest(`${url}${path}`, { method, headers: { Authorization: `Bearer ${BEARER}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) } }, (answer) => {
        answer.resume();
        answer.on('end', () => resolve(answer.statusCode ?? 0));
      });
      out.on('error', reject);
      out.end(body);
    });
  const one = listed('Rau Labs');
  const COLLECTION = '/deviceAppManagement/vppTokens';
  const BY_ID = `${COLLECTION}/${id}`;
  const violations = (proxy: { violations: readonly { request: number; batchId?: string; side: string; check: string; where: string; message: string }[] }) => proxy.violations.map((v) => `${v.request}${v.batchId === undefined ? '' : ` ${v.batchId}`} ${v.side} ${v.check} ${v.where}: ${v.message}`);

  it("passes a Graph-like target's reads: its context, odata.metadata=none without one, a select list, charset spellings, a batch's reads, HEAD and $count", async () => {
    const url = await target({
      [COLLECTION]: [GRAPH_TYPE, { '@odata.context': `${ROOT}#deviceAppManagement/vppTokens`, value: [one] }],
      [BY_ID]: [GRAPH_TYPE, { '@odata.context': `${ROOT}#deviceAppManagement/vppTokens/$entity`, ...one }],
      [`${COLLECTION}?$select=id`]: ['application/json; charset=utf-8', { '@odata.context': `${ROOT}#deviceAppManagement/vppTokens(id)`, value: [{ id }] }],
      [`${BY_ID}?$select=id`]: ['application/json;odata.metadata=none;charset=UTF-8', { id }],
      [`${COLLECTION}/$count`]: ['text/plain;charset=utf-8', '1'],
    });
    await through(`${url}/beta`, async (proxy) => {
      for (const path of [COLLECTION, BY_ID, `${COLLECTION}?$select=id`, `${BY_ID}?$select=id`, `${COLLECTION}/$count`]) expect([path, await ask(proxy.url, path)]).toEqual([path, 200]);
      expect(await ask(proxy.url, COLLECTION, 'HEAD')).toBe(200);
      const batch = JSON.stringify({ requests: [{ id: '1', method: 'GET', url: COLLECTION }, { id: '2', method: 'GET', url: BY_ID }] });
      expect(await ask(proxy.url, '/$batch', 'POST', batch)).toBe(200);
      expect(violations(proxy)).toEqual([]);
    });
  });

  // Decision 1181: a relative context is resolved against the URL the target was asked (RFC 3986 §5.1.3), not the collection's.
  it("resolves a read's relative context against the URL the target was asked: ../../$metadata by id is the root, ../$metadata is not", async () => {
    const url = await target({
      [BY_ID]: [GRAPH_TYPE, { '@odata.context': '../../$metadata#deviceAppManagement/vppTokens/$entity', ...one }],
      [`${COLLECTION}?$top=1`]: [GRAPH_TYPE, { '@odata.context': '../$metadata#deviceAppManagement/vppTokens', value: [one] }],
      [`${BY_ID}?$select=id`]: [GRAPH_TYPE, { '@odata.context': '../$metadata#deviceAppManagement/vppTokens/$entity', id }],
    });
    await through(`${url}/beta`, async (proxy) => {
      for (const path of [BY_ID, `${COLLECTION}?$top=1`, `${BY_ID}?$select=id`]) expect([path, await ask(proxy.url, path)]).toEqual([path, 200]);
      expect(violations(proxy)).toEqual([
        expect.stringMatching(/^3 provider resource identity body \/@odata\.context: must be <service root>\/\$metadata#deviceAppManagement\/vppTokens\/\$entity, the root the read was sent to .* it names "http:\/\/127\.0\.0\.1:\d+\/beta\/deviceAppManagement\/\$metadata"/),
      ]);
    });
  });

  it("fails a target answering a read text/plain or with another resource's or the other read's context, named with the request number and the batch member", async () => {
    const url = await target({
      [COLLECTION]: ['text/plain', { value: [one] }],
      [BY_ID]: [GRAPH_TYPE, { '@odata.context': `${ROOT}#deviceManagement/vppTokens/$entity`, ...one }],
      [`${COLLECTION}?$top=1`]: [GRAPH_TYPE, { '@odata.context': `${ROOT}#deviceAppManagement/vppTokens/$entity`, value: [one] }],
      [`${BY_ID}?$select=id`]: [GRAPH_TYPE, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#deviceAppManagement/vppTokens/$entity', id }],
    });
    await through(`${url}/beta`, async (proxy, lines) => {
      for (const path of [COLLECTION, BY_ID, `${COLLECTION}?$top=1`, `${BY_ID}?$select=id`]) expect([path, await ask(proxy.url, path)]).toEqual([path, 200]);
      const batch = JSON.stringify({ requests: [{ id: 'a', method: 'GET', url: BY_ID }] });
      expect(await ask(proxy.url, '/$batch', 'POST', batch)).toBe(200);
      expect(violations(proxy)).toEqual([
        '1 provider content type header Content-Type: must be application/json, parameters allowed (got "text/plain")',
        `2 provider resource identity body /@odata.context: must be the context of one vppToken, <service root>/$metadata#deviceAppManagement/vppTokens/$entity (got "${ROOT}#deviceManagement/vppTokens/$entity")`,
        `3 provider resource identity body /@odata.context: must be the context of the vppTokens collection, <service root>/$metadata#deviceAppManagement/vppTokens: it is the context of one vppToken, not of the collection (OData JSON 4.01 §10: a collection has no /$entity) (got "${ROOT}#deviceAppManagement/vppTokens/$entity")`,
        '4 provider resource identity body /@odata.context: must be the context of one vppToken of the version the read was sent to, .../beta/$metadata#deviceAppManagement/vppTokens/$entity: it names v1.0 (got "https://graph.microsoft.com/v1.0/$metadata#deviceAppManagement/vppTokens/$entity")',
        `5 a provider resource identity body /@odata.context: must be the context of one vppToken, <service root>/$metadata#deviceAppManagement/vppTokens/$entity (got "${ROOT}#deviceManagement/vppTokens/$entity")`,
      ]);
      expect(lines.filter((l) => /^request [1-5]: .* -> /.test(l)).map((l) => l.replace(/ [\d.]+ms/, '').replace(/:.*?-> /, ' -> '))).toEqual(['request 1 -> 200: 1 violation', 'request 2 -> 200: 1 violation', 'request 3 -> 200: 1 violation', 'request 4 -> 200: 1 violation', 'request 5 -> 200: 1 violation']);
    });
  });
});
