// A file the kit cannot read or write is said in one table's words (src/net/system-error.ts, decision 0355), by the
// library as by the CLI: never Node's message, which repeats the path and the system call ("ENOTDIR: not a
// directory, open '/x/y'").
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { SeedReportError, inspectSeedFile, openReport, seedVppTokens, type SeedRun } from 'vpptokens-contract-kit/seed';
import { readCaFile, readCaInputFile, systemErrorLine, systemReason } from '../../src/net';
import { readFaultsFile } from '../../src/provider';
import { checkPactFiles } from '../../src/verification/setup';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-system-error-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a folder');
const aFolder = join(dir, 'a-folder');
mkdirSync(aFolder);
// A path through a file: ENOTDIR on every system, whoever runs the test (root reads and writes where others may not).
const underAFile = join(aFile, 'x.json');
const ENOTDIR = 'a part of the path is a file, not a folder (ENOTDIR)';
const run: SeedRun = { source: { generated: { kind: 'request', seed: 1, count: 1, offset: 0, traits: [] } }, target: 'http://127.0.0.1:9/beta' };

describe('the table', () => {
  it.each([
    ['EACCES', 'permission denied (EACCES)'],
    ['ENOSPC', 'no space left on the device (ENOSPC)'],
    ['ENOENT', 'no such file or folder (ENOENT)'],
    ['EISDIR', 'it is a directory (EISDIR)'],
    ['ENAMETOOLONG', 'the name is too long for the file system (ENAMETOOLONG)'],
  ])('says %s in words, with its code', (code, words) => {
    expect(systemReason(Object.assign(new Error(`${code}: what Node says, open '/x'`), { code }))).toBe(words);
  });

  it('gives a code it does not know as the code, never Node message, and an error without a code by its message', () => {
    expect(systemReason(Object.assign(new Error("EIO: i/o error, write '/x'"), { code: 'EIO' }))).toBe('EIO');
    expect(systemReason(new Error('not a system error'))).toBe('not a system error');
    expect(systemErrorLine(Object.assign(new Error('EIO'), { code: 'EIO' }))).toBeUndefined();
    expect(systemErrorLine(Object.assign(new Error('x'), { code: 'EACCES', path: '/x' }))).toBe('/x: permission denied (EACCES)');
  });
});

describe('each file the library reads says why it cannot, in the words of the table', () => {
  it('a --ca file', () => {
    expect(() => readCaFile(underAFile)).toThrow(`cannot read --ca ${underAFile}: ${ENOTDIR}`);
    expect(() => readCaFile(join(dir, 'none.pem'))).toThrow(`cannot read --ca ${join(dir, 'none.pem')}: no such file or folder (ENOENT)`);
  });

  // Decision 1333: a number was a file descriptor to readFileSync (fd 0 read stdin as the CA), a misspelt option dropped.
  it('a --ca file argument that is no path, or an option misspelt, is a TypeError in the kit\'s words, before any read', async () => {
    expect(() => readCaFile(0 as never)).toThrow(new TypeError('file must be a path, a string that is not empty (got 0)'));
    await expect(readCaInputFile(0 as never)).rejects.toThrow(new TypeError('file must be a path, a string that is not empty (got 0)'));
    await expect(readCaInputFile(join(dir, 'none.pem'), { signl: 1 } as never)).rejects.toThrow(/^readCaInputFile takes its options in an object \{ signal, onNoWriter \}.*: "signl" is not one of them$/);
    await expect(readCaInputFile(join(dir, 'none.pem'))).rejects.toThrow(`cannot read --ca ${join(dir, 'none.pem')}: no such file or folder (ENOENT)`);
  });

  it('a JSON file given on the command line (--faults)', () => {
    expect(() => readFaultsFile(underAFile)).toThrow(`${underAFile}: ${ENOTDIR}`);
    expect(() => readFaultsFile(aFolder)).toThrow(`${aFolder}: it is a directory (EISDIR)`);
  });

  it('a pact file', () => {
    expect(() => checkPactFiles([underAFile])).toThrow(`cannot read pact file ${underAFile}: ${ENOTDIR}`);
  });

  it("seed's --from file", async () => {
    await expect(inspectSeedFile(underAFile)).rejects.toThrow(`cannot read ${underAFile}: ${ENOTDIR}`);
    await expect(inspectSeedFile(join(dir, 'none.ndjson'))).rejects.toThrow(`cannot read ${join(dir, 'none.ndjson')}: no such file or folder (ENOENT)`);
    await expect(inspectSeedFile(aFolder)).rejects.toThrow(`cannot read ${aFolder}: it is a directory (EISDIR)`);
  });
});

describe("seed's report", () => {
  it('that cannot be opened or written says why in the words of the table', async () => {
    await expect(openReport(underAFile, run)).rejects.toThrow(`cannot write the report ${underAFile}: ${ENOTDIR}`);
    await expect(openReport('/dev/full', run, { force: true })).rejects.toThrow('cannot write the report /dev/full: no space left on the device (ENOSPC)');
    await expect(openReport(aFolder, run)).rejects.toThrow(`cannot write the report ${aFolder}: it is a directory (EISDIR)`);
    await expect(openReport(aFolder, run, { resume: true })).rejects.toThrow(`cannot write the report ${aFolder}: it is a directory (EISDIR)`);
  });

  it('that fills during the run stops it, with the words of the table', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    async function* records() {
      yield { index: 0, request: createRequestFactory.buildAt(0) };
    }
    const run = seedVppTokens({
      target: 'http://127.0.0.1:9/beta',
      records: records(),
      report: () => undefined,
      onSending: () => {
        throw full;
      },
    });
    await expect(run).rejects.toThrow(SeedReportError);
    await expect(run).rejects.toThrow(/^no space left on the device \(ENOSPC\)$/);
  });
});
