// Outside attacker R74 (decision 0730): where several of a body's matching rules hold for one value, Pact applies the
// one whose path weighs most (pact_models' path weight: `$` and a field or index weigh 2, `*` and `[*]` 1, multiplied,
// times the path's length), whatever the order they are written in. compare took the deepest path, the first written
// among equally deep ones, so `$.*` written before `$.state` decided the state's verdict: a pact pinning the state
// passed compare and failed verify against a correct provider, and one holding it by type failed compare.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePacts } from 'vpptokens-contract-kit/compare';
import { ruleAt } from '../../src/compare/matchers';
import type { PactRule } from '../../src/compare/pact-file';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-rule-weight-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const canonical = JSON.parse(readFileSync(join(__dirname, '../../pacts/vppkit-canonical-consumer-microsoft-graph-vpptokens.json'), 'utf8'));
const created = canonical.interactions.find((i: { response: { status: number } }) => i.response.status === 201);
const PINNED = { match: 'regex', regex: '^valid$' };
const TYPE = { match: 'type' };

/** The canonical pact's first 201 with a `$.*` rule and a `$.state` rule, written in the order `order` says. */
function pactOf(name: string, star: object, state: object, order: 'star first' | 'state first'): string {
  const interaction = JSON.parse(JSON.stringify(created));
  const rules = interaction.response.matchingRules.body;
  delete rules['$.state'];
  const written = { '$.*': { combine: 'AND', matchers: [star] }, '$.state': { combine: 'AND', matchers: [state] } };
  const entries = order === 'star first' ? Object.entries(written) : Object.entries(written).reverse();
  interaction.response.matchingRules.body = { ...rules, ...Object.fromEntries(entries) };
  const file = join(dir, `${name}-${order.replace(' ', '-')}.json`);
  writeFileSync(file, JSON.stringify({ consumer: { name: 'c' }, provider: { name: 'microsoft-graph-vpptokens' }, interactions: [interaction], metadata: { pactSpecification: { version: '4.0' } } }));
  return file;
}
const findings = async (file: string) => (await comparePacts([file], { comparator: false })).pacts[0].interactions[0].findings.map((f) => `${f.pointer}: ${f.check}: ${f.message}`);

describe("the rule Pact applies to a value is the one whose path weighs most, in any order written (R74)", () => {
  it.each(['star first', 'state first'] as const)('fails the state pinned by $.state under a $.* type rule (%s)', async (order) => {
    expect(await findings(pactOf('pinned', TYPE, PINNED, order))).toEqual([expect.stringMatching(/^\/state: matcher satisfiable: the regex "\^valid\$" matcher on \$\.state refuses "\w+", a value Graph gives/)]);
  });

  it.each(['star first', 'state first'] as const)('passes the state held by type by $.state under a pinning $.* rule (%s)', async (order) => {
    expect(await findings(pactOf('loose', PINNED, TYPE, order))).toEqual([]);
  });

  it('weighs a field above a wildcard, and a heavier ancestor above a deeper wildcard path', () => {
    const rule = (match: string): PactRule => ({ combine: 'AND', matchers: [{ match }] });
    const at = (rules: Record<string, PactRule>, ...segments: string[]) => ruleAt(rules, segments)?.path;
    // $.a weighs 2*2, times 2 tokens (8); $.*.* weighs 2*1*1, times 3 (6): Pact applies $.a's rule, cascaded.
    expect(at({ '$.*.*': rule('type'), '$.a': rule('integer') }, 'a', 'b')).toBe('$.a');
    expect(at({ '$.a': rule('integer'), '$.*.*': rule('type') }, 'a', 'b')).toBe('$.a');
    // $.a.* (2*2*1, 3 tokens: 12) outweighs $.a (8); $.a.b (24) outweighs both; the root alone (2) any field.
    expect(at({ '$.a.*': rule('type'), '$.a': rule('integer') }, 'a', 'b')).toBe('$.a.*');
    expect(at({ '$.a.b': rule('type'), '$.a.*': rule('integer'), '$.a': rule('null') }, 'a', 'b')).toBe('$.a.b');
    expect(at({ $: rule('type'), '$.*': rule('integer') }, 'state')).toBe('$.*');
    // [*] takes an index only (Pact's StarIndex), and an index of its own outweighs it.
    expect(at({ '$[*]': rule('type') }, 'state')).toBeUndefined();
    expect(at({ '$.ids[0]': rule('integer'), '$.ids[*]': rule('type') }, 'ids', '0')).toBe('$.ids[0]');
    expect(at({ '$.ids[0]': rule('integer'), '$.ids[*]': rule('type') }, 'ids', '1')).toBe('$.ids[*]');
    // A path that does not lead to the value, or is longer than its path, is no rule of it.
    expect(at({ '$.b': rule('type'), '$.a.b.c': rule('integer') }, 'a', 'b')).toBeUndefined();
  });
});
