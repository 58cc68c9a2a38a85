import fc from 'fast-check';

/**
 * A rule rewritten to read in one pass gives every text drawn from `texts` the verdict of the grammar it replaces
 * (decisions 1071, 1072), and the draws hold more than 100 texts of each verdict, so the comparison could fail both
 * ways. `seed` fixes the draws.
 */
export function expectSameVerdicts(texts: fc.Arbitrary<string>, grammar: (text: string) => boolean, rule: (text: string) => boolean, seed: number): void {
  const said = { true: 0, false: 0 };
  fc.assert(
    fc.property(texts, (text) => {
      const expected = grammar(text);
      said[`${expected}`]++;
      expect(rule(text)).toBe(expected);
    }),
    { numRuns: 3000, seed },
  );
  expect(said.true).toBeGreaterThan(100);
  expect(said.false).toBeGreaterThan(100);
}
