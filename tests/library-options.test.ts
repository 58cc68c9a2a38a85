// The library's number options, one rule (src/net/option.ts): a number is a JavaScript number, never a string that
// spells one, and a refused value is shown as it was given. Outside finding M5: `withSeed('7')` was refused with
// "seed must be an integer from 0 to 4294967295 (got 7)", which contradicts itself, and `port: '0'` and
// `bodyLimit: '1000'` were taken while the other options refused a string.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createRequestFactory, generateText, judgeClientBehaviour, readRecords, vppTokenFactory, writeGenerated, type GenerateOptions, type InputFormat, type ReadRecordsOptions } from 'vpptokens-contract-kit';
import { conform } from 'vpptokens-contract-kit/conform';
import { checkClient, startReferenceProvider, verifyProvider, type FaultOptions, type ReferenceProviderOptions } from 'vpptokens-contract-kit/provider';
import { startJudgingProxy } from 'vpptokens-contract-kit/proxy';
import { generatedSeedInputs, runSeed, seedVppTokens, type SeedInput, type SeedOptions } from 'vpptokens-contract-kit/seed';
import { refusedWith } from './support/refusal';

/** A value as a caller without types hands it in (a string read from process.env or a command line, say). */
const text = <T>(value: unknown): T => value as T;

/** The message `run` throws or rejects with. */
const refusal = async (run: () => unknown): Promise<string> => (await refusedWith(run)).message;

