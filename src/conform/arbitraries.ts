import fc from 'fast-check';
import { DEFAULT_PROFILE, derefSchema, discriminatedUnion, isReadOnly, schemaFor, type JsonSchema, type Profile } from '../schemas';
import { NEVER, VALID_STOKEN_EXPIRY } from '../graph';

/**
 * fast-check arbitraries derived from the request schema's own keywords (type, nullable types, enum, const,
 * pattern, format, minLength, minimum/maximum, items, required, additionalProperties), so that a change to a
 * schema changes what conform sends. Nothing here knows a property by name.
 */

/** How values are drawn beyond what the schema's validation keywords say. */
export interface DrawOptions {
  /**
   * Draw a string whose schema says it is base64 of JSON (`contentEncoding: base64`, `contentMediaType:
   * application/json`: the Apple sToken) as any string the validation keywords allow, rather than as such a
   * document (default false: Intune refuses a token that is not an sToken).
   */
  schemaTokens?: boolean;
}

/** Where a value sits in a request: property names, with a number for an array item. */
export type Path = readonly (string | number)[];

/** One place in the request schema a value is drawn for: a property of the request or of an array item object. */
export interface Site {
  path: Path;
  schema: JsonSchema;
  /** The schema's types (from `type`, or `string` for `const`/`enum` of strings). */
  types: string[];
  required: boolean;
  /**
   * The schema marks it `readOnly` (JSON Schema Validation §9.4: the owning authority may ignore or refuse a value
   * sent): a valid create leaves it out, a fault may still put a wrong value there (outside tester I17).
   */
  readOnly: boolean;
  /**
   * For a site in one branch of a discriminated union (an action result of one type): the item's path, the tag
   * (`@odata.type`), the branch's members of it and its properties. A value placed there goes into an item of
   * that branch (placeAt), so a valid value never makes an item of the wrong type.
   */
  branch?: { item: Path; tag: string; members: string[]; tagRequired: boolean; properties: string[] };
}

const MIN_MS = Date.parse('0001-01-01T00:00:00Z');
const MAX_MS = Date.parse('9999-12-31T23:59:59Z');

/**
 * Edm.DateTimeOffset at its edges: Graph's "never" (0001-01-01T00:00:00Z), any instant from year 1 to 9999,
 * 0 to 7 fraction digits, and Z or an offset from -12:00 to +14:00 in quarter hours (the instant kept in years 1 to 9999).
 */
