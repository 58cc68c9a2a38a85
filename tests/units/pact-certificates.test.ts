// The suite gives Pact's native verifier a certificate store that trusts nothing (tests/global-setup.js, decision 0252):
// it reads the system's root certificates for every request it sends, and in the suite it sends over plain HTTP to
// 127.0.0.1 only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CANONICAL_PACT, startReferenceProvider } from 'vpptokens-contract-kit/provider';
import { VPP_TOKENS_PROVIDER } from 'vpptokens-contract-kit/pact';

it('names an empty certificate folder in the run\'s temp folder and a file of one certificate that signs nothing the suite talks to', () => {
  const folder = process.env.SSL_CERT_DIR!;
  const file = process.env.SSL_CERT_FILE!;
  expect(folder).toBe(join(process.env.VPPKIT_JEST_TEMP!, 'no-certificates'));
  expect(statSync(folder).isDirectory()).toBe(true);
  expect(readdirSync(folder)).toEqual([]);
  // One certificate, not an empty file: pact-js 17's verifier cannot build its HTTP client from an empty one.
  expect(file).toBe(join(__dirname, '..', 'support', 'trusts-nothing.pem'));
  expect(readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(1);
  expect(readFileSync(file, 'utf8')).not.toContain('PRIVATE KEY');
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
