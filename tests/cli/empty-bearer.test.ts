// Outside attacker R117 (decision 0992): `--bearer "$TOKEN"` with TOKEN unset (a fork's pull request without the
// secret) was refused as "a character an HTTP header cannot carry" by verify, conform and seed; `--bearer undefined`
// was sent as is. One reading in every command, before anything is sent (exit 2); seed's VPPKIT_BEARER read the same.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../support/run-cli';

// Nothing listens here: a command that got past the bearer would say it could not connect, not what is asserted.
const TARGET = 'http://127.0.0.1:9/beta';
const commands: [string, string[]][] = [
  ['verify', ['verify', '--provider-base-url', TARGET]],
  ['conform', ['conform', '--provider-base-url', TARGET]],
  ['seed', ['seed', '--target', TARGET, '--count', '1']],
];
const EMPTY = 'the bearer is empty: no access token was given (an unset variable?)';

it.each(commands)('%s refuses an empty --bearer, and `--bearer undefined`, as no access token given', async (_name, argv) => {
  const empty = await run([...argv, '--bearer', '']);
  expect([empty.code, empty.stderr.trim().split('\n').pop()]).toEqual([2, `vppkit: --bearer: ${EMPTY}`]);
  const word = await run([...argv, '--bearer', 'undefined']);
  expect([word.code, word.stderr.trim().split('\n').pop()]).toEqual([2, `vppkit: --bearer: the bearer is "undefined", a programming language's word for no value: no access token was given (an unset variable?)`]);
});

it('seed reads an empty VPPKIT_BEARER as it reads an empty --bearer; a bearer given goes on to the target', async () => {
  const empty = await run(['seed', '--target', TARGET, '--count', '1'], { env: { VPPKIT_BEARER: '' } });
  expect([empty.code, empty.stderr.trim().split('\n').pop()]).toEqual([2, `vppkit: VPPKIT_BEARER: ${EMPTY}`]);
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-empty-bearer-'));
  try {
    const given = await run(['seed', '--target', TARGET, '--count', '1', '--max-attempts', '1', '--report', join(dir, 'report.ndjson')], { env: { VPPKIT_BEARER: 'Tk3nAbCdEfGhIjKlMnOpQr' } });
    expect(given.stderr).not.toContain('the bearer');
    expect(given.stderr).toMatch(/cannot connect to 127\.0\.0\.1:9/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// VPPKIT_BEARER is seed's; verify and conform do not read it (a variable set for seed is not sent unasked to another
// provider), and say so once, empty or not, never its value; with --bearer given there is nothing to say.
it.each(commands.slice(0, 2))('%s says VPPKIT_BEARER is not read when it is set and --bearer is not given', async (name, argv) => {
  const NOTE = `vppkit: note: VPPKIT_BEARER is seed's: ${name} takes the access token by --bearer alone and does not read the variable`;
  for (const value of ['', 'Tk3nAbCdEfGhIjKlMnOpQr']) {
    const set = await run(argv, { env: { VPPKIT_BEARER: value } });
    expect(set.stderr.split('\n')).toContain(NOTE);
    if (value) expect(set.stderr).not.toContain(value);
  }
  const given = await run([...argv, '--bearer', 'Tk3nAbCdEfGhIjKlMnOpQr'], { env: { VPPKIT_BEARER: 'Tk3nAbCdEfGhIjKlMnOpQr' } });
  expect(given.stderr).not.toContain('VPPKIT_BEARER');
});
