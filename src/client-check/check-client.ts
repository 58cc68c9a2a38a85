import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VppTokenCreateRequest } from '../generated/types';
import { DEFAULT_CONSUMER, EXAMPLE_VPP_TOKEN, VPP_TOKENS_PROVIDER, createInteraction, describeCreate, pactFileName, pactFileProblem, inPactOrder, placeholderTokens, type InteractionSpec } from '../contract';
import { writePactWhole } from '../contract/pact';
import { BEHAVIOUR_CHECKS, behaviourOptionProblem, createBodyOf, faultGivenUpAfter, isCreate, judgeClientBehaviour, trafficSecrets, tokenOf, withBatchMembers, type BehaviourCheckName, type BehaviourVerdict, type TrafficEntry } from '../behaviour';
import { GRAPH_BODY_LIMIT } from '../graph';
import { FAILED_DEPENDENCY, checkClientRequest, type ClientRequestKind, type RequestProblem } from '../judgement';
import { startReferenceProvider, type FaultOptions } from '../provider';
import { DEFAULT_PROFILE, toProfile, type Profile } from '../schemas';
import { likelyCause, millisecondsOptionProblem, redact, redactQuery, redactStrings, secretValuesIn, systemReason, type CauseQuestions, type Secrets } from '../net';
import { optionsObjectProblem, shownArgument, shownOption, membersProblem, oneOfProblem } from '../net/option';
import { at, atBody, headerLines, headerValues, singleHeader } from '../wire';
import type { CheckClientOptions, CheckedRequest, NamedCheck, CheckClientResult, RequestCounts } from './types';
import { DEFAULT_TIMEOUT_MS, runClient, type RunOutcome } from './run-client';
import { preparePactDir } from './pact-dir';

/** A problem with every credential the client sent hidden: its message, the value it shows, its place (display text, a header's name, a pointer). */
function hidden(problem: RequestProblem, secrets: Secrets): RequestProblem {
  const { header, pointer, got } = problem;
  return {
    ...problem,
    where: redact(problem.where, secrets),
    message: redact(problem.message, secrets),
    ...(header === undefined ? {} : { header: redact(header, secrets) }),
    ...(pointer === undefined ? {} : { pointer: redact(pointer, secrets) }),
    ...(got === undefined ? {} : { got: redact(got, secrets) }),
  };
}

/**
 * A query string as reported: an OData option keeps its value, any other parameter's is not shown (an access_token
 * spelled `access%5Ftoken` too, and every name a credential may go by: outside tester I24).
 */
const withoutCredentials = (query: string): string => redactQuery(query, '(not shown)');

/** A request whose body the client cut by closing the connection, in words: what came of how much it said it would send. */
function cutByClient(entry: TrafficEntry, received: number): string {
  const declared = headerValues(headerLines(entry.rawHeaders), 'Content-Length');
  const of = declared.length === 1 && /^\d+$/.test(declared[0]) ? ` of its ${declared[0]}` : '';
  return `the client closed the connection after ${received}${of} body bytes, before the mock answered`;
}

/** What to ask when every request the client made was refused alike (src/net likelyCause): in the client's terms. */
const CLIENT_QUESTIONS: CauseQuestions = {
  401: 'does the client send Authorization: Bearer <access token> with every request?',
  404: 'does the client POST to $VPPKIT_MOCK_URL/deviceAppManagement/vppTokens (a /beta or /v1.0 prefix allowed)?',
  405: 'does the client POST to $VPPKIT_MOCK_URL/deviceAppManagement/vppTokens (a /beta or /v1.0 prefix allowed)?',
  415: 'does the client send Content-Type: application/json?',
};

/**
 * A POST that is a create or tried to be one (a wrong path the mock refused): not a batch, nor what the mock does not
 * model (an action of a vppToken, a write of another Graph resource: decision 0520), which creates no vppToken.
 */
/**
 * A read of what the client created (a list, its count or one vppToken, GET or HEAD) that the mock answered: one it
 * refused for the client's fault (a bad head or query, no bearer: the request broke the contract) read nothing, and is
 * not counted or noted as one (decision 1053).
 */
export const readOfCreated = (r: CheckedRequest): boolean => (r.kind === 'list' || r.kind === 'read') && r.problems.length === 0;

