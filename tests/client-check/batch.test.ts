import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory, formatRequestProblem, problemsOf } from 'vpptokens-contract-kit';
import type { Agent } from 'node:http';
import { checkClientJUnit } from '../../src/client-check';
import { checkInProcess } from '../support/in-process-client';
import { run as vppkit } from '../support/run-cli';

const { sendAll } = require('./clients/raw-client.js') as { sendAll(requests: unknown[], mockUrl: string, options: { agent: Agent }): Promise<void> };
const { readBatches } = require('./clients/batch-reader.js') as { readBatches(options: object, mockUrl: string, agent: Agent): Promise<number> };

// Outside tester I20: check-client answered a client's `POST /$batch` 501 "not modelled", while the proxy judges each
// create inside a JSON batch (decision 0201). The mock answers a batch as Graph does (decision 0215): each request
// inside it routed and judged as if sent alone, answered inside a 200; each create judged and written to the pact.
// Each client runs in this process (decision 0710), but the CLI's, a process; the tests run at once (it.concurrent).
const client = join(__dirname, 'clients', 'raw-client.js');
const pactDir = mkdtempSync(join(tmpdir(), 'vppkit-check-client-batch-'));
afterAll(() => rmSync(pactDir, { recursive: true, force: true }));

type Member = { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown; dependsOn?: string[] };
const requests = createRequestFactory.withSeed(47);
const create = (id: string, body: unknown, extra: Partial<Member> = {}): Member => ({ id, method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body, ...extra });
const batch = (...members: Member[]) => ({ method: 'POST', path: '/beta/$batch', body: { requests: members } });
const run = (sent: unknown[], consumer: string) =>
  checkInProcess({ consumer, pactDir }, async (mockUrl, agent) => {
    await sendAll(sent, mockUrl, { agent });
    return 0;
  });
const shown = (result: Awaited<ReturnType<typeof run>>) => result.requests.map((r) => [r.method, r.path, r.batchId, r.kind, r.status, r.problems.map(formatRequestProblem)]);

