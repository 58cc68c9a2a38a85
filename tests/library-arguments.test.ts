// The library's argument errors in the kit's words, by one rule (src/net/option.ts, decision 0760; outside finding
// R83): `comparePacts` on a missing file rejected with Node's raw `ENOENT: no such file or directory, open ...`,
// `comparePacts('p.json')` with `args.flatMap is not a function` and `seedVppTokens({})` with `Cannot read properties
// of undefined (reading 'replace')`. Each is now said as the CLI says it (a file by the one table of decision 0355),
// or as the argument's shape (a TypeError naming the argument, what it takes and what it got), before anything runs.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePacts, readPactFile, PactFileError } from 'vpptokens-contract-kit/compare';
import { checkClient, checkFaultOptions, checkVerifyOptions, graphError, startForwarder, readFaultsFile, startReferenceProvider, verifyInWorker, verifyProvider, resolvePactFiles } from 'vpptokens-contract-kit/provider';
import { conform, conformJson, conformJUnit, formatConformResult, readConformReport, readConformReportInput } from 'vpptokens-contract-kit/conform';
import { compareWithMetadata, drift, formatDrift, metadataFormat, readMetadata, MetadataError } from 'vpptokens-contract-kit/drift';
import { formatCompareResult } from 'vpptokens-contract-kit/compare';
import { failureLines } from 'vpptokens-contract-kit/provider';
import { addInteraction, createdExpectation, createdResponseBody, createInteraction, exampleRequest, mockServerMatchedCheck, pactFileOf, pactFileProblem, rejectedCreateInteraction, settleMockServer, writePact } from 'vpptokens-contract-kit/pact';
import { strengthenPact } from '../src/contract/expectation';
import { harOf, judgeProxiedBehaviour, proxyJunit, proxyReport, recordPact, startJudgingProxy, trafficEntriesOf, trafficEntryOf, formatViolation, ProxyStartError } from 'vpptokens-contract-kit/proxy';
import { createProgress, spoolToFile, fileSeedInputs, generatedSeedInputs, inspectSeedFile, openReport, runDifference, readSeedReport, runSeed, seedVppTokens, SeedSetupError, type ReportEntry } from 'vpptokens-contract-kit/seed';
import { formatAnswerProblem, formatRequestProblem, credentialEchoProblems, isCreate, judgeCreatedAnswer, judgeReadBack, judgeRejectedAnswer, readAnswer, timestampProblems, valuesBackProblems, valuesThatComeBack, checkCreateRequest, readAppleSToken, sTokenExpiredAt, sTokenExpiry, sTokenProblem, createdVppToken, problemMessage, readMessage, createRequestFactory, mergeOverrides, bearerTokenOf, decodeUtf8, generateText, writeGenerated, formatProblem, formatProblems, graphErrorCode, headerLines, headerValues, isJsonMediaType, judgeClientBehaviour, parseJson, pointerSegment, readRecords, validateRecords } from 'vpptokens-contract-kit';
import { pactFileName } from 'vpptokens-contract-kit/pact';
import { PassThrough, Readable } from 'node:stream';
import { refusedWith } from './support/refusal';
import { shownArgument, shownOption } from '../src/net/option';
import { createRequestProblems } from '../src/validation/create-request';

/** A value as a caller without types hands it in. */
const untyped = <T>(value: unknown): T => value as T;
/** A bearer's JWT, as a caller's swapped arguments may hand one over: its text is never shown. */
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlc2lnbmF0dXJl';

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
    ['comparePacts(one path as a string)', () => comparePacts(untyped('p.json')), 'files must be an array of paths (got a string)'],
    ['comparePacts(nothing)', () => comparePacts(untyped(undefined)), 'files must be an array of paths (got undefined)'],
    ['comparePacts([a number])', () => comparePacts(untyped([PACT, 1])), 'files[1] must be a path, a string that is not empty (got 1)'],
    ['comparePacts(files, a profile as a bare word)', () => comparePacts([PACT], untyped('v1.0')), 'comparePacts takes its options in an object { profile, comparator, schemaTokens, now, signal, onNoWriter } (got a string)'],
    ['comparePacts(files, a misspelt option)', () => comparePacts([PACT], untyped({ comparater: false })), 'comparePacts takes its options in an object { profile, comparator, schemaTokens, now, signal, onNoWriter }: "comparater" is not one of them'],
    ['readPactFile(nothing)', () => readPactFile(untyped(undefined)), 'file must be a path, a string that is not empty (got undefined)'],
    ['verifyProvider({ pactFiles: one path })', () => verifyProvider({ pactFiles: untyped('p.json') }), 'pactFiles must be an array of paths (got a string)'],
    ['resolvePactFiles(one path)', () => resolvePactFiles(untyped('p.json')), 'pactFiles must be an array of paths (got a string)'],
    ['seedVppTokens(nothing)', () => seedVppTokens(untyped(undefined)), expect.stringMatching(/^seedVppTokens takes its options in an object \{ target, records, .* \} \(got undefined\)$/) as unknown as string],
    ['seedVppTokens(no records)', () => seedVppTokens(untyped({ target: 'http://127.0.0.1:9/beta', report: () => undefined })), "records must be an async iterable of records, such as generatedSeedInputs({ count: 10 }) or fileSeedInputs(stream, 'ndjson') (got undefined)"],
    ['seedVppTokens(records as an array)', () => seedVppTokens(untyped({ target: 'http://127.0.0.1:9/beta', records: [], report: () => undefined })), "records must be an async iterable of records, such as generatedSeedInputs({ count: 10 }) or fileSeedInputs(stream, 'ndjson') (got an array)"],
    ['seedVppTokens(no report)', () => seedVppTokens(untyped({ target: 'http://127.0.0.1:9/beta', records: generatedSeedInputs({ count: 1 }) })), "report must be a function, called with each record's entry (got undefined)"],
    ['seedVppTokens(a misspelt option)', () => seedVppTokens(untyped({ target: 'http://127.0.0.1:9/beta', records: generatedSeedInputs({ count: 1 }), report: () => undefined, concurency: 2 })), expect.stringMatching(/: "concurency" is not one of them$/) as unknown as string],
    ['runSeed(nothing)', () => runSeed(untyped(undefined)), expect.stringMatching(/^runSeed takes its options in an object \{ target, .* \} \(got undefined\)$/) as unknown as string],
    ['runSeed(no report)', () => runSeed(untyped({ target: 'http://127.0.0.1:9/beta', generate: { count: 1 } })), 'report must be a path, a string that is not empty (got undefined)'],
    ['verifyProvider(a bare word)', () => verifyProvider(untyped('v1.0')), expect.stringMatching(/^verifyProvider takes its options in an object \{ providerBaseUrl, profile, pactFiles, .* \} \(got a string\)$/) as unknown as string],
    ['verifyProvider(a misspelt option)', () => verifyProvider(untyped({ providerBaseURL: 'http://127.0.0.1:9/beta' })), expect.stringMatching(/: "providerBaseURL" is not one of them$/) as unknown as string],
    ['startReferenceProvider(a port as a bare number)', () => startReferenceProvider(untyped(8080)), expect.stringMatching(/^startReferenceProvider takes its options in an object \{ port, host, .* \} \(got 8080\)$/) as unknown as string],
    ['conform(a URL as a bare string)', () => conform(untyped('http://127.0.0.1:9/beta')), expect.stringMatching(/^conform takes its options in an object \{ providerBaseUrl, .* \} \(got a string\)$/) as unknown as string],
    ['checkClient(nothing)', () => checkClient(untyped(undefined)), expect.stringMatching(/^checkClient takes its options in an object \{ command, args, .* \} \(got undefined\)$/) as unknown as string],
    ['drift(no metadata)', () => drift(untyped({ profile: 'beta' })), 'metadata must be a path, a string that is not empty (got undefined)'],
    ['drift(a path as a bare string)', () => drift(untyped('metadata.xml')), 'drift takes its options in an object { metadata, profile, known } (got a string)'],
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
    ['readRecords(a path for the stream)', () => readRecords(untyped('tokens.ndjson')).next(), 'input must be a readable stream, such as fs.createReadStream(file) or process.stdin (got a string)'],
    ['fileSeedInputs(nothing)', () => fileSeedInputs(untyped(undefined)).next(), 'input must be a readable stream, such as fs.createReadStream(file) or process.stdin (got undefined)'],
    ['checkClient(no command)', () => checkClient(untyped({ args: ['client.js'] })), "command must be the client's program, a string that is not empty, such as process.execPath (got undefined)"],
    // 0871's leftover: the arguments may carry the client's credentials, so a string given for them is said by its kind.
    ['checkClient(the command line as one string)', () => checkClient(untyped({ command: process.execPath, args: 'client.js --token=s3cr3t' })), 'args must be an array of strings (got a string)'],
    ['checkClient(an argument that is no string)', () => checkClient(untyped({ command: process.execPath, args: ['client.js', 42] })), 'args[1] must be a string (got 42)'],
    ['judgeClientBehaviour(traffic not kept)', () => judgeClientBehaviour(untyped(undefined)), "traffic must be an array of traffic entries, such as a reference provider's traffic (kept with recordTraffic or faults) or trafficEntriesOf(exchanges) (got undefined)"],
    ['validateRecords(no records)', () => validateRecords('request', untyped(undefined), () => undefined), 'records must be an async iterable of records, such as readRecords(stream) (got undefined)'],
    ['validateRecords(no report)', () => validateRecords('request', readRecords(Readable.from(['{}'])), untyped(undefined)), 'report must be a function, called with each record and its problems (got undefined)'],
    ['generatedSeedInputs(a misspelt count)', () => generatedSeedInputs(untyped({ cout: 10 })).next(), 'generatedSeedInputs takes its options in an object { count, offset, seed, traits, signal, profile }: "cout" is not one of them'],
    ['generatedSeedInputs(no count)', () => generatedSeedInputs(untyped({ seed: 7 })).next(), 'count must be a whole number of at least 0 (got undefined)'],
    // Outside finding Y1 (round 17): a string where an options object or a stream goes was quoted (its first 37
    // characters: most of a bearer's JWT); a string is said by its kind alone, as every argument's (decision 0800).
    ['generateText(a bearer for the options)', () => generateText(untyped(`Bearer ${JWT}`)), 'generateText takes its options in an object { kind, count, offset, seed, traits, format, profile } (got a string)'],
    ['writeGenerated(a bearer for the options)', () => writeGenerated(untyped(`Bearer ${JWT}`), new PassThrough()), 'writeGenerated takes its options in an object { kind, count, offset, seed, traits, format, profile } (got a string)'],
    ['readRecords(a bearer for the stream)', () => readRecords(untyped(`Bearer ${JWT}`)).next(), 'input must be a readable stream, such as fs.createReadStream(file) or process.stdin (got a string)'],
    ['validateRecords(a text for the report)', () => validateRecords('request', readRecords(Readable.from(['{}'])), untyped(`Bearer ${JWT}`)), 'report must be a function, called with each record and its problems (got a string)'],
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

