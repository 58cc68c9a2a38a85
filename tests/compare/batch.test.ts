// Outside tester R10: compare left a JSON batch interaction alone ("not the create nor a read of a vppToken"), so a
// pact whose batch carried a broken create, or expected a broken 201 for one, passed. Each create inside a batch is
// judged as a create interaction of its own, with the answer the expected batch answer gives its id (decision 0461).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { comparePacts } from 'vpptokens-contract-kit/compare';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-compare-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const token = createRequestFactory.withSeed(9).withTraits('minimal').buildAt(0).token;
const other = createRequestFactory.withSeed(10).withTraits('minimal').buildAt(0).token;
const JSON_TYPE = { 'Content-Type': 'application/json' };
type Member = { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown; dependsOn?: string[] };
type Answer = { id: string; status: number; headers?: Record<string, string>; body?: unknown };
const create = (id: string, body: Record<string, unknown>): Member => ({ id, method: 'POST', url: '/deviceAppManagement/vppTokens', headers: JSON_TYPE, body });
const created = (id: string, sent: Record<string, unknown>, extra: Record<string, unknown> = {}): Answer => ({ id, status: 201, headers: JSON_TYPE, body: { id: `7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f6${id}`, ...sent, ...extra } });
const FLEET_A = { token, displayName: 'Fleet A' };
const FLEET_B = { token: other, displayName: 'Fleet B' };

let files = 0;
/** A Pact V2 file of one batch interaction: its requests, the answers the pact expects, the batch's status, matching rules. */
function pactOf(requests: Member[], responses: Answer[] | undefined, status = 200, rules: Record<string, unknown> = { '$.body.responses[*].body.id': { match: 'type' } }, authorization = 'Bearer x.y.z'): string {
  const pact = {
    consumer: { name: `batching-${++files}` },
    provider: { name: 'microsoft-graph-vpptokens' },
    interactions: [
      {
        description: 'create tokens in a batch',
        request: { method: 'POST', path: '/beta/$batch', headers: { 'Content-Type': 'application/json', Authorization: authorization }, body: { requests } },
        response: { status, headers: { 'Content-Type': 'application/json' }, body: responses === undefined ? { error: { code: 'BadRequest', message: 'Refused.' } } : { responses }, matchingRules: rules },
      },
    ],
    metadata: { pactSpecification: { version: '2.0.0' } },
  };
  const file = join(dir, `batch-${files}.json`);
  writeFileSync(file, JSON.stringify(pact));
  return file;
}
const judge = async (file: string, comparator = false) => {
  const result = await comparePacts([file], { comparator });
  const [interaction] = result.pacts[0].interactions;
  return { passed: result.passed, judged: interaction.judged, findings: interaction.findings.map((f) => `${f.side} ${f.pointer}: ${f.message}`), notes: interaction.notes ?? [] };
};

