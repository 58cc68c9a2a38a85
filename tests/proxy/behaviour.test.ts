// With faults on the way, what a client does when Graph fails is judged from the proxied traffic, by the same
// checks as check-client's (src/behaviour). Each check both ways: the tiny clients of tests/behaviour, each
// breaking one check, fail that check alone through the proxy; the correct one passes all. Time is a fake clock.
import { startReferenceProvider, type FaultOptions, type ReferenceProvider } from '../../src/provider';
import { harOf, judgeProxiedBehaviour, NothingToJudgeError, proxyJunit, proxyReport, startJudgingProxy, trafficEntryOf, type ProxiedExchange } from 'vpptokens-contract-kit/proxy';
import { createRequestFactory, createdVppToken } from 'vpptokens-contract-kit';
import { request } from 'node:http';
import { forwardedHeaders } from '../../src/proxy/capture';
import { monitorOutcomeOf } from '../../src/judgement';
import { frontOf } from '../support/front';
import { ALWAYS_503, ALWAYS_503_AT_ONCE, BLIND_READS, BREAKS, CORRECT, MIXED, PLAIN_504, READS_LIST, REREADS_AT_ONCE, THROTTLED_HALF, bodies, fakeClock, type Habits } from '../behaviour/tiny-clients';

// The tiny clients themselves (plain JavaScript, shared with check-client's tests), here pointed at the proxy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createAll } = require('../client-check/clients/habits.js') as {
  createAll(options: { base: string; habits: Habits; bodies: { token: string }[]; wait: (ms: number) => void | Promise<void> }): Promise<boolean>;
};
const tinyClient = (url: string, clock: ReturnType<typeof fakeClock>, habits: Habits) =>
  createAll({ base: `${url}/beta/deviceAppManagement/vppTokens`, habits, bodies: bodies(), wait: (ms) => clock.advance(ms) });

// A target of its own for each test: one that already holds a client's tokens answers their creates 201 with state
// duplicateLocationId, a second vppToken each, which fails no duplicate (decision 0652); each run here is a first.
let provider: ReferenceProvider;
beforeEach(async () => {
  provider = await startReferenceProvider();
});
afterEach(() => provider.close());

/** Runs a tiny client through a proxy with these faults in front of a plain reference provider. */
async function throughProxy(faults: FaultOptions, habits: Habits) {
  const clock = fakeClock();
  const proxy = await startJudgingProxy({ target: provider.url, faults, clock });
  try {
    const succeeded = await tinyClient(proxy.url, clock, habits);
    return { succeeded, proxy, verdict: judgeProxiedBehaviour(proxy.traffic, { clientSucceeded: succeeded }) };
  } finally {
    await proxy.close();
  }
}

it('the correct client passes every check under every kind of fault, and breaks no contract', async () => {
  for (const faults of [ALWAYS_503, MIXED]) {
    const { verdict, proxy } = await throughProxy(faults, CORRECT);
    expect(verdict.checks.filter((c) => !c.passed)).toEqual([]);
    expect(proxy.violations).toEqual([]);
  }
});

it.each(Object.entries(BREAKS))('a client that breaks %s fails that check alone', async (name, habits) => {
  const { verdict } = await throughProxy(name === 'no duplicate' ? MIXED : name === 'bounded retries' ? ALWAYS_503_AT_ONCE : ALWAYS_503, habits);
  expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual([name]);
});

// Outside tester J11 (decision 0244): a read re-sent within Retry-After fails the proxy's retry-after as check-client's.
it.each([
  ['waits out a throttled read', READS_LIST, []],
  ['re-reads at once', REREADS_AT_ONCE, ['retry-after']],
] as const)('a client reading the list at the end that %s', async (_name, habits, failing) => {
  const { verdict, proxy } = await throughProxy(THROTTLED_HALF, habits);
  expect(proxy.traffic.some((e) => e.method === 'GET' && (e.answer?.status === 429 || e.answer?.status === 503))).toBe(true);
  expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(failing);
  for (const finding of verdict.checks[0].findings) expect(finding.message).toMatch(/^request \d+ re-read the list of vppTokens 5 ms after the (429|503) to request \d+ ended, which said Retry-After: 1/);
});