// Every function the package exports, by the one rule of an argument's kind (decision 0800, 0760's leftover): each
// called with nothing and with an argument of another kind says, in the kit's words, which argument and what it
// takes, a TypeError (a RangeError for a word such as a profile), never Node's or JavaScript's own words from inside
// (`Cannot read properties of undefined (reading 'filter')`), and never takes a number for a text (`parseJson(42)`
// answered a value). The table lists every export: a new one fails the first test until its row says how it is called.
describe("every exported function refuses an argument of the wrong kind in the kit's words", () => {
  /** Its arguments are data it judges or a generic value: any value is taken (a predicate answers false). */
  const ANY = { any: true } as const;
  /** Every argument has a default: called with nothing it runs as documented. */
  const DEFAULT = { defaults: true } as const;
  /** Data a schema judges: refused as invalid data (a SchemaValidationError), not as an argument. */
  type Invalid = { invalid: string };
  /** Called with nothing it runs a whole run by its defaults, tested where that run is (not here: not cheap). */
  type Runs = { runs: string };
  /** A TypeError (RangeError) whose message starts so and ends with `(got <the value>)`. */
  type Expected = string | typeof ANY | typeof DEFAULT | Invalid | Runs;
  const EXPORTS: Record<string, [nothing: Expected, wrong: unknown[], said: Expected]> = {
    derefSchema: ['schema must be a JSON Schema, an object', [42], 'schema must be a JSON Schema, an object'],
    loadSchemas: [DEFAULT, [42], 'profile must be one of beta, v1.0'],
    profileBaseUri: [DEFAULT, [42], 'profile must be one of beta, v1.0'],
    resolveRef: ['ref must be a schema reference, a string', [42], 'ref must be a schema reference, a string'],
    schemaFor: ['kind must be one of request, response, actionResult, error', [42], 'kind must be one of request, response, actionResult, error'],
    schemaKindsOf: [DEFAULT, [42], 'profile must be one of beta, v1.0'],
    toProfile: ['profile must be one of beta, v1.0', [42], 'profile must be one of beta, v1.0'],
    assertCreateRequest: [{ invalid: 'invalid request:' }, [42], { invalid: 'invalid request:' }],
    assertGraphError: [{ invalid: 'invalid error:' }, [42], { invalid: 'invalid error:' }],
    assertValid: ['kind must be one of request, response, actionResult, error', [42], 'kind must be one of request, response, actionResult, error'],
    assertVppToken: [{ invalid: 'invalid response:' }, [42], { invalid: 'invalid response:' }],
    findJsonSyntaxError: ['text must be a string', [42], 'text must be a string'],
    formatProblem: ['problem must be a Problem, an object of pointer and message', [42], 'problem must be a Problem, an object of pointer and message'],
    formatProblems: ['problems must be an array of Problems, such as validate(kind, data).problems', [42], 'problems must be an array of Problems, such as validate(kind, data).problems'],
    isGraphError: [ANY, [42], ANY],
    isValid: ['kind must be one of request, response, actionResult, error', [42], 'kind must be one of request, response, actionResult, error'],
    isVppToken: [ANY, [42], ANY],
    isVppTokenCreateRequest: [ANY, [42], ANY],
    pointerSegment: ['segment must be a property name, a string', [42], 'segment must be a property name, a string'],
    problemMessage: ['p must be a Problem, an object of pointer and message', [42], 'p must be a Problem, an object of pointer and message'],
    problemsOf: ['kind must be one of request, response, actionResult, error', [42], 'kind must be one of request, response, actionResult, error'],
    readRecords: ['input must be a readable stream, such as fs.createReadStream(file) or process.stdin', [42], 'input must be a readable stream, such as fs.createReadStream(file) or process.stdin'],
    schemaChecker: ['schema must be a JSON Schema, an object', [42], 'schema must be a JSON Schema, an object'],
    validate: ['kind must be one of request, response, actionResult, error', [42], 'kind must be one of request, response, actionResult, error'],
    validateActionResult: [ANY, [42], ANY],
    validateCreateRequest: [ANY, [42], ANY],
    validateGraphError: [ANY, [42], ANY],
    validateRecords: ['kind must be one of request, response, actionResult, error', [42], 'kind must be one of request, response, actionResult, error'],
    validateVppToken: [ANY, [42], ANY],
    sTokenProblem: ['request must be a create request, an object { token, ... }', [42], 'request must be a create request, an object { token, ... }'],
    errorExampleName: ['trait must be a Graph error\'s trait, such as \'badRequest\'', [42], 'trait must be a Graph error\'s trait, such as \'badRequest\''],
    generateText: ['generateText takes its options in an object', [42], 'generateText takes its options in an object'],
    graphErrorCode: ['status must be an HTTP status, a number', ['429'], 'status must be an HTTP status, a number'],
    mergeOverrides: ['base must be a record, an object', [{}, 'abc'], 'overrides must be an object of property values'],
    writeGenerated: ['writeGenerated takes its options in an object', [42], 'writeGenerated takes its options in an object'],
    createdVppToken: ['request must be a create request, an object', [42], 'request must be a create request, an object'],
    readAppleSToken: [ANY, [42], ANY],
    sTokenExpiredAt: ['token must be an Apple VPP token (an sToken) string, such as sTokenExpiredAt(body.token, new Date())', [42, 42], 'token must be an Apple VPP token (an sToken) string, such as sTokenExpiredAt(body.token, new Date())'],
    sTokenExpiry: ['expDate must be an sToken\'s expDate, a string', [42], 'expDate must be an sToken\'s expDate, a string'],
    toProfileRecord: [ANY, [42], ANY],
    checkCreateRequest: ['request must be a request as observed, an object of method, path, rawHeaders and body', [42], 'request must be a request as observed, an object of method, path, rawHeaders and body'],
    credentialEchoProblems: ['read must be a message as read, such as readMessage(message) or readAnswer(answer)', [42], 'read must be a message as read, such as readMessage(message) or readAnswer(answer)'],
    formatAnswerProblem: ['p must be an answer\'s problem, an object of part, where and message', [42], 'p must be an answer\'s problem, an object of part, where and message'],
    formatRequestProblem: ['p must be a request\'s problem, an object of where and message', [42], 'p must be a request\'s problem, an object of where and message'],
    judgeCreatedAnswer: ['sent must be the create request sent, an object', [42], 'sent must be the create request sent, an object'],
    judgeReadBack: ['sent must be the create request sent, an object', [42], 'sent must be the create request sent, an object'],
    judgeRejectedAnswer: ['expected must be an array of the statuses expected, such as [400]', [42], 'expected must be an array of the statuses expected, such as [400]'],
    readAnswer: ['answer must be an answer as observed, an object of status, rawHeaders and body', [42], 'answer must be an answer as observed, an object of status, rawHeaders and body'],
    resourceIdentityProblems: ['lines must be an array of header lines, such as headerLines(rawHeaders)', [{}, 42], 'lines must be an array of header lines, such as headerLines(rawHeaders)'],
    timestampProblems: ['context must be an AnswerContext, an object', [{}, 42], 'context must be an AnswerContext, an object'],
    valuesBackProblems: ['sent must be the create request sent, an object', [42], 'sent must be the create request sent, an object'],
    valuesThatComeBack: ['sent must be the create request sent, an object', [42], 'sent must be the create request sent, an object'],
    isCreate: ['entry must be a traffic entry, an object of method and path', [42], 'entry must be a traffic entry, an object of method and path'],
    judgeClientBehaviour: ['traffic must be an array of traffic entries, such as a reference provider\'s traffic (kept with recordTraffic o', [42], 'traffic must be an array of traffic entries, such as a reference provider\'s traffic (kept with recordTraffic o'],
    tokenOf: ['entry must be a traffic entry, an object of method, path and body', [42], 'entry must be a traffic entry, an object of method, path and body'],
    bearerTokenOf: [DEFAULT, [42], 'authorization must be a string'],
    decodeContent: ['bytes must be a Uint8Array, such as a Buffer', [42], 'bytes must be a Uint8Array, such as a Buffer'],
    decodeUtf8: ['bytes must be a Uint8Array, such as a Buffer', [42], 'bytes must be a Uint8Array, such as a Buffer'],
    findDuplicateProperty: ['text must be a string', [42], 'text must be a string'],
    findTooDeep: [ANY, [42], ANY],
    headerLines: ['headers must be Node\'s rawHeaders (an array of names and values), an object of names and values, a Headers, a ', [42], 'headers must be Node\'s rawHeaders (an array of names and values), an object of names and values, a Headers, a '],
    headerValues: ['lines must be an array of header lines, such as headerLines(rawHeaders)', [42], 'lines must be an array of header lines, such as headerLines(rawHeaders)'],
    isBearerCredentials: [DEFAULT, [42], 'authorization must be a string'],
    isJsonMediaType: [DEFAULT, [42], 'contentType must be a string'],
    parseJson: ['text must be a string', [42], 'text must be a string'],
    readMessage: ['message must be a message as observed, an object of rawHeaders and body', [42], 'message must be a message as observed, an object of rawHeaders and body'],
    repeatedHeaderProblems: ['lines must be an array of header lines, such as headerLines(rawHeaders)', [42], 'lines must be an array of header lines, such as headerLines(rawHeaders)'],
    singleHeader: ['lines must be an array of header lines, such as headerLines(rawHeaders)', [42], 'lines must be an array of header lines, such as headerLines(rawHeaders)'],
    retryAfterMs: [ANY, [42], ANY],
    matchersFor: ['kind must be one of request, response, actionResult, error', [42], 'kind must be one of request, response, actionResult, error'],
    matchersForInvalid: ['kind must be one of request, response, actionResult, error', [42], 'kind must be one of request, response, actionResult, error'],
    matchersForSchema: ['schema must be a JSON Schema, an object', [42], 'schema must be a JSON Schema, an object'],
    enumPattern: ['members must be an array of an enum\'s members', [42], 'members must be an array of an enum\'s members'],
    exampleOf: ['matchers must be a value, with or without Pact\'s matchers, such as an interaction\'s body', [42], ANY],
    canonicalConsumer: [DEFAULT, [42], 'profile must be one of beta, v1.0'],
    pactFileName: ['consumer must be a string', [42], 'consumer must be a string'],
    pactFileProblem: ['names must be an object of consumer and provider', [42], 'names must be an object of consumer and provider'],
    placeholderTokens: [DEFAULT, [42], ANY],
    inPactOrder: ['items must be an array', [42], 'items must be an array'],
    createInteraction: ['description must be a string', [42], 'description must be a string'],
    describeCreate: ['body must be a create request\'s body, an object', [42], 'body must be a create request\'s body, an object'],
    rejectedCreateInteraction: ['description must be a string', [42], 'description must be a string'],
    createdResponseBody: ['request must be a create request, an object', [42], 'request must be a create request, an object'],
    canonicalInteractions: [DEFAULT, [42], 'profile must be one of beta, v1.0'],
    pactFileOf: ['pact must be pact-js\'s PactV4', [42], 'pact must be pact-js\'s PactV4'],
    addInteraction: ['pact must be pact-js\'s PactV4', [42], 'pact must be pact-js\'s PactV4'],
    exampleRequest: ['spec must be an interaction, such as createInteraction(description, request)', [42], 'spec must be an interaction, such as createInteraction(description, request)'],
    settleMockServer: ['pact must be pact-js\'s PactV4', [42], 'pact must be pact-js\'s PactV4'],
    mockServerMatchedCheck: ['pact must be pact-js\'s PactV4', [42], 'pact must be pact-js\'s PactV4'],
    pactHasMockServerRace: [DEFAULT, [42], 'version must be pact-js\'s version, such as 16.4.0'],
    writePact: ['specs must be an array of interactions, such as canonicalInteractions()', [42], 'specs must be an array of interactions, such as canonicalInteractions()'],
    createdExpectation: ['request must be a create request, an object', [42], 'request must be a create request, an object'],
    strengthenPact: ['file must be a path, a string that is not empty', [42], 'file must be a path, a string that is not empty'],
    pactPath: ['parent must be a Pact path, such as $.body', [42], 'parent must be a Pact path, such as $.body'],
    checkFaultOptions: ['faults takes its options in an object', [42], 'faults takes its options in an object'],
    graphError: ['code must be a string', [42], 'code must be a string'],
    isAfterCreateFault: [ANY, [42], ANY],
    readFaultsFile: ['file must be a path, a string that is not empty', [42], 'file must be a path, a string that is not empty'],
    startReferenceProvider: [DEFAULT, [42], 'startReferenceProvider takes its options in an object'],
    canonicalPact: [DEFAULT, [42], 'profile must be one of beta, v1.0'],
    checkVerifyOptions: ['checkVerifyOptions takes its options in an object', [42], 'checkVerifyOptions takes its options in an object'],
    failureLines: ['result must be verify\'s result, such as verifyProvider\'s', [42], 'result must be verify\'s result, such as verifyProvider\'s'],
    resolvePactFiles: ['pactFiles must be an array of paths', [42], 'pactFiles must be an array of paths'],
    startForwarder: ['target must be a URL object, the provider\'s base URL', [42], 'target must be a URL object, the provider\'s base URL'],
    verifyInWorker: ['verifyInWorker takes its options in an object', [42], 'verifyInWorker takes its options in an object'],
    verifyProvider: [{ runs: 'verifies the canonical pact against the embedded reference provider (tests/verification)' }, [42], 'verifyProvider takes its options in an object'],
    checkClient: ['checkClient takes its options in an object', [42], 'checkClient takes its options in an object'],
    bearerProblem: [DEFAULT, [42], 'bearer must be a string'],
    fileSeedInputs: ['input must be a readable stream, such as fs.createReadStream(file) or process.stdin', [42], 'input must be a readable stream, such as fs.createReadStream(file) or process.stdin'],
    generatedSeedInputs: ['generatedSeedInputs takes its options in an object', [42], 'generatedSeedInputs takes its options in an object'],
    seedVppTokens: ['seedVppTokens takes its options in an object', [42], 'seedVppTokens takes its options in an object'],
    runSeed: ['runSeed takes its options in an object', [42], 'runSeed takes its options in an object'],
    openReport: ['path must be a path, a string that is not empty', [42], 'path must be a path, a string that is not empty'],
    readSeedReport: ['input must be a readable stream, such as fs.createReadStream(file) or process.stdin', [42], 'input must be a readable stream, such as fs.createReadStream(file) or process.stdin'],
    runDifference: ['report must be a seed run\'s settings, such as readSeedReport\'s run', [42], 'report must be a seed run\'s settings, such as readSeedReport\'s run'],
    inspectSeedFile: ['path must be a path, a string that is not empty', [42], 'path must be a path, a string that is not empty'],
    spoolToFile: ['input must be a readable stream, such as process.stdin', [42], 'input must be a readable stream, such as process.stdin'],
    createProgress: ['stream must be a writable stream, such as process.stderr', [42], 'stream must be a writable stream, such as process.stderr'],
    conform: [{ runs: 'judges the embedded reference provider (tests/conform)' }, [42], 'conform takes its options in an object'],
    formatConformResult: ['result must be conform\'s result', [42], 'result must be conform\'s result'],
    conformJUnit: ['result must be conform\'s result', [42], 'result must be conform\'s result'],
    conformJson: ['result must be conform\'s result', [42], 'result must be conform\'s result'],
    parseCheckList: ['text must be a comma-separated list of checks', [42], 'text must be a comma-separated list of checks'],
    readConformReport: ['file must be a path, a string that is not empty', [42], 'file must be a path, a string that is not empty'],
    readConformReportInput: ['file must be a path, a string that is not empty', [42], 'file must be a path, a string that is not empty'],
    openApiFile: [DEFAULT, [42], 'profile must be one of beta, v1.0'],
    openApiDocument: [DEFAULT, [42], 'profile must be one of beta, v1.0'],
    openApiText: [DEFAULT, [42], 'profile must be one of beta, v1.0'],
    comparePacts: ['files must be an array of paths', [42], 'files must be an array of paths'],
    formatCompareResult: ['result must be compare\'s result, such as comparePacts(files)\'s', [42], 'result must be compare\'s result, such as comparePacts(files)\'s'],
    readPactFile: ['file must be a path, a string that is not empty', [42], 'file must be a path, a string that is not empty'],
    metadataFormat: ['file must be a path, a string that is not empty', [42], 'file must be a path, a string that is not empty'],
    readMetadata: ['file must be a path, a string that is not empty', [42], 'file must be a path, a string that is not empty'],
    compareWithMetadata: ['model must be Graph\'s metadata as read, such as (await readMetadata(file)).model', [42], 'model must be Graph\'s metadata as read, such as (await readMetadata(file)).model'],
    drift: ['drift takes its options in an object', [42], 'drift takes its options in an object'],
    formatDrift: ['report must be drift\'s report', [42], 'report must be drift\'s report'],
    startJudgingProxy: ['startJudgingProxy takes its options in an object', [42], 'startJudgingProxy takes its options in an object'],
    formatViolation: ['v must be a violation, one of the proxy\'s violations', [42], 'v must be a violation, one of the proxy\'s violations'],
    recordPact: ['exchanges must be an array of the proxy\'s exchanges, such as proxy.exchanges', [42], 'exchanges must be an array of the proxy\'s exchanges, such as proxy.exchanges'],
    harOf: ['exchanges must be an array of the proxy\'s exchanges, such as proxy.exchanges', [42], 'exchanges must be an array of the proxy\'s exchanges, such as proxy.exchanges'],
    proxyReport: ['proxy must be the proxy, or an object of its exchanges and violations', [42], 'proxy must be the proxy, or an object of its exchanges and violations'],
    proxyJunit: ['report must be the proxy\'s report, such as proxyReport(proxy)', [42], 'report must be the proxy\'s report, such as proxyReport(proxy)'],
    secretsOf: ['exchanges must be an array of the proxy\'s exchanges, such as proxy.exchanges', [42], 'exchanges must be an array of the proxy\'s exchanges, such as proxy.exchanges'],
    withoutSecrets: ['text must be a string', [42], 'text must be a string'],
    trafficEntryOf: ['exchange must be one of the proxy\'s exchanges', [42], 'exchange must be one of the proxy\'s exchanges'],
    trafficEntriesOf: ['exchange must be one of the proxy\'s exchanges', [42], 'exchange must be one of the proxy\'s exchanges'],
    judgeProxiedBehaviour: ['traffic must be an array of traffic entries, such as a reference provider\'s traffic (kept with recordTraffic o', [42], 'traffic must be an array of traffic entries, such as a reference provider\'s traffic (kept with recordTraffic o'],
  };
  const ENTRIES = ['', '/pact', '/provider', '/seed', '/conform', '/jest', '/openapi', '/compare', '/drift', '/proxy'];
  const CLASSES = new Set([...readFileSync(join(__dirname, '..', 'docs', 'public-api.txt'), 'utf8').matchAll(/^class (\w+)$/gm)].map((m) => m[1]));
  const exported = new Map<string, (...args: unknown[]) => unknown>();
  for (const entry of ENTRIES) {
    const module = require(`vpptokens-contract-kit${entry}`) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) if (typeof value === 'function' && !CLASSES.has(name)) exported.set(name, value as (...args: unknown[]) => unknown);
  }

  /** What calling it does: a thrown or rejected error, or a value (a generator's first step taken; whatever it started closed). */
  async function outcome(run: (...args: unknown[]) => unknown, args: unknown[]): Promise<{ error?: Error }> {
    try {
      let value = run(...args);
      const stepped = value as { next?: () => unknown; [Symbol.asyncIterator]?: unknown; [Symbol.iterator]?: unknown } | undefined;
      if (typeof stepped?.next === 'function' && (stepped[Symbol.asyncIterator] || stepped[Symbol.iterator])) value = stepped.next();
      const got = await value;
      await (got as { close?: () => Promise<void> } | undefined)?.close?.();
      return {};
    } catch (error) {
      return { error: error as Error };
    }
  }

  function expectSaid(result: { error?: Error }, expected: Expected, shown: string): void {
    if (expected === ANY || expected === DEFAULT) {
      expect(result.error).toBeUndefined();
      return;
    }
    const { error } = result;
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).not.toMatch(INTERNAL);
    expect(error!.message).not.toMatch(/Cannot use 'in' operator|is not valid JSON|Unexpected token|Invalid URL|The "\w+" argument/);
    if (typeof expected === 'object' && 'invalid' in expected) {
      expect(error!.name).toBe('SchemaValidationError');
      expect(error!.message.startsWith(expected.invalid)).toBe(true);
      return;
    }
    expect([TypeError, RangeError].some((kind) => error instanceof kind)).toBe(true);
    expect(error!.message.startsWith(expected as string) ? expected : error!.message).toBe(expected);
    expect(error!.message.endsWith(`(got ${shown})`) ? shown : error!.message).toBe(shown);
  }

  it('the table holds every exported function (classes aside), and only them', () => {
    expect(Object.keys(EXPORTS).sort()).toEqual([...exported.keys()].sort());
  });

  it.each(Object.entries(EXPORTS))('%s', async (name, [nothing, wrong, said]) => {
    const run = exported.get(name)!;
    expect(typeof run).toBe('function');
    if (!(typeof nothing === 'object' && 'runs' in nothing)) expectSaid(await outcome(run, []), nothing, 'undefined');
    expectSaid(await outcome(run, wrong), said, shownArgument(wrong[wrong.length - 1]));
  });
});