describe('compare: the creates inside a JSON batch interaction', () => {
  it('fails a batch whose create Graph refuses, expected 201 inside the batch', async () => {
    const broken = { ...FLEET_A, vppTokenAccountType: 'String' };
    const { passed, judged, findings } = await judge(pactOf([create('1', broken)], [created('1', broken)]));
    expect([passed, judged]).toEqual([false, true]);
    expect(findings).toEqual([expect.stringMatching(/^request \/requests\/0\/body\/vppTokenAccountType: must be one of .*\(got "String"\) \(Graph answers 400, not 201\)$/), expect.stringMatching(/^response \/responses\/0\/body\/vppTokenAccountType: /)]);
  });

  it('fails a 201 inside the batch that Graph could not give: the values back, and a status Graph never gives a create', async () => {
    const renamed = await judge(pactOf([create('1', FLEET_A)], [created('1', FLEET_A, { displayName: 'Fleet Z' })]));
    expect(renamed.findings).toEqual([expect.stringMatching(/^response \/responses\/0\/body\/displayName: must be "Fleet A", as the client set it/)]);
    const ok = await judge(pactOf([create('1', FLEET_A)], [{ ...created('1', FLEET_A), status: 200 }]));
    expect(ok.findings).toEqual(['response /responses/0/status: must be 201: Graph answers a create with 201 Created (got 200)']);
    // A matcher on the answer inside is read as one on a create's answer, and placed in the batch.
    const never = await judge(pactOf([create('1', FLEET_A)], [created('1', FLEET_A, { vppTokenAccountType: 'business' })], 200, { '$.body.responses[0].body.id': { match: 'type' }, '$.body.responses[0].body.vppTokenAccountType': { match: 'regex', regex: '^String$' } }));
    expect(never.findings).toEqual([expect.stringMatching(/^response \/responses\/0\/body\/vppTokenAccountType: the .* matcher on \$\.vppTokenAccountType can never be satisfied/)]);
  });

  it('passes a batch of valid creates and a read, their answers listed by id in another order, under a matcher on the list', async () => {
    const requests = [create('1', FLEET_A), { id: 'r', method: 'GET', url: '/deviceAppManagement/vppTokens?$top=1' }, create('2', FLEET_B)];
    const responses = [created('2', FLEET_B), { id: 'r', status: 200, headers: JSON_TYPE, body: { value: [] } }, created('1', FLEET_A)];
    // Graph's prose by type (decision 1011: pinned, it is no text Graph writes).
  const listed = { '$.body.responses': { match: 'type' }, '$.body.responses[*].body.id': { match: 'type' }, '$.body.responses[*].body.error.message': { match: 'type' } };
    // The list's type rule reaches each 201's token (decision 1111): Pact then refuses a token withheld as null, noted as a lone create's `$.token` by type is.
    const withheld = (id: string) => `($batch id "${id}") response /token: the type matcher on $ refuses null, which the kit takes from a provider but has seen in no Graph answer (the token this request sent, or null (withheld: Graph need not give a credential back)): verify fails a provider that gives it; not failed here`;
    expect(await judge(pactOf(requests, responses, 200, listed))).toEqual({ passed: true, judged: true, findings: [], notes: [withheld('1'), withheld('2')] });
    // PactFlow's comparator has no $batch in the document: it adds nothing to the kit's verdict of a batch.
    expect((await judge(pactOf(requests, responses, 200, listed), true)).findings).toEqual([]);
  });

  // Outside tester R11: Graph lists a batch's answers in any order; Pact compares an array in the order written.
  it("fails a batch that lists two answers with no matcher on the list: a correct provider's other order fails it", async () => {
    const { findings } = await judge(pactOf([create('1', FLEET_A), create('2', FLEET_B)], [created('1', FLEET_A), created('2', FLEET_B)]));
    expect(findings).toEqual(["response /responses: lists 2 answers, which Pact matches in the order written, but Graph lists a batch's answers in any order, each named by its id: match the list with an arrayContains matcher (Pact V4), or put one request in each batch"]);
  });

  it('fails a batch answer that holds no answer for a create inside it', async () => {
    const { findings } = await judge(pactOf([create('1', FLEET_A)], [created('9', FLEET_A)]));
    expect(findings).toEqual(['response /responses: the batch answer holds no response with the id "1": Graph answers each request of a batch, the create with the id "1" too']);
  });

  it('takes a batch Graph refuses as a whole when the pact expects that refusal, and fails one that expects 200 for it', async () => {
    const twice = [create('1', FLEET_A), create('1', FLEET_B)];
    const refused = await judge(pactOf(twice, undefined, 400));
    expect([refused.passed, refused.findings, refused.notes]).toEqual([true, [], ['the batch is refused as a whole (400): the creates inside it are not run, nor judged']]);
    const expected = await judge(pactOf(twice, [created('1', FLEET_A)]));
    expect(expected.findings).toEqual(['request /requests/1/id: is the id of request 0 as well: each id in a batch must be unique (ids are not case-sensitive) (Graph refuses the batch as a whole with 400, not 200)']);
  });

  it('fails a valid batch expected 400 as a whole, and passes one expected throttled as a whole', async () => {
    const { findings } = await judge(pactOf([create('1', FLEET_A)], undefined, 400));
    expect(findings).toEqual(['response status: must be 200: Graph takes this batch and answers each request inside it with its own status in {"responses": [...]} (the pact expects 400)']);
    expect((await judge(pactOf([create('1', FLEET_A)], undefined, 429))).passed).toBe(true);
  });

  it('notes the matchers it does not read: on a read inside the batch, and the variants of an arrayContains on the list', async () => {
    const requests = [create('1', FLEET_A), { id: 'r', method: 'GET', url: '/deviceAppManagement/vppTokens' }];
    const responses = [created('1', FLEET_A), { id: 'r', status: 200, headers: JSON_TYPE, body: { value: [] } }];
    const rules = { '$.body.responses': { match: 'arrayContains', variants: [] }, '$.body.responses[0].body.id': { match: 'type' }, '$.body.responses[1].body.value': { match: 'type' } };
    const { passed, notes } = await judge(pactOf(requests, responses, 200, rules));
    expect(passed).toBe(true);
    expect(notes).toEqual([
      'response $.responses: its arrayContains variants are not judged (each create inside the batch is judged with the answer the example gives its id)',
      'response $.responses[1].body.value: not judged: it is not on a create inside the batch, nor on the answer the batch gives one',
    ]);
  });

  it('reads a Pact V4 batch interaction as pact-js writes one: its body as content, its rules by category', async () => {
    const broken = { ...FLEET_A, vppTokenAccountType: 'String' };
    const interaction = (sent: Record<string, unknown>) => ({
      type: 'Synchronous/HTTP',
      description: 'create tokens in a batch',
      request: { method: 'POST', path: '/beta/$batch', headers: { 'Content-Type': ['application/json'], Authorization: ['Bearer x.y.z'] }, body: { content: { requests: [create('1', sent), create('2', FLEET_B)] }, contentType: 'application/json', encoded: false } },
      response: {
        status: 200,
        headers: { 'Content-Type': ['application/json'] },
        body: { content: { responses: [created('2', FLEET_B), created('1', sent)] }, contentType: 'application/json', encoded: false },
        matchingRules: { body: { '$.responses': { combine: 'AND', matchers: [{ match: 'arrayContains', variants: [] }] }, '$.responses[*].body.id': { combine: 'AND', matchers: [{ match: 'type' }] } } },
      },
    });
    const write = (sent: Record<string, unknown>) => {
      const file = join(dir, `batch-v4-${++files}.json`);
      writeFileSync(file, JSON.stringify({ consumer: { name: `batching-v4-${files}` }, provider: { name: 'microsoft-graph-vpptokens' }, interactions: [interaction(sent)], metadata: { pactSpecification: { version: '4.0' } } }));
      return file;
    };
    expect((await judge(write(FLEET_A))).findings).toEqual([]);
    expect((await judge(write(broken))).findings).toEqual([expect.stringMatching(/^request \/requests\/0\/body\/vppTokenAccountType: .*\(Graph answers 400, not 201\)$/), expect.stringMatching(/^response \/responses\/1\/body\/vppTokenAccountType: /)]);
  });

  it('leaves a batch holding no create alone, as any interaction that is not the create', async () => {
    const reads = await judge(pactOf([{ id: 'r', method: 'GET', url: '/deviceAppManagement/vppTokens' }], [{ id: 'r', status: 200, headers: JSON_TYPE, body: { value: [] } }]));
    expect([reads.judged, reads.findings]).toEqual([false, []]);
  });

  // Decision 0540: a create inside that gives an Authorization of its own is answered inside the batch's answer, which
  // carries no credential of the batch either.
  it("fails a 201 inside the batch that carries the batch's bearer back, where the create gives a bearer of its own", async () => {
    const batchBearer = 'Bearer g1-batch-access-token-0123456789';
    const own = { ...create('1', FLEET_A), headers: { ...JSON_TYPE, Authorization: 'Bearer g1-member-own-access-token-0123' } };
    const echoed = await judge(pactOf([own], [{ ...created('1', FLEET_A), headers: { ...JSON_TYPE, 'X-Trace': batchBearer.slice(7) } }], 200, undefined, batchBearer));
    expect(echoed.findings).toEqual(['response /responses/0/headers/X-Trace: must not contain the bearer token of the JSON batch that carries the request (not shown): an answer never carries a credential of its request']);
    const clean = await judge(pactOf([own], [created('1', FLEET_A)], 200, undefined, batchBearer));
    expect([clean.passed, clean.findings]).toEqual([true, []]);
  });
});

