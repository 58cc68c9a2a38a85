// Type control information on a vppToken's property (`displayName@odata.type`), in a create or in an answer: taken
// when it names the type the property is declared with, refused when it contradicts it (decision 1231, finding R143).
import { DEFAULT_PROFILE, declaredTypeOf, schemaFor, toProfile, type JsonSchema, type Profile, type SchemaKind } from '../schemas';
import { pointerSegment, typeControlProblem, type Problem } from './problems';

/**
 * The names of a property's type control information: OData 4.0's, and in an answer OData 4.01's without the prefix
 * too (`displayName@type`), which a 4.01 client reads as the same (decision 1220); a create's `name@type` is an
 * unknown property already (0213: Graph reads requests as 4.0).
 */
const TYPE_CONTROL: Record<'request' | 'response', readonly string[]> = { request: ['@odata.type'], response: ['@odata.type', '@type'] };

/** Each property's declared type and the values its type control information may take, by property name. */
type Declared = ReadonlyMap<string, { type: string; allowed: readonly string[] }>;
const declaredBySchema = new Map<string, Declared>();

/**
 * The vppToken's properties in `kind`'s schema of `profile`, each with its declared type and the values its type
 * control information may take, read once: the rule below, and conform's negative case that contradicts it.
 */
export function declaredTypeControl(kind: 'request' | 'response', profile: Profile): Declared {
  let found = declaredBySchema.get(`${kind} ${profile}`);
  if (!found) {
    const properties = (schemaFor(kind, profile).properties ?? {}) as Record<string, JsonSchema>;
    found = new Map(
      Object.entries(properties)
        .filter(([name]) => !name.startsWith('@'))
        .map(([name, schema]) => {
          const { name: type, names } = declaredTypeOf(schema);
          // Each name as a URI fragment (`#String`), and without its `#`, as Graph's reader takes the object's (0082).
          return [name, { type, allowed: names.flatMap((n) => [`#${n}`, n]) }];
        }),
    );
    declaredBySchema.set(`${kind} ${profile}`, found);
  }
  return found;
}

/**
 * The type control information of a vppToken's properties (a create's, or an answer's) that contradicts the type each
 * is declared with: "MAY
 * appear ... if its value does not contradict the type declared" (OData JSON Format 4.01 §4.5.3), the sentence
 * decision 0213 holds the object's `@odata.type` to; Graph's reader refuses an incompatible primitive type (ODL's
 * `ValidateMetadataPrimitiveType`: "An incompatible primitive type 'Edm.Int32' was found for an item that was
 * expected to be of type 'Edm.String'"). A property's name with any other annotation, and one of a property the
 * profile does not declare, stays taken and ignored (0213, OData §21). Empty for any kind but a create and a vppToken.
 */
export function typeControlProblems(kind: SchemaKind, data: unknown, profile: Profile = DEFAULT_PROFILE): Problem[] {
  if ((kind !== 'request' && kind !== 'response') || data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(data)) {
    const suffix = TYPE_CONTROL[kind].find((control) => name.endsWith(control) && name.length > control.length);
    if (suffix === undefined) continue;
    const property = name.slice(0, -suffix.length);
    const declared = declaredTypeControl(kind, toProfile(profile)).get(property);
    if (declared === undefined || (typeof value === 'string' && declared.allowed.includes(value))) continue;
    problems.push(typeControlProblem(`/${pointerSegment(name)}`, property, declared.type, declared.allowed, value, data));
  }
  return problems;
}