describe("the rule of an argument's kind, both ways and at its edges (decision 0800)", () => {
  it('takes what each takes: a Uint8Array that is no Buffer, an empty text, an empty list, undefined where there is a default', () => {
    expect(parseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJson('')).toMatchObject({ ok: false });
    expect(headerValues([{ name: 'Content-Type', value: 'application/json' }], 'content-type')).toEqual(['application/json']);
    expect(headerValues([], 'content-type')).toEqual([]);
    expect(decodeUtf8(new TextEncoder().encode('é'))).toEqual({ ok: true, value: 'é' });
    expect(formatProblem({ pointer: '/a', keyword: 'type', message: 'is wrong' })).toBe('/a: is wrong');
    expect(formatProblems([])).toBe('');
    expect(bearerTokenOf(undefined)).toBeUndefined();
    expect(isJsonMediaType(undefined)).toBe(false);
    expect(pointerSegment('')).toBe('');
    expect(graphErrorCode(429)).toBe('TooManyRequests');
    expect(pactFileName('a', 'b')).toBe('a-b.json');
  });

  it('refuses null, an array for an object and an object for an array, each shown by its kind', async () => {
    expect(() => formatProblem(untyped(null))).toThrow(new TypeError('problem must be a Problem, an object of pointer and message (got null)'));
    expect(() => formatProblem(untyped([]))).toThrow(new TypeError('problem must be a Problem, an object of pointer and message (got an array)'));
    expect(() => headerValues(untyped({ 'content-type': 'application/json' }), 'content-type')).toThrow(new TypeError('lines must be an array of header lines, such as headerLines(rawHeaders) (got an object)'));
    // A number that is no count: NaN is a number to typeof, and no depth.
    expect(() => parseJson('{}', Number.NaN)).toThrow(new TypeError('depthLimit must be a whole number of at least 1 (got NaN)'));
    expect(() => parseJson('{}', 0)).toThrow(new TypeError('depthLimit must be a whole number of at least 1 (got 0)'));
    expect(parseJson('[[1]]', 2)).toEqual({ ok: true, value: [[1]] });
    // A number array is no Uint8Array: bytes are bytes.
    expect(() => decodeUtf8(untyped([104, 105]))).toThrow(new TypeError('bytes must be a Uint8Array, such as a Buffer (got an array)'));
  });

  it("never shows a string argument's text: data from the wire may hold a credential", () => {
    const text = 'Authorization: Bearer s3cr3t-access-token-of-the-client';
    for (const run of [() => headerValues(untyped(text), 'authorization'), () => headerLines(untyped(text)), () => formatProblem(untyped(text))]) {
      const error = (() => {
        try {
          run();
        } catch (caught) {
          return caught as Error;
        }
        throw new Error('taken');
      })();
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/\(got a string\)$/);
      expect(error.message).not.toContain('s3cr3t');
    }
  });

  it('strengthenPact reads its file by the one pact reader: not JSON said with its line and column, a name given twice refused', () => {
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{"interactions": [}');
    expect(() => strengthenPact(notJson)).toThrow(new Error(`${notJson} is not JSON: line 1, column 19: unexpected character "}" where a value was expected`));
    const twice = join(dir, 'twice.json');
    writeFileSync(twice, '{"interactions": [], "interactions": []}');
    expect(() => strengthenPact(twice)).toThrow(/is not a pact the kit takes: \/interactions: is given twice/);
    const noList = join(dir, 'no-list.json');
    writeFileSync(noList, '{"interactions": {}}');
    expect(() => strengthenPact(noList)).toThrow(new Error(`${noList} is not a pact: it has no "interactions" list`));
    // Both ways: a pact that is JSON is strengthened as before.
    const copy = join(dir, 'strengthened.json');
    writeFileSync(copy, readFileSync(PACT));
    expect(strengthenPact(copy)).toBeGreaterThan(0);
  });

  // Outside check Y4 of round 17: a string or list as a factory's overrides spread its characters into the record as
  // keys "0", "1", ..., and a number was ignored; each is refused in the one rule's words, an object still merges.
  it("a factory's overrides and params: an object merges, a string, list or number is refused, never spread", () => {
    const said = (value: unknown) => `must be an object of property values (nested objects merge, arrays and other values replace, undefined removes a key) (got ${shownArgument(value)})`;
    for (const wrong of ['displayName', ['x'], 42]) {
      expect(() => createRequestFactory.withSeed(1).build(untyped(wrong))).toThrow(new TypeError(`overrides ${said(wrong)}`));
      expect(() => createRequestFactory.withSeed(1).params(untyped(wrong))).toThrow(new TypeError(`params ${said(wrong)}`));
      expect(() => mergeOverrides({ a: 1 }, untyped(wrong))).toThrow(TypeError);
      expect(() => mergeOverrides(untyped(wrong), {})).toThrow(new TypeError(`base must be a record, an object (got ${shownArgument(wrong)})`));
    }
    // Both ways: objects merge as before, and no key "0" is made.
    const built = createRequestFactory.withSeed(1).params({ displayName: 'Fleet' }).build({ locationName: 'HQ' });
    expect([built.displayName, built.locationName, Object.hasOwn(built, '0')]).toEqual(['Fleet', 'HQ', false]);
    expect(mergeOverrides({ a: 1, b: { c: 2 } }, { b: { d: 3 } } as never)).toEqual({ a: 1, b: { c: 2, d: 3 } });
  });

  it('fault options: a bare value or a misspelt name is refused, not taken as no fault', async () => {
    expect(() => checkFaultOptions(untyped({ failRat: 0.2 }))).toThrow(new TypeError('faults takes its options in an object { failRate, failWith, rateLimit, latency, seed, retryAfter }: "failRat" is not one of them'));
    const started = await refusedWith(() => startReferenceProvider({ port: 0, faults: untyped(42) }));
    expect(started).toBeInstanceOf(TypeError);
    expect(started.message).toBe('faults takes its options in an object { failRate, failWith, rateLimit, latency, seed, retryAfter } (got 42)');
    expect(() => checkFaultOptions({ failRate: 0.2, seed: 1 })).not.toThrow();
  });
});

