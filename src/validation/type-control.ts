// Type control information on a vppToken's property (`displayName@odata.type`), in a create or in an answer: taken
// when it names the type the property is declared with, refused when it contradicts it (decision 1231, finding R143).
import { GRAPH_HOSTS } from '../graph/hosts';
import { DEFAULT_PROFILE, declaredTypeOf, schemaFor, toProfile, type JsonSchema, type Profile, type SchemaKind } from '../schemas';
import { controlInformation, controlInformationValue } from './control-information';
import { objectTypeProblem, pointerSegment, typeControlProblem, type Problem } from './problems';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The type an answer's type control information names as a URL into the service's metadata document
 * (`https://graph.microsoft.com/beta/$metadata#microsoft.graph.vppTokenState`), as the fragment the kit's lists hold
 * (`#microsoft.graph.vppTokenState`); undefined for any other value (decision 1310). OData JSON Format 4.01 §4.5.3:
 * the value "is an absolute or relative URL that refers to the type", and for a type that is no built-in primitive
 * "the URL may be absolute or relative": a relative one (`$metadata#name`, `../$metadata#name`) is resolved against
 * the object's absolute `@odata.context` (the root context URL), and without one it is not read (decision 1335). The document is the service root's `$metadata` (OData 4.01 Part 1 §10, decision 1112):
 * an http(s) URL with no query whose path ends in `/$metadata`; on Graph's hosts `/<profile>/$metadata` exactly; and,
 * where `object` gives an absolute `@odata.context`, the very document it names (the service has one).
 * Only an answer is read so: Graph's reader takes a create's type by its name, a leading `#` stripped (ODL's
 * `ReaderUtils.RemovePrefixOfTypeName`), so a URL there is no type it resolves.
 */
