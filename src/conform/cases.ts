import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { createRequestFactory, vppTokenTraits, type VppTokenTrait } from '../fixtures';
import { GRAPH_BODY_LIMIT_DECIMAL, NEVER } from '../graph';
import { DEFAULT_PROFILE, betaOnlyEnumMembers, schemaFor, type Profile } from '../schemas';
import { declaredTypeControl } from '../validation/type-control';
import { MAX_NESTING_DEPTH } from '../wire';
import { arbitraryFor, betaOnlyProperties, type DrawOptions, deleteAt, fitBranch, getAt, pathName, placeAt, requestArbitrary, setAt, sitesOf, type Path, type Site } from './arbitraries';

/** Stands for the bearer in a case's headers: the real one is put in when sent, "$TOKEN" when printed. */
export const BEARER_MARK = '\u0000bearer\u0000';
export const AUTHORIZATION = `Bearer ${BEARER_MARK}`;

export type { CaseKind, ConformCase } from './case';
import type { CaseKind, ConformCase } from './case';

/** A family of cases: one fast-check arbitrary, and how many of its values a run draws. */
export interface Family {
  name: string;
  kind: CaseKind;
  arbitrary: fc.Arbitrary<ConformCase>;
  count: number;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', Authorization: AUTHORIZATION };

const asCase = (kind: CaseKind, family: string, request: unknown, extra: Partial<ConformCase> = {}): ConformCase => ({
  kind,
  family,
  request,
  headers: { ...JSON_HEADERS },
  body: JSON.stringify(request),
  ...extra,
});

export interface FamilyOptions {
  /** Valid requests drawn from the schema. */
  runs: number;
  /** Values drawn from each smaller family (every enum member, every fault, ...). */
  perFamily: number;
  /** The seed the trait fixtures are built with. */
  seed: number;
  /** Largest body the provider is expected to take, in bytes; one byte more must get 413. */
  bodyLimit: number;
  /**
   * The limit is Graph's "4 MB" taken by default, not one the caller gave: the valid create at the limit is then
   * 4,000,000 bytes, which both readings of "4 MB" take (decision 0171).
   */
  graphsLimit?: boolean;
  /** The Graph profile whose request schema the requests are drawn from (default beta). */
  profile?: Profile;
  /** Tokens drawn by the schema's validation keywords alone, not as Apple sTokens. */
  schemaTokens?: boolean;
}

const profileOf = (options: FamilyOptions): Profile => options.profile ?? DEFAULT_PROFILE;
const drawOf = (options: FamilyOptions): DrawOptions => ({ schemaTokens: options.schemaTokens === true });
const requestSites = (options: FamilyOptions): Site[] => sitesOf(schemaFor('request', profileOf(options)));

const nearMissOfPattern = (pattern: string, value: string): string => {
  const re = new RegExp(pattern);
  const candidates = [value.replace(/(Z|[+-]\d\d:\d\d)$/, ''), value.slice(0, -1), `${value}x`, `x${value.slice(1)}`, ''];
  return candidates.find((c) => !re.test(c)) ?? 'x';
};

/** A value of the wrong JSON type for a site: what a client with a type bug would send. */
function wrongTypes(site: Site): { label: string; value: unknown }[] {
  const types = site.types;
  const wrong: { label: string; value: unknown }[] = [];
  if (!types.includes('string')) wrong.push({ label: 'a string', value: 'true' });
  if (!types.includes('integer') && !types.includes('number')) wrong.push({ label: 'a number', value: 42 });
  else if (types.includes('integer')) wrong.push({ label: 'a fraction', value: 1.5 });
  if (!types.includes('null')) wrong.push({ label: 'null', value: null });
  if (!types.includes('boolean') && !types.includes('array')) wrong.push({ label: 'an object', value: { value: 'x' } });
  if (!types.includes('boolean') && types.includes('array')) wrong.push({ label: 'a boolean', value: true });
  // One of each kind is enough: a wrong type that is a string where a number is due, or a number where a string is.
  return wrong.slice(0, 2);
}

/** The valid families: drawn from the schema, every enum member and null at its site, every fixture trait. */
function validFamilies(options: FamilyOptions): Family[] {
  const request = requestArbitrary(profileOf(options), drawOf(options));
  const families: Family[] = [{ name: 'valid', kind: 'valid', arbitrary: request.map((r) => asCase('valid', 'valid', r)), count: options.runs }];
  // A value at a site of one action result type goes into an item of that type (placeAt): never a derived
  // type's property on a base-typed item, which a correct provider refuses (decision 0105).
  const forced = (name: string, site: Site, value: unknown | fc.Arbitrary<unknown>) => {
    if (families.some((f) => f.name === name)) return;
    const arbitrary = value instanceof fc.Arbitrary ? fc.tuple(request, value) : fc.tuple(request, fc.constant(value));
    families.push({ name, kind: 'valid', arbitrary: arbitrary.map(([r, v]) => asCase('valid', name, placeAt(r, site, v))), count: options.perFamily });
  };
  for (const site of requestSites(options)) {
    if (site.readOnly) continue; // never in a valid create: a correct service may refuse it (outside tester I17)
    const at = pathName(site.path);
    if (Array.isArray(site.schema.enum)) for (const member of site.schema.enum as unknown[]) forced(`enum ${at}=${String(member)}`, site, member);
    if ('const' in site.schema) forced(`const ${at}`, site, site.schema.const);
    if (site.types.includes('null')) forced(`null ${at}`, site, null);
    if (site.schema.format === 'date-time') forced(`never ${at}`, site, NEVER);
    if (site.types.includes('array')) {
      forced(`empty ${at}`, site, []);
      forced(`several ${at}`, site, fc.array(arbitraryFor(site.schema.items as never, drawOf(options)), { minLength: 2, maxLength: 6 }));
    }
  }
  const profileFactory = createRequestFactory.withProfile(profileOf(options)).withSeed(options.seed >>> 0);
  for (const trait of Object.keys(vppTokenTraits) as VppTokenTrait[]) {
    // Only the traits the profile has: the factory refuses the others (withActionResults in v1.0).
    let factory: typeof profileFactory;
    try {
      factory = profileFactory.withTraits(trait);
    } catch (error) {
      if (error instanceof RangeError) continue;
      throw error;
    }
    families.push({
      name: `trait ${trait}`,
      kind: 'valid',
      arbitrary: fc.nat({ max: 1_000_000 }).map((i) => asCase('valid', `trait ${trait}`, factory.buildAt(i))),
      count: options.perFamily,
    });
  }
  // A receiver MUST NOT signal an error for an annotation it does not know (OData JSON Format 4.01 §4.5, §21;
  // decision 0213): a valid create with one on the object and one on a property must be created as without them.
  const note = 'sent by vppkit conform';
  families.push({ name: 'instance annotations', kind: 'valid', arbitrary: request.map((r) => asCase('valid', 'instance annotations', { '@Org.Example.note': note, ...r, 'appleId@Org.Example.note': note })), count: options.perFamily });
  families.push(...sizedFamilies(options));
  return families;
}

/** Graph's "4 MB" in its smaller reading: what a valid create at the default limit weighs (decision 0171). */
export { GRAPH_BODY_LIMIT_DECIMAL };

/**
 * Valid creates near the body limit, each of an exact size, that must get 201 (outside tester G24: a provider
 * refusing everything over 4 KiB passed). One at the limit, and one just over each common server default below
 * it (Express's 100 KB, the 1 MiB of nginx, Fastify and Koa), so a refusal says which default the provider kept.
 * Each is an Apple sToken (any provider takes one) and the profile's free-text property filled to the size: fixed,
 * nothing to shrink (shrinking would send megabytes a thousand times).
 */
function sizedFamilies(options: FamilyOptions): Family[] {
  const name = String(freeText(options).path[0]);
  const graphs = options.graphsLimit === true;
  const atLimit = graphs ? Math.min(GRAPH_BODY_LIMIT_DECIMAL, options.bodyLimit) : options.bodyLimit;
  const sizes: { bytes: number; why?: string }[] = [
    { bytes: 100 * 1024 + 1, why: "one byte over Express's default limit of 100 KB" },
    { bytes: 1024 * 1024 + 1, why: 'one byte over the 1 MiB default limit of nginx, Fastify and Koa' },
  ].filter((s) => s.bytes < atLimit);
  sizes.push(atLimit === options.bodyLimit ? { bytes: atLimit } : { bytes: atLimit, why: 'which either reading of 4 MB takes' });
  const tokens = createRequestFactory.withProfile(profileOf(options)).withSeed(options.seed >>> 0).withTraits('minimal');
  return sizes.map(({ bytes, why }, i) => {
    const family = `a valid create of ${bytes} bytes`;
    const token = tokens.buildAt(SIZED_TOKEN_INDEX + i).token;
    const skeleton = Buffer.byteLength(JSON.stringify({ token, [name]: '' }));
    const request = { token, [name]: 'a'.repeat(bytes - skeleton) };
    const sized: ConformCase = { ...asCase('valid', family, request), size: { bytes, limit: options.bodyLimit, graphs, ...(why ? { why } : {}) } };
    sized.curlBody = `"$(printf '{"token":"${token}","${name}":"%s"}' "$(head -c ${bytes - skeleton} /dev/zero | tr '\\0' a)")"`;
    return { name: family, kind: 'valid' as const, arbitrary: fc.constant(null).map(() => sized), count: 1 };
  });
}
/** Past the indexes the trait families draw (0 to 1,000,000), so a sized create's token is no other create's. */
const SIZED_TOKEN_INDEX = 2_000_000;

/** The profile's first free-text property (nullable, no pattern, format or enum): the size and depth faults fill it. */
function freeText(options: FamilyOptions): Site {
  const text = requestSites(options).find((s) => s.path.length === 1 && s.types.join() === 'string,null' && !s.schema.pattern && !s.schema.format && !s.schema.enum);
  if (!text) throw new Error(`the ${profileOf(options)} request schema has no nullable text property for the size and depth faults`);
  return text;
}

/** One fault each, from the schema's own keywords; every one must be refused with 400. */
function invalidFamilies(options: FamilyOptions): Family[] {
  const request = requestArbitrary(profileOf(options), drawOf(options));
  const families: Family[] = [];
  const add = (name: string, mutate: (r: Record<string, unknown>) => unknown) => {
    // The tag of each union branch is a site of its own: one family per name.
    if (families.some((f) => f.name === name)) return;
    families.push({
      name,
      kind: 'invalid',
      arbitrary: request.map((r) => asCase('invalid', name, mutate(r), { fault: name, statuses: [400] })),
      count: options.perFamily,
    });
  };
  add('not an object: the body is a JSON array', (r) => [r]);
  add('unknown property /unknownProperty', (r) => ({ ...r, unknownProperty: 'x' }));
  // A property beta has and this profile lacks is an unknown property here, whatever beta value it carries.
  for (const { name, schema } of betaOnlyProperties(profileOf(options))) {
    const family = `beta-only property /${name}`;
    families.push({
      name: family,
      kind: 'invalid',
      arbitrary: fc.tuple(request, arbitraryFor(schema, drawOf(options))).map(([r, value]) => asCase('invalid', family, { ...r, [name]: value }, { fault: `${name} is not a property in Graph ${profileOf(options)}`, statuses: [400] })),
      count: options.perFamily,
    });
  }
  const sites = requestSites(options);
  for (const site of sites) {
    const at = pathName(site.path);
    // Each fault goes into an item of the site's own type (placeAt), so it is refused for that fault alone.
    const put = (r: Record<string, unknown>, value: unknown) => placeAt(r, site, value);
    const isTag = site.branch !== undefined && site.path[site.path.length - 1] === site.branch.tag;
    for (const { label, value } of wrongTypes(site)) add(`wrong type ${at}: ${label}`, (r) => put(r, value));
    // A derived item without its tag is a base item: the fault is then its derived properties (below).
    if (site.required && !isTag) add(`missing required ${at}`, (r) => deleteAt(fitBranch(r, site), site.path));
    if (typeof site.schema.minLength === 'number' && site.schema.minLength > 0) add(`too short ${at}: empty`, (r) => put(r, ''));
    if (Array.isArray(site.schema.enum)) add(`not a member ${at}`, (r) => put(r, 'notAMember'));
    if ('const' in site.schema) add(`wrong ${at}`, (r) => put(r, typeof site.schema.const === 'string' ? '#microsoft.graph.notAVppToken' : 'x'));
    if (typeof site.schema.pattern === 'string') {
      const pattern = site.schema.pattern;
      add(`near miss of the pattern ${at}`, (r) => {
        const value = getAt(r, site.path);
        return put(r, nearMissOfPattern(pattern, typeof value === 'string' ? value : '2026-01-01T00:00:00Z'));
      });
    }
    if (typeof site.schema.maximum === 'number') add(`over the maximum ${at}`, (r) => put(r, (site.schema.maximum as number) + 1));
    // What a pattern can't say of a DateTimeOffset: the day must exist, the offset must be one (RFC 3339 §5.7),
    // within .NET's limits (src/validation/date-time.ts).
    if (site.schema.format === 'date-time') {
      add(`a date that does not exist ${at}: February 30th`, (r) => put(r, '2027-02-30T12:00:00Z'));
      add(`an offset out of range ${at}: +25:00`, (r) => put(r, '2027-03-01T12:00:00+25:00'));
      // What RFC 3339 takes and .NET's DateTimeOffset does not: an offset past ±14:00, the year 0000.
      add(`an offset beyond ±14:00 ${at}: +14:30`, (r) => put(r, '2027-03-01T12:00:00+14:30'));
      add(`the year 0000 ${at}`, (r) => put(r, '0000-06-30T12:00:00Z'));
    }
    if (typeof site.schema.minimum === 'number') add(`under the minimum ${at}`, (r) => put(r, (site.schema.minimum as number) - 1));
  }
  // A derived type's property on an item of the base type (no @odata.type, or the base type's, in either
  // spelling): a derived item relabelled as the base type. Graph's model refuses it (decision 0105).
  for (const site of sites.filter((s) => s.branch?.tagRequired && s.path[s.path.length - 1] !== s.branch.tag)) {
    const own = site.branch!;
    const base = sites.find((s) => s.branch && !s.branch.tagRequired && pathName(s.branch.item) === pathName(own.item))?.branch;
    if (!base) continue;
    const property = String(site.path[site.path.length - 1]);
    const name = `a derived property on a base-typed item ${pathName(site.path)}`;
    const fault = `${property} belongs to ${own.members[0]} only: an item without @odata.type, or with the base type's, must not carry it`;
    families.push({
      name,
      kind: 'invalid',
      arbitrary: fc.tuple(request, arbitraryFor(site.schema, drawOf(options)), fc.constantFrom(undefined, ...base.members)).map(([r, value, tag]) => {
        const asBase = fitBranch(r, { ...site, branch: base });
        const typed = tag === undefined ? deleteAt(asBase, [...base.item, base.tag]) : setAt(asBase, [...base.item, base.tag], tag);
        return asCase('invalid', name, setAt(typed, site.path, value), { fault, statuses: [400] });
      }),
      count: options.perFamily,
    });
  }
  // An enum member beta has and this profile lacks (duplicateLocationId in v1.0) is not a member here.
  for (const { property, member } of betaOnlyEnumMembers(profileOf(options))) {
    const name = `beta-only enum member /${property}=${member}`;
    families.push({
      name,
      kind: 'invalid',
      arbitrary: request.map((r) => asCase('invalid', name, { ...r, [property]: member }, { fault: `${member} is not a member in Graph ${profileOf(options)}`, statuses: [400] })),
      count: options.perFamily,
    });
  }
  // A property's type control information naming another type than the one it is declared with: what the kit refuses
  // in a create and in an answer alike (decision 1231; OData JSON Format 4.01 §4.5.3, Graph's reader refuses an
  // incompatible type). One family, the property drawn: one request a run, as the other one-fault families.
  const declared = declaredTypeControl('request', profileOf(options));
  const contradicted = sites
    .filter((s) => s.path.length === 1 && !s.readOnly && declared.has(String(s.path[0])))
    .map((s) => {
      const property = String(s.path[0]);
      const { type, allowed } = declared.get(property)!;
      // #Int32 names no vppToken property's type (each is a string, a Boolean, an enum or a collection).
      return { property, type, value: ['#Int32', '#String'].find((name) => !allowed.includes(name))! };
    });
  if (contradicted.length > 0) {
    const name = 'a type annotation that contradicts the declared type';
    families.push({
      name,
      kind: 'invalid',
      arbitrary: fc.tuple(request, fc.constantFrom(...contradicted)).map(([r, { property, type, value }]) =>
        asCase('invalid', name, { [`${property}@odata.type`]: value, ...r }, { fault: `${property}@odata.type names ${value}, but ${property} is declared ${type}`, statuses: [400] }),
      ),
      count: options.perFamily,
    });
  }
  // Closed item objects (additionalProperties: false) refuse an unknown property inside an item too.
  const itemParents = new Set(sites.filter((s) => typeof s.path[s.path.length - 2] === 'number').map((s) => JSON.stringify(s.path.slice(0, -1))));
  for (const parent of itemParents) {
    const path = JSON.parse(parent) as Path;
    add(`unknown property ${pathName([...path, 'unknownProperty'])}`, (r) => setAt(r, [...path, 'unknownProperty'], 'x'));
  }
  return families;
}

/**
 * The gzip body over the limit, kept for the next run with the same limit and text property: compressing 4 MiB costs
 * about 13 ms of CPU, which every run paid again (a test file runs conform some forty times). The same bytes.
 */
let lastGzipped: { key: string; body: string } | undefined;
function gzippedOnce(key: string, compress: () => string): string {
  if (lastGzipped?.key !== key) lastGzipped = { key, body: compress() };
  return lastGzipped.body;
}

/** Faults of the transport rather than the body: headers, JSON syntax, size and depth. */
function transportFamilies(options: FamilyOptions): Family[] {
  const request = requestArbitrary(profileOf(options), drawOf(options));
  const families: Family[] = [];
  const add = (name: string, statuses: number[], build: (r: Record<string, unknown>) => Partial<ConformCase>, count = options.perFamily) => {
    families.push({
      name,
      kind: 'transport',
      arbitrary: request.map((r) => ({ ...asCase('transport', name, r, { fault: name, statuses }), ...build(r) })),
      count,
    });
  };
  // A fixed body: nothing to draw, nothing to shrink.
  const fixed = (name: string, statuses: number[], body: string, curlBody: string) => {
    families.push({
      name,
      kind: 'transport',
      arbitrary: fc.constant(null).map(() => ({ ...asCase('transport', name, undefined, { fault: name, statuses }), body, curlBody })),
      count: 1,
    });
  };
  add('malformed JSON', [400], (r) => ({ request: undefined, body: JSON.stringify(r).slice(0, -1) }));
  // What the one reader refuses in a request (src/wire), and in an answer alike (docs/decisions/0081).
  add('the token given twice', [400], (r) => ({ request: undefined, body: `{"token":"conform-first-token",${JSON.stringify(r).slice(1)}` }));
  add('data after the JSON value', [400], (r) => ({ request: undefined, body: `${JSON.stringify(r)} garbage` }));
  add('a second JSON value', [400], (r) => ({ request: undefined, body: `${JSON.stringify(r)}${JSON.stringify(r)}` }));
  // A client MUST NOT send a byte order mark, and a parser MAY ignore one (RFC 8259 §8.1): 400, or the create the
  // body after it describes (decision 0212).
  add('a byte order mark', [400], (r) => ({ body: `\uFEFF${JSON.stringify(r)}`, mayCreate: 'a JSON parser may ignore a byte order mark (RFC 8259 §8.1)' }));
  add('a Content-Encoding that lies', [400, 415], () => ({ extraHeaderLines: [['Content-Encoding', 'gzip']] }));
  add('two Authorization headers', [400, 401], () => ({ extraHeaderLines: [['Authorization', 'Bearer another-access-token']] }));
  add('two Content-Type headers', [400, 415], () => ({ extraHeaderLines: [['Content-Type', 'application/json']] }));
  add('no Content-Type', [415], () => ({ headers: { Authorization: AUTHORIZATION } }));
  add('Content-Type text/plain', [415], () => ({ headers: { 'Content-Type': 'text/plain', Authorization: AUTHORIZATION } }));
  // UTF-8 bytes declared another charset: Graph's reader decodes by it (400 for the garbage, or 415; decision 0148).
  add('a charset that is not UTF-8', [400, 415], () => ({ headers: { 'Content-Type': 'application/json; charset=utf-16', Authorization: AUTHORIZATION } }));
  add('no Authorization', [401], () => ({ headers: { 'Content-Type': 'application/json' } }));
  add('Authorization without a token', [401], () => ({ headers: { 'Content-Type': 'application/json', Authorization: 'Bearer' } }));
  add('Authorization not a bearer', [401], () => ({ headers: { 'Content-Type': 'application/json', Authorization: 'Basic Y29uZm9ybTpjb25mb3Jt' } }));
  // The large and deep bodies are valid but for their size: they fill the profile's first free-text property.
  const name = String(freeText(options).path[0]);
  const over = options.bodyLimit + 1;
  const prefix = `{"token":"conform","${name}":"`;
  const padding = over - prefix.length - 2;
  fixed(`body over ${options.bodyLimit} bytes`, [413], `${prefix}${'a'.repeat(padding)}"}`, `"$(printf '${prefix}%s"}' "$(head -c ${padding} /dev/zero | tr '\\0' a)")"`);
  // A gzip body that is small on the wire and over the limit once decoded: 413 from a provider that takes gzip,
  // 415 (or 400) from one that takes no content coding; never a 201.
  const inflated = gzippedOnce(`${prefix}\u0000${padding}`, () => gzipSync(Buffer.from(`${prefix}${'a'.repeat(padding)}"}`)).toString('latin1'));
  fixed(`a gzip body over ${options.bodyLimit} bytes once decoded`, [400, 413, 415], inflated, `@<(printf '${prefix}%s"}' "$(head -c ${padding} /dev/zero | tr '\\0' a)" | gzip)`);
  families[families.length - 1].arbitrary = families[families.length - 1].arbitrary.map((c) => ({ ...c, bodyEncoding: 'latin1' as const, extraHeaderLines: [['Content-Encoding', 'gzip']] }));
  // A transfer coding besides chunked, unasked (RFC 9112 §6.1, §7.4): gzip, chunked over gzip bytes. Graph's
  // server reads the gzip bytes as the body (400); a server that knows no such coding answers 501. Never a 201.
  const small = `{"token":"conform","${name}":"gzip"}`;
  fixed('a transfer coding besides chunked', [400, 501], gzipSync(Buffer.from(small)).toString('latin1'), `@<(printf '%s' '${small}' | gzip)`);
  families[families.length - 1].arbitrary = families[families.length - 1].arbitrary.map((c) => ({ ...c, bodyEncoding: 'latin1' as const, extraHeaderLines: [['Transfer-Encoding', 'gzip, chunked']] }));
  // Latin-1: the text property's value as one byte per character, which is not UTF-8 (0xE9 for é).
  const latin1 = `{"token":"conform","${name}":"Caf\u00e9"}`;
  fixed('Latin-1 bytes, not UTF-8', [400], latin1, `"$(printf '{"token":"conform","${name}":"Caf\\351"}')"`);
  families[families.length - 1].arbitrary = families[families.length - 1].arbitrary.map((c) => ({ ...c, bodyEncoding: 'latin1' as const }));
  // An unpaired surrogate escape: JSON's grammar takes it, but it is no character (I-JSON, RFC 7493 §2.1).
  // A number no double holds: JSON.parse reads Infinity (I-JSON, RFC 7493 §2.2).
  fixed('a number beyond a double', [400], `{"token":"conform","${name}":1e400}`, `'{"token":"conform","${name}":1e400}'`);
  fixed('an unpaired surrogate escape', [400], `{"token":"conform","${name}":"\\ud800"}`, `'{"token":"conform","${name}":"\\ud800"}'`);
  // One level past the 64 Graph's reader takes (decision 0385), in an instance annotation of a valid create, which a
  // provider takes and ignores (0213): a provider whose JSON reader goes deeper (Python's json reads 1,000 levels)
  // creates from it, which the 10,000-deep case alone does not show (outside tester R14).
  const annotation = `"@Org.Example.note":${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}`;
  add(`nesting ${MAX_NESTING_DEPTH + 1} deep in an instance annotation, one past Graph's ${MAX_NESTING_DEPTH}`, [400], (r) => ({ request: undefined, body: `${JSON.stringify(r).slice(0, -1)},${annotation}}` }), 1);
  const depth = 10_000;
  fixed(
    `nesting ${depth} deep`,
    [400, 413],
    `{"token":"conform","${name}":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    `"{\\"token\\":\\"conform\\",\\"${name}\\":$(printf '[%.0s' $(seq ${depth}))$(printf ']%.0s' $(seq ${depth}))}"`,
  );
  return families;
}

/** Every family of a run, in the order they are reported. */
export function families(options: FamilyOptions): Family[] {
  return [...validFamilies(options), ...invalidFamilies(options), ...transportFamilies(options)];
}

/**
 * The first `count` cases fast-check draws for `family` from `seed`: exactly those fc.check runs with the same
 * seed, so that run `i` can be replayed (path "i") and shrunk. fc.sample of an arbitrary applies the run's bias
 * to the arbitrary itself and of a property twice; of a one-element tuple it draws what a property draws.
 */
export function drawFamily(family: Family, seed: number, count: number): ConformCase[] {
  return fc.sample(fc.tuple(family.arbitrary), { seed, numRuns: count }).map(([c]) => c);
}
