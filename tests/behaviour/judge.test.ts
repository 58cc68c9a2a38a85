// The behaviour checks, each proven both ways: on traffic written by hand (the definitions, at their edges), and
// on the traffic of tiny clients run against the reference provider with faults and a fake clock.
import { gzipSync } from 'node:zlib';
import { createRequestFactory, judgeClientBehaviour, NothingToJudgeError, readAppleSToken, retryAfterMs, tokenOf, type BehaviourCheckName, type TrafficEntry } from 'vpptokens-contract-kit';
import { faultGivenUpAfter, pageKey } from '../../src/behaviour';
import { tokenFingerprint } from '../../src/validation';
import { startReferenceProvider } from '../../src/provider';
import { ALWAYS_503, ALWAYS_503_AT_ONCE, BLIND_READS, BREAKS, CORRECT, CORRECT_IN_PARALLEL, MIXED, PLAIN_504, READS_LIST, REREADS_AT_ONCE, THROTTLED_HALF, bodies, fakeClock, runTinyClient, type Habits } from './tiny-clients';

const SECRET = 'c2VjcmV0LXRva2VuLXZhbHVl';
let sequence = 0;

/** A create of `token` starting at `at`, answered at once with `status` (null: no answer). */
function create(token: string, at: number, status: number | null, extra: Partial<TrafficEntry> = {}): TrafficEntry {
  sequence++;
  return {
    sequence,
    method: 'POST',
    path: '/beta/deviceAppManagement/vppTokens',
    rawHeaders: ['Content-Type', 'application/json'],
    body: Buffer.from(JSON.stringify({ token, displayName: 'x' })),
    startedAt: at,
    endedAt: at,
    answer: status === null ? null : { status },
    stored: status === 201,
    ...extra,
  };
}
const throttle = (token: string, at: number, retryAfter: string | undefined, status = 429) =>
  create(token, at, status, { answer: { status, ...(retryAfter === undefined ? {} : { retryAfter }) }, fault: { kind: status as 429, by: 'fail-rate' } });
const failed = (traffic: TrafficEntry[], options = {}) =>
  judgeClientBehaviour(traffic, options)
    .checks.filter((c) => !c.passed)
    .map((c) => c.name);

beforeEach(() => (sequence = 0));

describe('the same request', () => {
  it('is a create with the same token, whatever the key order and whitespace', () => {
    const a = create(SECRET, 0, 429, { answer: { status: 429, retryAfter: '1' } });
    const b = create(SECRET, 100, 201, { body: Buffer.from(`{ "displayName" : "y",\n "token":"${SECRET}" }`) });
    expect(tokenOf(b)).toBe(SECRET);
    expect(failed([a, b])).toEqual(['retry-after']);
    // Another token is another request (sent while the 429 was on its way: in parallel, outside its window).
    expect(failed([a, create('b3RoZXI=', -5, 201, { endedAt: 100 })], { clientSucceeded: false })).toEqual([]);
  });

  // Outside tester K24: an sToken without its padding, or in base64url, is the same token.
  it('is one sToken however its base64 is written: padded, unpadded or base64url', () => {
    const sToken = Buffer.from(JSON.stringify({ token: 'K24-?>~1', expDate: '2041-01-01T00:00:00-0800', orgName: 'Contoso' })).toString('base64');
    const unpadded = sToken.replace(/=+$/, '');
    for (const again of [unpadded, unpadded.replace(/\+/g, '-').replace(/\//g, '_')]) {
      sequence = 0;
      const verdict = judgeClientBehaviour([create(sToken, 0, 201), create(again, 10, 201)]);
      expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['no duplicate']);
      expect(verdict.counts).toMatchObject({ tokens: 1, created: 1, duplicates: 1 });
    }
    sequence = 0;
    expect(failed([create(sToken, 0, 201), create(Buffer.from('{"token":"K24-other","expDate":"2041-01-01T00:00:00-0800","orgName":"Contoso"}').toString('base64'), 10, 201)])).toEqual([]);
  });

  // Outside finding R144 (decision 1260): an sToken's JSON in another member order or spacing is the same token.
  it('is one sToken however its JSON is written: members reordered or spaced', () => {
    const said = { token: 'R144-?>~1', expDate: '2041-01-01T00:00:00-0800', orgName: 'Contoso' };
    const sToken = Buffer.from(JSON.stringify(said)).toString('base64');
    for (const again of [JSON.stringify({ orgName: said.orgName, token: said.token, expDate: said.expDate }), JSON.stringify(said, null, 2)]) {
      sequence = 0;
      const verdict = judgeClientBehaviour([create(sToken, 0, 201), create(Buffer.from(again).toString('base64'), 10, 201)]);
      expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['no duplicate']);
      expect(verdict.counts).toMatchObject({ tokens: 1, created: 1, duplicates: 1 });
    }
  });

  it('reads a body strictly: a bad UTF-8 byte, a repeated property or no token string names no token', () => {
    for (const body of [Buffer.from([0x7b, 0x22, 0x74, 0xff, 0x22, 0x3a, 0x31, 0x7d]), Buffer.from(`{"token":"${SECRET}","token":"x"}`), Buffer.from('{"token":7}'), Buffer.from('[1]')]) {
      expect(tokenOf({ method: 'POST', path: '/deviceAppManagement/vppTokens', body })).toBeUndefined();
    }
    expect(tokenOf({ method: 'GET', path: '/deviceAppManagement/vppTokens', body: Buffer.from(`{"token":"${SECRET}"}`) })).toBeUndefined();
    expect(tokenOf({ method: 'POST', path: '/v1.0/deviceAppManagement/vppTokens?x=1', body: Buffer.from(`{"token":"${SECRET}"}`) })).toBe(SECRET);
    // A gzipped body is the same request as a plain one.
    expect(tokenOf({ method: 'POST', path: '/deviceAppManagement/vppTokens', rawHeaders: ['Content-Encoding', 'gzip'], body: gzipSync(`{"token":"${SECRET}"}`) })).toBe(SECRET);
    // A body is read once for its header lines: the same bytes under other header lines, or not in a create, are read by those.
    const zipped = gzipSync(`{"token":"${SECRET}"}`);
    const gzip = ['Content-Encoding', 'gzip'];
    expect(tokenOf({ method: 'POST', path: '/deviceAppManagement/vppTokens', rawHeaders: gzip, body: zipped })).toBe(SECRET);
    expect(tokenOf({ method: 'POST', path: '/deviceAppManagement/vppTokens', rawHeaders: [], body: zipped })).toBeUndefined();
    expect(tokenOf({ method: 'POST', path: '/deviceAppManagement/vppTokens', body: zipped })).toBeUndefined();
    expect(tokenOf({ method: 'GET', path: '/deviceAppManagement/vppTokens', rawHeaders: gzip, body: zipped })).toBeUndefined();
    expect(tokenOf({ method: 'POST', path: '/deviceAppManagement/vppTokens', rawHeaders: gzip, body: zipped })).toBe(SECRET);
  });
});

