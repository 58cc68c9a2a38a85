// What Schemathesis users reach for first, through conform(): choosing checks, extra headers, a budget of
// requests or time, and replaying a finding from a JSON report.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceProvider } from '../../src/provider';
import { conform, conformJson, parseCheckList, readConformReport, ConformSetupError, CONFORM_CHECKS } from 'vpptokens-contract-kit/conform';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { movingClock, startGraphStyleProvider } from './providers';
import { frontOf } from '../support/front';
import { testEnd } from '../support/test-end';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-conform-select-'));
/**
 * The body limit of the runs whose subject is not the body's size, given to conform and to the provider alike: the
 * valid creates at the limit and the body over it are 64 KiB, not 4 MB (decision 0225).
 */
const SMALL = { bodyLimit: 64 * 1024 };
/**
 * The budget of a run whose subject is what conform does with a run (the checks chosen, a report kept), not the
 * judgement of a whole run: every kind of request takes its turn in the first 60, where these providers' bugs show
 * (decision 0311). A run whose findings are shrunk, or whose collection is read back, keeps the whole run.
 */
const BUDGET = { runs: 1, maxRequests: 60 };
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('--checks and --exclude-checks', () => {
  it('judges only the checks chosen: a provider that cuts names passes without values back, fails with it alone', async () => {
    const provider = await startGraphStyleProvider('a name cut at 64 characters', [], SMALL);
    try {
      // The same creates both times: the one that finds the cut name is among them (the second run fails). values
      // back alone judges creates only, so that run sends no other request (decision 0700): the probe and as many
      // creates as the first run sent (unique id judges each create). Without read-back, a create is one request.
      const without = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 7, ...BUDGET, excludeChecks: ['values back', 'read-back'], ...SMALL });
      expect(without.passed).toBe(true);
      expect(without.checks.find((c) => c.check === 'values back')).toEqual({ check: 'values back', judged: 0, failed: 0, skipped: 'not selected (--checks, --exclude-checks)' });
      const creates = without.checks.find((c) => c.check === 'unique id')!.judged;
      const alone = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 7, runs: 1, maxRequests: creates + 1, checks: ['values back'], ...SMALL });
      expect([alone.cases, alone.requests]).toEqual([creates, creates + 1]);
      expect(alone.passed).toBe(false);
      expect(alone.checks.filter((c) => c.skipped === undefined).map((c) => c.check)).toEqual(['values back']);
      expect(new Set(alone.findings.map((f) => f.check))).toEqual(new Set(['values back']));
      expect(alone.rerun).toContain("--checks 'values back'");
    } finally {
      await provider.close();
    }
  });

  // Decision 0700: a request no chosen check judges is not sent (read-back judges creates, negative data rejected
  // requests to refuse); a check that judges both kinds keeps both.
  it('sends only the requests a chosen check judges: read-back alone no request to refuse, negative data rejected alone no valid create', async () => {
    const seen: { method: string; status: number; bom: boolean }[] = [];
    const provider = await startReferenceProvider({ ...SMALL, onRequest: (r, status) => void seen.push({ method: r.method, status, bom: r.bytes?.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) === true }) });
    let connections = 0;
    provider.server.on('connection', () => connections++);
    const posts = () => seen.filter((r) => r.method === 'POST');
    try {
      const readBack = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 7, runs: 1, checks: ['read-back'], ...SMALL });
      expect(readBack.passed).toBe(true);
      // Every create the reference provider takes, and the one body a parser may take (after a byte order mark).
      expect(posts().filter((r) => r.status !== 201)).toEqual([{ method: 'POST', status: 400, bom: true }]);
      expect(posts().length).toBe(readBack.checks.find((c) => c.check === 'read-back')!.judged);
      seen.length = 0;
      connections = 0;
      const negative = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 7, runs: 1, checks: ['negative data rejected'], ...SMALL });
      expect(negative.passed).toBe(true);
      // No valid create, and so no read: the GETs are the probe and, as nothing reads back, its second on its connection,
      // proving the provider keeps connections for the creates (decision 1200).
      expect([posts().filter((r) => r.status === 201).length, seen.filter((r) => r.method === 'GET').length]).toEqual([0, 2]);
      // Proven, the creates reuse connections: at most one a request in flight (16), where each opened its own (124).
      expect(connections).toBeLessThanOrEqual(16);
      expect(posts().length).toBe(negative.checks.find((c) => c.check === 'negative data rejected')!.judged);
      seen.length = 0;
      // status judges every answer: creates and refusals are both sent, as they take turns under a budget.
      const status = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 7, runs: 1, maxRequests: 12, checks: ['status'], ...SMALL });
      expect(status.passed).toBe(true);
      expect([posts().some((r) => r.status === 201), posts().some((r) => r.status === 400)]).toEqual([true, true]);
    } finally {
      await provider.close();
    }
  });

  it('reads the names as reported, with - or _ for a space, and refuses others naming the allowed ones', () => {
    expect(parseCheckList('status, response-schema,NOT_A_SERVER_ERROR', '--checks', CONFORM_CHECKS)).toEqual(['status', 'response schema', 'not a server error']);
    // A name with its own hyphen, as the report prints it and the README's example writes it (outside tester F5).
    expect(parseCheckList('read-back,read_back,Read Back,negative-data-rejected', '--exclude-checks', CONFORM_CHECKS)).toEqual(['read-back', 'read-back', 'read-back', 'negative data rejected']);
    expect(() => parseCheckList('read-backs', '--exclude-checks', CONFORM_CHECKS)).toThrow(/^--exclude-checks: "read-backs" is not a check/);
    expect(() => parseCheckList('status,schema', '--checks', CONFORM_CHECKS)).toThrow(
      `--checks: "schema" is not a check; the checks are ${CONFORM_CHECKS.join(', ')}`,
    );
    expect(() => parseCheckList(' , ', '--exclude-checks', CONFORM_CHECKS)).toThrow(/^--exclude-checks must list at least one check: not a server error, /);
  });

  it('refuses a selection that leaves nothing, or a name that is not a check', async () => {
    await expect(conform({ signal: testEnd(), seed: 1, runs: 1, checks: ['status'], excludeChecks: ['status'] })).rejects.toThrow(new ConformSetupError('--checks and --exclude-checks leave no check to run'));
    await expect(conform({ signal: testEnd(), seed: 1, runs: 1, checks: ['stat' as never] })).rejects.toThrow(/^"stat" is not a check; the checks are not a server error, /);
  });
});

