import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { VppTokenCreateRequest } from '../generated/types';
import { EXAMPLE_VPP_TOKEN, VPP_TOKENS_PROVIDER, createInteraction, describeCreate, writePact, type InteractionSpec } from '../contract';
import { createBodyOf, judgeClientBehaviour, tokenOf, type BehaviourCheckName, type BehaviourVerdict, type TrafficEntry } from '../behaviour';
import { checkClientRequest, type ClientRequestKind, type RequestProblem } from '../judgement';
import { startReferenceProvider, type FaultOptions } from '../provider';
import { DEFAULT_PROFILE, toProfile, type Profile } from '../schemas';
import { likelyCause, type CauseQuestions } from '../net';
import type { CheckClientOptions, CheckedRequest, NamedCheck, CheckClientResult } from './types';
export type { CheckClientOptions, CheckedRequest, NamedCheck, CheckClientResult } from './types';

/** A query string as reported: the value of an access_token (a bearer a client put in the URL) is never shown. */
const withoutCredentials = (query: string): string => query.replace(/(^|&)(access_token=)[^&]*/gi, '$1$2(not shown)');

const DEFAULT_TIMEOUT_MS = 120_000;

/** What to ask when every request the client made was refused alike (src/net likelyCause): in the client's terms. */
const CLIENT_QUESTIONS: CauseQuestions = {
  401: 'does the client send Authorization: Bearer <access token> with every request?',
  404: 'does the client POST to $VPPKIT_MOCK_URL/deviceAppManagement/vppTokens (a /beta or /v1.0 prefix allowed)?',
  405: 'does the client POST to $VPPKIT_MOCK_URL/deviceAppManagement/vppTokens (a /beta or /v1.0 prefix allowed)?',
  415: 'does the client send Content-Type: application/json?',
};

/**
 * Runs a client against a mock of the provider and checks every request it makes against the contract.
 * Passes when the client made at least one request, every request kept the contract, and the client exited 0;
 * then writes the consumer's own Pact file from the requests it really made, with schema-derived matchers.
 * With `faults`, the mock fails as asked, and the client's behaviour is judged from the traffic too; a client
 * that gives up after a fault and exits non-zero is not failed for that alone.
 */