const triedCreate = (r: CheckedRequest): boolean => r.method === 'POST' && r.kind !== 'batch' && (r.kind === 'create' || r.notModelled === undefined);

/** Why the client's command can't be run as given: a program's name or path, and its arguments a list of strings. */
function commandProblem(options: CheckClientOptions): string | undefined {
  if (typeof options.command !== 'string' || options.command === '') return `command must be the client's program, a string that is not empty, such as process.execPath (got ${shownOption(options.command)})`;
  // The client's arguments may carry its credentials (`--token=...`): a string is said by its kind (decision 0890).
  if (options.args === undefined) return undefined;
  if (!Array.isArray(options.args)) return `args must be an array of strings (got ${shownArgument(options.args)})`;
  const bad = options.args.findIndex((arg) => typeof arg !== 'string');
  return bad === -1 ? undefined : `args[${bad}] must be a string (got ${shownArgument(options.args[bad])})`;
}

/** The names CheckClientOptions takes: any other is refused, never left without a word (decisions 0408, 0760). */
const CHECK_CLIENT_OPTION_NAMES = Object.keys({ command: true, args: true, consumer: true, provider: true, pactDir: true, timeoutMs: true, killGraceMs: true, env: true, profile: true, signal: true, stdio: true, output: true, faults: true, maxAttempts: true, concurrency: true, schemaTokens: true } satisfies Record<keyof CheckClientOptions, true>);

/**
 * Runs a client against a mock of the provider and checks every request it makes against the contract.
 * Passes when the client made at least one create, every request kept the contract, and the client exited 0;
 * then writes the consumer's own Pact file from the requests it really made, with schema-derived matchers.
 * With `faults`, the mock fails as asked, and the client's behaviour is judged from the traffic too; a client
 * that gives up after a fault and exits non-zero is not failed for that alone.
 */
export async function checkClient(options: CheckClientOptions): Promise<CheckClientResult> {
  // Its options' shape by the library's one rule (src/net/option.ts, decision 0760): a bare value or a misspelt name
  // was taken as no options, and the default run made (`checkClient('x')`).
  const shape =
    optionsObjectProblem('checkClient', options, CHECK_CLIENT_OPTION_NAMES, 'required') ??
    commandProblem(options) ??
    membersProblem(options, { consumer: 'string', provider: 'string', pactDir: ['string', 'a folder, a string'], env: ['object', 'an object of environment variables, such as process.env'], signal: 'signal', output: { what: 'an object of stdout and stderr, each a writable stream', members: { stdout: 'writable', stderr: 'writable' } }, faults: 'object', schemaTokens: 'boolean' }) ??
    oneOfProblem('stdio', options.stdio, ['inherit', 'pipe']);
  if (shape) throw new TypeError(shape);
  return checkClientRun(options, (mockUrl, failures) => runClient(options, mockUrl, failures));
}

/**
 * How the client under check is run against the mock at `mockUrl`: checkClient starts it as a process (runClient,
 * with its group, timeout, signals and output); anything it could not do goes into `failures`.
 */
export type ClientRun = (mockUrl: string, failures: string[]) => Promise<RunOutcome>;

/**
 * checkClient with the client run by `run`: the mock, the judgement of every request, the behaviour checks and the
 * pact, as checkClient has them. Not in the package's exports: the suite's tests of what check-client says of a
 * client's requests run that client in the test's own process (a Node process's start cost more CPU than the
 * requests it sent, decision 0710); the tests of the process itself go through checkClient.
 */
