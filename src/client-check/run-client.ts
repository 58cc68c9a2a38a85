// Runs the client under check as a process group, bounded in time and output (decision 0022).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { assignedName, shownProgram } from '../net/redact';
import { systemReason } from '../net/system-error';
import type { CheckClientOptions } from './types';

/** How long a client may run unless told (`timeoutMs`). */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** The most bytes of a client's piped output kept in the result (`stdio: 'pipe'`): 1 MiB. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

export interface RunOutcome {
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

/** The names the mock's host goes by: curl, Python, Go, Ruby and Node 24's env proxy each match one of these. */
const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

/**
 * The client's environment with the mock's loopback host in NO_PROXY and no_proxy, the user's entries kept: with
 * http_proxy or HTTP_PROXY set (a corporate CI runner), curl, Python's requests and urllib and Go send a loopback
 * URL to the proxy unless NO_PROXY names it, and the client "made no request to VPPKIT_MOCK_URL" (outside finding
 * P8, decision 0411). Both spellings, one list: tools read one or the other, some only the lowercase one.
 */
export function withLoopbackNotProxied(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const given = [env.NO_PROXY, env.no_proxy].filter((v): v is string => v !== undefined && v.trim() !== '');
  const entries = [...new Set(given.flatMap((v) => v.split(',').map((e) => e.trim()).filter((e) => e !== '')))];
  const missing = LOOPBACK.filter((host) => !entries.includes(host));
  const list = [...entries, ...missing].join(',');
  return { ...env, NO_PROXY: list, no_proxy: list };
}

/**
 * Runs the client in its own process group (decision 0022). On timeout, on SIGINT/SIGTERM to vppkit, and after
 * the client exits, the group is stopped, so nothing the client started outlives the check.
 */
export function runClient(options: CheckClientOptions, mockUrl: string, failures: string[]): Promise<RunOutcome> {
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
      env: { ...withLoopbackNotProxied({ ...process.env, ...options.env }), VPPKIT_MOCK_URL: mockUrl },
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
      const startError = startErrorOf(options.command, options.args ?? [], error);
      failures.push(startError);
      void finish({ exitCode: null, signal: null, startError });
    });
    // 'exit', not 'close': a grandchild holding the client's stdout would delay 'close' for ever.
    child.on('exit', (code, signal) => {
      void finish({ exitCode: code, signal });
    });
  });
}

/**
 * Why the client could not be started, its program shown by shownProgram (never a `NAME=value`'s value: outside
 * tester P3), with what to do when the program was the shell's assignment idiom.
 */
const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const basenameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The file a command names, as spawn finds it: a path as it is, a bare name on this process's PATH. */
function programFile(command: string): string | undefined {
  if (command.includes('/')) return isAbsolute(command) ? command : resolve(command);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, command);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * The interpreter a script's `#!` line names, when the script is there and that interpreter is not (execve(2) says
 * ENOENT for both): its first line's first word, as the kernel reads it (a `\r` of Windows line endings included).
 */
function missingInterpreterOf(command: string): string | undefined {
  const file = programFile(command);
  if (file === undefined) return undefined;
  let head: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      head = Buffer.alloc(256);
      head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const line = /^#![ \t]*([^ \t\n]+)/.exec(head.toString('latin1'));
  if (line === null || existsSync(line[1])) return undefined;
  return line[1];
}

function startErrorOf(command: string, args: readonly string[], error: NodeJS.ErrnoException): string {
  const shown = shownProgram(command);
  // Found by an outside tester (R43): `spawn ./client.sh EACCES` for a script without its execute bit or a folder.
  if (error.code === 'EACCES' || error.code === 'EISDIR') {
    if (isFolder(command)) return `cannot start ${shown}: it is a folder, not a program`;
    return `cannot start ${shown}: ${systemReason(error)}: it is not executable; make it so (chmod +x ${shown}) or give its interpreter first (-- sh ${shown}, -- node ${shown})`;
  }
  if (error.code !== 'ENOENT') return `cannot start ${shown}: ${systemReason(error)}`;
  // Found by an outside tester (R47): the system says ENOENT for a script whose #! interpreter is missing, too.
  const interpreter = missingInterpreterOf(command);
  if (interpreter !== undefined) {
    if (interpreter.endsWith('\r')) {
      return `cannot start ${shown}: its first line names the interpreter ${JSON.stringify(interpreter)}, which does not exist: the script has Windows line endings (CRLF); convert them (sed -i 's/\\r$//' ${shown}) or give its interpreter first (-- ${basenameOf(interpreter.slice(0, -1))} ${shown})`;
    }
    const named = /^[\x21-\x7e]+$/.test(interpreter) ? interpreter : JSON.stringify(interpreter);
    return `cannot start ${shown}: its first line names the interpreter ${named}, which does not exist; install it, correct the #! line, or give an interpreter first (-- INTERPRETER ${shown})`;
  }
  const name = assignedName(command);
  const program = args.length > 0 ? shownProgram(args[0]) : 'PROGRAM';
  const hint = name === undefined ? '' : `: check-client runs no shell, so a NAME=value word is taken for the program; set the variable before vppkit (${name}=... vppkit check-client -- ${program} ...) or with env after -- (-- env ${name}=... ${program} ...)`;
  return `command not found: ${shown}${hint}`;
}