// Outside finding R97 (decision 0804): a WHATWG URL object (new URL('/beta', provider.url)) was taken by the proxy and
// refused by verify, conform and seed as "--provider-base-url must be an http or https URL ... (got an object)".
describe('a URL object is taken by its href by every URL option of the library', () => {
  it('verify and conform say of a URL object what they say of its href (an unreachable provider), never "got an object"', async () => {
    const href = 'http://127.0.0.1:9/beta';
    // The provider reachable, so that verify gets as far as the set-up URL and the broker, each unreachable.
    const provider = await startReferenceProvider({ port: 0 });
    try {
      const states = (url: string | URL) => verifyProvider({ providerBaseUrl: `${provider.url}/beta`, providerStatesSetupUrl: url, pactFiles: [PACT], timeoutMs: 2000 });
      const broker = (url: string | URL) => verifyProvider({ providerBaseUrl: `${provider.url}/beta`, broker: { url }, timeoutMs: 2000 });
      for (const run of [(url: string | URL) => verifyProvider({ providerBaseUrl: url, timeoutMs: 2000 }), (url: string | URL) => conform({ providerBaseUrl: url, runs: 1, timeoutMs: 2000 }), states, broker]) {
        const asText = await refusedWith(() => run(href));
        const asUrl = await refusedWith(() => run(new URL(href)));
        expect(asUrl.message).toBe(asText.message);
        expect(asUrl.message).toContain('127.0.0.1:9');
        expect(asUrl.constructor).toBe(asText.constructor);
        expect(asUrl.message).not.toMatch(/got an object/);
      }
    } finally {
      await provider.close();
    }
    // Its checks hold for it as for the text: a query is refused, shown without it.
    expect((await refusedWith(() => conform({ providerBaseUrl: new URL('http://127.0.0.1:9/beta?key=secret-gateway-key') }))).message).toBe('--provider-base-url is a base URL without a query or fragment (got http://127.0.0.1:9/beta with one)');
  });

  it('seedVppTokens and runSeed create through a URL object; an object that is no URL is still refused', async () => {
    const provider = await startReferenceProvider({ port: 0 });
    try {
      const summary = await seedVppTokens({ target: new URL('/beta', provider.url), records: generatedSeedInputs({ count: 1, seed: 804 }), bearer: 'arguments-test-bearer', report: () => undefined });
      expect(summary.created).toBe(1);
      const run = await runSeed({ target: new URL(`${provider.url}/beta`), generate: { count: 1, seed: 805 }, bearer: 'arguments-test-bearer', report: join(dir, 'url-object-report.ndjson') });
      expect(run.created).toBe(1);
      expect(run.run.target).toBe(`${provider.url}/beta`);
    } finally {
      await provider.close();
    }
    const other = await refusedWith(() => seedVppTokens(untyped({ target: { href: 'http://127.0.0.1:9/beta' }, records: generatedSeedInputs({ count: 1 }), report: () => undefined })));
    expect(other.message).toBe('--target must be an http or https URL, such as http://127.0.0.1:8080/beta (got an object)');
  });
});

// Outside check Y3 of round 17 (decision 0891): 0800 asked each argument's kind, not the members a function reads of
// it: `createdVppToken(body, { id: 5 })` failed `Cannot read properties of undefined (reading 'getTime')`,
// `formatDrift({})` reading 'filter', `formatCompareResult({})` `result.pacts is not iterable`, and
// `readMetadata('nope.json')` rejected with Node's ENOENT. Each member is asked by the same rule before it is read.
describe('the members a function reads are asked by the one rule, before they are read (decision 0891)', () => {
  const body = createRequestFactory.withSeed(891).build();
  const now = new Date(Date.UTC(2026, 0, 1));

  it.each<[string, () => unknown, string]>([
    ['createdVppToken(body, { id: 5 })', () => createdVppToken(body, untyped({ id: 5 })), "id must be a string, the vppToken's id (got 5)"],
    ['createdVppToken(body, { id, no now })', () => createdVppToken(body, untyped({ id: 'x' })), "now must be a Date that holds a time, the server's clock (got undefined)"],
    ['createdVppToken(body, { now as text })', () => createdVppToken(body, untyped({ id: 'x', now: '2026-01-01T00:00:00Z' })), "now must be a Date that holds a time, the server's clock (got a string)"],
    ['createdVppToken(body, { now as milliseconds })', () => createdVppToken(body, untyped({ id: 'x', now: 1767225600000 })), "now must be a Date that holds a time, the server's clock (got 1767225600000)"],
    ['createdVppToken(body, { now: new Date(NaN) })', () => createdVppToken(body, { id: 'x', now: new Date(Number.NaN) }), "now must be a Date that holds a time, the server's clock (got an invalid Date)"],
    ['createdVppToken(body, { odataContext: 5 })', () => createdVppToken(body, untyped({ id: 'x', now, odataContext: 5 })), 'odataContext must be a string (got 5)'],
    ['createdVppToken(body, { duplicateLocation: "yes" })', () => createdVppToken(body, untyped({ id: 'x', now, duplicateLocation: 'yes' })), 'duplicateLocation must be true or false (got a string)'],
    ['createdVppToken(body, { profle: "v1.0" }), a misspelt name', () => createdVppToken(body, untyped({ id: 'x', now, profle: 'v1.0' })), 'createdVppToken takes its options in an object { id, now, odataContext, profile, duplicateLocation }: "profle" is not one of them'],
    ['pactFileOf({})', () => pactFileOf(untyped({})), "pact.opts must be pact-js's PactV4, whose opts name its consumer and provider (got undefined)"],
    ['pactFileOf({ opts: { dir: 5 } })', () => pactFileOf(untyped({ opts: { consumer: 'a', provider: 'b', dir: 5 } })), 'pact.opts.dir must be a folder, a string (got 5)'],
    ['exampleRequest({}, url)', () => exampleRequest(untyped({}), 'http://127.0.0.1:1'), 'spec.request must be an object of method, path, headers and body, such as createInteraction(description, request).request (got undefined)'],
    ['exampleRequest({ request: { path: 5 } }, url)', () => exampleRequest(untyped({ request: { method: 'POST', path: 5, headers: {} } }), 'http://127.0.0.1:1'), 'spec.request.path must be a string (got 5)'],
    ['formatDrift({})', () => formatDrift(untyped({})), "report.findings must be an array of drift's findings, such as (await drift(options)).findings (got undefined)"],
    ['formatDrift({ unexplained: a text })', () => formatDrift(untyped({ findings: [], unexplained: 'none' })), "report.unexplained must be an array of drift's findings, such as (await drift(options)).unexplained (got a string)"],
    ['formatDrift({ no metadata })', () => formatDrift(untyped({ findings: [], unexplained: [] })), 'report.metadata must be an object of file and format (got undefined)'],
    ['failureLines({})', () => failureLines(untyped({})), "result.interactions must be an array of verify's interactions, such as verifyProvider's result.interactions (got undefined)"],
    ['failureLines({ passed: "no" })', () => failureLines(untyped({ interactions: [], failures: [], passed: 'no', summary: '' })), 'result.passed must be true or false (got a string)'],
    ['formatCompareResult({})', () => formatCompareResult(untyped({})), "result.pacts must be an array of compare's pacts, such as (await comparePacts(files)).pacts (got undefined)"],
    // The neighbours: the other functions handed a result of the kit's back, each with `{}`.
    ['formatConformResult({})', () => formatConformResult(untyped({})), "result.checks must be an array of conform's checks, such as (await conform(options)).checks (got undefined)"],
    ['conformJUnit({ checks: [] })', () => conformJUnit(untyped({ checks: [] })), "result.findings must be an array of conform's findings (got undefined)"],
    ['proxyReport({})', () => proxyReport(untyped({})), "proxy.exchanges must be an array of the proxy's exchanges (got undefined)"],
    ['proxyJunit({})', () => proxyJunit(untyped({})), 'report.requests must be an object of the counts of requests, such as proxyReport(proxy).requests (got undefined)'],
    ['runDifference({}, {})', () => runDifference(untyped({}), untyped({})), "report.source must be an object of from or generate, such as readSeedReport's run.source (got undefined)"],
    ['compareWithMetadata({})', () => compareWithMetadata(untyped({})), "model must be Graph's metadata as read, such as (await readMetadata(file)).model, whose types and enums are Maps (got types of undefined)"],
    ['pactFileProblem({}, names)', () => pactFileProblem(untyped({}), { consumer: 'consumer', provider: 'provider' }), 'names.consumer must be a string (got undefined)'],
  ])('%s: a TypeError naming the member', async (_name, run, message) => {
    const error = await refusedWith(run);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(message);
    expect(error.message).not.toMatch(INTERNAL);
  });

  it('a profile member of the wrong value is said as every profile is; a wrong member never shows its text', async () => {
    expect(() => createdVppToken(body, untyped({ id: 'x', now, profile: 'v2' }))).toThrow(new RangeError('profile must be one of beta, v1.0 (got "v2")'));
    const error = await refusedWith(() => createdVppToken(body, untyped({ id: `Bearer ${JWT}`, now: `Bearer ${JWT}` })));
    expect(error.message).not.toContain(JWT.slice(0, 12));
  });

  it('both ways: what they read whole is taken and answered as before', () => {
    const context = 'https://graph.microsoft.com/v1.0/$metadata#deviceAppManagement/vppTokens/$entity';
    const created = createdVppToken(body, { id: 'x', now, odataContext: context, profile: 'v1.0', duplicateLocation: false });
    expect([created.id, created.lastModifiedDateTime, created['@odata.context' as keyof typeof created]]).toEqual(['x', '2026-01-01T00:00:00.000Z', context]);
    expect(pactFileOf(untyped({ opts: { consumer: 'a', provider: 'b' } }))).toBe(join('pacts', 'a-b.json'));
    const spec = createInteraction('a create', body);
    expect(exampleRequest(spec, 'http://127.0.0.1:1').url).toBe(`http://127.0.0.1:1${spec.request.path}`);
    expect(formatDrift(untyped({ profile: 'beta', metadata: { file: 'm.xml', format: 'csdl' }, findings: [], unexplained: [], passed: true }))).toBe("vppkit drift: the kit's beta schemas against m.xml (CSDL): no drift, 0 explained");
    expect(failureLines(untyped({ interactions: [], failures: [], passed: true, summary: 'all passed' }))).toEqual([]);
    expect(failureLines(untyped({ interactions: [], failures: [], passed: false, summary: 'no pact' }))).toEqual(['no pact']);
    expect(formatCompareResult(untyped({ pacts: [], summary: 'nothing to compare' }))).toBe('nothing to compare');
  });

  it("a metadata file that cannot be read is said in the one table's words, a MetadataError, never Node's ENOENT", async () => {
    const nope = join(dir, 'nope.json');
    for (const run of [() => readMetadata(nope), () => metadataFormat(nope), () => drift({ metadata: nope })]) {
      const error = await refusedWith(run);
      expect(error).toBeInstanceOf(MetadataError);
      expect(error.message).toBe(`cannot read ${nope}: no such file or folder (ENOENT)`);
    }
    // A folder keeps its own words (a MetadataError too).
    expect((await refusedWith(() => readMetadata(dir))).message).toBe(`${dir} is a folder: give the metadata file itself`);
    // Both ways: a metadata file that is there is read.
    const read = await readMetadata(join(__dirname, 'drift', 'metadata', 'beta-vppToken.csdl.xml'));
    expect([read.format, read.model.types.has('vppToken')]).toEqual(['csdl', true]);
  });
});

