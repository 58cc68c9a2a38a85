/**
 * Where in a message a problem is, as a structure: the one reading of the `where` a problem is reported with
 * (`method`, `path`, `head`, `header Content-Type`, `header line 3`, `body`, `body (root)`, `body /displayName`),
 * so that code deciding by it (the reference provider's refusal) never slices the display text itself.
 */
export type Place =
  | { part: 'method' | 'path' | 'head' }
  | { part: 'header'; name: string }
  | { part: 'header line'; line: number }
  /** `pointer` is the JSON pointer a schema problem is at ('' the root); absent for the body as a whole. */
  | { part: 'body'; pointer?: string }
  | { part: 'other'; where: string };

export function placeOf(where: string): Place {
  if (where === 'method' || where === 'path' || where === 'head') return { part: where };
  if (where === 'body') return { part: 'body' };
  if (where.startsWith('body ')) {
    const pointer = where.slice('body '.length);
    return { part: 'body', pointer: pointer === '(root)' ? '' : pointer };
  }
  const line = /^header line (\d+)$/.exec(where);
  if (line) return { part: 'header line', line: Number(line[1]) };
  if (where.startsWith('header ')) return { part: 'header', name: where.slice('header '.length) };
  return { part: 'other', where };
}
