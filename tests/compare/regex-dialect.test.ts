// Outside finding R29 (decision 0501): compare read a regex matcher in JavaScript's dialect, where Pact's core reads it
// with Oniguruma and matches the whole value, so it failed correct pacts as unsatisfiable (`\A...\z`, POSIX classes,
// class intersection) and passed ones Pact fails (a pattern that matches only the start of the value). Each case
// here is judged by compare and by `vppkit verify` (Pact's own matcher, against the reference provider) on the same
// pact: compare's verdict must be Pact's, or a note that it was not judged.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePacts } from 'vpptokens-contract-kit/compare';
import { canonicalPact } from 'vpptokens-contract-kit/provider';
import { createRequestFactory, readAppleSToken } from 'vpptokens-contract-kit';
import { pactRegex } from '../../src/compare/pact-regex';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-regex-dialect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const GUID_TAIL = '-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const X4 = '[[:xdigit:]]{4}';

/** Regexes on the created vppToken's `$.id` (a new lowercase GUID) or `$.state`, and what Pact says of each. */
const CASES: { name: string; at: '$.id' | '$.state'; regex: string; pact: 'passes' | 'fails'; compare: 'passes' | 'fails' | 'notes' }[] = [
  { name: "Oniguruma's text anchors", at: '$.id', regex: '\\A[0-9a-f-]{36}\\z', pact: 'passes', compare: 'passes' },
  { name: 'text anchors around an alternation', at: '$.state', regex: '\\A(unknown|valid|expired|invalid|assignedToExternalMDM|duplicateLocationId)\\z', pact: 'passes', compare: 'passes' },
  { name: 'POSIX classes', at: '$.id', regex: `^[[:xdigit:]]{8}-${X4}-${X4}-${X4}-[[:xdigit:]]{12}$`, pact: 'passes', compare: 'passes' },
  { name: 'a class intersection', at: '$.id', regex: `^[0-9a-z&&[^g-z]]{8}${GUID_TAIL}$`, pact: 'passes', compare: 'passes' },
  { name: 'a word class', at: '$.state', regex: '^\\w+$', pact: 'passes', compare: 'passes' },
  { name: 'text anchors around another value', at: '$.id', regex: '\\Ax\\z', pact: 'fails', compare: 'fails' },
  { name: 'a negated POSIX class', at: '$.id', regex: `^[[:^xdigit:]]{8}${GUID_TAIL}$`, pact: 'fails', compare: 'fails' },
  { name: 'an intersection that leaves the digits out', at: '$.id', regex: `^[0-9a-z&&[g-z]]{8}${GUID_TAIL}$`, pact: 'fails', compare: 'fails' },
  { name: 'a pattern of the start of the value only', at: '$.id', regex: '[0-9a-f]{8}', pact: 'fails', compare: 'fails' },
  // Oniguruma's possessive repeat, which JavaScript has no form of: Pact reads it, compare says it did not judge it.
  { name: 'a possessive repeat', at: '$.id', regex: '^[0-9a-f-]++$', pact: 'passes', compare: 'notes' },
];

function pactOf(cases: typeof CASES): string {
  const canonical = JSON.parse(readFileSync(canonicalPact('beta'), 'utf8')) as Json;
  const base = canonical.interactions.find((i: Json) => i.description.endsWith('with only its token'));
  canonical.interactions = cases.map((c, n) => {
    const interaction = structuredClone(base);
    interaction.description = `r29 ${n}: ${c.name}`;
    interaction.key = `r29-${n}`;
    // Each create its own token, as a data set's creates are (decision 0733: one token created twice is a finding).
    const token = createRequestFactory.withSeed(290 + n).withTraits('minimal').buildAt(0).token;
    interaction.request.body.content.token = token;
    interaction.response.body.content.token = token;
    if (typeof interaction.response.body.content.organizationName === 'string') interaction.response.body.content.organizationName = readAppleSToken(token)!.orgName;
    interaction.response.matchingRules.body[c.at] = { combine: 'AND', matchers: [{ match: 'regex', regex: c.regex }] };
    return interaction;
  });
  const file = join(dir, 'r29.json');
  writeFileSync(file, JSON.stringify(canonical));
  return file;
}

describe("a regex matcher is judged as Pact's core reads it (Oniguruma, the whole value)", () => {
  it("gives Pact's verdict on each pact, or notes what it cannot read; vppkit verify says Pact's", async () => {
    const file = pactOf(CASES);
    const [compared, verified] = await Promise.all([comparePacts([file], { comparator: false }), vppkit(['verify', file, '--json'])]);
    const pact = (JSON.parse(verified.stdout) as { interactions: { description: string; passed: boolean }[] }).interactions;
    expect(pact.map((i) => [i.description, i.passed ? 'passes' : 'fails'])).toEqual(CASES.map((c, n) => [`r29 ${n}: ${c.name}`, c.pact]));
    const judged = compared.pacts[0].interactions.map((i) => {
      if (i.findings.length > 0) return [i.description, 'fails', i.findings.map((f) => f.check).join()];
      return [i.description, compared.pacts[0].warnings.some((w) => w.startsWith(`${i.description}: `) && w.endsWith(': not judged')) ? 'notes' : 'passes', ''];
    });
    expect(judged).toEqual(CASES.map((c, n) => [`r29 ${n}: ${c.name}`, c.compare, c.compare === 'fails' ? 'matcher satisfiable' : '']));
  });
});