export async function checkClient(options: CheckClientOptions): Promise<CheckClientResult> {
  const profile = toProfile(options.profile ?? DEFAULT_PROFILE);
  const underFaults = options.faults !== undefined;
  const mock = await startReferenceProvider({ profile, faults: options.faults, recordTraffic: true });
  const failures: string[] = [];
  let outcome: RunOutcome;
  let traffic: readonly TrafficEntry[];
  try {
    outcome = await run(options, mock.url, failures);
  } finally {
    // Read once the server is closed: a request still in flight when the client ended is in it, cut.
    await mock.close();
    traffic = mock.traffic ?? [];
  }
  // Without faults, a request the client itself gave up on is not judged (as before faults existed); with them, every request is.
  const judged = underFaults ? traffic : traffic.filter((entry) => !entry.clientClosed);
  const requests: CheckedRequest[] = judged.map((entry) => {
    const at = entry.path.indexOf('?');
    const [path, query] = at < 0 ? [entry.path, ''] : [entry.path.slice(0, at), entry.path.slice(at + 1)];
    const { kind, version, problems } = checkClientRequest({ method: entry.method, path, query, headers: {}, rawHeaders: entry.rawHeaders, body: undefined, bytes: entry.body }, profile);
    // The mock answers as Graph would: a request it refused (other than by an injected fault) fails the client.
    const status = entry.answer?.status ?? null;
    if (status !== null && (status < 200 || status > 299) && !entry.fault && problems.length === 0) {
      const error = entry.answer?.error;
      problems.push({ where: 'answer', message: `the mock refused it with ${status}${error ? ` ${error.code}: ${error.message}` : ''}` });
    }
    return {
      method: entry.method,
      path,
      query: withoutCredentials(query),
      ...(kind ? { kind } : {}),
      ...(version ? { version } : {}),
      status,
      problems,
      ...(entry.fault ? { fault: entry.fault.by === 'rate-limit' ? 'rate-limit' : String(entry.fault.kind) } : {}),
    };
  });
  const { exitCode, output, signal, timedOut, startError, interrupted } = outcome;
  if (requests.length === 0 && !startError) failures.push('the client made no request to VPPKIT_MOCK_URL');
  // Under faults, giving up loudly after a fault is allowed; a non-zero exit with no fault to give up on is not.
  const faulted = traffic.some((entry) => entry.fault !== undefined);
  if (exitCode !== 0 && exitCode !== null && !(underFaults && faulted)) failures.push(`the client exited with code ${exitCode}`);
  const broken = requests.filter((r) => r.problems.length > 0).length;
  if (broken > 0) failures.push(`${broken} of ${requests.length} request${requests.length === 1 ? '' : 's'} broke the contract`);

  let behaviour: BehaviourVerdict | undefined;
  let checks: NamedCheck[] | undefined;
  if (underFaults) {
    behaviour = judgeClientBehaviour(traffic, { maxAttempts: options.maxAttempts, clientSucceeded: exitCode === 0 });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    checks = [
      ...behaviour.checks.map((c) => ({ name: c.name, passed: c.passed, findings: c.findings.map((f) => f.message), ...(c.skipped ? { skipped: c.skipped } : {}) })),
      { name: 'timeout' as const, passed: !timedOut, findings: timedOut ? [`the client did not finish within ${timeoutMs / 1000} s`] : [] },
    ];
    for (const c of behaviour.checks) if (!c.passed) failures.push(`${c.name}: ${c.findings.length} finding${c.findings.length === 1 ? '' : 's'}`);
  }
  const passed = failures.length === 0;
  const cause = passed ? undefined : likelyCause(requests.filter((r) => r.problems.length > 0).map((r) => r.status), CLIENT_QUESTIONS, requests.length);

  let pactFile: string | undefined;
  // The pact describes only what got a plain answer: a create answered under an injected fault says nothing of the contract.
  const plain = traffic.filter((entry) => entry.method === 'POST' && entry.fault === undefined && entry.answer?.status === 201 && tokenOf(entry) !== undefined);
  if (passed && plain.length > 0) {
    const consumer = options.consumer ?? 'vpptokens-client';
    const provider = options.provider ?? VPP_TOKENS_PROVIDER;
    const pactDir = options.pactDir ?? join(process.cwd(), 'pacts');
    const specs = new Map<string, InteractionSpec>();
    for (const entry of plain) {
      // The client's token is a credential: the pact holds a placeholder (EXAMPLE_VPP_TOKEN) in its place.
      const sent = createBodyOf(entry) as unknown as VppTokenCreateRequest;
      const body = { ...sent, token: EXAMPLE_VPP_TOKEN };
      const description = describeCreate(body as unknown as Record<string, unknown>);
      if (!specs.has(description)) specs.set(description, createInteraction(description, body, { profile }));
    }
    rmSync(join(pactDir, `${consumer}-${provider}.json`), { force: true });
    pactFile = await writePact([...specs.values()], { consumer, provider, dir: pactDir });
  }
  const ended = `client exit code ${exitCode ?? (signal ? `none (killed by ${signal})` : startError ? 'none (not started)' : 'none (killed)')}`;
  const reads = requests.filter((r) => r.kind === 'list' || r.kind === 'read').length;
  const shape = `${requests.length} request${requests.length === 1 ? '' : 's'} checked${reads ? ` (${reads} read${reads === 1 ? '' : 's'} of what it created)` : ''}: ${requests.length - broken} kept the contract, ${broken} broke it`;
  const summary = behaviour ? `${shape}; ${behaviour.summary}; ${ended}` : `${shape}; ${ended}`;
  return {
    passed,
    exitCode,
    signal,
    timedOut,
    startError,
    interrupted,
    requests,
    failures,
    pactFile,
    output,
    summary,
    ...(cause ? { likelyCause: cause } : {}),
    ...(underFaults ? { faults: mock.faults, checks, behaviour, traffic } : {}),
  };
}

/** The most bytes of a client's piped output kept in the result (`stdio: 'pipe'`): 1 MiB. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

interface RunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  startError?: string;
  interrupted?: string;
  output?: string;
}

/** Whether any process of the group still exists (zombies awaiting their reaper count as gone soon). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Stops the client's whole process group (the client and everything it started, such as a server holding a
 * port): SIGTERM, then SIGKILL after the grace period, then waits (at most another grace period) until the
 * group is gone.
 */
