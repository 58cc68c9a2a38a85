import type { Readable, Writable } from 'node:stream';
import type { VerifyOptions, VerifyResult } from '../verification/types';
import type { WorkerOptions } from '../verification/worker';

/** Where a command writes: process.stdout or stderr, or any writable (a test's PassThrough). */
export type CliOutput = Writable & { isTTY?: boolean };
/** Where a command reads records or a client's options from: process.stdin, or any readable. */
export type CliInput = Readable & { isTTY?: boolean };

/**
 * Everything a command gets from outside: its streams, its environment and its interrupts. bin/vppkit.js builds it
 * from the process (the one place that touches process: argv, exit, signals); a test or another program builds
 * its own and runs `main(argv, io)` in-process.
 */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  stdin: CliInput;
  /** The environment options read (PACT_BROKER_TOKEN, VPPKIT_BEARER, NO_COLOR...), and children inherit. */
  env: NodeJS.ProcessEnv;
  /**
   * Aborted at the first interrupt (bin: SIGINT or SIGTERM, the signal's name as its reason). A command that has
   * work to finish (seed's requests in flight, check-client's client, verify's worker, serve's connections) does
   * it and returns 130; any other run ends at once with 130.
   */
  signal?: AbortSignal;
  /** Aborted at a second interrupt: seed abandons its requests in flight. (bin quits at a third.) */
  abandon?: AbortSignal;
  /**
   * Runs verify's verification: by default in verify's worker process (verifyInWorker), which bin always uses. A
   * test whose subject is not the worker (not Pact's report, its redaction or colour, not interrupts, not the
   * worker's environment) gives one that verifies in its own process, without starting a Node process per run
   * (docs/decisions/0253).
   */
  verification?: (options: VerifyOptions, worker: WorkerOptions) => Promise<VerifyResult>;
}

/** What a command's action works with: the io, and its verdict. */
export interface CliContext extends CliIo {
  signal: AbortSignal;
  /** The exit code the run ends with, set by the action (0 unless it says otherwise). */
  exitCode: number;
  /**
   * From now on the command handles an interrupt itself (finishes its work, then sets exitCode 130); before
   * this call an interrupt ends the run at once with 130, as nothing worth finishing has started.
   */
  handleInterrupts(): void;
}

/**
 * The line said when a FIFO named on the command line has no writer: the command waits for one, and an interrupt
 * ends the wait (decision 0530).
 */
export function noWriterNote(ctx: Pick<CliIo, 'stderr'>): (path: string) => void {
  return (path) => void ctx.stderr.write(`vppkit: waiting for a writer: ${path} is a FIFO no process has open for writing (Ctrl-C to stop)\n`);
}

/** The name of the signal that interrupted the run (bin gives it as the abort reason), for messages. */
export function interruptName(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'an interrupt';
}
