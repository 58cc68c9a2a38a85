// --profile beta|v1.0 on verify, check-client, generate, validate and seed, as a user runs them (built dist/).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequestFactory, problemsOf } from 'vpptokens-contract-kit';
import { referenceProviderForFile } from '../support/file-provider';
import { run as vppkit } from '../support/run-cli';
import { startV1OnlyProvider } from '../support/v1-only-provider';

const shared = referenceProviderForFile('vppkit-profile-cli-');
const { dir } = shared;

describe('generate and validate', () => {
  it('generate --profile v1.0 prints the v1.0 records of the library, which validate --profile v1.0 accepts', async () => {
    const generated = await vppkit(['generate', '--profile', 'v1.0', '--count', '5', '--seed', '8', '--trait', 'full']);
    expect(generated.code).toBe(0);
    const records = generated.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(records).toEqual(createRequestFactory.withProfile('v1.0').withSeed(8).withTraits('full').buildList(5));
    for (const r of records) expect(problemsOf('request', r, 'v1.0')).toEqual([]);
    const validated = await vppkit(['validate', '--profile', 'v1.0', '-'], { input: generated.stdout });
    expect(validated.stdout).toBe('vppkit validate: 5 records read: 5 valid, 0 invalid\n');
    expect(validated.code).toBe(0);
  });

  it('validate --profile v1.0 reports beta-only properties as unknown: exit 1', async () => {
    const beta = JSON.stringify(createRequestFactory.withSeed(8).buildAt(0));
    const result = await vppkit(['validate', '--profile', 'v1.0', '-'], { input: beta });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ {2}\/displayName: is not a known property \(allowed: /m);
    expect((await vppkit(['validate', '-'], { input: beta })).code).toBe(0);
  });

  it('refuses an unknown profile and a beta-only trait in one line: exit 2', async () => {
    const unknown = await vppkit(['validate', '--profile', 'v2', '-'], { input: '{}' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--profile must be one of beta, v1.0 (got "v2")');
    const trait = await vppkit(['generate', '--profile', 'v1.0', '--trait', 'withActionResults']);
    expect(trait.code).toBe(2);
    expect(trait.stderr).toBe('vppkit: --trait: vppToken create request trait "withActionResults" does not exist in Graph v1.0: v1.0 has no tokenActionResults\n');
  });
});

describe('verify', () => {
  it('--profile v1.0 passes the reference provider\'s /v1.0 and a v1.0-only provider, which the beta contract fails', async () => {
    const reference = await vppkit(['verify', '--profile', 'v1.0', '--provider-base-url', `${shared.provider.url}/v1.0`]);
    expect(reference.stdout).toContain(`vppkit verify: 18 interactions verified against ${shared.provider.url}/v1.0: 18 passed, 0 failed`);
    expect(reference.code).toBe(0);
    const v1Only = await startV1OnlyProvider();
    try {
      const v1 = await vppkit(['verify', '--profile', 'v1.0', '--provider-base-url', v1Only.url]);
      expect(v1.stdout).toContain("18 passed, 0 failed");
      expect(v1.code).toBe(0);
      const beta = await vppkit(['verify', '--provider-base-url', v1Only.url]);
      expect(beta.stdout).toContain('13 passed, 5 failed');
      expect(beta.code).toBe(1);
    } finally {
      await v1Only.close();
    }
  });
});

describe('seed and check-client', () => {
  it('seed --profile v1.0 creates v1.0 records at /v1.0, where beta records are refused', async () => {
    const report = join(dir, 'v1.ndjson');
    const v1 = await vppkit(['seed', '--profile', 'v1.0', '--target', `${shared.provider.url}/v1.0`, '--count', '4', '--bearer', 't', '--report', report]);
    expect(v1.stdout).toMatch(/^vppkit seed: 4 records: 4 created, 0 failed/);
    expect(v1.code).toBe(0);
    const beta = await vppkit(['seed', '--target', `${shared.provider.url}/v1.0`, '--count', '2', '--bearer', 't', '--report', join(dir, 'beta.ndjson')]);
    expect(beta.stdout).toMatch(/^vppkit seed: 2 records: 0 created, 2 failed/);
    expect(beta.code).toBe(1);
    const file = join(dir, 'beta-records.ndjson');
    writeFileSync(file, JSON.stringify(createRequestFactory.buildAt(0)));
    const fromFile = await vppkit(['seed', '--profile', 'v1.0', '--target', `${shared.provider.url}/v1.0`, '--from', file, '--bearer', 't', '--report', join(dir, 'file.ndjson')]);
    expect(fromFile.stdout).toMatch(/0 created, 0 failed, 1 invalid/);
  });

  it('check-client --profile v1.0 judges by v1.0, with or without the /v1.0 prefix, and writes a v1.0 pact', async () => {
    const client = join(__dirname, '..', 'client-check', 'clients', 'raw-client.js');
    const v1Body = createRequestFactory.withProfile('v1.0').buildAt(0);
    // Two tokens: one token created twice fails \`no duplicate\` (decision 0205).
    const requests = JSON.stringify([{ body: v1Body }, { path: '/v1.0/deviceAppManagement/vppTokens', body: createRequestFactory.withProfile('v1.0').buildAt(1) }]);
    const passed = await vppkit(['check-client', '--profile', 'v1.0', '--consumer', 'v1-client', '--pact-dir', dir, '--', process.execPath, client, requests]);
    expect(passed.stdout).toContain('request 2: POST /v1.0/deviceAppManagement/vppTokens -> 201 ok');
    expect(passed.code).toBe(0);
    const pactFile = JSON.parse(readFileSync(join(dir, 'v1-client-microsoft-graph-vpptokens.json'), 'utf8')) as { interactions: { response: { body: { content: object } } }[] };
    expect(Object.keys(pactFile.interactions[0].response.body.content)).not.toContain('claimTokenManagementFromExternalMdm');
    const beta = JSON.stringify([{ body: createRequestFactory.buildAt(0) }]);
    const failed = await vppkit(['check-client', '--profile', 'v1.0', '--pact-dir', dir, '--', process.execPath, client, beta]);
    expect(failed.stdout).toMatch(/ {2}body \/displayName: is not a known property/);
    expect(failed.code).toBe(1);
  });
});
