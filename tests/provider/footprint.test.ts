// Memory kept per stored vppToken, measured in a child Node with --expose-gc (heap after full collections, not
// time). It runs the built dist/ (only the provider and the fixtures, not Pact), as the CLI tests do (npm test
// builds it first).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const DIST = join(__dirname, '..', '..', 'dist');
const MEASURE = `
const { startReferenceProvider } = require(${JSON.stringify(join(DIST, 'provider'))});
const { createRequestFactory } = require(${JSON.stringify(join(DIST, 'fixtures'))});
const http = require('node:http');
(async () => {
  const n = 4000, warm = 500;
  const provider = await startReferenceProvider();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  globalThis.bodies = createRequestFactory.withSeed(3).buildList(n).map((r) => JSON.stringify(r));
  const post = (body) => new Promise((resolve, reject) => {
    const req = http.request(provider.url + '/deviceAppManagement/vppTokens', { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer x' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
    req.end(body);
  });
  for (let i = 0; i < warm; i++) await post(bodies[i]);
  global.gc(); global.gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = warm; i < n; i++) await post(bodies[i]);
  global.gc(); global.gc();
  const after = process.memoryUsage().heapUsed;
  process.stdout.write(JSON.stringify({ stored: provider.vppTokens.size, bodies: bodies.length, perToken: (after - before) / (n - warm) }));
  agent.destroy();
  await provider.close();
})();
`;

it('keeps a typical vppToken in well under a kilobyte (it was 1.4 KB as an object; the request is about 470 bytes)', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '-e', MEASURE]);
  const { stored, perToken } = JSON.parse(stdout) as { stored: number; perToken: number };
  expect(stored).toBe(4000);
  // Measured 726-754 bytes at 17a0433 and 751-828 on one later tree, run after run (the heap after a collection
  // moves by some 200 KB with sockets and compiled code, ±60 bytes a token): 800 failed correct trees under load.
  // 900 still fails the 1.4 KB object the store once kept, which is what this test is for.
  expect(perToken).toBeLessThan(900);
});
