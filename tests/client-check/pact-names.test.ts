// Outside tester J16: check-client's --consumer became part of a path: `../../x` wrote outside --pact-dir (making
// folders), `feature/x` made a subfolder `verify pacts/` does not read, '' wrote a pact no broker takes.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VPP_TOKENS_PROVIDER, pactFileProblem, writePact } from 'vpptokens-contract-kit/pact';
import { checkClient } from 'vpptokens-contract-kit/provider';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-pact-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('check-client and the names a pact file is named by', () => {
  it.each([
    ['../../J16-escaped/evil', '--consumer "../../J16-escaped/evil" is not a name a pact file can be named by: no /, \\ or control character (the pact would go outside --pact-dir)'],
    ['feature/vpp-onboarding', '--consumer "feature/vpp-onboarding" is not a name a pact file can be named by: no /, \\ or control character (the pact would go into another folder)'],
    ['', '--consumer is empty: give the name the pact is to know the client by'],
    // Outside tester M7: no file system takes a name past 255 bytes; the client ran, then "internal error: ENAMETOOLONG".
    ['a'.repeat(300), "--consumer makes the pact's file name (<consumer>-microsoft-graph-vpptokens.json) 331 bytes long: a file name may have at most 255 bytes, so give a name of at most 224 bytes"],
  ])('refuses --consumer %j before the client runs: exit 2, nothing written', async (consumer, said) => {
    const pacts = join(dir, 'a', 'b', 'pacts');
    const marker = join(dir, `ran-${Buffer.from(consumer).toString('hex')}`);
    const result = await vppkit(['check-client', '--consumer', consumer, '--pact-dir', pacts, '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`]);
    expect([result.code, result.stderr]).toEqual([2, `vppkit: ${said}\n`]);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'a', 'J16-escaped'))).toBe(false);
  });

  // A base64 secret holds a / (a shifted argument list puts it where --consumer goes): the refusal shows it by its
  // length, as every refused value is shown (shownOption, decision 0962); a short name is still quoted to be seen.
  it('shows a refused name by its length where it may hold a credential, a short one as typed', () => {
    const key = 'Zq8Rk2Lm9Xv4Tn7Wp3Yc/AbCdEfGhIjKl+Mn0=';
    const said = pactFileProblem({ consumer: key, provider: VPP_TOKENS_PROVIDER });
    expect(said).toBe(`--consumer (a string of ${key.length} characters, not shown: it may hold a credential) is not a name a pact file can be named by: no /, \\ or control character (the pact would go into another folder)`);
    expect(pactFileProblem({ consumer: 'c', provider: 'team\\graph' })).toBe('--provider (a string of 10 characters, not shown: it may hold a credential) is not a name a pact file can be named by: no /, \\ or control character (the pact would go into another folder)');
    expect(pactFileProblem({ consumer: 'c', provider: 'team/graph' })).toBe('--provider "team/graph" is not a name a pact file can be named by: no /, \\ or control character (the pact would go into another folder)');
  });

  it("takes a name up to the file name's 255 bytes, counted in UTF-8, and no longer", () => {
    const longest = 'é'.repeat(112); // 224 bytes
    expect(pactFileProblem({ consumer: longest, provider: VPP_TOKENS_PROVIDER })).toBeUndefined();
    expect(pactFileProblem({ consumer: `${longest}a`, provider: VPP_TOKENS_PROVIDER })).toMatch(/^--consumer makes the pact's file name \(<consumer>-microsoft-graph-vpptokens\.json\) 256 bytes long/);
    expect(pactFileProblem({ consumer: 'c', provider: 'p'.repeat(250) })).toMatch(/^--consumer makes the pact's file name/);
  });

  it("refuses a --consumer no file can be named by in the proxy's --record before it proxies anything", async () => {
    const result = await vppkit(['proxy', '--target', 'http://127.0.0.1:9', '--record', join(dir, 'recorded.json'), '--consumer', 'a'.repeat(300)]);
    expect([result.code, result.stderr]).toEqual([2, "vppkit: --consumer makes the pact's file name (<consumer>-microsoft-graph-vpptokens.json) 331 bytes long: a file name may have at most 255 bytes, so give a name of at most 224 bytes\n"]);
    await expect(writePact([], { consumer: 'a/b', dir })).rejects.toThrow('writePact: consumer "a/b" is not a name a pact file can be named by');
  });

  it('takes a name with dots, spaces and capitals, and the library refuses what the CLI refuses', async () => {
    await expect(checkClient({ command: process.execPath, args: ['-e', '0'], consumer: 'a/b', pactDir: join(dir, 'lib'), stdio: 'pipe' })).rejects.toThrow('checkClient: --consumer "a/b" is not a name a pact file can be named by');
    await expect(checkClient({ command: process.execPath, args: ['-e', '0'], provider: '', pactDir: join(dir, 'lib'), stdio: 'pipe' })).rejects.toThrow('checkClient: --provider is empty: give the name the pact is to know the provider by');
    const client = `fetch(process.env.VPPKIT_MOCK_URL + '/deviceAppManagement/vppTokens', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' }, body: JSON.stringify(${JSON.stringify({ token: Buffer.from(JSON.stringify({ token: 'n', expDate: '2041-01-01T00:00:00+0000', orgName: 'Contoso' })).toString('base64') })}) }).then((r) => process.exit(r.status === 201 ? 0 : 3))`;
    const result = await vppkit(['check-client', '--consumer', 'Intune Onboarding v2.1', '--pact-dir', join(dir, 'ok'), '--', process.execPath, '-e', client]);
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir, 'ok'))).toEqual(['Intune Onboarding v2.1-microsoft-graph-vpptokens.json']);
  });
});
