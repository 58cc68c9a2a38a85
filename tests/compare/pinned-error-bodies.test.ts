// Outside attacker R121 (decision 1011): a refused create's Graph error body pinned (no matcher) where the service
// writes anew (innerError's request-id, client-request-id and date), in its own prose (error.message, a detail's
// message) or its own code for the status (401: InvalidAuthenticationToken) passed compare, and verify failed it
// against the reference provider. Held as compare holds the same values pinned in the request-id and Date headers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { comparePacts, type CompareFinding } from 'vpptokens-contract-kit/compare';
import { verifyProvider } from '../../src/verification';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-pinned-error-bodies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

type Rule = { combine: 'AND' | 'OR'; matchers: Record<string, unknown>[] };
const rule = (...matchers: Record<string, unknown>[]): Rule => ({ combine: 'AND', matchers });
const TYPE = rule({ match: 'type' });
const token = createRequestFactory.withSeed(62).withTraits('minimal').buildAt(0).token;
const RID = '94fb3b52-452a-4535-a601-69e0a90e3aa2';

function interaction(description: string, error: Record<string, unknown>, rules: Record<string, Rule>, status = 400) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(status === 401 ? {} : { Authorization: 'Bearer abc' }) };
  return {
    description,
    request: { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers, body: { token, ...(status === 400 ? { vppTokenAccountType: 'String' } : {}) } },
    response: { status, headers: { 'Content-Type': 'application/json' }, body: { error }, matchingRules: { body: rules } },
  };
}
const file = (interactions: unknown[]) => {
  const path = join(dir, `${(written += 1)}.json`);
  writeFileSync(path, JSON.stringify({ consumer: { name: 'hand-app' }, provider: { name: 'microsoft-graph-vpptokens' }, interactions, metadata: { pactSpecification: { version: '3.0.0' } } }));
  return path;
};
const judged = async (error: Record<string, unknown>, rules: Record<string, Rule> = {}, status = 400) => {
  const result = await comparePacts([file([interaction('one', error, rules, status)])], { comparator: false });
  return result.pacts[0].interactions.flatMap((i) => i.findings).map((f: CompareFinding) => `${f.pointer}: ${f.check}: ${f.message}`);
};
const PROSE = { '$.error.message': TYPE };

