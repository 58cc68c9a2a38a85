// Round 16's last outside check, Y1 (decision 0780): a pact whose rule on `$.roleScopeTagIds` (a `regex ^zzz$`, or
// `type min 0` and a regex) had no member rule passed compare; Pact applies a list's rule to each member without one
// of its own (pact_models' max_by_path takes an ancestor's rule, cascaded), and verify failed the reference provider
// (`$.roleScopeTagIds[0]: Expected '0' to match '^zzz$'`) on the ["0"] Graph gives a token created without tags.
// Each case here is judged by compare and by verify (Pact's own comparison, against the embedded reference provider)
// on one pact: compare's verdict must be Pact's, both ways.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePacts } from 'vpptokens-contract-kit/compare';
import { canonicalPact } from 'vpptokens-contract-kit/provider';
import { createRequestFactory, readAppleSToken } from 'vpptokens-contract-kit';
import { verifyProvider } from '../../src/verification';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-list-rule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const rule = (...matchers: Json[]) => ({ combine: 'AND', matchers });
const ACTION = { '@odata.type': '#microsoft.graph.vppTokenActionResult', actionName: 'sync', actionState: 'done', startDateTime: '2026-01-01T00:00:00Z', lastUpdatedDateTime: '2026-01-01T00:00:00Z' };

/**
 * Changes to the canonical "create with only its token" (Graph gives roleScopeTagIds ["0"] and tokenActionResults [])
 * or, with `tags`, the same create sending those scope tags: the body rules set (null: removed) and examples written.
 */
