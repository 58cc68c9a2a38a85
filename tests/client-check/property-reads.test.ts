// Outside tester J29: a client that reads one property of what it created, the OData way (OData 4.01 Part 2 §4.6
// "Addressing a Property", §4.7 "Addressing a Property Value"; Graph serves them), failed: 404, "BROKE THE
// CONTRACT". As for the other operations Graph takes and the mock does not model (decision 0183), it is 501, not judged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory, formatRequestProblem } from 'vpptokens-contract-kit';
import { checkClient } from 'vpptokens-contract-kit/provider';

const client = join(__dirname, 'clients', 'raw-client.js');
const pactDir = mkdtempSync(join(tmpdir(), 'vppkit-property-reads-'));
afterAll(() => rmSync(pactDir, { recursive: true, force: true }));
const AUTH = { Authorization: 'Bearer client-secret-token' };
const run = (sent: unknown[], consumer: string) => checkClient({ command: process.execPath, args: [client, JSON.stringify(sent)], consumer, pactDir, stdio: 'pipe' });

it('passes a client that reads one property or its raw value: not judged, never broken', async () => {
  const result = await run(
    [
      { path: '/beta/deviceAppManagement/vppTokens', body: createRequestFactory.withSeed(29).buildAt(0) },
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens/{id}/state', headers: AUTH },
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens/{id}/displayName/$value', headers: AUTH },
    ],
    'property-reads',
  );
  expect(result.requests.map((r) => [r.method, r.status, r.problems.map(formatRequestProblem), r.notModelled])).toEqual([
    ['POST', 201, [], undefined],
    ['GET', 501, [], 'reading one property of a vppToken (state) is not modelled by the mock: Graph takes it, the reference provider cannot answer it truly (docs/decisions/0183).'],
    ['GET', 501, [], 'reading one property of a vppToken (displayName/$value) is not modelled by the mock: Graph takes it, the reference provider cannot answer it truly (docs/decisions/0183).'],
  ]);
  expect(result.passed).toBe(true);
});

it('still fails a read of what no vppToken has, and a property read without a bearer', async () => {
  const result = await run(
    [
      { path: '/beta/deviceAppManagement/vppTokens', body: createRequestFactory.withSeed(29).buildAt(1) },
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens/{id}/noSuchProperty', headers: AUTH },
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens/{id}/state', headers: {} },
    ],
    'property-reads-broken',
  );
  expect(result.requests.map((r) => [r.status, r.problems.length > 0])).toEqual([
    [201, false],
    [404, true],
    [401, true],
  ]);
  expect(result.passed).toBe(false);
});