describe('retry-after', () => {
  // Outside finding M6's sibling: a create of the token sent before the 429 came was judged "re-sent -990 ms after" it.
  it('holds no create sent before the 429 or 503 came to its Retry-After: it could not wait for it', () => {
    expect(failed([throttle(SECRET, 0, '1', 429), create(SECRET, 10, 201)].map((e, i) => (i === 0 ? { ...e, endedAt: 1000 } : e)))).toEqual([]);
    sequence = 0;
    expect(failed([throttle(SECRET, 0, undefined, 503), create(SECRET, 10, 201)].map((e, i) => (i === 0 ? { ...e, endedAt: 1000 } : e)))).toEqual([]);
    // Both ways: sent once it came, the wait is judged.
    sequence = 0;
    expect(failed([throttle(SECRET, 0, '1', 429), create(SECRET, 1010, 201)].map((e, i) => (i === 0 ? { ...e, endedAt: 1000 } : e)))).toEqual(['retry-after']);
  });

  it('passes a re-send Retry-After less 50 ms after the answer ended, fails one a millisecond sooner', () => {
    expect(failed([throttle(SECRET, 0, '1'), create(SECRET, 950, 201)])).toEqual([]);
    sequence = 0;
    const verdict = judgeClientBehaviour([throttle(SECRET, 0, '1', 503), create(SECRET, 949, 201)]);
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['retry-after']);
    expect(verdict.checks[0].findings[0]).toEqual({
      check: 'retry-after',
      message: 'request 2 re-sent token 1 949 ms after the 503 to request 1 ended, which said Retry-After: 1 (wait at least 1000 ms)',
      requests: [1, 2],
    });
  });

  it('measures from the end of the answer, and reads an HTTP-date', () => {
    const slow = { ...throttle(SECRET, 0, '2'), endedAt: 3000 };
    expect(failed([slow, create(SECRET, 4900, 201)])).toEqual(['retry-after']);
    expect(failed([{ ...slow, sequence: 1 }, create(SECRET, 4950, 201)])).toEqual([]);
    const now = Date.parse('2026-12-02T08:00:00Z');
    expect(retryAfterMs('Wed, 02 Dec 2026 08:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(failed([throttle(SECRET, now, 'Wed, 02 Dec 2026 08:00:05 GMT'), create(SECRET, now + 4000, 201)])).toEqual(['retry-after']);
  });

  // Outside tester R17 (decision 0450): an HTTP-date is the server's clock; read against its answer's Date, not ours.
  it("reads an HTTP-date against the answer's own Date when it has one, else against when the answer ended", () => {
    const ours = Date.parse('2026-12-04T08:00:00Z');
    // The server's clock is an hour ahead of the traffic's: it asks for 5 s.
    const skewed = { answer: { status: 429, retryAfter: 'Fri, 04 Dec 2026 09:00:05 GMT', date: 'Fri, 04 Dec 2026 09:00:00 GMT' }, fault: { kind: 429 as const, by: 'fail-rate' as const } };
    expect(retryAfterMs(skewed.answer.retryAfter, ours, skewed.answer.date)).toBe(5000);
    expect(failed([create(SECRET, ours, 429, skewed), create(SECRET, ours + 3500, 201)])).toEqual(['retry-after']);
    sequence = 0;
    expect(failed([create(SECRET, ours, 429, skewed), create(SECRET, ours + 5000, 201)])).toEqual([]);
    // An hour behind ours: still 5 s, where our clock alone would read a date long past and ask for no wait.
    sequence = 0;
    const behind = { ...skewed, answer: { status: 429, retryAfter: 'Fri, 04 Dec 2026 07:00:05 GMT', date: 'Fri, 04 Dec 2026 07:00:00 GMT' } };
    expect(failed([create(SECRET, ours, 429, behind), create(SECRET, ours + 1000, 201)])).toEqual(['retry-after']);
    // No Date, a Date that is no HTTP-date, or two: read against when the answer ended.
    expect(retryAfterMs('Fri, 04 Dec 2026 08:00:05 GMT', ours)).toBe(5000);
    expect(retryAfterMs('Fri, 04 Dec 2026 08:00:05 GMT', ours, 'yesterday')).toBe(5000);
    expect(retryAfterMs('Fri, 04 Dec 2026 08:00:05 GMT', ours, ['Fri, 04 Dec 2026 08:00:01 GMT', 'Fri, 04 Dec 2026 08:00:02 GMT'])).toBe(5000);
    // delay-seconds are from the answer, whatever its Date says; a date before the Date asks for none.
    expect(retryAfterMs('3', ours, 'Fri, 04 Dec 2026 09:00:00 GMT')).toBe(3000);
    expect(retryAfterMs('Fri, 04 Dec 2026 08:59:59 GMT', ours, 'Fri, 04 Dec 2026 09:00:00 GMT')).toBe(0);
  });

  // Outside finding R153 (decision 1251): Date names the second the answer was made in (RFC 9110 §5.6.7, §6.6.1), so the
  // date less the Date overstates the wait asked by up to 999 ms. A client that re-sent after the instant the date names
  // (its clock the server's) was failed `retry-after`; the check holds it to the least wait the two fields allow.
  it('holds a client to the least wait an HTTP-date allows: its date less the end of the second the Date names', () => {
    const ended = Date.parse('2026-12-05T03:07:39.860Z');
    // The same instants in the three forms a recipient must read (RFC 9110 §5.6.7), Date in another form than the date.
    const forms = [
      ['Sat, 05 Dec 2026 03:07:41 GMT', 'Sat, 05 Dec 2026 03:07:39 GMT'],
      ['Saturday, 05-Dec-26 03:07:41 GMT', 'Sat Dec  5 03:07:39 2026'],
      ['Sat Dec  5 03:07:41 2026', 'Saturday, 05-Dec-26 03:07:39 GMT'],
    ];
    for (const [retryAfter, date] of forms) {
      // What the kit waits as a client is all the fields say (2000 ms): it never re-sends before the date.
      expect(retryAfterMs(retryAfter, ended, date)).toBe(2000);
      const throttled = { answer: { status: 429, retryAfter, date }, fault: { kind: 429 as const, by: 'fail-rate' as const } };
      // 150 ms past 03:07:41 on the server's clock, which the client shares: 1290 ms after the 429 ended.
      sequence = 0;
      expect(failed([create(SECRET, ended, 429, throttled), create(SECRET, ended + 1290, 201)])).toEqual([]);
      // Before 03:07:41 whenever in 03:07:39 the answer was made: 900 ms after it ended is 03:07:40.760.
      sequence = 0;
      const early = judgeClientBehaviour([create(SECRET, ended, 429, throttled), create(SECRET, ended + 900, 201)]);
      expect(early.checks.flatMap((c) => c.findings.map((f) => f.message))).toEqual([
        `request 2 re-sent token 1 900 ms after the 429 to request 1 ended, which said Retry-After: ${retryAfter} (wait at least 1001 ms: its date less the end of the second its Date, ${date}, names; RFC 9110 §5.6.7)`,
      ]);
    }
    // delay-seconds are read as they are: no second is left open.
    sequence = 0;
    expect(failed([throttle(SECRET, ended, '2'), create(SECRET, ended + 1290, 201)])).toEqual(['retry-after']);
  });

  // Outside tester Q5 (decision 0418): Graph's throttling page's own sample answer says `Retry-After: 2.128`.
  it("reads Graph's fractional seconds, rounded up to the millisecond; says a value it cannot read is one, not none", () => {
    expect(retryAfterMs('2.128')).toBe(2128);
    expect(retryAfterMs('0.0001')).toBe(1);
    for (const unread of ['2.', '.5', '-1', '1e3', '2,5', '2.128 s']) expect(retryAfterMs(unread)).toBeUndefined();
    expect(failed([throttle(SECRET, 0, '2.128'), create(SECRET, 150, 201)])).toEqual(['retry-after']);
    sequence = 0;
    expect(failed([throttle(SECRET, 0, '2.128'), create(SECRET, 2100, 201)])).toEqual([]);
    sequence = 0;
    const verdict = judgeClientBehaviour([throttle(SECRET, 0, 'soon'), create(SECRET, 88, 201)]);
    expect(verdict.checks.flatMap((c) => c.findings.map((f) => f.message))).toEqual([
      "request 2 re-sent token 1 88 ms after the 429 to request 1, whose Retry-After: soon is neither delay-seconds nor an HTTP-date (RFC 9110 §10.2.3), so is read as none: without any delay (back off at least 100 ms)",
    ]);
  });

  it('judges only the next request with that token', () => {
    expect(failed([throttle(SECRET, 0, '5'), create('b3RoZXI=', -1, 201, { endedAt: 10 }), create(SECRET, 5000, 201)])).toEqual([]);
  });
});

// Outside tester H27 (decision 0206): Graph throttles the client, not one request.
describe('retry-after, for every create sent while the client was throttled', () => {
  const OTHER = 'b3RoZXItdG9rZW4=';
  const THIRD = 'dGhpcmQtdG9rZW4=';
  const one = { concurrency: 1 };

  it('fails a client of one create at a time that answers a 429 by sending the next token at once; passes one that waits', () => {
    const verdict = judgeClientBehaviour([throttle(SECRET, 0, '1'), create(OTHER, 3, 201), create(SECRET, 1000, 201)], one);
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['retry-after']);
    expect(verdict.checks[0].findings).toEqual([
      {
        check: 'retry-after',
        message:
          'request 2 sent token 2 3 ms after the 429 to request 1 ended, which said Retry-After: 1: Graph throttles the client, not one request, so wait before any further request. 1 other token within a Retry-After it was given (sent again later) and 0 requests in flight already make the 1 the client is taken to run at once (--concurrency, default 8); no two of its requests were seen in flight at once',
        requests: [1, 2],
      },
    ]);
    sequence = 0;
    expect(failed([throttle(SECRET, 0, '1'), create(OTHER, 950, 201), create(SECRET, 960, 201)], one)).toEqual([]);
    sequence = 0;
    expect(failed([throttle(SECRET, 0, '1', 503), create(OTHER, 949, 201), create(SECRET, 1000, 201)], one)).toEqual(['retry-after']);
  });

  it('counts workers: each token waiting out a window holds one, each request in flight one; 8 by default', () => {
    // Two tokens held back, a third sent: three workers needed.
    const traffic = () => [throttle(SECRET, 0, '1'), throttle(OTHER, 1, '1'), create(THIRD, 2, 201), create(SECRET, 1000, 201), create(OTHER, 1001, 201)];
    expect(failed(traffic(), { concurrency: 2 })).toEqual(['retry-after']);
    sequence = 0;
    expect(failed(traffic(), { concurrency: 3 })).toEqual([]);
    sequence = 0;
    expect(failed(traffic())).toEqual([]);
    // Nine tokens held back by a client that sends the next at once: more than 8 workers.
    sequence = 0;
    const tokens = Array.from({ length: 10 }, (_, i) => Buffer.from(`token-${i}`).toString('base64'));
    const hammer = [...tokens.map((t, i) => throttle(t, i, '1')), ...tokens.map((t, i) => create(t, 1010 + i, 201))];
    const verdict = judgeClientBehaviour(hammer);
    expect(verdict.checks[0].findings.map((f) => f.requests.at(-1))).toEqual([9, 10]);
    // Outside tester Q16: said as what the client did: the tokens set aside are waiting when sent again later, given
    // up when never; --concurrency is offered to a client seen running more than one request at once.
    expect(verdict.checks[0].findings[0].message).toMatch(/\. 8 other tokens within a Retry-After they were given \(each sent again later\) and 0 requests in flight already make the 8 the client is taken to run at once \(--concurrency, default 8\); no two of its requests were seen in flight at once$/);
    sequence = 0;
    const givenUp = judgeClientBehaviour([...tokens.map((t, i) => throttle(t, i, '1')), ...tokens.slice(0, 3).map((t, i) => create(t, 1010 + i, 201))]);
    expect(givenUp.checks[0].findings[0].message).toMatch(/\. 8 other tokens within a Retry-After they were given \(3 sent again later, 5 never\) and 0 requests/);
    sequence = 0;
    // Two of them in flight together (the first 429 ended after the second started): a client of more than one at once.
    const inParallel = judgeClientBehaviour([{ ...throttle(tokens[0], 0, '1'), endedAt: 2 }, ...tokens.slice(1).map((t, i) => throttle(t, 1 + i, '1'))]);
    expect(inParallel.checks[0].findings[0].message).toMatch(/\(none sent again: given up\) and 0 requests in flight already make the 8 the client is taken to run at once \(--concurrency, default 8: give the client's own if it runs more\)$/);
    expect(() => judgeClientBehaviour(hammer, { concurrency: 0 })).toThrow(/concurrency must be a whole number of at least 1/);
  });

  it('passes creates in parallel, each backing off its own 429 while the others go on', () => {
    // Requests 1 and 2 overlap; 1 is throttled, 2 created; 3 follows 2's answer, after 1's 429 ended.
    const traffic = [{ ...throttle(SECRET, 0, '1'), endedAt: 2 }, create(OTHER, 1, 201, { endedAt: 4 }), create(THIRD, 5, 201, { endedAt: 9 }), create(SECRET, 1002, 201)];
    expect(failed(traffic, { concurrency: 2 })).toEqual([]);
  });

  it('reads no window where a 429 or 503 carried no Retry-After (bounded retries judges that)', () => {
    expect(failed([throttle(SECRET, 0, undefined), create(OTHER, 1, 201), create(SECRET, 200, 201)], one)).toEqual([]);
  });
});

// Outside tester J11 (decision 0244): a throttled read waits out its Retry-After as a throttled create does.
describe('retry-after, for a read re-sent after a 429 or 503', () => {
  const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const read = (at: number, status: number, path = '/beta/deviceAppManagement/vppTokens', retryAfter: string | undefined = status === 200 ? undefined : '1'): TrafficEntry => ({
    ...create('', at, status),
    method: 'GET',
    path,
    body: undefined,
    answer: { status, ...(retryAfter === undefined ? {} : { retryAfter }) },
    stored: false,
  });

  it('fails the next read of the same resource sooner than Retry-After (less 50 ms), naming both requests; passes one that waits', () => {
    const verdict = judgeClientBehaviour([create(SECRET, 0, 201), read(10, 429), read(20, 200)]);
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['retry-after']);
    expect(verdict.checks[0].findings).toEqual([
      {
        check: 'retry-after',
        message: 'request 3 re-read the list of vppTokens 10 ms after the 429 to request 2 ended, which said Retry-After: 1 (wait at least 1000 ms: a throttled read waits as a throttled create does)',
        requests: [2, 3],
      },
    ]);
    sequence = 0;
    expect(failed([create(SECRET, 0, 201), read(10, 503), read(959, 200)])).toEqual(['retry-after']);
    sequence = 0;
    expect(failed([create(SECRET, 0, 201), read(10, 503), read(960, 200)])).toEqual([]);
  });

  it('takes another page, query or version prefix of the throttled resource as the same read; one vppToken by id is its own', () => {
    const byId = `/v1.0/deviceAppManagement/vppTokens/${ID.toUpperCase()}`;
    const again = judgeClientBehaviour([create(SECRET, 0, 201), read(10, 429), read(20, 200, '/v1.0/deviceappmanagement/vppTokens?$top=5&$skiptoken=2'), read(30, 503, byId), read(40, 200, `/beta/deviceAppManagement/vppTokens/${ID}`)]);
    expect(again.checks[0].findings.map((f) => f.message.replace(/ \d+ ms after.*$/, ''))).toEqual(['request 3 re-read the list of vppTokens', `request 5 re-read vppToken ${ID}`]);
    sequence = 0;
    // The count of the list is another resource: the worker rule judges it (8 by default, 1 here), not the per-read rule.
    const count = () => [create(SECRET, 0, 201), read(10, 429), read(20, 200, '/beta/deviceAppManagement/vppTokens/$count'), read(1010, 200)];
    expect(failed(count())).toEqual([]);
    sequence = 0;
    expect(judgeClientBehaviour(count(), { concurrency: 1 }).checks[0].findings.map((f) => f.message)).toEqual([
      'request 3 read the count of vppTokens 10 ms after the 429 to request 2 ended, which said Retry-After: 1: Graph throttles the client, not one request, so wait before any further request. 1 other read within a Retry-After it was given and 0 requests in flight already make the 1 the client is taken to run at once (--concurrency, default 8); no two of its requests were seen in flight at once',
    ]);
  });

  it('holds a create sent while a read waits out its Retry-After to the worker rule, and a read while a create does', () => {
    const one = { concurrency: 1 };
    expect(failed([read(0, 429), create(SECRET, 5, 201), read(1000, 200)], one)).toEqual(['retry-after']);
    sequence = 0;
    expect(failed([throttle(SECRET, 0, '1'), read(5, 200), create(SECRET, 1000, 201)], one)).toEqual(['retry-after']);
    sequence = 0;
    expect(failed([throttle(SECRET, 0, '1'), read(5, 200), create(SECRET, 1000, 201)])).toEqual([]);
    sequence = 0;
    expect(failed([throttle(SECRET, 0, '1'), read(960, 200), create(SECRET, 1000, 201)], one)).toEqual([]);
  });

  it('fails a read re-sent sooner than 100 ms after a 429 or 503 without Retry-After (bounded retries), passes one at 100 ms', () => {
    const verdict = judgeClientBehaviour([create(SECRET, 0, 201), read(10, 503, undefined, ''), read(109, 200)]);
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['bounded retries']);
    expect(verdict.checks[2].findings[0].message).toBe('request 3 re-read the list of vppTokens 99 ms after the 503 to request 2, which carried no Retry-After: without any delay (back off at least 100 ms)');
    sequence = 0;
    expect(failed([create(SECRET, 0, 201), read(10, 429, undefined, ''), read(110, 200)])).toEqual([]);
  });

  it('judges only the next read of that resource, and nothing after a read answered otherwise', () => {
    expect(failed([create(SECRET, 0, 201), read(10, 429), read(1010, 200), read(1011, 200), read(1012, 504, undefined, undefined), read(1013, 200)])).toEqual([]);
  });
});