export async function checkClientRun(options: CheckClientOptions, run: ClientRun): Promise<CheckClientResult> {
  const profile = toProfile(options.profile ?? DEFAULT_PROFILE);
  const underFaults = options.faults !== undefined;
  const pactDir = options.pactDir ?? join(process.cwd(), 'pacts');
  // The pact's file is named by them: refused before the client runs (outside testers J16, M7).
  // Number options too: a bad one was Node's type error once the client had run, or the verdict's (decision 0356).
  const problem =
    pactFileProblem({ consumer: options.consumer ?? DEFAULT_CONSUMER, provider: options.provider ?? VPP_TOKENS_PROVIDER }) ??
    millisecondsOptionProblem('timeoutMs', options.timeoutMs) ??
    millisecondsOptionProblem('killGraceMs', options.killGraceMs, 'from 0') ??
    behaviourOptionProblem(options);
  if (problem) throw new TypeError(`checkClient: ${problem}`);
  preparePactDir(pactDir);
  // The mock takes what Graph takes (4 MB; outside tester G25).
  // Intune takes only Apple sTokens (decision 0216): so does the mock, unless the client is checked by the schema alone.
  const rules = { requireSTokens: options.schemaTokens !== true };
  const mock = await startReferenceProvider({ profile, faults: options.faults, recordTraffic: true, bodyLimit: GRAPH_BODY_LIMIT, ...rules });
  const failures: string[] = [];
  let outcome: RunOutcome;
  let traffic: readonly TrafficEntry[];
  try {
    outcome = await run(mock.url, failures);
  } finally {
    // Read once the server is closed: a request still in flight when the client ended is in it, cut.
    await mock.close();
    traffic = mock.traffic ?? [];
  }
  // Every request the mock received is listed and judged, faults or none, as the behaviour checks read them all
  // (decision 0245); one whose body the client cut is listed as not judged (outside tester H1).
  // A JSON batch is judged, then each request inside it as one of its own (decision 0215).
  // A request inside it is judged with the batch's Authorization, which went with it even where it gives its own (0540).
  const judged = traffic.flatMap((entry): (TrafficEntry & { batchAuthorization?: string })[] => {
    if (!entry.members?.length) return [entry];
    const batchAuthorization = singleHeader(headerLines(entry.rawHeaders), 'Authorization');
    return [entry, ...entry.members.map((member) => (batchAuthorization === undefined ? member : { ...member, batchAuthorization }))];
  });
  // The traffic as the behaviour checks and the pact read it: each batch as the requests inside it.
  const flat = withBatchMembers(traffic);
  // What a request shows (its path, query, problems) never holds a credential the client sent, nor any sToken.
  const secrets = trafficSecrets(traffic);
  // The VPP tokens the client sent, in any of its creates: one of them in a URL is its leak (decision 0340).
  const clientTokens = flat.flatMap((entry) => tokenOf(entry) ?? []);
  const requests: CheckedRequest[] = judged.map((entry) => {
    const mark = entry.path.indexOf('?');
    const [path, query] = mark < 0 ? [entry.path, ''] : [entry.path.slice(0, mark), entry.path.slice(mark + 1)];
    if (entry.clientClosed && entry.receivedBytes !== undefined) {
      return { method: entry.method, path: redact(path, secrets), query: redact(withoutCredentials(query), secrets), status: null, problems: [], notJudged: cutByClient(entry, entry.receivedBytes) };
    }
    // A head the mock refused is judged by that alone, as the mock did: the bytes after it are no body (outside attacker L1).
    const bytes = entry.refusedHead ? undefined : entry.body;
    const checked = checkClientRequest({ method: entry.method, path, query, headers: {}, rawHeaders: entry.rawHeaders, body: undefined, bytes, inBatch: entry.batchId !== undefined, batchAuthorization: entry.batchAuthorization, ...(entry.rawTrailers ? { rawTrailers: entry.rawTrailers } : {}) }, profile, { ...rules, clientTokens });
    const { kind, version, notModelled } = checked;
    const problems: RequestProblem[] = entry.refusedHead ? [entry.refusedHead] : checked.problems;
    // The mock answers as Graph would: a request it refused (other than by an injected fault) fails the client.
    const status = entry.answer?.status ?? null;
    // A body over the limit is not kept: say so, rather than that none was sent (outside tester G25).
    if (status === 413 && entry.body === undefined) {
      problems.splice(0, problems.length, ...problems.filter((p) => p.part !== 'body'), { ...atBody(), message: `is over Graph's limit of ${GRAPH_BODY_LIMIT} bytes (4 MB): the mock answered 413` });
    }
    // A request inside a batch answered 424 was not run, for the request it depends on: that one is judged, and a
    // client that reports success without the create is `no silent loss`'s (decision 0392).
    // A create inside a batch refused as a whole was not run either: the batch's own line carries the refusal (R16, decision 0462).
    const notRun = entry.batchId !== undefined && (status === FAILED_DEPENDENCY || entry.refusedWithBatch === true);
    if (status !== null && (status < 200 || status > 299) && !entry.fault && problems.length === 0 && !notModelled && !notRun) {
      const error = entry.answer?.error;
      problems.push({ ...at('answer'), message: `the mock refused it with ${status}${error ? ` ${error.code}: ${error.message}` : ''}` });
    }
    return {
      method: entry.method,
      path: redact(path, secrets),
      query: redact(withoutCredentials(query), secrets),
      ...(entry.batchId !== undefined ? { batchId: redact(entry.batchId, secrets) } : {}),
      ...(kind ? { kind } : {}),
      ...(version ? { version } : {}),
      status,
      problems: problems.map((p) => hidden(p, secrets)),
      ...(notModelled ? { notModelled } : {}),
      ...(entry.fault ? { fault: entry.fault.by === 'rate-limit' ? 'rate-limit' : String(entry.fault.kind) } : {}),
      // Not run, so not judged against the contract: counted apart from those that kept it (decision 0680).
      ...(notRun ? { notRun: entry.refusedWithBatch ? `refused with its batch (${status}): not run` : 'a request it depends on failed (424 Failed Dependency): not run' } : {}),
    };
  });
  const { exitCode, output, signal, timedOut, startError, interrupted } = outcome;
  // A run without a create proves nothing of the create, and writes no pact (outside tester G21): said, and no pass;
  // with nothing else found it is no verdict (decision 0220).
  const noCreate = startError
    ? undefined
    : requests.length === 0
      ? 'the client made no request to VPPKIT_MOCK_URL'
      : !requests.some(triedCreate)
        ? `the client made no create (POST $VPPKIT_MOCK_URL/deviceAppManagement/vppTokens), only ${requests.length} other request${requests.length === 1 ? '' : 's'}: nothing of the create was checked, and no pact is written`
        : undefined;
  if (noCreate) failures.push(noCreate);
  // Under faults, giving up loudly after a fault is allowed; a non-zero exit with no fault to give up on is not, nor
  // one after the client got past every fault it met (outside tester Q1). A fault answers a request inside a JSON
  // batch, never the batch: both read the batch as its requests (outside attacker R70, decision 0660).
  const faulted = flat.some((entry) => entry.fault !== undefined);
  const unmodelled = requests.find((r) => r.notModelled)?.notModelled;
  if (exitCode !== 0 && exitCode !== null && !(underFaults && faultGivenUpAfter(flat))) {
    const why = unmodelled
      ? ` (it was answered 501 for what the mock does not model: ${unmodelled})`
      : underFaults && faulted
        ? ' after it got past every injected fault (each request a fault answered was answered plainly when sent again): nothing was left to give up on, so the exit is its own failure'
        : '';
    failures.push(`the client exited with code ${exitCode}${why}`);
  }
  const broken = requests.filter((r) => r.problems.length > 0).length;
  const counts = requestCounts(requests);
  if (broken > 0) failures.push(`${broken} of ${requests.length} request${requests.length === 1 ? '' : 's'} broke the contract`);

  let behaviour: BehaviourVerdict | undefined;
  let checks: NamedCheck[] | undefined;
  // The client's behaviour is judged in every run, faults or none (decision 0205, outside tester H31): a client that
  // creates one token twice does so whether or not Graph failed; faults only give it more to get wrong.
  if (!startError) {
    // No create is nothing to judge (the run already fails for it, above): each check says so, and none passes.
    behaviour = flat.some(isCreate) ? judgeClientBehaviour(flat, { maxAttempts: options.maxAttempts, concurrency: options.concurrency, clientSucceeded: exitCode === 0, profile }) : undefined;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    checks = [
      ...(behaviour
        ? behaviour.checks.map((c) => ({ name: c.name, passed: c.passed, findings: c.findings.map((f) => f.message), ...(c.skipped ? { skipped: c.skipped } : {}) }))
        : BEHAVIOUR_CHECKS.map((name) => ({ name, passed: false, findings: [], skipped: 'the client made no create: nothing to judge' }))),
      { name: 'timeout' as const, passed: !timedOut, findings: timedOut ? [`the client did not finish within ${timeoutMs / 1000} s`] : [] },
    ];
    for (const c of behaviour?.checks ?? []) if (!c.passed) failures.push(`${c.name}: ${c.findings.length} finding${c.findings.length === 1 ? '' : 's'}`);
  }
  const passed = failures.length === 0;
  const nothingJudged = noCreate !== undefined && failures.length === 1 ? noCreate : undefined;
  const cause = passed ? undefined : likelyCause(requests.filter((r) => r.problems.length > 0).map((r) => r.status), CLIENT_QUESTIONS, requests.length);

  let pactFile: string | undefined;
  let pactUnwritten: string | undefined;
  // The pact describes every create the client sent that the mock answered, fault or none (decision 0433): what the
  // contract holds is the client's request, which kept it, and the 201 the contract demands for it; an injected fault
  // is the kit's draw, so the same creates write the same bytes under any seed (outside tester Q7). One the client
  // closed before any answer came is left out (its own timeout: noPactBecause says so).
  const described = flat.filter((entry) => isCreate(entry) && tokenOf(entry) !== undefined && (entry.answer !== null || entry.fault !== undefined));
  const consumer = options.consumer ?? DEFAULT_CONSUMER;
  const provider = options.provider ?? VPP_TOKENS_PROVIDER;
  const file = join(pactDir, pactFileName(consumer, provider));
  if (passed && described.length > 0) {
    const specs = new Map<string, InteractionSpec>();
    const placeholder = placeholderTokens();
    // In an order of their own, not the order they came in: the same creates write the same bytes (P10).
    for (const entry of inPactOrder(described, createBodyOf)) {
      // The client's token is a credential: the pact holds a placeholder in its place (one per token the client sent,
      // outside tester I28), and `[token]` wherever else the client put it (or any sToken): a pact is published to a
      // broker many read.
      const sent = createBodyOf(entry);
      const token = typeof sent?.token === 'string' ? placeholder(sent.token) : EXAMPLE_VPP_TOKEN;
      const body = { ...(redactStrings(sent, { values: secretValuesIn(sent) }) as VppTokenCreateRequest), token };
      const description = describeCreate(body as unknown as Record<string, unknown>);
      if (!specs.has(description)) specs.set(description, createInteraction(description, body, { profile }));
    }
    // Whole or not at all: a disk that fills keeps the last good pact, and the verdict is still given (Q12).
    try {
      pactFile = await writePactWhole([...specs.values()], { consumer, provider, file });
    } catch (error) {
      pactUnwritten = `cannot write the pact ${file}: ${systemReason(error)}; ${existsSync(file) ? 'the pact that was there is kept' : 'no file was made'}`;
    }
  }
  // A run that passed with no create answered (the client closed each first) has none to describe: said, with the
  // file an earlier run left kept untouched, so a CI step publishing pacts next is not left with an old file or none
  // in silence (outside testers P17, Q3); the CLI exits 2 for it, as for a pact it could not write (R69, decision 0661).
  const noPact = passed && described.length === 0 ? noPactBecause(flat.filter((entry) => entry.method === 'POST' && isCreate(entry)), existsSync(file) ? file : undefined) : undefined;
  const ended = `client exit code ${exitCode ?? (signal ? `none (killed by ${signal})` : startError ? 'none (not started)' : 'none (killed)')}`;
  const reads = requests.filter(readOfCreated).length;
  const inside = requests.filter((r) => r.batchId !== undefined).length;
  const notes = [...(inside ? [`${inside} inside a $batch`] : []), ...(reads ? [`${reads} read${reads === 1 ? '' : 's'} of what it created`] : [])];
  const shape = `${requests.length} request${requests.length === 1 ? '' : 's'} checked${notes.length ? ` (${notes.join('; ')})` : ''}: ${counts.kept} kept the contract, ${counts.broke} broke it${notJudgedSaid(counts)}`;
  const summary = behaviour ? `${shape}; ${behaviour.summary}; ${ended}` : `${shape}; ${ended}`;
  return {
    passed,
    exitCode,
    signal,
    timedOut,
    startError,
    interrupted,
    requests,
    counts,
    failures,
    pactFile,
    ...(pactUnwritten ? { pactUnwritten } : {}),
    output,
    summary,
    ...(noPact ? { noPact } : {}),
    ...(cause ? { likelyCause: cause } : {}),
    ...(nothingJudged ? { nothingJudged } : {}),
    ...(checks ? { checks } : {}),
    ...(behaviour ? { behaviour } : {}),
    // The traffic holds the client's credentials as sent: handed back only under faults, as it always was.
    ...(underFaults ? { faults: mock.faults, traffic } : {}),
  };
}