describe('a client that creates through JSON batching ($batch)', () => {
  it.concurrent('passes when each create inside keeps the contract: each answered 201 inside the 200, and written to the pact as a create', async () => {
    const [one, two] = [requests.buildAt(0), requests.withTraits('minimal').buildAt(1)];
    const result = await run([batch(create('1', one), create('2', two), { id: '3', method: 'GET', url: 'deviceAppManagement/vppTokens' })], 'batching-client');
    expect(shown(result)).toEqual([
      ['POST', '/beta/$batch', undefined, 'batch', 200, []],
      ['POST', '/beta/deviceAppManagement/vppTokens', '1', 'create', 201, []],
      ['POST', '/beta/deviceAppManagement/vppTokens', '2', 'create', 201, []],
      ['GET', '/beta/deviceAppManagement/vppTokens', '3', 'list', 200, []],
    ]);
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.summary).toMatch(/^4 requests checked \(3 inside a \$batch; 1 read of what it created\): 4 kept the contract, 0 broke it;/);
    const text = readFileSync(result.pactFile!, 'utf8');
    const pact = JSON.parse(text);
    // Each create the mock accepted is a create of the pact: a provider is verified on the create, not on the framing.
    expect(pact.interactions.map((i: { request: { method: string; path: string } }) => [i.request.method, i.request.path])).toEqual([
      ['POST', '/deviceAppManagement/vppTokens'],
      ['POST', '/deviceAppManagement/vppTokens'],
    ]);
    for (const i of pact.interactions) expect(problemsOf('request', i.request.body.content)).toEqual([]);
    for (const token of [one.token, two.token]) expect(text).not.toContain(token);
    expect(text).not.toContain('client-secret-token');
  });

  it.concurrent('fails a broken create inside a batch: the mock answers it 400 inside the 200, as Graph would, and writes no pact', async () => {
    const result = await run([batch(create('1', requests.buildAt(2)), create('7', { ...requests.buildAt(3), vppTokenAccountType: 'String' }), create('8', requests.buildAt(4), { headers: {} }))], 'batching-broken');
    expect(shown(result)).toEqual([
      ['POST', '/beta/$batch', undefined, 'batch', 200, []],
      ['POST', '/beta/deviceAppManagement/vppTokens', '1', 'create', 201, []],
      ['POST', '/beta/deviceAppManagement/vppTokens', '7', 'create', 400, ['body /vppTokenAccountType: must be one of business, education (got "String")']],
      ['POST', '/beta/deviceAppManagement/vppTokens', '8', 'create', 415, ['header Content-Type: is required: application/json']],
    ]);
    expect(result.passed).toBe(false);
    // The client exited 0 with two of its creates refused: that is a silent loss as well.
    expect(result.failures).toEqual(['2 of 4 requests broke the contract', 'no silent loss: 2 findings']);
    expect(result.pactFile).toBeUndefined();
  });

  // Outside attacker L7: a url inside a batch is relative to the batch's version; the advice was to configure the
  // client without /beta, which the batch's own line calls fine.
  it.concurrent("fails a create inside a batch whose url repeats the batch's version, saying the url goes without it", async () => {
    const result = await run([batch(create('1', requests.buildAt(7)), create('2', requests.buildAt(8), { url: '/beta/deviceAppManagement/vppTokens' }), { id: '3', method: 'GET', url: '/beta/deviceAppManagement/vppTokens' })], 'batching-version-twice');
    expect(shown(result)).toEqual([
      ['POST', '/beta/$batch', undefined, 'batch', 200, []],
      ['POST', '/beta/deviceAppManagement/vppTokens', '1', 'create', 201, []],
      ['POST', '/beta/beta/deviceAppManagement/vppTokens', '2', undefined, 404, [
        'path: repeats the batch\'s version (got /beta/deviceAppManagement/vppTokens): a url inside a JSON batch is relative to the batch\'s version (/beta/$batch), so it goes without /beta: "url": "/deviceAppManagement/vppTokens"',
      ]],
      ['GET', '/beta/beta/deviceAppManagement/vppTokens', '3', undefined, 404, [
        'path: repeats the batch\'s version (got /beta/deviceAppManagement/vppTokens): a url inside a JSON batch is relative to the batch\'s version (/beta/$batch), so it goes without /beta: "url": "/deviceAppManagement/vppTokens"',
      ]],
    ]);
    expect(result.passed).toBe(false);
  });

  it.concurrent('fails a batch Graph refuses as a whole (ids given twice, more than 20 requests, no requests): 400, nothing inside created', async () => {
    const twice = batch(create('1', requests.buildAt(5)), create('1', requests.buildAt(6)));
    const many = batch(...Array.from({ length: 21 }, (_, i) => create(String(i), requests.buildAt(10 + i))));
    const none = batch();
    const result = await run([twice, many, none, batch(create('ok', requests.buildAt(9)))], 'batching-envelope');
    // Each create a refused batch carried is listed after it, refused with it and not run (decision 0462).
    const batches = result.requests.filter((r) => r.batchId === undefined);
    expect(batches.map((r) => [r.status, r.problems.map(formatRequestProblem)])).toEqual([
      [400, ['body /requests/1/id: is the id of request 0 as well: each id in a batch must be unique (ids are not case-sensitive)']],
      [400, ['body /requests: holds 21 requests: a JSON batch holds at most 20']],
      [400, ['body /requests: holds no request: a JSON batch holds 1 to 20']],
      [200, []],
    ]);
    const inside = result.requests.filter((r) => r.batchId !== undefined);
    expect(inside.map((r) => [r.status, r.notRun ?? 'run', r.problems.length])).toEqual([...Array(2 + 21).fill([400, 'refused with its batch (400): not run', 0]), [201, 'run', 0]]);
    expect(result.passed).toBe(false);
  });

  // Outside tester R16: a client whose only creates were in a batch refused as a whole was told it "made no create":
  // it did try, and its creates were refused with the batch. They are creates answered with the batch's refusal, not
  // run (as the proxy reads them, decision 0201), so the behaviour checks judge them (decision 0462).
  it.concurrent('says the creates of a batch refused as a whole were refused with it, and judges the client that calls that a success', async () => {
    const result = await run([batch(create('1', requests.buildAt(90)), create('1', requests.buildAt(91)), { id: '2', method: 'GET', url: '/deviceAppManagement/vppTokens' })], 'batching-refused-whole');
    expect(shown(result)).toEqual([
      ['POST', '/beta/$batch', undefined, 'batch', 400, ['body /requests/1/id: is the id of request 0 as well: each id in a batch must be unique (ids are not case-sensitive)']],
      ['POST', '/beta/deviceAppManagement/vppTokens', '1', 'create', 400, []],
      ['POST', '/beta/deviceAppManagement/vppTokens', '1', 'create', 400, []],
    ]);
    expect(result.requests.slice(1).map((r) => r.notRun)).toEqual(Array(2).fill('refused with its batch (400): not run'));
    // Not run, so not judged: never counted as kept (decision 0680).
    expect(result.counts).toEqual({ checked: 3, kept: 0, broke: 1, notJudged: 2, closedByClient: 0, notRun: 2, notModelled: 0 });
    expect(result.summary).toMatch(/: 0 kept the contract, 1 broke it, 2 not judged \(not run inside their batch\);/);
    // Not "the client made no create": the batch broke the contract, and the client exited 0 without its creates.
    expect(result.failures).toEqual(['1 of 3 requests broke the contract', 'no silent loss: 2 findings']);
    expect(result.checks!.find((c) => c.name === 'no silent loss')!.findings[0]).toMatch(/the last was a 400 to request 1 \(\$batch id "1"\), refused with its batch as a whole \(not run\)$/);
    expect(result.pactFile).toBeUndefined();
    // The client that sends them again in a batch Graph takes has lost none: only its first batch broke the contract.
    const again = await run([batch(create('1', requests.buildAt(92)), create('1', requests.buildAt(93))), batch(create('1', requests.buildAt(92)), create('2', requests.buildAt(93)))], 'batching-refused-then-sent');
    expect(again.failures).toEqual(['1 of 6 requests broke the contract']);
  });

  // Outside tester N4: Graph answers a request whose dependency failed 424 and runs nothing of it (decision 0392).
  it.concurrent('fails the request a dependency failed for, not the one answered 424, and a client that calls the batch a success loses that create', async () => {
    const after = requests.buildAt(60);
    const result = await run([batch({ ...create('count', undefined), method: 'GET', url: '/deviceAppManagement/vppTokens/$count', headers: {}, dependsOn: ['1'] }, create('1', { ...requests.buildAt(61), vppTokenAccountType: 'String' }), create('2', after, { dependsOn: ['1'] }))], 'batching-depends');
    // Listed as they ran: each after what it depends on.
    expect(shown(result)).toEqual([
      ['POST', '/beta/$batch', undefined, 'batch', 200, []],
      ['POST', '/beta/deviceAppManagement/vppTokens', '1', 'create', 400, ['body /vppTokenAccountType: must be one of business, education (got "String")']],
      ['GET', '/beta/deviceAppManagement/vppTokens/$count', 'count', 'list', 424, []],
      ['POST', '/beta/deviceAppManagement/vppTokens', '2', 'create', 424, []],
    ]);
    expect(result.failures).toEqual(['1 of 4 requests broke the contract', 'no silent loss: 2 findings']);
    expect(result.checks!.find((c) => c.name === 'no silent loss')!.findings.join('\n')).toContain('a 424 to request 1 ($batch id "2")');
    // The two answered 424 were not run, so not judged against the contract: counted apart, never as kept (0680); the
    // batch, run and answered 200, kept it.
    expect(result.requests.map((r) => r.notRun)).toEqual([undefined, undefined, ...Array(2).fill('a request it depends on failed (424 Failed Dependency): not run')]);
    expect(result.counts).toEqual({ checked: 4, kept: 1, broke: 1, notJudged: 2, closedByClient: 0, notRun: 2, notModelled: 0 });
    expect(result.summary).toMatch(/^4 requests checked \(3 inside a \$batch; 1 read of what it created\): 1 kept the contract, 1 broke it, 2 not judged \(not run inside their batch\);/);
    const xml = checkClientJUnit(result, 'node');
    expect(xml).toContain('tests="9" failures="2" errors="0" skipped="2"');
    expect(xml).toMatch(/name="request 4: POST \/beta\/deviceAppManagement\/vppTokens -&gt; 424">\n\s+<skipped message="a request it depends on failed \(424 Failed Dependency\): not run"\/>/);
    expect(result.pactFile).toBeUndefined();
  });

  // Decision 0540: a create inside that gives an Authorization of its own was looked at for that bearer only.
  it.concurrent("fails a create inside with an Authorization of its own that writes the batch's access token into the vppToken, not one that keeps it out", async () => {
    const own = { 'Content-Type': 'application/json', Authorization: 'Bearer g1-member-own-access-token-0123' };
    const result = await run([batch(create('1', { ...requests.buildAt(100), displayName: 'client-secret-token' }, { headers: own }), create('2', requests.buildAt(101), { headers: own }))], 'batching-own-authorization');
    expect(shown(result)).toEqual([
      ['POST', '/beta/$batch', undefined, 'batch', 200, []],
      ['POST', '/beta/deviceAppManagement/vppTokens', '1', 'create', 201, [
        "body /displayName: holds the access token of the JSON batch that carries the request: Graph stores the vppToken's properties and answers them to every reader of deviceAppManagement/vppTokens; send the token only in the Authorization header (RFC 6750 §5.3). The value is not shown.",
      ]],
      ['POST', '/beta/deviceAppManagement/vppTokens', '2', 'create', 201, []],
    ]);
    expect(result.failures).toEqual(['1 of 3 requests broke the contract']);
  });

  // Decision 0541: the mock answered a batch's requests in their order, so a client that read the answers by place
  // passed, where Graph lists them in any order. Throttled to one create a second, the mock answers the first create
  // 201 and the second 429, each listed one place before its request's: the client that reads them by id sends the
  // second again after its Retry-After and passes; the one that reads by place sends the first again and loses the second.
  const readBatch = (read: string, consumer: string) =>
    checkInProcess({ consumer, pactDir, faults: { rateLimit: { requests: 1, seconds: 1 } } }, (mockUrl, agent) => readBatches({ read, bodies: [requests.buildAt(110 + consumer.length), requests.buildAt(120 + consumer.length)] }, mockUrl, agent));
  it.concurrent("passes a client that reads a batch's answers by id, listed in another order than its requests", async () => {
    const result = await readBatch('by-id', 'batching-reads-by-id');
    expect(result.requests.map((r) => [r.batchId, r.status])).toEqual([[undefined, 200], ['1', 201], ['2', 429], [undefined, 200], ['2', 201]]);
    expect([result.failures, result.passed]).toEqual([[], true]);
  });
  it.concurrent("fails a client that reads a batch's answers by place, saying so", async () => {
    const result = await readBatch('by-place', 'batching-reads-by-place');
    expect(result.requests.map((r) => [r.batchId, r.status])).toEqual([[undefined, 200], ['1', 201], ['2', 429], [undefined, 200], ['1', 201]]);
    expect(result.failures).toEqual(['no duplicate: 1 finding', 'no silent loss: 1 finding']);
    const BY_PLACE = "Likely cause: the client read the batch's answers by place.";
    const LIST = "Graph lists a batch's answers in any order, so read each by its id (json-batching), as the mock lists them in another order than the requests.";
    expect(result.checks!.find((c) => c.name === 'no duplicate')!.findings).toEqual([
      `token 1 was created again by request 2 ($batch id "1") (first by request 1 ($batch id "1")): the client re-sent it after a 201 to request 1 ($batch id "1"). Request 1 ($batch id "1") was answered 201 with the created vppToken: a created token is never sent again. ${BY_PLACE} The answer listed 1st in the batch's responses, the place of request 1 ($batch id "1") among its requests, was request 1 ($batch id "2")'s 429: ${LIST}`,
    ]);
    expect(result.checks!.find((c) => c.name === 'no silent loss')!.findings).toEqual([
      `token 2 was sent in 1 request (1 ($batch id "2")) and never created, yet the client reported success; the last was a 429 to request 1 ($batch id "2"). ${BY_PLACE} The answer listed 2nd in the batch's responses, the place of request 1 ($batch id "2") among its requests, was request 1 ($batch id "1")'s 201: ${LIST}`,
    ]);
  });

  // Outside attacker R70 (decision 0660): a fault answers a request inside a batch, not the batch (0436), so a client
  // that gives up after a 429 inside a batch and exits non-zero fails loudly, as one sending its creates alone may;
  // one that got past that 429 and then exits non-zero is failed for its exit, as alone.
  const giveUp = (options: object, consumer: string) =>
    checkInProcess({ consumer, pactDir, faults: { rateLimit: { requests: 1, seconds: 1 } } }, (mockUrl, agent) => readBatches({ read: 'by-id', bodies: [requests.buildAt(130 + consumer.length), requests.buildAt(140 + consumer.length)], ...options }, mockUrl, agent));
  it.concurrent('passes a client that gives up loudly after a 429 inside a batch; fails one that exits non-zero after it got past it', async () => {
    const [givesUp, crashes] = await Promise.all([giveUp({ rounds: 1, giveUp: 1 }, 'batching-gives-up'), giveUp({ done: 3 }, 'batching-crashes-after-all')]);
    expect(givesUp.requests.map((r) => [r.batchId, r.fault ?? r.status])).toEqual([[undefined, 200], ['1', 201], ['2', 'rate-limit']]);
    expect(givesUp.exitCode).toBe(1);
    expect([givesUp.failures, givesUp.passed]).toEqual([[], true]);
    expect(crashes.requests.map((r) => [r.batchId, r.fault ?? r.status])).toEqual([[undefined, 200], ['1', 201], ['2', 'rate-limit'], [undefined, 200], ['2', 201]]);
    expect(crashes.exitCode).toBe(3);
    expect(crashes.failures).toEqual([expect.stringMatching(/^the client exited with code 3 after it got past every injected fault \(.*\): nothing was left to give up on, so the exit is its own failure$/)]);
    expect(crashes.passed).toBe(false);
  });

  it.concurrent('judges the behaviour of the creates inside: one token created alone and again inside a batch fails no duplicate', async () => {
    const once = requests.buildAt(40);
    const result = await run([{ body: once }, batch(create('1', once))], 'batching-duplicate');
    expect(result.requests.map((r) => r.status)).toEqual([201, 200, 201]);
    const duplicate = result.checks!.find((c) => c.name === 'no duplicate')!;
    expect(duplicate.passed).toBe(false);
    expect(duplicate.findings[0]).toMatch(/created again by request 2 \(\$batch id "1"\) \(first by request 1\)/);
    expect(result.passed).toBe(false);
  });

  it.concurrent('names each request inside a batch by its batch\'s number and its id in the CLI\'s report', async () => {
    const sent = [batch(create('one', requests.buildAt(50)), create('two', { ...requests.buildAt(51), vppTokenAccountType: 'String' }))];
    const result = await vppkit(['check-client', '--pact-dir', pactDir, '--consumer', 'batching-cli', '--', process.execPath, client, JSON.stringify(sent)]);
    const lines = result.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('request '))).toEqual([
      'request 1: POST /beta/$batch -> 200 ok (a JSON batch: each request inside it is judged below; the /beta prefix is fine under --profile beta)',
      'request 1 ($batch id "one"): POST /beta/deviceAppManagement/vppTokens -> 201 ok',
      'request 1 ($batch id "two"): POST /beta/deviceAppManagement/vppTokens -> 400 BROKE THE CONTRACT',
    ]);
    expect(result.code).toBe(1);
  });
});