// Outside tester H3: a list answered 200 that could not show the vppToken sent (another $filter, ids only) is no
// read-back through the proxy either (each against an empty target). A page's nextLink names the target, so a
// client following it goes around the proxy: pages are not judged here (docs/decisions/0180).
it.each([['the whole list', CORRECT, []], ['another filter', BLIND_READS['another filter'], ['no duplicate']], ['ids only', BLIND_READS['ids only'], ['no duplicate']]] as const)('a client reading back %s under plain 504s', async (_name, habits, failing) => {
  const target = await startReferenceProvider();
  const clock = fakeClock();
  const proxy = await startJudgingProxy({ target: target.url, faults: PLAIN_504, clock });
  let succeeded: boolean;
  try {
    succeeded = await tinyClient(proxy.url, clock, habits);
  } finally {
    await proxy.close();
    await target.close();
  }
  expect(judgeProxiedBehaviour(proxy.traffic, { clientSucceeded: succeeded }).checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(failing);
});

it('records the faults after the create as the provider would: stored, then a 504 or no answer; the target\'s 201 is still judged', async () => {
  const { proxy } = await throughProxy({ failRate: 1, failWith: ['504-after-create', 'reset-after-create'], seed: 3 }, { ...CORRECT, maxAttempts: 1 });
  const creates = proxy.traffic.filter((e) => e.method === 'POST');
  expect(creates.length).toBeGreaterThan(0);
  for (const entry of creates) {
    expect(entry.stored).toBe(true);
    expect(entry.answer).toEqual(entry.fault?.kind === '504-after-create' ? { status: 504 } : null);
  }
  expect(new Set(creates.map((e) => e.fault?.kind))).toEqual(new Set(['504-after-create', 'reset-after-create']));
  expect(proxy.exchanges.filter((e) => e.route === 'create').every((e) => e.answer?.status === 201 && e.problems.length === 0)).toBe(true);
  // The HAR says what the client got: a 504, or no answer at all, and that the target had answered 201.
  const har = harOf(proxy.exchanges, { name: 'vppkit', version: 'test' });
  for (const entry of har.log.entries.filter((e) => e.request.method === 'POST')) {
    expect([504, 0]).toContain(entry.response.status);
    expect(entry.comment).toMatch(/injected fault: (504|reset)-after-create; the target answered 201; the client got (the proxy's answer|no answer)/);
  }
});

// Outside tester R17 (decision 0450): a target whose clock is an hour ahead of the proxy's says Retry-After as an
// HTTP-date of its own clock, with its Date: a client is held to the 2 s the two say, not to an hour of the proxy's clock,
// less the second the Date leaves open (1251: the answer was made somewhere in that second, so at least 1001 ms).
it.each([
  [500, ['retry-after']],
  [2000, []],
] as const)("reads a target's HTTP-date Retry-After against its Date: a client that sends again after %i ms fails %j", async (waitMs, failing) => {
  const ahead = Math.floor(Date.now() / 1000) * 1000 + 3_600_000;
  let posts = 0;
  const front = await frontOf(provider, (req, res) => {
    if (req.method !== 'POST' || ++posts > 1) return false;
    res.writeHead(429, { 'Content-Type': 'application/json', Date: new Date(ahead).toUTCString(), 'Retry-After': new Date(ahead + 2000).toUTCString() });
    res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'Throttled.', innerError: {} } }));
    return true;
  });
  const clock = fakeClock();
  const proxy = await startJudgingProxy({ target: front.url, clock });
  const body = JSON.stringify(bodies()[waitMs === 500 ? 0 : 1]);
  const create = () => fetch(`${proxy.url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers: { Authorization: 'Bearer proxy', 'Content-Type': 'application/json' }, body }).then((r) => r.status);
  try {
    expect(await create()).toBe(429);
    clock.advance(waitMs);
    expect(await create()).toBe(201);
  } finally {
    await proxy.close();
    await front.close();
  }
  expect(proxy.traffic[0].answer).toEqual({ status: 429, retryAfter: new Date(ahead + 2000).toUTCString(), date: new Date(ahead).toUTCString() });
  expect(judgeProxiedBehaviour(proxy.traffic, { clientSucceeded: true }).checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(failing);
});

it('does not judge silent loss without being told whether the client reported success', async () => {
  const clock = fakeClock();
  const proxy = await startJudgingProxy({ target: provider.url, faults: ALWAYS_503, clock });
  try {
    await tinyClient(proxy.url, clock, BREAKS['no silent loss']);
  } finally {
    await proxy.close();
  }
  const loss = judgeProxiedBehaviour(proxy.traffic).checks.find((c) => c.name === 'no silent loss')!;
  expect(loss).toMatchObject({ passed: true, skipped: 'a proxy does not see whether the client reported success (clientSucceeded)' });
});

// Outside tester G6, rest: a client that never reached the proxy gave `passed: true` (the README's example went green).
it('judges nothing when no create came through: judgeProxiedBehaviour throws, and the report fails saying why', async () => {
  const proxy = await startJudgingProxy({ target: provider.url, faults: MIXED, clock: fakeClock() });
  try {
    await fetch(`${proxy.url}/beta/deviceAppManagement/vppToken`, { method: 'POST', headers: { Authorization: 'Bearer proxy', 'Content-Type': 'application/json' }, body: '{}' });
  } finally {
    await proxy.close();
  }
  for (const clientSucceeded of [true, false, undefined]) {
    expect(() => judgeProxiedBehaviour(proxy.traffic, { clientSucceeded })).toThrow(NothingToJudgeError);
  }
  let nothing: unknown;
  try {
    judgeProxiedBehaviour(proxy.traffic);
  } catch (error) {
    nothing = error;
  }
  expect((nothing as Error).message).toMatch(/no behaviour to judge: it holds 1 request: \d{3} at POST \/beta\/deviceAppManagement\/vppToken$/);
  const report = proxyReport(proxy, nothing as NothingToJudgeError);
  expect(report).toMatchObject({ passed: false, behaviourNotJudged: (nothing as Error).message });
  expect(report.summary).toMatch(/; behaviour not judged: no create$/);
  expect(proxyJunit(report)).toMatch(/<testcase classname="vppkit\.proxy\.behaviour" name="client behaviour"[^>]*>\s*<failure message="not judged: no create"/);
});

// Outside testers I13 and I2 (decision 0205): without faults, the proxy judges the client's behaviour too, and a run
// that judged no create is no verdict.
describe('without faults', () => {
  const post = (url: string, body: unknown, path = '/beta/deviceAppManagement/vppTokens') =>
    fetch(`${url}${path}`, { method: 'POST', headers: { Authorization: 'Bearer proxy-no-faults', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('fails a client that creates one token twice (no duplicate), and passes one that creates each once', async () => {
    const [a, b] = bodies(2);
    const proxy = await startJudgingProxy({ target: provider.url });
    try {
      for (const body of [a, { ...a, displayName: 'again' }]) expect((await post(proxy.url, body)).status).toBe(201);
    } finally {
      await proxy.close();
    }
    const report = proxyReport(proxy, judgeProxiedBehaviour(proxy.traffic));
    expect(report.passed).toBe(false);
    expect(report.summary).toMatch(/: no violation; behaviour failed: no duplicate$/);
    // The id each 201 named, for a DELETE of it to end it (outside tester I27).
    expect(proxy.traffic.map((e) => e.createdId)).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    const finding = report.behaviour!.checks.find((c) => c.name === 'no duplicate')!.findings[0].message;
    expect(finding).toBe('token 1 was created again by request 2 (first by request 1): the client re-sent it after a 201 to request 1. Request 1 was answered 201 with the created vppToken: a created token is never sent again.');
    expect(proxyJunit(report)).toMatch(/name="client behaviour: no duplicate"[^>]*>\s*<failure message="1 finding"/);

    const once = await startJudgingProxy({ target: provider.url });
    try {
      for (const body of [{ ...a, token: `${a.token}x` }, b]) expect((await post(once.url, body)).status).toBe(201);
    } finally {
      await once.close();
    }
    const fine = proxyReport(once, judgeProxiedBehaviour(once.traffic));
    expect([fine.passed, fine.summary]).toEqual([true, '2 requests, 2 creates judged: no violation; behaviour passed']);
  });

  // Outside attacker R68 (decision 0652): the same job run again through the proxy against a target that already held
  // its tokens passed, every 201 saying state duplicateLocationId. The answer says so: a second vppToken each.
  it('fails a client whose creates the target answers 201 with state duplicateLocationId, each counted an extra creation', async () => {
    const [a, b] = bodies(2);
    for (const body of [a, b]) expect((await post(provider.url, body)).status).toBe(201);
    const proxy = await startJudgingProxy({ target: provider.url });
    try {
      for (const body of [a, b]) {
        const answer = await post(proxy.url, body);
        expect([answer.status, ((await answer.json()) as { state: string }).state]).toEqual([201, 'duplicateLocationId']);
      }
    } finally {
      await proxy.close();
    }
    const report = proxyReport(proxy, judgeProxiedBehaviour(proxy.traffic));
    expect(report.passed).toBe(false);
    expect(report.summary).toMatch(/: no violation; behaviour failed: no duplicate$/);
    expect(report.behaviour!.summary).toMatch(/2 creates of 2 tokens: 2 created, 2 extra creations, 0 never created/);
    expect(report.behaviour!.checks.find((c) => c.name === 'no duplicate')!.findings.map((f) => f.message)).toEqual(
      [1, 2].map((n) => `token ${n} was created again by request ${n}: its 201 said state duplicateLocationId, the provider already held the token (an earlier run, another runner), so it now holds a second vppToken for it. A job that may run again reads the list back first and creates only the tokens it does not find.`),
    );
  });

  // Decision 0670 (what 0652 left): a create inside a JSON batch is read as one sent alone, from its own answer in
  // the batch's: its id, and a 201 that says state duplicateLocationId, a second vppToken of a token the target held.
  it('reads a create inside a JSON batch answered 201 with state duplicateLocationId as created again; fresh tokens in a batch pass', async () => {
    const [a, b, c, d] = bodies(4);
    expect((await post(provider.url, a)).status).toBe(201);
    const batch = (url: string, sent: unknown[]) =>
      fetch(`${url}/beta/$batch`, {
        method: 'POST',
        headers: { Authorization: 'Bearer proxy-no-faults', 'Content-Type': 'application/json' },
        body: JSON.stringify({ requests: sent.map((body, i) => ({ id: String(i + 1), method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body })) }),
      });
    const again = await startJudgingProxy({ target: provider.url });
    try {
      expect((await batch(again.url, [a, b])).status).toBe(200);
    } finally {
      await again.close();
    }
    expect(again.traffic.map((e) => [e.batchId, e.stored, e.heldAlready, e.createdId])).toEqual([
      ['1', true, true, expect.stringMatching(/^[0-9a-f-]{36}$/)],
      ['2', true, undefined, expect.stringMatching(/^[0-9a-f-]{36}$/)],
    ]);
    const report = proxyReport(again, judgeProxiedBehaviour(again.traffic));
    expect(report.summary).toMatch(/: no violation; behaviour failed: no duplicate$/);
    expect(report.behaviour!.summary).toMatch(/2 creates of 2 tokens: 2 created, 1 extra creation, 0 never created$/);
    expect(report.behaviour!.checks.find((c) => c.name === 'no duplicate')!.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^token 1 was created again by request 1 \(\$batch id "1"\): its 201 said state duplicateLocationId/)]);

    const fresh = await startJudgingProxy({ target: provider.url });
    try {
      expect((await batch(fresh.url, [c, d])).status).toBe(200);
    } finally {
      await fresh.close();
    }
    expect(fresh.traffic.map((e) => [e.batchId, e.heldAlready, e.createdId === undefined])).toEqual([['1', undefined, false], ['2', undefined, false]]);
    expect(proxyReport(fresh, judgeProxiedBehaviour(fresh.traffic)).passed).toBe(true);
  });

  // Outside finding R94 (decision 0852): a DELETE inside a JSON batch was not read, so creating the token again after
  // it failed no duplicate, where the same DELETE sent alone passed (0690). A batch's DELETE of another id does not end it.
  it('reads a DELETE inside a JSON batch answered 2xx as the deletion; one of another id leaves the re-create a duplicate', async () => {
    // The mock models no DELETE (501): a front answers the batch as Graph would, and once the vppToken is deleted
    // sends the next create to a provider that never held the token, as Graph's store then is.
    const fresh = await startReferenceProvider();
    const run = async (n: number, which: (created: string) => string) => {
      const a = createRequestFactory.withSeed(1852).buildAt(n);
      let createdId = '';
      let deleted = false;
      const front = await frontOf(provider, (req, res, body) => {
        if (/\$batch$/.test(req.url ?? '')) {
          const gone = (JSON.parse(body.toString()) as { requests: { url: string }[] }).requests[0].url.endsWith(`/${createdId}`);
          deleted ||= gone;
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ responses: [gone ? { id: '1', status: 204 } : { id: '1', status: 404, headers: { 'Content-Type': 'application/json' }, body: { error: { code: 'ResourceNotFound', message: 'Not found.', innerError: {} } } }] }));
          return true;
        }
        if (!deleted || req.method !== 'POST') return false;
        const out = request(`${fresh.url}${req.url}`, { method: 'POST', headers: forwardedHeaders(req.rawHeaders) }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(res);
        });
        out.end(body);
        return true;
      });
      const proxy = await startJudgingProxy({ target: front.url });
      try {
        const first = await post(proxy.url, a);
        expect(first.status).toBe(201);
        createdId = ((await first.json()) as { id: string }).id;
        const batch = await fetch(`${proxy.url}/beta/$batch`, {
          method: 'POST',
          headers: { Authorization: 'Bearer proxy-no-faults', 'Content-Type': 'application/json' },
          body: JSON.stringify({ requests: [{ id: '1', method: 'DELETE', url: `/deviceAppManagement/vppTokens/${which(createdId)}` }] }),
        });
        expect(batch.status).toBe(200);
        return { proxy, statuses: ((await batch.json()) as { responses: { status: number }[] }).responses.map((r) => r.status), again: (await post(proxy.url, a)).status };
      } finally {
        await proxy.close();
        await front.close();
      }
    };
    try {
      const deleted = await run(0, (id) => id);
      expect([deleted.statuses, deleted.again]).toEqual([[204], 201]);
      const fine = proxyReport(deleted.proxy, judgeProxiedBehaviour(deleted.proxy.traffic));
      expect(fine.behaviour!.summary).toMatch(/; 2 creates of 1 token: 1 created, 0 extra creations, 0 never created$/);
      expect(fine.passed).toBe(true);

      const other = await run(1, () => '00000000-0000-4000-8000-000000000000');
      expect([other.statuses, other.again]).toEqual([[404], 201]);
      const twice = proxyReport(other.proxy, judgeProxiedBehaviour(other.proxy.traffic));
      expect(twice.behaviour!.summary).toMatch(/; 2 creates of 1 token: 1 created, 1 extra creation, 0 never created$/);
      expect(twice.summary).toMatch(/behaviour failed: no duplicate$/);
    } finally {
      await fresh.close();
    }
  });

  // Outside finding R149 (decision 1250): a create inside a JSON batch the target answered as a whole (202 Accepted, a
  // 504, an unasked 204) was counted "never created", and a blind re-send of the batch after the 202 passed no duplicate.
  // The batch's status is read by the one outcome rule as the answer each create inside got; a 400 refuses them all.
  it('reads the creates inside a JSON batch answered as a whole by its status: 202, 204, 504 unknown; 400 never created', async () => {
    const sent = bodies(7);
    // The last: a 200 cut short after its head (1250's neighbour), read as an answer cut, as a lone create's (1172).
    const statuses = [202, 504, 204, 200, 400, 503, 200];
    const proxyFor = async () => {
      let n = 0;
      const front = await frontOf(provider, (req, res) => {
        const k = Math.floor(n++ / 2);
        const status = statuses[k];
        if (k === statuses.length - 1) {
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '500' });
          res.write('{"responses":[{"id":"1","status":201,', () => res.socket?.destroy());
          return true;
        }
        res.writeHead(status, { 'Content-Type': 'application/json', ...(status === 202 ? { Location: `http://${req.headers.host}/beta/monitor/1` } : {}) });
        res.end(status === 202 || status === 204 ? undefined : JSON.stringify(status === 200 ? { value: [] } : { error: { code: 'Whole', message: `whole batch ${status}` } }));
        return true;
      });
      return { front, proxy: await startJudgingProxy({ target: front.url }) };
    };
    const { front, proxy } = await proxyFor();
    try {
      for (const body of sent.flatMap((one) => [one, one])) {
        await fetch(`${proxy.url}/beta/$batch`, {
          method: 'POST',
          headers: { Authorization: 'Bearer proxy-no-faults', 'Content-Type': 'application/json' },
          body: JSON.stringify({ requests: [{ id: '1', method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body }] }),
        })
          .then((r) => r.arrayBuffer())
          .catch(() => undefined); // the cut answer's body fails the read: the client learns the outcome is unknown
      }
    } finally {
      await proxy.close();
      await front.close();
    }
    const judged = statuses.map((status, k) => [status, judgeProxiedBehaviour(proxy.traffic.slice(2 * k, 2 * k + 2))] as const);
    const said = judged.map(([status, verdict]) => [status, verdict.summary.replace(/^.*2 creates of 1 token: /, ''), verdict.checks.find((c) => c.name === 'no duplicate')!.passed]);
    expect(said).toEqual([
      [202, '0 created, 0 extra creations, 0 never created, 1 unknown (sent whole, outcome unknown: may be created; read the list back)', false],
      [504, '0 created, 0 extra creations, 0 never created, 1 unknown (sent whole, outcome unknown: may be created; read the list back)', false],
      [204, '0 created, 0 extra creations, 0 never created, 1 unknown (sent whole, outcome unknown: may be created; read the list back)', false],
      [200, '0 created, 0 extra creations, 0 never created, 1 unknown (sent whole, outcome unknown: may be created; read the list back)', false],
      [400, '0 created, 0 extra creations, 1 never created', true],
      [503, '0 created, 0 extra creations, 1 never created', true],
      [200, '0 created, 0 extra creations, 0 never created, 1 unknown (sent whole, outcome unknown: may be created; read the list back)', false],
    ]);
    expect(proxy.traffic.filter((_, k) => k % 2 === 0).map((e) => e.storedUnknown)).toEqual([
      expect.stringMatching(/^the target answered the batch 202 as a whole: accepted for processing, not done \(RFC 9110 §15\.3\.3/),
      'the target answered the batch 504 as a whole, which may come after it ran the creates inside it',
      expect.stringMatching(/^the target answered the batch 204 as a whole, giving this create no answer of its own; it may have been created/),
      expect.stringMatching(/^the target answered the batch 200 as a whole, giving this create no answer of its own/),
      undefined,
      undefined,
      'the target answered the batch 200, and its answer did not come whole (the target cut its answer short); it may have been created',
    ]);
    // The batch accepted as a whole: each create inside accepted for processing, its monitor the batch's (decision 1270).
    expect(proxy.traffic.filter((_, k) => k % 2 === 0).map((e) => [e.accepted, e.monitor])).toEqual([[true, '/beta/monitor/1'], ...statuses.slice(1).map(() => [undefined, undefined])]);
    // Each answered by its batch's status as a whole, none of its own: what that told the client is read by the one rule (1325).
    expect(proxy.traffic.filter((_, k) => k % 2 === 0).map((e) => e.answeredWhole)).toEqual(statuses.map(() => true));
    expect(judged[0][1].checks.find((c) => c.name === 'no duplicate')!.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^request 2 \(\$batch id "1"\) re-sent token 1 after a 202 to request 1 \(\$batch id "1"\) without reading back first: the first may have created it/)]);
  });

  // Outside finding W6 (decision 1315): the 202's status monitor answered 200 holding the create's own `201 Created`
  // as application/http (OData 4.01 Part 1 §11.6); `no duplicate` passed the re-send, the count said unknown.
  it("reads a 202's create by the answer its status monitor gave: a 201 inside is created, a re-send after it a duplicate; a 400 inside never created", async () => {
    const [a, b] = bodies(2);
    const id = '3c5e8a10-7d2b-4e6f-9a1c-2b4d6f8a0c1e';
    let n = 0;
    const front = await frontOf(provider, (req, res) => {
      const host = `http://${req.headers.host}`;
      if (req.method === 'POST') {
        res.writeHead(202, { Location: `${host}/beta/monitor/${++n}`, 'Content-Length': '0' });
        res.end();
        return true;
      }
      if (!req.url!.startsWith('/beta/monitor/')) return false;
      // Monitor 1 watches token a's create, made; monitor 3 token b's, refused.
      const inner = req.url === '/beta/monitor/1'
        ? `HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nLocation: ${host}/beta/deviceAppManagement/vppTokens('${id}')\r\n\r\n${JSON.stringify(createdVppToken(a as never, { id, now: new Date('2026-01-01T00:00:00Z') }))}`
        : 'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{"error":{"code":"BadRequest","message":"no"}}';
      res.writeHead(200, { 'Content-Type': 'application/http', 'Content-Length': String(Buffer.byteLength(inner)) });
      res.end(inner);
      return true;
    });
    const proxy = await startJudgingProxy({ target: front.url, keepBodies: false });
    const headers = { Authorization: 'Bearer proxy-no-faults', 'Content-Type': 'application/json', Prefer: 'respond-async' };
    try {
      for (const [method, path, body] of [['POST', '', a], ['GET', '/monitor/1'], ['POST', '', a], ['POST', '', b], ['GET', '/monitor/3'], ['POST', '', b]] as const) {
        await (await fetch(`${proxy.url}/beta${path || '/deviceAppManagement/vppTokens'}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) })).arrayBuffer();
      }
    } finally {
      await proxy.close();
      await front.close();
    }
    // What the proxy keeps of a monitor's answer: what it said of the create, by id; not its body (a token is in it).
    expect(proxy.traffic.map((e) => e.answer?.told)).toEqual([undefined, { created: true, createdId: id }, undefined, undefined, { created: false }, undefined]);
    expect(proxy.exchanges[1].answer?.body).toBeUndefined();
    const made = judgeProxiedBehaviour(proxy.traffic.slice(0, 3));
    expect(made.summary).toMatch(/2 creates of 1 token: 1 created, 0 extra creations, 0 never created$/);
    expect(made.checks.find((c) => c.name === 'no duplicate')!.findings.map((f) => f.message)).toEqual([
      `token 1 was sent again by request 3 after the status monitor of request 1 said it was created (request 2 was answered 200 with the create's answer, naming vppToken ${id}: OData 4.01 Part 1 §11.6): a created token is never sent again, and a 202 to request 3 leaves open whether it made a second vppToken`,
    ]);
    // The neighbour: told refused (400 inside), the first made nothing: the re-send is no duplicate.
    const refused = judgeProxiedBehaviour(proxy.traffic.slice(3));
    expect(refused.checks.find((c) => c.name === 'no duplicate')!.passed).toBe(true);
    expect(refused.summary).toMatch(/2 creates of 1 token: 0 created, 0 extra creations, 0 never created, 1 unknown/);
  });

  it('fails a run that judged no create, saying so, its checks skipped rather than passed', async () => {
    const proxy = await startJudgingProxy({ target: provider.url });
    try {
      for (const path of ['/beta/deviceAppManagement/vppToken', '/beta/deviceAppManagement/vpptoken/x']) expect((await post(proxy.url, { token: 'abc' }, path)).status).toBe(404);
    } finally {
      await proxy.close();
    }
    let nothing: unknown;
    try {
      judgeProxiedBehaviour(proxy.traffic);
    } catch (error) {
      nothing = error;
    }
    expect(nothing).toBeInstanceOf(NothingToJudgeError);
    const report = proxyReport(proxy, nothing as NothingToJudgeError);
    expect(report.passed).toBe(false);
    expect(report.summary).toBe('2 requests, 0 creates judged: nothing judged (no create, POST .../deviceAppManagement/vppTokens, was judged): no verdict; behaviour not judged: no create');
    const junit = proxyJunit(report);
    expect(junit).toMatch(/name="client: request schema"[^>]*>\s*<skipped message="no create was judged"/);
    expect(junit).not.toMatch(/name="provider: status"\/>/);
  });
});

// Review (decision 0690): the proxy read a create's 201 id by a looser rule than the judgement's createdIdOf (the one
// seed records a create by): any non-empty string was taken. It now takes the judgement's, so an id that is no GUID,
// a body with another request's token, or a Location naming another vppToken names nothing, and a DELETE of that id
// does not end the vppToken the 201 made: creating its token again is a duplicate.
describe("a proxied create's id, read by the judgement's createdIdOf", () => {
  const json = 'application/json;odata.metadata=minimal;charset=utf-8';
  const [a, b] = bodies(2);
  const id = '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60';
  const seen = (rawHeaders: string[], body?: unknown) => {
    const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return { rawHeaders, ...(bytes ? { body: bytes } : {}), size: bytes?.length ?? 0, overLimit: false };
  };
  const exchange = (index: number, method: string, url: string, body: unknown, status: number, answer: unknown, answerHeaders: string[] = []): ProxiedExchange => ({
    index,
    method,
    url,
    targetUrl: `http://127.0.0.1:1${url}`,
    route: method === 'POST' ? 'create' : 'vppTokens',
    startedAt: index,
    answeredAt: index,
    request: seen(['Content-Type', 'application/json', 'Authorization', 'Bearer created-id'], body),
    answer: { status, statusText: '', ...seen(['Content-Type', json, ...answerHeaders], answer) },
    outcome: 'answered',
    problems: [],
  });
  const create = (index: number, sent: { token: string }, answer: unknown, answerHeaders?: string[]) => exchange(index, 'POST', '/beta/deviceAppManagement/vppTokens', sent, 201, answer, answerHeaders);
  const trafficEntriesOfAll = (exchanges: ProxiedExchange[]) => exchanges.map(trafficEntryOf);
  const created = (sent: { token: string }, extra: Record<string, unknown> = {}) => ({ ...createdVppToken(sent as never, { id, now: new Date('2026-01-01T00:00:00Z') }), ...extra });

  // Decision 1315 (outside finding W6): a status monitor's final answer read for the create's own answer it holds.
  it("reads a status monitor's final answer by the one outcome rule: the create's answer inside, or a 303 naming the vppToken", () => {
    const http = (inner: string, type = 'application/http') => ({ status: 200, headers: {}, rawHeaders: ['Content-Type', type], body: undefined, bytes: Buffer.from(inner) });
    const made = JSON.stringify(created(a));
    expect(monitorOutcomeOf(http(`HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n\r\n${made}`), a as never)).toEqual({ outcome: 'created', id, state: 'valid' });
    // Bare LF line ends read as well (RFC 9112 §2.2); a 200 with the vppToken is created as a lone create's (1130).
    expect(monitorOutcomeOf(http(`HTTP/1.1 200 OK\nContent-Type: application/json\n\n${made}`), a as never)).toEqual({ outcome: 'created', id, state: 'valid' });
    expect(monitorOutcomeOf(http('HTTP/1.1 409 Conflict\r\n\r\n'))).toEqual({ outcome: 'not created' });
    // Another request's vppToken, a 500 inside: unknown, as a lone create's answer is.
    expect(monitorOutcomeOf(http(`HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n\r\n${made}`), b as never)).toMatchObject({ outcome: 'unknown' });
    expect(monitorOutcomeOf(http('HTTP/1.1 500 Internal Server Error\r\n\r\n'))).toMatchObject({ outcome: 'unknown' });
    // No outcome told: still running (a 202, or a 202 inside), another type, no HTTP message inside.
    for (const silent of [{ ...http(''), status: 202 }, http('HTTP/1.1 202 Accepted\r\n\r\n'), http(made, 'application/json'), http('not http\r\n\r\n'), http('HTTP/1.1 201 Created')]) expect(monitorOutcomeOf(silent)).toBeUndefined();
    const seeOther = (location: string) => ({ status: 303, headers: {}, rawHeaders: ['Location', location], body: undefined });
    expect(monitorOutcomeOf(seeOther(`http://127.0.0.1:1/beta/deviceAppManagement/vppTokens('${id}')`))).toEqual({ outcome: 'created', id });
    expect(monitorOutcomeOf(seeOther('http://127.0.0.1:1/beta/monitor/1/result'))).toBeUndefined();
  });

  it('takes the id of a 201 the judgement takes, and its duplicateLocationId; names nothing for one it refuses', () => {
    expect(trafficEntryOf(create(1, a, created(a))).createdId).toBe(id);
    expect(trafficEntryOf(create(1, a, created(a), ['Location', `http://127.0.0.1:1/beta/deviceAppManagement/vppTokens('${id.toUpperCase()}')`])).createdId).toBe(id);
    const again = trafficEntryOf(create(1, a, created(a, { state: 'duplicateLocationId' })));
    expect([again.createdId, again.heldAlready]).toEqual([id, true]);
    for (const refused of [
      create(1, a, created(a, { id: 'not-a-guid' })),
      create(1, a, created(a, { token: b.token })),
      create(1, a, created(a), ['Location', `http://127.0.0.1:1/beta/deviceAppManagement/vppTokens('${id.replace('7b', '8b')}')`]),
      create(1, a, created(a, { '@odata.type': '#microsoft.graph.iosVppApp' })),
      create(1, a, created(a, { id: 'not-a-guid', state: 'duplicateLocationId' })),
    ]) {
      // A 201 naming no vppToken the judgement takes: its outcome unknown, as seed counts it (decision 1172).
      const entry = trafficEntryOf(refused);
      expect([entry.stored, entry.createdId, entry.heldAlready, entry.storedUnknown]).toEqual([false, undefined, undefined, 'the target answered 201 without the created vppToken; it may have been created']);
    }
  });

  // Decision 1130 (outside findings R138, R139): one outcome rule with seed's (createOutcomeOf). "Never created" is the
  // one count that tells a client a re-send is safe: never for an answer after which the target may hold the vppToken.
  it("counts a create's answer as seed does: a 200 with the created vppToken created; a 202, a 2xx naming none, a 504 unknown; a 400 never created", () => {
    const answered = (status: number, answer: unknown, prefer?: string) => {
      const sent = exchange(1, 'POST', '/beta/deviceAppManagement/vppTokens', a, status, answer);
      if (prefer) sent.request.rawHeaders.push('Prefer', prefer);
      const entry = trafficEntryOf(sent);
      const summary = judgeProxiedBehaviour([entry]).summary.replace(/^.*1 create of 1 token: /, '');
      return [entry.stored, entry.createdId, entry.storedUnknown, summary];
    };
    expect(answered(200, created(a))).toEqual([true, id, undefined, expect.stringMatching(/^1 created, 0 extra creations, 0 never created/)]);
    expect(answered(201, created(a))).toEqual([true, id, undefined, expect.stringMatching(/^1 created, /)]);
    const unknown = (why: RegExp) => [false, undefined, expect.stringMatching(why), expect.stringMatching(/^0 created, 0 extra creations, 0 never created/)];
    // A 201 or a 204 to return=minimal naming no vppToken: unknown, as seed counts it, not created (decision 1172; 0690's `stored`).
    expect(answered(201, {})).toEqual(unknown(/^the target answered 201 without the created vppToken; it may have been created$/));
    expect(answered(204, undefined, 'return=minimal')).toEqual(unknown(/^the target answered 204 without the created vppToken/));
    expect(answered(202, undefined)).toEqual(unknown(/^the target answered 202 Accepted: the create was accepted for processing, not done \(RFC 9110 §15\.3\.3/));
    expect(answered(202, created(a), 'respond-async')).toEqual(unknown(/^the target answered 202 Accepted/));
    expect(answered(200, {})).toEqual(unknown(/^the target answered 200 without the created vppToken; it may have been created$/));
    expect(answered(200, created(a, { token: b.token }))).toEqual(unknown(/^the target answered 200 without the created vppToken/));
    expect(answered(204, undefined)).toEqual(unknown(/^the target answered 204 without the created vppToken/));
    expect(answered(504, undefined)).toEqual(unknown(/^the target answered 504, which may come after it stored the vppToken$/));
    expect(answered(400, { error: { code: 'BadRequest', message: 'no' } })).toEqual([false, undefined, undefined, expect.stringMatching(/^0 created, 0 extra creations, 1 never created/)]);
  });

  // Outside finding R141 (decision 1230): a 303 See Other to a create (RFC 9110 §9.3.3: processed, its result the
  // vppToken the Location names) was "never created", and a re-send after it passed no duplicate. A 307 (not processed
  // here, RFC 9110 §15.4.8) is still never created, and a re-send after it is fine.
  it('counts a create answered 303 See Other unknown, and a re-send after it unread a possible duplicate; a 307 never created', () => {
    const at = ['Location', `http://127.0.0.1:1/beta/deviceAppManagement/vppTokens('${id}')`];
    const twice = (status: number) => judgeProxiedBehaviour(trafficEntriesOfAll([1, 2].map((n) => exchange(n, 'POST', '/beta/deviceAppManagement/vppTokens', a, status, undefined, at))));
    const seeOther = twice(303);
    expect(seeOther.summary).toMatch(/2 creates of 1 token: 0 created, 0 extra creations, 0 never created, 1 unknown/);
    expect(trafficEntryOf(exchange(1, 'POST', '/beta/deviceAppManagement/vppTokens', a, 303, undefined, at)).storedUnknown).toMatch(/^the target answered 303 See Other: the create was processed/);
    expect(seeOther.checks.find((c) => c.name === 'no duplicate')!.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^request 2 re-sent token 1 after a 303 to request 1 without reading back first: the first may have created it/)]);
    const moved = twice(307);
    expect(moved.summary).toMatch(/2 creates of 1 token: 0 created, 0 extra creations, 1 never created/);
    expect(moved.checks.find((c) => c.name === 'no duplicate')!.passed).toBe(true);
  });

  // Outside finding R154 (decision 1270): a create answered 202 Accepted, a whole list read that cannot show it yet,
  // then a re-send passed no duplicate, the list read counting it never created.
  it('keeps a create answered 202 unknown after a whole list that lacks it, its monitor from the Location; a re-send after the list alone is blind', () => {
    const accepted = (n: number) => exchange(n, 'POST', '/beta/deviceAppManagement/vppTokens', a, 202, undefined, ['Location', 'http://127.0.0.1:1/beta/monitor/1?at=2']);
    const list = (n: number): ProxiedExchange => ({ ...exchange(n, 'GET', '/beta/deviceAppManagement/vppTokens', undefined, 200, { value: [] }), readWhole: true, tally: { listed: 0, ids: [] } });
    const monitor = (n: number, status: number) => exchange(n, 'GET', '/beta/monitor/1?at=2', undefined, status, undefined);
    expect(trafficEntryOf(accepted(1))).toMatchObject({ accepted: true, monitor: '/beta/monitor/1?at=2', storedUnknown: expect.stringMatching(/^the target answered 202 Accepted/) });
    const read = judgeProxiedBehaviour(trafficEntriesOfAll([accepted(1), list(2)]));
    expect(read.summary).toMatch(/1 create of 1 token: 0 created, 0 extra creations, 0 never created, 1 unknown/);
    const blind = judgeProxiedBehaviour(trafficEntriesOfAll([accepted(1), list(2), accepted(3)]));
    expect(blind.checks.find((c) => c.name === 'no duplicate')!.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^request 3 re-sent token 1 after a 202 to request 1 after reads that could not show it \(request 2 could not show it: request 1 was answered 202 Accepted/)]);
    // Its monitor asked until it answered that the processing ended: the re-send is no blind one; while it says 202, it is.
    expect(judgeProxiedBehaviour(trafficEntriesOfAll([accepted(1), monitor(2, 202), monitor(3, 200), list(4), accepted(5)])).checks.find((c) => c.name === 'no duplicate')!.passed).toBe(true);
    expect(judgeProxiedBehaviour(trafficEntriesOfAll([accepted(1), monitor(2, 202), list(3), accepted(4)])).checks.find((c) => c.name === 'no duplicate')!.passed).toBe(false);
    // A 504's create, the neighbour: the same whole list proves it never created, and the re-send after it passes (0880).
    const gateway = exchange(1, 'POST', '/beta/deviceAppManagement/vppTokens', a, 504, undefined);
    expect(judgeProxiedBehaviour(trafficEntriesOfAll([gateway, list(2)])).summary).toMatch(/1 create of 1 token: 0 created, 0 extra creations, 1 never created \(1 not listed by a read/);
    expect(judgeProxiedBehaviour(trafficEntriesOfAll([gateway, list(2), create(3, a, created(a))])).checks.find((c) => c.name === 'no duplicate')!.passed).toBe(true);
  });

  it('ends a vppToken by a DELETE of the id its 201 named only when the judgement took that id', () => {
    const run = (createdId: string) => judgeProxiedBehaviour(trafficEntriesOfAll([
      create(1, a, created(a, { id: createdId })),
      exchange(2, 'DELETE', `/beta/deviceAppManagement/vppTokens/${createdId}`, undefined, 204, undefined),
      create(3, a, created(a, { id: createdId })),
    ]));
    expect(run(id).checks.find((c) => c.name === 'no duplicate')!.passed).toBe(true);
    // Its 201 named no vppToken the judgement takes: its outcome unknown (1172), so the token sent again without a read
    // that could show it may be a second vppToken, whatever the DELETE of an id that names none did.
    const loose = run('not-a-guid').checks.find((c) => c.name === 'no duplicate')!;
    expect([loose.passed, loose.findings.map((f) => f.message)]).toEqual([false, [expect.stringMatching(/^request 3 re-sent token 1 after a 201 to request 1 without reading back first: the first may have created it\./)]]);
  });
});