// Outside tester I27: a suite that creates its test token, deletes the vppToken and creates the token again.
describe('no duplicate, after the client deleted the vppToken', () => {
  const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const remove = (id: string, at: number, status: number): TrafficEntry => ({ ...create('', at, status), method: 'DELETE', path: `/beta/deviceAppManagement/vppTokens/${id}`, body: undefined, stored: false });
  it('passes a token created again once a DELETE of its vppToken was answered 2xx; fails it without, or after a DELETE that failed or named another', () => {
    expect(failed([create(SECRET, 0, 201, { createdId: ID }), remove(ID.toUpperCase(), 10, 204), create(SECRET, 20, 201, { createdId: 'x' })])).toEqual([]);
    for (const between of [[], [remove(ID, 10, 404)], [remove('1b4e28ba-2fa1-11d2-883f-0016d3cca427', 10, 204)]]) {
      sequence = 0;
      const first = create(SECRET, 0, 201, { createdId: ID });
      const traffic = [first, ...between.map((e) => ({ ...e, sequence: ++sequence }) as TrafficEntry), create(SECRET, 20, 201)];
      expect(failed(traffic)).toEqual(['no duplicate']);
    }
  });
});

describe('no duplicate', () => {
  it.each([
    ['504-after-create', { answer: { status: 504 }, fault: { kind: '504-after-create', by: 'fail-rate' } }, /re-sent it after a 504 after the create \(request 1 stored the vppToken, then answered 504\)/],
    ['reset-after-create', { answer: null, fault: { kind: 'reset-after-create', by: 'fail-rate' } }, /re-sent it after a reset after the create \(request 1 stored the vppToken, then the connection was reset without an answer\)/],
    ['a client timeout', { answer: null, clientClosed: true }, /re-sent it after no answer to request 1 \(the client went away after the vppToken was stored\)/],
  ] as [string, Partial<TrafficEntry>, RegExp][])('fails a token created twice after %s, naming it and what a safe client does', (_kind, first, message) => {
    const verdict = judgeClientBehaviour([create(SECRET, 0, 504, { ...first, stored: true }), create(SECRET, 500, 201)]);
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['no duplicate']);
    const finding = verdict.checks[1].findings[0];
    expect(finding.message).toMatch(/^token 1 was created again by request 2 \(first by request 1\)/);
    expect(finding.message).toMatch(message);
    expect(finding.message).toMatch(/reads the vppTokens back .* re-sends only the tokens that are missing/);
    expect(verdict.counts).toMatchObject({ tokens: 1, created: 1, duplicates: 1 });
  });

  // Outside finding M6: two creates of one token sent at once (a token twice in the input, two workers) were blamed
  // as "re-sent it after a 201", which sends the user to look for a retry that never ran. The verdict stays.
  it('says a second create sent while the first was in flight was sent at once, not re-sent after its answer', () => {
    const atOnce = /^token 1 was created again by request 2 \(first by request 1\): the client sent it again while request 1 was still in flight, before its answer came: two creates of one token at once \(two workers given the same token, or the token twice in the client's input\)\. A token is sent in one create at a time/;
    // By the times (request 2 started before request 1's answer ended), and by the provider's count of arrivals.
    for (const first of [{ endedAt: 1000 }, { endedAt: 5, arrivedByEnd: 2 }]) {
      sequence = 0;
      const verdict = judgeClientBehaviour([create(SECRET, 0, 201, first), create(SECRET, 10, 201, { endedAt: 1010 })]);
      expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['no duplicate']);
      expect(verdict.checks[1].findings.map((f) => f.message)).toEqual([expect.stringMatching(atOnce)]);
      expect(verdict.checks[1].findings[0].message).not.toContain('after a 201');
    }
    // A first create whose outcome came unknown (a 504), the second sent before that came: not "after a 504" either.
    sequence = 0;
    const unknown = judgeClientBehaviour([create(SECRET, 0, 504, { endedAt: 1000 }), create(SECRET, 10, 201, { endedAt: 1010 })]);
    expect(unknown.checks[1].findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/^request 2 sent token 1 again while request 1 was still in flight, before its answer came \(then a 504 to request 1\): the first may have created it\. A token is sent in one create at a time/),
    ]);
    // Both ways: sent after the 201 ended (in the same millisecond, not counted as arrived: the benefit of the doubt), it is a re-send after a 201.
    sequence = 0;
    const after = judgeClientBehaviour([create(SECRET, 0, 201, { endedAt: 10, arrivedByEnd: 1 }), create(SECRET, 10, 201)]);
    expect(after.checks[1].findings.map((f) => f.message)).toEqual([
      'token 1 was created again by request 2 (first by request 1): the client re-sent it after a 201 to request 1. Request 1 was answered 201 with the created vppToken: a created token is never sent again.',
    ]);
  });

  it('passes a client that read the list back after an unknown outcome and re-sent only what was missing', () => {
    const read = (at: number): TrafficEntry => ({ ...create('', at, 200), method: 'GET', path: '/beta/deviceAppManagement/vppTokens?$top=100', body: Buffer.alloc(0), stored: false });
    const traffic = [
      create(SECRET, 0, 504, { stored: true, fault: { kind: '504-after-create', by: 'fail-rate' } }),
      create('b3RoZXI=', 10, null, { stored: false, clientClosed: true }),
      read(20),
      create('b3RoZXI=', 130, 201),
    ];
    const verdict = judgeClientBehaviour(traffic);
    expect(verdict.passed).toBe(true);
    expect(verdict.counts).toEqual({ requests: 4, creates: 3, tokens: 2, created: 2, duplicates: 0, lost: 0, unknown: 0, seen: 0, unlisted: 0 });
  });
});

describe('bounded retries', () => {
  const attempts = (n: number, retryAfter = '0') => Array.from({ length: n }, (_, i) => throttle(SECRET, i * 2000, retryAfter));

  it('allows 10 attempts for one token and fails 11; the limit is an option', () => {
    const loud = { clientSucceeded: false };
    expect(failed(attempts(10), loud)).toEqual([]);
    sequence = 0;
    const eleven = attempts(11);
    expect(failed(eleven, loud)).toEqual(['bounded retries']);
    expect(judgeClientBehaviour(eleven).checks[2].findings[0].message).toBe('token 1 was sent in 11 requests (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), more than 10 attempts');
    expect(failed(eleven, { ...loud, maxAttempts: 11 })).toEqual([]);
    expect(() => judgeClientBehaviour(eleven, { maxAttempts: 0 })).toThrow(/maxAttempts must be a whole number of at least 1/);
  });

  // Outside tester Q8 (decision 0435): a client that waited out every Retry-After and retried until it succeeded, as
  // Graph's throttling guidance says, failed for its 11th attempt under --rate-limit.
  it('does not count a re-send that waited out the Retry-After it was given; one sooner, or after Retry-After: 0, counts', () => {
    const loud = { clientSucceeded: false };
    expect(failed(attempts(25, '1'), loud)).toEqual([]);
    sequence = 0;
    // Pairs 3 s apart, the second of each 500 ms into the first's Retry-After of 1 s: ten paced, twelve not.
    const mixed = Array.from({ length: 22 }, (_, i) => throttle(SECRET, Math.floor(i / 2) * 3000 + (i % 2) * 500, '1'));
    const verdict = judgeClientBehaviour(mixed, loud);
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['retry-after', 'bounded retries']);
    expect(verdict.checks[2].findings[0].message).toMatch(/^token 1 was sent in 22 requests \(1, 2, .*, 22\), 12 of them not after waiting out a Retry-After \(10 were: Graph asks for those\), more than 10 attempts$/);
    sequence = 0;
    expect(failed(attempts(11, '0'), loud)).toEqual(['bounded retries']);
  });

  it('fails a re-send sooner than 100 ms after a 429 or 503 without Retry-After, and passes one at 100 ms', () => {
    expect(failed([throttle(SECRET, 0, undefined, 503), create(SECRET, 99, 201)])).toEqual(['bounded retries']);
    expect(failed([throttle(SECRET, 0, 'not a date'), create(SECRET, 99, 201)])).toEqual(['bounded retries']);
    expect(failed([throttle(SECRET, 0, undefined), create(SECRET, 100, 201)])).toEqual([]);
    // Not after other answers: a 504 re-sent at once is the duplicate check's business.
    expect(failed([create(SECRET, 0, 504), create(SECRET, 1, 201)])).toEqual(['no duplicate']);
  });
});