// Decision 0891: every member of every options object the package's functions take has its row here, a value of the
// wrong kind refused in the kit's words before anything runs (never Node's or JavaScript's, never taken without a
// word). The list of members is read from docs/public-api.txt, which the API report writes from the types (a
// parameter named `options`, of a type named `...Options`, or of an object type written in place): a member added to
// a type fails tests/packaging/public-api.test.ts until the report is rewritten, then this test until it has a row.
describe("every options object's every member: a value of the wrong kind is refused in the kit's words (decision 0891)", () => {
  const body = createRequestFactory.withSeed(8910).build();
  const nowDate = new Date(Date.UTC(2026, 0, 1));
  const target = 'http://127.0.0.1:9/beta';
  const nowhere = join(dir, 'no-such-file.json');
  const lines = () => Readable.from(['{}\n']);
  /** A member whose refusal keeps the CLI's words for it (`the body limit ...`), which name it otherwise. */
  const SAID = Symbol('said');
  const said = (value: unknown, needle: RegExp) => ({ [SAID]: needle, value });
  type Row = { call: (value: Record<string, unknown>) => unknown; base?: Record<string, unknown>; wrong: Record<string, unknown> };
  const VERIFY_WRONG = { bearer: 42, broker: 42, clock: 42, headers: 42, interaction: 42, logLevel: 42, maxThrottleWaitMs: said('5', /^the longest throttling wait /), pactFiles: 'x', profile: 42, provider: 42, providerBaseUrl: 42, providerStatesSetupUrl: 42, publicHosts: 'x', requestFilter: 42, stateHandlers: 42, timeoutMs: '5', tls: 42, totalTimeoutMs: '5' };
  /** `function parameter` -> how it is called, what is whole, and a value of the wrong kind for each member. */
  const MEMBERS: Record<string, Row> = {
    'checkCreateRequest options': { call: (o) => checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, 'beta', untyped(o)), wrong: { clientTokens: 'x', headerCredentials: 'yes', readOnly: 'yes', requireSTokens: 'yes' } },
    'createdVppToken options': { call: (o) => createdVppToken(body, untyped(o)), base: { id: 'x', now: nowDate }, wrong: { duplicateLocation: 'yes', id: 5, now: 'x', odataContext: 5, profile: 42 } },
    'generateText options': { call: (o) => generateText(untyped(o)), base: { count: 1 }, wrong: { count: '1', format: 42, kind: 42, offset: '1', profile: 42, seed: '1', traits: 'full' } },
    'writeGenerated options': { call: (o) => writeGenerated(untyped(o), new PassThrough()), base: { count: 1 }, wrong: { count: '1', format: 42, kind: 42, offset: '1', profile: 42, seed: '1', traits: 'full' } },
    'judgeClientBehaviour given': { call: (o) => judgeClientBehaviour([], untyped(o)), wrong: { clientSucceeded: 'yes', concurrency: '2', maxAttempts: '2', profile: 42 } },
    'problemMessage show': { call: (o) => problemMessage(untyped({ pointer: '/a', keyword: 'enum', message: 'must be one of a, b', got: 'c', allowed: ['a', 'b'] }), untyped(o)), wrong: { allowed: 42, got: 'yes' } },
    'readMessage options': { call: (o) => readMessage({ headers: { 'content-type': 'application/json' }, bytes: Buffer.from('{}') }, untyped(o)), wrong: { maxDecodedBytes: '1000' } },
    'readRecords options': { call: (o) => readRecords(lines(), 'ndjson', untyped(o)).next(), wrong: { maxRecordBytes: '1000' } },
    'validateRecords options': { call: (o) => validateRecords('request', readRecords(lines()), () => undefined, 'beta', untyped(o)), wrong: { dataSet: 42, schemaTokens: 'yes' } },
    'createInteraction options': { call: (o) => createInteraction('a create', body, untyped(o)), wrong: { profile: 42, providerState: 42 } },
    'pactFileProblem names': { call: (o) => pactFileProblem(untyped(o), { consumer: 'a', provider: 'b' }), base: { consumer: 'a', provider: 'b' }, wrong: { consumer: 42, provider: 42 } },
    'pactFileProblem options': { call: (o) => pactFileProblem({ consumer: 'a', provider: 'b' }, untyped(o)), base: { consumer: 'a', provider: 'b' }, wrong: { consumer: 42, provider: 42 } },
    'rejectedCreateInteraction options': { call: (o) => rejectedCreateInteraction('a refusal', body, untyped(o)), base: { status: 400 }, wrong: { authenticated: 'yes', profile: 42, providerState: 42, status: '400' } },
    'writePact options': { call: (o) => writePact([], untyped(o)), base: { consumer: 'a', dir }, wrong: { consumer: 42, dir: 42, provider: 42, send: 42 } },
    'checkClient options': { call: (o) => checkClient(untyped(o)), base: { command: process.execPath, args: ['-e', '0'], timeoutMs: 5000 }, wrong: { args: 'x', command: 42, concurrency: '2', consumer: 42, env: 42, faults: 42, killGraceMs: '5', maxAttempts: '2', output: 42, pactDir: 42, profile: 42, provider: 42, schemaTokens: 'yes', signal: 42, stdio: 42, timeoutMs: '5' } },
    'checkFaultOptions options': { call: (o) => checkFaultOptions(untyped(o)), base: { failRate: 0.5 }, wrong: { failRate: '0.5', failWith: 500, latency: '5', rateLimit: 42, retryAfter: '1', seed: '1' } },
    'checkVerifyOptions options': { call: (o) => checkVerifyOptions(untyped(o), []), base: { providerBaseUrl: target }, wrong: VERIFY_WRONG },
    'graphError options': { call: (o) => graphError('BadRequest', 'a message', untyped(o)), wrong: { clientRequestId: 42, problems: 42, requestId: 42 } },
    'startForwarder options': { call: (o) => startForwarder(new URL(target), untyped(o)), base: { timeoutMs: 1000 }, wrong: { onExchange: 42, pactData: 42, secrets: 42, throttle: 42, timeoutMs: '5', tls: 42 } },
    'startReferenceProvider options': { call: (o) => startReferenceProvider(untyped(o)), base: { port: 0 }, wrong: { bodyLimit: '1000', clock: 42, faults: 42, host: 42, log: 42, maxStoredBytes: '1000', maxTokens: '10', onRequest: 42, port: '0', profile: 42, recordTraffic: 'yes', requireSTokens: 'yes' } },
    'verifyInWorker options': { call: (o) => verifyInWorker(untyped(o), { report: new PassThrough() }), base: { providerBaseUrl: target, pactFiles: [nowhere] }, wrong: VERIFY_WRONG },
    'verifyInWorker worker': { call: (o) => verifyInWorker({ providerBaseUrl: target, pactFiles: [nowhere] }, untyped(o)), base: { report: new PassThrough() }, wrong: { colour: 'yes', env: 42, graceMs: '5', report: 42, signal: 42, warnings: 42 } },
    'verifyProvider options': { call: (o) => verifyProvider(untyped(o)), base: { providerBaseUrl: target, pactFiles: [nowhere] }, wrong: VERIFY_WRONG },
    'fileSeedInputs options': { call: (o) => fileSeedInputs(lines(), 'ndjson', 'beta', untyped(o)).next(), wrong: { schemaTokens: 'yes' } },
    'generatedSeedInputs options': { call: (o) => generatedSeedInputs(untyped(o)).next(), base: { count: 1 }, wrong: { count: '1', offset: '1', profile: 42, seed: '1', signal: 42, traits: 'full' } },
    'openReport mode': { call: (o) => openReport(join(dir, 'open-report.ndjson'), { source: { from: 'records.ndjson', sha256: 'a' }, target, profile: 'beta' }, untyped(o)), wrong: { force: 'yes', resume: 'yes' } },
    'runSeed options': { call: (o) => runSeed(untyped(o)), base: { target, generate: { count: 1 }, report: join(dir, 'run-seed.ndjson'), force: true, maxAttempts: 1 }, wrong: { abandon: 42, bearer: 42, concurrency: '2', force: 'yes', format: 42, from: 42, generate: 42, headers: 42, maxAttempts: '2', maxConsecutiveFailures: '2', maxRetryAfterMs: '5', onNoWriter: 42, onProgress: 42, onStart: 42, profile: 42, report: 42, resume: 'yes', retryUnknown: 'yes', schemaTokens: 'yes', signal: 42, stdin: 42, target: 42, timeoutMs: '5', trust: 42 } },
    'seedVppTokens options': { call: (o) => seedVppTokens(untyped(o)), base: { target, records: generatedSeedInputs({ count: 0 }), report: () => undefined, maxAttempts: 1 }, wrong: { abandon: 42, baseDelayMs: '5', bearer: 42, concurrency: '2', headers: 42, maxAttempts: '2', maxConsecutiveFailures: '2', maxDelayMs: '5', maxRetryAfterMs: '5', onProgress: 42, onSending: 42, previous: 42, records: 42, report: 42, retryUnknown: 'yes', signal: 42, target: 42, timeoutMs: '5', trust: 42 } },
    'conform options': { call: (o) => conform(untyped(o)), base: { providerBaseUrl: target, runs: 1, timeoutMs: 500 }, wrong: { bearer: 42, bodyLimit: said('1000', /^the body limit /), checks: 'x', clock: 42, concurrency: '2', excludeChecks: 'x', headers: 42, maxFindings: '2', maxRequests: '2', maxThrottleWaitMs: said('5', /^the longest throttling wait /), profile: 42, providerBaseUrl: 42, publicHosts: 'x', replay: 42, requireReadBack: 'yes', runs: '1', schemaTokens: 'yes', seed: '1', signal: 42, timeBudgetMs: said('5', /^the time budget \(--time-budget\) /), timeoutMs: '5', trust: 42 } },
    'readConformReportInput options': { call: (o) => readConformReportInput(nowhere, untyped(o)), wrong: { onNoWriter: 42, signal: 42 } },
    'comparePacts options': { call: (o) => comparePacts([nowhere], untyped(o)), wrong: { comparator: 'yes', now: 'x', onNoWriter: 42, profile: 42, schemaTokens: 'yes', signal: 42 } },
    'drift options': { call: (o) => drift(untyped(o)), base: { metadata: nowhere }, wrong: { known: 42, metadata: 42, profile: 42 } },
    'harOf creator': { call: (o) => harOf([], untyped(o)), base: { name: 'a', version: '1' }, wrong: { name: 42, version: 42 } },
    'judgeProxiedBehaviour options': { call: (o) => judgeProxiedBehaviour([], untyped(o)), wrong: { clientSucceeded: 'yes', concurrency: '2', maxAttempts: '2', profile: 42 } },
    'proxyJunit options': { call: (o) => proxyJunit(proxyReport({ exchanges: [], violations: [] } as never), untyped(o)), wrong: { noPact: 42 } },
    'recordPact options': { call: (o) => recordPact([], join(dir, 'recorded.json'), untyped(o)), wrong: { consumer: 42, profile: 42, provider: 42 } },
    'startJudgingProxy options': { call: (o) => startJudgingProxy(untyped(o)), base: { target, port: 0, checkTarget: false }, wrong: { bodyLimit: '1000', checkTarget: 'yes', clock: 42, faults: 42, host: 42, keepBodies: 'yes', log: 42, onViolation: 42, port: '0', profile: 42, publicHosts: 'x', strict: 'yes', target: 42, timeoutMs: '5', tls: 42 } },
  };

  const REPORTED = new Map<string, string[]>();
  {
    let fn = '';
    for (const line of readFileSync(join(__dirname, '..', 'docs', 'public-api.txt'), 'utf8').split('\n')) {
      const declared = /^\w+ (\w+)$/.exec(line);
      if (declared) fn = declared[1];
      const options = /^ {2}(\w+): (.+)$/.exec(line);
      if (options) REPORTED.set(`${fn} ${options[1]}`, options[2].split(', '));
    }
  }

  it("the table has a row for each member of each options object the API report lists, and only them", () => {
    expect(REPORTED.size).toBeGreaterThan(30);
    expect(Object.fromEntries(Object.entries(MEMBERS).map(([key, row]) => [key, Object.keys(row.wrong).sort()]))).toEqual(Object.fromEntries([...REPORTED].map(([key, names]) => [key, [...names].sort()])));
  });

  // A misspelt name (`{ profle: 'v1.0' }`) is refused as the CLI refuses an unknown option: taken, the default
  // would be in force without a word (0408's rule, asked of every options object here).
  it.each(Object.entries(MEMBERS))('%s: a misspelt name is refused, named', async (_key, row) => {
    const error = await refusedWith(async () => {
      const result = (await row.call({ ...row.base, profle: 'v1.0' })) as { close?: () => Promise<void> } | undefined;
      await result?.close?.();
    });
    expect(error.message).not.toMatch(INTERNAL);
    expect(error.message).toMatch(/: "profle" is not one of them$/);
  });

  // Both ways: each row's whole call is not refused for a member (it runs, or fails later for its own reason: the
  // pact or metadata file that is not there, the provider at port 9 that does not answer). checkClient's would start
  // a client process: its whole options are tested in tests/client-check.
  it.each(Object.entries(MEMBERS).filter(([key]) => !key.startsWith('checkClient ')))('%s: the whole call is taken', async (_key, row) => {
    let said = '';
    try {
      const result = (await row.call({ ...row.base })) as { close?: () => Promise<void>; next?: unknown } | undefined;
      await result?.close?.();
    } catch (error) {
      said = (error as Error).message;
    }
    expect(said).not.toMatch(/ must be .*\(got [^)]*\)$|is not one of them$/);
  });

  it('at the bounds and of the right kind: NaN, Infinity and -1 refused as numbers, a signal, a stream, a Date and traits taken', async () => {
    expect((await refusedWith(() => generatedSeedInputs({ count: 1, offset: Number.NaN }).next())).message).toBe('offset must be a whole number from 0 to 4294967295 (got NaN)');
    expect((await refusedWith(() => readMessage({ headers: {}, bytes: Buffer.from('') }, { maxDecodedBytes: -1 }))).message).toBe('maxDecodedBytes must be a whole number of at least 0 (got -1)');
    expect((await refusedWith(() => startForwarder(new URL(target), { timeoutMs: Number.POSITIVE_INFINITY }))).message).toBe('timeoutMs must be a number of milliseconds above 0 and at most 2147483647 (got Infinity)');
    expect((await refusedWith(() => verifyInWorker({ providerBaseUrl: target, pactFiles: [nowhere] }, { report: new PassThrough(), graceMs: -1 }))).message).toBe('graceMs must be a number of milliseconds from 0 and at most 2147483647 (got -1)');
    // An object that only looks like a signal, and an invalid Date, are refused by their kinds.
    expect((await refusedWith(() => comparePacts([PACT], untyped({ signal: { aborted: false } })))).message).toBe('signal must be an AbortSignal, such as AbortSignal.timeout(ms) (got an object)');
    expect((await refusedWith(() => comparePacts([PACT], { now: new Date(Number.NaN) }))).message).toBe('now must be a Date that holds a time (got an invalid Date)');
    // Taken: each kind's own values.
    const records = generatedSeedInputs({ count: 1, offset: 5, seed: 7, traits: ['full'], signal: new AbortController().signal });
    expect((await records.next()).value).toMatchObject({ index: 5 });
    expect((await comparePacts([PACT], { comparator: false, now: nowDate, signal: new AbortController().signal })).passed).toBe(true);
    const proxy = await startJudgingProxy({ target, port: 0, checkTarget: false, strict: true, keepBodies: false, log: () => undefined, publicHosts: ['graph.example.com'] });
    await proxy.close();
  });

  const cases = Object.entries(MEMBERS).flatMap(([key, row]) => Object.entries(row.wrong).map(([member, value]) => [`${key}.${member}`, row, member, value] as const));
  it.each(cases)('%s', async (_name, row, member, given) => {
    const needle = (given as { [SAID]?: RegExp } | null)?.[SAID];
    const value = needle ? (given as { value: unknown }).value : given;
    const error = await refusedWith(async () => {
      const result = (await row.call({ ...row.base, [member]: value })) as { close?: () => Promise<void> } | undefined;
      await result?.close?.();
    });
    expect(error.message).not.toMatch(INTERNAL);
    // Named as the option is (`timeoutMs`, or the CLI's `--max-requests` where the library speaks the CLI's words),
    // and ending with the value as the one rule shows it.
    expect(error.message).toMatch(needle ?? new RegExp(`(^|: |\\.)${member} |--${member.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`));
    expect(error.message.endsWith(`(got ${shownOption(value)})`) || error.message.endsWith(`(got ${shownArgument(value)})`) ? 'shown' : error.message).toBe('shown');
  });
});

