import { DEFAULT_PROFILE, derefSchema, loadSchemas, type JsonSchema, type Profile } from '../schemas';

/** One property as Graph's metadata types it: an EDM type (`Edm.String`, `graph.vppTokenState`, `Collection(...)`) and its nullability. */
export interface PropertyShape {
  type: string;
  /** For a collection, whether its items may be null (OData's Nullable is about the items). */
  nullable: boolean;
  /** The most characters a string may have (CSDL's MaxLength, OpenAPI's maxLength); none when unbounded. */
  maxLength?: number;
}

/** An entity or complex type: its own properties and its base type, by short name (`entity`, `vppTokenActionResult`). */
export interface StructuredType {
  name: string;
  baseType?: string;
  properties: Map<string, PropertyShape>;
}

/** What a metadata document says about the types the kit models. */
export interface MetadataModel {
  types: Map<string, StructuredType>;
  enums: Map<string, string[]>;
  /**
   * The enums Graph declares flags (CSDL's `IsFlags="true"`, OpenAPI's `x-ms-enum-flags: { isFlags: true }`): a
   * value is then one or more members joined by commas (OData JSON 4.01 §7.1). None when absent.
   */
  flagEnums?: Set<string>;
}

/**
 * `microsoft.graph.x` and `Collection(microsoft.graph.x)` with the namespace dropped: `x`, `Collection(x)`. A name
 * still qualified by `graph` (the alias every Graph document declares, left behind where a tool renamed the alias
 * but not every use of it: no other reading is possible) is read as Graph's too. A CSDL reader resolves the aliases
 * the document declares first (readCsdl), so a `graph` declared for another namespace is that namespace.
 */
export function shortTypeName(type: string): string {
  const collection = /^Collection\((.*)\)$/.exec(type);
  if (collection) return `Collection(${shortTypeName(collection[1])})`;
  return type.replace(/^(#?microsoft\.graph\.|graph\.)/, '');
}

/** Every property of a type, its base types' first (as Graph serializes them). */
export function allProperties(model: MetadataModel, name: string): Map<string, PropertyShape> {
  const chain: StructuredType[] = [];
  for (let type = model.types.get(name); type; type = type.baseType ? model.types.get(type.baseType) : undefined) chain.unshift(type);
  return new Map(chain.flatMap((type) => [...type.properties]));
}

/** The types derived from `name`, directly or not. */
export function derivedTypes(model: MetadataModel, name: string): string[] {
  const derives = (type: StructuredType | undefined): boolean => !!type?.baseType && (type.baseType === name || derives(model.types.get(type.baseType)));
  return [...model.types.values()].filter(derives).map((t) => t.name).sort();
}

/** The Graph name of an enum schema: its title with a lowercase first letter (VppTokenState: vppTokenState). */
export const enumName = (schema: JsonSchema): string => String(schema.title).replace(/^./, (c) => c.toLowerCase());

const typesOf = (schema: JsonSchema): string[] => (Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : []);

/** A property of a kit schema as an EDM shape, or undefined for OData control information (`@odata.type`). */
export function shapeOf(property: JsonSchema): PropertyShape {
  const schema = derefSchema(property);
  const types = typesOf(schema);
  const nullable = types.includes('null');
  if (types.includes('array')) {
    const item = shapeOf((schema.items ?? {}) as JsonSchema);
    return { type: `Collection(${item.type})`, nullable: item.nullable };
  }
  if (Array.isArray(schema.enum) && types.includes('string') && typeof schema.title === 'string') {
    return { type: enumName(schema), nullable };
  }
  if (schema.title === 'DateTimeOffset') return { type: 'Edm.DateTimeOffset', nullable };
  if (schema.title === 'VppTokenActionResult') return { type: 'vppTokenActionResult', nullable };
  if (types.includes('boolean')) return { type: 'Edm.Boolean', nullable };
  if (types.includes('integer')) {
    const int32 = schema.minimum === -2147483648 && schema.maximum === 2147483647;
    return { type: int32 ? 'Edm.Int32' : 'Edm.Int64', nullable };
  }
  // A GUID id is an Edm.String whose values the kit narrows; a string is an Edm.String.
  if (types.includes('string') || 'const' in schema) return { type: 'Edm.String', nullable, ...(typeof schema.maxLength === 'number' ? { maxLength: schema.maxLength } : {}) };
  return { type: 'Edm.Untyped', nullable };
}

/** A schema's properties as EDM shapes, control information (`@odata.*`) left out. */
export function propertiesOf(schema: JsonSchema): Map<string, PropertyShape> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return new Map(Object.entries(properties).filter(([name]) => !name.startsWith('@')).map(([name, property]) => [name, shapeOf(property)]));
}

/** The enums a profile's schemas have, by Graph name, with their members in order. */
export function kitEnums(profile: Profile = DEFAULT_PROFILE): Map<string, { file: string; members: string[] }> {
  const enums = new Map<string, { file: string; members: string[] }>();
  for (const [file, schema] of loadSchemas(profile)) {
    if (Array.isArray(schema.enum) && typeof schema.title === 'string') enums.set(enumName(schema), { file, members: schema.enum.map(String) });
  }
  return enums;
}
