// An interaction that expects 401 for a credential the consumer wrote to be refused (an expired or wrong bearer)
// keeps that credential under `verify --bearer` (outside tester I16, decision 0211): the bearer given replaces the
// credentials the pacts mean as good ones, not one written to be refused. compare takes Graph's 401 to such a
// request: whether a bearer is valid is not in the pact, and Graph answers an expired one with 401 and its error body.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANONICAL_PACT, startReferenceProvider, verifyProvider, type ReferenceProvider } from 'vpptokens-contract-kit/provider';
import { comparePacts } from '../../src/compare';
import { frontOf } from '../support/front';

const GOOD = 'Bearer good-access-token';
const EXPIRED = 'Bearer expired-access-token';
const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

type Interaction = { description: string; request: { headers?: Record<string, string[]> }; response: { status: number; body?: { content?: unknown } } };
const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8')) as { interactions: Interaction[] } & Record<string, unknown>;
const named = (part: string): Interaction => structuredClone(canonical.interactions.find((i) => i.description.includes(part))!);

/** The canonical 401 interaction, but with a bearer the consumer means to be refused, and `body` as its answer. */
function expiredBearer(body?: unknown): Interaction {
  const interaction = named('without an Authorization header');
  interaction.description = 'a request to create a vppToken with an expired bearer';
  interaction.request.headers = { ...interaction.request.headers, Authorization: [EXPIRED] };
  if (body !== undefined) interaction.response.body = { ...interaction.response.body, content: body };
  return interaction;
}

const dir = mkdtempSync(join(tmpdir(), 'vppkit-refused-credentials-'));
function pactOf(name: string, interactions: Interaction[]): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...canonical, consumer: { name }, interactions }));
  return file;
}
const pact = pactOf('expiry-aware-app', [named('only its token'), named('without an Authorization header'), expiredBearer()]);

/** The reference provider behind a front that takes only `GOOD` and answers any other bearer as Graph does. */
function checkingBearer(target: ReferenceProvider, seen: string[]) {
  return frontOf(target, (req, res) => {
    seen.push(req.headers.authorization ?? '(none)');
    if (req.headers.authorization === undefined || req.headers.authorization === GOOD) return false;
    res.writeHead(401, { 'Content-Type': GRAPH_JSON, 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    res.end(JSON.stringify({ error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.', innerError: { date: '2026-12-03T04:00:00', 'request-id': 'a1b2c3d4-0000-4000-8000-000000000001', 'client-request-id': 'a1b2c3d4-0000-4000-8000-000000000002' } } }));
    return true;
  });
}

let target: ReferenceProvider;
beforeAll(async () => {
  target = await startReferenceProvider();
});
afterAll(async () => {
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('verify --bearer keeps a credential the pact means to be refused', () => {
  it('passes a provider that refuses the expired bearer with 401 and takes the one given', async () => {
    const seen: string[] = [];
    const front = await checkingBearer(target, seen);
    try {
      const verified = await verifyProvider({ providerBaseUrl: `${front.url}/beta`, pactFiles: [pact], bearer: 'good-access-token' });
      expect(verified.interactions.flatMap((i) => i.mismatches)).toEqual([]);
      expect(verified.passed).toBe(true);
      expect([...seen].sort()).toEqual(['(none)', EXPIRED, GOOD]);
    } finally {
      await front.close();
    }
  });

  it('fails a provider that takes the expired bearer (201): status, in the 401 interaction alone', async () => {
    const verified = await verifyProvider({ providerBaseUrl: `${target.url}/beta`, pactFiles: [pact], bearer: 'good-access-token' });
    expect(verified.passed).toBe(false);
    const failed = verified.interactions.filter((i) => !i.passed);
    expect(failed.map((i) => i.description)).toEqual(['a request to create a vppToken with an expired bearer']);
    expect(failed[0].pactMismatches).toContain('status: expected 401 but was 201');
  });

  it('still replaces a credential that a successful interaction carries too, even where another expects 401 or 403 with it', async () => {
    // The canonical placeholder in a 403 interaction (a tenant without permission) as well as in the 201 ones: a
    // good credential, replaced everywhere; the provider then answers the 403 interaction's create with 201.
    const forbidden = named('only its token');
    forbidden.description = 'a request to create a vppToken in a tenant without the permission';
    forbidden.response = { ...named('without an Authorization header').response, status: 403 };
    const seen: string[] = [];
    const front = await checkingBearer(target, seen);
    try {
      const verified = await verifyProvider({ providerBaseUrl: `${front.url}/beta`, pactFiles: [pactOf('forbidden-app', [named('only its token'), forbidden])], bearer: 'good-access-token' });
      expect(seen).toEqual([GOOD, GOOD]);
      expect(verified.interactions.find((i) => i.description.includes('without the permission'))!.pactMismatches).toContain('status: expected 403 but was 201');
    } finally {
      await front.close();
    }
  });
});

describe('compare takes Graph 401 to a request whose bearer Graph refuses', () => {
  it('passes the interaction that expects 401 with Graph\'s error body for an expired bearer', async () => {
    // And a read of a vppToken with the expired bearer, answered 401 as Graph answers it.
    const read = expiredBearer();
    read.description = 'a read of a vppToken with an expired bearer';
    Object.assign(read.request, { method: 'GET', path: '/deviceAppManagement/vppTokens/7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', body: undefined, matchingRules: { header: {} } });
    read.request.headers = { Authorization: [EXPIRED] };
    const result = await comparePacts([pact, pactOf('reading-app', [read])]);
    expect(result.pacts.flatMap((p) => p.interactions.map((i) => [i.description, i.judged, i.findings]))).toEqual([
      ['a request to create a vppToken with only its token', true, []],
      ['a request to create a vppToken without an Authorization header', true, []],
      ['a request to create a vppToken with an expired bearer', true, []],
      ['a read of a vppToken with an expired bearer', true, []],
    ]);
    expect(result.passed).toBe(true);
  });

  it('fails one whose 401 body is not Graph\'s error body, and one that expects 400 for a valid create with a bearer', async () => {
    const wrongBody = expiredBearer({ message: 'token expired' });
    const notRefused = named('only its token');
    notRefused.description = 'a valid create expected to be refused with 400';
    notRefused.response = { ...named('without a token').response };
    const result = await comparePacts([pactOf('wrong-app', [wrongBody, notRefused])], { comparator: false });
    expect(result.passed).toBe(false);
    const findings = result.pacts[0].interactions.map((i) => i.findings.map((f) => `${f.pointer}: ${f.message}`));
    expect(findings[0]).toEqual([expect.stringMatching(/^\/message: is not a property of Graph's error body/)]);
    expect(findings[1]).toEqual([expect.stringMatching(/^status: must be 201: Graph accepts this request and creates the vppToken \(the pact expects 400\)/)]);
  });
});