// Outside attacker R82 (decision 0733): each token is created once inside a batch, where the creates meet one store
// (across interactions they do not: decision 0782, tests/compare/one-token-twice.test.ts).
describe('compare: one token created twice inside a batch', () => {
  it('fails the second create of the token at its place in the batch, naming the first; two tokens pass', async () => {
    const twice = await judge(pactOf([create('1', FLEET_A), create('2', { token, displayName: 'Fleet B' })], [created('1', FLEET_A), created('2', { token, displayName: 'Fleet B' })]));
    expect(twice.findings).toEqual(expect.arrayContaining(['request /requests/1/body/token: is the token of the create with $batch id "1" in interaction "create tokens in a batch" again: a second create of one token makes a second vppToken (each token is created once)']));
    const two = await judge(pactOf([create('1', FLEET_A), create('2', FLEET_B)], [created('1', FLEET_A), created('2', FLEET_B)]));
    expect(two.findings.filter((f) => f.includes('again'))).toEqual([]);
  });

  it('knows one sToken however its base64 is written', async () => {
    const unpadded = { token: token.replace(/=+$/, ''), displayName: 'Fleet B' };
    expect(unpadded.token).not.toBe(token);
    const twice = await judge(pactOf([create('1', FLEET_A), create('2', unpadded)], [created('1', FLEET_A), created('2', unpadded)]));
    expect(twice.findings).toEqual(expect.arrayContaining([expect.stringMatching(/^request \/requests\/1\/body\/token: is the token of the create with \$batch id "1" in interaction "create tokens in a batch" again/)]));
  });
});