async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  const until = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let waited = 0; waited < graceMs && groupAlive(pgid); waited += 25) await until(25);
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGKILL');
  for (let waited = 0; waited < graceMs && groupAlive(pgid); waited += 25) await until(25);
}

/**
 * Runs the client in its own process group (decision 0022). On timeout, on SIGINT/SIGTERM to vppkit, and after
 * the client exits, the group is stopped, so nothing the client started outlives the check.
 */
function run(options: CheckClientOptions, mockUrl: string, failures: string[]): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const pipe = options.stdio === 'pipe';
    const graceMs = options.killGraceMs ?? 2000;
    const fd = (stream: Writable | undefined): number | 'pipe' | 'inherit' => {
      if (stream === undefined) return 'inherit';
      const n = (stream as { fd?: unknown }).fd;
      return typeof n === 'number' ? n : 'pipe';
    };
    const out = pipe ? 'pipe' : fd(options.output?.stdout);
    const err = pipe ? 'pipe' : fd(options.output?.stderr);
    const child = spawn(options.command, options.args ?? [], {
      env: { ...process.env, ...options.env, VPPKIT_MOCK_URL: mockUrl },
      stdio: [pipe ? 'ignore' : 'inherit', out, err],
      detached: true,
    });
    // Given streams without a file descriptor get the client's output as it comes.
    if (!pipe && out === 'pipe') child.stdout?.pipe(options.output!.stdout, { end: false });
    if (!pipe && err === 'pipe') child.stderr?.pipe(options.output!.stderr, { end: false });
    // The client's output is kept up to a bound: a client that prints without end must not fill vppkit's memory.
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let dropped = 0;
    const keep = (chunk: Buffer) => {
      const room = MAX_OUTPUT_BYTES - keptBytes;
      if (room > 0) kept.push(chunk.subarray(0, room));
      keptBytes += Math.min(room > 0 ? room : 0, chunk.length);
      dropped += Math.max(0, chunk.length - Math.max(0, room));
    };
    const outputText = () => Buffer.concat(kept).toString('utf8') + (dropped > 0 ? `\n[vppkit: ${dropped} more bytes of the client's output were not kept (at most ${MAX_OUTPUT_BYTES})]\n` : '');
    if (pipe) {
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timedOut = false;
    let interrupted: string | undefined;
    let settled = false;
    const stopping: Promise<void>[] = [];
    const stop = () => {
      if (child.pid !== undefined) stopping.push(stopGroup(child.pid, graceMs));
    };
    const timer = setTimeout(() => {
      timedOut = true;
      failures.push(`the client did not finish within ${timeoutMs / 1000} s: its process group was stopped (SIGTERM, then SIGKILL after ${graceMs / 1000} s)`);
      stop();
    }, timeoutMs);
    // The client has its own process group, so a Ctrl-C at the terminal reaches only vppkit: the CLI aborts the
    // signal, and the group is stopped here.
    const onAbort = () => {
      const reason = options.signal?.reason;
      interrupted ??= typeof reason === 'string' ? reason : 'the caller';
      stop();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = async (outcome: Omit<RunOutcome, 'timedOut' | 'interrupted' | 'output'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (outcome.startError === undefined && child.pid !== undefined) stop();
      await Promise.all(stopping);
      // Collect what is still in the pipes, now that nothing of the group can hold them open.
      const open = [child.stdout, child.stderr].filter((s) => s !== null && !s.destroyed);
      await Promise.race([Promise.all(open.map((s) => new Promise((done) => s!.once('close', done)))), new Promise((done) => setTimeout(done, graceMs).unref())]);
      if (outcome.signal && !timedOut && !interrupted) failures.push(`the client was killed by signal ${outcome.signal}`);
      if (interrupted) failures.push(`interrupted by ${interrupted}: the client's process group was stopped`);
      resolve({ ...outcome, timedOut, interrupted, output: pipe ? outputText() : undefined });
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      const startError = error.code === 'ENOENT' ? `command not found: ${options.command}` : `could not start ${options.command}: ${error.message}`;
      failures.push(startError);
      void finish({ exitCode: null, signal: null, startError });
    });
    // 'exit', not 'close': a grandchild holding the client's stdout would delay 'close' for ever.
    child.on('exit', (code, signal) => {
      void finish({ exitCode: code, signal });
    });
  });
}

export { checkClientJUnit } from './junit';
