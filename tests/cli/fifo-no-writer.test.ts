// A FIFO named on the command line that no process has open for writing (decision 0530): the command says it waits
// for a writer, reads what a writer then writes, and an interrupt ends the wait. Opened as a file, the open waited
// in Node's thread pool, and neither SIGTERM nor the exit could end it: "interrupted" was said and the process stayed.
// The processes are the subject of the signal tests (one per command that reads a named file); what is read once a
// writer comes, and what the library's AbortSignal releases, are tested in-process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { constants, closeSync, createWriteStream, mkdtempSync, openSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { readableAgain } from '../../src/validation/stream-file';
import { BIN } from '../support/cli';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-fifo-'));
const children: ChildProcess[] = [];
afterEach(() => {
  // A process a failed test left waiting is ended with it.
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fifos = 0;
const fifo = (): string => {
  const path = join(dir, `fifo-${++fifos}`);
  execFileSync('mkfifo', [path]);
  return path;
};
const NOTE = 'is a FIFO no process has open for writing (Ctrl-C to stop)';

// The writers this file's tests start. A writer opens its FIFO in Node's thread pool, where the open waits for a
// reader: one started after the command had read and closed the FIFO waited there for good, holding a thread of the
// pool and the process's exit (decision 0931: every option's test below wrote again at its verdict, which comes on
// stderr too, and jest's worker never ended by itself). Each test holds that its one writer wrote all its bytes; one
// left waiting by a failing test is given a reader here, so it ends.
const writers: WriteStream[] = [];
afterEach(async () => {
  for (const writer of writers.splice(0)) {
    if (writer.closed) continue;
    writer.on('error', () => undefined);
    const reader = openSync(writer.path, constants.O_RDONLY | constants.O_NONBLOCK);
    await once(writer, 'close');
    closeSync(reader);
  }
});

/** An `onStderr` that writes `bytes` to the FIFO at `path` once, when the command says it waits for a writer. */
const writeOnceWaited = (path: string, bytes: string | Buffer) => (_text: string, sofar: string) => {
  if (writers.some((writer) => writer.path === path) || !sofar.includes(NOTE)) return;
  const writer = createWriteStream(path);
  writers.push(writer);
  writer.end(bytes);
};

/** Whether any process has `path` (a FIFO) open for reading: a writer's non-blocking open fails with ENXIO when none has. */
function hasReader(path: string): boolean {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') return false;
    throw error;
  }
}

const record = JSON.stringify(createRequestFactory.withSeed(530).build());
const canonical = readFileSync(join(__dirname, '../../pacts/vppkit-canonical-consumer-microsoft-graph-vpptokens.json'));
const openapi = readFileSync(join(__dirname, '../drift/metadata/v1.0-vppToken.openapi.yaml'));

describe('a FIFO with no writer yet is waited for, and read once a writer comes', () => {
  // Opened without blocking, a FIFO with no writer reads as its end: the command must not take it for an empty file.
  it.each([
    ['validate', (path: string) => ['validate', path], record, /^vppkit validate: 1 record read: 1 valid, 0 invalid$/m],
    ['compare', (path: string) => ['compare', '--no-comparator', path], canonical, /^vppkit compare: 1 pact, 18 interactions against Graph beta: 18 passed, 0 failed$/m],
    ['drift (read into a copy)', (path: string) => ['drift', '--profile', 'v1.0', '--metadata', path], openapi, /\(OpenAPI\)/],
  ])('%s', async (_name, args, bytes, verdict) => {
    const path = fifo();
    const result = await vppkit(args(path), { onStderr: writeOnceWaited(path, bytes) });
    expect(result.stderr).toContain(`vppkit: waiting for a writer: ${path} ${NOTE}\n`);
    expect(result.stdout).toMatch(verdict);
    expect(result.code).toBe(0);
    expect(writers.map((writer) => [writer.path, writer.bytesWritten])).toEqual([[path, Buffer.byteLength(bytes)]]);
  });
});

describe('an interrupt ends the wait for a writer', () => {
  it("the library's AbortSignal: readableAgain rejects, and the FIFO is no longer open for reading", async () => {
    const path = fifo();
    const interrupt = new AbortController();
    const copy = readableAgain(path, { signal: interrupt.signal, onNoWriter: () => interrupt.abort('SIGTERM') });
    await expect(copy).rejects.toMatchObject({ name: 'AbortError' });
    expect(hasReader(path)).toBe(false);
  });

  // One process per command that reads a named file: SIGTERM once the command says it waits ends it with 130.
  it.each([
    ['seed --from', (path: string) => ['seed', '--target', 'http://127.0.0.1:9/beta', '--from', path, '--bearer', 't', '--report', join(dir, `report-${fifos}.ndjson`)]],
    ['verify', (path: string) => ['verify', path]],
    ['drift --metadata', (path: string) => ['drift', '--metadata', path]],
    ['validate', (path: string) => ['validate', path]],
    ['compare', (path: string) => ['compare', path]],
  ])('%s: one SIGTERM ends the process with 130', async (_name, args) => {
    const path = fifo();
    const child = spawn(process.execPath, [BIN, ...args(path)], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        if (stderr.includes(NOTE)) resolve();
      }),
    );
    child.kill('SIGTERM');
    expect(await ended).toBe(130);
    expect(stderr).toBe(`vppkit: waiting for a writer: ${path} ${NOTE}\nvppkit: interrupted by SIGTERM\n`);
  });
});

// Outside the list 0530 covered: --ca, --faults and --replay were read with readFileSync at option time, so a FIFO
// with no writer blocked the main thread itself (no note, no interrupt). Read in-process here: the old read would
// have hung this test's own thread.
describe("an option's file (--ca, --faults, --replay) on a FIFO is waited for like any input", () => {
  const options: [string, (path: string) => string[], string, RegExp][] = [
    ['conform --ca', (path) => ['conform', '--provider-base-url', 'https://127.0.0.1:9/beta', '--ca', path], 'no certificate here\n', /--ca \S+ holds no PEM certificate/],
    ['serve --faults', (path) => ['serve', '--port', '0', '--faults', path], '{"failRate":2}', /--faults \S+: \/failRate: must be <= 1/],
    ['conform --replay', (path) => ['conform', '--replay', path], '{}', /--replay \S+ is not a report of vppkit conform --json/],
  ];

  it.each(options)('%s: the bytes a writer then writes are judged', async (_name, args, bytes, verdict) => {
    const path = fifo();
    const result = await vppkit(args(path), { onStderr: writeOnceWaited(path, bytes) });
    expect(result.stderr).toContain(`vppkit: waiting for a writer: ${path} ${NOTE}\n`);
    expect(result.stderr).toMatch(verdict);
    expect(result.code).toBe(2);
    // The verdict comes on stderr after the note: one writer, which wrote it all; none waits for a reader.
    expect(writers.map((writer) => [writer.path, writer.bytesWritten])).toEqual([[path, Buffer.byteLength(bytes)]]);
  });

  it.each(options)('%s: an interrupt ends the wait, and the FIFO is no longer open for reading', async (_name, args) => {
    const path = fifo();
    const interrupt = new AbortController();
    const result = await vppkit(args(path), {
      signal: interrupt.signal,
      onStderr: (_text, sofar) => {
        if (sofar.includes(NOTE)) interrupt.abort('SIGTERM');
      },
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toBe(`vppkit: waiting for a writer: ${path} ${NOTE}\nvppkit: interrupted by SIGTERM\n`);
    // The stream is destroyed on the abort's own tick; the descriptor closes on the next turn of the loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(hasReader(path)).toBe(false);
  });
});
