// A create's `Prefer` and its answer's `Preference-Applied` (RFC 7240), as OData gives them meaning (decision 0590):
// 204 No Content to `return=minimal` (outside tester R45), a 201 without its nulls to `omit-values=nulls` (R51).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { comparePacts } from 'vpptokens-contract-kit/compare';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { conform } from 'vpptokens-contract-kit/conform';
import { testEnd } from './support/test-end';
import { join } from 'node:path';
import { runSeed } from 'vpptokens-contract-kit/seed';
import { createRequestFactory, createdVppToken, judgeCreatedAnswer } from 'vpptokens-contract-kit';
import { createOutcomeOf, createdIdOf, judgeCreateExchange } from '../src/judgement';
import { preferencesOf } from '../src/wire';
import { judgeProxiedBehaviour, type JudgingProxy } from 'vpptokens-contract-kit/proxy';
import { loopbackServers } from './support/listen';
import { through } from './support/through-proxy';
import { startReferenceProvider } from '../src/provider';
import { judgeRecordedAnswers } from '../src/verification/answers';

const ID = '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60';
const TARGET = 'http://127.0.0.1:9/beta/deviceAppManagement/vppTokens';
const ENTITY = `http://127.0.0.1:9/beta/deviceAppManagement/vppTokens('${ID}')`;
const BEARER = 'Bearer eyJhbGciOiJub25lIn0.c2VjcmV0LWJlYXJlcg.';
const json = 'application/json;odata.metadata=minimal;charset=utf-8';
const sent = createRequestFactory.withSeed(95).withTraits('minimal').buildAt(0);

/** An answer as raw header lines, its body the text given. */
const answer = (status: number, headers: [string, string][], body?: string) => ({ status, headers: {}, rawHeaders: headers.flat(), body, bytes: Buffer.from(body ?? '') });
const minimal = (headers: [string, string][] = [['Location', ENTITY], ['OData-EntityId', ENTITY], ['Preference-Applied', 'return=minimal']]) => answer(204, headers);
/** A 201 without its null properties, and the names it left out. */
function withoutNulls(extra: [string, string][] = []) {
  const full = createdVppToken(sent, { id: ID, now: new Date() }) as unknown as Record<string, unknown>;
  const left = Object.keys(full).filter((k) => full[k] === null);
  const body = Object.fromEntries(Object.entries(full).filter(([, v]) => v !== null));
  return { left, answer: answer(201, [['Content-Type', json], ['Location', ENTITY], ...extra], JSON.stringify(body)) };
}
const judged = (a: ReturnType<typeof answer>, prefer?: string[]) => judgeCreatedAnswer(sent, a, 'beta', { target: TARGET, ...(prefer ? { prefer } : {}) }).map((p) => `${p.check}: ${p.where} ${p.message}`);

describe('preferencesOf reads RFC 7240 §2', () => {
  it.each([
    [['return=minimal'], 'return', 'minimal'],
    [['RETURN = "minimal"; x=1, omit-values=nulls'], 'return', 'minimal'],
    [['respond-async, wait=10', 'return=minimal'], 'return', 'minimal'],
    [['return=representation', 'return=minimal'], 'return', 'representation'],
    [['a="x,return=minimal"'], 'return', undefined],
    [['return=Minimal'], 'return', 'Minimal'],
  ])('%j names %s as %s', (values, name, value) => {
    expect(preferencesOf(values.map((v) => ({ name: 'Prefer', value: v })), 'Prefer').get(name)).toBe(value);
  });
});

