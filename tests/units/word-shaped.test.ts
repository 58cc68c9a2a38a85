// A credential shaped as words (decision 0770) is told in one pass (decision 1072): the same credentials as the
// grammar the kit used before, `^(?:[A-Z]?[a-z]{2,})+$`, which tried the ways to cut a run of lower-case letters into
// words before refusing one whose letters end in a digit (25 ms a call for a 35-letter bearer, in every answer judged).
import fc from 'fast-check';
import { isWordShaped } from '../../src/judgement/graph-model';
import { expectSameVerdicts } from '../support/same-verdicts';

const GRAMMAR = /^(?:[A-Z]?[a-z]{2,})+$/;

describe('isWordShaped', () => {
  it.each([
    ['required', true],
    ['property', true],
    ['BadRequest', true],
    ['Partners', true],
    ['isRequired', true],
    ['ab', true],
    ['Ab', false],
    ['a', false],
    ['A', false],
    ['', false],
    ['aB', false],
    ['BadRequestX', false],
    ['ABc', false],
    ['abCd', false],
    ['required1', false],
    ['test-token', false],
    ['eyJhbGciOiJIUzI1NiJ9', false],
  ])('%j: %s, as the grammar says', (credential, expected) => {
    expect(GRAMMAR.test(credential)).toBe(expected);
    expect(isWordShaped(credential)).toBe(expected);
  });

  it('agrees with the grammar on any short text of letters and others', () => {
    const chars = fc.oneof({ arbitrary: fc.constantFrom('a', 'b', 'z'), weight: 6 }, { arbitrary: fc.constantFrom('A', 'Q', 'Z'), weight: 2 }, { arbitrary: fc.constantFrom('1', '-', ' ', '\u00e9'), weight: 1 });
    expectSameVerdicts(fc.array(chars, { maxLength: 12 }).map((list) => list.join('')), (credential) => GRAMMAR.test(credential), isWordShaped, 1072);
  });

  // Long credentials both ways, read whole (the grammar, run on the first, did not answer within 90 s).
  it('tells a long credential of letters both ways, whatever ends it', () => {
    const letters = 'thisisnotarealtokenforlocaltesting'.repeat(300);
    expect(isWordShaped(letters)).toBe(true);
    expect(isWordShaped(`${letters}1`)).toBe(false);
    expect(isWordShaped(`${letters}!`)).toBe(false);
    expect(isWordShaped(`${letters}X`)).toBe(false);
    expect(isWordShaped(`${letters}Xy`)).toBe(false);
    expect(isWordShaped(`${letters}Xyz`)).toBe(true);
    expect(isWordShaped(`${'Ab'.repeat(5000)}c`)).toBe(false);
    expect(isWordShaped(`${'Abc'.repeat(5000)}`)).toBe(true);
  });
});