describe('--header', () => {
  it('adds each header to every request; reports and reproductions name a shell variable, never the value', async () => {
    const secret = 'gateway-key-0d4c9';
    const seen: (string | undefined)[] = [];
    const provider = await startReferenceProvider({ ...SMALL, onRequest: (r) => seen.push(r.headers['x-gateway-key'] as string | undefined) });
    try {
      const result = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 3, runs: 5, headers: { 'X-Gateway-Key': secret }, ...SMALL });
      expect(result.passed).toBe(true);
      expect(seen.length).toBe(result.requests);
      expect(new Set(seen)).toEqual(new Set([secret]));
      expect(result.rerun).toContain('--header "X-Gateway-Key=$VPPKIT_HEADER_X_GATEWAY_KEY"');
      expect(JSON.stringify(result)).not.toContain(secret);
    } finally {
      await provider.close();
    }
  });

  // Found by an outside tester (G17): a query or fragment on --provider-base-url ended before every request's path, so
  // every create got 404 and the provider was blamed (exit 1), while the request and curl line shown were others.
  it('refuses a --provider-base-url with a query or fragment, as seed and verify do, showing no credential', async () => {
    for (const url of ['http://127.0.0.1:9/beta?api-version=2', 'http://127.0.0.1:9/beta#x', 'http://u:pw@127.0.0.1:9/beta?subscription-key=k']) {
      await expect(conform({ signal: testEnd(), seed: 1, runs: 1, providerBaseUrl: url })).rejects.toThrow(
        new ConformSetupError('--provider-base-url is a base URL without a query or fragment (got http://127.0.0.1:9/beta with one)'),
      );
    }
  });

  it('refuses the contract\'s own headers, in one line without the value', async () => {
    await expect(conform({ signal: testEnd(), seed: 1, runs: 1, headers: { 'Content-Type': 'text/plain' } })).rejects.toThrow(new ConformSetupError("--header Content-Type can't be set: each request sends the one it is about"));
    // Content-Encoding describes the body the kit writes (RFC 9110 §8.4): set from outside, every request lies (F20).
    for (const name of ['Content-Encoding', 'content-encoding']) {
      await expect(conform({ signal: testEnd(), seed: 1, runs: 1, headers: { [name]: 'gzip' } })).rejects.toThrow(
        new ConformSetupError(`--header ${name} can't be set: it says how each request's body is encoded, and the kit writes the body (RFC 9110 §8.4)`),
      );
    }
    // Found by an outside tester (G10): Trailer ended conform in "internal error (a bug in vppkit)" (Node refuses it on a
    // request with a Content-Length) and hung verify; the connection's own fields were taken silently.
    for (const [name, why] of [
      ['Trailer', 'it announces trailer fields after a chunked body, and the kit sends none (RFC 9110 §6.6.2)'],
      ['TE', 'it belongs to the connection (RFC 9110 §7.6.1)'],
      ['Keep-Alive', 'it belongs to the connection (RFC 9110 §7.6.1)'],
      ['Upgrade', 'it belongs to the connection (RFC 9110 §7.6.1)'],
      ['Proxy-Connection', 'it belongs to the connection (RFC 9110 §7.6.1)'],
      ['Expect', 'the kit sends each body at once, without waiting for 100 Continue (RFC 9110 §10.1.1)'],
    ]) {
      await expect(conform({ signal: testEnd(), seed: 1, runs: 1, headers: { [name]: 'x' } })).rejects.toThrow(new ConformSetupError(`--header ${name} can't be set: ${why}`));
    }
  });
});