export function typeNameOfUrl(value: unknown, object: unknown, profile: Profile): string | undefined {
  if (typeof value !== 'string') return undefined;
  const hash = value.indexOf('#');
  // `#name` alone is the fragment spelling the lists hold; a URL needs a document before its `#` and a name after it.
  if (hash <= 0 || hash === value.length - 1) return undefined;
  const context = contextDocument(object);
  let document: URL;
  try {
    // A relative URL (`$metadata#name`, `../$metadata#name`) resolves against the absolute context (§4.5.3), and
    // without one it names no document the kit can know: not read, so refused as the name it is not (decision 1335).
    if (/^https?:\/\//i.test(value)) document = new URL(value.slice(0, hash));
    else if (context !== undefined) document = new URL(value.slice(0, hash), context);
    else return undefined;
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(document.protocol) || document.search !== '' || !document.pathname.endsWith('/$metadata')) return undefined;
  if (GRAPH_HOSTS.includes(document.hostname) && document.pathname.toLowerCase() !== `/${toProfile(profile)}/$metadata`.toLowerCase()) return undefined;
  if (context !== undefined && context.href !== document.href) return undefined;
  return value.slice(hash);
}

/**
 * The document an object's absolute `@odata.context` (or `@context`) names, its fragment cut; undefined without one.
 * A context that is no URL is resource identity's to judge (0971, 1112); the type's document then stands alone.
 */
function contextDocument(object: unknown): URL | undefined {
  const context = controlInformationValue(object, 'context');
  if (typeof context !== 'string' || !/^https?:\/\//i.test(context)) return undefined;
  try {
    return new URL(context.slice(0, context.includes('#') ? context.indexOf('#') : undefined));
  } catch {
    return undefined;
  }
}

/**
 * `data` as the response schema reads it: an answer's `@odata.type`, the vppToken's and each `tokenActionResults`
 * item's, written as a URL into the service's metadata (typeNameOfUrl) replaced by the name it gives, so the schema's
 * list of the type's names (and the union's branch it picks) judges the type, not its spelling (decision 1310); and an
 * item's type written in OData 4.01's spelling (`@type`, read by 1220's controlInformation) read as its `@odata.type`,
 * as the vppToken's own `@type` is (decision 1336; a conflict of the two is typeControlProblems', the item then judged
 * by its `@odata.type`). `data` itself when there is none, or for any other kind.
 */
export function withTypeUrlsRead(kind: SchemaKind, data: unknown, profile: Profile = DEFAULT_PROFILE): unknown {
  if (kind !== 'response' || !isObject(data)) return data;
  const read = (object: Record<string, unknown>, item: boolean) => {
    const type = item && Object.prototype.hasOwnProperty.call(object, '@type') ? controlInformation(object, 'type') : undefined;
    if (type !== undefined) {
      const { '@type': _bare, ...rest } = object;
      const given = 'conflict' in type ? object['@odata.type'] : type.value;
      return { ...rest, '@odata.type': typeNameOfUrl(given, data, toProfile(profile)) ?? given };
    }
    const name = typeNameOfUrl(object['@odata.type'], data, toProfile(profile));
    return name === undefined ? object : { ...object, '@odata.type': name };
  };
  const results = data.tokenActionResults;
  const items = Array.isArray(results) ? results.map((item) => (isObject(item) ? read(item, true) : item)) : undefined;
  const top = read(data, false);
  const changed = top !== data || (items !== undefined && items.some((item, i) => item !== (results as unknown[])[i]));
  return changed ? { ...top, ...(items === undefined ? {} : { tokenActionResults: items }) } : data;
}

/**
 * Where the schema's problem with an answer's `tokenActionResults` item's type stands in the body as written: an item
 * that gave its type as OData 4.01's `@type` alone (read as `@odata.type` by withTypeUrlsRead) is told at `.../@type`,
 * the name it wrote (decision 1336); any other pointer unchanged.
 */
export function asWrittenTypePointer(data: unknown, pointer: string): string {
  const match = /^\/tokenActionResults\/(\d+)\/@odata\.type$/.exec(pointer);
  if (!match || !isObject(data) || !Array.isArray(data.tokenActionResults)) return pointer;
  const item: unknown = data.tokenActionResults[Number(match[1])];
  return isObject(item) && item['@odata.type'] === undefined && item['@type'] !== undefined ? pointer.replace(/@odata\.type$/, '@type') : pointer;
}

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
  const problems: Problem[] = kind === 'response' ? [...objectTypeProblems(data, toProfile(profile)), ...itemTypeConflicts(data)] : [];
  for (const [name, value] of Object.entries(data)) {
    const suffix = TYPE_CONTROL[kind].find((control) => name.endsWith(control) && name.length > control.length);
    if (suffix === undefined) continue;
    const property = name.slice(0, -suffix.length);
    const declared = declaredTypeControl(kind, toProfile(profile)).get(property);
    const named = kind === 'response' ? (typeNameOfUrl(value, data, toProfile(profile)) ?? value) : value;
    if (declared === undefined || (typeof named === 'string' && declared.allowed.includes(named))) continue;
    problems.push(typeControlProblem(`/${pointerSegment(name)}`, property, declared.type, declared.allowed, value, data));
  }
  return problems;
}

/**
 * A `tokenActionResults` item that gives both `@odata.type` and `@type` with different values (decision 1336, 1220's
 * conflict): which type a client reads depends on the client. The item is judged by its `@odata.type` as well.
 */
function itemTypeConflicts(data: object): Problem[] {
  const results = (data as { tokenActionResults?: unknown }).tokenActionResults;
  if (!Array.isArray(results)) return [];
  return results.flatMap((item, i) => {
    const type = controlInformation(item, 'type');
    return type !== undefined && 'conflict' in type ? [{ pointer: `/tokenActionResults/${i}/@type`, keyword: 'conflict', message: type.conflict }] : [];
  });
}

/**
 * An answer's own type written in OData 4.01's spelling (`@type`), which a 4.01 client reads as `@odata.type` (OData
 * JSON Format 4.01 §4.5: the prefix may be omitted; decision 1220): held to the names the response schema gives
 * `@odata.type` (another entity's type, `#microsoft.graph.user`, is refused at `/@type`), and written under both
 * names with different values, a conflict (1220). Decision 1310 (W8): validate, problemsOf and isValid read it as
 * verify, conform and the proxy do.
 */
function objectTypeProblems(data: object, profile: Profile): Problem[] {
  const type = controlInformation(data, 'type');
  if (type === undefined) return [];
  if ('conflict' in type) return [{ pointer: '/@type', keyword: 'conflict', message: type.conflict }];
  if (type.name !== '@type') return [];
  const allowed = ((schemaFor('response', profile).properties ?? {}) as Record<string, JsonSchema>)['@odata.type']?.enum as readonly string[] | undefined;
  const name = typeNameOfUrl(type.value, data, profile) ?? type.value;
  if (allowed === undefined || (typeof name === 'string' && allowed.includes(name))) return [];
  return [objectTypeProblem('/@type', allowed, type.value, data)];
}
