import { pointerSegment } from '../validation/problems';

/** A UTF-16 surrogate without its partner: what a `\ud800` escape alone parses to. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What a string or name with an unpaired surrogate is, wherever it is judged: in bytes the one reader reads (an escape
 * alone) and in a value handed to the library (a string cut between the halves of a pair, outside finding R59).
 */
export const LONE_SURROGATE_MESSAGE =
  'holds an unpaired surrogate (half of a UTF-16 pair alone: an escape such as \\ud800 without its pair, or a string cut between the two), which is no Unicode character: I-JSON refuses it (RFC 7493 §2.1, RFC 8259 §8.2)';

/** What a NaN or Infinity in a value handed to the library is (its value shown after it, `(got NaN)`). */
export const NOT_A_JSON_NUMBER_MESSAGE = 'is a number JSON cannot hold: JSON has finite numbers only (RFC 8259 §6, I-JSON RFC 7493 §2.2), and JSON.stringify would send null';

/** A surrogate in a JSON text: a character of its own (of a pair, or alone), or a `\uD800`-`\uDFFF` escape. */
const SURROGATE_IN_TEXT = /[\uD800-\uDFFF]|\\u[dD][89a-fA-F]/;

/**
 * Whether the value JSON `text` parses to may hold an unpaired surrogate: a string's characters are the text's own or
 * its escapes', so a text with no surrogate and no surrogate escape (almost every body) needs no walk of its value
 * (findLoneSurrogate), one native search of the text instead.
 */
export const mayHoldLoneSurrogate = (text: string): boolean => SURROGATE_IN_TEXT.test(text);

/**
 * The JSON pointer of the first string or name of a parsed JSON value that holds an unpaired surrogate (an escape
 * such as `\ud800` alone), which is no Unicode character: RFC 8259 §8.2 leaves its meaning unpredictable, I-JSON
 * (RFC 7493 §2.1) refuses it, and Pact's own parser fails on it. Undefined when there is none. Iterative, so a
 * value nested thousands deep is read too.
 */
export function findLoneSurrogate(root: unknown): string | undefined {
  if (!anyLeaf(root, isLoneSurrogateLeaf, isLoneSurrogateName)) return undefined;
  for (const found of pointedLeaves(root)) {
    if ('name' in found) {
      // The name is shown with its surrogate escaped: printed as it is, it would become U+FFFD.
      if (LONE_SURROGATE.test(found.name)) return `${found.parent}/${pointerSegment(found.name.replace(new RegExp(LONE_SURROGATE.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16)}`))}`;
    } else if (isLoneSurrogateLeaf(found.value)) return found.pointer;
  }
  return undefined;
}

/**
 * A number a double cannot hold is at least about 1.8e308: its text has a positive exponent of three or more digits,
 * or (an exponent of two digits at the most being at most 99) at least 210 digits before its point. Either way it
 * holds one of these two runs.
 */
const HUGE_NUMBER_IN_TEXT = /[eE]\+?\d{3}|\d{200}/;

/**
 * Whether the value JSON `text` parses to may hold a number no double can hold: a text with neither run (almost every
 * body) needs no walk of its value (findNumberOutOfRange), one native search of the text instead, as
 * mayHoldLoneSurrogate (decision 1212).
 */
export const mayHoldNumberOutOfRange = (text: string): boolean => HUGE_NUMBER_IN_TEXT.test(text);

/**
 * The JSON pointer of the first number of a parsed JSON value that a double cannot hold (`1e400` parses to
 * Infinity, which JSON.stringify then writes as null): I-JSON (RFC 7493 §2.2) says MUST NOT, RFC 8259 §6 warns.
 * Undefined when there is none.
 */
export function findNumberOutOfRange(root: unknown): string | undefined {
  return numbersOutOfRange(root, 1)[0];
}

/** The JSON pointers of the numbers (at most `most`) a double cannot hold, in document order. */
export function numbersOutOfRange(root: unknown, most = Infinity): string[] {
  return nonFiniteNumbers(root, most).map((found) => found.pointer);
}

/** The numbers (at most `most`) that are not finite (NaN, ±Infinity), each with its JSON pointer, in document order. */
export function nonFiniteNumbers(root: unknown, most = Infinity): { pointer: string; value: number }[] {
  if (!anyLeaf(root, isNonFiniteLeaf)) return [];
  const found: { pointer: string; value: number }[] = [];
  for (const leaf of pointedLeaves(root)) {
    if (found.length >= most) break;
    if ('value' in leaf && isNonFiniteLeaf(leaf.value)) found.push({ pointer: leaf.pointer, value: leaf.value as number });
  }
  return found;
}

const isLoneSurrogateLeaf = (leaf: unknown): boolean => typeof leaf === 'string' && LONE_SURROGATE.test(leaf);
const isLoneSurrogateName = (name: string): boolean => LONE_SURROGATE.test(name);
const isNonFiniteLeaf = (leaf: unknown): boolean => typeof leaf === 'number' && !Number.isFinite(leaf);

/**
 * Whether a value handed to the library holds what no JSON text can carry: a string or name with an unpaired
 * surrogate, a NaN or an Infinity (outside finding R59). Parsed JSON holds neither but what the one reader refuses
 * (an escape alone, `1e400`); a value built in a program can, and is sent changed or refused.
 */
export const holdsWhatJsonCannot = (root: unknown): boolean => anyLeaf(root, (leaf) => isLoneSurrogateLeaf(leaf) || isNonFiniteLeaf(leaf), isLoneSurrogateName);

/** Whether `value` is an object (or array) not read before by this walk, marking it read: each is read once (outside tester M4). */
function firstRead(value: unknown, read: Set<object>): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (read.has(value)) return false;
  read.add(value);
  return true;
}

/**
 * The leaves (strings, numbers, booleans, nulls) of a parsed JSON value with their JSON pointers, and each object's
 * names with the object's pointer as they are met (before its members), in document order: the second walk of
 * findLoneSurrogate and nonFiniteNumbers, once anyLeaf has found what they look for. Iterative, so a value nested
 * thousands deep is read too; each object is read once (outside tester M4).
 */
function* pointedLeaves(root: unknown): Generator<{ pointer: string; value: unknown } | { parent: string; name: string }> {
  const pending: { pointer: string; value: unknown }[] = [{ pointer: '', value: root }];
  const read = new Set<object>();
  while (pending.length > 0) {
    const { pointer, value } = pending.pop()!;
    if (!firstRead(value, read)) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ pointer: `${pointer}/${i}`, value: value[i] });
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      for (const [name] of entries) yield { parent: pointer, name };
      for (let i = entries.length - 1; i >= 0; i--) pending.push({ pointer: `${pointer}/${pointerSegment(entries[i][0])}`, value: entries[i][1] });
    } else yield { pointer, value };
  }
}

/**
 * Whether a value (a string, number, boolean or null) or a name of a parsed JSON value is one `leaf` or `name` looks
 * for: a walk that makes no pointer, so that every body read (almost all without either) costs one pass; the
 * pointer of what was found is the second walk's. Each object is read once: a value handed to the library may refer
 * to itself (outside tester M4).
 */
function anyLeaf(root: unknown, leaf: (value: unknown) => boolean, name?: (name: string) => boolean): boolean {
  const pending: unknown[] = [root];
  const read = new Set<object>();
  while (pending.length > 0) {
    const value = pending.pop();
    if (!firstRead(value, read)) continue;
    if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) {
        if (name?.(key)) return true;
        pending.push((value as Record<string, unknown>)[key]);
      }
    } else if (leaf(value)) return true;
  }
  return false;
}
