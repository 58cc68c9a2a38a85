// Outside attacker R119 and R120 (decision 1010): a 201 that pins (no matcher, or equality) a value Pact then
// compares as written must pin the text Graph writes there: the expiry the create set as it was sent (its seconds
// always, 0500), the sToken's expDate as Graph writes it when the create set none, and Graph's default for a
// non-nullable property the create did not set (automaticallyUpdateApps false, vppTokenAccountType business...).
// compare passed another spelling of the same instant and a non-default boolean or enum; verify failed them against
// the reference provider. One model answer (createdVppToken) is the reference provider's and compare's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory, createdVppToken } from 'vpptokens-contract-kit';
import { comparePacts, type CompareFinding } from 'vpptokens-contract-kit/compare';
import { verifyProvider } from '../../src/verification';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-pinned-graph-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

type Rule = { combine: 'AND' | 'OR'; matchers: Record<string, unknown>[] };
const rule = (...matchers: Record<string, unknown>[]): Rule => ({ combine: 'AND', matchers });
const base: Record<string, unknown> = { ...createRequestFactory.withSeed(61).withTraits('minimal').buildAt(0) };
const model = createdVppToken(base as unknown as Parameters<typeof createdVppToken>[0], { id: 'x', now: new Date(0) });
const expiry = model.expirationDateTime as string; // the sToken's expDate as Graph writes it, in UTC
const shifted = (utc: string) => { const d = new Date(Date.parse(utc) - 7 * 3600_000); return `${d.toISOString().slice(0, 19)}-07:00`; };
const RULES: Record<string, Rule> = { '$.id': rule({ match: 'regex', regex: '^[0-9a-f-]{36}$' }), '$.lastModifiedDateTime': rule({ match: 'type' }), '$.organizationName': rule({ match: 'type' }) };

