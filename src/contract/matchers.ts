import { Matchers, typedRegex } from './pact-matchers';
import { branchOf, derefSchema, discriminatedUnion, schemaFor, type JsonSchema, type Profile, type SchemaKind } from '../schemas';
import { assertValid, pointerSegment, problemsOf } from '../validation';
import { argumentProblem, refuseArguments } from '../net/option';

/**
 * Turns a schema and an example into a Pact matcher tree, so that a schema change reaches the contract by
 * itself: enums become anchored regexes of their members, patterned strings (DateTimeOffset, Guid) their
 * schema's pattern, other strings, booleans and integers match by type, `const` and `null` by value, and arrays
 * by `atLeastOneLike` (an empty array stays `[]`: Pact's array-like matchers need one element). Only keys present in the
 * example appear: Pact has no optional keys.
 */
export function matchersFor(kind: SchemaKind, example: unknown, profile?: Profile): unknown {
  assertValid(kind, example, profile);
  return derive(schemaFor(kind, profile), example);
}

/** Same as matchersFor, for a schema that is not one of the kit's kinds (the example is not validated). */
export function matchersForSchema(schema: JsonSchema, example: unknown): unknown {
  refuseArguments(argumentProblem('schema', schema, 'object', 'a JSON Schema, an object'));
  return derive(schema, example);
}

/**
 * Matchers for an example that is invalid on purpose: each invalid value stays literal (it is the point of the
 * interaction), everything else is matched by the schema as usual, so that a client that serializes dates or
 * orders keys its own way still matches.
 */
export function matchersForInvalid(kind: SchemaKind, example: unknown, profile?: Profile): unknown {
  const literal = new Set(problemsOf(kind, example, profile).map((p) => p.pointer));
  return derive(schemaFor(kind, profile), example, '', literal);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The anchored regex a Pact matcher uses for an enum (Rust's regex crate: no look-around). */
export function enumPattern(members: readonly unknown[]): string {
  refuseArguments(argumentProblem('members', members, 'array', "an array of an enum's members"));
  return `^(${members.map((m) => escapeRegex(String(m))).join('|')})$`;
}

const NON_EMPTY = '^[\\s\\S]+$';

/**
 * A pact holds the shape of a body, not its size (docs/decisions/0170): an array of one shape is written with at
 * most this many examples (its rule, `min: 1` by type, takes any length), and an array of several shapes over it
 * with the first item of each shape. Pact's mock server matches a request's array items in time that grows with
 * the square of their count (8,000 items: 4 s; 100,000: minutes), and the size a provider must take is conform's
 * check (--body-limit), not a contract's.
 */
export const MAX_ARRAY_EXAMPLES = 10;
/** A string matched by type alone is written with at most this many characters of its example (decision 0170). */
export const MAX_TEXT_EXAMPLE = 1000;

/** The first `MAX_TEXT_EXAMPLE` characters of a text, never half of a surrogate pair. */
function textExample(value: string): string {
  if (value.length <= MAX_TEXT_EXAMPLE) return value;
  const end = /[\uD800-\uDBFF]/.test(value[MAX_TEXT_EXAMPLE - 1]) ? MAX_TEXT_EXAMPLE - 1 : MAX_TEXT_EXAMPLE;
  return value.slice(0, end);
}

/**
 * How deep in a body its values get matchers of their own: below it, a subtree (an instance annotation's own JSON) is
 * matched by its type as a whole (Pact's type matcher applies to everything beneath). Each array's matcher is a level of
 * its own in the JSON Pact's core parses, whose reader stops at 128 levels: a create 64 levels deep (the kit's limit,
 * decision 0385) written level by level went past it, and check-client ended in an internal error (outside tester R1).
 */
const MATCHED_DEPTH = 32;

function derive(node: JsonSchema | undefined, value: unknown, pointer = '', literal?: ReadonlySet<string>): unknown {
  if (literal?.has(pointer)) return value;
  if (value !== null && typeof value === 'object' && pointer.split('/').length > MATCHED_DEPTH && ![...(literal ?? [])].some((p) => p.startsWith(`${pointer}/`))) return Matchers.like(value);
  const resolved = node ? derefSchema(node) : {};
  // An item of a discriminated union (an action result) is matched by the branch its @odata.type names.
  const union = discriminatedUnion(resolved);
  const schema = union ? union.branches[branchOf(union, value)].schema : resolved;
  if ('const' in schema) return value;
  if (value === null) return Matchers.nullValue();
  if (Array.isArray(schema.enum) && typeof value === 'string') return typedRegex(enumPattern(schema.enum), value);
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string') return typedRegex(schema.pattern, value);
    // minLength 1 (the token): a type matcher would let an empty string through, a regex alone a number (typedRegex).
    return typeof schema.minLength === 'number' && schema.minLength > 0 ? typedRegex(NON_EMPTY, textExample(value)) : Matchers.string(textExample(value));
  }
  if (typeof value === 'boolean') return Matchers.boolean(value);
  if (typeof value === 'number') return Number.isInteger(value) ? Matchers.integer(value) : Matchers.decimal(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    const items = schema.items as JsonSchema | undefined;
    // Elements of one shape share a template; elements of different shapes (a base and a derived action result)
    // each keep their own, since a request with a key the template lacks would not match.
    // Items of a union are of one shape only when of one branch too: their rules are their branch's.
    const union = items ? discriminatedUnion(derefSchema(items)) : undefined;
    const shapes = value.map((v) => `${union ? branchOf(union, v) : ''}|${shapeOf(v)}`);
    const anyLiteral = literal && [...literal].some((p) => p.startsWith(`${pointer}/`));
    if (new Set(shapes).size === 1 && !anyLiteral) return Matchers.atLeastOneLike(derive(items, value[0], `${pointer}/0`, literal), Math.min(value.length, MAX_ARRAY_EXAMPLES));
    // Several shapes: each item its own, or over MAX_ARRAY_EXAMPLES the first of each shape (an invalid item kept).
    const seen = new Set<string>();
    const invalidItems = new Set([...(literal ?? [])].filter((p) => p.startsWith(`${pointer}/`)).map((p) => Number(p.slice(pointer.length + 1).split('/')[0])));
    const firstOfItsShape = (i: number): boolean => !seen.has(shapes[i]) && Boolean(seen.add(shapes[i]));
    const kept = value.map((_, i) => i).filter((i) => value.length <= MAX_ARRAY_EXAMPLES || invalidItems.has(i) || firstOfItsShape(i));
    return kept.map((i) => derive(items, value[i], `${pointer}/${i}`, literal));
  }
  if (typeof value === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    return Object.fromEntries(
      Object.entries(value as object).map(([k, v]) => [k, derive(properties[k], v, `${pointer}/${pointerSegment(k)}`, literal)]),
    );
  }
  return value;
}

function shapeOf(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value === null ? 'null' : typeof value;
  return Object.entries(value)
    .map(([k, v]) => `${k}:${v === null ? 'null' : typeof v}`)
    .sort()
    .join(',');
}

/** The example JSON a matcher tree stands for (Pact's reify). */
export const exampleOf = (matchers: unknown): unknown => {
  // Anything but undefined, which Pact refuses in its own words (`Unable to strip matcher from a 'undefined'`).
  if (matchers === undefined) throw new TypeError("matchers must be a value, with or without Pact's matchers, such as an interaction's body (got undefined)");
  return Matchers.reify(matchers);
};
