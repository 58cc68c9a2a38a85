import { Matchers } from '@pact-foundation/pact';
import { SchemaValidationError, createRequestFactory, problemsOf, vppTokenActionResultFactory } from 'vpptokens-contract-kit';
import { enumPattern, exampleOf, matchersFor } from 'vpptokens-contract-kit/pact';
import { Matchers as kitMatchers } from '../../src/contract/pact-matchers';

const json = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("the kit's pact-js matchers", () => {
  it("are pact-js's own Matchers, loaded from their module without the rest of pact-js (decision 0160)", () => {
    // A pact-js release that moves src/v3/matchers fails here (or at the kit's load), not in a user's contract.
    expect(kitMatchers).toBe(Matchers);
    expect(Object.keys(kitMatchers)).toEqual(expect.arrayContaining(['regex', 'like', 'atLeastOneLike', 'reify', 'nullValue']));
  });
});

describe('matchersFor', () => {
  const request = createRequestFactory.withSeed(8).withTraits('full').buildAt(0);
  const tree = json(matchersFor('request', request));

  it('reifies back to a valid example: the same values, arrays repeating their first element', () => {
    const reified = exampleOf(matchersFor('request', request)) as typeof request;
    expect(problemsOf('request', reified)).toEqual([]);
    expect({ ...reified, roleScopeTagIds: [], tokenActionResults: [] }).toEqual({ ...request, roleScopeTagIds: [], tokenActionResults: [] });
    expect(reified.roleScopeTagIds).toHaveLength(request.roleScopeTagIds!.length);
    expect(reified.roleScopeTagIds!.every((id) => id === request.roleScopeTagIds![0])).toBe(true);
  });

  it('matches enums by an anchored regex of their members', () => {
    expect(tree.vppTokenAccountType).toEqual(json(Matchers.regex('^(business|education)$', request.vppTokenAccountType!)));
    expect(tree.state.regex).toBe('^(unknown|valid|expired|invalid|assignedToExternalMDM|duplicateLocationId)$');
  });

  it('matches DateTimeOffsets by the schema pattern, which accepts every Graph form', () => {
    const regex = new RegExp(tree.expirationDateTime.regex);
    for (const ok of ['0001-01-01T00:00:00Z', '2026-01-01T00:00:00.1234567+03:00', '2026-01-01T00:00:00.1Z']) expect(regex.test(ok)).toBe(true);
    for (const bad of ['2026-01-01T00:00:00', '2026-01-01']) expect(regex.test(bad)).toBe(false);
  });

  it('matches strings, booleans and arrays by type; const and null by value', () => {
    expect(tree.displayName['pact:matcher:type']).toBe('type');
    expect(tree.automaticallyUpdateApps['pact:matcher:type']).toBe('type');
    expect(tree.roleScopeTagIds['pact:matcher:type']).toBe('type');
    expect(tree.roleScopeTagIds.min).toBe(1);
    // Both spellings Graph's OData stack accepts, with the leading # and without (an enum, matched by regex).
    expect(tree['@odata.type']['pact:matcher:type']).toBe('regex');
    for (const spelling of ['#microsoft.graph.vppToken', 'microsoft.graph.vppToken']) expect(new RegExp(tree['@odata.type'].regex).test(spelling)).toBe(true);
    const nulls = json(matchersFor('request', createRequestFactory.withTraits('nulls').buildAt(0)));
    expect(nulls.displayName['pact:matcher:type']).toBe('null');
  });

  it('keeps an empty array as its own literal, and a non-empty token non-empty', () => {
    const t = json(matchersFor('request', { token: 'abc', roleScopeTagIds: [] }));
    expect(t.roleScopeTagIds).toEqual([]);
    expect(new RegExp(t.token.regex).test('')).toBe(false);
  });

  it('gives each element its own template when elements differ in shape', () => {
    const plain = vppTokenActionResultFactory.withSeed(8).buildAt(0);
    const derived = vppTokenActionResultFactory.withSeed(8).withTraits('revokeLicenses').buildAt(0);
    expect(Object.keys(derived).join()).not.toBe(Object.keys(plain).join());
    const differ = json(matchersFor('request', { token: 'x', tokenActionResults: [derived, plain] })).tokenActionResults;
    expect(Array.isArray(differ) && differ.length).toBe(2);
    const same = json(matchersFor('request', { token: 'x', tokenActionResults: [plain, plain] }));
    expect(same.tokenActionResults['pact:matcher:type']).toBe('type');
  });

  it('validates the example first', () => {
    expect(() => matchersFor('request', { state: 'String' })).toThrow(SchemaValidationError);
  });

  it('escapes regex characters in enum members', () => {
    expect(enumPattern(['#microsoft.graph.vppToken', 'a|b'])).toBe('^(#microsoft\\.graph\\.vppToken|a\\|b)$');
  });
});
