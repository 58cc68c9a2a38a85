// `vppkit proxy` as a process, for what only a process shows: how it ends on SIGTERM and Ctrl-C (drain, files,
// summary, exit code), a second interrupt, and a start that can't be made. The rest is tested in-process.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider, type ReferenceProvider } from 'vpptokens-contract-kit/provider';
import { BIN } from '../support/cli';
import { listenOnLoopback } from '../support/listen';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-proxy-cli-'));
const BEARER = 'Bearer eyJhbGciOiJub25lIn0.Y2xpLWJlYXJlcg.';
const requests = createRequestFactory.withSeed(1719);
let provider: ReferenceProvider;
beforeAll(async () => {
  provider = await startReferenceProvider();
});
afterAll(async () => {
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => { stdout: string; stderr: string };
  exit: Promise<number | null>;
}

/** Starts `vppkit proxy ...` and waits for its first line, which names its address. */
function proxy(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'proxy', '--port', '0', ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const look = () => {
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+), forwarding to /.exec(stdout);
      if (match) resolve({ child, url: match[1], exit, output: () => ({ stdout, stderr }) });
    };
    child.stdout.on('data', look);
    void exit.then((code) => reject(new Error(`vppkit proxy exited ${code} before listening: ${stderr}`)));
  });
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: BEARER }, body: JSON.stringify(body) });

it('on SIGTERM writes its files and summary and exits 1 after a violation; nothing it prints or writes holds a secret', async () => {
  const files = { record: join(dir, 'pact.json'), har: join(dir, 'traffic.har'), report: join(dir, 'report.json'), junit: join(dir, 'junit.xml') };
  const running = await proxy(['--target', `${provider.url}/beta`, ...Object.entries(files).flatMap(([k, v]) => [`--${k}`, v])]);
  const good = requests.withTraits('full').buildAt(0);
  expect((await post(running.url, good)).status).toBe(201);
  expect((await post(running.url, { token: good.token, vppTokenAccountType: 'String' })).status).toBe(400);
  running.child.kill('SIGTERM');
  expect(await running.exit).toBe(1);
  const { stdout, stderr } = running.output();
  expect(stderr).toBe('');
  const lines = stdout.trimEnd().split('\n');
  expect(lines.slice(1, 4)).toEqual([
    expect.stringMatching(/^request 1: POST \/deviceAppManagement\/vppTokens -> 201 [\d.]+ms: kept the contract$/),
    'request 2: client: request schema: body /vppTokenAccountType: must be one of business, education (got "String")',
    expect.stringMatching(/^request 2: POST \/deviceAppManagement\/vppTokens -> 400 [\d.]+ms: 1 violation$/),
  ]);
  expect(lines.slice(4)).toEqual([
    `wrote ${files.record}: 2 interactions`,
    `wrote ${files.har}: 2 entries`,
    `wrote ${files.report}`,
    `wrote ${files.junit}`,
    'vppkit proxy: failed: 2 requests, 2 creates judged: 1 violation (client 1, provider 0)',
  ]);
  const report = JSON.parse(readFileSync(files.report, 'utf8'));
  expect(report).toMatchObject({ command: 'proxy', passed: false, exitCode: 1, violations: { total: 1, bySide: { client: 1, provider: 0 } } });
  for (const text of [stdout, ...Object.values(files).map((f) => readFileSync(f, 'utf8'))]) {
    expect(text).not.toContain(BEARER.slice(7));
    expect(text).not.toContain(good.token);
  }
});

it('on Ctrl-C with nothing wrong exits 0; --quiet prints no line per request', async () => {
  const running = await proxy(['--target', `${provider.url}/beta`, '--quiet']);
  expect((await post(running.url, requests.buildAt(1))).status).toBe(201);
  running.child.kill('SIGINT');
  expect(await running.exit).toBe(0);
  expect(running.output().stdout.split('\n').slice(1)).toEqual(['vppkit proxy: passed: 1 request, 1 create judged: no violation', '']);
});

it('waits for a request in flight on the first interrupt; a second one cuts it and exits 130 at once', async () => {
  let arrived: () => void = () => undefined;
  const arrival = new Promise<void>((resolve) => (arrived = resolve));
  const held = await listenOnLoopback(
    createServer((req) => {
      req.resume();
      arrived();
    }),
  );
  const report = join(dir, 'never.json');
  try {
    const running = await proxy(['--target', held.url, '--report', report]);
    const inFlight = post(running.url, requests.buildAt(2)).catch((error: Error) => error);
    await arrival;
    running.child.kill('SIGINT');
    while (!running.output().stdout.includes('stopping')) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(running.output().stdout).toMatch(/\nSIGINT: stopping: waiting for 1 request in flight \(up to 10 s; again to cut them\)\n/);
    running.child.kill('SIGINT');
    expect(await running.exit).toBe(130);
    expect(running.output().stderr).toBe('vppkit: interrupted again: requests in flight cut, no file written\n');
    expect(await inFlight).toMatchObject({ message: 'fetch failed' }); // cut: the client got no answer
    expect(existsSync(report)).toBe(false);
  } finally {
    await held.close();
  }
});

it('exits 2 when it cannot start, in one line', async () => {
  const child = spawn(process.execPath, [BIN, 'proxy', '--target', 'http://127.0.0.1:1/beta', '--port', '0'], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise((resolve) => child.on('close', resolve));
  expect([code, stderr]).toEqual([2, 'vppkit: cannot reach the target at http://127.0.0.1:1: ECONNREFUSED\n']);
});
