import { pointerSegment } from '../validation/problems';
import { StringEnds } from './strings';

/**
 * The JSON pointer of the first property name given twice in one object of `text`, which must be valid JSON
 * (JSON.parse keeps the last silently; Graph's OData reader refuses the body). Undefined when there is none.
 */
export function findDuplicateProperty(text: string): string | undefined {
  // A walk over valid JSON: only strings, brackets, colons and commas matter.
  const frames: { keys?: Set<string>; index: number; pointer: string; key?: string }[] = [];
  const ends = new StringEnds(text);
  let i = 0;
  const child = () => {
    const top = frames[frames.length - 1];
    if (!top) return '';
    return `${top.pointer}/${top.keys ? pointerSegment(top.key ?? '') : top.index}`;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      // Its closing quote found at once, a 4 MB value too (src/wire/strings.ts).
      const j = ends.of(i).end;
      const top = frames[frames.length - 1];
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k])) k++;
      if (top?.keys && text[k] === ':') {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return `${top.pointer}/${pointerSegment(key)}`;
        top.keys.add(key);
        top.key = key;
      }
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') frames.push({ pointer: child(), index: 0, ...(c === '{' ? { keys: new Set<string>() } : {}) });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top && !top.keys) top.index++;
    }
    i++;
  }
  return undefined;
}