describe('a number option given as a string is refused, and the message shows the string', () => {
  const startWith = (options: ReferenceProviderOptions) => () => startReferenceProvider(options);
  const faults = (options: FaultOptions) => startWith({ faults: options });
  it.each<[string, () => unknown, string]>([
    ['createRequestFactory.withSeed', () => createRequestFactory.withSeed(text('7')), 'seed must be an integer from 0 to 4294967295 (got "7")'],
    ['buildAt', () => createRequestFactory.buildAt(text('3')), 'index must be a whole number from 0 to 4294967295, the 4294967296 (2^32) records of a seed\'s data set (got "3")'],
    ['buildList', () => createRequestFactory.buildList(text('2')), 'count must be a whole number (got "2")'],
    ['faults.failRate', faults({ failRate: text('0.5') }), 'failRate must be a number from 0 to 1 (got "0.5")'],
    ['faults.rateLimit.requests', faults({ rateLimit: { requests: text('5'), seconds: 1 } }), 'rateLimit.requests must be a whole number of at least 1 (got "5")'],
    ['faults.rateLimit.seconds', faults({ rateLimit: { requests: 5, seconds: text('1') } }), 'rateLimit.seconds must be a number above 0 and at most 86400 (got "1")'],
    ['faults.latency', faults({ latency: text('10') }), 'latency must be whole milliseconds from 0 to 600000, a range with its minimum first (got "10")'],
    ['faults.latency.min', faults({ latency: { min: text('1'), max: 5 } }), 'latency must be whole milliseconds from 0 to 600000, a range with its minimum first (got "1"-5)'],
    ['faults.seed', faults({ latency: 1, seed: text('1') }), 'seed must be a whole number from 0 to 4294967295 (got "1")'],
    ['faults.retryAfter', faults({ failRate: 0.1, retryAfter: text('1') }), 'retryAfter must be whole seconds from 0 to 3600 (got "1")'],
    ['maxTokens', startWith({ maxTokens: text('10') }), 'maxTokens must be a whole number of at least 1 (got "10")'],
    ['maxStoredBytes', startWith({ maxStoredBytes: text('10') }), 'maxStoredBytes must be a whole number of at least 1 (got "10")'],
    ['port', startWith({ port: text('0') }), 'port must be a whole number from 0 to 65535 (got "0")'],
    ['bodyLimit', startWith({ bodyLimit: text('1000') }), 'bodyLimit must be a whole number of bytes of at least 1 (got "1000")'],
    ['proxy port', () => startJudgingProxy({ target: 'http://127.0.0.1:9', port: text('0') }), 'port must be a whole number from 0 to 65535 (got "0")'],
    ['proxy bodyLimit', () => startJudgingProxy({ target: 'http://127.0.0.1:9', bodyLimit: text('1000') }), 'bodyLimit must be a whole number of bytes of at least 1 (got "1000")'],
    ['judgeClientBehaviour maxAttempts', () => judgeClientBehaviour([], { maxAttempts: text('5') }), 'maxAttempts must be a whole number of at least 1 (got "5")'],
    ['judgeClientBehaviour concurrency', () => judgeClientBehaviour([], { concurrency: text('8') }), 'concurrency must be a whole number of at least 1 (got "8")'],
    ['conform runs', () => conform({ runs: text('5') }), 'runs must be a whole number from 1 (got "5")'],
    ['conform seed', () => conform({ seed: text('5') }), 'seed must be a whole number from 0 to 4294967295 (got "5")'],
    ['conform bodyLimit', () => conform({ bodyLimit: text('4096') }), 'the body limit must be a whole number of bytes from 1024 to 67108864 (got "4096")'],
    ['conform maxRequests', () => conform({ maxRequests: text('30') }), 'the most requests (--max-requests) must be a whole number from 1 (got "30")'],
    ['conform timeBudgetMs', () => conform({ timeBudgetMs: text('5000') }), 'the time budget (--time-budget) must be above 0 s (got "5000")'],
    ['conform maxThrottleWaitMs', () => conform({ maxThrottleWaitMs: text('1000') }), 'the longest throttling wait must be from 0 to 86400 s (got "1000")'],
    ['verify maxThrottleWaitMs', () => verifyProvider({ maxThrottleWaitMs: text('1000') }), 'the longest throttling wait must be from 0 to 86400 s (got "1000")'],
  ])('%s', async (_name, run, message) => {
    expect(await refusal(run)).toBe(message);
  });

  it('shows a wrong number as it is, and a value of another kind by its kind', async () => {
    expect(await refusal(() => createRequestFactory.withSeed(-1))).toBe('seed must be an integer from 0 to 4294967295 (got -1)');
    expect(await refusal(() => createRequestFactory.buildAt(Number.NaN))).toBe("index must be a whole number from 0 to 4294967295, the 4294967296 (2^32) records of a seed's data set (got NaN)");
    expect(await refusal(() => createRequestFactory.withSeed(text(7n)))).toBe('seed must be an integer from 0 to 4294967295 (got 7n)');
    expect(await refusal(startWith({ maxTokens: text({ max: 1 }) }))).toBe('maxTokens must be a whole number of at least 1 (got an object)');
    expect(await refusal(startWith({ port: 65536 }))).toBe('port must be a whole number from 0 to 65535 (got 65536)');
    expect(await refusal(startWith({ bodyLimit: 0 }))).toBe('bodyLimit must be a whole number of bytes of at least 1 (got 0)');
    // A string that may be a credential is said by its length (0871's rule, decision 0890): it was shown to 37 characters.
    expect(await refusal(() => createRequestFactory.withSeed(text('x'.repeat(100))))).toBe('seed must be an integer from 0 to 4294967295 (got a string of 100 characters, not shown: it may hold a credential)');
    expect(await refusal(() => createRequestFactory.withSeed(text('Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ')))).toBe('seed must be an integer from 0 to 4294967295 (got a string of 46 characters, not shown: it may hold a credential)');
    expect(await refusal(startWith({ port: text('8080') }))).toBe('port must be a whole number from 0 to 65535 (got "8080")');
  });

  it('takes each as a number (both ways: the refusal is of the string, not of the value)', async () => {
    expect(createRequestFactory.withSeed(7).buildList(2)).toEqual([createRequestFactory.withSeed(7).buildAt(0), createRequestFactory.withSeed(7).buildAt(1)]);
    const provider = await startReferenceProvider({ port: 0, bodyLimit: 1000, maxTokens: 10, maxStoredBytes: 10_000, faults: { failRate: 0.5, seed: 1, retryAfter: 1, latency: { min: 0, max: 1 }, rateLimit: { requests: 5, seconds: 1 } } });
    try {
      expect(provider.port).toBeGreaterThan(0);
      // The limit is the number given: a body of 1,001 bytes is too large.
      const answer = await fetch(`${provider.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'x'.repeat(1001 - 12) }) });
      expect(answer.status).toBe(413);
    } finally {
      await provider.close();
    }
    const created = { sequence: 1, method: 'POST', path: '/deviceAppManagement/vppTokens', rawHeaders: [], body: Buffer.from('{"token":"t"}'), startedAt: 0, endedAt: 1, answer: { status: 201 }, stored: true };
    expect(judgeClientBehaviour([created], { maxAttempts: 5, concurrency: 8 }).checks.map((c) => c.findings)).toEqual([[], [], [], []]);
  });
});

describe('a number option that had no check is refused before anything runs, by the same rule (decision 0356)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-options-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // No record: a run that takes the option sends nothing, and the test fails with 'the option was taken'.
  async function* none(): AsyncGenerator<SeedInput> {}
  const seed = (options: Partial<SeedOptions>) => () => seedVppTokens({ target: 'http://127.0.0.1:9/beta', records: none(), report: () => undefined, ...options });
  // A client that would exit 0 at once: taken, it would run.
  const client = { command: process.execPath, args: ['-e', ''], pactDir: dir, stdio: 'pipe' as const };
  const ms = (name: string, value: string, least = 'above 0') => `${name} must be a number of milliseconds ${least} and at most 2147483647 (got ${value})`;
  it.each<[string, () => unknown, string]>([
    ['seed concurrency', seed({ concurrency: Number.NaN }), 'concurrency must be a whole number of at least 1 (got NaN)'],
    ['seed timeoutMs', seed({ timeoutMs: text('15000') }), ms('timeoutMs', '"15000"')],
    ['seed timeoutMs past a timer', seed({ timeoutMs: 3e9 }), ms('timeoutMs', '3000000000')],
    ['seed maxAttempts', seed({ maxAttempts: 0 }), 'maxAttempts must be a whole number of at least 1 (got 0)'],
    ['seed maxConsecutiveFailures', seed({ maxConsecutiveFailures: text('10') }), 'maxConsecutiveFailures must be a whole number of at least 1 (got "10")'],
    ['seed baseDelayMs', seed({ baseDelayMs: -1 }), ms('baseDelayMs', '-1', 'from 0')],
    ['seed maxDelayMs', seed({ maxDelayMs: Number.NaN }), ms('maxDelayMs', 'NaN', 'from 0')],
    ['seed maxRetryAfterMs', seed({ maxRetryAfterMs: text('60000') }), ms('maxRetryAfterMs', '"60000"', 'from 0')],
    ['conform timeoutMs', () => conform({ timeoutMs: text('10000') }), ms('timeoutMs', '"10000"')],
    ['conform concurrency', () => conform({ concurrency: 0 }), 'concurrency must be a whole number of at least 1 (got 0)'],
    ['checkClient timeoutMs', () => checkClient({ ...client, timeoutMs: text('1000') }), `checkClient: ${ms('timeoutMs', '"1000"')}`],
    ['checkClient killGraceMs', () => checkClient({ ...client, killGraceMs: -1 }), `checkClient: ${ms('killGraceMs', '-1', 'from 0')}`],
    ['checkClient maxAttempts', () => checkClient({ ...client, maxAttempts: text('3') }), 'checkClient: maxAttempts must be a whole number of at least 1 (got "3")'],
    ['proxy timeoutMs', () => startJudgingProxy({ target: 'http://127.0.0.1:9', timeoutMs: text('30000') }), ms('timeoutMs', '"30000"')],
    ['verify timeoutMs', () => verifyProvider({ timeoutMs: 0 }), ms('timeoutMs', '0')],
    ['verify totalTimeoutMs', () => verifyProvider({ totalTimeoutMs: text('600000') }), ms('totalTimeoutMs', '"600000"')],
  ])('%s', async (_name, run, message) => {
    expect(await refusal(run)).toBe(message);
  });

  it("runSeed refuses one before its report is written, and the generator's count, offset and seed as given", async () => {
    const report = join(dir, 'report.ndjson');
    const run = (options: object) => () => runSeed({ target: 'http://127.0.0.1:9/beta', generate: { count: 1 }, report, ...options });
    expect(await refusal(run({ concurrency: 0 }))).toBe('concurrency must be a whole number of at least 1 (got 0)');
    expect(await refusal(run({ generate: { count: 1, seed: text('7') } }))).toBe('generate.seed must be a whole number from 0 to 4294967295 (got "7")');
    expect(await refusal(run({ generate: { count: 1, offset: 0.5 } }))).toBe('generate.offset must be a whole number from 0 to 4294967295 (got 0.5)');
    expect(existsSync(report)).toBe(false);
  });

  it('takes each as a number (both ways): fractions of a millisecond, a wait of none, the largest timer', async () => {
    const provider = await startReferenceProvider();
    try {
      const options = { concurrency: 2, timeoutMs: 2_147_483_647, maxAttempts: 1, maxConsecutiveFailures: 1, baseDelayMs: 0, maxDelayMs: 0.5, maxRetryAfterMs: 0 };
      const summary = await seedVppTokens({ target: provider.url, records: generatedSeedInputs({ count: 3, seed: 356 }), bearer: 'options-test', report: () => undefined, ...options });
      expect(summary).toMatchObject({ total: 3, created: 3 });
      const proxy = await startJudgingProxy({ target: provider.url, timeoutMs: 1500.5 });
      await proxy.close();
      const checked = await conform({ providerBaseUrl: provider.url, timeoutMs: 5000.5, concurrency: 1, maxRequests: 5, seed: 1 });
      expect(checked.requests).toBeGreaterThan(0);
    } finally {
      await provider.close();
    }
  });
});

// Outside finding P13: generateText and writeGenerated took what `vppkit generate` refuses, and made wrong data of it
// without a word (`kind: 'responses'` create requests, `format: 'JSON'` NDJSON, `count: '3'` three records, no count
// "records 0 .. NaN", `offset: '2'` records from 20); readRecords read 'NDJSON' as one document. The same lists and
// rules as the CLI's --kind, --format, --count, --offset (decision 0410).
describe('generate and read options the CLI refuses are refused by the library, by the same words', () => {
  const generated = (options: unknown) => [...generateText(options as GenerateOptions)].join('');
  it.each<[string, unknown, string]>([
    ['a kind misspelt', { count: 1, kind: 'responses' }, 'kind must be one of request, response, error (got "responses")'],
    ['a kind in another case', { count: 1, kind: 'Error' }, 'kind must be one of request, response, error (got "Error")'],
    ['a format in another case', { count: 1, format: 'JSON' }, 'format must be one of ndjson, json (got "JSON")'],
    ['a count as a string', { count: '3' }, 'count must be a whole number of at least 0 (got "3")'],
    ['a fractional count', { count: 1.5 }, 'count must be a whole number of at least 0 (got 1.5)'],
    ['a negative count', { count: -1 }, 'count must be a whole number of at least 0 (got -1)'],
    ['no count', {}, 'count is required: how many records, a whole number of at least 0'],
    ['no options', undefined, 'generateText takes its options in an object { kind, count, offset, seed, traits, format, profile } (got undefined)'],
    ['an offset as a string', { count: 1, offset: '2' }, 'offset must be a whole number from 0 to 4294967295 (got "2")'],
    ['an option misspelt', { count: 1, fromat: 'json' }, 'generateText takes its options in an object { kind, count, offset, seed, traits, format, profile }: "fromat" is not one of them'],
    ['a range past the data set', { count: 2, offset: 4294967295 }, "records 4294967295 .. 4294967296 go past record 4294967295, the last of a seed's data set (4294967296 records, 2^32): another seed is another order of the same records, not more of them"],
  ])('generateText refuses %s', (_name, options, message) => {
    expect(() => generated(options)).toThrow(message);
  });

  it('writeGenerated refuses them before writing, and both take what the CLI takes (both ways)', async () => {
    const out = new PassThrough();
    await expect(writeGenerated({ count: 1, kind: text('responses') }, out)).rejects.toThrow(new RangeError('kind must be one of request, response, error (got "responses")'));
    expect(out.read()).toBeNull();
    const responses = JSON.parse(generated({ count: 2, kind: 'response', format: 'json', offset: 2, seed: 9 })) as unknown[];
    expect(responses).toEqual([vppTokenFactory.withSeed(9).buildAt(2), vppTokenFactory.withSeed(9).buildAt(3)]);
    expect(generated({ count: 0 })).toBe('');
  });

  it('readRecords refuses a format or a record limit validate --format and --max-record-bytes refuse', async () => {
    const read = async (format: unknown, options?: unknown) => {
      const records = [];
      for await (const record of readRecords(Readable.from(['{"a":1}\n{"b":2}\n']), format as InputFormat, options as ReadRecordsOptions)) records.push(record);
      return records;
    };
    await expect(read('NDJSON')).rejects.toThrow(new RangeError('format must be one of auto, json, ndjson (got "NDJSON")'));
    await expect(read('ndjson', { maxRecordBytes: '4KiB' })).rejects.toThrow(new RangeError('maxRecordBytes must be a whole number of at least 1 (got "4KiB")'));
    await expect(read('ndjson', { maxRecordBytes: 0 })).rejects.toThrow(new RangeError('maxRecordBytes must be a whole number of at least 1 (got 0)'));
    await expect(read('ndjson', 4096)).rejects.toThrow(new TypeError('readRecords takes its options in an object { maxRecordBytes } (got 4096)'));
    expect((await read('ndjson', { maxRecordBytes: 4096 })).map((r) => r.value)).toEqual([{ a: 1 }, { b: 2 }]);
    expect((await read('auto')).length).toBe(2);
  });
});
