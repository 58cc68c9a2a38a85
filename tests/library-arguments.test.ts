// The library's argument errors in the kit's words, by one rule (src/net/option.ts, decision 0760; outside finding
// R83): `comparePacts` on a missing file rejected with Node's raw `ENOENT: no such file or directory, open ...`,
// `comparePacts('p.json')` with `args.flatMap is not a function` and `seedVppTokens({})` with `Cannot read properties
// of undefined (reading 'replace')`. Each is now said as the CLI says it (a file by the one table of decision 0355),
// or as the argument's shape (a TypeError naming the argument, what it takes and what it got), before anything runs.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePacts, readPactFile, PactFileError } from 'vpptokens-contract-kit/compare';
import { checkClient, readFaultsFile, startReferenceProvider, verifyInWorker, verifyProvider, resolvePactFiles } from 'vpptokens-contract-kit/provider';
import { conform, readConformReport } from 'vpptokens-contract-kit/conform';
import { drift, readMetadata } from 'vpptokens-contract-kit/drift';
import { strengthenPact } from '../src/contract/expectation';
import { startJudgingProxy, ProxyStartError } from 'vpptokens-contract-kit/proxy';
import { fileSeedInputs, generatedSeedInputs, inspectSeedFile, readSeedReport, runSeed, seedVppTokens, SeedSetupError, type ReportEntry } from 'vpptokens-contract-kit/seed';
import { judgeClientBehaviour, readRecords, validateRecords } from 'vpptokens-contract-kit';
import { Readable } from 'node:stream';
import { refusedWith } from './support/refusal';

/** A value as a caller without types hands it in. */
const untyped = <T>(value: unknown): T => value as T;

/** Messages of Node's or JavaScript's own, which name no argument of the kit. */
const INTERNAL = /Cannot read properties|is not a function|is not iterable|Cannot destructure|ERR_INVALID_ARG_TYPE|no such file or directory, open|"undefined"/;

