// The README's examples in one program, as a user's project would write them (scripts/try-packed.sh).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { createRequestFactory, formatProblems, generateText, problemsOf, schemaFor, validate, vppTokenFactory, type VppToken } from 'vpptokens-contract-kit';
import { VPP_TOKENS_PROVIDER, addInteraction, createInteraction, settleMockServer } from 'vpptokens-contract-kit/pact';
import { readFaultsFile, startReferenceProvider, verifyProvider } from 'vpptokens-contract-kit/provider';
import { conform, formatConformResult, parseCheckList, CONFORM_CHECKS } from 'vpptokens-contract-kit/conform';
import { startJudgingProxy } from 'vpptokens-contract-kit/proxy';
import { openApiDocument } from 'vpptokens-contract-kit/openapi';
import { comparePacts, formatCompareResult } from 'vpptokens-contract-kit/compare';
import { drift, formatDrift } from 'vpptokens-contract-kit/drift';

async function main(): Promise<void> {
  console.log('schema requires', schemaFor('request').required);
  const result = validate('request', { vppTokenAccountType: 'String' });
  if (!result.valid) console.log(formatProblems(result.problems));
  const token: VppToken = vppTokenFactory.withTraits('education').build();
  console.log('fixture', token.vppTokenAccountType, token.roleScopeTagIds);

  const dir = mkdtempSync(join(tmpdir(), 'pacts-'));
  try {
    const pact = new PactV4({ consumer: 'user-project', provider: VPP_TOKENS_PROVIDER, dir, logLevel: 'error' });
    const body = createRequestFactory.withSeed(7).withTraits('education').build();
    await addInteraction(pact, createInteraction('create an education VPP token', body)).executeTest(async (mockServer) => {
      const response = await fetch(`${mockServer.url}/deviceAppManagement/vppTokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
        body: JSON.stringify(body),
      });
      console.log('consumer pact test: mock answered', response.status);
      await settleMockServer(pact, mockServer);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const provider = await startReferenceProvider({ port: 0, log: () => undefined });
  try {
    const verified = await verifyProvider({ providerBaseUrl: provider.url, logLevel: 'error' });
    console.log(verified.summary);
    if (!verified.passed) process.exitCode = 1;
    const conformed = await conform({ providerBaseUrl: `${provider.url}/v1.0`, seed: 1, runs: 20, profile: 'v1.0' });
    console.log(conformed.summary);
    if (!conformed.passed) {
      console.log(formatConformResult(conformed));
      process.exitCode = 1;
    }
    // Issue 19: one interaction, a gateway header, Pact's provider-state set-up URL; checks and a budget for conform.
    const states: string[] = [];
    const stateServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => (states.push((JSON.parse(body) as { action: string }).action), res.writeHead(200).end()));
    });
    await new Promise<void>((resolve) => stateServer.listen(0, '127.0.0.1', resolve));
    try {
      const one = await verifyProvider({
        providerBaseUrl: provider.url,
        interaction: 'only its token',
        headers: { 'X-Gateway-Key': 'k' },
        providerStatesSetupUrl: `http://127.0.0.1:${(stateServer.address() as AddressInfo).port}/states`,
        logLevel: 'error',
      });
      console.log(one.summary, 'states:', states.join(','));
      if (!one.passed || states.join(',') !== 'setup,teardown') process.exitCode = 1;
    } finally {
      stateServer.close();
    }
    const budgeted = await conform({ providerBaseUrl: provider.url, seed: 1, runs: 20, checks: parseCheckList('status,response-schema', '--checks', CONFORM_CHECKS), maxRequests: 40 });
    console.log(budgeted.summary);
    if (!budgeted.passed) process.exitCode = 1;
    // README "Judging real traffic": a client's create through the judging proxy.
    const proxy = await startJudgingProxy({ target: `${provider.url}/beta` });
    const proxied = await fetch(`${proxy.url}/deviceAppManagement/vppTokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
      body: JSON.stringify(createRequestFactory.withSeed(8).build()),
    });
    await proxy.close();
    console.log('proxy:', proxied.status, `${proxy.violations.length} violations`);
    if (proxy.violations.length > 0) process.exitCode = 1;
  } finally {
    await provider.close();
  }

  console.log('openapi', openApiDocument('v1.0').openapi);
  const compared = await comparePacts([require.resolve('vpptokens-contract-kit/pacts/vppkit-canonical-consumer-microsoft-graph-vpptokens.json')]);
  console.log(compared.summary);
  if (!compared.passed) {
    console.log(formatCompareResult(compared));
    process.exitCode = 1;
  }
  // A metadata file is the user's (msgraph-metadata's CSDL); without one, drift says so in one line.
  const metadata = process.env.VPPKIT_METADATA;
  if (metadata) console.log(formatDrift(await drift({ metadata, profile: 'v1.0' })).split('\n').pop());
  // Issue 19: a fault profile file, RateLimit-* on a rate-limited 429, Graph error bodies.
  const faultsDir = mkdtempSync(join(tmpdir(), 'faults-'));
  try {
    writeFileSync(join(faultsDir, 'faults.json'), '{ "rateLimit": { "requests": 1, "seconds": 60 } }');
    const limited = await startReferenceProvider({ faults: readFaultsFile(join(faultsDir, 'faults.json')), log: () => undefined });
    try {
      const send = () => fetch(`${limited.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' }, body: '{"token":"abc"}' });
      await send();
      const throttled = await send();
      console.log('rate limited:', throttled.status, throttled.headers.get('ratelimit-limit'), throttled.headers.get('ratelimit-remaining'), throttled.headers.get('ratelimit-reset'));
      if (throttled.status !== 429 || throttled.headers.get('ratelimit-remaining') !== '0') process.exitCode = 1;
    } finally {
      await limited.close();
    }
  } finally {
    rmSync(faultsDir, { recursive: true, force: true });
  }
  const errors = [...generateText({ kind: 'error', count: 10, seed: 1 })].join('').trim().split('\n').map((line) => JSON.parse(line) as unknown);
  console.log('error bodies:', errors.length, 'valid:', errors.every((e) => problemsOf('error', e).length === 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
