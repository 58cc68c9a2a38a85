/** Rewrites the canonical contract in pacts/ (`npm run generate:pacts`), from fixtures and schema-derived matchers. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CANONICAL_CONSUMER, VPP_TOKENS_PROVIDER, canonicalInteractions, writePact } from '../src/contract';

const dir = join(__dirname, '..', 'pacts');
rmSync(join(dir, `${CANONICAL_CONSUMER}-${VPP_TOKENS_PROVIDER}.json`), { force: true });
writePact(canonicalInteractions(), { consumer: CANONICAL_CONSUMER, dir }).then(
  (file) => console.log(`wrote ${file}`),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