const dir = mkdtempSync(join(tmpdir(), 'vppkit-arguments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PACT = join(__dirname, '..', 'pacts', 'vppkit-canonical-consumer-microsoft-graph-vpptokens.json');
const missing = join(dir, 'no-such-pact.json');

describe('a pact file the library cannot read is said in the one table of words (decision 0355)', () => {
  it('comparePacts and readPactFile: `cannot read F: no such file or folder (ENOENT)`, a PactFileError', async () => {
    const compared = await refusedWith(() => comparePacts([missing]));
    expect(compared).toBeInstanceOf(PactFileError);
    expect(compared.message).toBe(`cannot read ${missing}: no such file or folder (ENOENT)`);
    // strengthenPact reads a pact file too, in the same words.
    expect((await refusedWith(() => strengthenPact(missing))).message).toBe(`cannot read ${missing}: no such file or folder (ENOENT)`);
    const read = await refusedWith(() => readPactFile(missing));
    expect(read).toBeInstanceOf(PactFileError);
    expect(read.message).toBe(`cannot read ${missing}: no such file or folder (ENOENT)`);
    // A folder given where a file is read (a name that ends .json): its own code, in the same words.
    const folder = join(dir, 'folder.json');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    expect((await refusedWith(() => readPactFile(folder))).message).toBe(`cannot read ${folder}: it is a directory (EISDIR)`);
  });

  it('both ways: a pact that is there is read and judged', async () => {
    const result = await comparePacts([PACT], { comparator: false });
    expect(result.passed).toBe(true);
    expect(readPactFile(PACT).interactions.length).toBeGreaterThan(0);
  });
});

describe("an argument of the wrong shape is refused in the argument's own words, before anything runs", () => {
  it.each<[string, () => unknown, string]>([
    ['comparePacts(one path as a string)', () => comparePacts(untyped('p.json')), 'files must be an array of paths (got "p.json")'],
    ['comparePacts(nothing)', () => comparePacts(untyped(undefined)), 'files must be an array of paths (got undefined)'],
    ['comparePacts([a number])', () => comparePacts(untyped([PACT, 1])), 'files[1] must be a path, a string that is not empty (got 1)'],
    ['comparePacts(files, a profile as a bare word)', () => comparePacts([PACT], untyped('v1.0')), 'comparePacts takes its options in an object { profile, comparator, schemaTokens, now, signal, onNoWriter } (got "v1.0")'],
    ['comparePacts(files, a misspelt option)', () => comparePacts([PACT], untyped({ comparater: false })), 'comparePacts takes its options in an object { profile, comparator, schemaTokens, now, signal, onNoWriter }: "comparater" is not one of them'],
    ['readPactFile(nothing)', () => readPactFile(untyped(undefined)), 'file must be a path, a string that is not empty (got undefined)'],
    ['verifyProvider({ pactFiles: one path })', () => verifyProvider({ pactFiles: untyped('p.json') }), 'pactFiles must be an array of paths (got "p.json")'],
    ['resolvePactFiles(one path)', () => resolvePactFiles(untyped('p.json')), 'pactFiles must be an array of paths (got "p.json")'],
    ['seedVppTokens(nothing)', () => seedVppTokens(untyped(undefined)), expect.stringMatching(/^seedVppTokens takes its options in an object \{ target, records, .* \} \(got undefined\)$/) as unknown as string],
    ['seedVppTokens(no records)', () => seedVppTokens(untyped({ target: 'http://127.0.0.1:9/beta', report: () => undefined })), "records must be an async iterable of records, such as generatedSeedInputs({ count: 10 }) or fileSeedInputs(stream, 'ndjson') (got undefined)"],
    ['seedVppTokens(records as an array)', () => seedVppTokens(untyped({ target: 'http://127.0.0.1:9/beta', records: [], report: () => undefined })), "records must be an async iterable of records, such as generatedSeedInputs({ count: 10 }) or fileSeedInputs(stream, 'ndjson') (got an array)"],
    ['seedVppTokens(no report)', () => seedVppTokens(untyped({ target: 'http://127.0.0.1:9/beta', records: generatedSeedInputs({ count: 1 }) })), "report must be a function, called with each record's entry (got undefined)"],
    ['seedVppTokens(a misspelt option)', () => seedVppTokens(untyped({ target: 'http://127.0.0.1:9/beta', records: generatedSeedInputs({ count: 1 }), report: () => undefined, concurency: 2 })), expect.stringMatching(/: "concurency" is not one of them$/) as unknown as string],
    ['runSeed(nothing)', () => runSeed(untyped(undefined)), expect.stringMatching(/^runSeed takes its options in an object \{ target, .* \} \(got undefined\)$/) as unknown as string],
    ['runSeed(no report)', () => runSeed(untyped({ target: 'http://127.0.0.1:9/beta', generate: { count: 1 } })), 'report must be a path, a string that is not empty (got undefined)'],
    ['verifyProvider(a bare word)', () => verifyProvider(untyped('v1.0')), expect.stringMatching(/^verifyProvider takes its options in an object \{ providerBaseUrl, profile, pactFiles, .* \} \(got "v1\.0"\)$/) as unknown as string],
    ['verifyProvider(a misspelt option)', () => verifyProvider(untyped({ providerBaseURL: 'http://127.0.0.1:9/beta' })), expect.stringMatching(/: "providerBaseURL" is not one of them$/) as unknown as string],
    ['startReferenceProvider(a port as a bare number)', () => startReferenceProvider(untyped(8080)), expect.stringMatching(/^startReferenceProvider takes its options in an object \{ port, host, .* \} \(got 8080\)$/) as unknown as string],
    ['conform(a URL as a bare string)', () => conform(untyped('http://127.0.0.1:9/beta')), expect.stringMatching(/^conform takes its options in an object \{ providerBaseUrl, .* \} \(got "http:\/\/127\.0\.0\.1:9\/beta"\)$/) as unknown as string],
    ['checkClient(nothing)', () => checkClient(untyped(undefined)), expect.stringMatching(/^checkClient takes its options in an object \{ command, args, .* \} \(got undefined\)$/) as unknown as string],
    ['drift(no metadata)', () => drift(untyped({ profile: 'beta' })), 'metadata must be a path, a string that is not empty (got undefined)'],
    ['drift(a path as a bare string)', () => drift(untyped('metadata.xml')), 'drift takes its options in an object { metadata, profile, known } (got "metadata.xml")'],
    ['readFaultsFile(nothing)', () => readFaultsFile(untyped(undefined)), 'file must be a path, a string that is not empty (got undefined)'],
    ['readConformReport(nothing)', () => readConformReport(untyped(undefined)), 'file must be a path, a string that is not empty (got undefined)'],
    ['readMetadata(nothing)', () => readMetadata(untyped(undefined)), 'file must be a path, a string that is not empty (got undefined)'],
    ['strengthenPact(nothing)', () => strengthenPact(untyped(undefined)), 'file must be a path, a string that is not empty (got undefined)'],
    ['verifyInWorker(options, nothing)', () => verifyInWorker({}, untyped(undefined)), expect.stringMatching(/^verifyInWorker's second argument takes its options in an object \{ report, warnings, colour, signal, env, graceMs \} \(got undefined\)$/) as unknown as string],
    ['verifyInWorker(options, the report as a bare stream)', () => verifyInWorker({}, untyped(process.stdout)), expect.stringMatching(/^verifyInWorker's second argument takes its options in an object \{ report, .* \}: .* not among them$/) as unknown as string],
    ['verifyInWorker(options, no report)', () => verifyInWorker({}, untyped({ colour: false })), 'report must be a writable stream, such as process.stdout (got undefined)'],
    ['verifyInWorker(a misspelt option, ...)', () => verifyInWorker(untyped({ pactFile: ['p.json'] }), { report: process.stdout }), expect.stringMatching(/^verifyInWorker takes its options in an object \{ providerBaseUrl, .* \}: "pactFile" is not one of them$/) as unknown as string],
    ['inspectSeedFile(nothing)', () => inspectSeedFile(untyped(undefined)), 'path must be a path, a string that is not empty (got undefined)'],
    ['readSeedReport(nothing)', () => readSeedReport(untyped(undefined)), 'input must be a readable stream, such as fs.createReadStream(file) or process.stdin (got undefined)'],
    ['readRecords(a path for the stream)', () => readRecords(untyped('tokens.ndjson')).next(), 'input must be a readable stream, such as fs.createReadStream(file) or process.stdin (got "tokens.ndjson")'],
    ['fileSeedInputs(nothing)', () => fileSeedInputs(untyped(undefined)).next(), 'input must be a readable stream, such as fs.createReadStream(file) or process.stdin (got undefined)'],
    ['checkClient(no command)', () => checkClient(untyped({ args: ['client.js'] })), "command must be the client's program, a string that is not empty, such as process.execPath (got undefined)"],
    ['checkClient(the command line as one array)', () => checkClient(untyped({ command: process.execPath, args: 'client.js' })), 'args must be an array of strings (got "client.js")'],
    ['judgeClientBehaviour(traffic not kept)', () => judgeClientBehaviour(untyped(undefined)), "traffic must be an array of traffic entries, such as a reference provider's traffic (kept with recordTraffic or faults) or trafficEntriesOf(exchanges) (got undefined)"],
    ['validateRecords(no records)', () => validateRecords('request', untyped(undefined), () => undefined), 'records must be an async iterable of records, such as readRecords(stream) (got undefined)'],
    ['validateRecords(no report)', () => validateRecords('request', readRecords(Readable.from(['{}'])), untyped(undefined)), 'report must be a function, called with each record and its problems (got undefined)'],
    ['generatedSeedInputs(a misspelt count)', () => generatedSeedInputs(untyped({ cout: 10 })).next(), 'generatedSeedInputs takes its options in an object { count, offset, seed, traits, signal, profile }: "cout" is not one of them'],
    ['generatedSeedInputs(no count)', () => generatedSeedInputs(untyped({ seed: 7 })).next(), 'count must be a whole number of at least 0 (got undefined)'],
    ['startJudgingProxy(nothing)', () => startJudgingProxy(untyped(undefined)), expect.stringMatching(/^startJudgingProxy takes its options in an object \{ target, port, .* \} \(got undefined\)$/) as unknown as string],
  ])('%s: a TypeError', async (_name, run, message) => {
    const error = await refusedWith(run);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toEqual(message);
    expect(error.message).not.toMatch(INTERNAL);
  });

  it('a missing target is said as the CLI says --target, shown as missing, not as the text "undefined"', async () => {
    const seeded = await refusedWith(() => seedVppTokens(untyped({ records: generatedSeedInputs({ count: 1 }), report: () => undefined })));
    expect(seeded).toBeInstanceOf(SeedSetupError);
    expect(seeded.message).toBe('--target must be an http or https URL, such as http://127.0.0.1:8080/beta (got undefined)');
    const run = await refusedWith(() => runSeed(untyped({ report: join(dir, 'r.ndjson'), generate: { count: 1 } })));
    expect(run).toBeInstanceOf(SeedSetupError);
    expect(run.message).toBe('--target must be an http or https URL, such as http://127.0.0.1:8080/beta (got undefined)');
    const proxied = await refusedWith(() => startJudgingProxy(untyped({})));
    expect(proxied).toBeInstanceOf(ProxyStartError);
    expect(proxied.message).toBe('--target must be an http or https URL, such as https://graph.microsoft.com (got undefined)');
    // A target given without its scheme keeps its own words (decision 0115).
    expect((await refusedWith(() => seedVppTokens({ target: 'localhost:8080', records: generatedSeedInputs({ count: 1 }), report: () => undefined }))).message).toBe('--target must be an http or https URL, such as http://127.0.0.1:8080/beta (got "localhost:8080")');
  });

  it('both ways: the shapes they take are taken (a URL object for the proxy, records and a report for seed)', async () => {
    const provider = await startReferenceProvider({ port: 0 });
    try {
      const entries: ReportEntry[] = [];
      const summary = await seedVppTokens({ target: `${provider.url}/beta`, records: generatedSeedInputs({ count: 1, seed: 760 }), bearer: 'arguments-test-bearer', report: (entry) => entries.push(entry) });
      expect(summary.created).toBe(1);
      expect(entries.map((entry) => entry.status)).toEqual(['created']);
      const proxy = await startJudgingProxy({ target: new URL(`${provider.url}/beta`), port: 0, host: '127.0.0.1' });
      try {
        expect(proxy.target).toBe(`${provider.url}/beta`);
      } finally {
        await proxy.close();
      }
    } finally {
      await provider.close();
    }
    writeFileSync(join(dir, 'copy.json'), readFileSync(PACT));
    expect(resolvePactFiles([join(dir, 'copy.json')])).toEqual([join(dir, 'copy.json')]);
  });
});
