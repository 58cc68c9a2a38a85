// Outside finding R96 (decision 0840): a $filter nested in 3000 parentheses (a 6 KB URL) held the reference provider
// for ~20 s, every other request waiting, and its answer hung on the JIT: 400 "Syntax error" cold (a stack overflow
// read as one), 200 or 500 warm. Graph's OData reader counts the steps it recurses and answers 400 past 800; the kit
// counts them the same way, by one linear scan, before any parse: the same answer every time, at once.
import { checkClientRequest } from '../../src/judgement';
import { compileFilter, FILTER_RECURSION_LIMIT, filterRecursionDepth } from '../../src/judgement/filter';
import { vppTokenProperties } from '../../src/judgement/odata';
import { startReferenceProvider } from '../../src/provider';
import { filterRefusal } from '../support/filter-refusal';

const nested = (levels: number, inner = 'displayName eq null') => `${'('.repeat(levels)}${inner}${')'.repeat(levels)}`;
const beta = vppTokenProperties('beta');
const refusal = filterRefusal;

describe("a $filter's depth, counted as Graph's OData reader counts its recursion", () => {
  it.each<[string, string, number]>([
    // ParseExpression, ParseLogicalOr, ParseLogicalAnd, ParseComparison, ParseAdditive, ParseMultiplicative, ParsePrimary.
    ['an operand', 'displayName eq null', 7],
    ['one level of parentheses', nested(1), 14],
    ['113 levels', nested(113), 798],
    ['114 levels', nested(114), 805],
    // A `not` holds its ParseUnary while its operand is read, `not(` as `not (`.
    ['793 nots', `${'not '.repeat(793)}automaticallyUpdateApps`, 800],
    ['not( twice', 'not(not(displayName eq null))', 23],
    // A call's arguments are an expression at the call's depth; `not` before a call holds over it.
    ['a call in a call', "tolower(tolower(displayName)) eq 'a'", 21],
    ['not before a call', "not tolower(displayName) eq 'a'", 15],
    ['a lambda', "roleScopeTagIds/any(r: r eq '0')", 14],
    // Parentheses inside a string literal (quotes doubled) are text.
    ['parentheses in a string', "displayName eq 'a(((''(((' or displayName eq null", 7],
    // Flat: many operands side by side, no deeper (the parser loops over and/or).
    ['200 operands or-ed', Array(200).fill("id eq 'x'").join(' or '), 7],
  ])('%s', (_label, filter, steps) => {
    expect(filterRecursionDepth(filter)).toBe(steps);
  });

  it('refuses one step past the limit with 400 at once, before any parse, and reads what is at the limit', () => {
    expect(FILTER_RECURSION_LIMIT).toBe(800);
    for (const filter of [nested(114), nested(3000), `${'not '.repeat(794)}automaticallyUpdateApps`, `${'tolower('.repeat(114)}displayName${')'.repeat(114)} eq 'a'`]) {
      const error = refusal(filter);
      expect(error?.status).toBe(400);
      expect(error?.message).toMatch(/^The recursion limit has been exceeded: this \$filter nests \d+ steps of Graph's OData reader deep, and it reads 800 /);
    }
    // At the bound: a correct filter, read and compiled (the cheapest spelling of 800 steps to parse).
    const atTheBound = `${'not '.repeat(401)}${nested(56, "displayName eq 'a'")}`;
    expect(filterRecursionDepth(atTheBound)).toBe(800);
    expect(compileFilter(atTheBound, beta)({ displayName: 'a' })).toBe(false);
    expect(compileFilter(atTheBound, beta)({ displayName: 'b' })).toBe(true);
  });

  it('is the client request judgement of check-client and the proxy too: a problem at the query, by the same words', () => {
    const judge = (filter: string) => checkClientRequest({ method: 'GET', path: '/beta/deviceAppManagement/vppTokens', query: `$filter=${encodeURIComponent(filter)}`, headers: {}, rawHeaders: ['Authorization', 'Bearer r96-access-token-0123456789'], body: undefined, bytes: Buffer.alloc(0) }, 'beta').problems.map((p) => p.message);
    expect(judge(nested(3000))).toEqual([expect.stringMatching(/^The recursion limit has been exceeded/)]);
    expect(judge(nested(2))).toEqual([]);
  });

  it('the reference provider answers 400 to 3000 levels, and answers the next request', async () => {
    const provider = await startReferenceProvider({});
    try {
      const headers = { Authorization: 'Bearer r96-access-token-0123456789' };
      const deep = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens?$filter=${encodeURIComponent(nested(3000))}`, { headers });
      const body = (await deep.json()) as { error: { code: string; message: string } };
      expect([deep.status, body.error.message]).toEqual([400, expect.stringMatching(/^The recursion limit has been exceeded: this \$filter nests 21007 steps/)]);
      const next = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens?$filter=${encodeURIComponent(nested(2))}`, { headers });
      expect(next.status).toBe(200);
      await next.text();
    } finally {
      await provider.close();
    }
  });
});
