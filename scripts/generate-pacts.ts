/** Rewrites the canonical contracts in pacts/ (`npm run generate:pacts`), one per Graph profile, from fixtures and schema-derived matchers. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { VPP_TOKENS_PROVIDER, canonicalConsumer, canonicalInteractions, writePact } from '../src/contract';
import { PROFILES } from '../src/schemas';

const dir = join(__dirname, '..', 'pacts');

async function main(): Promise<void> {
  for (const profile of PROFILES) {
    const consumer = canonicalConsumer(profile);
    rmSync(join(dir, `${consumer}-${VPP_TOKENS_PROVIDER}.json`), { force: true });
    console.log(`wrote ${await writePact(canonicalInteractions(profile), { consumer, dir })}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