// Outside attacker R100 (decision 0950): Graph answers 424 Failed Dependency to a request whose dependsOn names one the
// batch answered with a failure, and runs no such request; the mock answers so and verify takes it, as compare must.
describe('compare: a create inside a batch whose dependency failed', () => {
  const broken = { ...FLEET_A, vppTokenAccountType: 'String' };
  const refusedAnswer = (id: string): Answer => ({ id, status: 400, headers: JSON_TYPE, body: { error: { code: 'BadRequest', message: 'Refused.' } } });
  const notRun = (id: string, body: unknown = { error: { code: 'FailedDependency', message: 'Not run.' } }): Answer => ({ id, status: 424, headers: JSON_TYPE, body });
  const dependent = { ...create('2', FLEET_B), dependsOn: ['1'] };
  // Graph's prose by type (decision 1011: pinned, it is no text Graph writes).
  const listed = { '$.body.responses': { match: 'type' }, '$.body.responses[*].body.id': { match: 'type' }, '$.body.responses[*].body.error.message': { match: 'type' } };

  it('passes 424 with Graph\'s error body for a create whose dependency is expected to fail, a create or a read', async () => {
    expect(await judge(pactOf([create('1', broken), dependent], [refusedAnswer('1'), notRun('2')], 200, listed))).toEqual({ passed: true, judged: true, findings: [], notes: [] });
    const read = { id: '1', method: 'GET', url: '/deviceAppManagement/vppTokens/7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60' };
    const missing = { id: '1', status: 404, headers: JSON_TYPE, body: { error: { code: 'NotFound', message: 'No such vppToken.' } } };
    expect((await judge(pactOf([read, dependent], [missing, notRun('2')], 200, listed))).findings).toEqual([]);
    // A 424 in the batch fails its own dependants in turn.
    const third = { ...create('3', { token: createRequestFactory.withSeed(11).withTraits('minimal').buildAt(0).token }), dependsOn: ['2'] };
    expect((await judge(pactOf([create('1', broken), dependent, third], [refusedAnswer('1'), notRun('2'), notRun('3')], 200, listed))).findings).toEqual([]);
  });

  it('fails 424 for a create whose dependency succeeds or that depends on none: Graph runs it', async () => {
    const succeeded = await judge(pactOf([create('1', FLEET_A), dependent], [created('1', FLEET_A), notRun('2')], 200, listed));
    expect(succeeded.findings).toEqual(['response /responses/1/status: must be 201: Graph answers 424 Failed Dependency only to a request whose dependsOn names a request that failed, and the requests this one depends on ("1") are expected to succeed (got 424)']);
    const none = await judge(pactOf([create('1', broken), create('2', FLEET_B)], [refusedAnswer('1'), notRun('2')], 200, listed));
    expect(none.findings).toEqual(['response /responses/1/status: must be 201: Graph answers 424 Failed Dependency only to a request whose dependsOn names a request that failed, and this one depends on none (got 424)']);
  });

  it('fails a 201 for a create whose dependency is expected to fail: Graph does not run it', async () => {
    const ran = await judge(pactOf([create('1', broken), dependent], [refusedAnswer('1'), created('2', FLEET_B)], 200, listed));
    expect(ran.findings).toEqual(['response /responses/1/status: must be 424: the request it depends on ("1") is expected 400, and Graph runs no request whose dependency failed, answering it 424 Failed Dependency (got 201)']);
  });

  // Outside attacker R131 (decision 1110): ids are read in any case (0215), dependsOn's too, as the mock and the proxy run them.
  it('reads dependsOn naming the failed request in another letter case as naming it, as the mock does', async () => {
    const upper = { ...create('2', FLEET_B), dependsOn: ['A'] };
    expect(await judge(pactOf([create('a', broken), upper], [refusedAnswer('a'), notRun('2')], 200, listed))).toEqual({ passed: true, judged: true, findings: [], notes: [] });
    const ran = await judge(pactOf([create('a', broken), upper], [refusedAnswer('a'), created('2', FLEET_B)], 200, listed));
    expect(ran.findings).toEqual(['response /responses/1/status: must be 424: the request it depends on ("A") is expected 400, and Graph runs no request whose dependency failed, answering it 424 Failed Dependency (got 201)']);
    const succeeded = await judge(pactOf([create('a', FLEET_A), upper], [created('a', FLEET_A), notRun('2')], 200, listed));
    expect(succeeded.findings).toEqual(['response /responses/1/status: must be 201: Graph answers 424 Failed Dependency only to a request whose dependsOn names a request that failed, and the requests this one depends on ("A") are expected to succeed (got 424)']);
  });

  it("fails a 424 whose body is not Graph's error body", async () => {
    const bare = await judge(pactOf([create('1', broken), dependent], [refusedAnswer('1'), notRun('2', { message: 'Not run.' })], 200, listed));
    expect([bare.passed, bare.findings.every((f) => f.startsWith('response /responses/1/body'))]).toEqual([false, true]);
  });
});

