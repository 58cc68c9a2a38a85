// What an OData query is read against: the vppToken's properties, and the error Graph answers a query with.
import { declaredTypeOf, derefSchema, discriminatedUnion, edmTypeOf, schemaFor, type EdmType, type JsonSchema, type Profile } from '../schemas';

export type { EdmType };

/**
 * A query the route cannot answer: the message is Graph's wording. 400 for a client's mistake, 406 for a format
 * Graph does not write, 501 for what the mock does not model (a correct request it cannot answer truly: the verdict
 * does not fail the client for it, it says so).
 */
export class QueryOptionError extends Error {
  override readonly name = 'QueryOptionError';
  constructor(
    message: string,
    readonly status: 400 | 406 | 501 = 400,
  ) {
    super(message);
  }
}

/** The vppToken's properties in `profile`, by lower-cased name (Graph reads names in options case-insensitively). */
export interface VppTokenProperties {
  byName: ReadonlyMap<string, string>;
  /** The collection-valued ones (roleScopeTagIds, tokenActionResults): not ordered by, not compared. */
  collections: ReadonlySet<string>;
  /** Each single-valued property's type, read from the schemas, so that a $filter compares like with like. */
  types: ReadonlyMap<string, EdmType>;
  /** Each collection's item type when its items are primitive (roleScopeTagIds: Edm.String), a lambda's range variable's (decision 1240). */
  elementTypes: ReadonlyMap<string, EdmType>;
  /** Each collection's item type when its items are complex (tokenActionResults'), a lambda's range variable's path is bound against (decision 1322). */
  itemTypes: ReadonlyMap<string, ComplexType>;
}

/** A complex type as a path into it is bound: its qualified name, its properties by lower-cased name, and their types. */
export interface ComplexType {
  name: string;
  byName: ReadonlyMap<string, string>;
  types: ReadonlyMap<string, EdmType>;
}

/**
 * The complex type `items` declares, or undefined for a primitive: the declared type's own properties (of a union of a
 * type and those derived from it, the base branch, the one an item without @odata.type is: a derived type's properties
 * are reached through a cast, as Graph's binder binds a path against the declared type).
 */
function complexTypeOf(items: JsonSchema): ComplexType | undefined {
  const resolved = derefSchema(items);
  const union = discriminatedUnion(resolved);
  const base = union ? (union.branches.find((branch) => !branch.tagRequired) ?? union.branches[0]).schema : resolved;
  if (!base.properties || typeof base.properties !== 'object') return undefined;
  const properties = base.properties as Record<string, JsonSchema>;
  const names = Object.keys(properties).filter((name) => !name.startsWith('@'));
  return {
    name: declaredTypeOf(items).name,
    byName: new Map(names.map((name) => [name.toLowerCase(), name])),
    types: new Map(names.map((name) => [name, edmTypeOf(properties[name])])),
  };
}

const propertiesByProfile = new Map<Profile, VppTokenProperties>();
export function vppTokenProperties(profile: Profile): VppTokenProperties {
  let found = propertiesByProfile.get(profile);
  if (!found) {
    const properties = (schemaFor('response', profile).properties ?? {}) as Record<string, JsonSchema>;
    const names = Object.keys(properties).filter((name) => !name.startsWith('@'));
    const collections = new Set(names.filter((name) => properties[name].type === 'array'));
    const elementTypes = new Map(
      [...collections].flatMap((name) => {
        const items = properties[name].items as JsonSchema | undefined;
        const resolved = items && derefSchema(items);
        // Primitive items only (a string, a boolean, a number, an enum): a complex item (tokenActionResults') is untyped.
        const primitive = resolved !== undefined && (Array.isArray(resolved.enum) || [resolved.type].flat().some((type) => ['string', 'boolean', 'number', 'integer'].includes(type as string)));
        return primitive && items ? [[name, edmTypeOf(items)] as const] : [];
      }),
    );
    found = {
      byName: new Map(names.map((name) => [name.toLowerCase(), name])),
      collections,
      types: new Map(names.filter((name) => !collections.has(name)).map((name) => [name, edmTypeOf(properties[name])])),
      elementTypes,
      itemTypes: new Map(
        [...collections].flatMap((name) => {
          const items = properties[name].items as JsonSchema | undefined;
          const complex = items && !elementTypes.has(name) ? complexTypeOf(items) : undefined;
          return complex ? [[name, complex] as const] : [];
        }),
      ),
    };
    propertiesByProfile.set(profile, found);
  }
  return found;
}

export const unknownProperty = (name: string): QueryOptionError => new QueryOptionError(`Could not find a property named '${name}' on type 'microsoft.graph.vppToken'.`);

