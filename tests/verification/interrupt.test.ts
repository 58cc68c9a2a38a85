// An interrupt stops verify's worker at once (outside tester G20): Pact's native core takes SIGINT and SIGTERM for
// itself and went on verifying every interaction, so Ctrl-C or a CI's SIGTERM left the run going until the total
// timeout killed it (then "interrupted by SIGKILL", a signal nobody sent). The worker now gets the signal, and is
// killed if it has not stopped a moment later; the interrupt names the signal received.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { BIN } from '../support/cli';
import { PassThrough } from 'node:stream';
import { verifyInWorker, VerificationInterrupted } from '../../src/verification';
import { listenOnLoopback } from '../support/listen';

describe("an interrupt stops verify's worker", () => {
  it.each(['SIGINT', 'SIGTERM'])('%s during the verification: interrupted by it, not by the total timeout', async (signal) => {
    // A provider that takes every request and answers none: the verification is under way when the interrupt comes.
    let first!: () => void;
    const reached = new Promise<void>((resolve) => (first = resolve));
    const provider = await listenOnLoopback(createServer(() => first()));
    const abort = new AbortController();
    try {
      const run = verifyInWorker({ providerBaseUrl: provider.url, timeoutMs: 120_000, totalTimeoutMs: 120_000 }, { report: new PassThrough().resume(), warnings: new PassThrough().resume(), signal: abort.signal, graceMs: 120_000 });
      await reached;
      abort.abort(signal);
      await expect(run).rejects.toThrow(new VerificationInterrupted(`interrupted by ${signal}`));
    } finally {
      await provider.close();
    }
  });
});

// Noticed last round: a worker whose parent was killed outright (SIGKILL) ran on to the total timeout, and a
// SIGTERM sent to it did nothing (process.exit waited for Pact's native core). Its parent's end now ends it.
it("ends verify's worker when its parent is killed outright: the worker's connection to the provider closes", async () => {
  let reached!: (socket: Socket) => void;
  const first = new Promise<Socket>((resolve) => (reached = resolve));
  const provider = await listenOnLoopback(createServer((req) => reached(req.socket)));
  const parent = spawn(process.execPath, [BIN, 'verify', '--provider-base-url', provider.url, '--timeout', '120', '--total-timeout', '300'], { stdio: 'ignore', env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } });
  try {
    const socket = await first;
    const closed = new Promise<'closed'>((resolve) => socket.once('close', () => resolve('closed')));
    parent.kill('SIGKILL');
    // Bounded: without the fix the worker kept the connection for the whole --timeout of 120 s.
    let bound: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([closed, new Promise<'still open'>((resolve) => (bound = setTimeout(() => resolve('still open'), 20_000)))]);
    clearTimeout(bound);
    expect(outcome).toBe('closed');
  } finally {
    parent.kill('SIGKILL');
    await provider.close();
  }
});

it('a SIGTERM sent to the worker itself ends it, named as the interrupt', async () => {
  let first!: () => void;
  const reached = new Promise<void>((resolve) => (first = resolve));
  const provider = await listenOnLoopback(createServer(() => first()));
  const warnings = new PassThrough().resume();
  try {
    const run = verifyInWorker({ providerBaseUrl: provider.url, timeoutMs: 120_000, totalTimeoutMs: 120_000 }, { report: new PassThrough().resume(), warnings, graceMs: 120_000 });
    await reached;
    // The worker: this process's one child running worker-main.
    const workers = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'worker-main'], { encoding: 'utf8' }).trim().split('\n').map(Number);
    expect(workers).toHaveLength(1);
    process.kill(workers[0], 'SIGTERM');
    await expect(run).rejects.toThrow(new VerificationInterrupted('interrupted by SIGTERM'));
  } finally {
    await provider.close();
  }
});
