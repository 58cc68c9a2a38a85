// The CLI is `main(argv, io)`: callable in-process, its streams and interrupts given, its verdict returned. Only
// bin/vppkit.js touches the process (decision 0095).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkClient } from '../../src/client-check';
import { reportFailure } from '../../src/cli/main';
import { run } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-in-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROOT = join(__dirname, '..', '..');

const signalListeners = () => ['SIGINT', 'SIGTERM', 'uncaughtException'].map((name) => process.listenerCount(name));

describe('main(argv, io)', () => {
  it('returns the exit code and writes to the streams it is given, not the process', async () => {
    const listeners = signalListeners();
    const version = await run(['--version']);
    expect(version).toEqual({ code: 0, stdout: `${require('../../package.json').version}\n`, stderr: '' });
    const valid = await run(['validate', '-'], { input: '{"token":"eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9"}\n' });
    expect(valid).toEqual({ code: 0, stdout: 'vppkit validate: 1 record read: 1 valid, 0 invalid\n', stderr: '' });
    const invalid = await run(['validate', '-'], { input: '{"token":1}\n' });
    expect(invalid.code).toBe(1);
    const usage = await run(['generate', '--count', 'x']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^vppkit: --count must be a whole number/);
    // Nothing was installed on the process by any of these runs.
    expect(signalListeners()).toEqual(listeners);
  });

  it('reads option variables from the environment it is given', async () => {
    const result = await run(['seed', '--target', 'http://127.0.0.1:9/beta', '--count', '1', '--report', join(dir, 'env.ndjson')], { env: { VPPKIT_BEARER: 'has a space' } });
    expect(result.stderr).toBe('vppkit: VPPKIT_BEARER: the bearer holds a character an HTTP header cannot carry (a space, a line break or a non-ASCII character): character 4 is a space; its value is not shown\n');
    expect(result.code).toBe(2);
  });

  it('ends a run with 130 at an interrupt when the command has nothing to finish', async () => {
    const interrupt = new AbortController();
    interrupt.abort('SIGINT');
    // stdin that never ends: without the interrupt, validate would wait for ever.
    const { PassThrough } = await import('node:stream');
    const result = await run(['validate', '-'], { input: new PassThrough(), signal: interrupt.signal });
    expect(result.code).toBe(130);
  });

  it('serve closes and exits 130 on an interrupt (decision 0020)', async () => {
    const interrupt = new AbortController();
    let url = '';
    const result = await run(['serve', '--port', '0', '--quiet'], {
      signal: interrupt.signal,
      onStdout: (_text, sofar) => {
        const match = /^listening on (\S+)\n/.exec(sofar);
        if (match && !url) {
          url = match[1];
          void fetch(`${url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' }, body: '{"token":"abc"}' }).then(
            (response) => {
              expect(response.status).toBe(201);
              interrupt.abort('SIGTERM');
            },
          );
        }
      },
    });
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    // Closed: nothing listens there any more.
    await expect(fetch(`${url}/beta/deviceAppManagement/vppTokens`)).rejects.toThrow();
  });

  it('serve takes --body-limit in bytes or with KiB/MiB, as conform and the proxy do', async () => {
    const interrupt = new AbortController();
    const statuses: number[] = [];
    const result = await run(['serve', '--port', '0', '--quiet', '--body-limit', '1KiB'], {
      signal: interrupt.signal,
      onStdout: (_text, sofar) => {
        const match = /^listening on (\S+)\n/.exec(sofar);
        if (match && statuses.length === 0) {
          statuses.push(0);
          const send = (size: number) =>
            fetch(`${match[1]}/beta/deviceAppManagement/vppTokens`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
              body: JSON.stringify({ token: 'abc', displayName: 'x'.repeat(size) }),
            }).then((response) => response.status);
          // 1KiB is 1,024 bytes: a body of 1,024 bytes is taken, one of 1,025 refused.
          void Promise.all([send(1024 - 32), send(1025 - 32)]).then((got) => {
            statuses.push(...got);
            interrupt.abort('SIGTERM');
          });
        }
      },
    });
    expect(result.code).toBe(130);
    expect(statuses).toEqual([0, 201, 413]);
    const wrong = await run(['serve', '--body-limit', '4MB']);
    expect(wrong).toEqual({ code: 2, stdout: '', stderr: 'vppkit: --body-limit must be a number of bytes, at least 1, such as 1048576 or 64MiB (got "4MB")\n' });
  });
});

// Decision 1333: the readers ask for a path (a TypeError), which the CLI called "internal error (a bug in vppkit)".
describe('a file option given an empty value', () => {
  it.each([
    ['--faults', ['serve', '--port', '0', '--faults', '']],
    ['--ca', ['conform', '--provider-base-url', 'http://127.0.0.1:9', '--ca', '']],
    ['--replay', ['conform', '--provider-base-url', 'http://127.0.0.1:9', '--replay', '']],
  ])('%s is a usage error saying so, exit 2', async (option, args) => {
    expect(await run(args)).toEqual({ code: 2, stdout: '', stderr: `vppkit: ${option} needs a file (got an empty value)\n` });
  });
});

describe('checkClient', () => {
  it('installs no process-wide signal handler, and stops the client when its signal is aborted', async () => {
    const marker = join(dir, 'client-running');
    const listeners = signalListeners();
    const interrupt = new AbortController();
    const client = `require('fs').writeFileSync(${JSON.stringify(marker)}, String(process.pid)); setInterval(() => {}, 1000)`;
    const checking = checkClient({ command: process.execPath, args: ['-e', client], pactDir: dir, stdio: 'pipe', signal: interrupt.signal, killGraceMs: 500 });
    while (!existsSync(marker) || readFileSync(marker, 'utf8') === '') await new Promise((resolve) => setTimeout(resolve, 20));
    expect(signalListeners()).toEqual(listeners);
    interrupt.abort('SIGINT');
    const result = await checking;
    expect(result.interrupted).toBe('SIGINT');
    expect(result.passed).toBe(false);
    expect(result.failures).toContain("interrupted by SIGINT: the client's process group was stopped");
    expect(() => process.kill(Number(readFileSync(marker, 'utf8')), 0)).toThrow();
  });
});

describe('an error outside any promise', () => {
  it('is worded by what it is: a reset connection is not "the provider stopped answering" outside verify', () => {
    const written: string[] = [];
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
    expect(reportFailure(reset, false, { write: (text: string) => written.push(text) })).toBe(2);
    expect(written).toEqual(['vppkit: the connection was reset (ECONNRESET)\n']);
  });
});

describe('start-up', () => {
  // The bin in a process of its own; at its exit it lists the modules it loaded.
  const modulesLoaded = (args: string[], input: string) =>
    spawnSync(
      process.execPath,
      ['-e', `process.argv = [process.argv[0], 'vppkit', ...${JSON.stringify(args)}]; process.on('exit', () => require('fs').writeSync(2, Object.keys(require.cache).join('\\n'))); require('./bin/vppkit.js');`],
      { cwd: ROOT, input, encoding: 'utf8' },
    );

  it.each([
    [['--version'], ''],
    [['validate', '-'], '{"token":"eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9"}\n'],
  ])('%j loads neither faker, nor Pact, nor fast-check', (args, input) => {
    const child = modulesLoaded(args, input);
    expect(child.status).toBe(0);
    expect(child.stderr).toContain(join('dist', 'cli', 'main.js'));
    expect(child.stderr).not.toMatch(/@faker-js|@pact-foundation|fast-check/);
  });
});