describe('a 204 No Content to a create (R45)', () => {
  it('is a created vppToken when the request asked Prefer: return=minimal, Preference-Applied or not', () => {
    expect(judged(minimal(), ['return=minimal'])).toEqual([]);
    expect(judged(minimal([['Location', ENTITY], ['OData-EntityId', ENTITY]]), ['respond-async, return=minimal'])).toEqual([]);
    expect(createdIdOf(minimal(), sent, ['return=minimal'])).toEqual({ id: ID });
  });

  it('is wrong when the request did not ask it, or asked return=representation', () => {
    for (const prefer of [undefined, ['return=representation'], ['return=minimal-ish'], ['odata.return=minimal']]) {
      expect(judged(minimal(), prefer)).toEqual(['status: status must be 201 Created for a valid request (got 204): 204 No Content answers only a create that asked Prefer: return=minimal (OData 4.01 Part 1 §11.4.2), and this one did not']);
      expect(createdIdOf(minimal(), sent, prefer)).toEqual({ missing: 'a 204 No Content, which answers only a create that asked Prefer: return=minimal (OData 4.01 Part 1 §11.4.2)' });
    }
  });

  it('must name the created vppToken in Location and OData-EntityId, on the service\'s host, and carry no body', () => {
    const problems = (headers: [string, string][], body?: string) => judged({ ...minimal(headers), ...(body ? { bytes: Buffer.from(body), body } : {}) }, ['return=minimal']);
    expect(problems([['OData-EntityId', ENTITY]])).toEqual([expect.stringMatching(/^resource identity: header Location is required on a 204 No Content to a create/)]);
    expect(problems([['Location', ENTITY]])).toEqual([expect.stringMatching(/^resource identity: header OData-EntityId is required on a 204 No Content to a create/)]);
    expect(problems([['Location', ENTITY.replace(ID, 'not-a-guid')], ['OData-EntityId', ENTITY]])).toEqual([expect.stringMatching(/^resource identity: header Location must name the created vppToken by an id Graph gives: its key /)]);
    expect(problems([['Location', ENTITY.replace('127.0.0.1:9', 'evil.example')], ['OData-EntityId', ENTITY]])).toEqual([expect.stringMatching(/^resource identity: header Location must point at this vppToken: must be on .* it names the host evil\.example/)]);
    expect(problems([['Location', ENTITY], ['OData-EntityId', ENTITY.replace('7b4f', '0000')]])).toEqual([expect.stringMatching(/^resource identity: header OData-EntityId must point at this vppToken: must name this vppToken's id/)]);
    expect(problems([['Location', ENTITY], ['OData-EntityId', ENTITY], ['Preference-Applied', 'return=representation']])).toEqual([expect.stringMatching(/^response headers: header Preference-Applied must not say return="representation" on a 204 No Content/)]);
    expect(problems([['Location', ENTITY], ['OData-EntityId', ENTITY]], '{}')).toEqual(['response schema: body must be empty: a 204 No Content has no content (RFC 9110 §15.3.5)']);
    expect(createdIdOf(minimal([['OData-EntityId', ENTITY]]), sent, ['return=minimal'])).toEqual({ missing: expect.stringMatching(/^a 204 No Content that does not name the vppToken it created: header Location is required/) });
  });

  // Outside finding R79: RFC 9110 §8.6, "A server MUST NOT send a Content-Length header field in any response with a
  // status code of 1xx (Informational) or 204 (No Content)" (decision 0722).
  it('carries no Content-Length, nor does an interim 1xx before any answer; the body is not read by it', () => {
    const length = (value: string) => [['Location', ENTITY], ['OData-EntityId', ENTITY], ['Preference-Applied', 'return=minimal'], ['Content-Length', value]] as [string, string][];
    const said = (value: string, status = '204 No Content') => `response headers: header Content-Length must not be sent in a ${status}, which has no content (RFC 9110 §8.6: a server MUST NOT send it in a 1xx or 204 answer; got ${JSON.stringify(value)})`;
    expect(judged(minimal(length('0')), ['return=minimal'])).toEqual([said('0')]);
    // A length that is no body's: the 204 has none whatever its head says (RFC 9112 §6.3), so nothing was cut short.
    expect(judged(minimal(length('5')), ['return=minimal'])).toEqual([said('5')]);
    // A 204 to a create that did not ask it: its status, and the same rule.
    expect(judged(minimal(length('0')))).toEqual([expect.stringMatching(/^status: status must be 201 Created/), said('0')]);
    const early = (rawHeaders: string[]) => ({ ...minimal(), interim: [{ status: 103, statusText: 'Early Hints', rawHeaders }] });
    expect(judged(early(['Link', '</a.css>; rel=preload', 'Content-Length', '0']), ['return=minimal'])).toEqual([said('0', '103 Early Hints').replace('header Content-Length', 'interim 103 header Content-Length')]);
    // Without it: nothing to say.
    expect(judged(early(['Link', '</a.css>; rel=preload']), ['return=minimal'])).toEqual([]);
    expect(judged(minimal(), ['return=minimal'])).toEqual([]);
    // A 201's Content-Length frames its body: no problem.
    const { answer: created } = withoutNulls();
    const framed = { ...created, rawHeaders: [...created.rawHeaders, 'Content-Length', String(created.bytes.length)] };
    expect(judged(framed, ['return=representation']).filter((p) => p.includes('Content-Length'))).toEqual([]);
  });

  // Outside helper Y6 (round 16): RFC 9112 §6.1, "A server MUST NOT send a Transfer-Encoding header field in any
  // response with a status code of 1xx (Informational) or 204 (No Content)": the same rule (decision 0722).
  it('carries no Transfer-Encoding either, nor does an interim 1xx; a 201 framed chunked is fine', () => {
    const coded = (value: string) => [['Location', ENTITY], ['OData-EntityId', ENTITY], ['Preference-Applied', 'return=minimal'], ['Transfer-Encoding', value]] as [string, string][];
    const said = (value: string, status = '204 No Content') => `response headers: header Transfer-Encoding must not be sent in a ${status}, which has no content (RFC 9112 §6.1: a server MUST NOT send it in a 1xx or 204 answer; got ${JSON.stringify(value)})`;
    expect(judged(minimal(coded('chunked')), ['return=minimal'])).toEqual([said('chunked')]);
    const early = (rawHeaders: string[]) => ({ ...minimal(), interim: [{ status: 103, statusText: 'Early Hints', rawHeaders }] });
    expect(judged(early(['Link', '</a.css>; rel=preload', 'Transfer-Encoding', 'chunked']), ['return=minimal'])).toEqual([said('chunked', '103 Early Hints').replace('header Transfer-Encoding', 'interim 103 header Transfer-Encoding')]);
    // Both fields: each said, at its own header.
    const both = [...coded('chunked'), ['Content-Length', '0']] as [string, string][];
    expect(judged(minimal(both), ['return=minimal'])).toEqual([expect.stringMatching(/^response headers: header Content-Length must not be sent in a 204/), said('chunked')]);
    // A 201 whose body is framed chunked: its Transfer-Encoding is no problem.
    const { answer: created } = withoutNulls();
    const chunked = { ...created, rawHeaders: [...created.rawHeaders, 'Transfer-Encoding', 'chunked'] };
    expect(judged(chunked, ['return=representation']).filter((p) => p.includes('Transfer-Encoding'))).toEqual([]);
  });

  it('is judged so in the exchange, the bearer never echoed', () => {
    const request = { method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json', Authorization: BEARER, Prefer: 'return=minimal' }, body: JSON.stringify(sent) };
    expect(judgeCreateExchange(request, minimal(), 'beta', undefined, { target: TARGET })).toEqual([]);
    const echoing = minimal([['Location', ENTITY], ['OData-EntityId', ENTITY], ['X-Debug', BEARER]]);
    expect(judgeCreateExchange(request, echoing, 'beta', undefined, { target: TARGET })).toEqual([expect.objectContaining({ side: 'provider', check: 'credentials not echoed' })]);
    const { Prefer: _, ...unasked } = request.headers;
    expect(judgeCreateExchange({ ...request, headers: unasked }, minimal(), 'beta', undefined, { target: TARGET })).toEqual([expect.objectContaining({ side: 'provider', check: 'status' })]);
  });
});

describe('a 201 without its null properties (R51)', () => {
  it('passes when the request asked Prefer: omit-values=nulls and the answer says Preference-Applied: omit-values=nulls', () => {
    const { left, answer } = withoutNulls([['Preference-Applied', 'omit-values=nulls']]);
    expect(left.length).toBeGreaterThan(2);
    expect(judged(answer, ['omit-values=nulls'])).toEqual([]);
    expect(judged(answer, ['return=representation; x=1, Omit-Values="nulls"'])).toEqual([]);
  });

  it('fails for each property left out, with words that say which half is missing', () => {
    const applied = withoutNulls([['Preference-Applied', 'omit-values=nulls']]);
    const plain = withoutNulls();
    expect(judged(plain.answer, ['omit-values=nulls'])).toEqual(plain.left.map((k) => `response schema: body /${k} is required: the request asked Prefer: omit-values=nulls, but an answer that leaves out null properties must say Preference-Applied: omit-values=nulls (OData 4.01 Part 1 §8.2.8.6), and this one does not: a client cannot tell a property left out from one the service lacks`));
    expect(judged(applied.answer)).toEqual(plain.left.map((k) => expect.stringMatching(new RegExp(`^response schema: body /${k} is required: the answer says Preference-Applied: omit-values=nulls, but the request did not ask`))));
    expect(judged(plain.answer)).toEqual(plain.left.map((k) => `response schema: body /${k} is required`));
    expect(judged(applied.answer, ['omit-values=defaults'])).toEqual(plain.left.map((k) => expect.stringMatching(new RegExp(`^response schema: body /${k} is required: the answer says`))));
  });

  it('reads a left-out property as null: one that may not be null fails, and values back reads null', () => {
    const full = createdVppToken(sent, { id: ID, now: new Date() }) as unknown as Record<string, unknown>;
    const { automaticallyUpdateApps: _, displayName: __, ...rest } = Object.fromEntries(Object.entries(full).filter(([, v]) => v !== null));
    const a = answer(201, [['Content-Type', json], ['Preference-Applied', 'omit-values=nulls']], JSON.stringify(rest));
    const problems = judgeCreatedAnswer({ ...sent, displayName: 'Contoso' }, a, 'beta', { target: TARGET, prefer: ['omit-values=nulls'] }).map((p) => `${p.check}: ${p.where} ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^response schema: body \/automaticallyUpdateApps is required: left out under Preference-Applied: omit-values=nulls it reads as null .* and null is not a value it may take/),
        'values back: body /displayName must be "Contoso", as the client set it (got null)',
      ]),
    );
  });
});

describe('the proxy in front of a target that honours the preferences', () => {
  const serve = loopbackServers();
  /** How the target answers a create: as OData lets a service that honours each preference, or wrongly. */
  let mode: 'honours' | 'always 204' | 'nulls unsaid' = 'honours';
  let target: string;
  beforeAll(async () => {
    target = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        const prefer = String(req.headers.prefer ?? '');
        const entity = `${target}/beta/deviceAppManagement/vppTokens('${ID}')`;
        const full = createdVppToken(JSON.parse(Buffer.concat(chunks).toString()), { id: ID, now: new Date() }) as unknown as Record<string, unknown>;
        if (mode === 'always 204' || prefer.includes('return=minimal')) {
          res.writeHead(204, { Location: entity, 'OData-EntityId': entity, 'Preference-Applied': 'return=minimal' }).end();
          return;
        }
        const body = JSON.stringify(prefer.includes('omit-values=nulls') ? Object.fromEntries(Object.entries(full).filter(([, v]) => v !== null)) : full);
        res.writeHead(201, { 'Content-Type': json, Location: entity, ...(mode === 'honours' && prefer.includes('omit-values=nulls') ? { 'Preference-Applied': 'omit-values=nulls' } : {}) }).end(body);
      });
    });
  });
  const create = (proxy: JudgingProxy, prefer?: string) => fetch(`${proxy.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: BEARER, ...(prefer ? { Prefer: prefer } : {}) }, body: JSON.stringify(sent) }).then(async (r) => [r.status, await r.text()] as const);

  it('takes a 204 to a create that asked return=minimal as created, and blames one that did not ask (R45)', async () => {
    mode = 'honours';
    await through(`${target}/beta`, async (proxy, lines) => {
      expect(await create(proxy, 'return=minimal')).toEqual([204, '']);
      expect(lines).toEqual([expect.stringMatching(/^request 1: POST \/deviceAppManagement\/vppTokens -> 204 [\d.]+ms: kept the contract$/)]);
      expect(proxy.traffic[0]).toMatchObject({ stored: true, createdId: ID });
      expect(judgeProxiedBehaviour(proxy.traffic).summary).toMatch(/1 create of 1 token: 1 created, 0 extra creations, 0 never created$/);
    });
    mode = 'always 204';
    await through(`${target}/beta`, async (proxy) => {
      expect((await create(proxy))[0]).toBe(204);
      expect(proxy.violations.map((v) => `${v.side}: ${v.check}: ${v.message}`)).toEqual([expect.stringMatching(/^provider: status: must be 201 Created for a valid request \(got 204\): 204 No Content answers only a create that asked Prefer: return=minimal/)]);
      // A 204 it did not ask names no vppToken: it may be stored all the same, as seed counts it (decision 1130).
      expect(proxy.traffic[0]).toMatchObject({ stored: false, storedUnknown: 'the target answered 204 without the created vppToken; it may have been created' });
      expect(judgeProxiedBehaviour(proxy.traffic).summary).toMatch(/0 created, 0 extra creations, 0 never created, 1 unknown \(sent whole, outcome unknown/);
    });
  });

  it('takes a 204 inside a JSON batch to a member that asked return=minimal as created, and blames one to a member that did not', async () => {
    const batchTarget = await serve((req, res) => {
      req.resume().on('end', () => {
        const entity = `https://graph.microsoft.com/beta/deviceAppManagement/vppTokens('${ID}')`;
        res.writeHead(200, { 'Content-Type': json }).end(JSON.stringify({ responses: [{ id: '1', status: 204, headers: { Location: entity, 'OData-EntityId': entity } }] }));
      });
    });
    for (const prefer of ['return=minimal', undefined]) {
      await through(`${batchTarget}/beta`, async (proxy, lines) => {
        const member = { id: '1', method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json', ...(prefer ? { Prefer: prefer } : {}) }, body: sent };
        await (await fetch(`${proxy.url}/$batch`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: BEARER }, body: JSON.stringify({ requests: [member] }) })).text();
        while (proxy.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
        const summary = judgeProxiedBehaviour(proxy.traffic).summary;
        if (prefer) {
          expect(lines).toEqual([expect.stringMatching(/1 create inside judged: kept the contract$/)]);
          expect(summary).toMatch(/1 created, 0 extra creations, 0 never created$/);
        } else {
          expect(lines.join('\n')).toMatch(/provider: status: must be 201 Created for a valid request \(got 204\): 204 No Content answers only a create that asked Prefer: return=minimal/);
          expect(summary).toMatch(/0 created, 0 extra creations, 0 never created, 1 unknown \(sent whole, outcome unknown/);
        }
      });
    }
  });

  it('passes the reference provider, which ignores both preferences (RFC 7240 §2 lets a service)', async () => {
    const provider = await startReferenceProvider();
    try {
      await through(`${provider.url}/beta`, async (proxy, lines) => {
        const [status, body] = await create(proxy, 'return=minimal, omit-values=nulls');
        expect(status).toBe(201);
        expect(Object.values(JSON.parse(body) as Record<string, unknown>)).toContain(null);
        expect(lines).toEqual([expect.stringMatching(/-> 201 [\d.]+ms: kept the contract$/)]);
      });
    } finally {
      await provider.close();
    }
  });

  it('passes a 201 without its nulls to a create that asked omit-values=nulls when the answer says so, and fails it otherwise (R51)', async () => {
    mode = 'honours';
    await through(`${target}/beta`, async (proxy, lines) => {
      expect((await create(proxy, 'omit-values=nulls'))[0]).toBe(201);
      expect(lines).toEqual([expect.stringMatching(/: kept the contract$/)]);
    });
    mode = 'nulls unsaid';
    await through(`${target}/beta`, async (proxy) => {
      expect((await create(proxy, 'omit-values=nulls'))[0]).toBe(201);
      expect(proxy.violations.length).toBeGreaterThan(2);
      expect(proxy.violations.every((v) => v.side === 'provider' && /is required: the request asked Prefer: omit-values=nulls, but an answer that leaves out null properties must say Preference-Applied/.test(v.message))).toBe(true);
    });
  });
});

describe('seed with --header Prefer: return=minimal', () => {
  const serve = loopbackServers();
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-prefer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts a 204 naming the created vppToken as created, and a 204 it did not ask for as unknown', async () => {
    let n = 0;
    const target = await serve((req, res) => {
      req.resume().on('end', () => {
        if (req.method !== 'POST') return void res.writeHead(200, { 'Content-Type': json }).end('{"value":[]}');
        const id = `${ID.slice(0, -2)}${String(n++).padStart(2, '0')}`;
        const entity = `${target}/beta/deviceAppManagement/vppTokens('${id}')`;
        res.writeHead(204, { Location: entity, 'OData-EntityId': entity }).end();
      });
    });
    const seeded = (headers?: Record<string, string>) => runSeed({ target: `${target}/beta`, report: join(dir, `r${n}.ndjson`), bearer: 'seed-bearer-0123456789', generate: { count: 2, seed: 3 }, concurrency: 1, ...(headers ? { headers } : {}) });
    expect(await seeded({ Prefer: 'return=minimal' })).toMatchObject({ total: 2, created: 2 });
    const unasked = await seeded();
    expect(unasked).toMatchObject({ total: 2, created: 0 });
    const entry = readFileSync(unasked.report, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.status === 'unknown');
    expect(entry).toMatchObject({ status: 'unknown', httpStatus: 204, reason: expect.stringMatching(/a 204 No Content, which answers only a create that asked Prefer: return=minimal/) });
  });
});

describe('compare of a pact whose create asks Prefer: return=minimal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-prefer-compare-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pact = (prefer: string | undefined, status: number) => {
    const file = join(dir, `${status}-${prefer ?? 'none'}.json`);
    const headers = { 'Content-Type': 'application/json', Authorization: 'Bearer x.y.z', ...(prefer ? { Prefer: prefer } : {}) };
    const response = status === 204 ? { status, headers: { Location: ENTITY } } : { status, headers: { 'Content-Type': 'application/json' }, body: { id: ID }, matchingRules: { '$.body.id': { match: 'type' } } };
    writeFileSync(file, JSON.stringify({ consumer: { name: 'prefers' }, provider: { name: 'microsoft-graph-vpptokens' }, interactions: [{ description: 'create', request: { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers, body: { token: sent.token } }, response }], metadata: { pactSpecification: { version: '2.0.0' } } }));
    return file;
  };
  const statusFindings = async (file: string) => (await comparePacts([file])).pacts[0].interactions.flatMap((i) => i.findings).filter((f) => f.pointer === 'status').map((f) => f.message);

  it('keeps "Graph answers a create with 201" a claim about Graph, and says why when the pact expects the 204 it asked for', async () => {
    expect(await statusFindings(pact('return=minimal', 204))).toEqual([expect.stringMatching(/^must be 201: Graph answers a create with 201 Created \(got 204\): the request asks Prefer: return=minimal, which a service may answer with 204 No Content \(OData 4\.01 Part 1 §11\.4\.2\) or ignore \(RFC 7240 §2\)/)]);
    expect(await statusFindings(pact(undefined, 204))).toEqual(['must be 201: Graph answers a create with 201 Created (got 204)']);
    expect(await statusFindings(pact('return=minimal', 201))).toEqual([]);
  });
});

describe('conform with --header Prefer=omit-values=nulls against a front that honours it', () => {
  const serve = loopbackServers();
  let provider: Awaited<ReturnType<typeof startReferenceProvider>>;
  beforeAll(async () => {
    provider = await startReferenceProvider();
  });
  afterAll(() => provider.close());
  /** The reference provider behind a front that leaves the nulls of a vppToken out, saying so or not. */
  const front = (says: boolean) =>
    serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        const { host: _, ...headers } = req.headers;
        const out = request(`${provider.url}${req.url}`, { method: req.method, headers, agent: false }, (answer) => {
          const got: Buffer[] = [];
          answer.on('data', (c: Buffer) => got.push(c)).on('end', () => {
            const { 'content-length': __, 'transfer-encoding': ___, ...kept } = answer.headers;
            let body = Buffer.concat(got);
            const value = body.length ? (JSON.parse(body.toString()) as Record<string, unknown>) : undefined;
            if (String(req.headers.prefer).includes('omit-values=nulls') && value && typeof value.id === 'string') {
              body = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null))));
              if (says) kept['preference-applied'] = 'omit-values=nulls';
            }
            res.writeHead(answer.statusCode!, { ...kept, 'content-length': String(body.length) }).end(body);
          });
        });
        out.end(Buffer.concat(chunks));
      });
    });
  const run = async (says: boolean) => conform({ signal: testEnd(), providerBaseUrl: `${await front(says)}/beta`, seed: 5, runs: 6, maxRequests: 10, maxFindings: 1, checks: ['status', 'response schema', 'values back', 'read-back'], headers: { Prefer: 'omit-values=nulls' }, bodyLimit: 64 * 1024 });

  it('passes values back and read-back when the answers say Preference-Applied, and fails response schema when they do not', async () => {
    const honoured = await run(true);
    expect(honoured.findings.map((f) => `${f.check}: ${f.where} ${f.message}`)).toEqual([]);
    const judged = (result: typeof honoured, check: string) => result.checks.find((c) => c.check === check)!;
    expect(judged(honoured, 'read-back')).toEqual(expect.objectContaining({ failed: 0, judged: expect.any(Number) }));
    expect(judged(honoured, 'read-back').judged).toBeGreaterThan(0);
    const unsaid = await run(false);
    expect(unsaid.findings.map((f) => f.check)).toContain('response schema');
    expect(unsaid.findings.find((f) => f.check === 'response schema')!.message).toMatch(/is required: the request asked Prefer: omit-values=nulls, but an answer that leaves out null properties must say Preference-Applied/);
  });
});