function interaction(description: string, sent: Record<string, unknown>, body: Record<string, unknown>, rules: Record<string, Rule>) {
  return {
    description,
    request: { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer abc' }, body: sent },
    response: {
      status: 201,
      headers: { 'Content-Type': 'application/json' },
      body: { id: '8d7f2c1e-1111-4222-8333-444455556666', lastModifiedDateTime: '2026-01-01T00:00:00Z', token: sent.token, organizationName: model.organizationName, ...body },
      matchingRules: { body: { ...RULES, ...rules } },
    },
  };
}
const file = (interactions: unknown[]) => {
  const path = join(dir, `${(written += 1)}.json`);
  writeFileSync(path, JSON.stringify({ consumer: { name: 'hand-app' }, provider: { name: 'microsoft-graph-vpptokens' }, interactions, metadata: { pactSpecification: { version: '3.0.0' } } }));
  return path;
};
const judged = async (sent: Record<string, unknown>, body: Record<string, unknown>, rules: Record<string, Rule> = {}) => {
  const result = await comparePacts([file([interaction('one', sent, body, rules)])], { comparator: false });
  return result.pacts[0].interactions.flatMap((i) => i.findings).map((f: CompareFinding) => `${f.pointer}: ${f.check}: ${f.message}`);
};

const SET = { ...base, expirationDateTime: '2041-06-09T08:17:04-07:00' };

describe('a pinned expiry is the text Graph writes (R119)', () => {
  it('fails another spelling of the instant the create set, and the sToken\'s expDate where the create set its own', async () => {
    for (const other of ['2041-06-09T15:17:04Z', '2041-06-09T15:17:04.0000000Z', expiry]) {
      expect(await judged(SET, { expirationDateTime: other })).toEqual([
        `/expirationDateTime: matcher satisfiable: is expected to be ${JSON.stringify(other)} exactly (no matcher: Pact compares the text, not the instant), but Graph writes "2041-06-09T08:17:04-07:00" there (the value the create set, as it was sent): match it by its date pattern, as the kit's own pacts do`,
      ]);
    }
    expect(await judged(SET, { expirationDateTime: '2041-06-09T15:17:04Z' }, { '$.expirationDateTime': rule({ match: 'equality' }) })).toHaveLength(1);
    // A create that leaves out the seconds gets them written (0500): the text sent is then no text Graph writes.
    expect(await judged({ ...base, expirationDateTime: '2041-06-09T08:17-07:00' }, { expirationDateTime: '2041-06-09T08:17-07:00' })).toEqual([expect.stringContaining('but Graph writes "2041-06-09T08:17:00-07:00" there')]);
  });

  it('fails another spelling of the sToken\'s expDate, and Graph\'s never, where the create set no expiry', async () => {
    for (const other of [shifted(expiry), expiry.replace('Z', '.0000000Z'), '0001-01-01T00:00:00Z']) {
      expect(await judged(base, { expirationDateTime: other })).toEqual([expect.stringContaining(`but Graph writes ${JSON.stringify(expiry)} there (the expDate of the request's sToken)`)]);
    }
  });

  it('passes the text Graph writes pinned, and any spelling under a date matcher', async () => {
    expect(await judged(SET, { expirationDateTime: '2041-06-09T08:17:04-07:00' })).toEqual([]);
    expect(await judged(base, { expirationDateTime: expiry })).toEqual([]);
    expect(await judged(SET, { expirationDateTime: '2041-06-09T15:17:04Z' }, { '$.expirationDateTime': rule({ match: 'type' }) })).toEqual([]);
  });
});

// Decision 1032: a set expiry of more than 7 fraction digits comes back as Graph's reader holds it, rounded to 7 on the
// 8th digit (XmlConvert's XsdDateTime parser: up past 5, or at 5 with a later digit not 0; at 5 and zeros, to even).
const SET12 = { ...base, expirationDateTime: '2041-06-09T08:17:04.123456789012-07:00' };
describe('a set expiry of more than 7 fraction digits is pinned as Graph holds it (decision 1032)', () => {
  it('is rounded at the 8th digit, a half to even, a carry into the date, in the model the reference provider answers by', () => {
    const held = (expirationDateTime: string) => createdVppToken({ ...base, expirationDateTime } as unknown as Parameters<typeof createdVppToken>[0], { id: 'x', now: new Date(0) }).expirationDateTime;
    expect(held(SET12.expirationDateTime)).toBe('2041-06-09T08:17:04.1234568-07:00');
    expect([held('2041-06-09T08:17:04.12345665Z'), held('2041-06-09T08:17:04.12345675Z'), held('2041-06-09T08:17:04.123456650001Z'), held('2041-06-09T08:17:04.12345674999Z')]).toEqual(['2041-06-09T08:17:04.1234566Z', '2041-06-09T08:17:04.1234568Z', '2041-06-09T08:17:04.1234567Z', '2041-06-09T08:17:04.1234567Z']);
    expect(held('2041-12-31T23:59:59.99999999-07:00')).toBe('2042-01-01T00:00:00.0000000-07:00');
    // Seven digits or fewer are held as sent, trailing zeros and all.
    expect([held('2041-06-09T08:17:04.1234567Z'), held('2041-06-09T08:17:04.10Z')]).toEqual(['2041-06-09T08:17:04.1234567Z', '2041-06-09T08:17:04.10Z']);
  });

  it('fails the text sent and its 7 digits cut, pinned; passes it rounded, and any spelling under a date matcher', async () => {
    for (const other of ['2041-06-09T08:17:04.123456789012-07:00', '2041-06-09T08:17:04.1234567-07:00']) {
      expect(await judged(SET12, { expirationDateTime: other })).toEqual([
        `/expirationDateTime: matcher satisfiable: is expected to be ${JSON.stringify(other)} exactly (no matcher: Pact compares the text, not the instant), but Graph writes "2041-06-09T08:17:04.1234568-07:00" there (the value the create set, its fraction rounded to the 7 digits Graph holds, as its reader rounds it: decision 1032): match it by its date pattern, as the kit's own pacts do`,
      ]);
    }
    expect(await judged(SET12, { expirationDateTime: '2041-06-09T08:17:04.1234568-07:00' })).toEqual([]);
    expect(await judged(SET12, { expirationDateTime: '2041-06-09T08:17:04.123456789012-07:00' }, { '$.expirationDateTime': rule({ match: 'type' }) })).toEqual([]);
  });
});

describe("a pinned property the create did not set is Graph's default (R120)", () => {
  const DEFAULTS: [string, unknown, unknown][] = [
    ['automaticallyUpdateApps', true, false],
    ['vppTokenAccountType', 'education', 'business'],
    ['dataSharingConsentGranted', true, false],
    ['claimTokenManagementFromExternalMdm', true, false],
  ];
  it.each(DEFAULTS)('fails %s pinned to %j, and passes its default %j or a type matcher', async (name, other, fallback) => {
    expect(await judged(base, { [name]: other })).toEqual([
      `/${name}: matcher satisfiable: is expected to be ${JSON.stringify(other)} exactly (no matcher: Pact compares it as it is), but the create does not set ${name}, and Graph gives its default ${JSON.stringify(fallback)}`,
    ]);
    expect(await judged(base, { [name]: fallback })).toEqual([]);
    expect(await judged(base, { [name]: other }, { [`$.${name}`]: rule({ match: 'type' }) })).toEqual([]);
    // Set by the create, the value set comes back: pinned as set, it passes.
    expect(await judged({ ...base, [name]: other }, { [name]: other })).toEqual([]);
  });

  // Outside attacker R137 (decision 1113): Graph's value for an unset appleDeviceAppDeliveryProtocolType is documented
  // nowhere (0404): its CSDL's member 0 is "default", the reference provider answers "mobileDeviceManagement". A pinned
  // value is failed only where it is neither.
  it('takes appleDeviceAppDeliveryProtocolType pinned to "default" or "mobileDeviceManagement" for a create that does not set it, and fails another', async () => {
    for (const either of ['default', 'mobileDeviceManagement']) expect(await judged(base, { appleDeviceAppDeliveryProtocolType: either })).toEqual([]);
    expect(await judged(base, { appleDeviceAppDeliveryProtocolType: 'declarativeDeviceManagement' })).toEqual([
      '/appleDeviceAppDeliveryProtocolType: matcher satisfiable: is expected to be "declarativeDeviceManagement" exactly (no matcher: Pact compares it as it is), but the create does not set appleDeviceAppDeliveryProtocolType, and Graph gives "default" or "mobileDeviceManagement" (which one is documented nowhere: decision 1113)',
    ]);
    expect(await judged(base, { appleDeviceAppDeliveryProtocolType: 'declarativeDeviceManagement' }, { '$.appleDeviceAppDeliveryProtocolType': rule({ match: 'regex', regex: '^(default|declarativeDeviceManagement)$' }) })).toEqual([]);
    expect(await judged(base, { appleDeviceAppDeliveryProtocolType: 'declarativeDeviceManagement' }, { '$.appleDeviceAppDeliveryProtocolType': rule({ match: 'regex', regex: '^declarativeDeviceManagement$' }) })).toEqual([
      '/appleDeviceAppDeliveryProtocolType: matcher satisfiable: the regex "^declarativeDeviceManagement$" matcher on $.appleDeviceAppDeliveryProtocolType refuses "default" and "mobileDeviceManagement", which Graph gives: the create does not set appleDeviceAppDeliveryProtocolType, and its value is one of them (which one is documented nowhere: decision 1113)',
    ]);
    expect(await judged({ ...base, appleDeviceAppDeliveryProtocolType: 'declarativeDeviceManagement' }, { appleDeviceAppDeliveryProtocolType: 'declarativeDeviceManagement' })).toEqual([]);
  });

  it('fails a matcher that refuses the default, naming it', async () => {
    expect(await judged(base, { vppTokenAccountType: 'education' }, { '$.vppTokenAccountType': rule({ match: 'regex', regex: '^education$' }) })).toEqual([
      '/vppTokenAccountType: matcher satisfiable: the regex "^education$" matcher on $.vppTokenAccountType refuses "business", which Graph gives: the create does not set vppTokenAccountType, and its default is "business"',
    ]);
  });
});

describe('verify agrees against the reference provider', () => {
  it('passes what compare passes, fails what it fails', async () => {
    const good = file([
      interaction('expiry as set', SET, { expirationDateTime: '2041-06-09T08:17:04-07:00', automaticallyUpdateApps: false, vppTokenAccountType: 'business' }, {}),
      interaction('expiry read', base, { expirationDateTime: expiry }, {}),
      interaction('expiry of 12 digits as Graph holds it', SET12, { expirationDateTime: '2041-06-09T08:17:04.1234568-07:00' }, {}),
    ]);
    const bad = file([
      interaction('expiry respelled', SET, { expirationDateTime: '2041-06-09T15:17:04Z' }, {}),
      interaction('not a default', base, { expirationDateTime: expiry, automaticallyUpdateApps: true }, {}),
      interaction('expiry of 12 digits as sent', SET12, { expirationDateTime: SET12.expirationDateTime }, {}),
    ]);
    expect((await comparePacts([good], { comparator: false })).passed).toBe(true);
    expect((await comparePacts([bad], { comparator: false })).pacts[0].interactions.map((i) => i.passed)).toEqual([false, false, false]);
    const verified = await verifyProvider({ pactFiles: [good, bad] });
    expect(verified.interactions.map((i) => [i.description, i.passed])).toEqual([
      ['expiry as set', true],
      ['expiry read', true],
      ['expiry of 12 digits as Graph holds it', true],
      ['expiry respelled', false],
      ['not a default', false],
      ['expiry of 12 digits as sent', false],
    ]);
  });
});
