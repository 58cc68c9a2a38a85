// Memory kept per stored vppToken, measured in a child Node with --expose-gc (heap after full collections, not
// time). It runs the built dist/ (only the provider and the fixtures, not Pact), as the CLI tests do (npm test
// builds it first). The creates are written on one connection, pipelined (RFC 9112 §9.3.2), by hand: the
// provider's handling is the same, and node:http's client cost a third of the process's CPU for 4,000 requests.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const DIST = join(__dirname, '..', '..', 'dist');
const MEASURE = `
const { startReferenceProvider } = require(${JSON.stringify(join(DIST, 'provider'))});
const { createRequestFactory } = require(${JSON.stringify(join(DIST, 'fixtures'))});
const net = require('node:net');
(async () => {
  const n = 4000, warm = 500;
  const provider = await startReferenceProvider();
  const port = Number(new URL(provider.url).port);
  globalThis.bodies = createRequestFactory.withSeed(3).buildList(n).map((r) => JSON.stringify(r));
  // Creates from..to on one connection, written at once; resolves when as many answers have begun and it is closed.
  const post = (from, to) => new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answers = 0, tail = '';
    socket.on('data', (chunk) => {
      const text = tail + chunk.toString('latin1');
      answers += text.split('HTTP/1.1 ').length - 1;
      tail = text.slice(-8);
      if (answers === to - from) socket.end(resolve);
    });
    socket.on('error', reject);
    for (let i = from; i < to; i++) socket.write('POST /deviceAppManagement/vppTokens HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Type: application/json\\r\\nAuthorization: Bearer x\\r\\nContent-Length: ' + Buffer.byteLength(bodies[i]) + '\\r\\n\\r\\n' + bodies[i]);
  });
  await post(0, warm);
  global.gc(); global.gc();
  const before = process.memoryUsage().heapUsed;
  await post(warm, n);
  global.gc(); global.gc();
  const after = process.memoryUsage().heapUsed;
  process.stdout.write(JSON.stringify({ stored: provider.vppTokens.size, bodies: bodies.length, perToken: (after - before) / (n - warm) }));
  await provider.close();
})();
`;

// The child is bounded below the test's own timeout and killed in finally: a test that times out must not leave it
// storing 4,000 vppTokens into the next file's time. It takes 12-17 s under the load of seven sessions on 2 cores, so
// the test is given 60 s, not jest.config.js's 30, and the child 55.
const [TEST_BOUND_MS, CHILD_BOUND_MS] = [60_000, 55_000];

it('keeps a typical vppToken in well under a kilobyte (it was 1.4 KB as an object; the request is about 470 bytes)', async () => {
  const child = new AbortController();
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '-e', MEASURE], { signal: child.signal, timeout: CHILD_BOUND_MS, killSignal: 'SIGKILL' }));
  } finally {
    child.abort();
  }
  const { stored, perToken } = JSON.parse(stdout) as { stored: number; perToken: number };
  expect(stored).toBe(4000);
  // Measured 726-754 bytes at 17a0433 and 751-828 on one later tree, run after run (the heap after a collection
  // moves by some 200 KB with sockets and compiled code, ±60 bytes a token): 800 failed correct trees under load.
  // 900 still fails the 1.4 KB object the store once kept, which is what this test is for. Decision 0650's key of
  // each Apple token (a small integer in a map, for serve's log) adds some 40 bytes: 840-858 measured side by side
  // with 748-824 before it, so 950, which fails the 1.4 KB object as well.
  expect(perToken).toBeLessThan(950);
}, TEST_BOUND_MS);
