import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The folder that holds the JSON Schemas: the single source of truth for everything else. */
export const SCHEMA_DIR = join(__dirname, '..', '..', 'schemas');
export const SCHEMA_BASE_URI = 'https://schemas.vpptokens-contract-kit.dev/';

export type JsonSchema = { [keyword: string]: unknown };

/** The schemas a payload can be checked against, by the name Graph's docs use for them. */
export const schemaFiles = {
  request: 'vpp-token-create-request.schema.json',
  response: 'vpp-token.schema.json',
  actionResult: 'vpp-token-action-result.schema.json',
  error: 'graph-error.schema.json',
} as const;
export type SchemaKind = keyof typeof schemaFiles;
export const schemaKinds = Object.keys(schemaFiles) as SchemaKind[];

let cache: Map<string, JsonSchema> | undefined;

/** Every schema document in schemas/, keyed by file name. */
export function loadSchemas(): Map<string, JsonSchema> {
  if (!cache) {
    cache = new Map();
    for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort()) {
      cache.set(file, JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as JsonSchema);
    }
  }
  return cache;
}

export function schemaFor(kind: SchemaKind): JsonSchema {
  return loadSchemas().get(schemaFiles[kind])!;
}

/** Follows `$ref`s until a schema that is not a reference. */
export function derefSchema(schema: JsonSchema): JsonSchema {
  let current = schema;
  while (typeof current.$ref === 'string') current = resolveRef(current.$ref);
  return current;
}

/** Resolves a `$ref` such as `date-time-offset.schema.json` to its schema document. */
export function resolveRef(ref: string): JsonSchema {
  const file = ref.startsWith(SCHEMA_BASE_URI) ? ref.slice(SCHEMA_BASE_URI.length) : ref;
  const schema = loadSchemas().get(file);
  if (!schema) throw new Error(`unknown schema reference ${ref}`);
  return schema;
}
