// `vppkit proxy` from the command line, in-process (main(argv, io), an interrupt being an aborted signal as bin
// gives it): how it ends on the first interrupt (drain, files, summary, exit code), on a second, and a start that
// can't be made.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { fileWrites } from '../../src/net/file';
import { proxyReport } from '../../src/proxy';
import type { CliResult } from '../support/cli';
import { referenceProviderForFile } from '../support/file-provider';
import { run } from '../support/run-cli';
import { listenOnLoopback } from '../support/listen';

const shared = referenceProviderForFile('vppkit-proxy-cli-');
const { dir } = shared;
const BEARER = 'Bearer eyJhbGciOiJub25lIn0.Y2xpLWJlYXJlcg.';
const requests = createRequestFactory.withSeed(1719);

interface Running {
  url: string;
  output: () => string;
  /** The first interrupt (SIGTERM, SIGINT), then the second. */
  interrupt: (name?: string) => void;
  again: () => void;
  done: Promise<CliResult>;
}

/** Runs `vppkit proxy ...` and waits for its first line, which names its address. */
function proxy(args: string[]): Promise<Running> {
  const signal = new AbortController();
  const abandon = new AbortController();
  let stdout = '';
  return new Promise((resolve, reject) => {
    const done = run(['proxy', '--port', '0', ...args], {
      signal: signal.signal,
      abandon: abandon.signal,
      onStdout: (_text, sofar) => {
        stdout = sofar;
        const match = /^listening on (http:\/\/127\.0\.0\.1:\d+), forwarding to /.exec(sofar);
        if (match) resolve({ url: match[1], output: () => stdout, interrupt: (name = 'SIGTERM') => signal.abort(name), again: () => abandon.abort('SIGINT'), done });
      },
    });
    void done.then((result) => reject(new Error(`vppkit proxy ended (${result.code}) before listening: ${result.stderr}`)));
  });
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: BEARER }, body: JSON.stringify(body) });

it('on SIGTERM writes its files and summary and exits 1 after a violation; nothing it prints or writes holds a secret', async () => {
  const files = { record: join(dir, 'pact.json'), har: join(dir, 'traffic.har'), report: join(dir, 'report.json'), junit: join(dir, 'junit.xml') };
  const running = await proxy(['--target', `${shared.provider.url}/beta`, ...Object.entries(files).flatMap(([k, v]) => [`--${k}`, v])]);
  const good = requests.withTraits('full').buildAt(0);
  expect((await post(running.url, good)).status).toBe(201);
  expect((await post(running.url, { token: good.token, vppTokenAccountType: 'String' })).status).toBe(400);
  running.interrupt('SIGTERM');
  const { code, stdout, stderr } = await running.done;
  expect(code).toBe(1);
  expect(stderr).toBe('');
  const lines = stdout.trimEnd().split('\n');
  expect(lines.slice(1, 4)).toEqual([
    expect.stringMatching(/^request 1: POST \/deviceAppManagement\/vppTokens -> 201 [\d.]+ms: kept the contract$/),
    'request 2: client: request schema: body /vppTokenAccountType: must be one of business, education (got "String")',
    expect.stringMatching(/^request 2: POST \/deviceAppManagement\/vppTokens -> 400 [\d.]+ms: 1 violation$/),
  ]);
  // The behaviour is judged without faults too (decision 0205): one token, created once.
  expect(lines.slice(4)).toEqual([
    expect.stringMatching(/^behaviour: 4 of 4 behaviour checks passed .*; 2 creates of 1 token: 1 created, 0 extra creations, 0 never created$/),
    `wrote ${files.record}: 2 interactions`,
    `wrote ${files.har}: 2 entries`,
    `wrote ${files.junit}`,
    // The report last, so that its exitCode is the run's (decision 0221).
    `wrote ${files.report}`,
    'vppkit proxy: failed: 2 requests, 2 creates judged: 1 violation (client 1, provider 0); behaviour passed',
  ]);
  const report = JSON.parse(readFileSync(files.report, 'utf8'));
  expect(report).toMatchObject({ command: 'proxy', passed: false, exitCode: 1, violations: { total: 1, bySide: { client: 1, provider: 0 } } });
  for (const text of [stdout, ...Object.values(files).map((f) => readFileSync(f, 'utf8'))]) {
    expect(text).not.toContain(BEARER.slice(7));
    expect(text).not.toContain(good.token);
  }
});

