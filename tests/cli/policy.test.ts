// The exit-code policy, stray arguments and secrets in --help, as a user meets them (README "Exit codes").
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { CANONICAL_PACT as CANONICAL } from 'vpptokens-contract-kit/provider';
import { BIN } from '../support/cli';
import { withHttpFetch } from '../support/http-fetch';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const STACK = /\n\s+at /;

/** Runs a shell line with vppkit in it, as `vppkit ... | head` or `> /dev/full` would run. */
const shell = (line: string): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn('sh', ['-c', line.replaceAll('VPPKIT', `"${process.execPath}" "${BIN}"`)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

describe('the exit-code policy', () => {
  it('is printed by vppkit --help', async () => {
    const help = await vppkit(['--help']);
    expect(help.stdout).toMatch(/Exit codes \(every command\):\n\s+0\s+success\n\s+1\s+the check failed/);
    expect(help.stdout).toMatch(/\n\s+2\s+vppkit could not do the job/);
    expect(help.stdout).toMatch(/\n\s+130\s+interrupted/);
    expect(help.stdout).toContain('--debug');
  });

  it('ends quietly when the reader goes away: validate bad.ndjson | head', async () => {
    const bad = file('many-bad.ndjson', '{"token":1}\n'.repeat(20_000));
    const result = await shell(`VPPKIT validate "${bad}" | head -n 1`);
    expect(result.stdout.split('\n')[0]).toBe('record 0 (line 1): invalid request, 1 problem:');
    expect(result.stderr).toBe('');
  });

  it('says the disk is full in one line, exit 2: generate > /dev/full', async () => {
    const result = await shell('VPPKIT generate --count 50000 > /dev/full; echo "exit $?"');
    expect(result.stderr).toBe('vppkit: writing the output: no space left on the device (ENOSPC)\n');
    expect(result.stdout).toBe('exit 2\n');
  });

  // Outside tester K18: a command whose whole output is one short write to a file on a full disk exited 0 with nothing
  // written; Node says a file's write failed only on the next tick, after the command had returned its verdict.
  it.each([
    ['validate', 'validate "$G"'],
    ['validate --json', 'validate "$G" --json'],
    ['openapi', 'openapi'],
    ['compare --json', `compare --no-comparator "${CANONICAL}" --json`],
  ])('says the disk is full in one line, exit 2: %s > /dev/full, where it exits 0 with room', async (_name, command) => {
    const records = file('three.ndjson', `${createRequestFactory.buildList(3).map((r) => JSON.stringify(r)).join('\n')}\n`);
    const full = await shell(`G="${records}"; VPPKIT ${command} > /dev/full; echo "exit $?"`);
    expect([full.stdout, full.stderr]).toEqual(['exit 2\n', 'vppkit: writing the output: no space left on the device (ENOSPC)\n']);
    const room = await shell(`G="${records}"; VPPKIT ${command} > /dev/null; echo "exit $?"`);
    expect([room.stdout, room.stderr]).toEqual(['exit 0\n', '']);
  });

  it.each([
    ['an empty input', ['validate', '-'], '', 'vppkit: cannot read the records: the input is empty'],
    ['a folder for --out', ['generate', '--out', dir], undefined, `vppkit: cannot write ${dir}: it is a directory (EISDIR)`],
    ['a missing file', ['validate', join(dir, 'no-such.ndjson')], undefined, `vppkit: cannot read ${join(dir, 'no-such.ndjson')}: no such file or folder (ENOENT)`],
  ])('turns %s into one line and exit 2', async (_case, args, input, message) => {
    const result = await vppkit(args, { input });
    expect(result.stderr.slice(0, message.length)).toBe(message);
    expect(result.stderr).not.toMatch(STACK);
    expect(result.code).toBe(2);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('exits 130 on %s, stopping what it started', async (signal) => {
    // check-client with a client that says it runs, then waits: vppkit is then surely listening for signals.
    const marker = join(dir, `running-${signal}`);
    const client = `require('fs').writeFileSync(${JSON.stringify(marker)}, String(process.pid)); setInterval(() => {}, 1000)`;
    const child = spawn(process.execPath, [BIN, 'check-client', '--pact-dir', dir, '--', process.execPath, '-e', client], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    while (!existsSync(marker) || readFileSync(marker, 'utf8') === '') await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill(signal);
    expect(await closed).toBe(130);
    expect(stdout).toContain(`check-client: interrupted by ${signal}: the client's process group was stopped`);
  });

  it('shows the stack trace only with --debug', async () => {
    const plain = await vppkit(['validate', '-'], { input: '' });
    const debug = await vppkit(['validate', '-', '--debug'], { input: '' });
    expect(plain.stderr).not.toMatch(STACK);
    expect(debug.stderr).toMatch(STACK);
    expect(debug.code).toBe(2);
  });
});

// Decision 0220 (outside tester I23): a run that judged nothing exited 2 in conform, 1 in compare and check-client and 0
// in seed --count 0. One rule now: a failure found is 1; a run that found none and judged nothing is no verdict, 2.
describe('a run that judged nothing', () => {
  const listOnly = { consumer: { name: 'list-app' }, provider: { name: 'microsoft-graph-vpptokens' }, interactions: [{ description: 'list them', request: { method: 'GET', path: '/beta/deviceAppManagement/vppTokens' }, response: { status: 200 } }], metadata: { pactSpecification: { version: '3.0.0' } } };
  // Through node:http, with fetch's interface (decision 0711).
  const listing = withHttpFetch(`fetch(process.env.VPPKIT_MOCK_URL + '/deviceAppManagement/vppTokens', { headers: { Authorization: 'Bearer t' } }).then((r) => process.exit(r.status === 200 ? 0 : 3))`);

  it('is no verdict in compare: exit 2, said, and --json says exitCode 2', async () => {
    const pact = file('list-only.json', JSON.stringify(listOnly));
    const text = await vppkit(['compare', pact]);
    expect(text.stdout).toMatch(/\nvppkit compare: 1 pact, 0 interactions against Graph beta: nothing judged, no verdict: /);
    expect(text.code).toBe(2);
    const json = await vppkit(['compare', '--json', pact]);
    expect(JSON.parse(json.stdout)).toMatchObject({ command: 'compare', passed: false, exitCode: 2, nothingJudged: expect.stringMatching(/^no interaction creates or reads a vppToken/) });
    expect(json.code).toBe(2);
  });

  it('is no verdict in check-client: a client that made no request, or only reads, exits 2 with "no verdict"', async () => {
    const none = await vppkit(['check-client', '--pact-dir', dir, '--', process.execPath, '-e', '0']);
    expect(none.stdout).toContain('check-client: the client made no request to VPPKIT_MOCK_URL\n');
    expect(none.stdout).toMatch(/\nvppkit check-client: no verdict: 0 requests checked/);
    expect(none.code).toBe(2);
    const reads = await vppkit(['check-client', '--json', '--pact-dir', dir, '--', process.execPath, '-e', listing]);
    expect(JSON.parse(reads.stdout)).toMatchObject({ passed: false, exitCode: 2, nothingJudged: expect.stringMatching(/^the client made no create/) });
    expect(reads.code).toBe(2);
  });

  it('stays a failure (1) in check-client when something was found: a client that made no request and exited 1', async () => {
    const result = await vppkit(['check-client', '--pact-dir', dir, '--', process.execPath, '-e', 'process.exit(1)']);
    expect(result.stdout).toContain('check-client: the client exited with code 1\n');
    expect(result.stdout).toMatch(/\nvppkit check-client: failed: /);
    expect(result.code).toBe(1);
  });

  it('is no verdict in conform: a budget spent before the first request was judged, exit 2', async () => {
    const result = await vppkit(['conform', '--seed', '1', '--max-requests', '1']);
    expect(result.stderr).toMatch(/^vppkit: conform judged no request: --max-requests 1 reached before the first one could be sent and judged/);
    expect(result.code).toBe(2);
  });

  it('is refused in seed: --count 0 sends nothing, exit 2 before the report is written', async () => {
    const report = join(dir, 'count-0.ndjson');
    const result = await vppkit(['seed', '--target', 'http://127.0.0.1:9/beta', '--bearer', 'eyJhbGciOiJub25lIn0.cG9saWN5.', '--count', '0', '--report', report]);
    expect(result.stderr).toBe('vppkit: --count 0: nothing to send (seed sends at least one record; give --count 1 or more)\n');
    expect(result.code).toBe(2);
    expect(existsSync(report)).toBe(false);
  });
});

describe('a bug in vppkit', () => {
  it('is one line saying what to report, exit 2, and the stack only with --debug', () => {
    const { reportFailure } = require('../../src/cli/main') as typeof import('../../src/cli/main');
    const written: string[] = [];
    const stderr = { write: (text: string) => written.push(text) };
    expect(reportFailure(new TypeError("Cannot read properties of undefined (reading 'x')"), false, stderr)).toBe(2);
    expect(reportFailure(new TypeError('again'), true, stderr)).toBe(2);
    expect(written[0]).toBe(
      "vppkit: internal error (a bug in vppkit): Cannot read properties of undefined (reading 'x')\nPlease report it with the command you ran and the output of the same command with --debug.\n",
    );
    expect(written[1]).toMatch(/^vppkit: internal error \(a bug in vppkit\): again\nTypeError: again\n\s+at /);
  });
});

describe('no argument is ignored', () => {
  it('refuses generate 1000 with a hint', async () => {
    const result = await vppkit(['generate', '1000']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('vppkit: generate takes no arguments (got "1000"): did you mean --count 1000?');
  });

  it.each([
    [['serve', 'extra'], 'serve takes no arguments (got "extra")'],
    [['seed', '--target', 'http://127.0.0.1:9', '--count', '1', 'extra'], 'seed takes no arguments (got "extra")'],
    [['generate', '--count', '1', 'x'], 'generate takes no arguments (got "x")'],
    // Named, not commander's "Expected 0 arguments but got 1" (outside tester G23).
    [['conform', '200'], 'conform takes no arguments (got "200")'],
    [['openapi', 'a', 'b'], 'openapi takes no arguments (got "a")'],
    // A bearer typed without --bearer is a credential: its length only.
    [['seed', '--target', 'http://127.0.0.1:9', '--count', '1', 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.'], 'seed takes no arguments (got an argument of 40 characters, not shown)'],
  ])('refuses a stray argument, naming it: %j', async (args, said) => {
    const result = await vppkit(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`^vppkit: ${said.replace(/[()."]/g, '\\$&')}`));
  });

  // Outside tester H26: --version, --help and help printed and ended the run, the stray argument ignored (exit 0).
  it.each([
    [['--version', 'extra'], '--version takes no arguments (got "extra")'],
    [['-V', 'extra'], '--version takes no arguments (got "extra")'],
    [['help', 'verify', 'extra'], 'help takes one command (got "extra" after verify)'],
    [['help', 'extra'], 'help: unknown command "extra" (run vppkit --help for the commands)'],
    [['verify', '--help', 'extra'], '--help shows verify\'s help and takes no argument beside it (got "extra")'],
    [['conform', '--seed', '3', '-h', 'x'], '--help shows conform\'s help and takes no argument beside it (got "x")'],
    // Outside tester I23: the top level's --help and -h too.
    [['--help', 'extra'], '--help takes no arguments (got "extra")'],
    [['-h', 'verify'], '--help takes no arguments (got "verify"): for a command\'s help, vppkit verify --help'],
  ])('refuses a stray argument beside --version or --help, naming it: %j', async (args, said) => {
    const result = await vppkit(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`vppkit: ${said}\n`);
  });

  // Outside tester J22: commander kept the last value and dropped the first without a word.
  it.each([
    [['generate', '--count', '2', '--count', '3'], '--count', 'generate'],
    [['generate', '--profile', 'v1.0', '--profile', 'beta'], '--profile', 'generate'],
    [['validate', '--kind', 'response', '--kind=request', '-'], '--kind', 'validate'],
    [['verify', '--provider-base-url', 'http://127.0.0.1:1/beta', '--provider-base-url', 'http://127.0.0.1:2/beta'], '--provider-base-url', 'verify'],
    // A credential's value is never shown: neither value is in the message.
    // Its report in the test's folder: a run that went ahead would leave it there, not in the repository.
    [['seed', '--target', 'http://127.0.0.1:9/beta', '--count', '1', '--report', join(dir, 'twice.ndjson'), '--bearer', 'eyJhbGciOiJub25lIn0.Zmlyc3Q.', '--bearer', 'eyJhbGciOiJub25lIn0.c2Vjb25k.'], '--bearer', 'seed'],
  ])('refuses an option that takes one value given twice, naming it: %j', async (args, option, command) => {
    const result = await vppkit(args, { input: '' });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `vppkit: ${option} is given twice: it takes one value (run vppkit ${command} --help for usage)\n` });
  });

  it.each([
    [['generate', '--count', '1', '--seed', '1', '--trait', 'education', '--trait', 'minimal'], /"vppTokenAccountType":"education"/],
    [['validate', '--schema-tokens', '--json', '--json', '-'], /"passed": true/],
  ])('takes a repeatable option, or a flag, given twice: %j', async (args, said) => {
    const result = await vppkit(args, { input: '{"token":"dGhpcyBpcyBhIHRva2Vu"}\n' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(said);
  });

  // Outside tester J30: a user and password in a base URL were dropped without a word (the gateway then answered
  // 401 and --bearer was blamed); a query there was already refused. Neither is shown.
  it.each([
    [['verify', '--provider-base-url', 'http://gwuser:GwPassw0rd@127.0.0.1:9/beta'], '--provider-base-url', "give a gateway's credentials with --header, the bearer with --bearer"],
    [['conform', '--provider-base-url', 'http://gwuser:GwPassw0rd@127.0.0.1:9/beta'], '--provider-base-url', "give a gateway's credentials with --header, the bearer with --bearer"],
    // Each command names the options it has: seed takes --header too (outside tester Q13), the proxy forwards the client's own.
    [['seed', '--target', 'http://gwuser:GwPassw0rd@127.0.0.1:9/beta', '--count', '1', '--report', join(dir, 'userinfo.ndjson'), '--bearer', 'eyJhbGciOiJub25lIn0.dXNlcmluZm8.'], '--target', "give a gateway's credentials with --header, the bearer with --bearer"],
    [['proxy', '--target', 'http://gwuser:GwPassw0rd@127.0.0.1:9/beta', '--port', '0'], '--target', "the client's own Authorization header is forwarded"],
  ])('refuses a user and password in a base URL, showing neither: %j', async (args, option, instead) => {
    const result = await vppkit(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`vppkit: ${option} must not carry a user or password (user:password@ is not sent: RFC 9110 §4.2.4); ${instead} (got http://127.0.0.1:9/beta with one)\n`);
    expect(result.stdout).not.toMatch(/gwuser|GwPassw0rd/);
  });

  it('vppkit --debug alone is vppkit alone: the usage, exit 2 (outside tester I23: nothing, exit 0)', async () => {
    const [bare, debug] = [await vppkit([]), await vppkit(['--debug'])];
    expect([bare.code, debug.code]).toEqual([2, 2]);
    expect(debug.stderr).toBe(bare.stderr);
    expect(debug.stderr).toMatch(/^Usage: vppkit /);
  });

  it.each([[['--version']], [['-V', '--debug']], [['help', 'verify']], [['conform', '--seed', '3', '--help']], [['check-client', '--help', '--', 'node', 'client.js']]])(
    'still prints the version or the help, exit 0: %j',
    async (args) => {
      const result = await vppkit(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^(\d+\.\d+\.\d+|Usage: vppkit )/);
    },
  );
});

describe('secrets in --help', () => {
  const env = {
    VPPKIT_BEARER: 'bearer-9f2c41d7e8',
    PACT_BROKER_TOKEN: 'broker-token-5a7be03c11',
    PACT_BROKER_PASSWORD: 'broker-password-c8d6f2a940',
    PACT_BROKER_USERNAME: 'broker-user-1e4b7d9a02',
    PACT_BROKER_BASE_URL: 'https://broker-3f8e1c5b77.example',
  };

  it('never shows an environment value in any command\'s help, only its name', () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      // The help text as --help prints it, built with the variables set (in-process: fast, the same code).
      const { buildProgram } = require('../../src/cli/main') as typeof import('../../src/cli/main');
      const program = buildProgram();
      const help = (command: import('commander').Command) => {
        let text = '';
        command.configureOutput({ writeOut: (t) => (text += t) });
        command.outputHelp();
        return text;
      };
      const commands = program.commands.filter((c) => c.name() !== '__verify-worker');
      expect(commands.map((c) => c.name())).toEqual(expect.arrayContaining(['verify', 'serve', 'check-client', 'generate', 'validate', 'seed']));
      const texts = [help(program), ...commands.map(help)];
      for (const text of texts) for (const value of Object.values(env)) expect(text).not.toContain(value);
      expect(help(commands.find((c) => c.name() === 'verify')!)).toMatch(/env:\s+PACT_BROKER_TOKEN/);
    } finally {
      for (const name of Object.keys(env)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it('reads the variable when the command runs', async () => {
    const result = await vppkit(['verify', '--publish', '--provider-version', '1'], { env: { PACT_BROKER_BASE_URL: env.PACT_BROKER_BASE_URL }, worker: true });
    // The broker URL came from the environment when the command ran: vppkit tried to reach it.
    expect(result.stderr).toContain('vppkit: cannot reach the Pact Broker at https://broker-3f8e1c5b77.example');
    expect(result.code).toBe(2);
  });
});

// Outside tester L6 (round 8): `--json` left stdout empty when an option's value was refused while parsing (exit 2),
// though every other run that could not be done leaves `{ command, passed: false, exitCode: 2, error }` there.
describe('--json when an option is refused', () => {
  it.each([
    ['verify', ['verify', '--json', '--timeout', 'abc', '--provider-base-url', 'http://127.0.0.1:9/beta'], /--timeout/],
    ['verify', ['verify', '--json', '--profile', 'v2'], /--profile/],
    ['conform', ['conform', '--json', '--seed', 'abc', '--provider-base-url', 'http://127.0.0.1:9/beta'], /--seed/],
    ['check-client', ['check-client', '--json', '--timeout', 'abc', '--', process.execPath, '-e', '0'], /--timeout/],
    ['compare', ['compare', '--json', '--profile', 'v2', CANONICAL], /--profile/],
    ['validate', ['validate', '--json', '--kind', 'nope', CANONICAL], /--kind/],
    ['verify', ['verify', '--json', '--no-such-option'], /unknown option '--no-such-option'/],
    ['verify', ['verify', '--json', '--provider-base-url', 'http://127.0.0.1:9/beta', '--provider-base-url', 'http://127.0.0.1:9/beta'], /--provider-base-url/],
  ])('%s %p: exit 2, the one line on stderr, and the object on stdout with it', async (command, args, named) => {
    const result = await vppkit(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(named);
    const object = JSON.parse(result.stdout);
    expect(object).toEqual({ command, passed: false, exitCode: 2, error: expect.stringMatching(named) });
    expect(`vppkit: ${object.error}\n`).toBe(result.stderr.split(/(?<=\n)/).find((line) => line.startsWith('vppkit: ') && named.test(line)));
  });

  it('writes no object without --json, after --, or for --help', async () => {
    expect((await vppkit(['verify', '--timeout', 'abc'])).stdout).toBe('');
    const after = await vppkit(['check-client', '--timeout', 'abc', '--', process.execPath, '-e', '0', '--json']);
    expect(after.code).toBe(2);
    expect(after.stdout).toBe('');
    const help = await vppkit(['verify', '--json', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: vppkit verify/);
  });
});

// Outside tester L13 (round 8): a command that does not handle interrupts itself (conform, validate) ended with 130
// in silence: no line, and no object under --json, where verify and check-client say `interrupted by SIGINT`.
describe('an interrupt a command does not handle itself', () => {
  it.each([
    ['conform', ['conform', '--provider-base-url', 'http://127.0.0.1:9/beta', '--json']],
    ['validate', ['validate', '--json', CANONICAL]],
  ])('%s: exit 130, the one line, and the object under --json', async (command, args) => {
    const controller = new AbortController();
    controller.abort('SIGINT');
    const result = await vppkit(args, { signal: controller.signal });
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('vppkit: interrupted by SIGINT\n');
    expect(JSON.parse(result.stdout)).toEqual({ command, passed: false, exitCode: 130, error: 'interrupted by SIGINT' });
  });

  it('says the line without --json and prints nothing on stdout', async () => {
    const controller = new AbortController();
    controller.abort('SIGTERM');
    const result = await vppkit(['validate', CANONICAL], { signal: controller.signal });
    expect([result.code, result.stdout, result.stderr]).toEqual([130, '', 'vppkit: interrupted by SIGTERM\n']);
  });
});
