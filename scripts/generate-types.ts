/**
 * Regenerates src/generated/ from schemas/ with json-schema-to-typescript.
 * Usage: npm run generate            (write)
 *        npm run generate -- --check  (exit 1 when the committed files differ)
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderTypes } from './render-types';

const outFile = join(__dirname, '..', 'src', 'generated', 'types.ts');

async function main(): Promise<void> {
  const text = await renderTypes();
  if (process.argv.includes('--check')) {
    const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
    if (current !== text) {
      console.error('src/generated/types.ts is out of date: run npm run generate');
      process.exit(1);
    }
    return;
  }
  mkdirSync(join(outFile, '..'), { recursive: true });
  writeFileSync(outFile, text);
  console.log(`wrote ${outFile}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
