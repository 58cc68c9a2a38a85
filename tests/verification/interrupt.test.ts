// An interrupt stops verify's worker at once (outside tester G20): Pact's native core takes SIGINT and SIGTERM for
// itself and went on verifying every interaction, so Ctrl-C or a CI's SIGTERM left the run going until the total
// timeout killed it (then "interrupted by SIGKILL", a signal nobody sent). The worker now gets the signal, and is
// killed if it has not stopped a moment later; the interrupt names the signal received.
import { createServer } from 'node:http';
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
