import { Matchers } from '@pact-foundation/pact';
import { SchemaValidationError, createRequestFactory, problemsOf, vppTokenActionResultFactory } from 'vpptokens-contract-kit';
import { MAX_ARRAY_EXAMPLES, MAX_TEXT_EXAMPLE, enumPattern, exampleOf, matchersFor, matchersForInvalid } from 'vpptokens-contract-kit/pact';
import { Matchers as kitMatchers, typedRegex } from '../../src/contract/pact-matchers';

const json = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("the kit's pact-js matchers", () => {
  // The kit writes the nine matchers it uses itself, without pact-js's module and its ramda (decision 0552): each must
  // write what pact-js's own writes (run on pact-js 16.4 and 17.1.4 by .ci/run), or throw its words.
  const outcome = (build: () => unknown) => {
    try {
      return { value: build() };
    } catch (error) {
      return { thrown: (error as Error).message };
    }
  };
  const template = { id: Matchers.regex('^[0-9a-f-]+$', 'a-1'), tags: [Matchers.like('x'), 2, null, true] };
  const cases: [keyof typeof kitMatchers, unknown[]][] = [
    ['like', [template]],
    ['like', ['text']],
    ['atLeastOneLike', [template]],
    ['atLeastOneLike', [template, 3]],
    ['boolean', []],
    ['boolean', [false]],
    ['integer', [5]],
    ['integer', [0]],
    ['integer', []],
    ['integer', [1.5]],
    ['decimal', [1.5]],
    ['decimal', [3]],
    ['decimal', []],
    ['decimal', [Number.NaN]],
    ['decimal', ['x']],
    ['string', []],
    ['string', ['a value']],
    ['regex', [/^a+$/, 'aa']],
    ['regex', ['^(b|c)$', 'b']],
    ['nullValue', []],
    ['reify', [{ a: template, b: Matchers.atLeastOneLike(Matchers.integer(3), 2), c: [Matchers.nullValue(), 'd'] }]],
    ['reify', [Matchers.string()]],
    ['reify', [{ gone: undefined }]],
    ['reify', [() => 1]],
  ];

  it.each(cases)("write %s(%p) as pact-js's own Matchers do", (name, args) => {
    const theirs = outcome(() => (Matchers[name] as (...a: unknown[]) => unknown)(...args));
    const ours = outcome(() => (kitMatchers[name] as (...a: unknown[]) => unknown)(...args));
    expect(ours).toEqual(theirs);
    // The same JSON text: pact-core reads the matchers as JSON (matcherValueOrString).
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
  });

  it("fail where they write other than pact-js's own", () => {
    expect(kitMatchers.atLeastOneLike('x', 2)).not.toEqual(Matchers.atLeastOneLike('x', 3));
    expect(JSON.stringify(kitMatchers.regex(/^a+$/, 'aa'))).not.toBe(JSON.stringify(Matchers.regex('a+', 'aa')));
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
    // By type and regex together: a regex alone takes a number by its text (typedRegex).
    expect(tree.vppTokenAccountType).toEqual(json(typedRegex('^(business|education)$', request.vppTokenAccountType!)));
    expect(tree.vppTokenAccountType['pact:matcher:type']).toEqual([{ 'pact:matcher:type': 'type' }, { 'pact:matcher:type': 'regex', regex: '^(business|education)$' }]);
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
    expect(tree['@odata.type']['pact:matcher:type'].map((m: { 'pact:matcher:type': string }) => m['pact:matcher:type'])).toEqual(['type', 'regex']);
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

  // Outside tester G25: a pact of a 100,000-item create could not be written (Pact's mock server matches array
  // items in time that grows with the square of their count), and would hold megabytes. A pact holds the shape.
  describe('a large body: its shape, not its size (decision 0170)', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i));

    it(`writes an array of one shape with at most ${MAX_ARRAY_EXAMPLES} examples, and a shorter one with all of its own`, () => {
      const big = matchersFor('request', { token: 'x', roleScopeTagIds: ids(100_000) }) as { roleScopeTagIds: { min: number } };
      expect([json(big).roleScopeTagIds['pact:matcher:type'], big.roleScopeTagIds.min]).toEqual(['type', 1]);
      expect(exampleOf(big)).toEqual({ token: 'x', roleScopeTagIds: Array(MAX_ARRAY_EXAMPLES).fill('0') });
      const small = matchersFor('request', { token: 'x', roleScopeTagIds: ids(MAX_ARRAY_EXAMPLES) });
      expect(exampleOf(small)).toEqual({ token: 'x', roleScopeTagIds: Array(MAX_ARRAY_EXAMPLES).fill('0') });
      const fewer = matchersFor('request', { token: 'x', roleScopeTagIds: ids(3) });
      expect(exampleOf(fewer)).toEqual({ token: 'x', roleScopeTagIds: ['0', '0', '0'] });
    });

    it('writes an array of several shapes over the bound as the first item of each shape, and keeps every item under it', () => {
      const plain = vppTokenActionResultFactory.withSeed(8).buildAt(0);
      const derived = vppTokenActionResultFactory.withSeed(8).withTraits('revokeLicenses').buildAt(0);
      const many = Array.from({ length: 5_000 }, (_, i) => (i % 3 === 2 ? derived : plain));
      const cut = exampleOf(matchersFor('request', { token: 'x', tokenActionResults: many })) as { tokenActionResults: unknown[] };
      expect(cut.tokenActionResults).toEqual([plain, derived]);
      const few = [plain, derived, plain];
      expect((exampleOf(matchersFor('request', { token: 'x', tokenActionResults: few })) as { tokenActionResults: unknown[] }).tokenActionResults).toEqual(few);
    });

    it('keeps an invalid item literal wherever it stands in a long array', () => {
      const tree = json(matchersForInvalid('request', { token: 'x', roleScopeTagIds: [...ids(20_000), 42] })).roleScopeTagIds;
      expect(tree).toHaveLength(2);
      expect(tree[1]).toBe(42);
    });

    it(`writes a text matched by type with at most ${MAX_TEXT_EXAMPLE} characters, never half of a character`, () => {
      const long = json(matchersFor('request', { token: 'x', displayName: 'd'.repeat(4_000_000) })).displayName;
      expect([long['pact:matcher:type'], long.value]).toEqual(['type', 'd'.repeat(MAX_TEXT_EXAMPLE)]);
      const emoji = json(matchersFor('request', { token: 'x', displayName: `${'d'.repeat(MAX_TEXT_EXAMPLE - 1)}😀😀` })).displayName;
      expect(emoji.value).toBe('d'.repeat(MAX_TEXT_EXAMPLE - 1));
      const exact = 'e'.repeat(MAX_TEXT_EXAMPLE);
      expect(json(matchersFor('request', { token: 'x', displayName: exact })).displayName.value).toBe(exact);
      // A value the schema gives a pattern (a date) is never cut: its example must still match it.
      expect(json(matchersFor('request', { token: 'x', expirationDateTime: '2027-03-14T15:10:04.3355154+05:30' })).expirationDateTime.value).toBe('2027-03-14T15:10:04.3355154+05:30');
    });
  });

  it('validates the example first', () => {
    expect(() => matchersFor('request', { state: 'String' })).toThrow(SchemaValidationError);
  });

  it('escapes regex characters in enum members', () => {
    expect(enumPattern(['#microsoft.graph.vppToken', 'a|b'])).toBe('^(#microsoft\\.graph\\.vppToken|a\\|b)$');
  });
});
