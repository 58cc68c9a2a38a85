/**
 * Regenerates what derives from schemas/: src/generated/types.ts (beta), src/generated/types-v1.ts and the
 * schemas/v1.0/ documents (Graph v1.0, derived by schemas/profiles.json), with json-schema-to-typescript; and each
 * profile's validators, ajv's standalone code (src/generated/validators-<profile>-<set>.ts, docs/decisions/0186).
 * Usage: npm run generate            (write)
 *        npm run generate -- --check  (exit 1 when the committed files differ)
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderTypes } from './render-types';
import { loadSchemas, SCHEMA_DIR } from '../src/schemas';
import { standaloneKitCheckers, standaloneValidators, VALIDATOR_SETS } from '../src/validation/compile';
import { FAULTS_FILE_SCHEMA } from '../src/provider/faults';
import { REPORT_SCHEMA } from '../src/conform/select';

const root = join(__dirname, '..');
/** The kit's own input files' schemas, by the name src/validation/kit-checkers.ts asks for (docs/decisions/0446). */
export const KIT_FILE_SCHEMAS = { faults: FAULTS_FILE_SCHEMA, conformReport: REPORT_SCHEMA } as unknown as Record<string, Record<string, unknown>>;
const generated = join(root, 'src', 'generated');
const v1Dir = join(SCHEMA_DIR, 'v1.0');

/** Every generated file with the text it must hold. */
export async function generatedFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>([
    [join(generated, 'types.ts'), await renderTypes('beta')],
    [join(generated, 'types-v1.ts'), await renderTypes('v1.0')],
  ]);
  for (const [file, schema] of loadSchemas('v1.0')) files.set(join(v1Dir, file), `${JSON.stringify(schema, null, 2)}\n`);
  for (const [profile, name] of [['beta', 'beta'], ['v1.0', 'v1']] as const) {
    for (const set of VALIDATOR_SETS) files.set(join(generated, `validators-${name}-${set}.ts`), standaloneValidators(profile, set));
  }
  files.set(join(generated, 'validators-kit.ts'), standaloneKitCheckers(KIT_FILE_SCHEMAS));
  return files;
}

async function main(): Promise<void> {
  const files = await generatedFiles();
  const stale = existsSync(v1Dir) ? readdirSync(v1Dir).map((f) => join(v1Dir, f)).filter((f) => !files.has(f)) : [];
  if (process.argv.includes('--check')) {
    const differ = [...files].filter(([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text).map(([file]) => file);
    const wrong = [...differ, ...stale].map((f) => relative(root, f));
    if (wrong.length > 0) {
      console.error(`out of date: ${wrong.join(', ')}: run npm run generate`);
      process.exit(1);
    }
    return;
  }
  for (const file of stale) rmSync(file);
  for (const [file, text] of files) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${relative(root, file)}`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
