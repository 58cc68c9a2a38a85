// Outside tester M19: `--out -`, `--report -`, `--junit -` wrote a file named `-` in the working folder (exit 0,
// nothing on stdout), which the next command's `--junit -` overwrote. The kit reads `-` as the standard stream, as
// POSIX utilities do: an output option refuses it, in one line, before anything runs; an input option keeps it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANONICAL_PACT } from 'vpptokens-contract-kit/provider';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-output-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an output file named -', () => {
  it.each([
    [['openapi', '--out', '-'], 'vppkit: --out -: give a file name (- is not the standard output here; without --out, vppkit openapi writes to stdout)'],
    [['generate', '--count', '1', '--out', '-'], 'vppkit: --out -: give a file name (- is not the standard output here; without --out, vppkit generate writes to stdout)'],
    [['compare', '--junit', '-', CANONICAL_PACT], 'vppkit: --junit -: give a file name (- is not the standard output here)'],
    [['seed', '--target', 'http://127.0.0.1:9/beta', '--count', '1', '--report', '-'], 'vppkit: --report -: give a file name (- is not the standard output here)'],
    [['proxy', '--target', 'http://127.0.0.1:9', '--har', '-'], 'vppkit: --har -: give a file name (- is not the standard output here)'],
  ])('is refused: vppkit %j, exit 2, nothing written', async (args, said) => {
    const result = await vppkit(args, { cwd: dir });
    expect([result.code, result.stderr, result.stdout]).toEqual([2, `${said}\n`, '']);
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('is still stdin for an input: validate - reads the standard input', async () => {
    const result = await vppkit(['validate', '-'], { input: '', cwd: dir });
    expect(result.stderr).not.toContain('give a file name');
  });
});