// Each construct against Pact's core (pact_ffi's check_regex, Oniguruma, in the round that made the rule): true and
// false are Pact's verdicts, which pactRegex must give; 'not judged' what it must refuse to read.
describe('pactRegex reads each construct as Oniguruma does', () => {
  it.each([
    ['\\A[0-9a-f]{3}\\z', 'abc', true],
    ['abc\\Z', 'abc', true],
    ['abc\\n?\\Z', 'abc\n', true],
    ['a$\\nb', 'a\nb', true],
    ['a.b', 'a\rb', true],
    ['a.b', 'a\nb', false],
    ['(?m)a.b', 'a\nb', true],
    ['a|ab', 'ab', true],
    ['b', 'ab', false],
    ['^\\d$', '\u0663', true],
    ['^\\w+$', 'Müller', true],
    ['^\\s$', '\u00a0', true],
    ['^\\s$', '\u200b', false],
    ['^\\h+$', '0aF', true],
    ['^\\h$', 'g', false],
    ['^[[:alpha:]]+$', 'Müller', true],
    ['^[[:upper:]]$', 'Ä', true],
    ['^[[:xdigit:]]$', '\uff10', false],
    ['^[[:punct:]]$', '+', true],
    ['^[a-z&&[^b]]{3}$', 'abc', false],
    ['^[a-z&&[^x]]{3}$', 'abc', true],
    ['^[a[0-9]]$', '5', true],
    ['^[^a&&b]$', 'c', true],
    ['^[]a]$', ']', true],
    ['^a{,2}$', 'aa', true],
    ['^x{$', 'x{', true],
    ['^\\x{41}$', 'A', true],
    ['^\\w\\b$', 'a', true],
    ['^a\\bb$', 'ab', false],
    ['(?i)^ABC$', 'abc', true],
  ] as const)('%j on %j: %s', (regex, value, verdict) => {
    expect(pactRegex(regex).test(value)).toBe(verdict);
  });

  it.each(['^a++$', '^(?>a+)$', '^\\K$', '^\\R$', '^(a)\\1$', '^a(?i)b$', '(?x) a b ', '^\\p{Greek}$', '(?i)straße', '^\\pL$', '(?P<n>a)', '(?s)a.b'])('does not read %j: noted, not judged', (regex) => {
    expect(() => pactRegex(regex)).toThrow(expect.objectContaining({ name: 'PactRegexDialectError' }));
  });

  it('calls a pattern broken in every dialect broken', () => {
    expect(() => pactRegex('[a-')).toThrow(SyntaxError);
    expect(() => pactRegex('(a')).toThrow(SyntaxError);
  });

  // Decision 0620: each pattern is translated once and kept; every call still gives a RegExp of its own.
  it('gives each call a RegExp of its own, with the same verdicts, read again or not', () => {
    const pattern = '^[[:alpha:]]\\w*-\\d{2}$';
    const first = pactRegex(pattern);
    const second = pactRegex(pattern);
    expect(second).not.toBe(first);
    first.lastIndex = 7;
    (first as unknown as Record<string, unknown>).mark = true;
    expect(second.lastIndex).toBe(0);
    expect('mark' in second).toBe(false);
    expect([second.source, second.flags]).toEqual([first.source, first.flags]);
    for (const [value, verdict] of [['Ab-12', true], ['é_x-07', true], ['1b-12', false], ['Ab-123', false]] as const) {
      expect([value, first.test(value), second.test(value), pactRegex(pattern).test(value)]).toEqual([value, verdict, verdict, verdict]);
    }
  });

  it.each([
    ['^a++$', 'PactRegexDialectError', '++: a possessive repeat'],
    ['[a-', 'SyntaxError', 'premature end of char-class'],
    ['(a', 'SyntaxError', 'Unterminated group'],
  ])('throws for %j again on every call, a new %s with the same message', (pattern, name, message) => {
    const thrown = [0, 1, 2].map(() => {
      try {
        pactRegex(pattern);
      } catch (error) {
        return error as Error;
      }
      throw new Error(`${pattern} was read`);
    });
    expect(thrown.map((e) => [e.name, e.message])).toEqual([0, 1, 2].map(() => [name, message]));
    expect(new Set(thrown).size).toBe(3);
  });

  it('lets an error of another kind (no pattern at all: a fault of its caller) through as it is, each time', () => {
    expect(() => pactRegex(undefined as never)).toThrow(TypeError);
    expect(() => pactRegex(undefined as never)).toThrow(TypeError);
    expect(pactRegex('^undefined$').test('undefined')).toBe(true);
  });

  it('reads a pattern rightly after more patterns than it keeps have come since', () => {
    const pattern = '^x[0-9]{3}$';
    expect(pactRegex(pattern).test('x123')).toBe(true);
    let read = 0;
    for (let n = 0; n < 1100; n++) read += Number(pactRegex(`^p${n}$`).test(`p${n}`));
    expect(read).toBe(1100);
    expect([pactRegex(pattern).test('x123'), pactRegex(pattern).test('x12')]).toEqual([true, false]);
    expect(() => pactRegex('^a++$')).toThrow(expect.objectContaining({ name: 'PactRegexDialectError' }));
  });
});
