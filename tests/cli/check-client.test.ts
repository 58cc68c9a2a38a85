// vppkit check-client's exit codes and --json, as a CI job sees them. Each test mostly waits on a client process (a
// timeout, a Retry-After, a pact written): the tests run at once.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { checkClient } from 'vpptokens-contract-kit/provider';
import '../support/pact-loaded';
import { BIN } from '../support/cli';
import { withHttpFetch } from '../support/http-fetch';
import { run as vppkit } from '../support/run-cli';
import { sTokenOf } from '../support/stoken';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-cli-check-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Each client process sends through node:http, with fetch's interface (tests/support/http-fetch.ts, decision 0711).
const create = `console.log('the client says hello'); fetch(process.env.VPPKIT_MOCK_URL + '/deviceAppManagement/vppTokens', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' }, body: '{"token":"eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9"}' }).then((r) => process.exit(r.status === 201 ? 0 : 3))`;
const good = withHttpFetch(create);

describe('vppkit check-client', () => {
  it.concurrent('exits 2 when the client command does not exist', async () => {
    const result = await vppkit(['check-client', '--pact-dir', dir, '--', 'no-such-client-binary-4711']);
    expect(result.stderr).toBe('vppkit: command not found: no-such-client-binary-4711\n');
    expect(result.code).toBe(2);
    // Said once: no report of "0 requests checked ... failed" on stdout for a run that never started.
    expect(result.stdout).toBe('');
  });

  // Outside tester P3: the shell's `NAME=value command` idiom after `--` (check-client runs no shell) made the
  // assignment the program's name, and "command not found" printed the whole access token, in --json and --junit too.
  it.concurrent("never prints a NAME=value word's value, nor a long program name, that could not be started", async () => {
    const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.c2lnbmF0dXJlc2lnbmF0dXJl';
    const junit = join(dir, 'p3.xml');
    const text = await vppkit(['check-client', '--pact-dir', dir, '--', `GRAPH_TOKEN=${jwt}`, 'node', 'client.js']);
    expect([text.code, text.stdout]).toEqual([2, '']);
    expect(text.stderr).toBe(
      `vppkit: command not found: GRAPH_TOKEN=(a value of ${jwt.length} characters, not shown): check-client runs no shell, so a NAME=value word is taken for the program; set the variable before vppkit (GRAPH_TOKEN=... vppkit check-client -- node ...) or with env after -- (-- env GRAPH_TOKEN=... node ...)\n`,
    );
    const json = await vppkit(['check-client', '--pact-dir', dir, '--json', '--junit', junit, '--', `GRAPH_TOKEN=${jwt}`, 'node']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).client.startError).toMatch(/^command not found: GRAPH_TOKEN=\(a value of \d+ characters, not shown\)/);
    for (const written of [json.stdout, json.stderr, readFileSync(junit, 'utf8')]) expect(written).not.toContain('c2lnbmF0dXJl');
    // A program's name with no folder in it and longer than 24 characters is shown by its length, as a stray argument is.
    const long = await vppkit(['check-client', '--pact-dir', dir, '--', jwt]);
    expect([long.code, long.stderr]).toEqual([2, `vppkit: command not found: a program name of ${jwt.length} characters, not shown\n`]);
  });

  // Outside tester P17: under faults, a client whose every create was answered by an injected fault passed with no
  // pact and no word of it. Since outside tester Q7 (decision 0433) such a run writes the pact its creates write
  // without faults, byte for byte, so the CI step publishing pacts next publishes no changed contract.
  it.concurrent('writes the same pact when every create was answered by an injected fault as without faults, in text and --json', async () => {
    const [faulted, plainDir] = [mkdtempSync(join(dir, 'all-faulted-')), mkdtempSync(join(dir, 'no-faults-'))];
    const json = await vppkit(['check-client', '--fail-rate', '1', '--fail-with', '429', '--pact-dir', faulted, '--json', '--', process.execPath, '-e', good]);
    const report = JSON.parse(json.stdout);
    expect([report.passed, report.noPact, json.stdout.includes('no pact written')]).toEqual([true, undefined, false]);
    const plain = await vppkit(['check-client', '--pact-dir', plainDir, '--', process.execPath, '-e', good]);
    expect([plain.code, plain.stdout.includes('no pact written')]).toEqual([0, false]);
    const [file] = readdirSync(plainDir);
    expect(readdirSync(faulted)).toEqual([file]);
    expect(readFileSync(join(faulted, file), 'utf8')).toBe(readFileSync(join(plainDir, file), 'utf8'));
  });

  // Outside attacker R69 (decision 0661): a run that passed but wrote no pact (the client closed each create before its
  // answer: its own timeout, shorter than --latency) exited 0 with the pact of an earlier run still in --pact-dir, which
  // `check-client ... && pact-broker publish pacts/` published as this run's. Exit 0 now means this run's pact was written.
  it.concurrent("exits 2 when a run that passed wrote no pact, keeping the earlier run's file untouched; 0 once its pact replaces it", async () => {
    // Its create closes its connection once the request is sent (`closed`), before the mock's latency of 3 s has
    // passed, or waits for the answer; then it reads the list back and exits 0 when its vppToken is there. It closed
    // on a 2 s timer of its own, which a machine at load 20 ran after the mock's 3 s (CI at mid-round 19): the close
    // now waits on nothing, so the mock's latency is the whole margin.
    const careful = (closed: boolean) => withHttpFetch(`const url = process.env.VPPKIT_MOCK_URL + '/deviceAppManagement/vppTokens';
      const token = 'eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9';
      const create = { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' }, body: JSON.stringify({ token }) };
      const sendAndClose = () => new Promise((resolve) => {
        const out = require('node:http').request(url, { method: 'POST', headers: { ...create.headers, 'Content-Length': Buffer.byteLength(create.body) } });
        out.on('error', resolve);
        out.on('close', resolve);
        out.end(create.body, () => out.destroy());
      });
      (async () => {
        try { if (${closed}) await sendAndClose(); else await (await fetch(url, create)).text(); } catch {}
        const list = await (await fetch(url, { headers: { Authorization: 'Bearer t' } })).json();
        process.exit(list.value.length === 1 ? 0 : 1);
      })()`);
    const [late, prompt] = [mkdtempSync(join(dir, 'r69-late-')), mkdtempSync(join(dir, 'r69-prompt-'))];
    const stale = '{"consumer":{"name":"vpptokens-client"},"provider":{"name":"microsoft-graph-vpptokens"},"interactions":[],"metadata":{"note":"an earlier run"}}';
    const name = 'vpptokens-client-microsoft-graph-vpptokens.json';
    for (const folder of [late, prompt]) writeFileSync(join(folder, name), stale);
    const [text, json, plain] = await Promise.all([
      vppkit(['check-client', '--latency', '3000-3100', '--pact-dir', late, '--', process.execPath, '-e', careful(true)]),
      vppkit(['check-client', '--latency', '3000-3100', '--pact-dir', late, '--json', '--', process.execPath, '-e', careful(true)]),
      vppkit(['check-client', '--pact-dir', prompt, '--', process.execPath, '-e', careful(false)]),
    ]);
    const said = `vppkit: no pact written: no create got an answer of the contract to describe (1 got no answer: the client closed its connection before the mock answered); give the client a timeout longer than --latency, or lower --latency, to write one; the pact that was there, ${join(late, name)}, is kept: it is not this run's\n`;
    expect([text.code, text.stderr, text.stdout.includes('no pact written')]).toEqual([2, said, false]);
    expect(text.stdout).toMatch(/\nvppkit check-client: passed: 2 requests checked/);
    const report = JSON.parse(json.stdout);
    expect([json.code, report.exitCode, report.passed, report.pactFile, `vppkit: ${report.noPact}\n`]).toEqual([2, 2, true, undefined, said]);
    expect(readFileSync(join(late, name), 'utf8')).toBe(stale);
    // The same client answered within its timeout: its pact replaces the earlier one, exit 0.
    expect([plain.code, plain.stderr]).toEqual([0, '']);
    expect(JSON.parse(readFileSync(join(prompt, name), 'utf8')).interactions).toHaveLength(1);
  });

  it.concurrent('refuses a --pact-dir that is a file before running the client', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const marker = join(dir, 'client-ran');
    const result = await vppkit(['check-client', '--pact-dir', file, '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`]);
    expect(result.stderr).toBe(`vppkit: --pact-dir ${file} is a file, not a folder\n`);
    expect(result.code).toBe(2);
    expect(existsSync(marker)).toBe(false);
  });

  // A report that can't be written is said before the client runs, not after its work (decision 0310).
  it.concurrent('refuses a --junit file in a folder that does not exist before running the client', async () => {
    const marker = join(dir, 'client-ran-junit');
    const junit = join(dir, 'no-such-folder', 'client.xml');
    const result = await vppkit(['check-client', '--pact-dir', dir, '--junit', junit, '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`]);
    expect([result.code, result.stderr, result.stdout]).toEqual([2, `vppkit: --junit ${junit}: the folder ${join(dir, 'no-such-folder')} does not exist\n`, '']);
    expect(existsSync(marker)).toBe(false);
  });

  // Outside tester G16: a folder Pact could not make was "internal error (a bug in vppkit)" after the client ran,
  // and --json's stdout held Pact's log lines instead of the JSON object.
  it.concurrent('refuses a --pact-dir it cannot make before running the client, in one line and, with --json, one JSON object', async () => {
    const marker = join(dir, 'client-ran-unmakeable');
    const client = ['--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`];
    const [text, json] = await Promise.all([vppkit(['check-client', '--pact-dir', '/proc/vppkit-nope', ...client]), vppkit(['check-client', '--json', '--pact-dir', '/proc/vppkit-nope', ...client])]);
    const error = 'cannot write the pact to /proc/vppkit-nope: no such file or folder (ENOENT)';
    expect([text.code, text.stderr, text.stdout]).toEqual([2, `vppkit: ${error}\n`, '']);
    expect([json.code, JSON.parse(json.stdout)]).toEqual([2, { command: 'check-client', passed: false, exitCode: 2, error }]);
    expect(existsSync(marker)).toBe(false);
    // The library refuses it the same way before the client runs (a Node system error naming the folder).
    await expect(checkClient({ command: process.execPath, args: client.slice(2), pactDir: '/proc/vppkit-nope', stdio: 'pipe' })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync(marker)).toBe(false);
    // A folder that does not exist yet but can be made is made, and the pact written into it.
    const nested = join(dir, 'not-yet', 'pacts');
    const made = await vppkit(['check-client', '--pact-dir', nested, '--consumer', 'nested', '--', process.execPath, '-e', good]);
    expect(made.code).toBe(0);
    expect(existsSync(join(nested, 'nested-microsoft-graph-vpptokens.json'))).toBe(true);
  });

  it.concurrent('prints a JSON summary with --json', async () => {
    const result = await vppkit(['check-client', '--json', '--pact-dir', dir, '--consumer', 'json-client', '--', process.execPath, '-e', good]);
    expect(result.code).toBe(0);
    // stdout is the report's alone: the client's own output goes to stderr.
    expect(result.stderr).toBe('the client says hello\n');
    expect(JSON.parse(result.stdout)).toEqual({
      command: 'check-client',
      passed: true,
      exitCode: 0,
      client: { exitCode: 0, signal: null, timedOut: false },
      requests: [{ method: 'POST', path: '/deviceAppManagement/vppTokens', query: '', kind: 'create', status: 201, problems: [], details: [] }],
      counts: { checked: 1, kept: 1, broke: 0, notJudged: 0, closedByClient: 0, notRun: 0, notModelled: 0 },
      failures: [],
      // The behaviour checks run without faults too (decision 0205).
      checks: ['retry-after', 'no duplicate', 'bounded retries', 'no silent loss', 'timeout'].map((name) => ({ name, passed: true, findings: [] })),
      pactFile: join(dir, 'json-client-microsoft-graph-vpptokens.json'),
      summary:
        '1 request checked: 1 kept the contract, 0 broke it; 4 of 4 behaviour checks passed (retry-after: passed, no duplicate: passed, bounded retries: passed, no silent loss: passed); 1 create of 1 token: 1 created, 0 extra creations, 0 never created; client exit code 0',
    });
  });

  // Decision 0611: a 501 for what the mock does not model was counted among the requests that kept the contract.
  it.concurrent('counts a request not judged apart, in the text, --json and --junit', async () => {
    const me = withHttpFetch(`fetch(process.env.VPPKIT_MOCK_URL + '/me', { headers: { Authorization: 'Bearer t' } }).then(() => { ${create} })`);
    const junit = join(dir, 'not-judged.xml');
    const [text, json] = await Promise.all([
      vppkit(['check-client', '--pact-dir', dir, '--consumer', 'not-judged-text', '--junit', junit, '--', process.execPath, '-e', me]),
      vppkit(['check-client', '--json', '--pact-dir', dir, '--consumer', 'not-judged-json', '--', process.execPath, '-e', me]),
    ]);
    expect([text.code, json.code]).toEqual([0, 0]);
    expect(text.stdout).toMatch(/^request 1: GET \/me -> 501 not judged \(not judged: reading another Graph resource \(me\) is not modelled by the mock/m);
    expect(text.stdout).toMatch(/^request 2: POST \/deviceAppManagement\/vppTokens -> 201 ok$/m);
    expect(text.stdout).toMatch(/: 2 requests checked: 1 kept the contract, 0 broke it, 1 not judged \(not modelled by the mock: answered 501\);/);
    expect(JSON.parse(json.stdout).counts).toEqual({ checked: 2, kept: 1, broke: 0, notJudged: 1, closedByClient: 0, notRun: 0, notModelled: 1 });
    expect(readFileSync(junit, 'utf8')).toMatch(/name="request 1: GET \/me -&gt; 501">\n\s+<skipped message="not judged: reading another Graph resource \(me\)/);
  });

  it.concurrent('gives each problem in --json as its line and as fields: the part, the header, the body pointer', async () => {
    const bad = withHttpFetch(`fetch(process.env.VPPKIT_MOCK_URL + '/deviceAppManagement/vppTokens', { method: 'POST', headers: { 'Content-Type': 'text/plain', Authorization: 'Bearer t' }, body: '{"token":"eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9","colour":"red"}' }).then(() => process.exit(0))`);
    const result = await vppkit(['check-client', '--json', '--pact-dir', dir, '--consumer', 'json-fields', '--', process.execPath, '-e', bad]);
    expect(result.code).toBe(1);
    const [request] = JSON.parse(result.stdout).requests;
    expect(request.status).toBe(415);
    expect(request.problems).toEqual([expect.stringMatching(/^header Content-Type: must be application\/json/), expect.stringMatching(/^body \/colour: is not a known property/)]);
    expect(request.details).toEqual([
      { part: 'header', header: 'Content-Type', where: 'header Content-Type', rule: 'media type', message: expect.stringMatching(/^must be application\/json/) },
      { part: 'body', pointer: '/colour', where: 'body /colour', message: expect.stringMatching(/^is not a known property \(allowed: @odata\.type, id, /), allowed: expect.arrayContaining(['@odata.type', 'id', 'token']) },
    ]);
  });

  // Outside tester Q12: a disk that filled while the pact was written gave "internal error (a bug in vppkit)", no
  // verdict, and a cut file in place of the last good pact (which a CI step then published). Now the pact is written
  // whole or not at all, the verdict is shown, and the run is exit 2 (output it can't write) with the reason.
  it.concurrent('keeps the last good pact and gives the verdict when the disk fills as the pact is written: exit 2', async () => {
    const pactDir = join(dir, 'q12');
    const args = ['check-client', '--pact-dir', pactDir, '--consumer', 'q12-client', '--', process.execPath, '-e', good];
    const first = await vppkit(args);
    expect([first.code, first.stderr]).toEqual([0, '']);
    const file = join(pactDir, 'q12-client-microsoft-graph-vpptokens.json');
    const goodPact = readFileSync(file, 'utf8');
    const { fileWrites } = require('../../src/net/file') as typeof import('../../src/net/file');
    const rename = fileWrites.renameSync;
    // Only this test's pact fails to take its place: the other tests of this file run at the same time.
    const full = jest.spyOn(fileWrites, 'renameSync').mockImplementation((from, to) => {
      if (String(to) === file) throw Object.assign(new Error('ENOSPC: no space left on device, rename'), { code: 'ENOSPC' });
      rename(from, to);
    });
    let again: Awaited<ReturnType<typeof vppkit>>;
    let json: Awaited<ReturnType<typeof vppkit>>;
    try {
      again = await vppkit(args);
      json = await vppkit(['check-client', '--json', ...args.slice(1)]);
    } finally {
      full.mockRestore();
    }
    expect(again.stdout).toMatch(/^request 1: POST \/deviceAppManagement\/vppTokens -> 201 ok$/m);
    expect(again.stdout).toMatch(/^vppkit check-client: passed: /m);
    expect(again.stdout).not.toContain('wrote ');
    expect(again.stderr).toBe(`vppkit: cannot write the pact ${file}: no space left on the device (ENOSPC); the pact that was there is kept\n`);
    expect(again.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ passed: true, exitCode: 2, pactUnwritten: expect.stringContaining('(ENOSPC); the pact that was there is kept') });
    expect(JSON.parse(json.stdout)).not.toHaveProperty('pactFile');
    expect(json.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe(goodPact);
    expect(readdirSync(pactDir)).toEqual(['q12-client-microsoft-graph-vpptokens.json']);
  }, 60_000);

  // The same with the file-size limit of the process itself (`ulimit -f`, as the outside tester did): Pact's core then
  // fails to write in its own folder, and says why only in its own log line. The process's limit is the subject.
  it.concurrent("says Pact's core could not write the pact under a file-size limit, keeps the last one: exit 2, no internal error", async () => {
    const pactDir = join(dir, 'q12-ulimit');
    const args = ['check-client', '--pact-dir', pactDir, '--consumer', 'q12-limited', '--', process.execPath, '-e', good];
    expect((await vppkit(args)).code).toBe(0);
    const file = join(pactDir, 'q12-limited-microsoft-graph-vpptokens.json');
    const goodPact = readFileSync(file, 'utf8');
    expect(goodPact.length).toBeGreaterThan(8 * 1024);
    const limited = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
      const child = spawn('bash', ['-c', `ulimit -f 4; exec ${quoted}`], { env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c));
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(limited.stdout).toMatch(/^request 1: POST \/deviceAppManagement\/vppTokens -> 201 ok$/m);
    expect(limited.stderr).toContain(`vppkit: cannot write the pact ${file}: Pact's core could not write it (its own log line above gives the system's reason); the pact that was there is kept\n`);
    expect(limited.stderr).not.toContain('internal error');
    expect(limited.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe(goodPact);
  }, 60_000);

  it.concurrent('reports a timeout with a fractional --timeout: exit 1', async () => {
    const result = await vppkit(['check-client', '--timeout', '1.5', '--pact-dir', dir, '--', process.execPath, '-e', 'setInterval(() => {}, 1000)']);
    expect(result.stdout).toContain('check-client: the client did not finish within 1.5 s: its process group was stopped');
    expect(result.code).toBe(1);
  });
});

describe('vppkit check-client with fault options', () => {
  const habits = join(__dirname, '..', 'client-check', 'clients', 'habits.js');
  const correct = { honoursRetryAfter: true, readsBackAfterUnknown: true, maxAttempts: 10, reportsFailure: true };
  // Apple sTokens, as Intune takes them (decision 0216).
  const bodies = JSON.stringify(['token-one', 'token-two', 'token-three', 'token-four'].map((token) => ({ token: sTokenOf(token) })));
  const faults = ['--fail-rate', '0.5', '--fail-with', '429,503,504-after-create,reset-after-create', '--retry-after', '1', '--seed', '10'];

  it.concurrent('names each check in the output, --json and --junit; exit 0 for a correct client, 1 for a blind retrier', async () => {
    const junit = join(dir, 'client.xml');
    const [good, blind, json] = await Promise.all([
      vppkit(['check-client', ...faults, '--pact-dir', dir, '--junit', junit, '--', process.execPath, habits, JSON.stringify(correct), bodies]),
      vppkit(['check-client', ...faults, '--pact-dir', dir, '--', process.execPath, habits, JSON.stringify({ ...correct, readsBackAfterUnknown: false }), bodies]),
      vppkit(['check-client', ...faults, '--json', '--pact-dir', dir, '--consumer', 'faults-json', '--', process.execPath, habits, JSON.stringify({ ...correct, readsBackAfterUnknown: false }), bodies]),
    ]);
    expect(good.stdout.split('\n')[0]).toBe('faults: fail-rate 0.5 with 429,503,504-after-create,reset-after-create; seed 10');
    expect(good.stdout).toMatch(/^request \d+: POST \/deviceAppManagement\/vppTokens -> no answer \(injected fault: reset-after-create\) ok$/m);
    expect(good.stdout).toMatch(/^request \d+: GET \/deviceAppManagement\/vppTokens\?\$top=5 -> 200 ok \(a read of what it created\)$/m);
    for (const name of ['retry-after', 'no duplicate', 'bounded retries', 'no silent loss', 'timeout']) expect(good.stdout).toContain(`\ncheck ${name}: passed\n`);
    expect(good.code).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="');
    for (const name of ['retry-after', 'no duplicate', 'bounded retries', 'no silent loss', 'timeout']) expect(xml).toContain(`<testcase classname="check-client" name="${name}"/>`);

    expect(blind.stdout).toContain('\ncheck no duplicate: FAILED\n  token ');
    expect(blind.stdout).toContain('check-client: no duplicate: ');
    expect(blind.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ passed: false, exitCode: 1, faults: { seed: 10 } });
    expect(report.checks.map((c: { name: string; passed: boolean }) => [c.name, c.passed])).toEqual([
      ['retry-after', true],
      ['no duplicate', false],
      ['bounded retries', true],
      ['no silent loss', true],
      ['timeout', true],
    ]);
    expect(report.requests.some((r: { status: number | null; fault?: string }) => r.status === null && r.fault === 'reset-after-create')).toBe(true);
    expect(json.code).toBe(1);
    // Token values are credentials: never in the output.
    for (const text of [good.stdout, blind.stdout, json.stdout, xml]) expect(text).not.toMatch(/dG9rZW4t/);
  }, 60_000);

  it.concurrent('refuses --max-attempts without fault options, and a bad fault option, with exit 2', async () => {
    const [attempts, kind] = await Promise.all([
      vppkit(['check-client', '--max-attempts', '3', '--pact-dir', dir, '--', process.execPath, '-e', good]),
      vppkit(['check-client', '--fail-rate', '0.1', '--fail-with', '504-later', '--pact-dir', dir, '--', process.execPath, '-e', good]),
    ]);
    expect([attempts.code, attempts.stderr]).toEqual([2, 'vppkit: --max-attempts needs fault options (--fail-rate, --rate-limit, --latency or --faults): it bounds retries after a fault\n']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/^vppkit: --fail-with must be kinds from 429, 500, 502, 503, 504, 504-after-create, reset-after-create/);
  });
});
