import { pointerSegment } from '../validation/problems';

/** A string a body holds, where it stands: a value at its JSON pointer, or a name in the object at `pointer`. */
export interface BodyString {
  pointer: string;
  value: string;
  /** A member's name (the object holding it is at `pointer`), not a value. */
  name?: true;
  /** Text outside any JSON string that is not JSON's own (a bare word, data after the value): `pointer` is ''. */
  other?: true;
}

const STRUCTURAL = new Set(['{', '}', '[', ']', ':', ',', ' ', '\t', '\n', '\r']);

/**
 * Where each JSON string of one text ends, read left to right: the next quote and backslash are found by indexOf (a
 * 4 MB value is one native search, not four million steps of a loop or of a regular expression) and kept until the
 * reading passes them, so each is searched for once per text, however many strings and escapes it holds.
 */
export class StringEnds {
  private quote = -2;
  private backslash = -2;
  constructor(private readonly text: string) {}

  /**
   * The string whose opening quote is at `open` (at or after every string asked before): `end` is the index of its
   * closing quote, or text.length or past it when the text ends inside it; `escaped` whether it holds a backslash.
   */
  of(open: number): { end: number; escaped: boolean } {
    const text = this.text;
    let end = open + 1;
    let escaped = false;
    for (;;) {
      if (this.quote !== -1 && this.quote < end) this.quote = text.indexOf('"', end);
      if (this.backslash !== -1 && this.backslash < end) this.backslash = text.indexOf('\\', end);
      // A backslash before the closing quote takes the character after it, whatever it is (an escaped quote too).
      if (this.backslash === -1 || (this.quote !== -1 && this.quote < this.backslash)) break;
      escaped = true;
      end = this.backslash + 2;
    }
    return { end: this.quote === -1 ? Math.max(end, text.length) : this.quote, escaped };
  }
}

/**
 * Every string of a body's text with its place, read as JSON tokens without needing the text to be valid JSON: a
 * name given twice, data after the value or a broken escape do not stop it. Values and names are decoded (`\/`,
 * `\u0074`), so a search of them finds what a JSON reader would see; text outside strings that is not JSON's own
 * syntax is listed too (`other`), so nothing of the body is left unread. Linear in the text, iterative.
 */
export function bodyStrings(text: string): BodyString[] {
  const found: BodyString[] = [];
  const frames: { pointer: string; object: boolean; index: number; key?: string }[] = [];
  const here = (): string => {
    const top = frames[frames.length - 1];
    if (!top) return '';
    return `${top.pointer}/${top.object ? pointerSegment(top.key ?? '') : top.index}`;
  };
  const ends = new StringEnds(text);
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const { end, escaped } = ends.of(i);
      const raw = text.slice(i, Math.min(end + 1, text.length));
      let value: string;
      if (!escaped) {
        // Without an escape, the characters between the quotes are the value (JSON.parse would give them, or refuse a
        // control character or the missing closing quote, and then they are taken as they stand all the same).
        value = text.slice(i + 1, Math.min(end, text.length));
      } else {
        try {
          value = JSON.parse(raw) as string;
        } catch {
          // A string cut short or with a broken escape: its characters as they stand.
          value = raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined);
        }
      }
      let after = end + 1;
      while (after < text.length && (text[after] === ' ' || text[after] === '\t' || text[after] === '\n' || text[after] === '\r')) after++;
      const top = frames[frames.length - 1];
      if (top?.object && text[after] === ':') {
        found.push({ pointer: top.pointer, value, name: true });
        top.key = value;
      } else found.push({ pointer: here(), value });
      i = end + 1;
      continue;
    }
    if (c === '{' || c === '[') frames.push({ pointer: here(), object: c === '{', index: 0 });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top && !top.object) top.index++;
    } else if (!STRUCTURAL.has(c)) {
      let end = i + 1;
      while (end < text.length && !STRUCTURAL.has(text[end]) && text[end] !== '"') end++;
      const word = text.slice(i, end);
      // JSON's own words and numbers hold no text; anything else is listed as it stands.
      if (!/^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(word)) found.push({ pointer: '', value: word, other: true });
      i = end;
      continue;
    }
    i++;
  }
  return found;
}