// Found by an outside tester: a blind re-send after a plain 504 passed, because this time the mock stored nothing.
describe('a create re-sent after an unknown outcome', () => {
  const read = (at: number, path = '/beta/deviceAppManagement/vppTokens?$top=100'): TrafficEntry => ({ ...create('', at, 200), method: 'GET', path, body: Buffer.alloc(0), stored: false });

  it.each([504, 502, 500, null])('fails re-sending without a read after a %s, whether or not the first was stored', (status) => {
    const verdict = judgeClientBehaviour([create(SECRET, 0, status), create(SECRET, 1000, 201)]);
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['no duplicate']);
    const what = status === null ? 'no answer to request 1 (the client went away)' : `a ${status} to request 1`;
    expect(verdict.checks[1].findings).toEqual([
      expect.objectContaining({ requests: [1, 2], message: expect.stringMatching(new RegExp(`^request 2 re-sent token 1 after ${what.replace(/[()]/g, '\\$&')} without reading back first: the first may have created it\\. A safe client`)) }),
    ]);
  });

  // Decision 1326: the advice after a blind re-send named a 504, a reset or a timeout whatever the client got; it names
  // the answer it got, one wording per outcome of the one rule (createOutcomeOf), the finding's other words kept.
  it('advises what a safe client does after the answer the client got: a 202, a 2xx naming no vppToken, a batch answered whole, a 303', () => {
    const advice = (first: TrafficEntry) => {
      sequence = 0;
      const traffic = [{ ...first, sequence: ++sequence }, create(SECRET, 1000, 201)];
      const [finding] = judgeClientBehaviour(traffic).checks[1].findings;
      expect(finding.message).toMatch(/^request 2 re-sent token 1 after a \d+ to request 1( \(\$batch id "1"\))? without reading back first: the first may have created it\. /);
      return finding.message.replace(/^.*?the first may have created it\. /, '');
    };
    const unknown = { stored: false, storedUnknown: 'may have been created' };
    const readBack = 'a safe client reads the vppTokens back (GET /deviceAppManagement/vppTokens, answered 200) and re-sends only the tokens that are missing.';
    expect(advice(create(SECRET, 0, 202, { ...unknown, accepted: true, monitor: '/beta/monitor/1' }))).toBe(
      'A 202 Accepted says the create was accepted for processing and not done (RFC 9110 §15.3.3): a safe client polls the status monitor the 202 named in its Location until it gives the outcome (OData 4.01 Part 1 §11.6), and sends the token again only when that says it was not created; a list that lacks the vppToken may have been read before the create ran.',
    );
    expect(advice(create(SECRET, 0, 202, { ...unknown, accepted: true, batchId: '1', answeredWhole: true }))).toBe(
      "A 202 Accepted says the create was accepted for processing and not done (RFC 9110 §15.3.3): a safe client polls the status monitor the batch's 202 named in its Location until it gives the outcome (OData 4.01 Part 1 §11.6), and sends the token again only when that says it was not created; a list that lacks the vppToken may have been read before the create ran.",
    );
    for (const status of [201, 200, 204]) {
      expect(advice(create(SECRET, 0, status, unknown))).toBe(`A ${status} that names no created vppToken leaves the create's outcome unknown (a 201's body and Location identify what it created: RFC 9110 §15.3.2): ${readBack}`);
      expect(advice(create(SECRET, 0, status, { ...unknown, batchId: '1', answeredWhole: true }))).toBe(`A ${status} to a JSON batch as a whole gives a create inside it no answer of its own, so its outcome is unknown: ${readBack}`);
    }
    expect(advice(create(SECRET, 0, 303, unknown))).toBe(`A 303 See Other says the create was processed and its result is the resource its Location names, which may be a vppToken it made (RFC 9110 §15.4.4): ${readBack}`);
    // The neighbours keep the general advice: a 504 (alone or its batch's as a whole), a 500, no answer.
    for (const first of [create(SECRET, 0, 504), create(SECRET, 0, 504, { batchId: '1', answeredWhole: true }), create(SECRET, 0, 500), create(SECRET, 0, null)]) {
      sequence = 0;
      const [finding] = judgeClientBehaviour([{ ...first, sequence: ++sequence }, create(SECRET, 1000, 201)]).checks[1].findings;
      expect(finding.message).toMatch(/the first may have created it\. A safe client treats a 504, a reset or a timeout after it sent a create as an unknown outcome: it reads the vppTokens back/);
    }
  });

  it('passes a re-send after a list of the collection answered 200, and after a 429 or 503 (throttled: not processed)', () => {
    expect(failed([create(SECRET, 0, 504), read(500), create(SECRET, 1000, 201)])).toEqual([]);
    sequence = 0;
    expect(failed([create(SECRET, 0, 504), read(500, "/beta/deviceappmanagement/vpptokens/?$filter=displayName eq 'x'"), create(SECRET, 1000, 201)])).toEqual([]);
    sequence = 0;
    expect(failed([throttle(SECRET, 0, '1', 503), create(SECRET, 1000, 201)])).toEqual([]);
  });

  // Outside tester G4: a read that cannot show the vppToken is no read-back.
  it('fails a re-send after reads that could not show the vppToken: one vppToken by id, a list that failed or got no answer', () => {
    const byId = '/deviceAppManagement/vppTokens/0f8fad5b-d9cb-469f-a165-70867728950e';
    const traffic = [create(SECRET, 0, 502), read(500, byId), { ...read(600), answer: { status: 504 } }, { ...read(700), answer: null }, create(SECRET, 1000, 201)];
    const [finding] = judgeClientBehaviour(traffic).checks[1].findings;
    expect(finding.requests).toEqual([1, 2, 3, 4, 5]);
    expect(finding.message).toBe(
      'request 5 re-sent token 1 after a 502 to request 1 after reads that could not show it (request 2 read one vppToken by id, not the list (the unknown outcome gave no id to read); request 3 got 504; request 4 got no answer): the first may have created it. ' +
        'A safe client treats a 504, a reset or a timeout after it sent a create as an unknown outcome: it reads the vppTokens back (GET /deviceAppManagement/vppTokens, answered 200) and re-sends only the tokens that are missing.',
    );
  });
});

// Outside tester L5 (round 8): a list read while the create was still in flight, answered before its 504, cannot
// show it: the create may be stored after the read (why a 504 is an unknown outcome at all). Only a read sent once
// the unknown outcome came counts; a read that started in the same millisecond the 504 ended, after it arrived
// (the provider's arrival count says so), is given the benefit of the doubt.
describe('a read sent before the unknown outcome came (L5)', () => {
  const slow504 = () => create(SECRET, 0, 504, { endedAt: 1000 });
  const list = (at: number, endedAt: number): TrafficEntry => ({ ...create('', at, 200), endedAt, method: 'GET', path: '/beta/deviceAppManagement/vppTokens?$top=100', body: Buffer.alloc(0), stored: false });

  it('is no read-back: a re-send after it alone fails no duplicate, saying the read was sent before the 504 came', () => {
    const traffic = [slow504(), list(100, 200), create(SECRET, 1100, 201)];
    const [finding] = judgeClientBehaviour(traffic).checks[1].findings;
    expect(finding.requests).toEqual([1, 2, 3]);
    expect(finding.message).toMatch(/^request 3 re-sent token 1 after a 504 to request 1 after reads that could not show it \(request 2 was sent before request 1 was answered: the vppToken may have been stored after the list was read\): the first may have created it\./);
    // With the provider's arrival count: the read had arrived when the 504 ended.
    sequence = 0;
    expect(failed([create(SECRET, 0, 504, { endedAt: 1000, arrivedByEnd: 2 }), list(100, 1000), create(SECRET, 1100, 201)])).toEqual(['no duplicate']);
  });

  it('passes when a read sent after the 504 came is between, even in the same millisecond, and for an unknown outcome with no answer', () => {
    expect(failed([slow504(), list(100, 200), list(1000, 1050), create(SECRET, 1100, 201)])).toEqual([]);
    sequence = 0;
    expect(failed([create(SECRET, 0, 504, { endedAt: 1000, arrivedByEnd: 1 }), list(1000, 1010), create(SECRET, 1100, 201)])).toEqual([]);
    sequence = 0;
    expect(failed([create(SECRET, 0, null, { endedAt: 1000 }), list(500, 600), create(SECRET, 1100, 201)])).toEqual(['no duplicate']);
    sequence = 0;
    expect(failed([create(SECRET, 0, null, { endedAt: 1000 }), list(1001, 1050), create(SECRET, 1100, 201)])).toEqual([]);
  });

  // Outside tester Q9: a list read sent after the 504 but answered only after the re-send left could not inform it.
  it('is no read-back when its answer had not come when the token was re-sent; is one when it had', () => {
    const traffic = [slow504(), list(1005, 1400), create(SECRET, 1010, 201)];
    const [finding] = judgeClientBehaviour(traffic).checks[1].findings;
    expect(finding.requests).toEqual([1, 2, 3]);
    expect(finding.message).toMatch(/^request 3 re-sent token 1 after a 504 to request 1 after reads that could not show it \(request 2 was not yet answered when request 3 was sent: the client could not know what it would show\): the first may have created it\./);
    sequence = 0;
    // By the provider's arrival count: the re-send had arrived when the read ended.
    expect(failed([slow504(), list(1005, 1400, ), create(SECRET, 1400, 201)].map((e, i) => (i === 1 ? { ...e, arrivedByEnd: 3 } : e)))).toEqual(['no duplicate']);
    sequence = 0;
    expect(failed([slow504(), list(1005, 1400), create(SECRET, 1401, 201)])).toEqual([]);
  });
});

// Outside tester H3: a list answered 200 that still cannot show the vppToken sent is no read-back either.
describe('a read-back that cannot show the vppToken, though a list answered 200', () => {
  const list = (at: number, query: string, nextLink?: string): TrafficEntry => ({
    ...create('', at, 200),
    method: 'GET',
    path: `/beta/deviceAppManagement/vppTokens?${query}`,
    body: Buffer.alloc(0),
    answer: { status: 200, ...(nextLink ? { nextLink } : {}) },
    stored: false,
  });
  const page2 = 'http://127.0.0.1:1/beta/deviceAppManagement/vppTokens?$top=1&$skiptoken=1';
  // Built in order, so that the sequence numbers are arrival order: the 504, the reads, the re-send.
  const reSent = (reads: () => TrafficEntry[]) => judgeClientBehaviour([create(SECRET, 0, 504), ...reads(), create(SECRET, 1000, 201)]).checks[1].findings.map((f) => f.message.replace(/^.*could not show it \((.*)\): the first.*$/s, '$1'));

  it.each([
    ['a $filter the vppToken sent does not match', () => [list(500, "$filter=displayName eq 'no such name'")], "request 2 filtered the list ($filter) so that the vppToken sent is not in it"],
    ['a $select of nothing the create set', () => [list(500, '$select=id')], 'request 2 selected only id ($select): nothing the create set (token, displayName) comes back to tell its vppToken from another'],
    ['one page of several, its nextLink not followed', () => [list(500, '$top=1', page2)], 'request 2 read one page and its @odata.nextLink was not followed to the last page'],
    ['a nextLink followed to a page that failed', () => [list(500, '$top=1', page2), { ...list(600, '$top=1&$skiptoken=1'), answer: { status: 503 } }], 'request 2 read one page and its @odata.nextLink was not followed to the last page; request 3 got 503'],
    ['a list from $skip on', () => [list(500, '$skip=1')], 'request 2 started past the first vppTokens ($skip or $skiptoken), so it is not the whole list'],
    // Outside tester H4: the count of the list says nothing of which vppTokens are in it.
    ['the count of the list', () => [{ ...list(500, ''), path: '/beta/deviceAppManagement/vppTokens/$count' }], 'request 2 read only the count of the list ($count): it tells nothing of which vppTokens are in it'],
    // Outside tester K15 (decision 0247): a count tells of the vppToken sent only when its $filter picks it out alone.
    ['the count of a list filtered by what any vppToken may match', () => [{ ...list(500, ''), path: "/beta/deviceAppManagement/vppTokens/$count?$filter=startswith(displayName,'x')" }], 'request 2 read only the count of the list ($count), filtered ($filter) by nothing that picks out the vppToken sent: other vppTokens count the same'],
    ['the count of a list filtered so that the vppToken sent is not in it', () => [{ ...list(500, ''), path: "/beta/deviceAppManagement/vppTokens/$count?$filter=displayName eq 'y'" }], 'request 2 counted a list filtered ($filter) so that the vppToken sent is not in it'],
  ])('fails a re-send after %s', (_name, reads, why) => {
    expect(reSent(reads)).toEqual([why]);
  });

  it.each([
    ['a $filter the vppToken sent matches', () => [list(500, "$filter=displayName eq 'x' and startswith(token,'c2Vj')")]],
    ['a $select of what the create set', () => [list(500, '$select=id,displayName')]],
    ['$select=*', () => [list(500, '$select=*')]],
    ['every page, its nextLink followed to the last (spelt with %24 and a retried page)', () => [list(500, '$top=1', page2), { ...list(600, '$top=1&$skiptoken=1'), answer: { status: 503 } }, list(700, '%24top=1&%24skiptoken=1')]],
    ['one page that is the whole list', () => [list(500, '$top=999')]],
    ['the count of the list filtered by a value the create set (the displayName it gave)', () => [{ ...list(500, ''), path: "/beta/deviceAppManagement/vppTokens/$count?$filter=displayName eq 'x'" }]],
  ])('passes a re-send after %s', (_name, reads) => {
    expect(reSent(reads)).toEqual([]);
  });
});

