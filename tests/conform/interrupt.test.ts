// conform stops when its signal aborts (decision 0357): a run that goes on after its caller is gone (a test that
// timed out, a program that gave up) kept sending to a provider that kept answering, into the next test file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../support/cli';
import { frontOf } from '../support/front';
import { run } from '../support/run-cli';
import { conform, ConformSetupError } from 'vpptokens-contract-kit/conform';
import { startReferenceProvider } from 'vpptokens-contract-kit/provider';

it('sends no request once its signal aborts, and says what it judged before', async () => {
  const stop = new AbortController();
  let arrived = 0;
  let afterAbort = 0;
  const provider = await startReferenceProvider({
    bodyLimit: 64 * 1024,
    onRequest: () => {
      arrived++;
      if (stop.signal.aborted) afterAbort++;
      else if (arrived === 40) stop.abort();
    },
  });
  try {
    const result = await conform({ providerBaseUrl: provider.url, seed: 357, runs: 30, concurrency: 4, bodyLimit: 64 * 1024, signal: stop.signal });
    expect(result.stopped).toMatch(/^interrupted: \d+ of \d+ requests judged$/);
    expect(result.summary).toContain('(stopped: interrupted: ');
    // Those in flight when it aborted may still arrive (one of each worker, and a create's read-back); nothing else.
    expect(afterAbort).toBeLessThanOrEqual(4);
    expect(result.cases).toBeLessThan(40);
    expect(result.notes).toContain('the collection was not read: interrupted');
  } finally {
    await provider.close();
  }
});

it('ends a throttling wait when its signal aborts', async () => {
  const stop = new AbortController();
  // Every create is throttled for an hour; the collection answers, so the run gets to its creates.
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}');
      return;
    }
    res.writeHead(429, { 'retry-after': '3600', 'content-type': 'application/json' }).end('{"error":{"code":"TooManyRequests","message":"later"}}');
    stop.abort();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const run = conform({ providerBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/beta`, seed: 357, runs: 1, concurrency: 1, maxThrottleWaitMs: 7_200_000, signal: stop.signal });
    await expect(run).rejects.toThrow(new ConformSetupError('conform judged no request: interrupted before the first one could be sent and judged'));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

it('sends nothing when its signal was aborted before it started', async () => {
  let arrived = 0;
  const provider = await startReferenceProvider({ onRequest: () => arrived++ });
  try {
    await expect(conform({ providerBaseUrl: provider.url, runs: 1, signal: AbortSignal.abort() })).rejects.toThrow(new ConformSetupError('conform was interrupted before it judged a request'));
    expect(arrived).toBe(0);
  } finally {
    await provider.close();
  }
});

// Issue 15: `vppkit conform` on Ctrl-C ended at once, saying only that it was interrupted: the requests judged in
// the minutes before were lost, and --json and --junit had nothing of them. The first interrupt stops sending and
// reports what was judged, exit 130 (decision 0020); a second ends the run at once.
describe('vppkit conform interrupted', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vppkit-conform-interrupt-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The reference provider behind a front that answers the first `answered` creates and holds every later one: then `held` resolves. */
  async function holding(answered: number) {
    const reference = await startReferenceProvider({ bodyLimit: 64 * 1024 });
    let creates = 0;
    let reached!: () => void;
    const held = new Promise<void>((resolve) => (reached = resolve));
    const front = await frontOf(reference, (req) => {
      if (req.method !== 'POST' || ++creates <= answered) return false;
      reached();
      return true;
    });
    return { url: `${front.url}/beta`, held, close: async () => Promise.all([front.close(), reference.close()]) };
  }

  // The signal is the subject: the command is a process, interrupted as a terminal does.
  it('on the first SIGINT stops sending, prints and writes what it judged, and exits 130', async () => {
    const provider = await holding(20);
    const junit = join(dir, 'conform.xml');
    try {
      const child = spawn(process.execPath, [BIN, 'conform', '--provider-base-url', provider.url, '--seed', '5', '--runs', '5', '--concurrency', '2', '--body-limit', '64KiB', '--json', '--junit', junit], { env: { ...process.env, PACT_DO_NOT_TRACK: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      const code = new Promise<number | null>((resolve) => child.on('close', resolve));
      await provider.held;
      child.kill('SIGINT');
      expect(await code).toBe(130);
      expect(stderr).toBe('vppkit: interrupted by SIGINT: stopping: what was judged is reported (Ctrl-C again to end at once)\n');
      const report = JSON.parse(stdout) as { exitCode: number; stopped: string; cases: number; checks: unknown[] };
      expect(report.exitCode).toBe(130);
      expect(report.stopped).toMatch(/^interrupted: \d+ of \d+ requests judged$/);
      expect(report.cases).toBeGreaterThanOrEqual(10);
      expect(report.checks.length).toBeGreaterThan(0);
      expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite name="[^"]+" tests="\d+"/);
    } finally {
      await provider.close();
    }
  });

  it('on a second interrupt ends at once, reporting nothing', async () => {
    const provider = await holding(20);
    const signal = new AbortController();
    const abandon = new AbortController();
    try {
      const running = run(['conform', '--provider-base-url', provider.url, '--seed', '5', '--runs', '5', '--concurrency', '2', '--body-limit', '64KiB'], { signal: signal.signal, abandon: abandon.signal });
      await provider.held;
      signal.abort('SIGINT');
      abandon.abort('SIGINT');
      const { code, stdout, stderr } = await running;
      expect(code).toBe(130);
      expect(stdout).toBe('');
      expect(stderr).toBe('vppkit: interrupted by SIGINT: stopping: what was judged is reported (Ctrl-C again to end at once)\nvppkit: interrupted again: ended at once, nothing reported\n');
    } finally {
      await provider.close();
    }
  });
});
