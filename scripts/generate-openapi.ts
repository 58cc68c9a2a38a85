/** Rewrites the OpenAPI documents in openapi/ (`npm run generate:openapi`), one per Graph profile, from the schemas. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_DIR, openApiFile, openApiText } from '../src/openapi';
import { PROFILES } from '../src/schemas';

mkdirSync(OPENAPI_DIR, { recursive: true });
for (const profile of PROFILES) {
  const file = join(OPENAPI_DIR, openApiFile(profile));
  writeFileSync(file, openApiText(profile));
  console.log(`wrote ${file}`);
}
