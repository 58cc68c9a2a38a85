// An sToken's base64 is read in one pass (decision 1071): the same texts as RFC 4648's grammar, written as the regular
// expressions the kit used before (§4 base64, §5 base64url, one alphabet, `=` only completing the last quantum or
// none at all, decision 0205), which backtracked by the 4-character group on a large token.
import fc from 'fast-check';
import { isBase64Text, readAppleSToken } from '../../src/validation/stoken';
import { expectSameVerdicts } from '../support/same-verdicts';

const BASE64_GRAMMAR = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const BASE64URL_GRAMMAR = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}(?:==)?|[A-Za-z0-9_-]{3}=?)?$/;
const grammar = (text: string) => BASE64_GRAMMAR.test(text) || BASE64URL_GRAMMAR.test(text);

describe('isBase64Text', () => {
  it.each([
    ['', true],
    ['QUJD', true],
    ['QUI', true],
    ['QUI=', true],
    ['QQ', true],
    ['QQ==', true],
    ['ab-_', true],
    ['ab+/', true],
    ['Q', false],
    ['QUJDQ', false],
    ['QQ=', false],
    ['QUI==', false],
    ['QUJD=', false],
    ['=', false],
    ['==', false],
    ['===', false],
    ['QQ==QQ==', false],
    ['a+-b', false],
    ['QU I', false],
    ['QUJD\n', false],
    ['QUJ\u00e9', false],
  ])('%j: %s, as the grammar says', (text, expected) => {
    expect(grammar(text)).toBe(expected);
    expect(isBase64Text(text)).toBe(expected);
  });

  it('agrees with the grammar on any text of base64 characters, padding, and others', () => {
    const alphabet = fc.constantFrom('A', 'z', '0', '9', '+', '/', '-', '_', '=', ' ', '\n', '\u00e9', '\ud83d\ude00');
    // Both ways: the texts drawn hold some the grammar takes and some it refuses.
    expectSameVerdicts(fc.array(alphabet, { maxLength: 14 }).map((chars) => chars.join('')), grammar, isBase64Text, 1071);
  });

  it('reads a token of 4 MiB whole: one character out of place anywhere, or a quantum cut short, refuses it', () => {
    const valid = Buffer.alloc(3 * 1024 * 1024, 'sToken ').toString('base64');
    expect(valid.length).toBe(4 * 1024 * 1024);
    expect(isBase64Text(valid)).toBe(true);
    const at = (text: string, index: number, char: string) => `${text.slice(0, index)}${char}${text.slice(index + 1)}`;
    expect(isBase64Text(at(valid, 2 * 1024 * 1024, '*'))).toBe(false);
    expect(isBase64Text(at(valid, 2 * 1024 * 1024, '-'))).toBe(true);
    // One alphabet: base64's + and / beside base64url's - refuses it.
    expect(isBase64Text(`${at(valid, 2 * 1024 * 1024, '-')}ab+/`)).toBe(false);
    expect(isBase64Text(`${valid}Q`)).toBe(false);
    expect(isBase64Text(`${valid}QQ==`)).toBe(true);
    const sToken = Buffer.from(JSON.stringify({ token: 'x'.repeat(2 * 1024 * 1024), expDate: '2030-01-01T00:00:00+0000', orgName: 'Org' })).toString('base64');
    expect(readAppleSToken(sToken)).toEqual({ token: 'x'.repeat(2 * 1024 * 1024), expDate: '2030-01-01T00:00:00+0000', orgName: 'Org' });
    expect(readAppleSToken(`${sToken.slice(0, -1)} `)).toBeUndefined();
  });
});