it('on Ctrl-C with nothing wrong exits 0; --quiet prints no line per request', async () => {
  const running = await proxy(['--target', `${shared.provider.url}/beta`, '--quiet']);
  expect((await post(running.url, requests.buildAt(1))).status).toBe(201);
  running.interrupt('SIGINT');
  const { code, stdout } = await running.done;
  expect(code).toBe(0);
  expect(stdout.split('\n').slice(1)).toEqual([expect.stringMatching(/^behaviour: 4 of 4 behaviour checks passed /), 'vppkit proxy: passed: 1 request, 1 create judged: no violation; behaviour passed', '']);
});

// Outside tester I13 (decision 0205): without faults a client creating one token twice passed the proxy, exit 0.
it('without faults fails a client that creates one token twice, naming the check, and exits 1', async () => {
  const running = await proxy(['--target', `${shared.provider.url}/beta`, '--quiet']);
  const body = requests.buildAt(2);
  for (const sent of [body, { ...body, displayName: 'again' }]) expect((await post(running.url, sent)).status).toBe(201);
  running.interrupt('SIGTERM');
  const { code, stdout } = await running.done;
  expect(code).toBe(1);
  expect(stdout).toContain('behaviour: client: no duplicate: token 1 was created again by request 2 (first by request 1)');
  expect(stdout).toContain('vppkit proxy: failed: 2 requests, 2 creates judged: no violation; behaviour failed: no duplicate\n');
  expect(stdout).not.toContain(body.token.slice(0, 30));
});

// Outside tester G6, rest: with faults and no create, "behaviour passed" was printed and the proxy exited 0. Then 1;
// a run that judged nothing is no verdict in every command, exit 2 (decision 0220).
it('with faults and no create, says the behaviour was not judged: no verdict, exit 2', async () => {
  const running = await proxy(['--target', `${shared.provider.url}/beta`, '--quiet', '--fail-rate', '0', '--seed', '1']);
  expect((await fetch(`${running.url}/deviceAppManagement/vppTokens`, { headers: { Authorization: BEARER } })).status).toBe(200);
  running.interrupt('SIGTERM');
  const { code, stdout } = await running.done;
  expect(code).toBe(2);
  expect(stdout.split('\n').slice(1)).toEqual([
    'faults: fail-rate 0 with 429,503,504; seed 1',
    'behaviour: not judged: the traffic holds no create of a vppToken (POST .../deviceAppManagement/vppTokens), so there is no behaviour to judge: it holds 1 request: 200 at GET /beta/deviceAppManagement/vppTokens',
    'vppkit proxy: no verdict: 1 request, 0 creates judged: nothing judged (no create, POST .../deviceAppManagement/vppTokens, was judged): no verdict; behaviour not judged: no create',
    '',
  ]);
});