describe("verify's judgement of a recorded create that asked Prefer: return=minimal", () => {
  const recorded = (prefer: string | undefined, headers: string[]) => ({
    method: 'POST',
    path: '/deviceAppManagement/vppTokens',
    url: TARGET,
    requestRawHeaders: ['Content-Type', 'application/json', 'Authorization', BEARER, ...(prefer ? ['Prefer', prefer] : [])],
    requestBytes: Buffer.from(JSON.stringify(sent)),
    status: 204,
    rawHeaders: headers,
    bytes: Buffer.alloc(0),
    receivedAt: new Date(),
  });
  const judged = (prefer: string | undefined, headers: string[]) => judgeRecordedAnswers([recorded(prefer, headers)], 'beta').flatMap((a) => a.problems.map((p) => `${p.check}: ${p.where} ${p.message}`));

  it('judges its 204 as the created vppToken: named in Location and OData-EntityId, and nothing else', () => {
    expect(judged('return=minimal', ['Location', ENTITY, 'OData-EntityId', ENTITY])).toEqual([]);
    expect(judged('return=minimal', ['Location', ENTITY])).toEqual([expect.stringMatching(/^resource identity: header OData-EntityId is required on a 204 No Content to a create/)]);
    expect(judged('return=minimal', ['Location', ENTITY, 'OData-EntityId', ENTITY, 'X-Echo', BEARER])).toEqual([expect.stringMatching(/^credentials not echoed: /)]);
    // Not asked: the status is Pact's to judge against the pact, as for any other status.
    expect(judged(undefined, ['Location', ENTITY])).toEqual([]);
    // A Content-Length on it, asked or not (RFC 9110 §8.6; outside finding R79, decision 0722).
    const length = /^response headers: header Content-Length must not be sent in a 204 No Content/;
    expect(judged('return=minimal', ['Location', ENTITY, 'OData-EntityId', ENTITY, 'Content-Length', '0'])).toEqual([expect.stringMatching(length)]);
    expect(judged(undefined, ['Location', ENTITY, 'Content-Length', '0'])).toEqual([expect.stringMatching(length)]);
  });
});