// Outside finding R61 (decision 0641): a page is judged by what it holds. A list page answered 200 that holds the
// vppToken the create made shows it, whatever follows it (the newest vppTokens first, one page of several); a page
// that does not hold it shows nothing unless it is the whole list.
describe('a read-back page that holds the vppToken (R61)', () => {
  const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const OTHER = ['7c9e6679-7425-40de-944b-e07fc1f90ae7', '16fd2706-8baf-433b-82eb-8c7fada847da'];
  const page2 = 'http://127.0.0.1:1/beta/deviceAppManagement/vppTokens?$orderby=lastModifiedDateTime%20desc&$top=3&$skiptoken=3';
  /** The newest three vppTokens, one page of several: holding `listed`. */
  const newest = (at: number, listed: string[], query = '$orderby=lastModifiedDateTime desc&$top=3'): TrafficEntry => ({
    ...create('', at, 200),
    method: 'GET',
    path: `/beta/deviceAppManagement/vppTokens?${query}`,
    body: Buffer.alloc(0),
    answer: { status: 200, nextLink: page2, listed },
    stored: false,
  });
  const stored504 = (at: number, createdId = ID) => create(SECRET, at, 504, { stored: true, createdId, fault: { kind: '504-after-create', by: 'fail-rate' } });

  it('passes a client that reported success after a page holding the vppToken its 504-after-create made; fails it after one that does not', () => {
    expect(failed([stored504(0), newest(10, [ID, ...OTHER])])).toEqual([]);
    sequence = 0;
    const verdict = judgeClientBehaviour([stored504(0), newest(10, OTHER)]);
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['no silent loss']);
    expect(verdict.checks[3].findings[0].message).toMatch(/^token 1 was created, but the client could not know it: .* and no read after it could show the vppToken, yet the client reported success/);
  });

  it('still asks that the page can be recognised: one holding it under $select=id shows nothing the create set', () => {
    expect(failed([stored504(0), newest(10, [ID, ...OTHER], '$orderby=lastModifiedDateTime desc&$top=3&$select=id')])).toEqual(['no silent loss']);
    sequence = 0;
    expect(failed([stored504(0), newest(10, [ID, ...OTHER], '$orderby=lastModifiedDateTime desc&$top=3&$select=id,token')])).toEqual([]);
  });

  it('takes an id in any case, and a vppToken an earlier create of the same token made (the last create a plain 504)', () => {
    expect(failed([stored504(0), newest(10, [ID.toUpperCase()])])).toEqual([]);
    sequence = 0;
    // The first stored it, the page after it missed it (not the whole list): the re-send is blind (no duplicate); the
    // page after the second, a plain 504, holds the first's vppToken: the client knew it was created.
    const traffic = [stored504(0), newest(10, OTHER), create(SECRET, 20, 504), newest(30, [ID, ...OTHER])];
    expect(failed(traffic)).toEqual(['no duplicate']);
    sequence = 0;
    expect(failed([stored504(0), newest(10, OTHER), create(SECRET, 20, 504), newest(30, OTHER)])).toEqual(['no duplicate', 'no silent loss']);
  });

  it('is no read-back when its answer had not come when the token was sent again', () => {
    const traffic = [stored504(0), { ...newest(10, [ID]), endedAt: 30 }, create(SECRET, 20, 201, { createdId: OTHER[0] })];
    expect(failed(traffic)).toEqual(['no duplicate']);
  });

  // The weaker part of R61, kept: a page that does not hold the vppToken is no proof that it was not stored, unless it
  // is the whole list; the newest N of a collection others change too (Intune's syncs, other admins) can leave it out.
  it('a newest-first page without the vppToken, its nextLink not followed, is still no read-back before a re-send', () => {
    const verdict = judgeClientBehaviour([create(SECRET, 0, 504), newest(10, OTHER), create(SECRET, 20, 201)]);
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['no duplicate']);
    expect(verdict.checks[1].findings[0].message).toContain('after reads that could not show it (request 2 read one page and its @odata.nextLink was not followed to the last page)');
  });

  // The reference provider keeps what the judgement reads: the id each create made, a 504-after-create's too, and the
  // ids each list page held, whatever its $select.
  it('against the reference provider, in process: the page the client read is judged by what it held', async () => {
    const provider = await startReferenceProvider({ faults: { failRate: 1, failWith: ['504-after-create'], seed: 1 }, clock: fakeClock() });
    const base = `${provider.url}/beta/deviceAppManagement/vppTokens`;
    const headers = { Authorization: 'Bearer habits', 'Content-Type': 'application/json' };
    const [a, b] = bodies(2).map((body, i) => ({ ...body, displayName: `fleet ${i}` }));
    try {
      for (const body of [a, b]) expect((await fetch(base, { method: 'POST', headers, body: JSON.stringify(body) })).status).toBe(504);
      // The newest by displayName holds b, the oldest a: each one page of two.
      const pages = [];
      for (const order of ['desc', 'asc']) {
        const answer = await fetch(`${base}?$orderby=displayName%20${order}&$top=1`, { headers });
        pages.push((await answer.json()) as { value: { token: string }[]; '@odata.nextLink'?: string });
      }
      expect(pages.map((p) => [p.value[0].token === b.token, p['@odata.nextLink'] !== undefined])).toEqual([[true, true], [false, true]]);
      const traffic = provider.traffic!;
      const [first, second, newestPage, oldestPage] = traffic;
      expect([first.createdId, second.createdId]).toEqual([...provider.vppTokens.keys()]);
      expect([newestPage.answer?.listed, oldestPage.answer?.listed]).toEqual([[second.createdId], [first.createdId]]);
      // Each page shows the token it held, and only that one: the other is a success the client could not know.
      const unknown = (page: TrafficEntry) => judgeClientBehaviour([first, second, page]).checks[3].findings.map((f) => f.message.slice(0, 50));
      expect(unknown(newestPage)).toEqual(['token 1 was created, but the client could not know']);
      expect(unknown(oldestPage)).toEqual(['token 2 was created, but the client could not know']);
    } finally {
      await provider.close();
    }
  });
});

describe('no silent loss', () => {
  it('fails a client reporting success with a token never created; a client failing loudly is not failed for it', () => {
    const traffic = [throttle(SECRET, 0, '1'), create(SECRET, 1000, 500)];
    const verdict = judgeClientBehaviour(traffic);
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['no silent loss']);
    expect(verdict.checks[3].findings[0].message).toBe('token 1 was sent in 2 requests (1, 2) and never created, yet the client reported success; the last was a 500 to request 2');
    const loud = judgeClientBehaviour(traffic, { clientSucceeded: false });
    expect(loud.passed).toBe(true);
    expect(loud.checks[3].skipped).toMatch(/failing loudly is allowed/);
    expect(loud.counts.lost).toBe(1);
  });

  // Outside tester Q10 (decision 0420): a client that abandoned a create whose outcome it never learned, read nothing
  // back and exited 0 passed when the draw had stored it (a reset after the create) and failed when not (a plain 504).
  it('counts a token stored before a reset as created, and fails a client that reports success without knowing it', () => {
    const reset = () => create(SECRET, 0, null, { stored: true, fault: { kind: 'reset-after-create', by: 'fail-rate' } });
    const blind = judgeClientBehaviour([reset()]);
    expect(blind.counts).toMatchObject({ created: 1, lost: 0 });
    expect(blind.checks[3].findings.map((f) => f.message)).toEqual([
      'token 1 was created, but the client could not know it: the last of its 1 request (1) got a reset after the create (request 1 stored the vppToken, then the connection was reset without an answer), and no read after it could show the vppToken, yet the client reported success (had the outcome gone the other way, the token would be lost; read the list back before reporting it created)',
    ]);
    sequence = 0;
    expect(failed([create(SECRET, 0, 504, { stored: true }), { ...create('', 5, 200), method: 'GET', path: '/beta/deviceAppManagement/vppTokens/0f8fad5b-d9cb-469f-a165-70867728950e', body: Buffer.alloc(0), stored: false }])).toEqual(['no silent loss']);
    // A read back of the whole list after it, a 201 the client got, or a client failing loudly: passed.
    sequence = 0;
    expect(failed([reset(), { ...create('', 5, 200), method: 'GET', path: '/beta/deviceAppManagement/vppTokens', body: Buffer.alloc(0), stored: false }])).toEqual([]);
    sequence = 0;
    expect(failed([create(SECRET, 0, 504), { ...create('', 5, 200), method: 'GET', path: '/beta/deviceAppManagement/vppTokens', body: Buffer.alloc(0), stored: false }, create(SECRET, 10, 201)])).toEqual([]);
    sequence = 0;
    expect(judgeClientBehaviour([reset()], { clientSucceeded: false }).passed).toBe(true);
  });

  // Outside tester Q19: the proxy's own --timeout 504 was counted "never created" while the target held the token.
  it('counts a token whose create the provider never answered as unknown, never as never created', () => {
    const silent = (at: number) => create(SECRET, at, 504, { storedUnknown: 'the target did not answer within 1 s (--timeout)' });
    const verdict = judgeClientBehaviour([silent(0)]);
    expect(verdict.counts).toMatchObject({ created: 0, lost: 0, unknown: 1 });
    expect(verdict.summary).toMatch(/; 1 create of 1 token: 0 created, 0 extra creations, 0 never created, 1 unknown \(sent whole, outcome unknown: may be created; read the list back\)$/);
    expect(verdict.checks[3].findings.map((f) => f.message)).toEqual([
      'token 1 may or may not have been created (request 1 reached the provider, and its outcome is unknown: the target did not answer within 1 s (--timeout)): the last of its 1 request (1) got a 504 to request 1, and no read after it could show the vppToken, yet the client reported success (read the list back before reporting it created)',
    ]);
    // Read back after it: nothing to fault; a client failing loudly: passed, still unknown.
    sequence = 0;
    expect(failed([silent(0), { ...create('', 5, 200), method: 'GET', path: '/beta/deviceAppManagement/vppTokens', body: Buffer.alloc(0), stored: false }])).toEqual([]);
    sequence = 0;
    expect(judgeClientBehaviour([silent(0)], { clientSucceeded: false })).toMatchObject({ passed: true, counts: { lost: 0, unknown: 1 } });
    // Answered 201 on a re-send after a read back: created, not unknown; a plain 504 the provider answered: never created.
    sequence = 0;
    expect(judgeClientBehaviour([silent(0), { ...create('', 5, 200), method: 'GET', path: '/beta/deviceAppManagement/vppTokens', body: Buffer.alloc(0), stored: false }, create(SECRET, 10, 201)]).counts).toMatchObject({ created: 1, lost: 0, unknown: 0 });
    sequence = 0;
    expect(judgeClientBehaviour([create(SECRET, 0, 504)], { clientSucceeded: false }).counts).toMatchObject({ lost: 1, unknown: 0 });
  });

  // Decision 1325 (1250's leftover): a create inside a JSON batch the target answered 201 as a whole got the batch's
  // status, which names no create's vppToken: the client was told nothing of its create, so a success is a guess.
  it("reads what a create inside a batch answered as a whole was told by the one outcome rule: the batch's 2xx names no vppToken", () => {
    const whole = (status: number) => create(SECRET, 0, status, { batchId: '1', answeredWhole: true, stored: false, storedUnknown: `the target answered the batch ${status} as a whole, giving this create no answer of its own; it may have been created` });
    const list = (): TrafficEntry => ({ ...create('', 5, 200), method: 'GET', path: '/beta/deviceAppManagement/vppTokens', body: Buffer.alloc(0), stored: false });
    for (const status of [201, 200, 204]) {
      sequence = 0;
      expect(judgeClientBehaviour([whole(status)]).checks[3].findings.map((f) => f.message)).toEqual([
        `token 1 may or may not have been created (request 1 ($batch id "1") reached the provider, and its outcome is unknown: the target answered the batch ${status} as a whole, giving this create no answer of its own; it may have been created): the last of its 1 request (1 ($batch id "1")) got a ${status} to request 1 ($batch id "1"), and no read after it could show the vppToken, yet the client reported success (read the list back before reporting it created)`,
      ]);
      // Read back after it, or failing loudly: passed.
      sequence = 0;
      expect(failed([whole(status), list()])).toEqual([]);
      sequence = 0;
      expect(judgeClientBehaviour([whole(status)], { clientSucceeded: false }).passed).toBe(true);
    }
    // A lone create's own 201 naming no vppToken told the client created by its status line (decision 1172): not faulted.
    sequence = 0;
    expect(failed([create(SECRET, 0, 201, { stored: false, storedUnknown: 'the target answered 201 without the created vppToken; it may have been created' })])).toEqual([]);
  });

  // Outside finding R64's rest (decision 0671): the proxy keeps, of a list page, the vppTokens of the tokens whose
  // creates' outcome was unknown, by id and fingerprint (tokensListed); such a create a later page holds was stored.
  it('counts an unknown create a page after it held the vppToken of created, seen by a read, by that rule alone', () => {
    const ID = ['7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', '8c4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f61'];
    const silent = (at: number) => create(SECRET, at, 504, { storedUnknown: 'the target answered 504, which may come after it stored the vppToken' });
    const page = (at: number, held: { id: string; token: string }[], startedAt = at): TrafficEntry => ({
      ...create('', at, 200),
      startedAt,
      method: 'GET',
      path: '/beta/deviceAppManagement/vppTokens',
      body: Buffer.alloc(0),
      stored: false,
      answer: { status: 200, listed: held.map((h) => h.id), tokensListed: held },
    });
    const counts = (traffic: TrafficEntry[]) => {
      sequence = 0;
      return judgeClientBehaviour(traffic, { clientSucceeded: false }).counts;
    };
    const mine = tokenFingerprint(SECRET);
    // Held by a page after it: created, seen; the words say so.
    expect(counts([silent(0), page(5, [{ id: ID[0], token: mine }])])).toMatchObject({ created: 1, unknown: 0, seen: 1 });
    // Another token's vppToken, a page sent before the 504 came, or only the id a 201 of the token named: still unknown.
    expect(counts([silent(0), page(5, [{ id: ID[0], token: tokenFingerprint(`${SECRET}x`) }])])).toMatchObject({ created: 0, unknown: 1, seen: 0 });
    expect(counts([{ ...silent(0), endedAt: 10 }, page(5, [{ id: ID[0], token: mine }])])).toMatchObject({ created: 0, unknown: 1, seen: 0 });
    expect(counts([silent(0), create(SECRET, 5, 201, { createdId: ID[0] }), page(10, [{ id: ID[0].toUpperCase(), token: mine }])])).toMatchObject({ created: 1, duplicates: 0, seen: 0 });
    // Two vppTokens of it after a 504 and a 201 re-send: the 504's create was stored too, an extra creation.
    expect(counts([silent(0), create(SECRET, 5, 201, { createdId: ID[0] }), page(10, [{ id: ID[0], token: mine }, { id: ID[1], token: mine }])])).toMatchObject({ created: 1, duplicates: 1, seen: 0 });
    // Decision 0813: a vppToken a page listed before the create was sent (an earlier run's) is not its: still unknown.
    expect(counts([{ ...silent(0), listedBefore: [ID[0]] }, page(5, [{ id: ID[0].toUpperCase(), token: mine }])])).toMatchObject({ created: 0, unknown: 1, seen: 0 });
    // ... but another vppToken of the token, first listed after it, shows it stored.
    expect(counts([{ ...silent(0), listedBefore: [ID[0]] }, page(5, [{ id: ID[0], token: mine }, { id: ID[1], token: mine }])])).toMatchObject({ created: 1, unknown: 0, seen: 1 });
    // A blind re-send after a page showed the first 504's vppToken: that vppToken is the re-send's listedBefore only,
    // the first create still seen by it, the re-send by the second vppToken (an extra creation).
    expect(counts([silent(0), page(5, [{ id: ID[0], token: mine }]), { ...silent(10), listedBefore: [ID[0]] }, page(15, [{ id: ID[0], token: mine }, { id: ID[1], token: mine }])])).toMatchObject({ created: 1, duplicates: 1, unknown: 0, seen: 1 });
    // Without the second vppToken, the re-send's own outcome stays unknown: no extra creation counted.
    expect(counts([silent(0), page(5, [{ id: ID[0], token: mine }]), { ...silent(10), listedBefore: [ID[0]] }, page(15, [{ id: ID[0], token: mine }])])).toMatchObject({ created: 1, duplicates: 0, unknown: 0, seen: 1 });
  });
});

