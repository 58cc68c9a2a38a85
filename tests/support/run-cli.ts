// Runs vppkit's CLI in-process, as bin/vppkit.js does but with captured streams: `main(argv, io)` from the
// source, no child process (fast, and seen by coverage). Spawn the bin (tests/support/cli.ts) only where the
// process itself is tested: signals, pipes, the bin, the worker.
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { verifyProvider } from '../../src/verification';
import { vppkit as spawnVppkit, type CliResult } from './cli';

export interface RunOptions {
  /** What the command reads on stdin; without it stdin is empty (as `</dev/null`). */
  input?: string | Buffer | Readable;
  /** Added to this process's environment (PACT_DO_NOT_TRACK=true is always set). */
  env?: NodeJS.ProcessEnv;
  /** Pretend stdin is a terminal (for "pipe records into stdin" refusals). */
  stdinIsTTY?: boolean;
  /** Aborted = an interrupt (the reason names the signal, as bin gives it). */
  signal?: AbortSignal;
  abandon?: AbortSignal;
  /** Run in this folder: a process of its own (one process has one working directory). */
  cwd?: string;
  /** Called with each chunk as it is written to stdout (to wait for "listening on ..."). */
  onStdout?: (text: string, sofar: string) => void;
  /** Called with each chunk as it is written to stderr (to wait for a note). */
  onStderr?: (text: string, sofar: string) => void;
  /**
   * verify verifies in its worker process, as bin does: for a test of what the worker does (Pact's report in stdout,
   * its redaction and colour, interrupts, the environment given). Without it verify verifies in this process
   * (verifyProvider, what the worker runs), and Pact's report goes to this process's stdout (decision 0253).
   */
  worker?: boolean;
}

/** Runs `vppkit ARGS` in-process and resolves to its exit code and what it wrote. */
export async function run(args: string[], options: RunOptions = {}): Promise<CliResult> {
  if (options.cwd !== undefined) return spawnVppkit(args, { input: typeof options.input === 'string' ? options.input : undefined, env: options.env, cwd: options.cwd });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    out += text;
    options.onStdout?.(text, out);
  });
  stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    err += text;
    options.onStderr?.(text, err);
  });
  const input = options.input instanceof Readable ? options.input : Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]);
  if (options.stdinIsTTY) Object.assign(input, { isTTY: true });
  const code = await main(args, {
    stdout,
    stderr,
    stdin: input,
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true', ...options.env },
    signal: options.signal,
    abandon: options.abandon,
    ...(options.worker ? {} : { verification: (verifyOptions) => verifyProvider(verifyOptions) }),
  });
  // Whatever was written is read before the result is returned.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out, stderr: err };
}
