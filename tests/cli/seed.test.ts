import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';
import { run as vppkit } from '../support/run-cli';
import { selfSignedCertificate, type SelfSigned } from '../support/tls';
import { cleanUp, closedPort, created, dir, range, readReport, reportPath, stderrLines as oneLine, target } from '../support/seed-cli';

let provider: ReferenceProvider;
beforeAll(async () => {
  provider = await startReferenceProvider();
});
afterEach(cleanUp);
afterAll(() => provider.close());

describe('vppkit seed', () => {
  it('creates generated records on the reference provider, which can read them back', async () => {
    const report = reportPath();
    const result = await vppkit(['seed', '--target', `${provider.url}/beta`, '--count', '60', '--seed', '3', '--trait', 'education', '--bearer', 'cli-secret-bearer', '--report', report]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^vppkit seed: 60 records: 60 created, 0 failed, 0 invalid, 0 unknown, 0 not sent in [\d.]+ s \(\d+ created\/s\); report: /);
    const { header, final } = readReport(report);
    expect(header).toEqual({ vppkitSeedReport: 1, run: { source: { generated: { kind: 'request', seed: 3, count: 60, offset: 0, traits: ['education'] } }, target: `${provider.url}/beta`, profile: 'beta' } });
    expect(final.map((e) => e.index)).toEqual(range(60));
    for (const e of final) expect(provider.vppTokens.get(e.id!)?.vppTokenAccountType).toBe('education');
  });

  it('creates the records of a file, reporting the invalid ones without sending them: exit 1', async () => {
    const file = join(dir, 'input.ndjson');
    writeFileSync(file, [JSON.stringify(createRequestFactory.buildAt(0)), '{"displayName":"no token"}', JSON.stringify(createRequestFactory.buildAt(1))].join('\n'));
    const report = reportPath();
    const result = await vppkit(['seed', '--target', provider.url, '--from', file, '--bearer', 't', '--report', report]);
    expect(result.code).toBe(1);
    const { header, final } = readReport(report);
    expect(final.map((e) => e.status)).toEqual(['created', 'invalid', 'created']);
    expect(header.run).toEqual({ source: { from: file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') }, target: provider.url, profile: 'beta' });
  });

  // Outside tester Q6 (decision 0427): a record holding the read-only id was sent and reported created, exit 0, though
  // check-client fails that request; a token that is no Apple sToken was sent too. Judged as validate judges it.
  it('reports a record check-client would fail invalid and does not send it; --schema-tokens takes any token', async () => {
    const file = join(dir, 'read-only.ndjson');
    const [a, b, c] = [0, 1, 2].map((i) => createRequestFactory.withSeed(427).buildAt(i));
    writeFileSync(file, [JSON.stringify({ ...a, id: '2f6c0000-0000-0000-0000-000000000001', lastModifiedDateTime: '2026-01-01T00:00:00Z' }), JSON.stringify({ ...b, token: 'plain-test-token' }), JSON.stringify(c)].join('\n'));
    const before = provider.vppTokens.size;
    const report = reportPath();
    const result = await vppkit(['seed', '--target', provider.url, '--from', file, '--bearer', 't', '--report', report]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('  1 invalid: /id: is read-only: the service sets it (readOnly in the request schema), and may ignore it or refuse the create for it (JSON Schema Validation 2020-12 §9.4): leave it out\n');
    expect(result.stdout).toContain('  1 invalid: /token: is not an Apple VPP token');
    expect(readReport(report).final.map((e) => e.status)).toEqual(['invalid', 'invalid', 'created']);
    expect(provider.vppTokens.size).toBe(before + 1);
    const anyToken = reportPath();
    const taken = await vppkit(['seed', '--target', provider.url, '--from', file, '--schema-tokens', '--bearer', 't', '--report', anyToken]);
    expect(readReport(anyToken).final.map((e) => e.status)).toEqual(['invalid', 'created', 'created']);
    expect(taken.code).toBe(1);
    const generated = await vppkit(['seed', '--target', provider.url, '--count', '1', '--schema-tokens', '--report', reportPath()]);
    expect(generated.code).toBe(2);
    expect(generated.stderr).toBe('vppkit: --schema-tokens goes with --from: generated records hold Apple sTokens\n');
  });

  // Outside tester Q2 (decision 0429): a second run of the same records (--force, an overlapping shard) was '5 created',
  // exit 0, though each 201 said the target already held the token (state duplicateLocationId).
  it('never calls a create the target answered duplicateLocationId a clean one: counted, said, exit 1', async () => {
    const args = ['seed', '--target', `${provider.url}/beta`, '--count', '3', '--seed', '4290', '--bearer', 't', '--report', reportPath()];
    expect((await vppkit(args)).code).toBe(0);
    const again = await vppkit([...args, '--force']);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^vppkit seed: 3 records: 3 created, 0 failed, 0 invalid, 0 unknown, 0 not sent /);
    expect(again.stdout).toContain('  3 created again: the target already held the token: its 201 said state duplicateLocationId, so it now holds a second vppToken for it\n');
    expect(readReport(args[args.length - 1]).final.map((e) => (e as { state?: string }).state)).toEqual(['duplicateLocationId', 'duplicateLocationId', 'duplicateLocationId']);
  });

  describe('bounded time', () => {
    it('stops after a run of connection failures against a closed port, reporting every record: exit 2', async () => {
      const report = reportPath();
      const port = await closedPort();
      const result = await vppkit(['seed', '--target', `http://127.0.0.1:${port}`, '--count', '200', '--concurrency', '2', '--max-consecutive-failures', '4', '--bearer', 't', '--report', report]);
      expect(result.code).toBe(2);
      expect(oneLine(result.stderr)).toEqual([`vppkit: seed stopped: http://127.0.0.1:${port} did not answer: 4 connection attempts in a row failed (last: cannot connect to 127.0.0.1:${port} (ECONNREFUSED))`]);
      expect(result.stdout).toMatch(/^vppkit seed: 200 records: 0 created, \d+ failed, 0 invalid, 0 unknown, \d+ not sent .*, stopped; report: /);
      const { final } = readReport(report);
      expect(final.map((e) => e.index)).toEqual(range(200));
      // At most the 4 failures in a row, plus one more from the other connection already under way.
      const attempts = final.reduce((sum, e) => sum + (e.attempts ?? 0), 0);
      expect(attempts).toBeLessThanOrEqual(5);
      expect(final.filter((e) => e.status === 'not-sent').length).toBeGreaterThanOrEqual(198);
    });

    // Outside tester Q14: creates stored and then dropped were "did not answer ... connection attempts", exit 2.
    it('stops after creates sent whole and dropped unanswered, saying so: exit 1, the records unknown', async () => {
      const storing = await target(() => ({ kind: 'create-then-cut' }));
      const report = reportPath();
      const result = await vppkit(['seed', '--target', storing.url, '--count', '15', '--concurrency', '1', '--max-consecutive-failures', '4', '--bearer', 't', '--report', report]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^vppkit seed: 15 records: 0 created, 0 failed, 0 invalid, 4 unknown, 11 not sent .*, stopped; report: /);
      expect(oneLine(result.stderr)).toEqual([`vppkit: seed stopped: ${storing.url} answered none of 4 creates in a row that were sent whole (last: the connection was dropped without an answer (ECONNRESET)): it may have created each (reported unknown): --resume --retry-unknown reads the target's vppTokens back and sends again only those it does not hold`]);
      expect(created(storing)).toEqual({ count: 4, distinct: 4 });
    });

    it('ends at once, without retrying, on an unknown host', async () => {
      const report = reportPath();
      const result = await vppkit(['seed', '--target', 'http://no-such-host.invalid', '--count', '20', '--concurrency', '1', '--bearer', 't', '--report', report]);
      expect(result.code).toBe(2);
      expect(oneLine(result.stderr)).toEqual([expect.stringMatching(/^vppkit: seed stopped: cannot resolve the host no-such-host\.invalid \((ENOTFOUND|EAI_AGAIN)\): check --target$/)]);
      const { final } = readReport(report);
      expect(final.map((e) => e.index)).toEqual(range(20));
      expect(final.filter((e) => e.status === 'failed')).toEqual([expect.objectContaining({ index: 0, attempts: 1 })]);
    });

    // Outside tester J27: a Retry-After over 60 s failed the record by a limit no help named and no option raised.
    it('takes a Retry-After up to --max-retry-after, and fails a longer one naming the option', async () => {
      const throttled = await target(() => ({ kind: 'status', status: 429, retryAfter: '2' }));
      const short = reportPath();
      const given = await vppkit(['seed', '--target', throttled.url, '--count', '1', '--max-retry-after', '1', '--bearer', 't', '--report', short]);
      expect(given.code).toBe(1);
      const why = 'Retry-After: 2 asks for longer than the 1 s --max-retry-after allows';
      expect(readReport(short).final).toEqual([expect.objectContaining({ status: 'failed', httpStatus: 429, message: expect.stringMatching(/\(Retry-After: 2 asks for longer than the 1 s --max-retry-after allows\)$/), gaveUp: why, attempts: 1 })]);
      // The summary says the kit's own limit gave it up, not only the server's 429 (outside tester Q4).
      expect(given.stdout).toContain(`  1 failed: 429 TooManyRequests: ${why}\n`);
      let sent = 0;
      const once = await target(() => (sent++ === 0 ? { kind: 'status', status: 429, retryAfter: '1' } : { kind: 'create' }));
      const waited = reportPath();
      expect((await vppkit(['seed', '--target', once.url, '--count', '1', '--max-retry-after', '2', '--bearer', 't', '--report', waited])).code).toBe(0);
      expect(readReport(waited).final).toEqual([expect.objectContaining({ status: 'created', attempts: 2 })]);
    });

    it('gives a request that gets no answer up after --timeout as unknown, and stops after a run of them', async () => {
      const hanging = await target(() => ({ kind: 'hang' }));
      const report = reportPath();
      const result = await vppkit(['seed', '--target', hanging.url, '--count', '50', '--concurrency', '2', '--timeout', '0.3', '--max-consecutive-failures', '3', '--bearer', 't', '--report', report]);
      // Sent whole and never answered: the records are unknown, not a target never reached (decision 0426): exit 1.
      expect(result.code).toBe(1);
      expect(oneLine(result.stderr)).toEqual([`vppkit: seed stopped: ${hanging.url} answered none of 3 creates in a row that were sent whole (last: no answer within 0.3 s): it may have created each (reported unknown): --resume --retry-unknown reads the target's vppTokens back and sends again only those it does not hold`]);
      const { final } = readReport(report);
      expect(final.map((e) => e.index)).toEqual(range(50));
      const unknown = final.filter((e) => e.status === 'unknown');
      expect(unknown.length).toBeGreaterThanOrEqual(3);
      for (const e of unknown) expect(e.reason).toBe('no answer within 0.3 s; it may have been created');
      const requests = [...hanging.attempts.values()].flat().length;
      expect(requests).toBe(unknown.length);
      expect(requests).toBeLessThanOrEqual(4);
    });
  });

  describe('https', () => {
    let tls: SelfSigned;
    beforeAll(() => {
      tls = selfSignedCertificate();
    });

    it('says in one line that a self-signed certificate is not trusted, without retrying: exit 2', async () => {
      const t = await target(() => ({ kind: 'create' }), tls);
      const report = reportPath();
      const result = await vppkit(['seed', '--target', t.url, '--count', '10', '--concurrency', '1', '--bearer', 't', '--report', report]);
      expect(result.code).toBe(2);
      expect(oneLine(result.stderr)).toEqual([expect.stringMatching(/^vppkit: seed stopped: the certificate of 127\.0\.0\.1:\d+ is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\): give its CA with --ca FILE, or use --insecure for a throwaway test server$/)]);
      expect(readReport(report).final.filter((e) => e.status === 'failed')).toEqual([expect.objectContaining({ attempts: 1, code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })]);
      expect(t.created).toHaveLength(0);
    });

    it('trusts the certificate given with --ca, or any with --insecure', async () => {
      const t = await target(() => ({ kind: 'create' }), tls);
      const withCa = await vppkit(['seed', '--target', t.url, '--count', '10', '--ca', tls.certFile, '--bearer', 't', '--report', reportPath()]);
      expect(withCa.code).toBe(0);
      const insecure = await vppkit(['seed', '--target', t.url, '--count', '10', '--offset', '10', '--insecure', '--bearer', 't', '--report', reportPath()]);
      expect(insecure.code).toBe(0);
      expect(created(t)).toEqual({ count: 20, distinct: 20 });
    });

    it('refuses --ca and --insecure for an http target, and a --ca that is not a certificate', async () => {
      const http = await vppkit(['seed', '--target', provider.url, '--count', '1', '--insecure', '--report', reportPath()]);
      expect([http.code, http.stderr.trim()]).toEqual([2, 'vppkit: --ca and --insecure apply to an https --target only']);
      const notPem = await vppkit(['seed', '--target', 'https://127.0.0.1:1', '--count', '1', '--ca', join(dir, 'input.ndjson'), '--report', reportPath()]);
      expect([notPem.code, notPem.stderr.trim()]).toEqual([2, `vppkit: --ca ${join(dir, 'input.ndjson')} holds no PEM certificate (a -----BEGIN CERTIFICATE----- block)`]);
    });
  });

  describe('reports that cannot be misused', () => {
    it('refuses to overwrite an existing report without --force', async () => {
      const t = await target(() => ({ kind: 'create' }));
      const report = reportPath();
      expect((await vppkit(['seed', '--target', t.url, '--count', '5', '--bearer', 't', '--report', report])).code).toBe(0);
      const before = readFileSync(report, 'utf8');
      const again = await vppkit(['seed', '--target', t.url, '--count', '5', '--offset', '5', '--bearer', 't', '--report', report]);
      expect([again.code, again.stderr.trim()]).toEqual([2, `vppkit: the report ${report} already exists (an earlier run's): --resume continues that run, --force overwrites it, or give another --report`]);
      expect(readFileSync(report, 'utf8')).toBe(before);
      expect(t.created).toHaveLength(5);
      expect((await vppkit(['seed', '--target', t.url, '--count', '5', '--offset', '5', '--bearer', 't', '--report', report, '--force'])).code).toBe(0);
      expect(readReport(report).header.run).toMatchObject({ source: { generated: { offset: 5 } } });
    });

    it('--resume refuses a report from another run: another seed, file content or target', async () => {
      const t = await target(() => ({ kind: 'create' }));
      const generated = reportPath();
      await vppkit(['seed', '--target', t.url, '--count', '5', '--bearer', 't', '--report', generated]);
      const otherSeed = await vppkit(['seed', '--target', t.url, '--count', '5', '--seed', '2', '--bearer', 't', '--report', generated, '--resume']);
      expect([otherSeed.code, otherSeed.stderr.trim()]).toEqual([2, `vppkit: cannot resume from ${generated}: it belongs to another run (--seed: report 1, this run 2)`]);
      const otherTarget = await vppkit(['seed', '--target', `${t.url}/beta`, '--count', '5', '--bearer', 't', '--report', generated, '--resume']);
      expect(otherTarget.stderr.trim()).toBe(`vppkit: cannot resume from ${generated}: it belongs to another run (target: report ${t.url}, this run ${t.url}/beta)`);

      const file = join(dir, 'resume-input.ndjson');
      writeFileSync(file, `${JSON.stringify(createRequestFactory.withSeed(9).buildAt(0))}\n`);
      const fromFile = reportPath();
      expect((await vppkit(['seed', '--target', t.url, '--from', file, '--bearer', 't', '--report', fromFile])).code).toBe(0);
      writeFileSync(file, `${JSON.stringify(createRequestFactory.withSeed(9).buildAt(1))}\n`);
      const changed = await vppkit(['seed', '--target', t.url, '--from', file, '--bearer', 't', '--report', fromFile, '--resume']);
      expect(changed.code).toBe(2);
      expect(changed.stderr).toMatch(/^vppkit: cannot resume from .*: it belongs to another run \(--from content \(sha256\): report [0-9a-f]{64}, this run [0-9a-f]{64}\)\n$/);
      const fromGenerated = await vppkit(['seed', '--target', t.url, '--count', '5', '--bearer', 't', '--report', fromFile, '--resume']);
      expect(fromGenerated.stderr).toContain('it belongs to another run (');
      expect(t.created).toHaveLength(6);
    });

    it('refuses an empty or non-JSON --from, and a --report it cannot write, before sending anything: exit 2', async () => {
      const t = await target(() => ({ kind: 'create' }));
      const empty = join(dir, 'empty.ndjson');
      writeFileSync(empty, '\n');
      const report = reportPath();
      const emptyRun = await vppkit(['seed', '--target', t.url, '--from', empty, '--bearer', 't', '--report', report]);
      expect([emptyRun.code, emptyRun.stderr]).toEqual([2, `vppkit: cannot seed from ${empty}: the input is empty: no JSON records to read\n`]);
      expect(existsSync(report)).toBe(false);

      const broken = join(dir, 'broken.ndjson');
      writeFileSync(broken, `${JSON.stringify(createRequestFactory.buildAt(0))}\n{"token": nope}\n`);
      const brokenRun = await vppkit(['seed', '--target', t.url, '--from', broken, '--bearer', 't', '--report', report]);
      expect(brokenRun.code).toBe(2);
      expect(brokenRun.stderr).toMatch(new RegExp(`^vppkit: cannot seed from ${broken}: record 1 is not JSON: line 2, column 12: .+\\n$`));

      // A record past the longest read (64 MiB) is said in seed's terms (outside tester P20: the message named
      // validate's --max-record-bytes, which seed does not take): no vppToken that long can be created.
      // The file's 64 MiB are a hole (a sparse file, zero bytes the disk never holds): writing them cost more CPU than
      // the whole read, and no byte inside the line is read as JSON before its length ends the reading.
      const huge = join(dir, 'huge.ndjson');
      const opening = '{"token":"abc","displayName":"';
      const fd = openSync(huge, 'w');
      writeSync(fd, opening);
      writeSync(fd, '"}\n', opening.length + 64 * 1024 * 1024);
      closeSync(fd);
      expect(statSync(huge).size).toBe(opening.length + 64 * 1024 * 1024 + 3);
      const hugeRun = await vppkit(['seed', '--target', t.url, '--from', huge, '--bearer', 't', '--report', report]);
      rmSync(huge);
      expect([hugeRun.code, hugeRun.stderr]).toEqual([2, `vppkit: cannot seed from ${huge}: line 1 is longer than 64 MiB, the longest record read: one record per line or array element; no vppToken that long can be created (Graph takes a body of 4 MB at most)\n`]);

      const missingFolder = await vppkit(['seed', '--target', t.url, '--count', '3', '--bearer', 't', '--report', join(dir, 'no-such-folder', 'r.ndjson')]);
      expect([missingFolder.code, missingFolder.stderr]).toEqual([2, `vppkit: cannot write the report ${join(dir, 'no-such-folder', 'r.ndjson')}: the folder ${join(dir, 'no-such-folder')} does not exist\n`]);
      const onDirectory = await vppkit(['seed', '--target', t.url, '--count', '3', '--bearer', 't', '--report', dir]);
      expect([onDirectory.code, onDirectory.stderr]).toEqual([2, `vppkit: cannot write the report ${dir}: it is a directory (EISDIR)\n`]);
      const fullDisk = await vppkit(['seed', '--target', t.url, '--count', '3', '--bearer', 't', '--report', '/dev/full', '--force']);
      expect([fullDisk.code, fullDisk.stderr]).toEqual([2, 'vppkit: cannot write the report /dev/full: no space left on the device (ENOSPC)\n']);
      expect(t.attempts.size).toBe(0);
    });

    it('identifies stdin (--from -) by its content: the same records resume, others are refused', async () => {
      const t = await target((i) => (i === 1 ? { kind: 'status', status: 400 } : { kind: 'create' }));
      const records = createRequestFactory.withSeed(31).buildList(3).map((r) => JSON.stringify(r)).join('\n');
      const report = reportPath();
      const args = ['seed', '--target', t.url, '--from', '-', '--bearer', 't', '--report', report];
      expect((await vppkit(args, { input: records })).code).toBe(1);
      expect(readReport(report).header.run.source).toEqual({ from: '-', sha256: createHash('sha256').update(records).digest('hex') });
      const resumed = await vppkit([...args, '--resume'], { input: records });
      expect(resumed.stdout).toMatch(/^vppkit seed: 3 records: 3 created, 0 failed/);
      const other = await vppkit([...args, '--resume'], { input: `${records}\n${records}` });
      expect([other.code, other.stderr]).toEqual([2, expect.stringContaining('it belongs to another run (--from content (sha256): report ')]);
      expect(created(t)).toEqual({ count: 3, distinct: 3 });
    });

    // A user and password in the target are refused (outside tester J30), as a query is: nothing sent, nothing shown.
    it('refuses a target with credentials, before anything is sent or written, showing neither', async () => {
      const t = await target(() => ({ kind: 'create' }));
      const report = reportPath();
      const withUser = t.url.replace('http://', 'http://someone:url-password-123@');
      const result = await vppkit(['seed', '--target', withUser, '--count', '2', '--bearer', 't', '--report', report]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`vppkit: --target must not carry a user or password (user:password@ is not sent: RFC 9110 §4.2.4); give a gateway's credentials with --header, the bearer with --bearer (got ${t.url} with one)\n`);
      expect(existsSync(report)).toBe(false);
      expect(created(t)).toEqual({ count: 0, distinct: 0 });
      expect(result.stdout + result.stderr).not.toMatch(/someone|url-password-123/);
    });
  });

  it('never writes the bearer or an input token to stdout, stderr or the report, even when the server echoes them', async () => {
    const echo = await target((i) => (i % 2 ? { kind: 'status', status: 400 } : { kind: 'create' }));
    const requests = createRequestFactory.withSeed(77).buildList(6);
    const file = join(dir, 'secrets.ndjson');
    writeFileSync(file, requests.map((r) => JSON.stringify(r)).join('\n'));
    const bearer = `bearer-${createHash('sha256').update(String(Math.random())).digest('hex')}`;
    const report = reportPath();
    const result = await vppkit(['seed', '--target', echo.url, '--from', file, '--bearer', bearer, '--report', report]);
    expect(result.code).toBe(1);
    const everything = result.stdout + result.stderr + readFileSync(report, 'utf8');
    expect(everything).toContain('[bearer]');
    expect(everything).not.toContain(bearer);
    for (const r of requests) expect(everything).not.toContain(r.token);
    const viaEnv = await vppkit(['seed', '--help'], { env: { VPPKIT_BEARER: bearer } });
    expect(viaEnv.stdout).not.toContain(bearer);
  });

  it('refuses a bearer an HTTP header cannot carry, without showing it', async () => {
    const result = await vppkit(['seed', '--target', provider.url, '--count', '1', '--bearer', 'line-one\nsecret-line-two', '--report', reportPath()]);
    expect([result.code, result.stderr]).toEqual([2, 'vppkit: --bearer: the bearer holds a character an HTTP header cannot carry (a space, a line break or a non-ASCII character): character 9 is a line break; its value is not shown\n']);
    // The header value pasted whole (outside tester H18): the space is not the mistake, the scheme is.
    const pasted = await vppkit(['seed', '--target', provider.url, '--count', '1', '--bearer', 'Bearer abcdefghijklmnop', '--report', reportPath()]);
    expect([pasted.code, pasted.stderr]).toEqual([2, 'vppkit: --bearer: the bearer starts with the scheme "Bearer": give the access token alone (the kit writes "Authorization: Bearer <token>" itself); its value is not shown\n']);
    // A VPP token as the bearer (outside tester P16), from VPPKIT_BEARER too: refused before any request is sent.
    const sToken = createRequestFactory.withSeed(16).buildAt(0).token;
    const recording = await startReferenceProvider({ recordTraffic: true });
    try {
      const mixed = await vppkit(['seed', '--target', recording.url, '--count', '1', '--report', reportPath()], { env: { VPPKIT_BEARER: sToken } });
      expect([mixed.code, mixed.stderr]).toEqual([2, expect.stringMatching(/^vppkit: VPPKIT_BEARER: the bearer holds a VPP token \(an Apple sToken\), not an access token: /)]);
      expect(mixed.stdout + mixed.stderr).not.toContain(sToken.slice(10, 40));
      expect(recording.traffic).toEqual([]);
    } finally {
      await recording.close();
    }
  });

  // Outside tester G18: --report naming the --from file overwrote the customer's tokens with the report (--force),
  // and the refusal before it called the input "an earlier run's" report and suggested --force.
  it('refuses a --report that is the --from file, in any spelling, before touching either: exit 2', async () => {
    const folder = mkdtempSync(join(dir, 'same-file-'));
    const input = join(folder, 'tokens.ndjson');
    const records = `${createRequestFactory.withSeed(18).buildList(3).map((r) => JSON.stringify(r)).join('\n')}\n`;
    writeFileSync(input, records);
    symlinkSync(input, join(folder, 'link.ndjson'));
    const spellings = [input, join(folder, '.', 'tokens.ndjson'), join(folder, 'link.ndjson')];
    for (const report of spellings) {
      for (const mode of [[], ['--force'], ['--resume']]) {
        const result = await vppkit(['seed', '--target', provider.url, '--from', input, '--bearer', 't', '--report', report, ...mode]);
        expect([report, mode, result.code, result.stderr]).toEqual([report, mode, 2, `vppkit: --report ${report} is the --from file: give the report another name\n`]);
      }
    }
    expect(readFileSync(input, 'utf8')).toBe(records);
    // Another file beside it is a report like any other.
    const elsewhere = join(folder, 'report.ndjson');
    const fine = await vppkit(['seed', '--target', provider.url, '--from', join(folder, 'link.ndjson'), '--bearer', 't', '--report', elsewhere]);
    expect([fine.code, fine.stderr]).toEqual([0, '']);
    expect(readReport(elsewhere).final.filter((e) => e.status === 'created')).toHaveLength(3);
    expect(readFileSync(input, 'utf8')).toBe(records);
  });

  it('says what is wrong with its options', async () => {
    expect((await vppkit(['seed', '--target', provider.url])).stderr).toContain('give either --count N (generated records) or --from FILE');
    expect((await vppkit(['seed', '--target', 'not a url', '--count', '1'])).stderr).toContain('--target must be an http or https URL, such as http://127.0.0.1:8080/beta (got "not a url")');
    expect((await vppkit(['seed', '--target', provider.url, '--count', '1', '--resume', '--report', join(dir, 'none.ndjson')])).stderr).toContain('which does not exist');
  });
});

describe("the README's seed examples", () => {
  // A target of their own: the file's other tests create the same generated tokens, and a create of a token the
  // target already holds is created again, exit 1 (decision 0429).
  let provider: ReferenceProvider;
  beforeAll(async () => {
    provider = await startReferenceProvider();
  });
  afterAll(() => provider.close());

  it('are true as written, run in order: each writes its own report and exits 0', async () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const examples = readme.split('\n').filter((l) => l.startsWith('vppkit seed --target http://127.0.0.1:8080/beta'));
    expect(examples).toHaveLength(3);
    const cwd = mkdtempSync(join(tmpdir(), 'vppkit-readme-'));
    // tokens.ndjson as the README's generate example writes it, shorter.
    writeFileSync(join(cwd, 'tokens.ndjson'), (await vppkit(['generate', '--count', '100', '--seed', '7'])).stdout);
    const bearer = 'readme-example-bearer';
    const before = provider.vppTokens.size;
    for (const example of examples) {
      // In this process, the files the example names in its folder: their names are its words, the folder the test's
      // (a process of its own only for its working directory cost more CPU than the creates; relative paths are
      // resolved against the working directory as any path is: tests/cli/output-files, validate-files).
      const args = example
        .split(/\s+/)
        .slice(1)
        .map((a, i, all) => (['--from', '--report'].includes(all[i - 1]) ? join(cwd, a) : a.replace('http://127.0.0.1:8080', provider.url).replace('"$TOKEN"', bearer)));
      const result = await vppkit(args);
      // Nothing on stderr but progress, which a slow (loaded) machine prints every 5 s.
      const said = result.stderr.split('\n').filter((line) => line !== '' && !/^seed: \d+(\/\d+)? done: /.test(line));
      expect([example, result.code, said]).toEqual([example, 0, []]);
    }
    expect(provider.vppTokens.size - before).toBe(200);
    expect(readReport(join(cwd, 'generated.ndjson')).final.filter((e) => e.status === 'created')).toHaveLength(100);
    expect(readReport(join(cwd, 'from-file.ndjson')).final.filter((e) => e.status === 'created')).toHaveLength(100);
  });
});