const CASES: { name: string; rules: Record<string, Json | null>; examples?: Json; tags?: string[]; pact: 'passes' | 'fails'; words?: RegExp }[] = [
  // Y1, both of the outside check's spellings: the list's rule judges the member.
  { name: 'a regex on the list alone', rules: { '$.roleScopeTagIds': rule({ match: 'regex', regex: '^zzz$' }), '$.roleScopeTagIds[*]': null }, pact: 'fails', words: /^the regex "\^zzz\$" matcher on \$\.roleScopeTagIds refuses "0" at \/roleScopeTagIds\/0, which Graph gives: the create does not set roleScopeTagIds, and Graph gives a new vppToken \["0"\] \(a member without a rule of its own is judged by the list's/ },
  { name: 'type min 0 and a regex on the list', rules: { '$.roleScopeTagIds': rule({ match: 'type', min: 0 }, { match: 'regex', regex: '^[a-z]+$' }), '$.roleScopeTagIds[*]': null }, pact: 'fails', words: /^the type and regex "\^\[a-z\]\+\$" matcher on \$\.roleScopeTagIds refuses "0" at \/roleScopeTagIds\/0/ },
  { name: 'a regex on the list that takes the tag', rules: { '$.roleScopeTagIds': rule({ match: 'regex', regex: '^[0-9]+$' }), '$.roleScopeTagIds[*]': null }, pact: 'passes' },
  // The member's own rule outweighs the list's.
  { name: "a member rule that takes the tag under the list's regex", rules: { '$.roleScopeTagIds': rule({ match: 'regex', regex: '^zzz$' }), '$.roleScopeTagIds[*]': rule({ match: 'type' }) }, pact: 'passes' },
  { name: "a member rule that refuses the tag under the list's type", rules: { '$.roleScopeTagIds[*]': rule({ match: 'regex', regex: '^zzz$' }) }, pact: 'fails', words: /^the regex "\^zzz\$" matcher on \$\.roleScopeTagIds\[\*\] refuses "0" at \/roleScopeTagIds\/0, which Graph gives/ },
  // A list's own min is its length; an ancestor's (`$`) is no length of it (cascaded: Pact asks none).
  { name: "the list's own min above Graph's one tag", rules: { '$.roleScopeTagIds': rule({ match: 'type', min: 2 }) }, pact: 'fails', words: /^the type matcher on \$\.roleScopeTagIds asks for at least 2 items, but the create does not set roleScopeTagIds/ },
  { name: "the root's min above Graph's one tag, the list without a rule", rules: { $: rule({ match: 'type', min: 2 }), '$.roleScopeTagIds': null, '$.roleScopeTagIds[*]': null }, pact: 'passes' },
  // Under a rule a list expected empty is not compared at all (compare_lists_with_matchingrule); without one it is.
  { name: 'an empty example under the list min 2', rules: { '$.roleScopeTagIds': rule({ match: 'type', min: 2 }), '$.roleScopeTagIds[*]': null }, examples: { roleScopeTagIds: [] }, pact: 'passes' },
  { name: 'an empty example without a rule', rules: { '$.roleScopeTagIds': null, '$.roleScopeTagIds[*]': null }, examples: { roleScopeTagIds: [] }, pact: 'fails', words: /^is expected to be \[\] exactly \(no matcher: Pact compares a list's length and each member with the one at its place\), but the create does not set roleScopeTagIds, and Graph gives a new vppToken \["0"\]$/ },
  { name: "Graph's one tag without a rule", rules: { '$.roleScopeTagIds': null, '$.roleScopeTagIds[*]': null }, pact: 'passes' },
  // An empty list given has no member to refuse.
  { name: 'a regex on the action results, Graph giving none', rules: { '$.tokenActionResults': rule({ match: 'regex', regex: '^zzz$' }) }, examples: { tokenActionResults: [ACTION] }, pact: 'passes' },
  // Tags the create set, given back in any order (0731), by the list's rule alone.
  { name: 'tags sent, a regex on the list of those sent', tags: ['0', '7'], rules: { '$.roleScopeTagIds': rule({ match: 'regex', regex: '^(0|7)$' }), '$.roleScopeTagIds[*]': null }, examples: { roleScopeTagIds: ['0', '7'] }, pact: 'passes' },
  { name: 'tags sent, a regex on the list refusing them', tags: ['0', '7'], rules: { '$.roleScopeTagIds': rule({ match: 'regex', regex: '^zzz$' }), '$.roleScopeTagIds[*]': null }, examples: { roleScopeTagIds: ['0', '7'] }, pact: 'fails', words: /^the regex "\^zzz\$" matcher on \$\.roleScopeTagIds refuses \["0","7"\], a value Graph gives back/ },
];

function pactOf(): string {
  const canonical = JSON.parse(readFileSync(canonicalPact('beta'), 'utf8')) as Json;
  const base = canonical.interactions.find((i: Json) => i.description.endsWith('with only its token'));
  canonical.interactions = CASES.map((c, n) => {
    const interaction = structuredClone(base);
    interaction.description = `y1 ${n}: ${c.name}`;
    interaction.key = `y1-${n}`;
    // Each create its own token (decision 0733).
    const token = createRequestFactory.withSeed(780 + n).withTraits('minimal').buildAt(0).token;
    interaction.request.body.content = { token, ...(c.tags ? { roleScopeTagIds: c.tags } : {}) };
    Object.assign(interaction.response.body.content, { token, organizationName: readAppleSToken(token)!.orgName }, c.examples);
    const rules = interaction.response.matchingRules.body;
    for (const [path, r] of Object.entries(c.rules)) if (r === null) delete rules[path];
    else rules[path] = r;
    return interaction;
  });
  const file = join(dir, 'y1.json');
  writeFileSync(file, JSON.stringify(canonical));
  return file;
}

describe("a list's rule judges its members without one of their own, as Pact applies it (Y1)", () => {
  it("gives Pact's verdict on each case, and verify (Pact against the reference provider) says the same", async () => {
    const file = pactOf();
    const [compared, verified] = await Promise.all([comparePacts([file], { comparator: false }), verifyProvider({ pactFiles: [file] })]);
    const expected = CASES.map((c, n) => [`y1 ${n}: ${c.name}`, c.pact]);
    expect(verified.interactions.map((i) => [i.description, i.passed ? 'passes' : 'fails'])).toEqual(expected);
    const judged = compared.pacts[0].interactions;
    expect(judged.map((i) => [i.description, i.findings.length === 0 ? 'passes' : 'fails'])).toEqual(expected);
    for (const [n, c] of CASES.entries()) {
      if (c.pact === 'passes') continue;
      // A member rule refusing the example's own member is said at the member too (0632); the list is said at the list.
      expect(judged[n].findings.map((f) => `${f.pointer}: ${f.check}`)).toEqual(expect.arrayContaining([`/roleScopeTagIds: matcher satisfiable`]));
      expect(judged[n].findings.every((f) => f.check === 'matcher satisfiable' && f.pointer.startsWith('/roleScopeTagIds'))).toBe(true);
      expect(judged[n].findings.find((f) => f.pointer === '/roleScopeTagIds')!.message).toMatch(c.words!);
    }
  });
});
