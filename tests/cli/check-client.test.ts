// vppkit check-client's exit codes and --json, as a CI job sees them.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vppkit } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-cli-check-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const good = `console.log('the client says hello'); fetch(process.env.VPPKIT_MOCK_URL + '/deviceAppManagement/vppTokens', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' }, body: '{"token":"abc"}' }).then((r) => process.exit(r.status === 201 ? 0 : 3))`;

describe('vppkit check-client', () => {
  it('exits 2 when the client command does not exist', async () => {
    const result = await vppkit(['check-client', '--pact-dir', dir, '--', 'no-such-client-binary-4711']);
    expect(result.stderr).toBe('vppkit: command not found: no-such-client-binary-4711\n');
    expect(result.code).toBe(2);
  });

  it('refuses a --pact-dir that is a file before running the client', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const marker = join(dir, 'client-ran');
    const result = await vppkit(['check-client', '--pact-dir', file, '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`]);
    expect(result.stderr).toBe(`vppkit: --pact-dir ${file} is a file, not a folder\n`);
    expect(result.code).toBe(2);
    expect(existsSync(marker)).toBe(false);
  });

  it('prints a JSON summary with --json', async () => {
    const result = await vppkit(['check-client', '--json', '--pact-dir', dir, '--consumer', 'json-client', '--', process.execPath, '-e', good]);
    expect(result.code).toBe(0);
    // stdout is the report's alone: the client's own output goes to stderr.
    expect(result.stderr).toBe('the client says hello\n');
    expect(JSON.parse(result.stdout)).toEqual({
      command: 'check-client',
      passed: true,
      exitCode: 0,
      client: { exitCode: 0, signal: null, timedOut: false },
      requests: [{ method: 'POST', path: '/deviceAppManagement/vppTokens', query: '', kind: 'create', status: 201, problems: [] }],
      failures: [],
      pactFile: join(dir, 'json-client-microsoft-graph-vpptokens.json'),
      summary: '1 request checked: 1 kept the contract, 0 broke it; client exit code 0',
    });
  });

  it('reports a timeout with a fractional --timeout: exit 1', async () => {
    const result = await vppkit(['check-client', '--timeout', '1.5', '--pact-dir', dir, '--', process.execPath, '-e', 'setInterval(() => {}, 1000)']);
    expect(result.stdout).toContain('check-client: the client did not finish within 1.5 s: its process group was stopped');
    expect(result.code).toBe(1);
  });
});
