import { pointerSegment } from '../validation/problems';

/** A UTF-16 surrogate without its partner: what a `\ud800` escape alone parses to. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

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
  if (!anyLeaf(root, (leaf) => typeof leaf === 'string' && LONE_SURROGATE.test(leaf), (name) => LONE_SURROGATE.test(name))) return undefined;
  const pending: { pointer: string; value: unknown }[] = [{ pointer: '', value: root }];
  while (pending.length > 0) {
    const { pointer, value } = pending.pop()!;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return pointer;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ pointer: `${pointer}/${i}`, value: value[i] });
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      const named = entries.find(([k]) => LONE_SURROGATE.test(k));
      // The name is shown with its surrogate escaped: printed as it is, it would become U+FFFD.
      if (named) return `${pointer}/${pointerSegment(named[0].replace(new RegExp(LONE_SURROGATE.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16)}`))}`;
      for (let i = entries.length - 1; i >= 0; i--) pending.push({ pointer: `${pointer}/${pointerSegment(entries[i][0])}`, value: entries[i][1] });
    }
  }
  return undefined;
}

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
  if (!anyLeaf(root, (leaf) => typeof leaf === 'number' && !Number.isFinite(leaf))) return [];
  const found: string[] = [];
  const pending: { pointer: string; value: unknown }[] = [{ pointer: '', value: root }];
  while (pending.length > 0 && found.length < most) {
    const { pointer, value } = pending.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) found.push(pointer);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ pointer: `${pointer}/${i}`, value: value[i] });
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) pending.push({ pointer: `${pointer}/${pointerSegment(entries[i][0])}`, value: entries[i][1] });
    }
  }
  return found;
}

/**
 * Whether a value (a string, number, boolean or null) or a name of a parsed JSON value is one `leaf` or `name` looks
 * for: a walk that makes no pointer, so that every body read (almost all without either) costs one pass; the
 * pointer of what was found is the second walk's.
 */
function anyLeaf(root: unknown, leaf: (value: unknown) => boolean, name?: (name: string) => boolean): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
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
