// verify's worker (decision 0021, 0095): the verification in a child process of its own, started from here.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import { VERIFY_OPTION_NAMES, type PublishedResults, type VerifyOptions, type VerifyResult } from './types';
import { optionsObjectProblem, shownOption, membersProblem, millisecondsOptionProblem } from '../net/option';
import { escapeControls, redactStream } from '../net/redact';
import { VerificationSetupError, secretsOfVerify, verifyMembersProblem } from './setup';

/** What the worker sends back on file descriptor 3. */
export type WorkerAnswer = { result: VerifyResult } | { setupError: string; published?: PublishedResults } | { internalError: string; stack?: string } | { interrupted: NodeJS.Signals };

/** The worker's entry: a plain Node script that loads only the verification (dist/verification/worker-main.js). */
export const WORKER_ENTRY = join(__dirname, '..', '..', 'dist', 'verification', 'worker-main.js');

export interface WorkerOptions {
  /** Where Pact's per-interaction report goes, as the worker prints it. */
  report: Writable;
  /** Where the worker's own standard error goes (Pact's and Node's warnings); default process.stderr. */
  warnings?: Writable;
  /** Keep Pact's colour codes in the report (a terminal); stripped otherwise. */
  colour?: boolean;
  /** Aborting stops the worker (SIGTERM, or the abort reason when it is a signal's name): the result is an interrupt. */
  signal?: AbortSignal;
  /** The worker's environment (default process.env); PACT_BROKER_* variables never reach it. */
  env?: NodeJS.ProcessEnv;
  /** How long past `totalTimeoutMs` the worker may live before it is killed (default 10 s). */
  graceMs?: number;
}

/** The names WorkerOptions takes (decisions 0408, 0760). */
const WORKER_OPTION_NAMES = Object.keys({ report: true, warnings: true, colour: true, signal: true, env: true, graceMs: true } satisfies Record<keyof WorkerOptions, true>);

/** How long a worker has to stop after an interrupt is passed on to it, before it is killed. */
const STOP_GRACE_MS = 2_000;

/** The verification was interrupted (the signal was aborted): nothing was decided. */
export class VerificationInterrupted extends Error {
  override readonly name = 'VerificationInterrupted';
}

/**
 * Runs `verifyProvider(options)` in a child process and resolves to its result. Why a process (decision 0021):
 * Pact's native core writes its report straight to file descriptor 1, in colour, and may keep threads alive after
 * a provider hangs. The child's report is passed on to `report` (colour codes stripped unless `colour`); the child
 * is killed if it outlives the total timeout (VerificationSetupError), and stopped when `signal` aborts
 * (VerificationInterrupted). Options that are functions (state handlers, a request filter) can't cross the process
 * boundary: use verifyProvider in-process for those.
 */
