// A file named on the command line that is a pipe (`<(curl ...)`, a FIFO, /dev/stdin) is read once: the commands
// that read their input twice (verify: checks, then Pact; seed: the sha256 naming the run, then the records;
// drift: the head to sniff the format, then the text) read a copy (outside testers R37, R38, R39). Each is run on a
// FIFO and on a regular file with the same bytes: the verdicts agree.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider } from '../../src/provider';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-stream-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fifos = 0;
/** A FIFO that gives `bytes` once, to its first reader, then ends (as `<(cat file)`). */
function fifoOf(bytes: string | Buffer): string {
  const path = join(dir, `fifo-${++fifos}`);
  execFileSync('mkfifo', [path]);
  createWriteStream(path).end(bytes);
  return path;
}

const canonical = readFileSync(join(__dirname, '../../pacts/vppkit-canonical-consumer-microsoft-graph-vpptokens.json'));
const one = ['--interaction', 'a boolean sent as a string'];

describe('verify, a pact on a pipe (R38)', () => {
  it('is verified as the same pact from a file is', async () => {
    const fifo = fifoOf(canonical);
    const result = await vppkit(['verify', fifo, ...one]);
    expect(result.stderr).not.toMatch(/not JSON/);
    expect(result.stdout).toMatch(/vppkit verify: 1 interaction verified against .*: 1 passed, 0 failed/);
    expect(result.code).toBe(0);
  });

  it('a pipe that is not JSON is still said to be not JSON, by the name given', async () => {
    const fifo = fifoOf('{"consumer": ');
    const result = await vppkit(['verify', fifo]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`pact file ${fifo} is not JSON: line 1, column 14`);
  });
});

describe('seed --from a pipe (R37)', () => {
  it('creates the records, the run named by the sha256 of the bytes read, the pipe as given', async () => {
    const provider = await startReferenceProvider();
    try {
      const records = [0, 1, 2].map((i) => JSON.stringify(createRequestFactory.withSeed(437).buildAt(i))).join('\n');
      const fifo = fifoOf(records);
      const report = join(dir, 'seed-report.ndjson');
      const result = await vppkit(['seed', '--target', `${provider.url}/beta`, '--from', fifo, '--bearer', 't', '--report', report]);
      expect(result.stderr).not.toMatch(/internal error/);
      expect(result.stdout).toMatch(/^vppkit seed: 3 records: 3 created, 0 failed, 0 invalid, 0 unknown, 0 not sent/);
      expect(result.code).toBe(0);
      const header = JSON.parse(readFileSync(report, 'utf8').split('\n')[0]) as { run: { source: unknown } };
      expect(header.run.source).toEqual({ from: fifo, sha256: createHash('sha256').update(records).digest('hex') });
    } finally {
      await provider.close();
    }
  });

  it('a pipe with a record that is not JSON is said so, by the name given', async () => {
    const fifo = fifoOf('{"displayName": ');
    const result = await vppkit(['seed', '--target', 'http://127.0.0.1:9/beta', '--from', fifo, '--bearer', 't', '--report', join(dir, 'seed-bad.ndjson')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot seed from ${fifo}: record 0 is not JSON: line 1, column 17`);
  });
});

describe('drift --metadata on a pipe (R39)', () => {
  const openapi = readFileSync(join(__dirname, '../drift/metadata/v1.0-vppToken.openapi.yaml'));
  it('gives the verdict the same bytes from a file give, naming the pipe as given', async () => {
    const file = join(dir, 'metadata.yaml');
    writeFileSync(file, openapi);
    const fromFile = await vppkit(['drift', '--profile', 'v1.0', '--metadata', file]);
    const fifo = fifoOf(openapi);
    const fromPipe = await vppkit(['drift', '--profile', 'v1.0', '--metadata', fifo]);
    expect(fromPipe.stderr).not.toMatch(/internal error/);
    expect(fromPipe.code).toBe(fromFile.code);
    expect(fromPipe.stdout).toBe(fromFile.stdout.split(file).join(fifo));
    expect(fromPipe.stdout).toContain(`against ${fifo} (OpenAPI)`);
  });

  it('a pipe that is no metadata is said so, by the name given', async () => {
    const fifo = fifoOf('hello');
    const result = await vppkit(['drift', '--metadata', fifo]);
    expect(result.code).toBe(2);
    // (A line before it may say the command waited for the writer: this file's writer opens in the thread pool.)
    expect(result.stderr).toMatch(new RegExp(`^vppkit: ${fifo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is neither`, 'm'));
    expect(result.stderr).not.toMatch(/vppkit-input-|internal error/);
  });
});
