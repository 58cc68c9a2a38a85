import type { JsonSchema } from './profiles';

/**
 * A discriminated union (`anyOf` or `oneOf` whose branches each name their own members of one property, `@odata.type`):
 * its branches, the property that tells them apart, and each branch's members of it. A branch that does not
 * require the property is the one an instance without it belongs to (OData: no annotation, the declared type).
 */
export interface DiscriminatedUnion {
  /** The keyword holding the branches: `anyOf` (the kit's: the tags keep them apart) or `oneOf`. */
  keyword: 'anyOf' | 'oneOf';
  tag: string;
  branches: { schema: JsonSchema; members: string[]; tagRequired: boolean }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The union `schema` is, or undefined when it is not an `anyOf`/`oneOf` of object branches that share one enum property. */
export function discriminatedUnion(schema: unknown): DiscriminatedUnion | undefined {
  if (!isObject(schema)) return undefined;
  const keyword = Array.isArray(schema.anyOf) ? 'anyOf' : Array.isArray(schema.oneOf) ? 'oneOf' : undefined;
  if (keyword === undefined || (schema[keyword] as unknown[]).length < 2) return undefined;
  const branches = schema[keyword] as JsonSchema[];
  const first = isObject(branches[0]?.properties) ? Object.keys(branches[0].properties) : [];
  const tag = first.find((name) => branches.every((b) => Array.isArray((b.properties as Record<string, JsonSchema> | undefined)?.[name]?.enum)));
  if (tag === undefined) return undefined;
  return {
    keyword,
    tag,
    branches: branches.map((b) => ({
      schema: b,
      members: ((b.properties as Record<string, JsonSchema>)[tag].enum as unknown[]).map(String),
      tagRequired: Array.isArray(b.required) && (b.required as string[]).includes(tag),
    })),
  };
}

/** The branch of `union` that `value` belongs to by its tag: named by it, or the untagged branch when it has none. */
export function branchOf(union: DiscriminatedUnion, value: unknown): number {
  const tag = isObject(value) ? value[union.tag] : undefined;
  const named = union.branches.findIndex((b) => b.members.includes(tag as string));
  if (named >= 0) return named;
  const untagged = union.branches.findIndex((b) => !b.tagRequired);
  return untagged >= 0 ? untagged : 0;
}

/**
 * The union as one object schema with every branch's properties and the tag with every branch's members: what a
 * rule that cannot depend on the tag may say of any item (Pact's matching rules, decision 0105).
 */
export function flattenUnion(union: DiscriminatedUnion): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const { schema } of union.branches) {
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) properties[name] ??= property;
  }
  properties[union.tag] = { ...properties[union.tag], enum: union.branches.flatMap((b) => b.members) };
  return { type: 'object', properties };
}
