/** Rewrites the catalog's files in fixtures/ (`npm run generate:fixtures`). Hand-added cases are left alone. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderFixtureFiles } from './fixture-catalog';

const root = join(__dirname, '..', 'fixtures');
for (const [path, text] of renderFixtureFiles()) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
console.log(`wrote ${renderFixtureFiles().size} files under fixtures/`);
