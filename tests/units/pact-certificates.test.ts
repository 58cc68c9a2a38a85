// The suite gives Pact's native verifier an empty certificate store (tests/global-setup.js, docs/decisions/0252):
// it reads the system's root certificates for every request it sends, and in the suite it sends over plain HTTP to
// 127.0.0.1 only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CANONICAL_PACT, startReferenceProvider } from 'vpptokens-contract-kit/provider';
import { VPP_TOKENS_PROVIDER } from 'vpptokens-contract-kit/pact';

it('names an existing certificate folder and file in the run\'s temp folder, with no certificate in them', () => {
  const folder = process.env.SSL_CERT_DIR!;
  const file = process.env.SSL_CERT_FILE!;
  expect(folder).toBe(join(process.env.VPPKIT_JEST_TEMP!, 'no-certificates'));
  expect(statSync(folder).isDirectory()).toBe(true);
  expect(dirname(file)).toBe(folder);
  for (const name of readdirSync(folder)) expect([name, readFileSync(join(folder, name), 'utf8')]).toEqual([name, '']);
});

it("lets Pact's own verifier verify the canonical contract against the reference provider over HTTP", async () => {
  const pactCore = require(require.resolve('@pact-foundation/pact-core', { paths: [dirname(require.resolve('@pact-foundation/pact/package.json'))] }))
    .default as typeof import('@pact-foundation/pact-core').default;
  pactCore.logLevel('error');
  const provider = await startReferenceProvider();
  try {
    await expect(pactCore.verifyPacts({ provider: VPP_TOKENS_PROVIDER, providerBaseUrl: provider.url, pactUrls: [CANONICAL_PACT], logLevel: 'error' })).resolves.toBeDefined();
  } finally {
    await provider.close();
  }
});