// Decision 1041 (0891's leftover): a positional object argument that is no options object (a request or answer as
// observed, a message as read, a result of the kit's handed back, pact-js's PactV4) was asked only where a finding had
// found one: `credentialEchoProblems({}, ...)` failed reading 'forEach', `trafficEntryOf({})` with `Invalid URL`,
// `addInteraction({}, spec)` with `pact.addInteraction is not a function`, `readPactFile(file, {})` with `text.replace
// is not a function`, and `formatProblem({})`, `problemMessage({})`, `isCreate({})`, `conformJson({})` answered
// "(root): undefined", undefined, false and a report of nothing. The API report lists each such argument under its
// function (`  object arguments: ...`, scripts/api-report.ts), and this table fails until each has its row: `{}` in
// its place (the others whole) is refused in the kit's words naming the member it lacks, or is a whole value there,
// said why, and taken.
describe("every positional object argument: `{}` in its place is refused naming what it lacks, or taken where it is whole (decision 1041)", () => {
  const body = createRequestFactory.withSeed(1041).build();
  const request = { method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', 'Bearer r19-b-access-token-0123456789'], body: JSON.stringify(body) };
  const created = createdVppToken(body, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date(Date.UTC(2026, 0, 1)) });
  const answer = { status: 201, headers: {}, rawHeaders: ['Content-Type', 'application/json'], body: JSON.stringify(created) };
  const read = readMessage({ headers: request.rawHeaders, bytes: Buffer.from(request.body) });
  // Enough of a PactV4 to reach the next argument's check (a real one is a consumer test's: tests/contract).
  const pactLike = untyped<never>({ addInteraction: () => undefined, opts: { consumer: 'a', provider: 'b' } });
  const spec = createInteraction('a create', body);
  /** `{}` is a whole value there: every member is optional, or it is data a judgement judges (said why). */
  type Taken = { taken: string };
  const TAKEN = (why: string): Taken => ({ taken: why });
  const DATA = TAKEN('data the judgement judges, not an argument of the kit');
  const OBJECTS: Record<string, [() => unknown, string | Taken | { invalid: string }]> = {
    'checkCreateRequest request': [() => checkCreateRequest(untyped({}), 'beta'), 'request.method must be a string (got undefined)'],
    'checkCreateRequest given': [() => checkCreateRequest(request, 'beta', {}, untyped({})), 'given.lines must be an array of header lines, such as readMessage(message).lines (got undefined)'],
    'createdVppToken request': [() => createdVppToken(untyped({}), { id: 'x', now: new Date() }), DATA],
    'credentialEchoProblems read': [() => credentialEchoProblems(untyped({}), {}, true), 'read.lines must be an array of header lines, such as readMessage(message).lines (got undefined)'],
    'credentialEchoProblems context': [() => credentialEchoProblems(read, {}, true), TAKEN('an AnswerContext whose every member is optional')],
    'formatProblem problem': [() => formatProblem(untyped({})), 'problem.message must be a string (got undefined)'],
    'headerLines source': [() => headerLines({}), TAKEN('an object of names and values that holds none')],
    'isCreate entry': [() => isCreate(untyped({})), 'entry.method must be a string (got undefined)'],
    'judgeCreatedAnswer sent': [() => judgeCreatedAnswer(untyped({}), answer), DATA],
    'judgeCreatedAnswer answer': [() => judgeCreatedAnswer(body, untyped({})), 'answer.status must be a number, the status (got undefined)'],
    'judgeCreatedAnswer context': [() => judgeCreatedAnswer(body, answer, 'beta', {}), TAKEN('an AnswerContext whose every member is optional')],
    'judgeReadBack sent': [() => judgeReadBack(untyped({}), untyped(created), created), DATA],
    'judgeRejectedAnswer answer': [() => judgeRejectedAnswer([400], untyped({})), 'answer.status must be a number, the status (got undefined)'],
    'judgeRejectedAnswer context': [() => judgeRejectedAnswer([400], answer, {}), TAKEN('an AnswerContext whose every member is optional')],
    'problemMessage p': [() => problemMessage(untyped({})), 'p.message must be a string (got undefined)'],
    'readAnswer answer': [() => readAnswer(untyped({})), 'answer.status must be a number, the status (got undefined)'],
    'readMessage message': [() => readMessage(untyped({})), 'headers must be '],
    'readRecords input': [() => readRecords(untyped({})).next(), 'input must be a readable stream'],
    'timestampProblems context': [() => timestampProblems(created, {}), TAKEN('an AnswerContext whose every member is optional')],
    'validateRecords records': [() => validateRecords('request', untyped({}), () => undefined), 'records must be an async iterable of records'],
    'valuesBackProblems sent': [() => valuesBackProblems(untyped({}), created), DATA],
    'valuesThatComeBack sent': [() => valuesThatComeBack(untyped({})), DATA],
    'writeGenerated signal': [() => writeGenerated({ count: 1 }, new PassThrough(), untyped({})), 'signal must be an AbortSignal, such as AbortSignal.timeout(ms) (got an object)'],
    'addInteraction pact': [() => addInteraction(untyped({}), spec), "pact.addInteraction must be a function: pact must be pact-js's PactV4, such as new PactV4({ consumer, provider }) (got undefined)"],
    'addInteraction spec': [() => addInteraction(pactLike, untyped({})), 'spec.request must be an object of method, path, headers and body, such as createInteraction(description, request).request (got undefined)'],
    'createdExpectation request': [() => createdExpectation(untyped({})), DATA],
    'createdResponseBody request': [() => createdResponseBody(untyped({})), DATA],
    'createInteraction request': [() => createInteraction('a create', untyped({})), { invalid: 'invalid request' }],
    'exampleRequest spec': [() => exampleRequest(untyped({}), 'http://127.0.0.1:1'), 'spec.request must be an object of method, path, headers and body'],
    'mockServerMatchedCheck pact': [() => mockServerMatchedCheck(untyped({})), "pact.addInteraction must be a function: pact must be pact-js's PactV4"],
    'pactFileOf pact': [() => pactFileOf(untyped({})), "pact.opts must be pact-js's PactV4, whose opts name its consumer and provider (got undefined)"],
    'settleMockServer pact': [() => settleMockServer(untyped({}), untyped({ port: 9 })), "pact.addInteraction must be a function: pact must be pact-js's PactV4"],
    'settleMockServer mockServer': [() => settleMockServer(pactLike, untyped({})), "mockServer.port must be the port of the mock server Pact's executeTest gives (got undefined)"],
    'failureLines result': [() => failureLines(untyped({})), "result.interactions must be an array of verify's interactions"],
    'startForwarder target': [() => startForwarder(untyped({}), { timeoutMs: 1000 }), "target must be a URL object, the provider's base URL, such as new URL(providerBaseUrl) (got an object)"],
    'createProgress stream': [() => createProgress(untyped({}), 1), 'stream.write must be a function: stream must be a writable stream, such as process.stderr (got undefined)'],
    'fileSeedInputs input': [() => fileSeedInputs(untyped({}), 'ndjson', 'beta').next(), 'input must be a readable stream'],
    'openReport run': [() => openReport(join(dir, 'object-arguments.ndjson'), untyped({})), "run.source must be an object of from or generate, such as readSeedReport's run.source (got undefined)"],
    'readSeedReport input': [() => readSeedReport(untyped({})), 'input must be a readable stream'],
    'runDifference report': [() => runDifference(untyped({}), untyped({})), "report.source must be an object of from or generate, such as readSeedReport's run.source (got undefined)"],
    'runDifference now': [() => runDifference({ source: { from: 'a', sha256: 'b' }, target: 'http://h' }, untyped({})), "now.source must be an object of from or generate, such as readSeedReport's run.source (got undefined)"],
    'spoolToFile input': [() => spoolToFile(untyped({})), 'input must be a readable stream'],
    'conformJson result': [() => conformJson(untyped({})), "result.checks must be an array of conform's checks, such as (await conform(options)).checks (got undefined)"],
    'conformJUnit result': [() => conformJUnit(untyped({})), "result.checks must be an array of conform's checks"],
    'formatConformResult result': [() => formatConformResult(untyped({})), "result.checks must be an array of conform's checks"],
    'formatCompareResult result': [() => formatCompareResult(untyped({})), "result.pacts must be an array of compare's pacts"],
    'compareWithMetadata model': [() => compareWithMetadata(untyped({})), "model must be Graph's metadata as read"],
    'formatDrift report': [() => formatDrift(untyped({})), "report.findings must be an array of drift's findings"],
    'proxyJunit report': [() => proxyJunit(untyped({})), 'report.requests must be an object of the counts of requests'],
    'proxyReport proxy': [() => proxyReport(untyped({})), "proxy.exchanges must be an array of the proxy's exchanges (got undefined)"],
    'proxyReport judged': [() => proxyReport({ exchanges: [], violations: [] } as never, untyped({})), "judged.checks must be an array of the behaviour's checks: judged must be judgeProxiedBehaviour's verdict, or the NothingToJudgeError it threw (got undefined)"],
    'trafficEntriesOf exchange': [() => trafficEntriesOf(untyped({})), "exchange.targetUrl must be the URL it was forwarded to, a string: exchange must be one of the proxy's exchanges, such as proxy.exchanges[0] (got undefined)"],
    'formatAnswerProblem p': [() => formatAnswerProblem(untyped({})), 'p.check must be a string (got undefined)'],
    'formatRequestProblem p': [() => formatRequestProblem(untyped({})), 'p.where must be a string (got undefined)'],
    'formatViolation v': [() => formatViolation(untyped({})), 'v.check must be a string (got undefined)'],
    'trafficEntryOf exchange': [() => trafficEntryOf(untyped({})), "exchange.targetUrl must be the URL it was forwarded to, a string: exchange must be one of the proxy's exchanges, such as proxy.exchanges[0] (got undefined)"],
  };

  const REPORTED = new Set<string>();
  {
    let fn = '';
    for (const line of readFileSync(join(__dirname, '..', 'docs', 'public-api.txt'), 'utf8').split('\n')) {
      const declared = /^\w+ (\w+)$/.exec(line);
      if (declared) fn = declared[1];
      const objects = /^ {2}object arguments: (.+)$/.exec(line);
      if (objects) for (const name of objects[1].split(', ')) REPORTED.add(`${fn} ${name}`);
    }
  }

  it('the table has a row for each positional object argument the API report lists, and only them', () => {
    expect(REPORTED.size).toBeGreaterThan(40);
    expect(Object.keys(OBJECTS).sort()).toEqual([...REPORTED].sort());
  });

  it.each(Object.entries(OBJECTS).filter(([, [, said]]) => typeof said === 'string'))('%s: `{}` is refused in the kit\'s words, naming what it lacks', async (_key, [run, said]) => {
    const error = await refusedWith(run);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).not.toMatch(INTERNAL);
    expect(error.message).not.toMatch(/Invalid URL|The "[\w.]+" (argument|property)|no longer exposes/);
    expect(error.message.startsWith(said as string) ? said : error.message).toBe(said);
  });

  it.each(Object.entries(OBJECTS).filter(([, [, said]]) => typeof said === 'object'))('%s: `{}` is taken there, or judged as data', async (_key, [run, said]) => {
    if ('invalid' in (said as object)) {
      const error = await refusedWith(run);
      expect([error.name, error.message.startsWith((said as { invalid: string }).invalid)]).toEqual(['SchemaValidationError', true]);
    } else {
      await run();
    }
  });

  it('both ways: the whole arguments are taken and answered as before', async () => {
    expect(checkCreateRequest(request, 'beta', {}, read)).toEqual([]);
    expect(credentialEchoProblems(readAnswer(answer), { authorization: 'Bearer r19-b-access-token-0123456789' }, true)).toEqual([]);
    expect([formatProblem({ pointer: '', message: 'is wrong', keyword: 'x' }), formatProblem(untyped({ message: 'is wrong' }))]).toEqual(['(root): is wrong', '(root): is wrong']);
    expect(problemMessage({ message: 'must be one of a, b (got "c")', got: '"c"', allowed: ['a', 'b'] }, { got: false })).toBe('must be one of a, b');
    expect([isCreate({ method: 'POST', path: '/beta/deviceAppManagement/vppTokens' }), isCreate({ method: 'GET', path: '/beta/deviceAppManagement/vppTokens' })]).toEqual([true, false]);
    expect(readAnswer({ status: 201, headers: [['Content-Type', 'application/json']], body: '{}' } as never).json?.value).toEqual({});
    expect(checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: [['Content-Type', 'application/json'], ['Authorization', 'Bearer r19-b-access-token-0123456789']], body: JSON.stringify(body) } as never, 'beta')).toEqual([]);
    expect(readPactFile(PACT, readFileSync(PACT, 'utf8')).interactions.length).toBeGreaterThan(0);
    const written: string[] = [];
    createProgress({ write: (text: string) => written.push(text) }, 1).done?.();
    const result = { checks: [], findings: [], passed: true };
    expect(JSON.parse(conformJson(untyped(result)))).toMatchObject({ command: 'conform', exitCode: 0, passed: true });
    expect(conformJson(untyped({ checks: [], findings: [] }), 2)).toContain('"exitCode": 2');
    expect(proxyReport({ exchanges: [], violations: [] } as never, untyped({ checks: [], passed: true })).passed).toBe(false);
    const forwarder = await startForwarder(new URL('http://127.0.0.1:9/beta'), { timeoutMs: 1000 });
    await forwarder.close();
    await writeGenerated({ count: 1 }, new PassThrough(), new AbortController().signal);
    expect(runDifference({ source: { from: 'a', sha256: 'b' }, target: 'http://h' }, { source: { from: 'a', sha256: 'b' }, target: 'http://h', profile: 'beta' })).toBe('profile: report (none), this run beta');
    const finding = { check: 'status', part: 'status', where: 'status', message: 'must be 201 (got 200)' } as const;
    expect([formatAnswerProblem(finding), formatRequestProblem({ part: 'header', where: 'header Authorization', message: 'is required' } as never)]).toEqual(['status: must be 201 (got 200)', 'header Authorization: is required']);
    expect(formatViolation({ ...finding, side: 'provider', request: 3, method: 'POST', path: '/beta/deviceAppManagement/vppTokens', batchId: '1' })).toBe('request 3 ($batch id "1"): provider: status: must be 201 (got 200)');
  });

  // The neighbours: an array of them, each element asked by the same helper before it is read.
  it('an element of an array argument is asked as the argument alone is', async () => {
    const said = async (run: () => unknown) => (await refusedWith(run)).message;
    expect(await said(() => writePact(untyped([spec, {}]), { consumer: 'a', dir }))).toBe('specs[1].request must be an object of method, path, headers and body, such as createInteraction(description, request).request (got undefined)');
    expect(await said(() => formatProblems(untyped([{}])))).toBe('problem.message must be a string (got undefined)');
    expect(await said(() => judgeClientBehaviour(untyped([{}])))).toBe('entry.method must be a string (got undefined)');
    expect(await said(() => proxyReport(untyped({ exchanges: [], violations: [{}] })))).toBe('v.check must be a string (got undefined)');
  });

  it('readPactFile refuses a text that is no string, naming it, before reading it', async () => {
    const error = await refusedWith(() => readPactFile(PACT, untyped({})));
    expect([error.constructor.name, error.message]).toEqual(['TypeError', "text must be the pact file's text, a string (or left out: the file is read) (got an object)"]);
  });
});

