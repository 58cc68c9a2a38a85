// Every Apple sToken the kit ships or draws stays one a provider that refuses expired tokens takes (outside
// tester H24, decision 0195). This test reads the calendar on purpose: it is the alarm that goes off five years
// before the kit's valid sTokens expire (VALID_STOKEN_EXPIRY), while there is still time to move them forward.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { EXAMPLE_VPP_TOKEN, canonicalInteractions, placeholderTokens } from 'vpptokens-contract-kit/pact';
import {
  DEFAULT_SEED,
  REFERENCE_DATE,
  VALID_STOKEN_EXPIRY,
  createRequestFactory,
  readAppleSToken,
  sTokenExpiry,
  vppTokenFactory,
  vppTokenTraits,
  type VppTokenTrait,
} from 'vpptokens-contract-kit';
import { DEFAULT_BODY_LIMIT } from '../src/provider';
import { families } from '../src/conform/cases';

/** N: the years a shipped or generated valid sToken must still run on the day the suite runs. */
const MARGIN_YEARS = 5;
const today = new Date();
const deadline = new Date(Date.UTC(today.getUTCFullYear() + MARGIN_YEARS, today.getUTCMonth(), today.getUTCDate()));

/** base64 of `{"token":` opens every sToken the kit makes (decision 0151's shared skeleton). */
const STOKEN = /eyJ0b2tlbiI6[A-Za-z0-9+/]+={0,2}/g;

/** Each sToken in a text, with the instant it expires. */
function sTokensIn(text: string): { expDate: string; expires: Date | undefined }[] {
  return [...text.matchAll(STOKEN)].flatMap(([token]) => {
    const sToken = readAppleSToken(token);
    return sToken ? [{ expDate: sToken.expDate, expires: sTokenExpiry(sToken.expDate) }] : [];
  });
}

/**
 * What is wrong with the sTokens of a text: an expiry that is no date, or a token meant to be valid (expiring
 * after the reference date) that expires before the deadline. One expired before the reference date is expired
 * on purpose (the `expired` trait) and stays expired on any day.
 */
function expiryProblems(where: string, text: string, by: Date = deadline): string[] {
  return sTokensIn(text).flatMap(({ expDate, expires }) =>
    !expires
      ? [`${where}: an sToken whose expDate is no date (${expDate})`]
      : expires >= REFERENCE_DATE && expires < by
        ? [`${where}: an sToken that expires ${expDate}, within ${MARGIN_YEARS} years of ${today.toISOString().slice(0, 10)}: move VALID_STOKEN_EXPIRY forward and regenerate (decision 0195)`]
        : [],
  );
}

const root = join(__dirname, '..');
/** What the package ships and the repository commits that may hold an sToken: generated artifacts, docs, examples, the source. */
const SHIPPED = ['fixtures', 'pacts', 'openapi', 'examples', 'docs', 'src', 'schemas', 'README.md', 'CONTRIBUTING.md'];
function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

const sToken = (expDate: string) => Buffer.from(JSON.stringify({ token: 'a'.repeat(96), expDate, orgName: 'Contoso' })).toString('base64');

describe(`sTokens the kit ships or draws expire at least ${MARGIN_YEARS} years after today (H24, decision 0195)`, () => {
  it('the check itself: a valid sToken expiring within the margin fails, a far one and one expired on purpose pass', () => {
    const soon = new Date(today.getTime() + 365 * 86_400_000);
    const soonDate = `${soon.toISOString().slice(0, 19)}-0700`;
    expect(expiryProblems('t', `{"token":"${sToken(soonDate)}"}`)).toEqual([expect.stringContaining(`expires ${soonDate}, within ${MARGIN_YEARS} years`)]);
    expect(expiryProblems('t', `a ${sToken('2025-09-05T08:27:45-0700')} b`)).toEqual([]);
    expect(expiryProblems('t', sToken('not a date'))).toEqual(['t: an sToken whose expDate is no date (not a date)']);
    expect(expiryProblems('t', sToken(`${today.getUTCFullYear() + MARGIN_YEARS + 1}-01-01T00:00:00-0700`))).toEqual([]);
  });

  it('the window valid sTokens are drawn from starts after the margin', () => {
    expect(VALID_STOKEN_EXPIRY.from.getTime()).toBeGreaterThanOrEqual(deadline.getTime());
    expect(VALID_STOKEN_EXPIRY.to.getTime()).toBeGreaterThan(VALID_STOKEN_EXPIRY.from.getTime());
  });

  it('every committed fixture, pact, OpenAPI example, doc and source file', () => {
    const problems: string[] = [];
    let seen = 0;
    for (const entry of SHIPPED) {
      for (const file of filesUnder(join(root, entry))) {
        const text = readFileSync(file, 'utf8');
        seen += sTokensIn(text).length;
        problems.push(...expiryProblems(file.slice(root.length + 1), text));
      }
    }
    expect(problems).toEqual([]);
    expect(seen).toBeGreaterThan(50); // the scan reads the sTokens where they are (pacts, fixtures, OpenAPI examples)
  });

  it("the canonical contracts and check-client's placeholder (the pact a broker gets)", () => {
    for (const profile of ['beta', 'v1.0'] as const) {
      const text = JSON.stringify(canonicalInteractions(profile));
      expect(sTokensIn(text).length).toBeGreaterThan(10);
      expect(expiryProblems(`canonical ${profile}`, text)).toEqual([]);
    }
    expect(sTokensIn(EXAMPLE_VPP_TOKEN)).toHaveLength(1);
    expect(expiryProblems('EXAMPLE_VPP_TOKEN', EXAMPLE_VPP_TOKEN)).toEqual([]);
    const placeholder = placeholderTokens();
    const placeholders = ['a', 'b', 'c', 'd', 'e'].map((clientToken) => placeholder(clientToken)).join(' ');
    expect(sTokensIn(placeholders)).toHaveLength(5);
    expect(expiryProblems('placeholders', placeholders)).toEqual([]);
  });

  it("every trait's records but expired (seed's and generate's records), and expired's before the reference date", () => {
    for (const trait of Object.keys(vppTokenTraits) as VppTokenTrait[]) {
      const records = [createRequestFactory.withSeed(DEFAULT_SEED).withTraits(trait).buildList(20), vppTokenFactory.withSeed(DEFAULT_SEED).withTraits(trait).buildList(20)];
      const expiries = sTokensIn(JSON.stringify(records)).map((s) => s.expires!.getTime());
      expect(expiries.length).toBeGreaterThan(0);
      if (trait === 'expired') expect(Math.max(...expiries)).toBeLessThan(REFERENCE_DATE.getTime());
      else expect(Math.min(...expiries)).toBeGreaterThanOrEqual(VALID_STOKEN_EXPIRY.from.getTime());
    }
  });

  it("every case conform draws: its valid creates, trait families, sized creates and faults", () => {
    const problems: string[] = [];
    let seen = 0;
    for (const family of families({ runs: 100, perFamily: 1, seed: 5, bodyLimit: DEFAULT_BODY_LIMIT })) {
      const cases = fc.sample(family.arbitrary, { seed: 11, numRuns: family.name.startsWith('a valid create of') ? 1 : 5 });
      const text = cases.map((c) => c.body ?? '').join('\n');
      seen += sTokensIn(text).length;
      problems.push(...expiryProblems(`conform ${family.name}`, text));
    }
    expect(problems).toEqual([]);
    expect(seen).toBeGreaterThan(100);
  });
});
