import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';

/**
 * One reference provider and one temporary folder for a whole test file: the provider starts before the file's
 * first test; both are gone after its last. Call it at the top of the file; read `provider` inside a test.
 */
export function referenceProviderForFile(prefix: string): { dir: string; readonly provider: ReferenceProvider } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let provider: ReferenceProvider | undefined;
  beforeAll(async () => {
    provider = await startReferenceProvider();
  });
  afterAll(async () => {
    await provider?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    get provider(): ReferenceProvider {
      if (!provider) throw new Error('the reference provider is started in beforeAll: read it inside a test');
      return provider;
    },
  };
}
