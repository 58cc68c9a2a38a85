import { types } from 'node:util';
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
  return (walk(root, limit, false, false) as { notATree?: NotATree }).notATree?.pointer;
}

/**
 * What keeps a value handed to the library from being sent as a JSON text (RFC 8259 §2; decisions 1261, 1305): the
 * first place, in document order, where JSON.stringify throws (`cannot`: a BigInt, a toJSON that throws), or an array
 * or object that is one of those holding it (`holds`: the pointer of that one, `array` whether it is one; JSON.stringify
 * throws on it), or one nested deeper than the limit (findTooDeep's rule).
 */
export interface NotATree {
  pointer: string;
  holds?: string;
  array?: boolean;
  cannot?: string;
}

/**
 * The JSON value `JSON.stringify` sends of a value handed to the library (decision 1305), judged in its place: the
 * value itself when it is plain JSON data already (arrays, objects, strings, numbers, booleans, null: no copy), else a
 * copy read as ECMA-262 §25.5.2 SerializeJSONProperty reads it (a member's `toJSON(key)` first, a Date's ISO string; a
 * Number, String, Boolean or BigInt object unwrapped; `JSON.rawJSON`'s value; an object's undefined, function or symbol
 * member left out, an array's sent as null, a hole too). Or, in its place, what keeps it from being sent: `notATree`.
 * NaN and Infinity stay (JSON.stringify sends null; the library refuses them, 0631); `value` is undefined when
 * JSON.stringify sends nothing.
 */
export function sentJson(root: unknown, limit: number = MAX_NESTING_DEPTH): { value: unknown; notATree?: NotATree } {
  const plain = walk(root, limit, true, false);
  return plain === RESTART ? (walk(root, limit, true, true) as { value: unknown; notATree?: NotATree }) : plain;
}

/**
 * What keeps a value handed to the library from being the tree a JSON text is (decision 1261), read as JSON.stringify
 * sends it (sentJson, 1305): undefined for nothing. An object given in two places is a tree (JSON.stringify writes it
 * twice) and is walked again only from deeper than before, so a value shared 64 times down costs 64 steps, not 2^64.
 */
export function findNotATree(root: unknown, limit: number = MAX_NESTING_DEPTH): NotATree | undefined {
  return sentJson(root, limit).notATree;
}

/** What JSON.stringify leaves out of an object (and sends as null in an array): undefined, a function, a symbol. */
const OMITTED = Symbol('omitted');
/** A plain walk met what JSON.stringify sends changed: walk again, copying. */
const RESTART = Symbol('restart');

const isRawJson = (value: object): value is { rawJSON: string } => (JSON as { isRawJSON?: (v: unknown) => boolean }).isRawJSON?.(value) === true;

/** Whether JSON.stringify sends `value` as it is: a string, number, boolean, null, or an array or object with no toJSON, no wrapped primitive. */
function isPlain(value: unknown): boolean {
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || value === null) return true;
  return type === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function' && !types.isBoxedPrimitive(value) && !isRawJson(value as object);
}

/** An error's kind, `a TypeError`, never its words: they are the caller's code's, and might hold what the value holds. */
const kindOf = (error: unknown): string => (error instanceof Error ? `${/^[AEIOU]/.test(error.name) ? 'an' : 'a'} ${error.name}` : 'a non-error');

/** What is said of a member whose read threw: a getter, or a Proxy's trap (decision 1331). */
const readThrew = (error: unknown): string => `a value whose getter or Proxy trap threw ${kindOf(error)}`;

/** Thrown by sentMember when reading a member's `toJSON` (a getter, a Proxy trap) threw, told apart from toJSON's own throw. */
class ReadThrew {
  constructor(readonly error: unknown) {}
}

/** What JSON.stringify sends of `value` under `key` (ECMA-262 §25.5.2.2 SerializeJSONProperty), or OMITTED; a BigInt stays (it throws on one). */
function sentMember(key: string, value: unknown): unknown {
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    let toJSON: unknown;
    try {
      toJSON = (value as { toJSON?: unknown }).toJSON;
    } catch (error) {
      throw new ReadThrew(error);
    }
    if (typeof toJSON === 'function') value = toJSON.call(value, key);
  }
  if (typeof value === 'object' && value !== null) {
    if (isRawJson(value)) return JSON.parse(value.rawJSON);
    if (types.isNumberObject(value)) return Number(value);
    if (types.isStringObject(value)) return String(value);
    if (types.isBooleanObject(value)) return Boolean.prototype.valueOf.call(value);
    if (types.isBigIntObject(value)) return BigInt.prototype.valueOf.call(value);
  }
  return value === undefined || typeof value === 'function' || typeof value === 'symbol' ? OMITTED : value;
}

