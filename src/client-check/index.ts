import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { VppTokenCreateRequest } from '../generated/types';
import { EXAMPLE_VPP_TOKEN, VPP_TOKENS_PROVIDER, createInteraction, writePact, type InteractionSpec } from '../contract';
import { checkClientRequest, type ClientRequestKind, type RequestProblem } from '../judgement';
import { startReferenceProvider, type RecordedRequest } from '../provider';
import { DEFAULT_PROFILE, toProfile, type Profile } from '../schemas';

export interface CheckClientOptions {
  /** The client to run, with its arguments: any program in any language. */
  command: string;
  args?: string[];
  /** Consumer name for the Pact file written on success. */
  consumer?: string;
  provider?: string;
  /** Where the consumer's Pact file goes (`<consumer>-<provider>.json`); default ./pacts. */
  pactDir?: string;
  /** Stop the client's process group after this many milliseconds (default 120,000). */
  timeoutMs?: number;
  /** How long the client's process group gets between SIGTERM and SIGKILL (default 2,000 ms). */
  killGraceMs?: number;
  /** Extra environment for the client; VPPKIT_MOCK_URL is always set. */
  env?: NodeJS.ProcessEnv;
  /**
   * The Graph profile the client's requests are judged by (default beta). The client may keep the version prefix
   * of its profile (/beta, or /v1.0: the classic client's default) or leave it out; another one is refused.
   */
  profile?: Profile;
  /**
   * Aborting stops the client's process group and ends the check as interrupted (`interrupted` says by what: the
   * abort reason when it is a signal's name, such as the CLI's SIGINT). The library installs no signal handler.
   */
  signal?: AbortSignal;
  /**
   * Where the client's own output goes: `inherit` (default) to this terminal; `pipe` collects it in the result (at
   * most MAX_OUTPUT_BYTES); `stderr` sends both its streams to `stderr` (default process.stderr), keeping stdout
   * for a report (--json).
   */
  stdio?: 'inherit' | 'pipe' | 'stderr';
  /** Where `stdio: 'stderr'` writes the client's output (default process.stderr). */
  stderr?: NodeJS.WritableStream;
}

export interface CheckedRequest {
  method: string;
  /** The path as the client sent it, version prefix included. */
  path: string;
  /** The query string, without `?` ('' when none). */
  query: string;
  /** A create, or a read of what the client created (list or by id); undefined for neither. */
  kind?: ClientRequestKind;
  /** The version prefix the client used (`beta` or `v1.0`), when it used one. */
  version?: Profile;
  /** The status the mock answered with. */
  status: number;
  /** What broke the contract; a request the mock refused is never without one (`answer`, with the mock's reason). */
  problems: RequestProblem[];
}

export interface CheckClientResult {
  passed: boolean;
  /** The client's exit code; null when it was killed (signal or timeout). */
  exitCode: number | null;
  /** The signal that ended the client, when one did. */
  signal?: NodeJS.Signals | null;
  /** True when the client ran past timeoutMs and was stopped. */
  timedOut?: boolean;
  /** Set when the client could not be started at all (vppkit could not do the job: exit code 2). */
  startError?: string;
  /** Set when the run was interrupted (options.signal aborted): the signal's name, or 'the caller' (exit code 130). */
  interrupted?: string;
  requests: CheckedRequest[];
  /** Why the check failed as a whole (no request made, bad exit, timeout). */
  failures: string[];
  pactFile?: string;
  output?: string;
  summary: string;
}

/** A query string as reported: the value of an access_token (a bearer a client put in the URL) is never shown. */
const withoutCredentials = (query: string): string => query.replace(/(^|&)(access_token=)[^&]*/gi, '$1$2(not shown)');

/** A description Pact can tell apart: which properties the client sent, and which of them as null. */
function describe(body: VppTokenCreateRequest): string {
  const keys = Object.entries(body).map(([k, v]) => (v === null ? `${k} (null)` : k));
  return `a request to create a vppToken with ${keys.join(', ')}`;
}

/**
 * Runs a client against a mock of the provider and checks every request it makes against the contract.
 * Passes when the client made at least one request, every request kept the contract, and the client exited 0;
 * then writes the consumer's own Pact file from the requests it really made, with schema-derived matchers.
 */
