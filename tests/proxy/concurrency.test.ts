// Outside tester J21: the proxy's retry-after assumed a client runs 8 creates at once, with no way to say otherwise,
// so vppkit's own `seed --concurrency 16` failed it. `vppkit proxy --concurrency N` says how many, as check-client's.
import { createRequestFactory } from 'vpptokens-contract-kit';
import { run } from '../support/run-cli';
import { referenceProviderForFile } from '../support/file-provider';

const shared = referenceProviderForFile('vppkit-proxy-concurrency-');
const BEARER = 'Bearer eyJhbGciOiJub25lIn0.Y29uY3VycmVuY3k.';
const requests = createRequestFactory.withSeed(2121);

/** Runs the proxy with every create throttled (429, Retry-After 30): ten tokens at once, then an eleventh while they wait. The window is long so that a loaded machine spreading the ten answers over seconds still has the eleventh inside all ten (with 1 s it failed under load). */
function throttledRun(extra: string[]): Promise<{ code: number | null; stdout: string }> {
  const signal = new AbortController();
  return new Promise((resolve, reject) => {
    let started = false;
    const done = run(['proxy', '--port', '0', '--target', `${shared.provider.url}/beta`, '--fail-rate', '1', '--fail-with', '429', '--retry-after', '30', '--seed', '1', ...extra], {
      signal: signal.signal,
      onStdout: (_text, sofar) => {
        const match = /^listening on (http:\/\/127\.0\.0\.1:\d+), forwarding to /.exec(sofar);
        if (!match || started) return;
        started = true;
        const post = (i: number) => fetch(`${match[1]}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: BEARER }, body: JSON.stringify(requests.buildAt(i)) });
        void Promise.all(Array.from({ length: 10 }, (_, i) => post(i)))
          .then(() => post(10))
          .then(() => signal.abort('SIGTERM'), reject);
      },
    });
    void done.then((result) => resolve({ code: result.code, stdout: result.stdout }), reject);
  });
}

it('fails a client that runs more creates at once than --concurrency says, and passes it when it says enough', async () => {
  const [eight, sixteen] = await Promise.all([throttledRun([]), throttledRun(['--concurrency', '16'])]);
  expect(eight.stdout).toMatch(/^behaviour: client: retry-after: request \d+ sent token 11 .*: Graph throttles the client, not one request, so wait before any further request\. 10 other tokens within a Retry-After they were given \(none sent again: given up\) and 0 requests in flight already make the 8 the client is taken to run at once \(--concurrency, default 8(: give the client's own if it runs more\)|\); no two of its requests were seen in flight at once)$/m);
  expect(eight.code).toBe(1);
  expect(sixteen.stdout).not.toMatch(/retry-after: request/);
  expect(sixteen.stdout).toMatch(/^behaviour: .*retry-after: passed/m);
});