/** What JSON.stringify throws on at a member: a BigInt (no JSON number), a toJSON that throws; or what is sent. */
function readMember(key: string, value: unknown): { sent: unknown } | { cannot: string } {
  let sent: unknown;
  try {
    sent = sentMember(key, value);
  } catch (error) {
    // Its words are the caller's code's: only its kind is told (they might hold what the value holds).
    return { cannot: error instanceof ReadThrew ? readThrew(error.error) : `a value whose toJSON() threw ${kindOf(error)}` };
  }
  return typeof sent === 'bigint' ? { cannot: 'a BigInt' } : { sent };
}

const setMember = (out: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
};

interface CopyFrame extends Frame {
  out?: Record<string, unknown>;
}

/**
 * findTooDeep, findNotATree and sentJson: one walk. `shared` says whether the value may hold an object twice or itself,
 * or what JSON.stringify sends changed (a value a program built), which parsed JSON never does; `copy` whether to
 * read each member as JSON.stringify does and build what it sends (RESTART from a walk that does not, at the first
 * member that needs it).
 */
function walk(root: unknown, limit: number, shared: boolean, copy: boolean): { value: unknown; notATree?: NotATree } | typeof RESTART {
  let value = root;
  try {
    if (shared && !copy && !isPlain(root)) return RESTART;
  } catch (error) {
    return { value: undefined, notATree: { pointer: '', cannot: readThrew(error) } };
  }
  if (copy) {
    const read = readMember('', root);
    if ('cannot' in read) return { value: undefined, notATree: { pointer: '', cannot: read.cannot } };
    value = read.sent === OMITTED ? undefined : read.sent;
  }
  if (typeof value !== 'object' || value === null) return { value };
  const top: CopyFrame = { value, level: 1, out: copy ? (Array.isArray(value) ? [] : {}) as Record<string, unknown> : undefined };
  const pending: (CopyFrame | { leave: CopyFrame })[] = [top];
  // The arrays and objects holding the one walked, and the deepest level each was walked whole from (found nothing),
  // with its copy.
  const holding = new Map<object, Frame>();
  const walked = new Map<object, { level: number; out?: Record<string, unknown> }>();
  while (pending.length > 0) {
    const next = pending.pop()!;
    if ('leave' in next) {
      holding.delete(next.leave.value);
      if ((walked.get(next.leave.value)?.level ?? 0) < next.leave.level) walked.set(next.leave.value, { level: next.leave.level, out: next.leave.out });
      continue;
    }
    const frame = next;
    if (shared) {
      const holder = holding.get(frame.value);
      if (holder !== undefined) return { value: undefined, notATree: { pointer: pointerOf(frame), holds: pointerOf(holder), array: Array.isArray(holder.value) } };
    }
    if (frame.level > limit) return { value: undefined, notATree: { pointer: pointerOf(frame) } };
    if (shared) {
      // Walked whole from as deep or deeper: nothing is found below it from here either, and its copy is this one's.
      const before = walked.get(frame.value);
      if ((before?.level ?? 0) >= frame.level) {
        if (copy) setMember((frame.parent as CopyFrame).out!, frame.key!, before!.out);
        continue;
      }
      holding.set(frame.value, frame);
      pending.push({ leave: frame });
    }
    // A getter or a Proxy's trap may throw reading it (JSON.stringify throws then too): the member read, or the object
    // when its names or length are, is where (decision 1331).
    let array: boolean, names: string[] | undefined, count: number;
    try {
      array = Array.isArray(frame.value);
      // An array's items by index (a hole is sent as null, its other names not at all), an object's own enumerable names.
      names = array ? undefined : Object.keys(frame.value);
      count = array ? (frame.value as unknown[]).length : names!.length;
    } catch (error) {
      return { value: undefined, notATree: { pointer: pointerOf(frame), cannot: readThrew(error) } };
    }
    const children: CopyFrame[] = [];
    for (let i = 0; i < count; i++) {
      const key = array ? String(i) : names![i];
      let child: unknown;
      try {
        child = (frame.value as Record<string, unknown>)[key];
        if (shared && !copy && !isPlain(child)) return RESTART;
      } catch (error) {
        return { value: undefined, notATree: { pointer: `${pointerOf(frame)}/${pointerSegment(key)}`, cannot: readThrew(error) } };
      }
      if (copy) {
        const read = readMember(key, child);
        if ('cannot' in read) return { value: undefined, notATree: { pointer: `${pointerOf(frame)}/${pointerSegment(key)}`, cannot: read.cannot } };
        if (read.sent === OMITTED) {
          if (array) frame.out![key] = null;
          continue;
        }
        child = read.sent;
      }
      if (typeof child === 'object' && child !== null) {
        const out = copy ? ((Array.isArray(child) ? [] : {}) as Record<string, unknown>) : undefined;
        if (copy) setMember(frame.out!, key, out);
        children.push({ value: child, level: frame.level + 1, parent: frame, key, out });
      } else if (copy) setMember(frame.out!, key, child);
    }
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return { value: copy ? top.out : root };
}
