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
 * What is said of a value nested too deep, after where it is (`body /a/0/0/...: is nested deeper than ...`): the one
 * reader's words for bytes and the library's for a value (decision 1261).
 */
export const TOO_DEEP = `is nested deeper than ${MAX_NESTING_DEPTH} levels, the most a body nests: .NET's JSON readers (System.Text.Json, Json.NET) and Pact's mock read no deeper (docs/decisions/0385)`;

/**
 * The JSON pointer of the first array or object (in document order) of a parsed JSON value nested deeper than `limit`
 * levels, the value itself level 1; undefined when none is. Iterative, so a value 100,000 deep is walked as 2 is;
 * only arrays and objects are held, so a body's few cost a few steps.
 */
export function findTooDeep(root: unknown, limit: number = MAX_NESTING_DEPTH): string | undefined {
  return findNoTree(root, limit, false)?.pointer;
}

/**
 * What keeps a value handed to the library from being the tree a JSON text is (RFC 8259 §2; decision 1261): the first
 * array or object, in document order, that is one of those holding it (`holds`: the pointer of that one, `array` whether
 * it is one; JSON.stringify throws on it), or that is nested deeper than `limit` levels (findTooDeep's rule); undefined for neither. An object
 * given in two places is a tree (JSON.stringify writes it twice) and is walked again only from deeper than before, so
 * a value shared 64 times down costs 64 steps, not 2^64.
 */
export function findNotATree(root: unknown, limit: number = MAX_NESTING_DEPTH): { pointer: string; holds?: string; array?: boolean } | undefined {
  return findNoTree(root, limit, true);
}

/** findTooDeep and findNotATree: one walk; `shared` says whether the value may hold an object twice or itself (a value a program built), which parsed JSON never does. */
function findNoTree(root: unknown, limit: number, shared: boolean): { pointer: string; holds?: string; array?: boolean } | undefined {
  if (typeof root !== 'object' || root === null) return undefined;
  const pending: (Frame | { leave: Frame })[] = [{ value: root, level: 1 }];
  // The arrays and objects holding the one walked, and the deepest level each was walked whole from (found nothing).
  const holding = new Map<object, Frame>();
  const walked = new Map<object, number>();
  while (pending.length > 0) {
    const next = pending.pop()!;
    if ('leave' in next) {
      holding.delete(next.leave.value);
      walked.set(next.leave.value, Math.max(walked.get(next.leave.value) ?? 0, next.leave.level));
      continue;
    }
    const frame = next;
    if (shared) {
      const holder = holding.get(frame.value);
      if (holder !== undefined) return { pointer: pointerOf(frame), holds: pointerOf(holder), array: Array.isArray(holder.value) };
    }
    if (frame.level > limit) return { pointer: pointerOf(frame) };
    if (shared) {
      // Walked whole from as deep or deeper: nothing is found below it from here either.
      if ((walked.get(frame.value) ?? 0) >= frame.level) continue;
      holding.set(frame.value, frame);
      pending.push({ leave: frame });
    }
    const keys = Object.keys(frame.value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const child: unknown = (frame.value as Record<string, unknown>)[keys[i]];
      if (typeof child === 'object' && child !== null) pending.push({ value: child, level: frame.level + 1, parent: frame, key: keys[i] });
    }
  }
  return undefined;
}
