import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shownOption } from '../net/option';

/**
 * Graph versions the kit speaks. `beta` is what schemas/*.schema.json describe; `v1.0` is derived from them
 * by the differences in schemas/profiles.json (decision 0002): one source, two profiles.
 */
export const PROFILES = ['beta', 'v1.0'] as const;
export type Profile = (typeof PROFILES)[number];
export const DEFAULT_PROFILE: Profile = 'beta';

export type JsonSchema = { [keyword: string]: unknown };

/** How one profile differs from the beta schemas (schemas/profiles.json). */
export interface ProfileRules {
  graphVersion: string;
  /** The schema files the profile starts from; every file they reference comes with them. Absent: all of beta. */
  roots?: string[];
  /** Properties the profile lacks, per schema file (left out of `properties` and `required`). */
  withoutProperties?: Record<string, string[]>;
  /** Enum members the profile lacks, per schema file. */
  withoutEnumMembers?: Record<string, string[]>;
  /** A description of its own for a schema whose beta description speaks of beta. */
  descriptions?: Record<string, string>;
}

let rules: Record<Profile, ProfileRules> | undefined;

/** The rules of every profile, read from schemas/profiles.json. */
export function profileRules(schemaDir: string): Record<Profile, ProfileRules> {
  rules ??= (JSON.parse(readFileSync(join(schemaDir, 'profiles.json'), 'utf8')) as { profiles: Record<Profile, ProfileRules> }).profiles;
  return rules;
}

/** `profile` when it is one the kit knows; otherwise a RangeError saying which ones are. */
export function toProfile(value: unknown): Profile {
  if ((PROFILES as readonly unknown[]).includes(value)) return value as Profile;
  throw new RangeError(`profile must be one of ${PROFILES.join(', ')} (got ${shownOption(value)})`);
}

/** The beta properties that a profile lacks in a vppToken (the same list for a request and a response). */
export function propertiesMissingFrom(profile: Profile, schemaDir: string, file = 'vpp-token.schema.json'): readonly string[] {
  return profileRules(schemaDir)[profile].withoutProperties?.[file] ?? [];
}

/** The beta enum members a profile lacks in one enum's schema (`vpp-token-state.schema.json`: v1.0 has no `duplicateLocationId`). */
export function enumMembersMissingFrom(profile: Profile, schemaDir: string, file: string): readonly string[] {
  return profileRules(schemaDir)[profile].withoutEnumMembers?.[file] ?? [];
}

/**
 * The schema documents of a profile, derived from the beta ones: the profile's properties and enum members
 * left out, `$id` and every `$ref` moved under `<base><graphVersion>/`, so that both profiles live side by side
 * in one registry and a reference always resolves within its own profile.
 */
export function deriveProfileSchemas(beta: ReadonlyMap<string, JsonSchema>, profileRule: ProfileRules, baseUri: string): Map<string, JsonSchema> {
  const base = `${baseUri}${profileRule.graphVersion}/`;
  const derived = new Map<string, JsonSchema>();
  const queue = [...(profileRule.roots ?? [...beta.keys()])];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (derived.has(file)) continue;
    const source = beta.get(file);
    if (!source) throw new Error(`schemas/profiles.json names ${file}, which is not in schemas/`);
    const drop = new Set(profileRule.withoutProperties?.[file] ?? []);
    const dropMembers = new Set(profileRule.withoutEnumMembers?.[file] ?? []);
    const schema = rewrite(source, (ref) => `${base}${ref}`) as JsonSchema;
    schema.$id = `${base}${file}`;
    if (profileRule.descriptions?.[file]) schema.description = profileRule.descriptions[file];
    if (drop.size > 0) {
      schema.properties = Object.fromEntries(Object.entries(schema.properties as JsonSchema).filter(([name]) => !drop.has(name)));
      if (Array.isArray(schema.required)) schema.required = (schema.required as string[]).filter((name) => !drop.has(name));
    }
    if (dropMembers.size > 0) schema.enum = (schema.enum as unknown[]).filter((member) => !dropMembers.has(member as string));
    derived.set(file, schema);
    // What the profile's schema still references comes with it; what only a dropped property used does not.
    queue.push(...refsOf(schema).map((ref) => ref.slice(base.length)));
  }
  return new Map([...derived].sort(([a], [b]) => a.localeCompare(b)));
}

/** A deep copy of `node` with every relative `$ref` replaced by what `onRef` returns for it. */
function rewrite(node: unknown, onRef: (ref: string) => string): unknown {
  if (Array.isArray(node)) return node.map((item) => rewrite(item, onRef));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && !value.includes('://') ? onRef(value) : rewrite(value, onRef)]),
  );
}

function refsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsOf);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsOf(value)));
}
