// Decision 0385 (outside testers N16, N17, N18, P5): one depth rule in the one reader. A body nests at most 64
// levels (.NET's JSON readers, Graph's, and Pact's mock as check-client drives it read no deeper); one level more is
// refused alike in a request (400 with Graph's error body, the client fails) and in an answer (the provider fails),
// and no command overflows its stack on anything deeper: 65 levels and 100,000 for each command.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_NESTING_DEPTH, createRequestFactory, createdVppToken, isValid, problemsOf, readMessage, validate } from 'vpptokens-contract-kit';
import { conform } from 'vpptokens-contract-kit/conform';
import { startReferenceProvider } from 'vpptokens-contract-kit/provider';
import { recordPact } from 'vpptokens-contract-kit/proxy';
import { run as vppkit } from './support/run-cli';
import { startBrokenProvider } from './support/broken-provider';
import { frontOf } from './support/front';
import { through } from './support/through-proxy';
import { testEnd } from './support/test-end';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-depth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOO_DEEP = /is nested deeper than 64 levels, the most a body nests/;
const { token } = createRequestFactory.withSeed(85).build();
/** Arrays nested so that the innermost is at `level` of the whole body (the body itself is level 1). */
const nested = (level: number) => `${'['.repeat(level - 1)}${']'.repeat(level - 1)}`;
/** A valid create whose instance annotation (taken and ignored, 0213) nests to `level`. */
const create = (level: number) => `{"token":${JSON.stringify(token)},"@Org.Example.note":${nested(level)}}`;
/** The pointer of the first array past the limit under `key`. */
const pointerPast = (key: string) => `/${key}${'/0'.repeat(MAX_NESTING_DEPTH - 1)}`;
const headers = { Authorization: 'Bearer depth-test-bearer', 'Content-Type': 'application/json' };
const json = ['Content-Type', 'application/json'];

describe('the one reader', () => {
  it('takes 64 levels and refuses 65 at the first value too deep, arrays and objects alike, and 100,000', () => {
    expect(MAX_NESTING_DEPTH).toBe(64);
    expect(readMessage({ headers: json, bytes: Buffer.from(create(64)) }).problems).toEqual([]);
    for (const level of [65, 100_000]) {
      const read = readMessage({ headers: json, bytes: Buffer.from(create(level)) });
      expect(read.problems).toEqual([expect.objectContaining({ part: 'body', pointer: pointerPast('@Org.Example.note'), rule: 'nesting depth', message: expect.stringMatching(TOO_DEEP) })]);
      expect(read.json).toBeUndefined();
    }
    const objects = (level: number) => `${'{"a":'.repeat(level - 1)}{}${'}'.repeat(level - 1)}`;
    expect(readMessage({ headers: json, bytes: Buffer.from(objects(64)) }).problems).toEqual([]);
    expect(readMessage({ headers: json, bytes: Buffer.from(objects(65)) }).problems).toEqual([expect.objectContaining({ pointer: '/a'.repeat(64), rule: 'nesting depth' })]);
    // The first in document order: a shallow sibling before it is no matter; a second deep one is not named.
    const two = `{"a":[1,{"b":2}],"c":${nested(70)},"d":${nested(90)}}`;
    expect(readMessage({ headers: json, bytes: Buffer.from(two) }).problems).toEqual([expect.objectContaining({ pointer: pointerPast('c') })]);
  });
});

