// Outside tester P15: a credential typed where a file goes (`vppkit validate "$VPP_TOKEN"`, a JWT given to verify or
// compare) came back whole in "cannot read ...", "pact file not found: ...", --json's error. Every command's output
// hides a command-line word that is a VPP token or a JWT, whatever line would have quoted it.
import { createRequestFactory } from 'vpptokens-contract-kit';
import { run as vppkit } from '../support/run-cli';

const sToken = createRequestFactory.withSeed(15).buildAt(0).token;
const segment = (text: string) => Buffer.from(text).toString('base64url');
const jwt = `${segment('{"typ":"JWT","alg":"RS256"}')}.${segment('{"aud":"https://graph.microsoft.com","sub":"p15"}')}.${segment('signature-of-p15-typed')}`;
const leaks = (text: string) => [sToken.slice(20, 60), segment('signature-of-p15-typed')].filter((part) => text.includes(part));

describe('a credential typed where a file goes', () => {
  it.each([
    ['validate', ['validate', sToken]],
    ['validate --json', ['validate', '--json', sToken]],
    ['seed --from', ['seed', '--target', 'http://127.0.0.1:9/beta', '--from', sToken, '--bearer', 'abcdefghijklmnop', '--report', '/tmp/vppkit-p15-never.ndjson']],
    ['verify', ['verify', jwt]],
    ['verify --json', ['verify', '--json', jwt]],
    ['compare', ['compare', jwt]],
  ])('is never shown by %s', async (_name, args) => {
    const result = await vppkit(args);
    expect(result.code).toBe(2);
    expect(leaks(result.stdout + result.stderr)).toEqual([]);
    expect(result.stdout + result.stderr).toMatch(/\S/);
  });

  it('is said to be a VPP token, with what validate takes instead', async () => {
    const result = await vppkit(['validate', sToken]);
    expect(result.stderr).toContain('is a VPP token (an sToken), not a file');
    expect(result.stderr).toContain("echo '{\"token\":\"...\"}' | vppkit validate -");
  });

  it('leaves a file name that is no credential as it is', async () => {
    const result = await vppkit(['validate', '/tmp/no-such-vppkit-p15-file.ndjson']);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining('/tmp/no-such-vppkit-p15-file.ndjson')]);
  });
});

it("hides no more than a credential: a client's code that holds an sToken is no credential typed", async () => {
  const { typedCredentials } = await import('../../src/net/redact');
  const code = `fetch(url, { body: '{"token":"${sToken}"}' })`;
  expect(typedCredentials(['validate', sToken, `--from=${sToken}`, jwt, code, '/tmp/tokens.ndjson', 'eyJhbGciOi'])).toEqual([sToken, sToken, jwt]);
});
