import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PROFILE, deriveProfileSchemas, profileRules, toProfile, type JsonSchema, type Profile } from './profiles';
import { argumentProblem, refuseArguments, shownOption } from '../net/option';

/** The folder that holds the JSON Schemas: the single source of truth for everything else. */
export const SCHEMA_DIR = join(__dirname, '..', '..', 'schemas');
export const SCHEMA_BASE_URI = 'https://schemas.vpptokens-contract-kit.dev/';

/** The schemas a payload can be checked against, by the name Graph's docs use for them. */
export const schemaFiles = {
  request: 'vpp-token-create-request.schema.json',
  response: 'vpp-token.schema.json',
  actionResult: 'vpp-token-action-result.schema.json',
  error: 'graph-error.schema.json',
} as const;
export type SchemaKind = keyof typeof schemaFiles;
export const schemaKinds = Object.keys(schemaFiles) as SchemaKind[];

const cache = new Map<Profile, Map<string, JsonSchema>>();

/** The base URI of a profile's schema `$id`s: beta at the root, v1.0 under `v1.0/`. */
export function profileBaseUri(profile: Profile = DEFAULT_PROFILE): string {
  toProfile(profile);
  return profile === 'beta' ? SCHEMA_BASE_URI : `${SCHEMA_BASE_URI}${profileRules(SCHEMA_DIR)[profile].graphVersion}/`;
}

/**
 * Every schema document of a profile, keyed by file name: beta's are the files in schemas/, v1.0's are
 * derived from them by schemas/profiles.json (the same documents `npm run generate` writes to schemas/v1.0/).
 */
export function loadSchemas(profile: Profile = DEFAULT_PROFILE): Map<string, JsonSchema> {
  let schemas = cache.get(profile);
  if (!schemas) {
    if (profile === 'beta') {
      schemas = new Map();
      for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort()) {
        schemas.set(file, JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as JsonSchema);
      }
    } else {
      schemas = deriveProfileSchemas(loadSchemas('beta'), profileRules(SCHEMA_DIR)[toProfile(profile)], SCHEMA_BASE_URI);
    }
    cache.set(profile, schemas);
  }
  return schemas;
}

/** The kinds a profile has: v1.0 has no vppTokenActionResult. */
export function schemaKindsOf(profile: Profile = DEFAULT_PROFILE): SchemaKind[] {
  const schemas = loadSchemas(profile);
  return schemaKinds.filter((kind) => schemas.has(schemaFiles[kind]));
}

export function schemaFor(kind: SchemaKind, profile: Profile = DEFAULT_PROFILE): JsonSchema {
  toSchemaKind(kind);
  const schema = loadSchemas(toProfile(profile)).get(schemaFiles[kind]);
  if (!schema) throw new RangeError(`Graph ${profile} has no ${kind} (kinds: ${schemaKindsOf(profile).join(', ')})`);
  return schema;
}

/**
 * Why a schema kind argument is not even a word (`validate(undefined, data)`), or undefined: a word a profile lacks is
 * said by its caller (`Graph v1.0 has no actionResult`). Decision 0800.
 */
/**
 * `kind` when it is one of the kit's schema kinds: a TypeError for another kind of value (kindProblem), a RangeError
 * for another string, shown by the word rule (shownOption: never an sToken handed over in its place, outside finding Y2).
 */
export function toSchemaKind(kind: unknown): SchemaKind {
  refuseArguments(kindProblem(kind));
  if (!schemaKinds.includes(kind as SchemaKind)) throw new RangeError(`kind must be one of ${schemaKinds.join(', ')} (got ${shownOption(kind)})`);
  return kind as SchemaKind;
}

export const kindProblem = (kind: unknown): string | undefined => argumentProblem('kind', kind, 'string', `one of ${schemaKinds.join(', ')}`);

/** Follows `$ref`s until a schema that is not a reference. */
export function derefSchema(schema: JsonSchema): JsonSchema {
  refuseArguments(argumentProblem('schema', schema, 'object', 'a JSON Schema, an object'));
  let current = schema;
  while (typeof current.$ref === 'string') current = resolveRef(current.$ref);
  return current;
}

/** Whether a property's schema (its own keywords, or the schema its `$ref` names) says `readOnly: true` (decision 0198). */
export const isReadOnly = (schema: JsonSchema): boolean => schema.readOnly === true || derefSchema(schema).readOnly === true;

/**
 * Resolves a `$ref` to its schema document: `date-time-offset.schema.json` (beta's relative form), or an
 * absolute one, such as v1.0's `https://schemas.vpptokens-contract-kit.dev/v1.0/vpp-token-state.schema.json`.
 */
export function resolveRef(ref: string): JsonSchema {
  refuseArguments(argumentProblem('ref', ref, 'string', 'a schema reference, a string'));
  const v1 = profileBaseUri('v1.0');
  const [profile, file]: [Profile, string] = ref.startsWith(v1)
    ? ['v1.0', ref.slice(v1.length)]
    : ['beta', ref.startsWith(SCHEMA_BASE_URI) ? ref.slice(SCHEMA_BASE_URI.length) : ref];
  const schema = loadSchemas(profile).get(file);
  if (!schema) throw new RangeError(`unknown schema reference (got ${shownOption(ref)})`);
  return schema;
}

/**
 * The enum members of beta's `kind` that `profile`'s lacks, by top-level property: what a client written for
 * beta may send and the profile must refuse (duplicateLocationId for state in v1.0). Empty for beta.
 */
export function betaOnlyEnumMembers(profile: Profile, kind: SchemaKind = 'request'): { property: string; member: string }[] {
  const own = (schemaFor(kind, profile).properties ?? {}) as Record<string, JsonSchema>;
  const beta = (schemaFor(kind, 'beta').properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(own).flatMap(([property, schema]) => {
    const mine = derefSchema(schema).enum as unknown[] | undefined;
    const theirs = beta[property] ? (derefSchema(beta[property]).enum as unknown[] | undefined) : undefined;
    return mine && theirs ? theirs.filter((m) => !mine.includes(m)).map((member) => ({ property, member: String(member) })) : [];
  });
}