it('without faults and no create is no verdict too, exit 2, and its report says so; a violation beside it is a failure, exit 1', async () => {
  const report = join(dir, 'nothing-judged.json');
  const quiet = await proxy(['--target', `${shared.provider.url}/beta`, '--quiet', '--report', report]);
  expect((await fetch(`${quiet.url}/deviceAppManagement/vppTokens`, { headers: { Authorization: BEARER } })).status).toBe(200);
  quiet.interrupt('SIGTERM');
  const none = await quiet.done;
  expect(none.stdout).toContain('\nvppkit proxy: no verdict: 1 request, 0 creates judged: nothing judged');
  expect(none.code).toBe(2);
  expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ passed: false, exitCode: 2, nothingJudged: 'no create (POST .../deviceAppManagement/vppTokens) was judged' });
  // A violation seen with no create judged is a failure found: no "nothing judged" for the exit code to read.
  const seen = { target: 'http://127.0.0.1:9', profile: 'beta' as const, strict: false, exchanges: [] };
  const violation = { side: 'client' as const, check: 'request schema' as const, part: 'body' as const, where: 'body', message: 'is wrong', request: 1, method: 'POST', path: '/$batch' };
  expect(proxyReport({ ...seen, violations: [violation] })).toMatchObject({ passed: false, summary: expect.stringMatching(/nothing judged .*: no verdict; 1 violation$/) });
  expect(proxyReport({ ...seen, violations: [violation] }).nothingJudged).toBeUndefined();
  expect(proxyReport({ ...seen, violations: [] }).nothingJudged).toBe('no create (POST .../deviceAppManagement/vppTokens) was judged');
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
    running.interrupt('SIGINT');
    while (!running.output().includes('stopping')) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(running.output()).toMatch(/\nSIGINT: stopping: waiting for 1 request in flight \(up to 10 s; again to cut them\)\n/);
    running.again();
    const { code, stderr } = await running.done;
    expect(code).toBe(130);
    expect(stderr).toBe('vppkit: interrupted again: requests in flight cut, no file written\n');
    expect(await inFlight).toMatchObject({ message: 'fetch failed' }); // cut: the client got no answer
    expect(existsSync(report)).toBe(false);
  } finally {
    await held.close();
  }
});

it('exits 2 when it cannot start, in one line', async () => {
  const { code, stderr } = await run(['proxy', '--target', 'http://127.0.0.1:1/beta', '--port', '0']);
  expect([code, stderr]).toEqual([2, 'vppkit: cannot reach the target at http://127.0.0.1:1: ECONNREFUSED\n']);
  const folder = await run(['proxy', '--target', 'http://127.0.0.1:1/beta', '--har', join(dir, 'no', 'such', 'x.har')]);
  expect([folder.code, folder.stderr]).toEqual([2, `vppkit: --har ${join(dir, 'no', 'such', 'x.har')}: the folder ${join(dir, 'no', 'such')} does not exist\n`]);
  const trust = await run(['proxy', '--target', 'http://127.0.0.1:1', '--insecure']);
  expect([trust.code, trust.stderr]).toEqual([2, 'vppkit: --ca and --insecure apply to an https --target only\n']);
});

// Outside tester H16: --body-limit is the target's limit, as conform's is; without it, Graph's 4 MB is assumed.
it('holds a target to Graph\'s 4 MB unless --body-limit gives its own: a 413 within it fails, with the option to give', async () => {
  const { startReferenceProvider } = await import('../../src/provider');
  const small = await startReferenceProvider({ bodyLimit: 64 * 1024 });
  try {
    const big = { ...requests.withTraits('minimal').buildAt(3), appleId: 'a'.repeat(100 * 1024) };
    const size = Buffer.byteLength(JSON.stringify(big));
    for (const [args, code, verdict] of [
      [[], 1, `request 1: provider: status: must be 201 Created for a valid request (got 413): it is a valid create of ${size} bytes, within Graph's 4 MB, the limit assumed (4194304 bytes; give the provider's own with --body-limit)`],
      [['--body-limit', '64KiB'], 0, 'vppkit proxy: passed: 1 request, 1 create judged: no violation; behaviour passed'],
    ] as const) {
      const running = await proxy(['--target', `${small.url}/beta`, '--quiet', ...args]);
      expect((await post(running.url, big)).status).toBe(413);
      running.interrupt('SIGTERM');
      const result = await running.done;
      expect(result.code).toBe(code);
      expect(result.stdout.split('\n')).toContain(verdict);
    }
  } finally {
    await small.close();
  }
});