describe('sTokenProblem and sTokenExpiredAt ask their arguments by the one rule (decisions 0960, 0961)', () => {
  const token = createRequestFactory.withSeed(7).build().token;
  const expires = sTokenExpiry(readAppleSToken(token)!.expDate)!;

  it('sTokenProblem given the token, or no object, is a TypeError that never shows the text, not "no problem" (R103)', () => {
    // A token file read without an encoding (a Buffer), a Map or a Date holds no members to read: no request (Y2, 1025).
    for (const [given, shown] of [['not-a-token', 'a string'], [token, 'a string'], [5, '5'], [null, 'null'], [[{ token }], 'an array'], [undefined, 'undefined'], [Buffer.from(token), 'a Buffer'], [new Uint8Array(2), 'a Uint8Array'], [new Map([['token', token]]), 'a Map'], [new Date(), 'a Date']] as const) {
      let thrown: unknown;
      try {
        sTokenProblem(given);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toBe(`request must be a create request, an object { token, ... }, such as sTokenProblem({ token }) (got ${shown})`);
    }
  });

  it('both ways: a request is judged by its token, one with no token string said to hold no sToken (Y2, 1025)', () => {
    expect(sTokenProblem({ token })).toBeUndefined();
    expect(sTokenProblem(Object.assign(Object.create(null) as object, { token }))).toBeUndefined();
    expect(sTokenProblem({ token: 'not-a-token' })).toMatchObject({ pointer: '/token', keyword: 'contentMediaType' });
    expect(sTokenProblem({})).toMatchObject({ pointer: '/token', keyword: 'required', message: expect.stringMatching(/^is missing: a create needs an Apple VPP token/) });
    expect(sTokenProblem({ token: 42 })).toMatchObject({ pointer: '/token', keyword: 'contentMediaType', got: '42', message: expect.stringMatching(/^is not an Apple VPP token .*\(got 42\)$/) });
    expect(sTokenProblem({ token: '' })).toMatchObject({ pointer: '/token', got: '""' });
    // The create judgement still asks a request of any kind, its refusal the schema's alone.
    const problems = createRequestProblems('not-a-token', 'beta', { requireSTokens: true });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.pointer)).not.toContain('/token');
    expect(createRequestProblems({ token: 'not-a-token' }, 'beta', { requireSTokens: true }).map((p) => p.pointer)).toContain('/token');
  });

  it('sTokenExpiredAt without a Date that holds a time is a TypeError naming at, never Node\'s words (R104)', () => {
    for (const [given, shown] of [[undefined, 'undefined'], [Date.now(), String(Date.now()).slice(0, 4)], ['2050-01-01T00:00:00Z', 'a string'], [new Date(Number.NaN), 'an invalid Date'], [{ getTime: () => 0 }, 'an object']] as const) {
      let thrown: unknown;
      try {
        sTokenExpiredAt(token, untyped(given));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toMatch(/^at must be a Date that holds a time, the instant judged, such as new Date\(\) \(got /);
      expect((thrown as Error).message).toContain(`(got ${shown}`);
      expect((thrown as Error).message).not.toMatch(INTERNAL);
    }
  });

  it('sTokenExpiredAt without a token string is a TypeError naming token, never false, "not expired" (outside attacker Y1)', () => {
    const later = new Date('2050-01-01T00:00:00Z');
    for (const [given, shown] of [[{ token }, 'an object'], [Buffer.from(token), 'a Buffer'], [undefined, 'undefined'], [null, 'null'], [42, '42']] as const) {
      let thrown: unknown;
      try {
        sTokenExpiredAt(untyped(given), later);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toMatch(/^token must be an Apple VPP token \(an sToken\) string, such as sTokenExpiredAt\(body\.token, new Date\(\)\) \(got /);
      expect((thrown as Error).message).toContain(`(got ${shown}`);
      expect((thrown as Error).message).not.toContain(token);
    }
    // Its control: the same token as a string has expired by 2050.
    expect(sTokenExpiredAt(token, later)).toBe(true);
  });

  it('both ways, at the bound: not expired at its expiry, expired a millisecond after; any token value judged', () => {
    expect(sTokenExpiredAt(token, new Date())).toBe(false);
    expect(sTokenExpiredAt(token, new Date(expires.getTime()))).toBe(false);
    expect(sTokenExpiredAt(token, new Date(expires.getTime() + 1))).toBe(true);
    expect(sTokenExpiredAt('not-a-token', new Date(8.64e15))).toBe(false);
    // A string that holds no sToken is of the argument's kind: no expired sToken (0800: what it holds is sTokenProblem's to say).
  });
});

describe('an options member that is an object of its own is asked member by member, by its path (decision 1120)', () => {
  const target = 'http://127.0.0.1:9/beta';
  const nowhere = join(dir, 'no-such-file.json');
  const TRUST = 'an object of ca and insecure';
  const CA = 'the PEM text of CA certificates, a string, such as readCaFile(file)';
  const PEM = '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n';
  type Call = (nested: unknown) => Promise<unknown> | unknown;
  /** Each option that takes a TlsTrust, called so that nothing but the option can refuse it. */
  const TRUSTS: Record<string, Call> = {
    'startJudgingProxy tls': (tls) => startJudgingProxy(untyped({ target, port: 0, checkTarget: false, tls })),
    'startForwarder tls': (tls) => startForwarder(new URL(target), untyped({ timeoutMs: 1000, tls })),
    'verifyProvider tls': (tls) => verifyProvider(untyped({ providerBaseUrl: target, pactFiles: [nowhere], tls })),
    'checkVerifyOptions tls': (tls) => checkVerifyOptions(untyped({ providerBaseUrl: target, tls }), []),
    'conform trust': (trust) => conform(untyped({ providerBaseUrl: target, runs: 1, timeoutMs: 500, trust })),
    'runSeed trust': (trust) => runSeed(untyped({ target, generate: { count: 1 }, report: join(dir, 'nested-seed.ndjson'), force: true, maxAttempts: 1, trust })),
    'seedVppTokens trust': (trust) => seedVppTokens(untyped({ target, records: generatedSeedInputs({ count: 0 }), report: () => undefined, maxAttempts: 1, trust })),
  };
  const settle = async (call: () => unknown): Promise<string> => {
    try {
      const result = (await call()) as { close?: () => Promise<void> } | undefined;
      await result?.close?.();
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it.each(Object.entries(TRUSTS))('%s: a name it does not know (Node\'s rejectUnauthorized), a member of the wrong kind, another kind of object: refused by name', async (key, call) => {
    const name = key.split(' ')[1];
    expect(await settle(() => call({ rejectUnauthorized: false }))).toBe(`${name} must be ${TRUST}: "rejectUnauthorized" is not one of them`);
    expect(await settle(() => call({ ca: 5 }))).toBe(`${name}.ca must be ${CA} (got 5)`);
    expect(await settle(() => call({ ca: Buffer.from('-----BEGIN CERTIFICATE-----') }))).toBe(`${name}.ca must be ${CA} (got a Buffer)`);
    expect(await settle(() => call({ insecure: 'yes' }))).toBe(`${name}.insecure must be true or false (got a string)`);
    expect(await settle(() => call({ insecure: true, Insecure: true, ca: 'x' }))).toBe(`${name} must be ${TRUST}: "Insecure" is not one of them`);
    expect(await settle(() => call(new Map([['insecure', true]])))).toBe(`${name} must be ${TRUST} (got a Map)`);
    expect(await settle(() => call('insecure'))).toBe(`${name} must be ${TRUST} (got a string)`);
  });

  // Both ways: the members it knows, of their kinds, are not refused (the call runs on, or fails later for its own reason).
  it.each(Object.entries(TRUSTS))('%s: { insecure: true }, { insecure: false }, {} and a PEM text are taken', async (_key, call) => {
    for (const trust of [{ insecure: true }, { insecure: false }, {}, { ca: PEM }, { ca: PEM, insecure: false }, undefined]) {
      expect(await settle(() => call(trust))).not.toMatch(/must be|is not one of them|contradict/);
    }
  });

  // Decision 1182: as the CLI refuses --ca with --insecure and a --ca file that holds no PEM certificate, by one rule.
  it.each(Object.entries(TRUSTS))('%s: a ca with insecure: true, and a ca that is no PEM text (a path, nothing), refused as the CLI refuses them', async (key, call) => {
    const name = key.split(' ')[1];
    expect(await settle(() => call({ ca: PEM, insecure: true }))).toBe(`${name}.ca and ${name}.insecure contradict each other: give one (insecure accepts any certificate, so the CA would do nothing)`);
    const notPem = `${name}.ca must be the PEM text of CA certificates, such as readCaFile(file) returns: it holds no -----BEGIN CERTIFICATE----- block`;
    expect(await settle(() => call({ ca: 'ca.pem' }))).toBe(`${notPem} (got "ca.pem")`);
    expect(await settle(() => call({ ca: '' }))).toBe(`${notPem} (got "")`);
  });

  it("checkClient's output: each stream asked before the client starts (output.stdout: 'x' crashed the host process in Node's pipe)", async () => {
    const check = (output: unknown) => settle(() => checkClient(untyped({ command: process.execPath, args: ['-e', '0'], timeoutMs: 5000, output })));
    const WHAT = 'an object of stdout and stderr, each a writable stream';
    expect(await check({ stdout: 'x' })).toBe('output.stdout must be a writable stream, such as process.stdout (got a string)');
    expect(await check({ stdout: new PassThrough(), stderr: 42 })).toBe('output.stderr must be a writable stream, such as process.stdout (got 42)');
    // An object with write and on alone is no stream Node's pipe() can write to: it calls once and emit too.
    expect(await check({ stdout: { write: () => true, on: () => undefined } })).toBe('output.stdout must be a writable stream, such as process.stdout (got an object)');
    expect(await check({ stdout: new PassThrough(), sterr: new PassThrough() })).toBe(`output must be ${WHAT}: "sterr" is not one of them`);
    expect(await check(new PassThrough())).toMatch(new RegExp(`^output must be ${WHAT}: .* are not among them$`));
  });
});

// Decision 1182: a clock was asked only to be an object; `{}` or `{ now }` alone failed at the first throttled wait or
// delayed answer, inside (`clock.sleep is not a function`). Asked for what the kit calls on it: now() and sleep().
describe('a clock is asked for the functions the kit calls on it, now and sleep (decision 1182)', () => {
  const target = 'http://127.0.0.1:9/beta';
  const CLOCK = 'clock must be a Clock, an object of the functions now() and sleep(ms, signal)';
  const CLOCKS: Record<string, (clock: unknown) => Promise<unknown>> = {
    startReferenceProvider: (clock) => startReferenceProvider(untyped({ port: 0, clock })),
    startJudgingProxy: (clock) => startJudgingProxy(untyped({ target, port: 0, checkTarget: false, clock })),
    conform: (clock) => conform(untyped({ providerBaseUrl: target, runs: 1, timeoutMs: 500, clock })),
    checkVerifyOptions: async (clock) => checkVerifyOptions(untyped({ providerBaseUrl: target, clock }), []),
  };
  const settle = async (call: () => Promise<unknown>): Promise<string> => {
    try {
      await ((await call()) as { close?: () => Promise<void> } | undefined)?.close?.();
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };
  class TestClock {
    at = 0;
    now(): number {
      return this.at;
    }
    async sleep(ms: number): Promise<void> {
      this.at += ms;
    }
    advance(ms: number): void {
      this.at += ms;
    }
  }

  it.each(Object.entries(CLOCKS))('%s: {}, now alone, a sleep that is no function, a number: refused', async (_name, call) => {
    expect(await settle(() => call({}))).toBe(`${CLOCK} (got an object)`);
    expect(await settle(() => call({ now: () => 0 }))).toBe(`${CLOCK} (got an object)`);
    expect(await settle(() => call({ now: () => 0, sleep: 1000 }))).toBe(`${CLOCK} (got an object)`);
    expect(await settle(() => call(42))).toBe(`${CLOCK} (got 42)`);
  });

  it.each(Object.entries(CLOCKS))('%s: an object of now and sleep, and a class instance with more members, are taken', async (_name, call) => {
    for (const clock of [{ now: () => 0, sleep: async () => undefined }, new TestClock(), undefined]) expect(await settle(() => call(clock))).not.toMatch(/clock must be/);
  });
});

describe("verify's broker is asked member by member before the broker is dialled (decision 1122)", () => {
  const nowhere = join(dir, 'no-such-file.json');
  const url = 'http://127.0.0.1:9';
  const WHAT = 'an object of url, token, username, password, consumerVersionSelectors, enablePending, includeWipPactsSince, publish, providerVersion and providerBranch';
  const said = async (broker: unknown, call: 'verifyProvider' | 'checkVerifyOptions' | 'verifyInWorker'): Promise<string> => {
    try {
      const options = untyped<NonNullable<Parameters<typeof verifyProvider>[0]>>({ providerBaseUrl: 'http://127.0.0.1:9/beta', broker, ...(call === 'checkVerifyOptions' ? {} : { timeoutMs: 1000 }) });
      if (call === 'verifyProvider') await verifyProvider(options);
      else if (call === 'verifyInWorker') await verifyInWorker(options, { report: new PassThrough() });
      else await checkVerifyOptions(options, []);
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it.each(['verifyProvider', 'checkVerifyOptions', 'verifyInWorker'] as const)('%s: a misspelt member, a word for a boolean, a number for a version, the CLI\'s JSON text for the selectors: each named', async (call) => {
    expect(await said({ url, tokne: 'x' }, call)).toBe(`broker must be ${WHAT}: "tokne" is not one of them`);
    expect(await said({ url, publish: 'yes', providerVersion: '1' }, call)).toBe('broker.publish must be true or false (got a string)');
    expect(await said({ url, publish: true, providerVersion: 5 }, call)).toBe('broker.providerVersion must be a string (got 5)');
    expect(await said({ url, consumerVersionSelectors: '{"mainBranch":true}' }, call)).toBe('broker.consumerVersionSelectors must be an array of consumer version selectors, such as [{ mainBranch: true }] (got a string)');
    expect(await said({ url, token: 42 }, call)).toBe('broker.token must be a string (got 42)');
    expect(await said({ url, enablePending: 1 }, call)).toBe('broker.enablePending must be true or false (got 1)');
    expect(await said({ url: 5 }, call)).toBe('broker.url must be an http or https URL, a string or a URL object (got 5)');
    // A credential given where a word goes is never shown.
    expect(await said({ url, providerBranch: { token: 'broker-secret-token-0123' } }, call)).toBe('broker.providerBranch must be a string (got an object)');
  });

  // Both ways: every member of its kind is taken by the check (the run goes on to read the pact file or the broker).
  it('a broker of every member, its url text or a URL object, is taken', async () => {
    const whole = { token: 't', username: 'u', password: 'p', consumerVersionSelectors: [{ mainBranch: true }], enablePending: true, includeWipPactsSince: '2026-01-01', publish: true, providerVersion: '1.0.0', providerBranch: 'main' };
    // Taken: the check goes on to dial the provider at port 9, where none answers.
    expect(await said({ url, ...whole }, 'checkVerifyOptions')).toMatch(/^cannot reach the provider at /);
    expect(await said({ url: new URL(url) }, 'checkVerifyOptions')).toMatch(/^cannot reach the provider at /);
    expect(await said({ url, ...whole }, 'verifyProvider')).not.toMatch(/must be|is not one of them/);
    expect(await said({ url, pactFiles: [nowhere] }, 'checkVerifyOptions')).toBe(`broker must be ${WHAT}: "pactFiles" is not one of them`);
  });
});

describe("a request's or answer's members asked before they are read, the body in words that say what to pass (decision 1123)", () => {
  const H = { 'content-type': 'application/json', authorization: 'Bearer abcdefghijkl' };
  const PATH = '/deviceAppManagement/vppTokens';
  const BODY = "the body's text as it was sent, a string (or leave it out and give its bytes): a parsed body, such as Express's req.body, is not what was sent";
  const ctx = { authorization: 'Bearer abcdefghijkl' };
  const says = (call: () => unknown): string => {
    try {
      call();
      return '';
    } catch (error) {
      return `${(error as Error).constructor.name}: ${(error as Error).message}`;
    }
  };

  it("outside finding R134's calls: each names the member and what it takes, never Node's words", () => {
    expect(says(() => checkCreateRequest(untyped({ method: 'POST', path: PATH, headers: H, body: { token: 'x' } })))).toBe(`TypeError: request.body must be ${BODY} (got an object)`);
    expect(says(() => checkCreateRequest(untyped({ method: 'POST', path: PATH, headers: H, body: 5 })))).toBe(`TypeError: request.body must be ${BODY} (got 5)`);
    expect(says(() => checkCreateRequest(untyped({ method: 'POST', headers: H, body: '{}' })))).toBe('TypeError: request.path must be a string, the request target as sent (got undefined)');
    expect(says(() => judgeCreatedAnswer(untyped({ token: 'x' }), untyped({ status: 201, headers: H, body: { id: 'x' } }), 'beta', ctx))).toBe(`TypeError: answer.body must be ${BODY} (got an object)`);
    expect(says(() => readAnswer(untyped({ status: 201, headers: {}, body: { a: 1 } })))).toBe(`TypeError: answer.body must be ${BODY} (got an object)`);
    expect(says(() => readAnswer(untyped({ status: 201, headers: {}, body: Buffer.from('{}') })))).toBe(`TypeError: answer.body must be ${BODY} (got a Buffer)`);
    expect(says(() => judgeCreatedAnswer(untyped({ token: 'x' }), untyped({ status: '201', headers: H, body: '{}' }), 'beta', ctx))).toBe('TypeError: answer.status must be a number, the status (got a string)');
  });

  // Both ways: the text, or no text with the bytes, is read and judged.
  it('a body given as its text, or left out beside its bytes, is judged', () => {
    const body = JSON.stringify(createRequestFactory.withSeed(1123).build());
    expect(checkCreateRequest({ method: 'POST', path: PATH, headers: H, body })).toEqual([]);
    expect(checkCreateRequest({ method: 'POST', path: PATH, headers: H, body: undefined, bytes: Buffer.from(body) })).toEqual([]);
    expect(readAnswer({ status: 201, headers: {}, body: undefined, bytes: Buffer.from('{"a":1}') }).text).toBe('{"a":1}');
    expect(readAnswer({ status: 201, headers: {}, body: '{"a":1}' }).text).toBe('{"a":1}');
  });
});