/**
 * Why a run that passed wrote no pact (outside testers P17, Q3): each create it sent got no answer, because the client
 * closed its connection first (its own timeout, shorter than --latency), so the mock neither stored it nor said what
 * it would answer; with what would write one. A create an injected fault answered is described (decision 0433).
 */
function noPactBecause(creates: readonly TrafficEntry[], earlier: string | undefined): string {
  const closed = creates.filter((entry) => entry.fault === undefined && entry.answer === null).length;
  const kept = earlier === undefined ? '' : `; the pact that was there, ${earlier}, is kept: it is not this run's`;
  return `no pact written: no create got an answer of the contract to describe (${closed} got no answer: the client closed its connection before the mock answered); give the client a timeout longer than --latency, or lower --latency, to write one${kept}`;
}

/** Why a request was not judged, and which count it goes in (notJudgedReason, RequestCounts). */
type NotJudgedKind = 'closedByClient' | 'notRun' | 'notModelled';

/**
 * Which kind of request not judged this one is, or undefined for one judged (ok or broken): the client closed the
 * connection before the answer (its body cut); a request inside a JSON batch that was not run (answered 424 for a
 * request it depends on, or refused with its batch: decision 0680); or what the mock does not model, answered 501
 * (decisions 0183, 0520). One broken for something else (its bearer, a credential in its path) is judged: broken.
 */