describe("a refused create's error body pinned where Graph writes anew or in its own words", () => {
  it('fails innerError request-id, client-request-id and date pinned, and passes them by type', async () => {
    expect(await judged({ code: 'BadRequest', message: 'x', innerError: { 'request-id': RID, 'client-request-id': RID, date: '2020-08-18T12:51:51' } }, PROSE)).toEqual([
      `/error/innerError/request-id: matcher satisfiable: is expected to be "${RID}" exactly (no matcher: Pact compares it as it is), but Graph writes a new request-id, a GUID, in every answer: match it by a regex, such as ^[0-9a-f-]{36}$, or leave it out`,
      `/error/innerError/client-request-id: matcher satisfiable: is expected to be "${RID}" exactly (no matcher: Pact compares it as it is), but Graph writes the request's client-request-id, or a new GUID where it sent none, in every answer: match it by a regex, such as ^[0-9a-f-]{36}$, or leave it out`,
      '/error/innerError/date: matcher satisfiable: is expected to be "2020-08-18T12:51:51" exactly (no matcher: Pact compares it as it is), but innerError\'s date is the time of the answer: match it by a regex, such as ^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d$, or leave it out',
    ]);
    const byType = { ...PROSE, '$.error.innerError': TYPE };
    expect(await judged({ code: 'BadRequest', message: 'x', innerError: { 'request-id': RID, date: '2020-08-18T12:51:51' } }, byType)).toEqual([]);
    // A regex that pins one refuses the next.
    expect(await judged({ code: 'BadRequest', message: 'x', innerError: { 'request-id': RID } }, { ...PROSE, "$.error.innerError['request-id']": rule({ match: 'regex', regex: `^${RID}$` }) })).toEqual([
      expect.stringMatching(/^\/error\/innerError\/request-id: matcher satisfiable: the regex .* refuses "7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60", a value Graph gives: Graph writes a new request-id/),
    ]);
  });

  it("fails Graph's prose pinned (the message, a detail's), and passes it by type", async () => {
    expect(await judged({ code: 'BadRequest', message: 'Invalid value for vppTokenAccountType' })).toEqual([
      '/error/message: matcher satisfiable: is expected to be "Invalid value for vppTokenAccountType" exactly (no matcher: Pact compares it as it is), but the message is Graph\'s own prose, which the contract holds to a string alone: match it by type',
    ]);
    expect(await judged({ code: 'BadRequest', message: 'x', details: [{ code: 'ModelValidationFailure', message: 'y', target: null }] }, { ...PROSE, '$.error.details[0].code': TYPE })).toEqual([
      expect.stringMatching(/^\/error\/details\/0\/message: matcher satisfiable: is expected to be "y" exactly .* Graph's own prose/),
    ]);
    expect(await judged({ code: 'BadRequest', message: 'Invalid value' }, { '$.error.message': rule({ match: 'equality' }) })).toHaveLength(1);
    expect(await judged({ code: 'BadRequest', message: 'Invalid value' }, PROSE)).toEqual([]);
  });

  it("fails a code other than Graph's for the status, pinned or by a regex, and passes Graph's", async () => {
    expect(await judged({ code: 'Unauthorized', message: 'x' }, PROSE, 401)).toEqual([
      '/error/code: matcher satisfiable: is expected to be "Unauthorized" exactly (no matcher: Pact compares it as it is), but Graph answers a 401 with the code "InvalidAuthenticationToken"',
    ]);
    expect(await judged({ code: 'Request_BadRequest', message: 'x' }, { ...PROSE, '$.error.code': rule({ match: 'regex', regex: '^Request_BadRequest$' }) })).toEqual([
      '/error/code: matcher satisfiable: the regex "^Request_BadRequest$" matcher on $.error.code refuses "BadRequest", the code Graph answers a 400 with',
    ]);
    expect(await judged({ code: 'InvalidAuthenticationToken', message: 'x' }, PROSE, 401)).toEqual([]);
    expect(await judged({ code: 'BadRequest', message: 'x' }, PROSE)).toEqual([]);
    expect(await judged({ code: 'Request_BadRequest', message: 'x' }, { ...PROSE, '$.error.code': TYPE })).toEqual([]);
  });
});

describe('verify agrees against the reference provider', () => {
  it('passes what compare passes, fails what it fails', async () => {
    const good = file([
      interaction('by type', { code: 'BadRequest', message: 'x', innerError: { 'request-id': RID, date: '2020-08-18T12:51:51' } }, { ...PROSE, '$.error.innerError': TYPE }),
      interaction('401 as Graph', { code: 'InvalidAuthenticationToken', message: 'x' }, PROSE, 401),
    ]);
    const bad = file([
      interaction('date pinned', { code: 'BadRequest', message: 'x', innerError: { date: '2020-08-18T12:51:51' } }, PROSE),
      interaction('message pinned', { code: 'BadRequest', message: 'Invalid value for vppTokenAccountType' }, {}),
      interaction('401 Unauthorized', { code: 'Unauthorized', message: 'x' }, PROSE, 401),
    ]);
    expect((await comparePacts([good], { comparator: false })).passed).toBe(true);
    expect((await comparePacts([bad], { comparator: false })).pacts[0].interactions.map((i) => i.passed)).toEqual([false, false, false]);
    const verified = await verifyProvider({ pactFiles: [good, bad] });
    expect(verified.interactions.map((i) => [i.description, i.passed])).toEqual([['by type', true], ['401 as Graph', true], ['date pinned', false], ['message pinned', false], ['401 Unauthorized', false]]);
  });
});
