// The entry of verify's worker process (started by verifyInWorker, src/verification/worker.ts): options as JSON on
// stdin, Pact's report on stdout, the answer as JSON on file descriptor 3. It loads only the verification.
import { createWriteStream } from 'node:fs';
import { VerificationSetupError, verifyProvider, type VerifyOptions } from './index';
import type { WorkerAnswer } from './worker';

// An interrupt forwarded by the parent ends the worker with the interrupt's code (decision 0020).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
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

async function run(): Promise<void> {
  let text = '';
  for await (const chunk of process.stdin) text += (chunk as Buffer).toString('utf8');
  try {
    await answer({ result: await verifyProvider(JSON.parse(text) as VerifyOptions) });
  } catch (error) {
    await answer(
      error instanceof VerificationSetupError
        ? { setupError: error.message }
        : { internalError: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined },
    );
  }
}

void run();
