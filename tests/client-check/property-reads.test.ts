// Outside tester J29: a client that reads one property of what it created, the OData way (OData 4.01 Part 2 §4.6
// "Addressing a Property", §4.7 "Addressing a Property Value"; Graph serves them), failed: 404, "BROKE THE
// CONTRACT". As for the other operations Graph takes and the mock does not model (decision 0183), it is 501, not judged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory, formatRequestProblem } from 'vpptokens-contract-kit';
import type { Agent } from 'node:http';
import { checkInProcess } from '../support/in-process-client';

// Each test mostly waits on its client and the mock: the tests run at once (it.concurrent).
const { sendAll } = require('./clients/raw-client.js') as { sendAll(requests: unknown[], mockUrl: string, options: { agent: Agent }): Promise<void> };
const pactDir = mkdtempSync(join(tmpdir(), 'vppkit-property-reads-'));
afterAll(() => rmSync(pactDir, { recursive: true, force: true }));
const AUTH = { Authorization: 'Bearer client-secret-token' };
// The client runs in this process (decision 0710).
const run = (sent: unknown[], consumer: string) =>
  checkInProcess({ consumer, pactDir }, async (mockUrl, agent) => {
    await sendAll(sent, mockUrl, { agent });
    return 0;
  });

it.concurrent('passes a client that reads one property or its raw value: not judged, never broken', async () => {
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

it.concurrent('still fails a read of what no vppToken has, and a property read without a bearer', async () => {
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

// Outside tester K31: OData client libraries (Microsoft.OData.Client, Simple.OData.Client, Power Query's OData feeds)
// read the service's $metadata, or its service document, before their first request. Graph serves both (OData 4.01
// Part 1 §11.1.1, §11.1.2; the CSDL `vppkit drift` reads), without a token for $metadata, so the mock answers 501
// and check-client reports them not judged, with or without a bearer (decision 0266).
it.concurrent('passes a client that reads $metadata or the service document before its create: not judged, never broken', async () => {
  const result = await run(
    [
      { method: 'GET', path: '/beta/$metadata', headers: {} },
      { method: 'GET', path: '/beta/$metadata?$format=application/xml', headers: AUTH },
      { method: 'GET', path: '/beta/', headers: AUTH },
      { method: 'HEAD', path: '/beta', headers: {} },
      { path: '/beta/deviceAppManagement/vppTokens', body: createRequestFactory.withSeed(31).buildAt(0) },
    ],
    'metadata-reads',
  );
  expect(result.requests.map((r) => [r.method, r.status, r.problems.map(formatRequestProblem), r.notModelled])).toEqual([
    ['GET', 501, [], "reading Graph's metadata document ($metadata) is not modelled by the mock: Graph takes it, the reference provider cannot answer it truly (docs/decisions/0183)."],
    ['GET', 501, [], "reading Graph's metadata document ($metadata) is not modelled by the mock: Graph takes it, the reference provider cannot answer it truly (docs/decisions/0183)."],
    ['GET', 501, [], "reading Graph's service document (the service root) is not modelled by the mock: Graph takes it, the reference provider cannot answer it truly (docs/decisions/0183)."],
    ['HEAD', 501, [], "reading Graph's service document (the service root) is not modelled by the mock: Graph takes it, the reference provider cannot answer it truly (docs/decisions/0183)."],
    ['POST', 201, [], undefined],
  ]);
  expect(result.passed).toBe(true);
});

it.concurrent('still fails a metadata read that is not one: no version, a document Graph has not, a write (Graph\'s path, no metadata read)', async () => {
  const result = await run(
    [
      { path: '/beta/deviceAppManagement/vppTokens', body: createRequestFactory.withSeed(31).buildAt(1) },
      { method: 'GET', path: '/$metadata', headers: AUTH },
      { method: 'GET', path: '/beta/$metadatas', headers: AUTH },
      { method: 'POST', path: '/beta/$metadata', headers: AUTH },
    ],
    'metadata-reads-broken',
  );
  expect(result.requests.map((r) => [r.status, r.problems.length > 0, r.notModelled])).toEqual([
    [201, false, undefined],
    [404, true, undefined],
    [404, true, undefined],
    [404, true, undefined],
  ]);
  expect(result.passed).toBe(false);
});
