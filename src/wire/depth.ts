import { pointerSegment } from '../validation/problems';

/**
 * The most levels a JSON body nests (docs/decisions/0385): the value itself is level 1, so an array or object inside
 * 64 others is refused. .NET's JSON readers, Graph's, read 64 by default (System.Text.Json's and Json.NET's
 * MaxDepth), and Pact's mock server refuses a create's body one level deeper as check-client writes it.
 */
export const MAX_NESTING_DEPTH = 64;

/**
 * The most levels a pact file nests, body and all: Pact's parser (serde_json's recursion limit, 128) loads a file of
 * 127 levels and no deeper. A body of MAX_NESTING_DEPTH levels sits at level 69 of a V4 pact.
 */
export const PACT_FILE_DEPTH = 127;

interface Frame {
  value: object;
  level: number;
  parent?: Frame;
  key?: string;
}

const pointerOf = (frame: Frame): string => {
  const segments: string[] = [];
  for (let at: Frame | undefined = frame; at?.parent; at = at.parent) segments.push(pointerSegment(at.key!));
  return segments.reverse().map((s) => `/${s}`).join('');
};

/**
 * The JSON pointer of the first array or object (in document order) of a parsed JSON value nested deeper than `limit`
 * levels, the value itself level 1; undefined when none is. Iterative, so a value 100,000 deep is walked as 2 is;
 * only arrays and objects are held, so a body's few cost a few steps.
 */
export function findTooDeep(root: unknown, limit: number = MAX_NESTING_DEPTH): string | undefined {
  if (typeof root !== 'object' || root === null) return undefined;
  const pending: Frame[] = [{ value: root, level: 1 }];
  while (pending.length > 0) {
    const frame = pending.pop()!;
    if (frame.level > limit) return pointerOf(frame);
    const keys = Object.keys(frame.value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const child: unknown = (frame.value as Record<string, unknown>)[keys[i]];
      if (typeof child === 'object' && child !== null) pending.push({ value: child, level: frame.level + 1, parent: frame, key: keys[i] });
    }
  }
  return undefined;
}
