// check-client's handling of the client process: its whole group is stopped, signals count as failures.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkClient } from 'vpptokens-contract-kit/provider';
import '../support/pact-loaded';
import { withHttpFetch } from '../support/http-fetch';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-client-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spawner = join(__dirname, 'clients', 'spawner.js');

/** Resolves with the connection error code, or 'connected' when something still listens on the port. */
const probe = (port: number): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });

describe('check-client and the client process', () => {
  // Each test waits on processes (a timeout, a kill grace, a pact written): they run at once, the file as long as the longest.
  it.concurrent('keeps at most 1 MiB of a piped client\'s output, and says how much more it printed', async () => {
    // 8 MiB on stdout, then a request-less exit: the result holds the first MiB and a note, not all of it.
    const script = "const b = Buffer.alloc(65536, 0x61); let n = 0; const w = () => { while (n < 128) { n++; if (!process.stdout.write(b)) return process.stdout.once('drain', w); } }; w();";
    const result = await checkClient({ command: process.execPath, args: ['-e', script], pactDir: dir, stdio: 'pipe', timeoutMs: 20_000 });
    expect(result.output!.length).toBeLessThan(1024 * 1024 + 200);
    expect(result.output).toMatch(/\[vppkit: 7340032 more bytes of the client's output were not kept \(at most 1048576\)\]\n$/);
  });

  it.concurrent('stops a hanging client and the server it started when the timeout passes, SIGTERM or not', async () => {
    const portFile = join(dir, 'hang.port');
    const result = await checkClient({ command: process.execPath, args: [spawner, portFile, 'hang'], pactDir: dir, stdio: 'pipe', timeoutMs: 4000, killGraceMs: 500 });
    expect(result.passed).toBe(false);
    expect(result.timedOut).toBe(true);
    expect(result.failures).toContain('the client did not finish within 4 s: its process group was stopped (SIGTERM, then SIGKILL after 0.5 s)');
    expect(await probe(Number(readFileSync(portFile, 'utf8')))).toBe('ECONNREFUSED');
  });

  it.concurrent('stops what a passing client left running', async () => {
    const portFile = join(dir, 'exit.port');
    const result = await checkClient({ command: process.execPath, args: [spawner, portFile, 'exit'], pactDir: dir, consumer: 'leaves-a-server', stdio: 'pipe', killGraceMs: 500 });
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(await probe(Number(readFileSync(portFile, 'utf8')))).toBe('ECONNREFUSED');
  });

  // Outside tester P8: with http_proxy set (a corporate CI runner), curl, Python and Go send the loopback mock's URL
  // to the proxy unless NO_PROXY names it; the client "made no request". The client's NO_PROXY and no_proxy name the
  // loopback host, the user's entries kept (decision 0411).
  it.concurrent('gives the client NO_PROXY and no_proxy naming the loopback mock, keeping the entries given', async () => {
    const create = "fetch(process.env.VPPKIT_MOCK_URL + '/deviceAppManagement/vppTokens', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' }, body: '{\"token\":\"eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9\"}' })";
    const client = withHttpFetch(`console.log(JSON.stringify([process.env.NO_PROXY, process.env.no_proxy, process.env.http_proxy])); ${create}`);
    const seen = async (env: NodeJS.ProcessEnv) => {
      const result = await checkClient({ command: process.execPath, args: ['-e', client], pactDir: dir, consumer: 'behind-a-proxy', stdio: 'pipe', env });
      expect(result.passed).toBe(true);
      return JSON.parse(result.output!.split('\n')[0]) as [string, string, string | undefined];
    };
    const loopback = '127.0.0.1,localhost,::1';
    expect(await seen({ http_proxy: 'http://proxy.corp.example:3128', NO_PROXY: '.corp.example, intranet', no_proxy: '.corp.example' })).toEqual([`.corp.example,intranet,${loopback}`, `.corp.example,intranet,${loopback}`, 'http://proxy.corp.example:3128']);
    expect(await seen({ NO_PROXY: 'localhost' })).toEqual(['localhost,127.0.0.1,::1', 'localhost,127.0.0.1,::1', process.env.http_proxy ?? null]);
  });

  it.concurrent('fails a client killed by a signal, even after good requests', async () => {
    const client = withHttpFetch(`fetch(process.env.VPPKIT_MOCK_URL + '/deviceAppManagement/vppTokens', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' }, body: '{"token":"eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9"}' }).then(() => process.kill(process.pid, 'SIGKILL'))`);
    const result = await checkClient({ command: process.execPath, args: ['-e', client], pactDir: dir, stdio: 'pipe' });
    expect(result.requests).toHaveLength(1);
    expect(result.signal).toBe('SIGKILL');
    expect(result.failures).toEqual(['the client was killed by signal SIGKILL']);
    expect(result.passed).toBe(false);
    expect(result.pactFile).toBeUndefined();
  });

  it.concurrent('marks a client that can not be started', async () => {
    const result = await checkClient({ command: 'no-such-client-binary-4711', pactDir: dir, stdio: 'pipe' });
    expect(result.startError).toBe('command not found: no-such-client-binary-4711');
    expect(result.passed).toBe(false);
  });

  // Outside tester R43: a script without its execute bit, or a folder, was "spawn ./client.sh EACCES".
  it.concurrent('says why a client cannot be started: a file that is not executable, a folder', async () => {
    const script = join(dir, 'client-not-executable.sh');
    writeFileSync(script, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    const notExecutable = await checkClient({ command: script, pactDir: dir, stdio: 'pipe' });
    expect(notExecutable.startError).toBe(`cannot start ${script}: permission denied (EACCES): it is not executable; make it so (chmod +x ${script}) or give its interpreter first (-- sh ${script}, -- node ${script})`);
    const folder = await checkClient({ command: dir, pactDir: dir, stdio: 'pipe' });
    expect(folder.startError).toBe(`cannot start ${dir}: it is a folder, not a program`);
    expect([notExecutable.passed, folder.passed]).toEqual([false, false]);
  });

  // Outside tester R47: a script whose #! line names an interpreter that does not exist (most often "/bin/sh\r", from
  // Windows line endings) was "command not found", though the script is there.
  it.concurrent('says a client script names an interpreter that does not exist, and Windows line endings when that is why', async () => {
    const crlf = join(dir, 'client-crlf.sh');
    writeFileSync(crlf, '#!/bin/sh\r\nexit 0\r\n', { mode: 0o755 });
    const missing = join(dir, 'client-python9.sh');
    writeFileSync(missing, '#! /usr/bin/no-such-python9 -u\nprint(1)\n', { mode: 0o755 });
    const [lineEndings, interpreter] = await Promise.all([crlf, missing].map((command) => checkClient({ command, pactDir: dir, stdio: 'pipe' })));
    expect(lineEndings.startError).toBe(
      `cannot start ${crlf}: its first line names the interpreter "/bin/sh\\r", which does not exist: the script has Windows line endings (CRLF); convert them (sed -i 's/\\r$//' ${crlf}) or give its interpreter first (-- sh ${crlf})`,
    );
    expect(interpreter.startError).toBe(`cannot start ${missing}: its first line names the interpreter /usr/bin/no-such-python9, which does not exist; install it, correct the #! line, or give an interpreter first (-- INTERPRETER ${missing})`);
    expect([lineEndings.passed, interpreter.passed]).toEqual([false, false]);
  });

  // The other way: a missing program is still "command not found", and a script whose interpreter exists starts.
  it.concurrent('still says "command not found" for a program that is not there, and starts a script whose interpreter is there', async () => {
    const gone = join(dir, 'no-such-dir', 'client.sh');
    const notThere = await checkClient({ command: gone, pactDir: dir, stdio: 'pipe' });
    expect(notThere.startError).toBe(`command not found: ${gone}`);
    const fine = join(dir, 'client-lf.sh');
    writeFileSync(fine, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const started = await checkClient({ command: fine, pactDir: dir, stdio: 'pipe' });
    expect(started.startError).toBeUndefined();
    expect(started.exitCode).toBe(0);
  });
});
