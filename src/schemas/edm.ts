// A property's OData type, read from its JSON Schema: what a $filter compares and what a property's type control
// information (`name@odata.type`) may name.
import { derefSchema } from './load';
import type { JsonSchema } from './profiles';
import { discriminatedUnion } from './unions';

/**
 * A property's type as Graph's metadata gives it: an Edm primitive (`Edm.String`, `Edm.Boolean`,
 * `Edm.DateTimeOffset`), or an enum type (`microsoft.graph.vppTokenState`) with the members `profile` has.
 */
export interface EdmType {
  name: string;
  members?: readonly string[];
}

/** Graph's namespace, and the alias its $metadata declares for it (`#graph.vppToken`): Graph's reader takes either. */
const GRAPH_QUALIFIERS = ['microsoft.graph', 'graph'] as const;

/** A type named by the schema's title, in Graph's namespace: `VppTokenState` is Graph's `microsoft.graph.vppTokenState`. */
const graphTypeOf = (title: string): string => `${GRAPH_QUALIFIERS[0]}.${title[0].toLowerCase()}${title.slice(1)}`;

/**
 * A test of a name for Graph's type `local` by its namespace or its alias (`microsoft.graph.vppToken`, `graph.vppToken`),
 * in any case, as the kit reads a type segment in a URL (decisions 1280, 1286, 1300).
 */
export const graphTypePattern = (local: string): RegExp =>
  new RegExp(`^(?:${GRAPH_QUALIFIERS.map((qualifier) => qualifier.replace(/\./g, '\\.')).join('|')})\\.${local}$`, 'i');

/**
 * A qualified name of Graph's schema written with its alias (`graph.vppTokenState`) in its namespace's spelling
 * (`microsoft.graph.vppTokenState`); any other name as written. CSDL 4.01 §5.1.2: a schema's alias may stand for its
 * namespace in any qualified name, and Graph's $metadata declares `<Schema Namespace="microsoft.graph" Alias="graph">`
 * (decisions 0168, 1300).
 */
export const graphNamespaced = (name: string): string =>
  name.startsWith(`${GRAPH_QUALIFIERS[1]}.`) ? `${GRAPH_QUALIFIERS[0]}${name.slice(GRAPH_QUALIFIERS[1].length)}` : name;

/** Edm.Int32's bounds, which the schemas give Graph's Int32 properties (`failedLicensesCount`). */
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The Edm type of a property's schema: an enum by its title (`VppTokenState` is Graph's `vppTokenState`), a date, a
 * boolean, an integer (`Edm.Int32` within Int32's bounds, as the schemas write Graph's Int32 properties, else
 * `Edm.Int64`), a number (`Edm.Double`), else a string.
 */
export function edmTypeOf(schema: JsonSchema): EdmType {
  const resolved = derefSchema(schema);
  if (Array.isArray(resolved.enum) && typeof resolved.title === 'string') return { name: graphTypeOf(resolved.title), members: resolved.enum.map(String) };
  if (resolved.title === 'DateTimeOffset') return { name: 'Edm.DateTimeOffset' };
  const types = [resolved.type].flat();
  if (types.includes('boolean')) return { name: 'Edm.Boolean' };
  if (types.includes('integer')) return { name: resolved.minimum === INT32_MIN && resolved.maximum === INT32_MAX ? 'Edm.Int32' : 'Edm.Int64' };
  if (types.includes('number')) return { name: 'Edm.Double' };
  return { name: 'Edm.String' };
}

/**
 * The type a property's schema declares (`Edm.String`, `microsoft.graph.vppTokenState`,
 * `Collection(microsoft.graph.vppTokenActionResult)`) and every name of it, or of a type derived from it, that its
 * type control information may give without contradicting it (OData JSON Format 4.01 §4.5.3; decision 1231): a
 * built-in primitive by its name with or without `Edm.` (Edm.String and the others here have no derived types), a
 * type of Graph's by its namespace or its alias, a complex type and the types derived from it by the names its
 * union's `@odata.type` members give (decision 0105), a collection as `Collection(...)` of its item's. Without the `#`.
 */
export function declaredTypeOf(schema: JsonSchema): { name: string; names: string[] } {
  const resolved = derefSchema(schema);
  if ([resolved.type].flat().includes('array') && typeof resolved.items === 'object' && resolved.items !== null) {
    const item = declaredTypeOf(resolved.items as JsonSchema);
    return { name: `Collection(${item.name})`, names: item.names.map((name) => `Collection(${name})`) };
  }
  const union = discriminatedUnion(resolved);
  if (union && typeof resolved.title === 'string') {
    const names = union.branches.flatMap((branch) => branch.members.map((member) => member.replace(/^#/, '')));
    return { name: graphTypeOf(resolved.title), names: [...new Set(names)] };
  }
  const { name } = edmTypeOf(resolved);
  if (name.startsWith('Edm.')) return { name, names: [name.slice('Edm.'.length), name] };
  const local = name.slice(GRAPH_QUALIFIERS[0].length + 1);
  return { name, names: GRAPH_QUALIFIERS.map((qualifier) => `${qualifier}.${local}`) };
}
