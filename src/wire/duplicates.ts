import { pointerSegment } from '../validation/problems';
import { StringEnds } from './strings';
import { argumentProblem, refuseArguments } from '../net/option';

/** An object or array being read: its members' names so far (an object), its place in the one holding it. */
interface Frame {
  keys?: Set<string>;
  key?: string;
  index: number;
  parent?: Frame;
  /** Its name or index in `parent`: the pointer is made of these only when a name given twice is found. */
  at?: string | number;
}

const QUOTE = 0x22;
const COLON = 0x3a;

/** JSON's whitespace (RFC 8259 §2): space, tab, line feed, carriage return. */
const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function pointerOf(frame: Frame | undefined): string {
  let pointer = '';
  for (let f = frame; f?.parent; f = f.parent) pointer = `/${typeof f.at === 'number' ? f.at : pointerSegment(f.at ?? '')}${pointer}`;
  return pointer;
}

/**
 * The JSON pointer of the first property name given twice in one object of `text`, which must be valid JSON
 * (JSON.parse keeps the last silently; Graph's OData reader refuses the body). Undefined when there is none.
 */
export function findDuplicateProperty(text: string): string | undefined {
  refuseArguments(argumentProblem('text', text, 'string'));
  // A walk over valid JSON: only strings, brackets, colons and commas matter. It reads character codes, takes a name
  // without an escape as it stands, and makes a pointer only for the name it reports: every body read is walked.
  const frames: Frame[] = [];
  const ends = new StringEnds(text);
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Its closing quote found at once, a 4 MB value too (src/wire/strings.ts).
      const { end: j, escaped } = ends.of(i);
      const top = frames[frames.length - 1];
      if (top?.keys) {
        let k = j + 1;
        while (k < length && isJsonSpace(text.charCodeAt(k))) k++;
        if (text.charCodeAt(k) === COLON) {
          const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
          if (top.keys.has(key)) return `${pointerOf(top)}/${pointerSegment(key)}`;
          top.keys.add(key);
          top.key = key;
        }
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const parent = frames[frames.length - 1];
      const at = parent ? (parent.keys ? parent.key : parent.index) : undefined;
      frames.push({ keys: c === 0x7b ? new Set<string>() : undefined, index: 0, parent, at });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) frames.pop();
    else if (c === 0x2c /* , */) {
      const top = frames[frames.length - 1];
      if (top && !top.keys) top.index++;
    }
    i++;
  }
  return undefined;
}