export async function verifyInWorker(options: VerifyOptions, worker: WorkerOptions): Promise<VerifyResult> {
  // Both arguments' shapes by the library's one rule (src/net/option.ts, decision 0760), before a process starts.
  const shape = optionsObjectProblem('verifyInWorker', options, VERIFY_OPTION_NAMES, 'required') ?? optionsObjectProblem("verifyInWorker's second argument", worker, WORKER_OPTION_NAMES, 'required');
  if (shape) throw new TypeError(shape);
  const members = verifyMembersProblem(options) ?? membersProblem(worker, { colour: 'boolean', env: ['object', 'an object of environment variables, such as process.env'], signal: 'signal', warnings: 'writable' }) ?? millisecondsOptionProblem('graceMs', worker.graceMs, 'from 0');
  if (members) throw new TypeError(members);
  if (typeof (worker.report as Partial<Writable> | undefined)?.write !== 'function') throw new TypeError(`report must be a writable stream, such as process.stdout (got ${shownOption(worker.report)})`);
  if (options.stateHandlers || options.requestFilter || options.clock) throw new TypeError('verifyInWorker: stateHandlers, requestFilter and clock are functions, which a worker process cannot take; use verifyProvider');
  const graceMs = worker.graceMs ?? 10_000;
  const totalMs = options.totalTimeoutMs ?? 600_000;
  // Pact's core falls back to PACT_BROKER_* itself, which would add the broker's pacts to given pact files:
  // the options already say whether the broker is used.
  const source = worker.env ?? process.env;
  const env = Object.fromEntries(Object.entries(source).filter(([name]) => !name.startsWith('PACT_BROKER_')));
  const child = spawn(process.execPath, [WORKER_ENTRY], {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env: { ...env, PACT_DO_NOT_TRACK: source.PACT_DO_NOT_TRACK ?? 'true' },
  });
  // Secrets (bearer, broker token) go through a pipe, never argv or the environment: one line, and the pipe stays
  // open while this process lives, so that a worker whose parent was killed outright sees it end and stops.
  child.stdin!.on('error', () => undefined);
  child.stdin!.write(`${JSON.stringify(options)}\n`);
  // Pact's report quotes what the provider answered, which may echo a credential it was given.
  // On a terminal too: Pact's report quotes the provider's answers, whose control characters are data (H19).
  const shown = child.stdout!.pipe(stripAnsi({ keepColour: worker.colour })).pipe(redactStream(secretsOfVerify(options)));
  shown.pipe(worker.report, { end: false });
  // Pact and Node write their warnings to the worker's stderr: passed on as they are.
  child.stderr!.pipe(worker.warnings ?? process.stderr, { end: false });
  const reportDone = Promise.all([new Promise((resolve) => shown.once('end', resolve)), new Promise((resolve) => child.stderr!.once('end', resolve))]);
  let answer = '';
  (child.stdio[3] as Readable).on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), totalMs + graceMs);
  const received = (): NodeJS.Signals => (typeof worker.signal?.reason === 'string' && /^SIG[A-Z]+$/.test(worker.signal.reason) ? (worker.signal.reason as NodeJS.Signals) : 'SIGTERM');
  // Pact's native core takes SIGINT and SIGTERM for itself once it verifies, and goes on through every interaction
  // (outside tester G20): a worker that has not stopped a moment after the signal is killed.
  let stopping: NodeJS.Timeout | undefined;
  const stop = () => {
    child.kill(received());
    stopping = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  };
  if (worker.signal?.aborted) stop();
  else worker.signal?.addEventListener('abort', stop, { once: true });
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    await reportDone;
    let parsed: WorkerAnswer | undefined;
    try {
      parsed = JSON.parse(answer) as WorkerAnswer;
    } catch {
      parsed = undefined;
    }
    // An interrupted worker says so on fd 3 and kills itself (Pact's native core holds up a plain exit), or dies of
    // the signal if it came before it could. The signal named is the one received, not the SIGKILL that ended it.
    if (worker.signal?.aborted) throw new VerificationInterrupted(`interrupted by ${received()}`);
    if (parsed && 'interrupted' in parsed) throw new VerificationInterrupted(`interrupted by ${parsed.interrupted}`);
    if (signal === 'SIGINT' || signal === 'SIGTERM' || code === 130) throw new VerificationInterrupted(`interrupted${signal ? ` by ${signal}` : ''}`);
    if (signal === 'SIGKILL') throw new VerificationSetupError(`the verification did not finish within ${totalMs / 1000} s (--total-timeout)`);
    if (!parsed) throw Object.assign(new Error(`the verification process ended (code ${code}, signal ${signal}) without a result`), { internal: true });
    if ('setupError' in parsed) throw new VerificationSetupError(parsed.setupError, parsed.published);
    if ('internalError' in parsed) throw Object.assign(new Error(parsed.internalError), { stack: parsed.stack ?? parsed.internalError });
    return parsed.result;
  } finally {
    clearTimeout(killer);
    clearTimeout(stopping);
    worker.signal?.removeEventListener('abort', stop);
    child.stdin!.destroy();
  }
}

/** A colour code (SGR, ESC [ ... m): all Pact colours its report with; any other escape code is a provider's byte. */
const ANSI = /\u001b\[[0-9;]*m/g;
/** An escape code as Rust's debug text writes it into Pact's log lines (`\x1b[31m`): never a colour, always noise. */
const WRITTEN = /(?:\\x1b|\\u001b|\\u\{1b\})\[[0-9;?]*[A-Za-z]/g;
const PARTIAL = /\r$|(?:\u001b|\\(?:x1?b?|u(?:0(?:0(?:1b?)?)?)?|u\{?(?:1b?\}?)?)?)(\[[0-9;?]*)?$/;


/**
 * Removes ANSI colour codes from a text stream, including a code cut between two chunks; with `keepColour`
 * only the ones written out as text (`\x1b[31m`, which no terminal shows as colour) are removed. Any other control
 * character, and any escape code that is not a colour (a provider's ESC [2J), is escaped (escapeControls).
 */
export function stripAnsi(options: { keepColour?: boolean } = {}): Transform {
  let held = '';
  const clean = (text: string) => escapeControls((options.keepColour ? text : text.replace(ANSI, '')).replace(WRITTEN, ''));
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const text = held + chunk.toString('utf8');
      const partial = PARTIAL.exec(text);
      held = partial ? partial[0] : '';
      done(null, clean(partial ? text.slice(0, partial.index) : text));
    },
    flush(done: TransformCallback) {
      done(null, clean(held));
    },
  });
}
