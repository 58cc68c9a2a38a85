// The entry of verify's worker process (started by verifyInWorker, src/verification/worker.ts): options as JSON on
// stdin, Pact's report on stdout, the answer as JSON on file descriptor 3. It loads only the verification.
import { createWriteStream, writeSync } from 'node:fs';
import { VerificationSetupError, verifyProvider, type VerifyOptions } from './index';
import type { WorkerAnswer } from './worker';

/**
 * Ends the worker at once, having said why on file descriptor 3. process.exit waits for Pact's native core, which
 * does not stop while it verifies: an interrupted worker hung until its parent killed it, and an orphaned one
 * (its parent killed outright) ran on, deaf to SIGTERM. Nothing is left to clean up: the parent owns the files.
 */
function stopNow(why: WorkerAnswer | undefined): void {
  if (why && !sent) {
    sent = true;
    try {
      writeSync(3, JSON.stringify(why));
    } catch {
      // The parent is gone: nobody to tell.
    }
  }
  process.kill(process.pid, 'SIGKILL');
}

// An interrupt (forwarded by the parent, or sent to the worker itself) ends it, saying so (decision 0020).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopNow({ interrupted: signal }));
// pact-js's verification proxy throws outside any promise when the provider drops a connection mid-run. In this
// process that can only be the provider (nothing else runs here): one line, exit 2.
process.on('uncaughtException', (error: NodeJS.ErrnoException) => {
  const stopped = error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET';
  void answer(stopped ? { setupError: `the provider stopped answering (${error.code}); the verification did not finish` } : { internalError: error.message, stack: error.stack });
});

let sent = false;
function answer(value: WorkerAnswer): Promise<void> {
  if (sent) return Promise.resolve();
  sent = true;
  return new Promise(() => createWriteStream('', { fd: 3 }).end(JSON.stringify(value), () => process.exit(0)));
}

/**
 * The options: the first line on stdin. The parent keeps stdin open for the whole run, so its end means the parent
 * is gone (killed outright, SIGKILL): the worker ends too. Orphaned, it ran on to the total timeout, and Pact's
 * native core, which takes SIGTERM for itself, kept it deaf to a `kill` (noticed by the last round's helpers).
 */
function readOptions(): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    let read = false;
    process.stdin.on('data', (chunk: Buffer) => {
      if (read) return;
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end >= 0) {
        read = true;
        resolve(text.slice(0, end));
      }
    });
    process.stdin.on('end', () => (read ? stopNow(undefined) : resolve(text)));
  });
}

async function run(): Promise<void> {
  const text = await readOptions();
  try {
    await answer({ result: await verifyProvider(JSON.parse(text) as VerifyOptions) });
  } catch (error) {
    await answer(
      error instanceof VerificationSetupError
        ? { setupError: error.message, ...(error.published ? { published: error.published } : {}) }
        : { internalError: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined },
    );
  }
}

void run();