function notJudgedKind(request: Pick<CheckedRequest, 'problems' | 'notJudged' | 'notModelled' | 'notRun'>): NotJudgedKind | undefined {
  if (request.problems.length > 0) return undefined;
  return request.notJudged !== undefined ? 'closedByClient' : request.notRun !== undefined ? 'notRun' : request.notModelled !== undefined ? 'notModelled' : undefined;
}

/**
 * Why a request was not judged, or undefined for one judged (ok or broken): one rule, read by the summary's counts,
 * the text lines and the JUnit report (decisions 0611, 0680).
 */
export function notJudgedReason(request: Pick<CheckedRequest, 'problems' | 'notJudged' | 'notModelled' | 'notRun'>): string | undefined {
  const kind = notJudgedKind(request);
  return kind === 'closedByClient' ? request.notJudged : kind === 'notRun' ? request.notRun : kind === 'notModelled' ? `not judged: ${request.notModelled}` : undefined;
}

/** How many requests kept the contract, broke it, and were not judged, and why not (each request counted once). */
function requestCounts(requests: readonly CheckedRequest[]): RequestCounts {
  const broke = requests.filter((r) => r.problems.length > 0).length;
  const of = (kind: NotJudgedKind) => requests.filter((r) => notJudgedKind(r) === kind).length;
  const [closedByClient, notRun, notModelled] = [of('closedByClient'), of('notRun'), of('notModelled')];
  const notJudged = closedByClient + notRun + notModelled;
  return { checked: requests.length, kept: requests.length - broke - notJudged, broke, notJudged, closedByClient, notRun, notModelled };
}

/**
 * The summary's words for the requests not judged: how many, and why (`, 2 not judged (not modelled by the mock:
 * answered 501)`; of more than one kind, each with its count).
 */
function notJudgedSaid({ notJudged, closedByClient, notRun, notModelled }: RequestCounts): string {
  if (notJudged === 0) return '';
  const kinds: [number, string][] = [
    [closedByClient, 'closed by the client'],
    [notRun, 'not run inside their batch'],
    [notModelled, 'not modelled by the mock: answered 501'],
  ];
  const said = kinds.filter(([n]) => n > 0);
  const why = said.length === 1 ? said[0][1] : said.map(([n, words]) => `${n} ${words}`).join(', ');
  return `, ${notJudged} not judged (${why})`;
}