// Outside finding R150 (decision 1261): the library judges a value as the JSON text it is sent as (0631), so what the
// reader refuses in bytes it refuses in a value: past 64 levels in the reader's words; a value that holds itself (no
// JSON text at all: JSON.stringify throws on it) is one problem at the root; each ends at once, however deep or cyclic.
describe('the library (validate, problemsOf, isValid)', () => {
  const deep = (level: number) => { const root: Record<string, unknown> = {}; let at = root; for (let i = 1; i < level; i++) at = (at.x = {}) as Record<string, unknown>; return root; };
  it('takes 64 levels and refuses 65 and 100,000 where the reader does, in its words alone', () => {
    expect(isValid('request', { token, '@Org.Example.note': deep(63) })).toBe(true);
    expect(validate('request', { token, '@Org.Example.note': JSON.parse(nested(63)) }).valid).toBe(true);
    for (const level of [64, 100_000]) {
      const value = { token, '@Org.Example.note': deep(level) };
      const problem = { pointer: `/@Org.Example.note${'/x'.repeat(MAX_NESTING_DEPTH - 1)}`, keyword: 'nesting depth', message: expect.stringMatching(TOO_DEEP) };
      expect(problemsOf('request', value)).toEqual([problem]);
      expect(validate('request', value)).toEqual({ valid: false, problems: [problem] });
      expect(isValid('request', value)).toBe(false);
    }
    // The same value's JSON, read as bytes: the reader says the same place.
    expect(readMessage({ headers: json, bytes: Buffer.from(JSON.stringify({ token, '@Org.Example.note': deep(64) })) }).problems).toEqual([expect.objectContaining({ pointer: `/@Org.Example.note${'/x'.repeat(MAX_NESTING_DEPTH - 1)}` })]);
  });

  it('refuses a value that holds itself, saying where, and takes one object given twice (a tree once sent)', () => {
    const loop: Record<string, unknown> = { a: [1] };
    (loop.a as unknown[]).push({ back: loop });
    const me: Record<string, unknown> = {};
    me.me = me;
    for (const [value, got] of [
      [{ token, '@Org.Example.note': me }, 'an object that holds itself: /@Org.Example.note/me is /@Org.Example.note'],
      [{ token, '@Org.Example.note': loop }, 'an object that holds itself: /@Org.Example.note/a/1/back is /@Org.Example.note'],
    ] as const) {
      const problem = { pointer: '', keyword: 'type', got, message: `must be a parsed JSON value (got ${got}): a JSON text is a tree (RFC 8259 §2), JSON.stringify throws on it, so it is never sent` };
      expect(problemsOf('request', value)).toEqual([problem]);
      expect(validate('request', value)).toEqual({ valid: false, problems: [problem] });
      expect(isValid('request', value)).toBe(false);
    }
    const self: unknown[] = [];
    self.push(self);
    expect(problemsOf('response', self)).toEqual([expect.objectContaining({ pointer: '', got: 'an array that holds itself: /0 is the value itself' })]);
    // Shared, not cyclic: JSON.stringify writes it twice, a tree.
    const shared = { n: 1 };
    expect(isValid('request', { token, '@Org.Example.note': [shared, shared] })).toBe(true);
    // Shared 64 times down: walked once a level, not 2^64 times.
    let wide: unknown = {};
    for (let i = 0; i < 62; i++) wide = [wide, wide];
    expect(problemsOf('request', { token, '@Org.Example.note': wide })).toEqual([]);
    expect(problemsOf('request', { token, '@Org.Example.note': [wide, wide] })).toEqual([expect.objectContaining({ keyword: 'nesting depth', pointer: `/@Org.Example.note${'/0'.repeat(63)}` })]);
  });
});

describe('the reference provider (serve, the mock, the embedded provider)', () => {
  it('answers 201 at 64 levels and 400 with Graph error body past it, in a create and in a JSON batch, never a 500', async () => {
    const provider = await startReferenceProvider({ port: 0 });
    try {
      const post = (path: string, body: string) => fetch(`${provider.url}/beta${path}`, { method: 'POST', headers, body });
      expect((await post('/deviceAppManagement/vppTokens', create(64))).status).toBe(201);
      for (const level of [65, 100_000]) {
        const answer = await post('/deviceAppManagement/vppTokens', create(level));
        expect(answer.status).toBe(400);
        const { error } = (await answer.json()) as { error: { code: string; message: string } };
        expect(error.code).toBe('BadRequest');
        expect(error.message).toContain(`${pointerPast('@Org.Example.note')}: is nested deeper than 64 levels`);
        // A batch is one document: its member's body nests under three of its levels.
        const batch = JSON.stringify({ requests: [{ id: '1', method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body: { token: 'x' } }] }).replace('{"token":"x"}', create(level));
        expect((await post('/$batch', batch)).status).toBe(400);
      }
    } finally {
      await provider.close();
    }
  });
});