describe('--max-requests and --time-budget', () => {
  it('stops drawing at N requests, every family having had its turn, and reports what was done', async () => {
    const result = await conform({ signal: testEnd(), seed: 5, runs: 30, maxRequests: 60, ...SMALL });
    expect(result.requests).toBeLessThanOrEqual(60);
    expect(result.passed).toBe(true);
    expect(result.stopped).toMatch(/^--max-requests 60 reached: \d+ of \d+ requests judged$/);
    expect(result.summary).toContain('(stopped: --max-requests 60 reached');
    // Refused requests were sent too, not only the valid family's: the families take turns.
    expect(result.checks.find((c) => c.check === 'negative data rejected')!.judged).toBeGreaterThan(0);
    expect(result.notes).toContain('the collection was not read: --max-requests 60 reached');
  });

  // Outside tester H22: a budget spent before the first request was judged reported "every check passed", exit 0.
  it('stops drawing when the time budget is spent, and says it judged nothing when it did (a provider slower than the budget)', async () => {
    const slow = await startReferenceProvider({ faults: { latency: 60 } });
    try {
      await expect(conform({ signal: testEnd(), providerBaseUrl: slow.url, seed: 5, runs: 30, timeBudgetMs: 1 })).rejects.toThrow(
        new ConformSetupError('conform judged no request: --time-budget 0.001 s spent before the first one could be sent and judged; give a larger budget'),
      );
    } finally {
      await slow.close();
    }
    // The probe GET is the one request --max-requests 1 allows: no create fits.
    await expect(conform({ signal: testEnd(), seed: 5, runs: 2, maxRequests: 1 })).rejects.toThrow(/^conform judged no request: --max-requests 1 reached before the first one/);
  });

  // Outside tester N29: `--time-budget 5` against a provider answering every create 429 with Retry-After: 40 waited
  // 80 s, then ended for --max-throttle-wait without a word of the budget. A wait past the budget is not waited:
  // the run ends there, with what it judged. The waits are on the run's clock, which moves only when waited on.
  const throttling = (from: number, retryAfter?: string) => {
    let creates = 0;
    return (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== 'POST' || ++creates <= from) return false;
      res.writeHead(429, { 'Content-Type': 'application/json', ...(retryAfter ? { 'Retry-After': retryAfter } : {}) }).end('{"error":{"code":"TooManyRequests","message":"slow down"}}');
      return true;
    };
  };

  it('does not wait out a throttling past the time budget: judged nothing, it says the provider throttled past it', async () => {
    const reference = await startReferenceProvider(SMALL);
    const front = await frontOf(reference, throttling(0, '40'));
    const clock = movingClock();
    try {
      await expect(conform({ signal: testEnd(), providerBaseUrl: `${front.url}/beta`, seed: 1, runs: 5, timeBudgetMs: 5000, clock, ...SMALL })).rejects.toThrow(
        new ConformSetupError('conform judged no request: --time-budget 5 s spent: the provider throttled (429 with Retry-After 40 s), a wait past the budget before the first one could be sent and judged; give a larger budget'),
      );
      expect(clock.advancedMs).toBe(0);
    } finally {
      await front.close();
      await reference.close();
    }
  });

  it.each([
    ['with Retry-After', '40', /^--time-budget 5 s spent: the provider throttled \(429 with Retry-After 40 s\), a wait past the budget: \d+ of \d+ requests judged$/],
    // Backing off 0.25 s, 0.5 s, 1 s, 2 s: the next, 4 s, would pass the 5 s.
    ['without Retry-After', undefined, /^--time-budget 5 s spent: the provider throttled \(429 without Retry-After, backing off 4 s\), a wait past the budget: \d+ of \d+ requests judged$/],
  ])('ends the run at a throttling %s past the time budget, with what it judged', async (_how, retryAfter, stopped) => {
    const reference = await startReferenceProvider(SMALL);
    const front = await frontOf(reference, throttling(12, retryAfter));
    const clock = movingClock();
    try {
      const result = await conform({ signal: testEnd(), providerBaseUrl: `${front.url}/beta`, seed: 1, runs: 5, concurrency: 1, timeBudgetMs: 5000, clock, ...SMALL });
      expect(result.stopped).toMatch(stopped);
      expect(result.passed).toBe(true);
      expect(result.cases).toBeGreaterThanOrEqual(12);
      expect(result.throttling.answers).toBeGreaterThan(0);
      expect(clock.advancedMs).toBeLessThanOrEqual(5000);
    } finally {
      await front.close();
      await reference.close();
    }
  });

  it('refuses a budget of nothing', async () => {
    await expect(conform({ signal: testEnd(), maxRequests: 0 })).rejects.toThrow(new ConformSetupError('the most requests (--max-requests) must be a whole number from 1 (got 0)'));
    await expect(conform({ signal: testEnd(), timeBudgetMs: 0 })).rejects.toThrow(/the time budget \(--time-budget\) must be above 0 s/);
  });
});