// Outside attacker R130 (decision 1111): a rule on the batch answer's list (or its root, or one of its answers) is an
// ancestor of each answer's body, and Pact applies it there as it applies like(body) (path weight, 0730, 0780).
describe("compare: a batch answer's rule above the answers' bodies", () => {
  const broken = { ...FLEET_A, vppTokenAccountType: 'String' };
  const refusedAnswer = (id: string): Answer => ({ id, status: 400, headers: JSON_TYPE, body: { error: { code: 'BadRequest', message: 'Refused.' } } });
  const notRun = (id: string): Answer => ({ id, status: 424, headers: JSON_TYPE, body: { error: { code: 'FailedDependency', message: 'Not run.' } } });
  const requests = [create('1', broken), { ...create('2', FLEET_B), dependsOn: ['1'] }];
  const answers = [refusedAnswer('1'), notRun('2')];

  it("matches each answer's pinned error message by the type rule on $.responses, on $, on $.responses[*] or on one answer", async () => {
    for (const path of ['$.body.responses', '$.body']) {
      expect([path, await judge(pactOf(requests, answers, 200, { [path]: { match: 'type' } }))]).toEqual([path, { passed: true, judged: true, findings: [], notes: [] }]);
    }
    for (const path of ['$.body.responses', '$.body', '$.body.responses[*]', '$.body.responses[0]', '$.body.responses[*].body']) {
      expect([path, await judge(pactOf([create('1', broken)], [refusedAnswer('1')], 200, { [path]: { match: 'type' } }))]).toEqual([path, { passed: true, judged: true, findings: [], notes: [] }]);
    }
  });

  it('still fails a pinned message no rule leads to: a rule on a sibling, on the other answer, an equality rule that weighs more', async () => {
    const pinned = /^response \/responses\/0\/body\/error\/message: is expected to be "Refused\." exactly \(no matcher/;
    const sibling = await judge(pactOf([create('1', broken)], [refusedAnswer('1')], 200, { '$.body.responses[*].status': { match: 'type' }, '$.body.responses[0].headers': { match: 'type' } }));
    expect(sibling.findings).toEqual([expect.stringMatching(pinned)]);
    const other = await judge(pactOf(requests, answers, 200, { '$.body.responses': { match: 'type' }, '$.body.responses[1]': { match: 'equality' } }));
    expect(other.findings).toEqual([expect.stringMatching(/^response \/responses\/1\/body\/error\/message: is expected to be "Not run\." exactly/)]);
    // The heaviest rule applies (pact_models' max_by_path): an equality rule on the answers outweighs the type rule on the list.
    const equality = await judge(pactOf(requests, answers, 200, { '$.body.responses': { match: 'type' }, '$.body.responses[*].body': { match: 'equality' } }));
    expect(equality.findings).toEqual([expect.stringMatching(pinned), expect.stringMatching(/^response \/responses\/1\/body\/error\/message: /)]);
  });
});

// Outside attacker R106 (decision 0952): the batch's version segment is read as a create's, its escapes decoded, so
// the creates inside are judged by the version the batch is sent to.
describe("compare: a batch's version spelt with escapes", () => {
  const sentTo = (path: string) => {
    const file = pactOf([create('1', FLEET_A)], [created('1', FLEET_A)]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"/beta/$batch"', JSON.stringify(path)));
    return file;
  };
  it('judges the creates inside /%761.0/$batch as v1.0, and those inside /%62eta/$batch as beta', async () => {
    const v1 = await judge(sentTo('/%761.0/$batch'));
    expect(v1.findings).toEqual([expect.stringMatching(/^request \/requests\/0\/body\/displayName: is not a known property .*\(Graph answers 400, not 201\)$/), "response /responses/0/body/displayName: is a Graph beta property, not one of v1.0's: a v1.0 answer must not carry it"]);
    expect(v1.notes).toEqual([expect.stringMatching(/^\(\$batch id "1"\) request path: is a Graph v1\.0 path/)]);
    expect(await judge(sentTo('/%62eta/$batch'))).toEqual({ passed: true, judged: true, findings: [], notes: [] });
  });
});

// Outside attacker R120, R121 (decisions 1010, 1011) inside a batch: a member's 201 pinning a non-default value the
// create did not set, and a member's refusal pinning innerError's date, are judged as the same interaction alone.
describe("compare: a batch member's pinned default and error body", () => {
  it('fails automaticallyUpdateApps true pinned for a create that did not set it, and passes false', async () => {
    const wrong = await judge(pactOf([create('1', FLEET_A)], [created('1', FLEET_A, { automaticallyUpdateApps: true })]));
    expect(wrong.findings).toEqual(['response /responses/0/body/automaticallyUpdateApps: is expected to be true exactly (no matcher: Pact compares it as it is), but the create does not set automaticallyUpdateApps, and Graph gives its default false']);
    expect((await judge(pactOf([create('1', FLEET_A)], [created('1', FLEET_A, { automaticallyUpdateApps: false })]))).findings).toEqual([]);
  });

  it("fails a refused member's innerError date pinned, and passes it by type", async () => {
    const broken = { ...FLEET_A, vppTokenAccountType: 'String' };
    const refused = { id: '1', status: 400, headers: JSON_TYPE, body: { error: { code: 'BadRequest', message: 'Refused.', innerError: { date: '2020-08-18T12:51:51' } } } };
    const rules = { '$.body.responses[*].body.error.message': { match: 'type' } };
    expect((await judge(pactOf([create('1', broken)], [refused], 200, rules))).findings).toEqual([expect.stringMatching(/^response \/responses\/0\/body\/error\/innerError\/date: is expected to be "2020-08-18T12:51:51" exactly .* the time of the answer/)]);
    expect((await judge(pactOf([create('1', broken)], [refused], 200, { ...rules, '$.body.responses[*].body.error.innerError.date': { match: 'type' } }))).findings).toEqual([]);
  });
});