// Outside finding R85 (decision 0880): a create of unknown outcome stayed "unknown ... read the list back" after a read
// of the whole list through the proxy that held no vppToken of its token, though `no duplicate` takes that very read as
// the proof a re-send is safe. A page the proxy read whole (`readWhole`) that could show the create by 0180's rules,
// each judged (none by the benefit of the doubt), and holds no vppToken of its token: never created.
describe('an unknown create that a read of the whole list after it does not hold', () => {
  const ID = '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60';
  const mine = tokenFingerprint(SECRET);
  const silent = (at: number, extra: Partial<TrafficEntry> = {}) => create(SECRET, at, 504, { storedUnknown: 'the target answered 504, which may come after it stored the vppToken', ...extra });
  const page = (at: number, { query = '', held = [] as { id: string; token: string }[], whole = true, path = '/beta/deviceAppManagement/vppTokens' } = {}): TrafficEntry => ({
    ...create('', at, 200),
    method: 'GET',
    path: `${path}${query}`,
    body: Buffer.alloc(0),
    stored: false,
    answer: { status: 200, ...(held.length ? { listed: held.map((h) => h.id), tokensListed: held } : {}), ...(whole ? { readWhole: true as const } : {}) },
  });
  const verdict = (traffic: TrafficEntry[], clientSucceeded = false) => {
    sequence = 0;
    return judgeClientBehaviour(traffic, { clientSucceeded });
  };

  it('is never created, said so; a re-send after that read is no duplicate (one rule)', () => {
    const never = verdict([silent(0), page(5)]);
    expect(never.counts).toMatchObject({ created: 0, lost: 1, unknown: 0, unlisted: 1, seen: 0 });
    expect(never.summary).toMatch(/: 0 created, 0 extra creations, 1 never created \(1 not listed by a read: its create's outcome was unknown, and a later read of the whole list held no vppToken of it\)$/);
    // Another token's vppToken on the page, a $filter that matches the vppToken sent, a $top the page did not reach
    // (the proxy said it whole): the same.
    expect(verdict([silent(0), page(5, { held: [{ id: ID, token: tokenFingerprint(`${SECRET}x`) }] })]).counts).toMatchObject({ lost: 1, unknown: 0, unlisted: 1 });
    expect(verdict([silent(0), page(5, { query: `?$filter=${encodeURIComponent("displayName eq 'x'")}&$top=5` })]).counts).toMatchObject({ lost: 1, unknown: 0, unlisted: 1 });
    // The client that read it, then sent the token again, passes `no duplicate`: the same read is its proof.
    const resent = verdict([silent(0), page(5), create(SECRET, 10, 201)]);
    expect(resent.checks.find((c) => c.name === 'no duplicate')!.passed).toBe(true);
    expect(resent.counts).toMatchObject({ created: 1, lost: 0, unknown: 0, unlisted: 0 });
    // A client that then reported success lost the token: the finding names the read.
    const loss = verdict([silent(0), page(5)], true).checks.find((c) => c.name === 'no silent loss')!.findings;
    expect(loss.map((f) => [f.message, f.requests])).toEqual([
      ['token 1 was sent in 1 request (1) and never created, yet the client reported success; the last was a 504 to request 1 (request 2 read the whole list after the 504 to request 1, and it held no vppToken of it)', [1, 2]],
    ]);
    // A list of two pages through the proxy: the page its first page's nextLink named, read whole too, is the last.
    const next = pageKey('/beta/deviceAppManagement/vppTokens?$skiptoken=2');
    const firstOfTwo = () => ({ ...page(5), answer: { status: 200, readWhole: true as const, nextPage: next } });
    expect(verdict([silent(0), firstOfTwo(), page(6, { query: '?$skiptoken=2' })]).counts).toMatchObject({ lost: 1, unknown: 0, unlisted: 1 });
    expect(verdict([silent(0), firstOfTwo()]).counts).toMatchObject({ lost: 0, unknown: 1, unlisted: 0 });
    expect(verdict([silent(0), firstOfTwo(), page(6, { query: '?$skiptoken=3' })]).counts).toMatchObject({ lost: 0, unknown: 1, unlisted: 0 });
    expect(verdict([silent(0), firstOfTwo(), page(6, { query: '?$skiptoken=2', whole: false })]).counts).toMatchObject({ lost: 0, unknown: 1, unlisted: 0 });
    // Two blind sends, the whole list read after both: both shown; read only between them: the second is unknown.
    expect(verdict([silent(0), silent(5), page(10)]).counts).toMatchObject({ lost: 1, unknown: 0, unlisted: 1 });
    expect(verdict([silent(0), page(5), silent(10)]).counts).toMatchObject({ lost: 0, unknown: 1, unlisted: 0 });
  });

  // Outside finding R154 (decision 1270): a create accepted for processing (202) may run after any read; a list that
  // lacks it proves nothing, and a re-send after such a read is blind, until its status monitor said it ended.
  it('keeps a create accepted for processing (202) unknown after a whole list that lacks it, and fails a re-send after that list until its status monitor said it ended', () => {
    const monitor = '/beta/monitor/1';
    const accepted = (at: number) => create(SECRET, at, 202, { storedUnknown: 'the target answered 202 Accepted: the create was accepted for processing, not done', accepted: true, monitor });
    const poll = (at: number, status: number, path = monitor): TrafficEntry => ({ ...create('', at, status), method: 'GET', path, body: Buffer.alloc(0), stored: false });
    const duplicate = (traffic: TrafficEntry[]) => verdict(traffic).checks.find((c) => c.name === 'no duplicate')!;
    expect(verdict([accepted(0), page(5)]).counts).toMatchObject({ created: 0, lost: 0, unknown: 1, unlisted: 0 });
    // A page that holds its vppToken still shows it created.
    expect(verdict([accepted(0), page(5, { held: [{ id: ID, token: mine }] })]).counts).toMatchObject({ created: 1, lost: 0, unknown: 0, seen: 1 });
    // Once its monitor said it ended, a whole list read after that answer is the proof (0880); one read before it, or
    // after a monitor still at 202, is not.
    expect(verdict([accepted(0), poll(3, 200), page(5)]).counts).toMatchObject({ created: 0, lost: 1, unknown: 0, unlisted: 1 });
    expect(verdict([accepted(0), page(3), poll(5, 200)]).counts).toMatchObject({ created: 0, lost: 0, unknown: 1, unlisted: 0 });
    expect(verdict([accepted(0), poll(3, 202), page(5)]).counts).toMatchObject({ created: 0, lost: 0, unknown: 1, unlisted: 0 });
    // Sent again after the whole list (the monitor not asked, or still 202, or another path answered 200): blind.
    for (const polls of [[], [poll(3, 202)], [poll(3, 200, '/beta/monitor/2')]]) {
      sequence = 0;
      const traffic = [accepted(0), ...polls, page(5), create(SECRET, 10, 201)];
      expect(duplicate(traffic).findings.map((f) => f.message)).toEqual([
        expect.stringMatching(/^request \d re-sent token 1 after a 202 to request 1 after reads that could not show it \(request \d could not show it: request 1 was answered 202 Accepted, accepted for processing and not done \(RFC 9110 §15\.3\.3\), and a list shows a vppToken only once its create has run: /),
      ]);
    }
    // Its monitor answered that it ended (200 with the final answer, or a 303 to it): the client knew; re-sent, passed.
    for (const status of [200, 303]) expect(duplicate([accepted(0), poll(3, status), create(SECRET, 10, 201)]).passed).toBe(true);
    expect(duplicate([accepted(0), poll(3, 200), page(5), create(SECRET, 10, 201)]).passed).toBe(true);
    // The neighbour: a 504's create re-sent after the same whole list passes (0880), never created by it.
    expect(duplicate([silent(0), page(5), create(SECRET, 10, 201)]).passed).toBe(true);
    // A success reported after the 202 is a guess, as after a 504, until its monitor said it ended or a list holds it.
    const loss = (traffic: TrafficEntry[]) => verdict(traffic, true).checks.find((c) => c.name === 'no silent loss')!.findings.map((f) => f.message);
    for (const traffic of [[accepted(0)], [accepted(0), page(5)], [accepted(0), poll(3, 202)]]) {
      expect(loss(traffic)).toEqual([expect.stringMatching(/^token 1 may or may not have been created \(request \d+ reached the provider.*got a 202 to request \d+, and no read after it could show the vppToken, yet the client reported success \(poll the status monitor its 202 named until it says the create ran, or read a list that holds it, before reporting it created\)$/)]);
    }
    for (const traffic of [[accepted(0), poll(3, 200)], [accepted(0), page(5, { held: [{ id: ID, token: mine }] })]]) expect(loss(traffic)).toEqual([]);
  });

  // Outside finding W6 (decision 1315): the status monitor answered 200 holding the create's own `201 Created` (OData
  // 4.01 Part 1 §11.6): that is the create's answer, read by the one outcome rule, not "it ended" alone.
  it("reads a create accepted for processing (202) by the create's answer its status monitor gave: created, a re-send after it is a duplicate; not created, a re-send passes", () => {
    const monitor = '/beta/monitor/1';
    const accepted = (at: number, watched = monitor) => create(SECRET, at, 202, { storedUnknown: 'the target answered 202 Accepted: the create was accepted for processing, not done', accepted: true, monitor: watched });
    const told = (at: number, what: NonNullable<TrafficEntry['answer']>['told'], path = monitor): TrafficEntry => ({ ...create('', at, 200), method: 'GET', path, body: Buffer.alloc(0), stored: false, answer: { status: 200, ...(what ? { told: what } : {}) } });
    const made = { created: true as const, createdId: ID };
    const duplicate = (traffic: TrafficEntry[]) => verdict(traffic).checks.find((c) => c.name === 'no duplicate')!;
    // Told created: the token is created with its id, and a re-send after that answer is a second create of it.
    expect(verdict([accepted(0), told(3, made)]).counts).toMatchObject({ created: 1, lost: 0, unknown: 0 });
    expect(duplicate([accepted(0), told(3, made), accepted(10, '/beta/monitor/2')]).findings.map((f) => f.message)).toEqual([
      `token 1 was sent again by request 3 after the status monitor of request 1 said it was created (request 2 was answered 200 with the create's answer, naming vppToken ${ID}: OData 4.01 Part 1 §11.6): a created token is never sent again, and a 202 to request 3 leaves open whether it made a second vppToken`,
    ]);
    // Answered 201 itself, the re-send is a repeat, in the monitor's words.
    expect(duplicate([accepted(0), told(3, made), create(SECRET, 10, 201)]).findings.map((f) => f.message)).toEqual([expect.stringMatching(/^token 1 was created again by request 3 \(first by request 1\): the client re-sent it after a 202 to request 1\. The status monitor of request 1 said it was created \(request 2 .*: a created token is never sent again\.$/)]);
    // Sent again before the monitor said so: still the blind re-send of 1270; a DELETE of the id it named in between ends it.
    expect(duplicate([accepted(0), accepted(3, '/beta/monitor/2'), told(5, made)]).findings.map((f) => f.message)).toEqual([expect.stringMatching(/^request 2 re-sent token 1 after a 202 to request 1 without reading back first/)]);
    const deleted = (): TrafficEntry => ({ ...create('', 5, 204), method: 'DELETE', path: `/beta/deviceAppManagement/vppTokens/${ID}`, body: Buffer.alloc(0), stored: false });
    expect(duplicate([accepted(0), told(3, made), deleted(), accepted(10)]).passed).toBe(true);
    // The neighbours that must still pass: told not created (a 400 inside), the re-send is no duplicate and the token
    // never created; a monitor's 200 that told no outcome is 1270's end of processing, the count still unknown.
    expect(verdict([accepted(0), told(3, { created: false })]).counts).toMatchObject({ created: 0, lost: 1, unknown: 0 });
    expect(duplicate([accepted(0), told(3, { created: false }), accepted(10)]).passed).toBe(true);
    expect(duplicate([accepted(0), told(3, undefined), accepted(10)]).passed).toBe(true);
    expect(verdict([accepted(0), told(3, undefined)]).counts).toMatchObject({ created: 0, unknown: 1 });
    // The near neighbour: told created by its own 201, the token re-sent and answered 504 or 202 (it may make a second).
    for (const status of [504, 202]) {
      const again = (at: number) => create(SECRET, at, status, { storedUnknown: 'may have been created' });
      expect(duplicate([create(SECRET, 0, 201, { createdId: ID }), again(10)]).findings.map((f) => f.message)).toEqual([
        `token 1 was sent again by request 2 after a 201 to request 1 with the created vppToken: a created token is never sent again, and a ${status} to request 2 leaves open whether it made a second vppToken`,
      ]);
    }
    // Refused (a 409 made nothing), the re-send of a created token is no duplicate made.
    expect(duplicate([create(SECRET, 0, 201, { createdId: ID }), create(SECRET, 10, 409)]).passed).toBe(true);
    // Another path's answer (another create's monitor) tells nothing of this one: the re-send is 1270's blind one.
    expect(duplicate([accepted(0), told(3, made, '/beta/monitor/2'), accepted(10)]).findings.map((f) => f.message)).toEqual([expect.stringMatching(/^request 3 re-sent token 1 after a 202 to request 1 without reading back first/)]);
  });

  it('stays unknown for a page not read whole, one that holds a vppToken of its token, one sent before the 504 came, and a read that shows nothing or was given the doubt', () => {
    const unknown = { created: 0, lost: 0, unknown: 1, unlisted: 0 };
    // Not read whole by the proxy (a nextLink, a vppToken without its token, a body it could not read, $top reached).
    expect(verdict([silent(0), page(5, { whole: false })]).counts).toMatchObject(unknown);
    // An earlier run's vppToken of the token (listed before the create: 0813): the target holds the token.
    expect(verdict([silent(0, { listedBefore: [ID] }), page(5, { held: [{ id: ID, token: mine }] })]).counts).toMatchObject(unknown);
    // A create the provider never answered (decision 1092: the proxy's --timeout): no end a read can come after; a
    // page that holds its token still shows it created.
    expect(verdict([silent(0, { unanswered: true }), page(5)]).counts).toMatchObject(unknown);
    expect(verdict([silent(0, { unanswered: true }), page(5, { held: [{ id: ID, token: mine }] })]).counts).toMatchObject({ created: 1, lost: 0, unknown: 0, seen: 1 });
    // Sent before the 504 came (the create may be stored after the read: L5), or in the create's own JSON batch.
    expect(verdict([silent(0, { endedAt: 10 }), page(5)]).counts).toMatchObject(unknown);
    const batched = silent(0, { batchId: '1' });
    expect(verdict([batched, { ...page(0), sequence: batched.sequence, batchId: '2' }]).counts).toMatchObject(unknown);
    // 0180's reads that show nothing: another $filter, $select of nothing the create set, from $skip on, the count,
    // one vppToken by id, a 500.
    for (const query of [`?$filter=${encodeURIComponent("displayName eq 'other'")}`, `?filter=${encodeURIComponent("displayName eq 'other'")}`, '?$select=id', '?SELECT=id', '?$skip=1', '?skip=1']) expect(verdict([silent(0), page(5, { query })]).counts).toMatchObject(unknown);
    expect(verdict([silent(0), page(5, { path: '/beta/deviceAppManagement/vppTokens/$count', query: `?$filter=${encodeURIComponent("displayName eq 'x'")}` })]).counts).toMatchObject(unknown);
    expect(verdict([silent(0), page(5, { path: `/beta/deviceAppManagement/vppTokens/${ID}` })]).counts).toMatchObject(unknown);
    expect(verdict([silent(0), { ...page(5), answer: { status: 500, readWhole: true } }]).counts).toMatchObject(unknown);
    // Options the kit's reader does not take: `no duplicate` gives the read the benefit of the doubt (a re-send after
    // it passes), but no doubt proves the create made nothing.
    const doubted = () => page(5, { query: '?$search=%22x%22' });
    expect(verdict([silent(0), doubted()]).counts).toMatchObject(unknown);
    expect(verdict([silent(0), doubted(), create(SECRET, 10, 201)]).checks.find((c) => c.name === 'no duplicate')!.passed).toBe(true);
  });

  // Outside finding R122 (decision 1091): a whole list $filtered on a value the service sets or syncs (state,
  // lastSyncStatus, the organizationName the sToken names, its expiry, appleId the create did not set) was the proof,
  // evaluated on the mock's own values: Graph may hold the vppToken with others (a token Apple refused: state invalid).
  // Only the values the create set, held as sent, prove absence; the filter as evaluated reads no other.
  it('stays unknown after a whole list filtered on a value the service sets; one filtered on what the create set proves it never created', () => {
    const { appleId: _unset, ...sent } = createRequestFactory.withSeed(1091).build();
    const { orgName } = readAppleSToken(sent.token)!;
    const silentSent = () => create(sent.token, 0, 504, { body: Buffer.from(JSON.stringify(sent)), storedUnknown: 'the target answered 504, which may come after it stored the vppToken' });
    const filtered = (filter: string) => verdict([silentSent(), page(5, { query: `?$filter=${encodeURIComponent(filter)}` })]).counts;
    const dn = sent.displayName!.replace(/'/g, "''");
    for (const filter of ["state eq 'valid'", "lastSyncStatus eq 'none'", `organizationName eq '${orgName.replace(/'/g, "''")}'`, 'lastSyncDateTime lt 2000-01-01T00:00:00Z', 'appleId eq null', `state eq 'valid' and displayName eq '${dn}'`, `displayName eq '${dn}' and lastSyncStatus ne 'failed'`, `not (state eq 'invalid')`]) {
      expect([filter, filtered(filter)]).toEqual([filter, expect.objectContaining({ lost: 0, unknown: 1, unlisted: 0 })]);
    }
    // What the create set, held as sent (its displayName, its account type, its flags), alone or where it decides.
    for (const filter of [`displayName eq '${dn}'`, `vppTokenAccountType eq '${sent.vppTokenAccountType}' and displayName eq '${dn}'`, `displayName eq '${dn}' or state eq 'valid'`, `automaticallyUpdateApps eq ${sent.automaticallyUpdateApps}`]) {
      expect([filter, filtered(filter)]).toEqual([filter, expect.objectContaining({ lost: 1, unknown: 0, unlisted: 1 })]);
    }
  });
});

// Outside tester G6: with no create the four checks held vacuously, so any verdict on such traffic would be false.
it('judges nothing on traffic that holds no create: it throws, saying what the traffic holds', () => {
  expect(() => judgeClientBehaviour([])).toThrow(new NothingToJudgeError('no request at all'));
  const wrongPath = { ...create(SECRET, 0, 404), path: '/beta/deviceAppManagement/vppToken' };
  const list = { ...create('', 5, 200), method: 'GET', path: '/beta/deviceAppManagement/vppTokens?$top=1', body: Buffer.alloc(0), stored: false };
  let thrown: unknown;
  try {
    judgeClientBehaviour([list, wrongPath], { clientSucceeded: false });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(NothingToJudgeError);
  expect((thrown as NothingToJudgeError).message).toBe(
    'the traffic holds no create of a vppToken (POST .../deviceAppManagement/vppTokens), so there is no behaviour to judge: it holds 2 requests: 404 at POST /beta/deviceAppManagement/vppToken, 200 at GET /beta/deviceAppManagement/vppTokens',
  );
  // One create is enough to judge, even one the provider refused.
  expect(judgeClientBehaviour([list, wrongPath, create(SECRET, 10, 400)], { clientSucceeded: false }).counts).toMatchObject({ requests: 3, creates: 1 });
});

it('never names a token value in a finding or the summary', () => {
  const traffic = [throttle(SECRET, 0, '1'), create(SECRET, 1, 504, { stored: true }), create(SECRET, 2, 201), ...Array.from({ length: 10 }, (_, i) => throttle(SECRET, 3 + i, undefined))];
  const text = JSON.stringify(judgeClientBehaviour(traffic));
  expect(failed(traffic)).toEqual(['retry-after', 'no duplicate', 'bounded retries']);
  expect(text).not.toContain(SECRET);
});

describe('tiny clients against the faulty reference provider (fake clock)', () => {
  const clients: [string, Habits][] = [['correct', CORRECT], ...Object.entries(BREAKS)];
  // What each client fails, under each setting: only its own check, and only where the faults let it show.
  const expected: Record<string, Record<string, BehaviourCheckName[]>> = {
    // The client of 15 attempts waits out each Retry-After: 1, as Graph asks (decision 0435); under Retry-After: 0 it is 15 at once.
    'every request 503': { correct: [], 'retry-after': ['retry-after'], 'no duplicate': [], 'bounded retries': [], 'no silent loss': ['no silent loss'] },
    'every request 503, Retry-After 0': { correct: [], 'retry-after': [], 'no duplicate': [], 'bounded retries': ['bounded retries'], 'no silent loss': ['no silent loss'] },
    'half fail, every kind': { correct: [], 'retry-after': ['retry-after'], 'no duplicate': ['no duplicate'], 'bounded retries': [], 'no silent loss': ['no silent loss'] },
  };
  describe.each([
    ['every request 503', ALWAYS_503],
    ['every request 503, Retry-After 0', ALWAYS_503_AT_ONCE],
    ['half fail, every kind', MIXED],
  ])('%s', (setting, faults) => {
    it.each(clients)('the %s client', async (name, habits) => {
      const { succeeded, traffic, created } = await runTinyClient(faults, habits);
      const verdict = judgeClientBehaviour(traffic, { clientSucceeded: succeeded });
      expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(expected[setting][name]);
      expect(verdict.counts.created).toBe(created - verdict.counts.duplicates);
    });
  });

  // Outside tester H3: under plain 504s nothing is stored twice, so only what the client read can tell a blind re-send.
  it.each([['correct', CORRECT], ...Object.entries(BLIND_READS)])('under plain 504s, the client reading back %s', async (name, habits) => {
    const { succeeded, traffic, created } = await runTinyClient(PLAIN_504, habits);
    const verdict = judgeClientBehaviour(traffic, { clientSucceeded: succeeded });
    expect(created).toBe(8);
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(name === 'correct' ? [] : ['no duplicate']);
    const why = { correct: '', 'first page': 'was not followed to the last page', 'another filter': 'so that the vppToken sent is not in it', 'ids only': 'selected only id ($select)' }[name]!;
    for (const finding of verdict.checks[1].findings) expect(finding.message).toContain(why);
  });

  // Outside tester H27 (its client, which a fake clock cannot tell from a parallel one, runs in
  // tests/client-check/faults.test.ts on a real clock): a correct client in parallel passes.
  it('passes the correct client running three creates at once, each backing off its own', async () => {
    for (const faults of [THROTTLED_HALF, MIXED, ALWAYS_503]) {
      const parallel = await runTinyClient(faults, CORRECT_IN_PARALLEL);
      const verdict = judgeClientBehaviour(parallel.traffic, { clientSucceeded: parallel.succeeded });
      expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual([]);
    }
  });

  // Outside tester J11: the client that re-reads the list 5 ms after each throttled read fails retry-after alone.
  it.each([
    ['waits out a throttled read', READS_LIST, []],
    ['re-reads at once', REREADS_AT_ONCE, ['retry-after']],
  ] as const)('the client reading the list at the end that %s', async (_name, habits, failing) => {
    const { succeeded, traffic } = await runTinyClient(THROTTLED_HALF, habits);
    const reads = traffic.filter((e) => e.method === 'GET');
    expect(reads.filter((e) => e.answer?.status === 429 || e.answer?.status === 503).length).toBeGreaterThan(0);
    expect(reads.at(-1)!.answer!.status).toBe(200);
    const verdict = judgeClientBehaviour(traffic, { clientSucceeded: succeeded });
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(failing);
    for (const finding of verdict.checks[0].findings) expect(finding.message).toMatch(/^request \d+ re-read the list of vppTokens 5 ms after the (429|503) to request \d+ ended, which said Retry-After: 1 \(wait at least 1000 ms/);
  });

  it('under every kind, the correct client creates each token exactly once', async () => {
    const { succeeded, traffic, created } = await runTinyClient(MIXED, CORRECT);
    expect(succeeded).toBe(true);
    expect(created).toBe(8);
    const kinds = new Set(traffic.map((e) => e.fault?.kind).filter(Boolean));
    expect(kinds).toEqual(new Set([429, 503, '504-after-create', 'reset-after-create']));
  });
});

// Outside tester Q1: a client under faults may give up loudly after a fault, not after it got past every one.
describe('faultGivenUpAfter (check-client: may a client under faults exit non-zero?)', () => {
  const OTHER = 'b3RoZXItdG9rZW4=';
  const readList = (at: number, status: number, extra: Partial<TrafficEntry> = {}): TrafficEntry => ({ ...create('', at, status), method: 'GET', body: undefined, ...extra });

  it('names the fault no later request for the same thing got past: a token, a read, anything else', () => {
    sequence = 0;
    const given = throttle(SECRET, 0, '1');
    expect(faultGivenUpAfter([given, create(OTHER, 10, 201)])).toBe(given);
    sequence = 0;
    const read = readList(20, 503, { fault: { kind: 503, by: 'fail-rate' } });
    expect(faultGivenUpAfter([throttle(SECRET, 0, '1'), create(SECRET, 1000, 201), read])).toBe(read);
    sequence = 0;
    // Sent again, and again a fault: still given up after the first.
    const first = throttle(SECRET, 0, '1');
    expect(faultGivenUpAfter([first, throttle(SECRET, 1000, '1')])).toBe(first);
    sequence = 0;
    const reset = create(SECRET, 0, null, { fault: { kind: 'reset-after-create', by: 'fail-rate' } });
    expect(faultGivenUpAfter([reset, create(SECRET, 1000, null)])).toBe(reset);
  });

  it('is undefined when every fault was got past with a plain answer, or there was none', () => {
    sequence = 0;
    expect(faultGivenUpAfter([throttle(SECRET, 0, '1'), create(OTHER, 10, 201), create(SECRET, 1000, 201)])).toBeUndefined();
    sequence = 0;
    expect(faultGivenUpAfter([readList(0, 429, { fault: { kind: 429, by: 'rate-limit' } }), readList(1000, 200)])).toBeUndefined();
    sequence = 0;
    expect(faultGivenUpAfter([create(SECRET, 0, 201)])).toBeUndefined();
  });

  // Outside attacker R70: a fault answers a request inside a JSON batch, not the batch (the batch is answered 200,
  // decision 0436), so the rule reads each batch as the requests inside it, as the behaviour checks do.
  const batchOf = (at: number, ...members: TrafficEntry[]): TrafficEntry => {
    sequence++;
    const own = members.map((m) => ({ ...m, sequence, startedAt: at, endedAt: at }));
    return { sequence, method: 'POST', path: '/beta/$batch', rawHeaders: ['Content-Type', 'application/json'], body: Buffer.from('{"requests":[]}'), startedAt: at, endedAt: at, answer: { status: 200 }, stored: false, members: own };
  };
  it('reads a JSON batch as the requests inside it: a fault answering one of them is one given up after, or got past', () => {
    const member = (token: string, status: number, extra: Partial<TrafficEntry> = {}) => ({ ...create(token, 0, status, extra), batchId: '1' });
    sequence = 0;
    const given = batchOf(0, member(SECRET, 201), member(OTHER, 429, { answer: { status: 429, retryAfter: '1' }, fault: { kind: 429, by: 'fail-rate' } }));
    expect(faultGivenUpAfter([given])).toBe(given.members![1]);
    sequence = 0;
    const first = batchOf(0, member(SECRET, 429, { answer: { status: 429, retryAfter: '1' }, fault: { kind: 429, by: 'fail-rate' } }));
    expect(faultGivenUpAfter([first, batchOf(1000, member(SECRET, 201))])).toBeUndefined();
    // Sent again plainly, and answered plainly: got past too.
    sequence = 0;
    expect(faultGivenUpAfter([batchOf(0, member(SECRET, 429, { fault: { kind: 429, by: 'fail-rate' } })), create(SECRET, 1000, 201)])).toBeUndefined();
  });

  // The library's judgeClientBehaviour (under the jest matchers) is handed the reference provider's traffic as kept,
  // each batch whole: it threw "the traffic holds no create" for a client that created only inside batches (0662).
  it('judgeClientBehaviour reads a JSON batch as the requests inside it too, as check-client hands them', () => {
    const member = (token: string, status: number) => ({ ...create(token, 0, status), batchId: '1' });
    sequence = 0;
    const twice = [batchOf(0, member(SECRET, 201)), batchOf(1000, member(SECRET, 201))];
    expect(failed(twice)).toEqual(['no duplicate']);
    sequence = 0;
    const once = [batchOf(0, member(SECRET, 201), member(OTHER, 201))];
    expect([failed(once), judgeClientBehaviour(once).counts]).toEqual([[], { requests: 2, creates: 2, tokens: 2, created: 2, duplicates: 0, lost: 0, unknown: 0, seen: 0, unlisted: 0 }]);
  });
});

// Outside attacker R68 (decision 0652): a 201 that says the provider already held the token (`heldAlready`, from
// state duplicateLocationId) is a second vppToken, counted once: alone it fails no duplicate, after a create of the
// same token in the traffic it is that repeat's one finding, and a plain 201 passes.
describe('a create the provider said it already held', () => {
  it('fails no duplicate alone, counts one extra creation after a create of the same token, and a plain 201 passes', () => {
    const alone = judgeClientBehaviour([create(SECRET, 0, 201, { heldAlready: true })]);
    expect(alone.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['no duplicate']);
    expect(alone.counts).toMatchObject({ created: 1, duplicates: 1 });
    sequence = 0;
    const twice = judgeClientBehaviour([create(SECRET, 0, 201), create(SECRET, 100, 201, { heldAlready: true })]);
    expect(twice.counts).toMatchObject({ created: 1, duplicates: 1 });
    expect(twice.checks.find((c) => c.name === 'no duplicate')!.findings).toHaveLength(1);
    sequence = 0;
    expect(failed([create(SECRET, 0, 201)])).toEqual([]);
  });

  // Decision 0670: the reference provider answers a token its store holds 201 with state duplicateLocationId (0251)
  // and now keeps it in its traffic, alone and inside a JSON batch, as the proxy reads it; its store knows only its
  // own creates, so the traffic holds the first too and the repeat is counted once. Another token is not held.
  it('is kept in the reference provider\'s traffic, alone and inside a batch, and counted once with the create before it', async () => {
    const provider = await startReferenceProvider({ recordTraffic: true });
    const headers = { Authorization: 'Bearer habits', 'Content-Type': 'application/json' };
    const [a, b, c] = bodies(3);
    try {
      for (const body of [a, a]) expect((await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers, body: JSON.stringify(body) })).status).toBe(201);
      const requests = [b, b, c].map((body, i) => ({ id: String(i + 1), method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body }));
      expect((await fetch(`${provider.url}/beta/$batch`, { method: 'POST', headers, body: JSON.stringify({ requests }) })).status).toBe(200);
      const traffic = provider.traffic!;
      expect(traffic.map((e) => [e.heldAlready, e.members?.map((m) => [m.batchId, m.stored, m.heldAlready])])).toEqual([
        [undefined, undefined],
        [true, undefined],
        [undefined, [['1', true, undefined], ['2', true, true], ['3', true, undefined]]],
      ]);
      const verdict = judgeClientBehaviour(traffic);
      expect(verdict.counts).toMatchObject({ creates: 5, tokens: 3, created: 3, duplicates: 2 });
      expect(verdict.checks.find((c) => c.name === 'no duplicate')!.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^token 1 was created again by request 2 \(first by request 1\)/), expect.stringMatching(/^token 2 was created again by request 3 \(\$batch id "2"\) \(first by request 3 \(\$batch id "1"\)\)/)]);
    } finally {
      await provider.close();
    }
  });
});
