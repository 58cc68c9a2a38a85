// Outside finding R60 (decision 0632): under a matcher, Pact compares the provider's value with the matcher, never
// with the example (Pact specification V3, matchingRules). compare judged what the service gives back (the orgName
// and expDate the request's sToken names, a value the create set) by the example even under a matcher that admits
// Graph's value, and failed pacts that verify passes. Under such a matcher the question is whether it admits every
// value Graph gives back; without one, or with one that compares the example (equality), the example is judged.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEVER, createRequestFactory, readAppleSToken } from 'vpptokens-contract-kit';
import { comparePacts, type CompareFinding } from 'vpptokens-contract-kit/compare';
import { verifyProvider } from '../../src/verification';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-values-under-matchers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

type Rule = { combine: 'AND' | 'OR'; matchers: Record<string, unknown>[] };
const sent = { ...createRequestFactory.withSeed(60).withTraits('minimal').buildAt(0), displayName: 'Fleet A', automaticallyUpdateApps: true };
const stoken = readAppleSToken(sent.token)!;
const TIME = { match: 'regex', regex: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' };

/** A V3 pact of one create whose 201 expects `body` under `rules`, everything else as Graph answers it. */
function pact(body: Record<string, unknown>, rules: Record<string, Rule>) {
  return {
    consumer: { name: 'hand-app' },
    provider: { name: 'microsoft-graph-vpptokens' },
    interactions: [
      {
        description: 'create a token',
        request: { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer abc' }, body: sent, matchingRules: { header: { Authorization: { combine: 'AND', matchers: [{ match: 'regex', regex: 'Bearer .+' }] } } } },
        response: {
          status: 201,
          headers: { 'Content-Type': 'application/json' },
          body: { id: '8d7f2c1e-1111-4222-8333-444455556666', token: sent.token, ...body },
          matchingRules: { body: { '$.id': { combine: 'AND', matchers: [{ match: 'regex', regex: '^[0-9a-f-]{36}$' }] }, ...rules } },
        },
      },
    ],
    metadata: { pactSpecification: { version: '3.0.0' } },
  };
}
const rule = (...matchers: Record<string, unknown>[]): Rule => ({ combine: 'AND', matchers });
const either = (...matchers: Record<string, unknown>[]): Rule => ({ combine: 'OR', matchers });
const judged = async (body: Record<string, unknown>, rules: Record<string, Rule> = {}) => {
  const file = join(dir, `${(written += 1)}.json`);
  writeFileSync(file, JSON.stringify(pact(body, rules)));
  const result = await comparePacts([file], { comparator: false });
  return result.pacts[0].interactions.flatMap((i) => i.findings).map((f: CompareFinding) => `${f.pointer}: ${f.check}: ${f.message}`);
};

describe('a value Graph gives back, expected under a matcher', () => {
  it('passes an organisation and an expiry the matchers admit, whatever their examples (the attacker\'s two pacts)', async () => {
    expect(await judged({ organizationName: 'Contoso' }, { '$.organizationName': either({ match: 'type' }, { match: 'null' }) })).toEqual([]);
    expect(await judged({ expirationDateTime: '2030-01-01T00:00:00Z' }, { '$.expirationDateTime': rule(TIME) })).toEqual([]);
    expect(await judged({ organizationName: 'Contoso', expirationDateTime: '2030-01-01T00:00:00Z' }, { '$.organizationName': either({ match: 'type' }, { match: 'null' }), '$.expirationDateTime': rule({ match: 'type' }) })).toEqual([]);
  });

  it('still judges the example where Pact compares it: no matcher, or equality', async () => {
    const org = `/organizationName: values back: must be ${JSON.stringify(stoken.orgName)}, the organisation the request's sToken names (its orgName), or null (got "Contoso")`;
    expect(await judged({ organizationName: 'Contoso' })).toEqual([org]);
    expect(await judged({ organizationName: 'Contoso' }, { '$.organizationName': either({ match: 'equality' }, { match: 'null' }) })).toEqual([org]);
    expect(await judged({ expirationDateTime: '2030-01-01T00:00:00Z' }, { '$.expirationDateTime': rule(TIME, { match: 'equality' }) })).toEqual([expect.stringMatching(/^\/expirationDateTime: values back: must be /)]);
  });

  it('fails a matcher that refuses a value Graph gives back, naming that value, not the example', async () => {
    // One that takes only its example's year refuses the expDate the sToken names.
    expect(await judged({ expirationDateTime: '2030-01-01T00:00:00Z' }, { '$.expirationDateTime': rule({ match: 'regex', regex: '^(2030-.*|0001-01-01T00:00:00Z)$' }) })).toEqual([
      expect.stringMatching(/^\/expirationDateTime: matcher satisfiable: .* refuses "\d{4}-\d\d-\d\dT[\d:]+Z", a value Graph gives back/),
    ]);
  });

  it('judges a value the create set the same way: by type it passes, pinned by equality it fails', async () => {
    expect(await judged({ displayName: 'Other', automaticallyUpdateApps: false }, { '$.displayName': rule({ match: 'type' }), '$.automaticallyUpdateApps': rule({ match: 'type' }) })).toEqual([]);
    expect(await judged({ automaticallyUpdateApps: false }, { '$.automaticallyUpdateApps': rule({ match: 'boolean' }) })).toEqual([]);
    expect(await judged({ displayName: 'Other', automaticallyUpdateApps: false }, { '$.displayName': rule({ match: 'equality' }) })).toEqual([
      expect.stringMatching(/^\/displayName: values back: /),
      expect.stringMatching(/^\/automaticallyUpdateApps: values back: /),
    ]);
    expect(await judged({ displayName: 'Other' }, { '$.displayName': rule({ match: 'regex', regex: '^Other$' }) })).toEqual([
      '/displayName: matcher satisfiable: the regex "^Other$" matcher on $.displayName refuses "Fleet A", a value Graph gives back: the value the create set',
    ]);
  });
});

// Decision 0691: a 201's token is the one sent, or withheld (null, decisions 0012, 0331): under a matcher, both are
// values Graph gives back, and the matcher must admit each, as it must the orgName and null.
describe("a 201's token, expected under a matcher", () => {
  const another = createRequestFactory.withSeed(61).withTraits('minimal').buildAt(0).token;
  it('passes a matcher that admits the token sent and null, whatever its example', async () => {
    expect(await judged({ token: another }, { '$.token': either({ match: 'type' }, { match: 'null' }) })).toEqual([]);
    expect(await judged({ token: '***' }, { '$.token': either({ match: 'regex', regex: '^[A-Za-z0-9+/=_-]+$' }, { match: 'null' }) })).toEqual([]);
  });
  it('fails one that refuses the token sent, naming it without showing it', async () => {
    const onlyAnother = `^${another.replace(/[+/=]/g, '\\$&')}$`;
    const found = await judged({ token: another }, { '$.token': either({ match: 'regex', regex: onlyAnother }, { match: 'null' }) });
    expect(found).toEqual([expect.stringMatching(/^\/token: matcher satisfiable: the regex ".*" or null matcher on \$\.token refuses the token this request sent \(not shown\), a value Graph gives back: the token this request sent, or null/)]);
    expect(found[0]).not.toContain(JSON.stringify(sent.token));
  });
  it('still judges the example where Pact compares it (equality, or the kit\'s own equality-or-null)', async () => {
    expect(await judged({ token: another }, { '$.token': either({ match: 'equality' }, { match: 'null' }) })).toEqual([expect.stringMatching(/^\/token: values back: /)]);
    expect(await judged({}, { '$.token': either({ match: 'equality' }, { match: 'null' }) })).toEqual([]);
  });
});

// Decision 0783 (0691's and 0731's open item): a matcher was asked about the values the kit takes but has seen in no
// Graph answer (the token withheld, an orgName or expiry the service has not read yet) only where the pact's example
// was wrong, so the verdict hung on a value Pact does not compare. Asked now whatever the example, a refusal of one of
// those is a note, the same for a right and a wrong example; verify passes all of them against the reference provider.
describe('a matcher refusing a value the kit takes but Graph has not been seen to give: a note, whatever the example', () => {
  const another = createRequestFactory.withSeed(62).withTraits('minimal').buildAt(0).token;
  const notes = async (body: Record<string, unknown>, rules: Record<string, Rule>) => {
    const file = join(dir, `${(written += 1)}.json`);
    writeFileSync(file, JSON.stringify(pact(body, rules)));
    const result = await comparePacts([file], { comparator: false });
    return { findings: result.pacts[0].interactions.flatMap((i) => i.findings), notes: result.pacts[0].warnings };
  };
  const WITHHELD = 'create a token: response /token: the type matcher on $.token refuses null, which the kit takes from a provider but has seen in no Graph answer (the token this request sent, or null (withheld: Graph need not give a credential back)): verify fails a provider that gives it; not failed here';
  const NOT_READ = expect.stringMatching(/^create a token: response \/organizationName: the type matcher on \$\.organizationName refuses null, which the kit takes from a provider but has seen in no Graph answer \(".*", the orgName of the request's sToken, or null until the service has read it\)/);
  const CASES: [string, Record<string, unknown>, Record<string, Rule>, unknown][] = [
    ['the token by type, another token its example (pact-js like("..."))', { token: another }, { '$.token': rule({ match: 'type' }) }, WITHHELD],
    ['the token by type, the token sent its example (pact-js like(body))', {}, { '$.token': rule({ match: 'type' }) }, WITHHELD],
    ['the organisation by type, another its example', { organizationName: 'Contoso' }, { '$.organizationName': rule({ match: 'type' }) }, NOT_READ],
    ["the organisation by type, the sToken's its example", { organizationName: stoken.orgName }, { '$.organizationName': rule({ match: 'type' }) }, NOT_READ],
    [
      "an expiry regex of this millennium, which refuses Graph's never",
      { expirationDateTime: '2030-01-01T00:00:00Z' },
      { '$.expirationDateTime': rule({ match: 'regex', regex: '^2\\d{3}-.*Z$' }) },
      expect.stringMatching(new RegExp(`^create a token: response /expirationDateTime: the regex .* refuses "${NEVER}", which the kit takes from a provider but has seen in no Graph answer`)),
    ],
  ];
  it.each(CASES)('passes %s, with a note', async (_name, body, rules, note) => {
    const { findings, notes: said } = await notes(body, rules);
    expect(findings).toEqual([]);
    expect(said).toEqual([note]);
  });

  // A create that sets its own expiry is answered with it: the sToken's expDate is then the value not seen.
  const SET_EXPIRY = 'an expiry set by the create, its regex refusing the sToken\'s expDate';
  const setExpiry = () => {
    const interaction = pact({ expirationDateTime: '2030-01-01T00:00:00Z' }, { '$.expirationDateTime': rule({ match: 'regex', regex: '^2030-.*$' }) }).interactions[0];
    interaction.request.body = { ...sent, expirationDateTime: '2030-01-01T00:00:00Z' };
    return { ...interaction, description: SET_EXPIRY };
  };
  it('passes a regex that takes the expiry the create set and refuses the sToken\'s, with a note', async () => {
    const file = join(dir, `${(written += 1)}.json`);
    writeFileSync(file, JSON.stringify({ ...pact({}, {}), interactions: [setExpiry()] }));
    const result = await comparePacts([file], { comparator: false });
    expect(result.pacts[0].interactions[0].findings).toEqual([]);
    expect(result.pacts[0].warnings).toEqual([expect.stringMatching(new RegExp(`^${SET_EXPIRY}: response /expirationDateTime: the regex "\\^2030-\\.\\*\\$" matcher on \\$\\.expirationDateTime refuses "\\d{4}-[^"]+", which the kit takes from a provider but has seen in no Graph answer`))]);
  });

  it('agrees with verify, which passes each against the reference provider (Graph gives the token and reads the sToken)', async () => {
    const file = join(dir, 'unseen-verified.json');
    const interactions = [...CASES.map(([name, body, rules]) => ({ ...pact(body, rules).interactions[0], description: name })), setExpiry()];
    writeFileSync(file, JSON.stringify({ ...pact({}, {}), interactions }));
    const verified = await verifyProvider({ pactFiles: [file] });
    expect(verified.interactions.map((i) => [i.description, i.passed])).toEqual([...CASES.map(([name]) => [name, true]), [SET_EXPIRY, true]]);
  });
});
