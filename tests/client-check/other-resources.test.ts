// Outside tester R33: a client that reads other Graph resources beside its create (who am I, the deviceAppManagement
// singleton's settings, the apps the token syncs) failed check-client as "BROKE THE CONTRACT" (404), with the likely
// cause that it POSTs to the wrong path. Graph answers them; the mock models the vppTokens only, so they are 501, not
// judged, as what the mock does not model on a vppToken (decision 0183). A path that mistakes the vppTokens resource
// stays the client's error (decision 0520).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory, formatRequestProblem } from 'vpptokens-contract-kit';
import type { Agent } from 'node:http';
import { checkInProcess } from '../support/in-process-client';
import { notModelledOperation, readRequestTarget } from '../../src/judgement';

// Each test mostly waits on its client and the mock: the tests run at once (it.concurrent).
const { sendAll } = require('./clients/raw-client.js') as { sendAll(requests: unknown[], mockUrl: string, options: { agent: Agent }): Promise<void> };
const pactDir = mkdtempSync(join(tmpdir(), 'vppkit-other-resources-'));
afterAll(() => rmSync(pactDir, { recursive: true, force: true }));
const AUTH = { Authorization: 'Bearer client-secret-token' };
// The client runs in this process (decision 0710).
const run = (sent: unknown[], consumer: string) =>
  checkInProcess({ consumer, pactDir }, async (mockUrl, agent) => {
    await sendAll(sent, mockUrl, { agent });
    return 0;
  });
const other = (method: string, target: string) => notModelledOperation(method, readRequestTarget(target));

it.concurrent('passes a client that reads and writes other Graph resources beside its create: 501, not judged, never broken', async () => {
  const result = await run(
    [
      { method: 'GET', path: '/beta/me', headers: AUTH },
      { method: 'GET', path: '/beta/deviceAppManagement', headers: AUTH },
      { method: 'GET', path: '/beta/deviceAppManagement/mobileApps?$top=5', headers: AUTH },
      { method: 'PATCH', path: '/beta/deviceAppManagement', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: '{"microsoftStoreForBusinessLanguage":"en-us"}' },
      { path: '/beta/deviceAppManagement/vppTokens', body: createRequestFactory.withSeed(83).buildAt(0) },
    ],
    'other-resources',
  );
  expect(result.requests.map((r) => [r.method, r.status, r.problems.map(formatRequestProblem), r.notModelled])).toEqual([
    ['GET', 501, [], expect.stringMatching(/^reading another Graph resource \(me\) is not modelled by the mock/)],
    ['GET', 501, [], expect.stringMatching(/^reading another Graph resource \(deviceAppManagement\) is not modelled by the mock/)],
    ['GET', 501, [], expect.stringMatching(/^reading another Graph resource \(deviceAppManagement\/mobileApps\) is not modelled by the mock/)],
    ['PATCH', 501, [], expect.stringMatching(/^PATCH of another Graph resource \(deviceAppManagement\) is not modelled by the mock/)],
    ['POST', 201, [], undefined],
  ]);
  // Counted apart from the one that kept the contract (they were counted in it): not judged is no pass.
  expect(result.counts).toEqual({ checked: 5, kept: 1, broke: 0, notJudged: 4, closedByClient: 0, notRun: 0, notModelled: 4 });
  expect(result.summary).toMatch(/^5 requests checked: 1 kept the contract, 0 broke it, 4 not judged \(not modelled by the mock: answered 501\);/);
  expect(result.likelyCause).toBeUndefined();
  expect(result.passed).toBe(true);
});

