import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN } from '../support/cli';
import { withHttpFetch } from '../support/http-fetch';
import { run as vppkit } from '../support/run-cli';

describe('vppkit', () => {
  it('has --help for itself and every command', async () => {
    const top = await vppkit(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['verify', 'serve', 'check-client', 'generate', 'validate', 'seed']) {
      expect(top.stdout).toContain(command);
      const help = await vppkit([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Usage: vppkit /);
      expect(help.stdout).toContain('Example');
    }
  });

  it('answers a mistake with one line and exit code 2, no stack trace', async () => {
    // A port nothing listens on: one this test bound and closed.
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const closed = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await new Promise((resolve) => server.close(resolve));
    for (const args of [['generate', '--count', 'ten'], ['generate', '--kind', 'patch'], ['bogus'], ['seed', '--count', '3'], ['validate', 'no-such-file.json'], ['validate', '.'], ['verify', '--pact', 'missing.json'], ['verify', '--provider-base-url', closed]]) {
      const result = await vppkit(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await vppkit(['generate', '--count', 'ten'])).stderr).toContain('--count must be a whole number from 0 to');
    expect((await vppkit(['verify', '--provider-base-url', closed])).stderr).toBe(`vppkit: cannot reach the provider at ${closed}: ECONNREFUSED\n`);
  });
});

describe('vppkit verify', () => {
  it('verifies the canonical contract against the embedded reference provider (npm start)', async () => {
    const result = await vppkit(['verify'], { worker: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('a request to create a vppToken with every property');
    const lines = result.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^vppkit verify: 18 interactions verified against http:\/\/127\.0\.0\.1:\d+: 18 passed, 0 failed \(embedded reference provider\)$/);
  });

  it('exits 1 when the provider breaks the contract', async () => {
    // A server that answers every request with 200 and an empty object.
    const server = require('node:http').createServer((_req: unknown, res: { writeHead: (s: number, h: object) => { end: (b: string) => void } }) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const result = await vppkit(['verify', '--provider-base-url', `http://127.0.0.1:${server.address().port}`]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/18 interactions verified against .*: 0 passed, 18 failed$/m);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('vppkit serve', () => {
  it('prints "listening on" first, serves, and stops on SIGTERM with 130', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (c: Buffer) => {
          text += c.toString();
          const first = text.split('\n')[0];
          if (text.includes('\n')) (first.startsWith('listening on http://127.0.0.1:') ? resolve(first.slice('listening on '.length)) : reject(new Error(first)));
        });
      });
      const response = await fetch(`${url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' }, body: '{"token":"abc"}' });
      expect(response.status).toBe(201);
    } finally {
      child.kill('SIGTERM');
      // An interrupt ends every command with 130 (decision 0020), serve included once it has closed.
      expect(await new Promise((resolve) => child.on('close', resolve))).toBe(130);
    }
  });

  it('says when the port is taken', async () => {
    const server = require('node:net').createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const result = await vppkit(['serve', '--port', String(server.address().port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/port \d+ on 127\.0\.0\.1 is in use: choose another with --port, or --port 0/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('vppkit check-client', () => {
  it('passes a correct client and fails one that sends no token', async () => {
    // Through node:http, with fetch's interface (decision 0711).
    const client = (auth: string) => withHttpFetch(`fetch(process.env.VPPKIT_MOCK_URL + '/deviceAppManagement/vppTokens', { method: 'POST', headers: { 'Content-Type': 'application/json'${auth} }, body: JSON.stringify({ token: 'eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9' }) }).then((r) => process.exit(r.status === 201 ? 0 : 3))`);
    const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'vppkit-cli-'));
    const good = await vppkit(['check-client', '--pact-dir', dir, '--consumer', 'cli-test', '--', process.execPath, '-e', client(", Authorization: 'Bearer t'")]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('request 1: POST /deviceAppManagement/vppTokens -> 201 ok');
    expect(good.stdout).toContain(`wrote ${dir}/cli-test-microsoft-graph-vpptokens.json`);
    const bad = await vppkit(['check-client', '--pact-dir', dir, '--', process.execPath, '-e', client('')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('  header Authorization: is required: Bearer <access token>');
    expect(bad.stdout).toContain('check-client: the client exited with code 3');
  });
});