describe('check-client', () => {
  const client = (level: number, body = create(level)) => {
    const file = join(dir, `create-${level}-${body.length}.json`);
    writeFileSync(file, body);
    return ['node', '-e', `fetch(process.env.VPPKIT_MOCK_URL + '/beta/deviceAppManagement/vppTokens', { method: 'POST', headers: ${JSON.stringify(headers)}, body: require('fs').readFileSync(${JSON.stringify(file)}) }).then((a) => process.exit(a.status === 201 ? 0 : 1))`];
  };

  // Outside tester R1: arrays to the limit holding a value (`[[...[0]...]]`) gave each array level a matcher of its own
  // in the JSON Pact's core parses, past its 128 levels: "internal error" after the mock's 201. Below 32 levels a subtree
  // is matched by its type as a whole.
  it.each([
    ['empty arrays', create(64)],
    ['arrays holding a number', `{"token":${JSON.stringify(token)},"@Org.Example.note":${'['.repeat(63)}0${']'.repeat(63)}}`],
  ])('passes a client whose create nests 64 levels (%s) and writes a pact Pact loads', async (name, body) => {
    const pactDir = join(dir, `pacts-64-${name.replace(/ /g, '-')}`);
    const result = await vppkit(['check-client', '--pact-dir', pactDir, '--', ...client(64, body)]);
    expect(result.stdout).toContain('-> 201 ok');
    expect(result.code).toBe(0);
    const verified = await vppkit(['verify', join(pactDir, 'vpptokens-client-microsoft-graph-vpptokens.json')]);
    expect(verified.stdout).toMatch(/1 interaction verified .*: 1 passed, 0 failed/);
    expect(verified.code).toBe(0);
  });

  it.each([65, 100_000])('fails a client whose create nests %i levels, with the 400 the mock answered: exit 1', async (level) => {
    const result = await vppkit(['check-client', '--pact-dir', join(dir, `pacts-${level}`), '--', ...client(level)]);
    expect(result.stdout).toContain('-> 400 BROKE THE CONTRACT');
    expect(result.stdout).toMatch(TOO_DEEP);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(1);
  });
});