// Outside tester I23, rest (decision 0221): on a full disk the proxy truncated its files in place (a half HAR where a
// good one was) and the first file it could not write stopped the others. Each is now written whole or not at all,
// the rest still written, and the run exits 2 naming the file. The disk is filled by an injected write failure.
it('on a full disk writes every file it can, keeps a good file in place of a half one, and exits 2 naming the file', async () => {
  const files = { record: join(dir, 'full-pact.json'), har: join(dir, 'full-traffic.har'), report: join(dir, 'full-report.json'), junit: join(dir, 'full-junit.xml') };
  writeFileSync(files.har, 'a good HAR of an earlier run\n');
  const real = fileWrites.writeFileSync;
  const full = jest.spyOn(fileWrites, 'writeFileSync').mockImplementation((path, data, options) => {
    if (!String(path).includes('.full-traffic.har.')) return real(path, data, options);
    // The disk fills half way through the write.
    real(path, String(data).slice(0, 100), options);
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
  });
  try {
    const running = await proxy(['--target', `${shared.provider.url}/beta`, '--quiet', ...Object.entries(files).flatMap(([k, v]) => [`--${k}`, v])]);
    expect((await post(running.url, requests.buildAt(3))).status).toBe(201);
    running.interrupt('SIGTERM');
    const { code, stdout, stderr } = await running.done;
    expect(stderr).toBe(`vppkit: cannot write --har ${files.har}: no space left on the device (ENOSPC); the file there was left as it was\n`);
    expect(code).toBe(2);
    expect(stdout).toContain(`wrote ${files.record}: 1 interaction\nwrote ${files.junit}\nwrote ${files.report}\nvppkit proxy: passed: 1 request, 1 create judged`);
    expect(stdout).not.toContain(`wrote ${files.har}`);
  } finally {
    full.mockRestore();
  }
  expect(readFileSync(files.har, 'utf8')).toBe('a good HAR of an earlier run\n');
  expect(JSON.parse(readFileSync(files.record, 'utf8')).interactions).toHaveLength(1);
  expect(readFileSync(files.junit, 'utf8')).toMatch(/^<\?xml/);
  // The report's line is stderr's, word for word (the system's words and the path as given: nothing of the traffic).
  expect(JSON.parse(readFileSync(files.report, 'utf8'))).toMatchObject({ passed: true, exitCode: 2, unwritten: [`cannot write --har ${files.har}: no space left on the device (ENOSPC); the file there was left as it was`] });
  // No temporary file is left beside them.
  expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});

// Decision 0801: the command no longer runs the report and JUnit through the redaction a second time (proxyReport hid
// them, 0683). What it adds is the exit code and the lines of files not written: an option, the user's path and the
// reason, which is the system's words or, for another error, its message, hidden as the line is made, so stderr and
// the report say the same line and neither holds the traffic's bearer.
it("a file not written for an error that quotes the client's bearer is said with the bearer hidden, on stderr and in the report alike", async () => {
  const files = { record: join(dir, 'leaky-pact.json'), report: join(dir, 'leaky-report.json'), junit: join(dir, 'leaky-junit.xml') };
  const real = fileWrites.writeFileSync;
  const refused = jest.spyOn(fileWrites, 'writeFileSync').mockImplementation((path, data, options) => {
    if (!String(path).includes('.leaky-pact.json.')) return real(path, data, options);
    throw new Error(`the pact was refused: it holds Authorization: ${BEARER}`);
  });
  let result: CliResult;
  try {
    const running = await proxy(['--target', `${shared.provider.url}/beta`, '--quiet', ...Object.entries(files).flatMap(([k, v]) => [`--${k}`, v])]);
    expect((await post(running.url, requests.buildAt(4))).status).toBe(201);
    running.interrupt('SIGTERM');
    result = await running.done;
  } finally {
    refused.mockRestore();
  }
  const line = `cannot write --record ${files.record}: the pact was refused: it holds Authorization: Bearer [token]; no file was made`;
  expect(result.stderr).toBe(`vppkit: ${line}\n`);
  expect(result.code).toBe(2);
  const text = readFileSync(files.report, 'utf8');
  expect(JSON.parse(text)).toMatchObject({ passed: true, exitCode: 2, unwritten: [line] });
  for (const written of [result.stdout, result.stderr, text, readFileSync(files.junit, 'utf8')]) expect(written).not.toContain(BEARER.slice(7));
});

