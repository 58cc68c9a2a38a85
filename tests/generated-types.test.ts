import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

describe('src/generated/types.ts', () => {
  it('matches what npm run generate produces from schemas/ (beta and v1.0 types, schemas/v1.0/)', () => {
    // In a child process: json-schema-to-typescript formats with prettier 3, whose dynamic imports jest's VM refuses.
    const run = () =>
      execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/generate-types.ts', '--check'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    expect(run).not.toThrow();
  });

  it('declares one named type per schema, exact (no index signatures)', () => {
    const text = readFileSync(join(root, 'src', 'generated', 'types.ts'), 'utf8');
    for (const name of ['VppTokenCreateRequest', 'VppToken', 'VppTokenActionResult', 'GraphError', 'VppTokenState', 'VppTokenAccountType', 'VppTokenSyncStatus', 'ActionState', 'AppleDeviceDeliveryProtocol', 'DateTimeOffset']) {
      expect(text).toMatch(new RegExp(`export (interface|type) ${name}\\b`));
    }
    expect(text).not.toMatch(/export (interface|type) \w+\d\b/);
    expect(text).not.toMatch(/\[k: string\]: unknown/);
  });
});

describe('src/generated/types-v1.ts', () => {
  it('declares the v1.0 types, without the beta-only ones', () => {
    const text = readFileSync(join(root, 'src', 'generated', 'types-v1.ts'), 'utf8');
    for (const name of ['VppTokenCreateRequest', 'VppToken', 'GraphError', 'VppTokenState', 'VppTokenAccountType', 'VppTokenSyncStatus', 'DateTimeOffset']) {
      expect(text).toMatch(new RegExp(`export (interface|type) ${name}\\b`));
    }
    for (const gone of ['VppTokenActionResult', 'ActionState', 'AppleDeviceDeliveryProtocol', 'duplicateLocationId', 'displayName', 'roleScopeTagIds']) {
      expect(text).not.toContain(gone);
    }
  });
});