describe('--replay', () => {
  it('sends exactly the requests of a report\'s findings again: the broken provider fails them again, a fixed one passes', async () => {
    const broken = await startGraphStyleProvider('a name cut at 64 characters', [], SMALL);
    const bodies: string[] = [];
    const fixed = await startReferenceProvider({ onRequest: (r) => r.method === 'POST' && bodies.push(r.body ?? '') });
    try {
      const found = await conform({ signal: testEnd(), providerBaseUrl: broken.url, seed: 7, runs: 30, ...SMALL });
      expect(found.passed).toBe(false);
      const report = readConformReport(file('found.json', conformJson(found, 1)));
      expect(report.findings).toHaveLength(found.findings.length);
      // The other families that cut a name are not shown, but kept: the replay sends one request of each too.
      expect(found.notShown.length).toBeGreaterThan(0);
      expect(report.notShown).toHaveLength(found.notShown.length);
      const sent = [...found.findings, ...found.notShown];
      const again = await conform({ signal: testEnd(), providerBaseUrl: broken.url, replay: report });
      expect(again.findings.map((f) => [f.check, f.where])).toEqual(found.findings.map((f) => [f.check, f.where]));
      expect(again.replayed).toBe(sent.length);
      expect(again.summary).toMatch(new RegExp(`^${sent.length} requests? of a report replayed by Graph beta against ${broken.url}: failed values back`));
      expect(again.rerun).toBe(`vppkit conform --replay ${join(dir, 'found.json')} --provider-base-url ${broken.url}`);
      const onFixed = await conform({ signal: testEnd(), providerBaseUrl: fixed.url, replay: report });
      expect(onFixed.passed).toBe(true);
      // The same bodies, each create's sToken new (a provider may take each token once: outside tester K17).
      const withoutToken = (body: string | undefined) => JSON.stringify({ ...(JSON.parse(body!) as object), token: undefined });
      expect(bodies.map(withoutToken).sort()).toEqual(sent.map((f) => withoutToken(f.request.body)).sort());
      expect(bodies.filter((body) => sent.some((f) => f.request.body === body))).toEqual([]);
    } finally {
      await broken.close();
      await fixed.close();
    }
  });

  it('keeps a body too large to show, so the replay sends the same bytes', async () => {
    const broken = await startGraphStyleProvider('no body limit');
    try {
      // At a 64 KiB limit: the body over it is 65,537 bytes, far over what a report shows (2,000 characters).
      const found = await conform({ signal: testEnd(), providerBaseUrl: broken.url, seed: 7, ...BUDGET, checks: ['negative data rejected'], ...SMALL });
      const large = found.findings.find((f) => f.family.startsWith('body over'))!;
      expect(large.request.body).toMatch(/… \(\d+ bytes\)$/);
      expect(large.replay.bodyGzip).toBeDefined();
      const report = readConformReport(file('large.json', conformJson(found, 1)));
      const again = await conform({ signal: testEnd(), providerBaseUrl: broken.url, replay: report, checks: ['negative data rejected'] });
      expect(again.findings.find((f) => f.family.startsWith('body over'))!.request.bodyBytes).toBe(large.request.bodyBytes);
    } finally {
      await broken.close();
    }
  });

  it('replays a valid create sent at a size the provider must take, naming the size and the limit again', async () => {
    const small = await startGraphStyleProvider("Express's 100 KB body limit");
    try {
      const found = await conform({ signal: testEnd(), providerBaseUrl: small.url, seed: 7, runs: 5, checks: ['status'] });
      expect(found.findings.map((f) => [f.family, f.replay.size])).toEqual([['a valid create of 102401 bytes', { bytes: 102401, limit: 4194304, graphs: true, why: "one byte over Express's default limit of 100 KB" }]]);
      const again = await conform({ signal: testEnd(), providerBaseUrl: small.url, replay: readConformReport(file('sized.json', conformJson(found, 1))), checks: ['status'] });
      expect(again.findings.map((f) => f.message)).toEqual(found.findings.map((f) => f.message));
      expect(again.findings[0].message).toMatch(/it is a valid create of 102401 bytes, .* within Graph's 4 MB, the limit assumed \(4194304 bytes/);
    } finally {
      await small.close();
    }
  });

  it('reads only a report conform wrote, saying where it is wrong', () => {
    expect(() => readConformReport(join(dir, 'none.json'))).toThrow(/^--replay .*none\.json: no such file or folder \(ENOENT\)$/);
    expect(() => readConformReport(file('text.json', 'findings'))).toThrow(/^--replay .*text\.json is not JSON: line 1, column \d+: .*: give the report vppkit conform --json wrote$/);
    expect(() => readConformReport(file('other.json', '{"command":"verify","providerBaseUrl":"x","embedded":false,"profile":"beta","findings":[]}'))).toThrow(
      /other\.json is not a report of vppkit conform --json: \/command: must be "conform" \(got "verify"\)$/,
    );
    expect(() => readConformReport(file('broken.json', '{"command":"conform","providerBaseUrl":"x","embedded":false,"profile":"beta","findings":[{"check":"status","where":"status","family":"valid","request":{"method":"POST","url":"x","headers":{}}}]}'))).toThrow(
      /broken\.json is not a report of vppkit conform --json: \/findings\/0\/replay: is required; \/findings\/0\/request\/bodyBytes: is required$/,
    );
    expect(() => readConformReport(file('passed.json', '{"command":"conform","providerBaseUrl":"x","embedded":true,"profile":"beta","findings":[]}'))).toThrow(/passed\.json has no findings to replay: that run passed$/);
  });
});