// Decision 1131 (outside finding R138): a 202 Accepted to a create that asked Prefer: respond-async is a fair answer
// (RFC 7240 §4.1; OData 4.01 Part 1 §8.2.8.8, §11.6), its outcome unknown (1130); unasked it is still the provider's violation.
describe('a create answered 202 Accepted, with and without Prefer: respond-async', () => {
  const request = createRequestFactory.withSeed(1131).buildAt(0);
  const monitor = ['Location', 'https://graph.microsoft.com/beta/deviceAppManagement/operations/1131'];
  const accepted = (rawHeaders: string[]) => ({ status: 202, headers: {}, rawHeaders, body: undefined, bytes: new Uint8Array() });
  const judged = (rawHeaders: string[], prefer: string[]) => judgeCreatedAnswer(request, accepted(rawHeaders), undefined, { prefer }).map((p) => `${p.check}: ${p.message}`);

  it('passes a 202 with the Location of a status monitor to a create that asked it, and counts it unknown', () => {
    for (const prefer of [['respond-async'], ['respond-async, wait=10'], ['odata.maxpagesize=5', 'RESPOND-ASYNC']]) expect(judged(monitor, prefer)).toEqual([]);
    expect(createOutcomeOf(accepted(monitor), request, ['respond-async'])).toEqual({ outcome: 'unknown', saysCreated: false, accepted: true });
  });

  it('fails one without a Location, and a 202 the create did not ask for', () => {
    expect(judged([], ['respond-async'])).toEqual(['status: a 202 Accepted to a create that asked Prefer: respond-async must give the Location of its status monitor (OData 4.01 Part 1 §11.6): a client cannot learn whether the vppToken was created']);
    for (const prefer of [[], ['wait=10; respond-async'], ['return=minimal']]) expect(judged(monitor, prefer)).toContain('status: must be 201 Created for a valid request (got 202)');
  });
});