describe('the proxy', () => {
  it('fails the client past 64 levels and records the creates it took', async () => {
    const provider = await startReferenceProvider({ port: 0 });
    try {
      await through(`${provider.url}/beta`, async (proxy, lines) => {
        for (const level of [64, 65, 100_000]) await fetch(`${proxy.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers, body: create(level) });
        expect(lines.filter((l) => /client: request schema: body \/@Org\.Example\.note(\/0)+: is nested deeper than 64 levels/.test(l))).toHaveLength(2);
        const recorded = await recordPact(proxy.exchanges, join(dir, 'proxy-rec.json'));
        expect(recorded.interactions).toBe(1);
        expect(readFileSync(join(dir, 'proxy-rec.json'), 'utf8')).toContain('@Org.Example.note');
      });
    } finally {
      await provider.close();
    }
  });
});

describe('conform', () => {
  it('fails a provider whose 201 nests 100,000 levels with a finding, not an internal error', async () => {
    const broken = await startBrokenProvider('a 201 nested 100000 levels deep');
    try {
      // Every 201 nests so, and each costs about 0.1 s of CPU to read (JSON.parse and the echo check's walk of 200 KB
      // of brackets): a budget of 4 holds the probe, the first create (under a budget the first case is valid; a read
      // is kept for it, not sent, as its 201 fails) and a refusal; 30 read about ten such answers for the same finding.
      // Held both ways: a provider whose 201s are right passes (the reference provider, conform.test).
      const result = await conform({ providerBaseUrl: broken.url, runs: 1, maxRequests: 4, maxFindings: 1, seed: 1, signal: testEnd() });
      expect(result.passed).toBe(false);
      expect(result.findings.map((f) => `${f.where}: ${f.message}`).join('\n')).toMatch(/body \/x(\/0)+: is nested deeper than 64 levels/);
    } finally {
      await broken.close();
    }
  });

  // Outside tester R14: a provider whose reader goes deeper than Graph's (Python's json: 1,000 levels) created from a body
  // nested 65 deep, and conform, which sent only 10,000, passed it. The front answers such a create 201 as that
  // provider would (the annotation dropped, the rest created by the reference provider's rule); the case fails it.
  it('fails a provider that creates from a valid create nested 65 levels in an instance annotation, and passes the one that refuses it', async () => {
    const provider = await startReferenceProvider({ port: 0 });
    const lax = await frontOf(provider, (req, res, body) => {
      const text = body.toString('utf8');
      if (req.method !== 'POST' || !text.includes(`"@Org.Example.note":${'['.repeat(MAX_NESTING_DEPTH)}`)) return false;
      const sent = JSON.parse(text) as Record<string, unknown>;
      delete sent['@Org.Example.note'];
      res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify(createdVppToken(sent as never, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date() })));
      return true;
    });
    try {
      const family = "nesting 65 deep in an instance annotation, one past Graph's 64";
      const [laxRun, strictRun] = await Promise.all([`${lax.url}/beta`, `${provider.url}/beta`].map((providerBaseUrl) => conform({ providerBaseUrl, runs: 1, seed: 1, checks: ['negative data rejected'], signal: testEnd() })));
      expect(laxRun.findings.filter((f) => f.family === family).map((f) => f.message)).toEqual([`must be refused with 400 (${family}), not accepted (got 201)`]);
      expect(strictRun.findings).toEqual([]);
    } finally {
      await lax.close();
      await provider.close();
    }
  });

  it("says why read-back is skipped when the collection's 200 nests too deep", async () => {
    const provider = await startReferenceProvider({ port: 0 });
    const front = await frontOf(provider, (req, res) => {
      if (req.method !== 'GET') return false;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(`{"x":${nested(100_000)},"value":[]}`);
      return true;
    });
    try {
      const result = await conform({ providerBaseUrl: `${front.url}/beta`, runs: 1, maxRequests: 10, seed: 1, signal: testEnd() });
      const readBack = result.checks.find((c) => c.check === 'read-back');
      expect(readBack?.skipped).toMatch(/got 200 with a body no strict reader takes: body \/x(\/0)+ is nested deeper than 64 levels/);
    } finally {
      await front.close();
      await provider.close();
    }
  });
});

describe('pact files (compare, verify)', () => {
  const canonical = JSON.parse(readFileSync(join(__dirname, '../pacts/vppkit-canonical-consumer-microsoft-graph-vpptokens.json'), 'utf8')) as { interactions: { description: string; request: { body?: { content: Record<string, unknown> } } }[] };
  /** The canonical "only its token" interaction, its create holding an instance annotation nested to `level` of the body, as a client's pact may. */
  const pactWith = (level: number) => {
    const interaction = canonical.interactions.find((i) => i.description.includes('only its token'))!;
    const request = { ...interaction.request, body: { ...interaction.request.body, content: { ...interaction.request.body!.content, '@Org.Example.note': 'NESTED' } } };
    const text = JSON.stringify({ ...canonical, interactions: [{ ...interaction, request }] }).replace('"NESTED"', nested(level));
    const file = join(dir, `deep-${level}-microsoft-graph-vpptokens.json`);
    writeFileSync(file, text);
    return file;
  };

  it('compare judges a body of 64 levels, and refuses a file Pact cannot load: exit 2', async () => {
    const fine = await vppkit(['compare', pactWith(64), '--no-comparator']);
    expect(fine.stderr).toBe('');
    expect(fine.code).toBe(0);
    for (const level of [128, 100_000]) {
      const file = pactWith(level);
      const unloadable = await vppkit(['compare', file, '--no-comparator']);
      expect(unloadable.stderr).toMatch(/is not a pact Pact can read: \/interactions\/0\/request\/body\/content\/@Org\.Example\.note(\/0)+: is nested deeper than 127 levels, where Pact's parser stops/);
      expect(unloadable.stderr).not.toContain('internal error');
      expect(unloadable.code).toBe(2);
    }
  });

  // Outside tester R7 (decision 0473): the depth a body may nest is a rule of the contract, not of the pact file. An
  // interaction stating Graph's 400 for a create past 64 levels is a pact, and a right one; one stating 201 is wrong,
  // said as any interaction is. Only what Pact itself cannot load (127 levels of the file) is no pact.
  const refusing = (level: number) => {
    const file = pactWith(level);
    const pact = JSON.parse(readFileSync(file, 'utf8'));
    const refusal = canonical.interactions.find((i) => i.description.includes('without a token')) as unknown as { response: unknown };
    pact.interactions[0] = { ...pact.interactions[0], description: `a request to create a vppToken nested ${level} levels deep`, response: refusal.response };
    const refused = file.replace('deep-', 'refused-');
    writeFileSync(refused, JSON.stringify(pact));
    return refused;
  };

  it('compare and verify take an interaction that states 400 for a create nested 65 levels, and fail one stating 201 for it', async () => {
    const right = await vppkit(['compare', refusing(65), '--no-comparator']);
    expect([right.stderr, right.code]).toEqual(['', 0]);
    const wrong = await vppkit(['compare', pactWith(65), '--no-comparator']);
    expect(wrong.stderr).not.toMatch(/is not a pact/);
    expect(wrong.stdout).toMatch(/only its token:\n +request \/@Org\.Example\.note(\/0)+: is nested deeper than 64 levels.*\(Graph answers 400, not 201\)\n/);
    expect(wrong.code).toBe(1);
    const provider = await startReferenceProvider();
    try {
      const verified = await vppkit(['verify', refusing(65), '--provider-base-url', `${provider.url}/beta`]);
      expect([verified.stderr, verified.code]).toEqual(['', 0]);
      // The interaction stating 201 is verified, and fails: the provider refused the create as Graph does.
      const stated201 = await vppkit(['verify', pactWith(65), '--provider-base-url', `${provider.url}/beta`]);
      expect(stated201.stderr).not.toMatch(/is not a Pact file/);
      expect(stated201.code).toBe(1);
    } finally {
      await provider.close();
    }
  });

  it('verify refuses a file Pact cannot load before Pact runs: exit 2, not "0 interactions verified" with exit 1', async () => {
    const unloadable = await vppkit(['verify', pactWith(100_000)]);
    expect(unloadable.stderr).toMatch(/is not a Pact file Pact can read: .*is nested deeper than 127 levels/);
    expect(unloadable.code).toBe(2);
  });
});

describe('validate and seed --from', () => {
  const file = (level: number) => {
    const name = join(dir, `records-${level}.ndjson`);
    writeFileSync(name, `${create(level)}\n`);
    return name;
  };

  it('validate calls a record of 64 levels valid and one past it invalid, naming where: exit 1', async () => {
    expect((await vppkit(['validate', file(64)])).code).toBe(0);
    for (const level of [65, 100_000]) {
      const result = await vppkit(['validate', file(level)]);
      expect(result.stdout).toContain(`  ${pointerPast('@Org.Example.note')}: is nested deeper than 64 levels`);
      expect(result.stdout).toMatch(/1 record read: 0 valid, 1 invalid/);
      expect(result.code).toBe(1);
    }
  });

  it('seed --from sends no record past 64 levels: it is invalid, exit 1', async () => {
    const result = await vppkit(['seed', '--target', 'http://127.0.0.1:9/beta', '--bearer', 'depth-test-bearer', '--from', file(100_000), '--report', join(dir, 'seed-report.ndjson')]);
    expect(result.stdout).toMatch(/1 record: 0 created, 0 failed, 1 invalid/);
    expect(result.stdout).toMatch(TOO_DEEP);
    expect(result.code).toBe(1);
  });
});