export const dateTimeOffset: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(NEVER), weight: 1 },
  {
    arbitrary: fc
      .record({
        ms: fc.integer({ min: MIN_MS, max: MAX_MS }),
        digits: fc.integer({ min: 0, max: 7 }),
        fraction: fc.integer({ min: 0, max: 9_999_999 }),
        quarters: fc.option(fc.integer({ min: -48, max: 56 }), { nil: undefined }),
      })
      .map(({ ms, digits, fraction, quarters }) => {
        const local = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
        const frac = digits === 0 ? '' : `.${String(fraction).padStart(7, '0').slice(0, digits)}`;
        // An offset that would take the instant out of years 1 to 9999 (.NET's DateTimeOffset range) is drawn as Z.
        const utc = quarters === undefined ? ms : Date.parse(`${local}Z`) - quarters * 15 * 60_000;
        if (quarters === undefined || utc < MIN_MS || utc > MAX_MS) return `${local}${frac}Z`;
        const abs = Math.abs(quarters) * 15;
        const offset = `${quarters < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        return `${local}${frac}${offset}`;
      }),
    weight: 6,
  },
);

// Characters do not shrink, only lengths do: a finding keeps the characters that made it fail, and shrinking
// spends its requests on what matters (which properties, how long) instead of on each character's code point.
// Characters are drawn as code points (cheaper than fast-check's grapheme tables): printable ASCII, the BMP
// below the surrogates, and the supplementary planes (emoji, historic scripts) that take two UTF-16 units.
const ascii = fc.noShrink(fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCodePoint(c)));
const anyGrapheme = fc.noShrink(
  fc
    .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0xfffd }), fc.integer({ min: 0x10000, max: 0x1fbff }))
    .map((c) => String.fromCodePoint(c)),
);

/**
 * Long text: a length up to `max` and a short motif repeated to it. Only the length shrinks, so fast-check finds
 * the exact length where a failure starts (65 for a name cut at 64) in a few requests, and drawing stays cheap.
 */
function longText(minLength: number, max = 400): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: minLength, max }), fc.noShrink(fc.string({ unit: ascii, minLength: 1, maxLength: 16 })))
    .map(([length, motif]) => motif.repeat(Math.ceil(length / motif.length)).slice(0, length));
}

const FIRST_EXPIRY = VALID_STOKEN_EXPIRY.from.getTime();
const LAST_EXPIRY = VALID_STOKEN_EXPIRY.to.getTime();

/**
 * An Apple VPP sToken as Apple Business Manager or Apple School Manager hands it out: base64 of a JSON document
 * `{"token","expDate","orgName"}`, the token proper 72 random bytes in base64, the expiry in Apple's form
 * (`2041-06-30T12:00:00-0700`, in VALID_STOKEN_EXPIRY: not expired for years, never the clock, so a seed gives the
 * same bytes any day; decision 0195),
 * the organisation's name any text. Only the name shrinks.
 */
export const appleSToken: fc.Arbitrary<string> = fc
  .record({
    token: fc.noShrink(fc.uint8Array({ minLength: 72, maxLength: 72 })).map((bytes) => Buffer.from(bytes).toString('base64')),
    expDate: fc.noShrink(
      fc.tuple(fc.integer({ min: FIRST_EXPIRY / 1000, max: LAST_EXPIRY / 1000 }), fc.constantFrom(-7, -8)).map(([seconds, hours]) => {
        const local = new Date(seconds * 1000 + hours * 3_600_000).toISOString().slice(0, 19);
        return `${local}-0${-hours}00`;
      }),
    ),
    orgName: text(1),
  })
  .map(({ token, expDate, orgName }) => Buffer.from(JSON.stringify({ token, expDate, orgName }), 'utf8').toString('base64'));

/** Text of every kind: short ASCII, non-ASCII (any Unicode grapheme), and long (up to 400 characters). */
export function text(minLength = 0): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.string({ minLength, maxLength: 12, unit: ascii }), weight: 3 },
    { arbitrary: fc.string({ minLength, maxLength: 24, unit: anyGrapheme }), weight: 3 },
    { arbitrary: longText(minLength), weight: 2 },
  );
}

export function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  if ('const' in schema) return [typeof schema.const];
  if (Array.isArray(schema.enum)) return [...new Set((schema.enum as unknown[]).map((v) => typeof v))];
  return [];
}

/** Whether a string schema says its value is an Apple sToken: base64 of a JSON document (JSON Schema's content keywords). */
const isSToken = (schema: JsonSchema): boolean => schema.contentEncoding === 'base64' && schema.contentMediaType === 'application/json';

/** An arbitrary for any value valid by `raw` (a request-schema node). */
export function arbitraryFor(raw: JsonSchema, draw: DrawOptions = {}): fc.Arbitrary<unknown> {
  const schema = derefSchema(raw);
  // A discriminated union (an action result): an item of one branch, its properties that branch's alone.
  const union = discriminatedUnion(schema);
  if (union) return fc.oneof(...union.branches.map((b) => arbitraryFor(b.schema, draw)));
  const types = typesOf(schema);
  const nonNull = types.filter((t) => t !== 'null');
  const base = ((): fc.Arbitrary<unknown> => {
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
    const type = nonNull[0];
    if (type === 'string') {
      if (schema.format === 'date-time') return dateTimeOffset;
      if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern));
      if (isSToken(schema) && !draw.schemaTokens) return appleSToken;
      return text(typeof schema.minLength === 'number' ? schema.minLength : 0);
    }
    if (type === 'boolean') return fc.boolean();
    if (type === 'integer') {
      return fc.integer({ min: (schema.minimum as number | undefined) ?? -2147483648, max: (schema.maximum as number | undefined) ?? 2147483647 });
    }
    if (type === 'number') return fc.double({ noNaN: true, noDefaultInfinity: true });
    if (type === 'array') return fc.array(arbitraryFor((schema.items as JsonSchema | undefined) ?? {}, draw), { maxLength: 4 });
    if (type === 'object') return objectArbitrary(schema, draw);
    throw new Error(`conform cannot draw values for the schema ${JSON.stringify(schema).slice(0, 80)}`);
  })();
  return types.includes('null') ? fc.option(base, { nil: null, freq: 5 }) : base;
}

/**
 * A random subset of the optional properties, every required one. Which properties are present is drawn first,
 * apart from their values, so that fast-check shrinks by dropping properties before it shortens what is left:
 * a finding ends as few properties as still fail, in far fewer requests than property by property.
 */
function objectArbitrary(schema: JsonSchema, draw: DrawOptions): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  // A read-only property (the server's id and time) is not sent: a correct service may refuse it (outside tester I17).
  for (const [name, property] of Object.entries(properties)) if (!isReadOnly(property)) model[name] = arbitraryFor(property, draw);
  const names = Object.keys(model);
  const required = new Set(((schema.required as string[] | undefined) ?? []).filter((k) => k in model));
  const optional = names.filter((n) => !required.has(n));
  // Required values shrink first: they cannot be dropped, and a success after a long walk elsewhere restarts it.
  const valueOrder = Object.fromEntries([...required, ...optional].map((n) => [n, model[n]]));
  return fc.tuple(fc.subarray(optional), fc.record(valueOrder)).map(([present, values]) => {
    const keep = new Set([...required, ...present]);
    return Object.fromEntries(names.filter((n) => keep.has(n)).map((n) => [n, (values as Record<string, unknown>)[n]]));
  });
}

/** Every valid create request the profile's request schema allows (read-only properties left out), optional properties in random subsets. */
export function requestArbitrary(profile: Profile = DEFAULT_PROFILE, draw: DrawOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  // Arbitraries are immutable: one per schema document (and way of drawing) is shared by every family.
  const schema = schemaFor('request', profile);
  const key = `${profile}${draw.schemaTokens ? ' schema tokens' : ''}`;
  let cached = arbitraries.get(key);
  if (cached?.schema !== schema) arbitraries.set(key, (cached = { schema, arbitrary: objectArbitrary(schema, draw) }));
  return cached.arbitrary;
}
const arbitraries = new Map<string, { schema: JsonSchema; arbitrary: fc.Arbitrary<Record<string, unknown>> }>();

/**
 * The properties of beta's create request that `profile`'s lacks, with beta's schema for each: what a client
 * written for beta may send, and what the profile must refuse as unknown. Empty for beta.
 */
export function betaOnlyProperties(profile: Profile = DEFAULT_PROFILE): { name: string; schema: JsonSchema }[] {
  const own = (schemaFor('request', profile).properties ?? {}) as Record<string, JsonSchema>;
  const beta = (schemaFor('request', 'beta').properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(beta)
    .filter(([name]) => !(name in own))
    .map(([name, schema]) => ({ name, schema }));
}

/**
 * Every place in the request schema a value is drawn for: the request's properties and, for arrays of objects,
 * the properties of an item (path `[array, 0, property]`).
 */
export function sitesOf(schema: JsonSchema = schemaFor('request'), prefix: Path = []): Site[] {
  const sites: Site[] = [];
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const [name, raw] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    const property = derefSchema(raw);
    const path = [...prefix, name];
    sites.push({ path, schema: property, types: typesOf(property), required: required.has(name), readOnly: isReadOnly(raw) });
    const items = property.items ? derefSchema(property.items as JsonSchema) : undefined;
    const union = items ? discriminatedUnion(items) : undefined;
    if (union) sites.push(...unionSites(union, [...path, 0]));
    else if (items && typesOf(items).includes('object')) sites.push(...sitesOf(items, [...path, 0]));
  }
  return sites;
}

/**
 * The sites of a union's item: the properties every branch shares once (a value valid in one is valid in all),
 * and per branch its tag and its own properties, marked with the branch.
 */
function unionSites(union: NonNullable<ReturnType<typeof discriminatedUnion>>, item: Path): Site[] {
  const shared = new Set(
    Object.keys((union.branches[0].schema.properties ?? {}) as object).filter((name) => name !== union.tag && union.branches.every((b) => name in ((b.schema.properties ?? {}) as object))),
  );
  const sites: Site[] = [];
  union.branches.forEach((b, i) => {
    const branch = { item, tag: union.tag, members: b.members, tagRequired: b.tagRequired, properties: Object.keys((b.schema.properties ?? {}) as object) };
    for (const site of sitesOf(b.schema, item)) {
      const name = String(site.path[site.path.length - 1]);
      if (!shared.has(name)) sites.push({ ...site, branch });
      else if (i === 0) sites.push(site);
    }
  });
  return sites;
}

/**
 * `value` at the site's path; for a site of one branch of a union, in an item of that branch: the item keeps
 * only the branch's properties and names the branch in its tag when it named another or the branch needs it.
 */
export function placeAt(request: Record<string, unknown>, site: Site, value: unknown): Record<string, unknown> {
  return setAt(fitBranch(request, site), site.path, value);
}

/** The request with the site's item made an item of the site's branch (unchanged for a site of no branch). */
export function fitBranch(request: Record<string, unknown>, site: Site): Record<string, unknown> {
  const { branch } = site;
  if (!branch) return request;
  const item = getAt(request, branch.item);
  const fitted: Record<string, unknown> = {};
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    for (const [key, v] of Object.entries(item)) if (branch.properties.includes(key)) fitted[key] = v;
  }
  if (fitted[branch.tag] !== undefined ? !branch.members.includes(fitted[branch.tag] as string) : branch.tagRequired) fitted[branch.tag] = branch.members[0];
  return setAt(request, branch.item, fitted);
}

/** A copy of `request` with `value` at `path`, creating the objects and the first array item on the way. */
export function setAt(request: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(request);
  let node: Record<string | number, unknown> = copy;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    const nextIsIndex = typeof path[i + 1] === 'number';
    const current = (node as Record<string | number, unknown>)[key];
    if (current === undefined || current === null || typeof current !== 'object') {
      (node as Record<string | number, unknown>)[key] = nextIsIndex ? [] : {};
    }
    node = (node as Record<string | number, unknown>)[key] as Record<string | number, unknown>;
    if (nextIsIndex && (node as unknown as unknown[]).length === 0) (node as unknown as unknown[]).push({});
  }
  (node as Record<string | number, unknown>)[path[path.length - 1]] = value;
  return copy;
}

export function deleteAt(request: Record<string, unknown>, path: Path): Record<string, unknown> {
  const copy = structuredClone(request);
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) {
    node = (node as Record<string | number, unknown> | undefined)?.[key];
    if (node === undefined || node === null || typeof node !== 'object') return copy;
  }
  delete (node as Record<string | number, unknown>)[path[path.length - 1]];
  return copy;
}

export function getAt(request: unknown, path: Path): unknown {
  let node = request;
  for (const key of path) {
    if (node === undefined || node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** A JSON-pointer-like name for a path, as reports show it: /tokenActionResults/0/actionState. */
export const pathName = (path: Path): string => `/${path.join('/')}`;