// Item 6 of round 6 (I23 rest): a client that sent the kit's own placeholder sToken (copied from its examples) got a
// pact whose token was "[token]": the redaction hid the placeholder it had just written. A real token stays hidden.
it('--record keeps the kit placeholder a client sent readable, and hides a real token behind a placeholder', async () => {
  const { EXAMPLE_VPP_TOKEN } = require('../../src/contract') as typeof import('../../src/contract');
  const { startJudgingProxy, recordPact } = require('../../src/proxy') as typeof import('../../src/proxy');
  const real = requests.buildAt(5);
  const proxied = await startJudgingProxy({ target: `${shared.provider.url}/beta` });
  try {
    for (const body of [{ token: EXAMPLE_VPP_TOKEN }, { token: real.token, displayName: 'real' }]) expect((await post(proxied.url, body)).status).toBe(201);
  } finally {
    await proxied.close();
  }
  const file = join(dir, 'placeholder-pact.json');
  await recordPact(proxied.exchanges, file);
  const text = readFileSync(file, 'utf8');
  const tokens = (JSON.parse(text) as { interactions: { request: { body: { content: { token: string } } } }[] }).interactions.map((i) => i.request.body.content.token);
  expect(tokens).toHaveLength(2);
  expect(tokens).toContain(EXAMPLE_VPP_TOKEN);
  for (const token of tokens) expect(token).toMatch(/^eyJ[A-Za-z0-9+/]+=*$/);
  expect(text).not.toContain('[token]');
  expect(text).not.toContain(real.token.slice(0, 30));
});

// Outside tester P2: a client's bearer that is an ordinary JWT shares its first 26 characters (`{"typ":"JWT","alg":`)
// with the kit's example bearer, so hiding the client's bearer from the whole file rewrote the example to
// `Bearer [token]ub25lIn0.e30.`, and verify of the recorded pact got 401 everywhere. The example is the kit's.
it("--record keeps the kit's example bearer whole beside a client's JWT that shares its header, and hides the client's", async () => {
  const { EXAMPLE_AUTHORIZATION } = require('../../src/contract') as typeof import('../../src/contract');
  const { startJudgingProxy, recordPact } = require('../../src/proxy') as typeof import('../../src/proxy');
  const { verifyProvider } = require('../../src/verification') as typeof import('../../src/verification');
  const header = Buffer.from('{"typ":"JWT","alg":"RS256","kid":"abc123"}').toString('base64url');
  const clientJwt = `${header}.${Buffer.from('{"aud":"https://graph.microsoft.com","sub":"p2"}').toString('base64url')}.c2lnbmF0dXJlLW9mLXRoZS1jbGllbnQ`;
  const proxied = await startJudgingProxy({ target: `${shared.provider.url}/beta` });
  try {
    const answer = await fetch(`${proxied.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${clientJwt}` }, body: JSON.stringify({ token: requests.buildAt(9).token }) });
    expect(answer.status).toBe(201);
  } finally {
    await proxied.close();
  }
  const file = join(dir, 'jwt-pact.json');
  await recordPact(proxied.exchanges, file);
  const text = readFileSync(file, 'utf8');
  const pact = JSON.parse(text) as { interactions: { request: { headers: Record<string, string[]> } }[] };
  expect(pact.interactions.map((i) => i.request.headers.Authorization)).toEqual([[EXAMPLE_AUTHORIZATION]]);
  expect(text).not.toContain('c2lnbmF0dXJlLW9mLXRoZS1jbGllbnQ');
  expect(text).not.toContain(clientJwt.split('.')[1]);
  // And the pact verifies a correct provider again, which the mangled bearer could not.
  const verified = await verifyProvider({ providerBaseUrl: `${shared.provider.url}/beta`, pactFiles: [file] });
  expect(verified.passed).toBe(true);
});