export async function checkClient(options: CheckClientOptions): Promise<CheckClientResult> {
  const recorded: { request: RecordedRequest; status: number; error?: { code: string; message: string } }[] = [];
  const profile = toProfile(options.profile ?? DEFAULT_PROFILE);
  const mock = await startReferenceProvider({ profile, onRequest: (request, status, error) => recorded.push({ request, status, error }) });
  const failures: string[] = [];
  let outcome: RunOutcome;
  try {
    outcome = await run(options, mock.url, failures);
  } finally {
    await mock.close();
  }
  const requests: CheckedRequest[] = recorded.map(({ request, status, error }) => {
    const { kind, version, problems } = checkClientRequest(request, profile);
    // The mock answers as Graph would: a request it refused fails the client, whatever else was found.
    if ((status < 200 || status > 299) && problems.length === 0) {
      problems.push({ where: 'answer', message: `the mock refused it with ${status}${error ? ` ${error.code}: ${error.message}` : ''}` });
    }
    return { method: request.method, path: request.path, query: withoutCredentials(request.query), ...(kind ? { kind } : {}), ...(version ? { version } : {}), status, problems };
  });
  const { exitCode, output, signal, timedOut, startError, interrupted } = outcome;
  if (requests.length === 0 && !startError) failures.push('the client made no request to VPPKIT_MOCK_URL');
  if (exitCode !== 0 && exitCode !== null) failures.push(`the client exited with code ${exitCode}`);
  const broken = requests.filter((r) => r.problems.length > 0).length;
  if (broken > 0) failures.push(`${broken} of ${requests.length} request${requests.length === 1 ? '' : 's'} broke the contract`);
  const passed = failures.length === 0;

  let pactFile: string | undefined;
  if (passed) {
    const consumer = options.consumer ?? 'vpptokens-client';
    const provider = options.provider ?? VPP_TOKENS_PROVIDER;
    const pactDir = options.pactDir ?? join(process.cwd(), 'pacts');
    const specs = new Map<string, InteractionSpec>();
    // Only creates the mock answered with 201 go in the pact: reads are checked, not part of the create contract.
    for (const [i, { request, status }] of recorded.entries()) {
      if (requests[i].kind !== 'create' || status !== 201) continue;
      // The client's token is a credential: the pact holds a placeholder (EXAMPLE_VPP_TOKEN) in its place.
      const body = { ...(JSON.parse(request.body!) as VppTokenCreateRequest), token: EXAMPLE_VPP_TOKEN };
      const description = describe(body);
      if (!specs.has(description)) specs.set(description, createInteraction(description, body, undefined, profile));
    }
    rmSync(join(pactDir, `${consumer}-${provider}.json`), { force: true });
    pactFile = await writePact([...specs.values()], { consumer, provider, dir: pactDir });
  }
  const reads = requests.filter((r) => r.kind === 'list' || r.kind === 'read').length;
  const summary = `${requests.length} request${requests.length === 1 ? '' : 's'} checked${reads ? ` (${reads} read${reads === 1 ? '' : 's'} of what it created)` : ''}: ${requests.length - broken} kept the contract, ${broken} broke it; client exit code ${exitCode ?? (signal ? `none (killed by ${signal})` : startError ? 'none (not started)' : 'none (killed)')}`;
  return { passed, exitCode, signal, timedOut, startError, interrupted, requests, failures, pactFile, output, summary };
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
    const toStderr = options.stdio === 'stderr';
    const graceMs = options.killGraceMs ?? 2000;
    const child = spawn(options.command, options.args ?? [], {
      env: { ...process.env, ...options.env, VPPKIT_MOCK_URL: mockUrl },
      stdio: pipe ? ['ignore', 'pipe', 'pipe'] : toStderr ? ['inherit', 'pipe', 'pipe'] : 'inherit',
      detached: true,
    });
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
    if (toStderr) {
      const target = options.stderr ?? process.stderr;
      child.stdout?.pipe(target, { end: false });
      child.stderr?.pipe(target, { end: false });
    } else {
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
    }
    const timeoutMs = options.timeoutMs ?? 120_000;
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