it.concurrent('still fails a path that mistakes the vppTokens resource, a root Graph has not, and another resource read without a bearer', async () => {
  const result = await run(
    [
      { path: '/beta/deviceAppManagement/vppTokens', body: createRequestFactory.withSeed(83).buildAt(1) },
      { method: 'GET', path: '/beta/deviceAppManagement/vppToken', headers: AUTH },
      { path: '/beta/deviceManagement/vppTokens', body: createRequestFactory.withSeed(83).buildAt(2) },
      { method: 'GET', path: '/beta/vppTokens', headers: AUTH },
      { method: 'GET', path: '/beta/deviceAppManagement/tokens', headers: AUTH },
      { method: 'GET', path: '/beta/noSuchRoot', headers: AUTH },
      { method: 'GET', path: '/beta/me', headers: {} },
    ],
    'other-resources-broken',
  );
  expect(result.requests.map((r) => [r.status, r.problems.length > 0, r.notModelled])).toEqual([
    [201, false, undefined],
    [404, true, undefined],
    [404, true, undefined],
    [404, true, undefined],
    [404, true, undefined],
    [404, true, undefined],
    [401, true, undefined],
  ]);
  // A read of another resource refused for its bearer is judged: broken, not "not judged".
  expect(result.counts).toEqual({ checked: 7, kept: 1, broke: 6, notJudged: 0, closedByClient: 0, notRun: 0, notModelled: 0 });
  expect(result.summary).toMatch(/^7 requests checked: 1 kept the contract, 6 broke it;/);
  expect(result.passed).toBe(false);
});

it.concurrent('says a client that only POSTs its vppToken to another Graph resource made no create', async () => {
  const body = JSON.stringify(createRequestFactory.withSeed(83).buildAt(3));
  const result = await run([{ method: 'POST', path: '/beta/deviceAppManagement/mobileApps', headers: { ...AUTH, 'Content-Type': 'application/json' }, body }], 'other-resources-no-create');
  expect(result.requests.map((r) => [r.status, r.problems.length, r.notModelled !== undefined])).toEqual([[501, 0, true]]);
  expect(result.passed).toBe(false);
  expect(result.failures.join('\n')).toMatch(/the client made no create \(POST \$VPPKIT_MOCK_URL\/deviceAppManagement\/vppTokens\), only 1 other request/);
});

describe('the line between another Graph resource and a mistaken vppTokens path (one rule for the mock and the verdict)', () => {
  it.each([
    ['GET', '/beta/me'],
    ['GET', '/v1.0/users/1f2e/memberOf'],
    ['GET', "/beta/users('1f2e')"],
    ['HEAD', '/beta/organization'],
    ['GET', '/me'],
    ['GET', '/BETA/DEVICEAPPMANAGEMENT/MOBILEAPPS'],
    ['GET', '/beta/deviceAppManagement/microsoftStoreForBusinessLastSuccessfulSyncDateTime'],
    ['POST', '/v1.0/deviceAppManagement/syncMicrosoftStoreForBusinessApps'],
    ['POST', '/v1.0/deviceAppManagement/microsoft.graph.syncMicrosoftStoreForBusinessApps'],
    ['DELETE', '/beta/deviceAppManagement/mobileApps/abc'],
    ['POST', 'http://graph.contoso.example/beta/groups'],
  ])('%s %s is another Graph resource: not modelled', (method, target) => {
    expect(other(method, target)).toMatch(/another Graph resource \([A-Za-z/]+\) is not modelled by the mock\b.*docs\/decisions\/0520/);
  });

  it.each([
    ['GET', '/beta/deviceAppManagement/vppToken'],
    ['GET', '/beta/deviceAppManagement/vpp_tokens'],
    ['POST', '/beta/deviceManagement/vppTokens'],
    ['GET', '/beta/me/vppTokens'],
    ['POST', '/beta/vppTokens'],
    ['GET', '/beta/deviceAppManagement/tokens'],
    ['GET', '/beta/deviceAppManagment/mobileApps'],
    ['GET', '/beta/noSuchRoot'],
    ['GET', '/beta/beta/me'],
    ['GET', '/api/deviceAppManagement/vppTokens'],
    ['OPTIONS', '/beta/me'],
    ['GET', '/beta/me%2Fphoto'],
  ])('%s %s is no other resource of Graph\'s: left to the 404 (or the preflight\'s rule)', (method, target) => {
    expect(other(method, target)).toBeUndefined();
  });
});