// Outside tester P10: placeholders were handed out in the order the creates arrived, so the same creates sent in
// another order (parallel workers) gave a pact with other bytes: a new contract version for a broker.
it('--record writes the same bytes for the same creates whatever order they arrived in', async () => {
  const { startJudgingProxy, recordPact } = require('../../src/proxy') as typeof import('../../src/proxy');
  const bodies = [{ token: requests.buildAt(31).token }, { token: requests.buildAt(32).token, displayName: 'Fleet' }, { token: requests.buildAt(33).token, countryOrRegion: 'GB' }, { token: requests.buildAt(34).token, displayName: 'Other' }];
  const proxied = await startJudgingProxy({ target: `${shared.provider.url}/beta` });
  try {
    for (const body of bodies) expect((await post(proxied.url, body)).status).toBe(201);
  } finally {
    await proxied.close();
  }
  const inOrder = join(dir, 'order-a.json');
  const reversed = join(dir, 'order-b.json');
  await recordPact(proxied.exchanges, inOrder);
  await recordPact([...proxied.exchanges].reverse(), reversed);
  expect(JSON.parse(readFileSync(inOrder, 'utf8')).interactions).toHaveLength(3);
  expect(readFileSync(reversed, 'utf8')).toBe(readFileSync(inOrder, 'utf8'));
});

// Outside tester Q7 (decision 0433): a create answered by an injected fault was left out, so the same creates wrote
// other bytes (or no file) under each draw. A refused one stays refused, fault or none.
it('--record writes the same bytes for the same creates whatever faults answered them', async () => {
  const { startJudgingProxy, recordPact } = require('../../src/proxy') as typeof import('../../src/proxy');
  const bodies = [{ token: requests.buildAt(41).token }, { token: requests.buildAt(42).token, displayName: 'Fleet' }, { token: requests.buildAt(43).token, vppTokenAccountType: 'String' }];
  const files: string[] = [];
  for (const faults of [undefined, { failRate: 1, failWith: [429 as const] }, { failRate: 1, failWith: ['504-after-create' as const, 'reset-after-create' as const], seed: 2 }]) {
    const proxied = await startJudgingProxy({ target: `${shared.provider.url}/beta`, faults });
    try {
      for (const body of bodies) await post(proxied.url, body).catch(() => undefined);
    } finally {
      await proxied.close();
    }
    files.push(join(dir, `faults-${files.length}.json`));
    expect((await recordPact(proxied.exchanges, files[files.length - 1])).left).toEqual({});
  }
  const [plain, ...faulted] = files.map((file) => readFileSync(file, 'utf8'));
  const descriptions = JSON.parse(plain).interactions.map((i: { description: string }) => i.description);
  expect([descriptions.length, descriptions.filter((d: string) => d.endsWith('refused with 400')).length]).toEqual([3, 1]);
  for (const text of faulted) expect(text).toBe(plain);
});

// Outside finding R92 (decision 0850): a --record run that recorded nothing (its creates inside a JSON batch) said
// "not written" and exited 0, with an earlier run's pact still at the path; as check-client (0661, 0681): exit 2, the
// earlier file kept and said not to be this run's, in the line, the report and the JUnit. A run that records exits 0.
it('--record that records nothing exits 2 and says the pact there is kept, not this run\'s; one that records replaces it and exits 0', async () => {
  const files = { record: join(dir, 'r92-pact.json'), report: join(dir, 'r92-report.json'), junit: join(dir, 'r92-junit.xml') };
  writeFileSync(files.record, '{"earlier":"run"}\n');
  const args = ['--target', `${shared.provider.url}/beta`, '--quiet', ...Object.entries(files).flatMap(([k, v]) => [`--${k}`, v])];
  const batched = await proxy(args);
  const batch = await fetch(`${batched.url}/$batch`, {
    method: 'POST',
    headers: { Authorization: BEARER, 'Content-Type': 'application/json' },
    body: JSON.stringify({ requests: [{ id: '1', method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body: requests.buildAt(92) }] }),
  });
  expect(batch.status).toBe(200);
  batched.interrupt('SIGTERM');
  const none = await batched.done;
  const line = `no pact written: no create a pact can describe (left out: 1 inside a JSON batch); the pact that was there, ${files.record}, is kept: it is not this run's`;
  expect(none.stdout).toContain('\nvppkit proxy: passed: ');
  expect(none.stdout).not.toContain('nothing to record');
  expect(none.stderr).toBe(`vppkit: ${line}\n`);
  expect(none.code).toBe(2);
  expect(readFileSync(files.record, 'utf8')).toBe('{"earlier":"run"}\n');
  expect(JSON.parse(readFileSync(files.report, 'utf8'))).toMatchObject({ passed: true, exitCode: 2, unwritten: [line] });
  expect(readFileSync(files.junit, 'utf8').replace(/>\s+</g, '><')).toContain(`<testcase classname="vppkit.proxy" name="pact"><error message="${line.replace(/'/g, '&apos;')}">`);

  const alone = await proxy(args);
  expect((await post(alone.url, requests.buildAt(93))).status).toBe(201);
  alone.interrupt('SIGTERM');
  const recorded = await alone.done;
  expect(recorded.stderr).toBe('');
  expect(recorded.code).toBe(0);
  expect(JSON.parse(readFileSync(files.record, 'utf8'))).toMatchObject({ consumer: { name: 'vpptokens-client' }, interactions: [expect.anything()] });
  expect(JSON.parse(readFileSync(files.report, 'utf8'))).toMatchObject({ passed: true, exitCode: 0 });
  expect(JSON.parse(readFileSync(files.report, 'utf8')).unwritten).toBeUndefined();
  expect(readFileSync(files.junit, 'utf8')).not.toContain('name="pact"');
});

// Outside finding R93 (decision 0851): --target .../v1.0 without --profile warned "judged by beta's rules" and said
// "(Graph beta)", while its creates were judged by v1.0 (the forwarded path's version, 0723), and --record left them
// all out. Now the target's version is the proxy's profile; a --profile given that names another is said for what it does.
it('--target .../v1.0 without --profile says and records Graph v1.0; a --profile beta given beside it is said to choose what --record records', async () => {
  const v1 = createRequestFactory.withProfile('v1.0').withSeed(1851);
  const record = join(dir, 'r93-pact.json');
  const plain = await proxy(['--target', `${shared.provider.url}/v1.0`, '--quiet', '--record', record]);
  expect(plain.output()).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+, forwarding to http:\/\/127\.0\.0\.1:\d+\/v1\.0 \(Graph v1\.0\)\n/);
  expect((await post(plain.url, v1.buildAt(0))).status).toBe(201);
  plain.interrupt('SIGTERM');
  const recorded = await plain.done;
  expect(recorded.stderr).toBe('');
  expect(recorded.code).toBe(0);
  expect(recorded.stdout).toContain(`\nwrote ${record}: 1 interaction\n`);
  expect(JSON.parse(readFileSync(record, 'utf8')).metadata.vppkit).toMatchObject({ profile: 'v1.0' });

  const given = await proxy(['--target', `${shared.provider.url}/v1.0`, '--quiet', '--profile', 'beta', '--record', record]);
  expect(given.output()).toMatch(/ \(Graph beta\)\n/);
  expect((await post(given.url, v1.buildAt(1))).status).toBe(201);
  given.interrupt('SIGTERM');
  const left = await given.done;
  expect(left.stderr.split('\n')).toEqual([
    "vppkit: warning: --profile beta, but --target ends in /v1.0: a create whose path names no version goes to Graph v1.0 and is judged by v1.0's rules, and --record records only the creates judged by beta; give --profile v1.0, or leave it out, or the /beta URL",
    `vppkit: no pact written: no create a pact can describe (left out: 1 judged by Graph v1.0, not beta (--profile)); the pact that was there, ${record}, is kept: it is not this run's`,
    '',
  ]);
  expect(left.stdout).toContain('\nvppkit proxy: passed: ');
  expect(left.code).toBe(2);
});
