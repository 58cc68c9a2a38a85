// writeFileWhole: a file is written whole or not at all (decision 0221), the one writer of the files commands leave.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileWrites, openFileWhole, writeFileWhole } from '../../src/net/file';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

it('replaces a file with the whole new text, leaving no temporary file', () => {
  const file = join(dir, 'replaced.json');
  writeFileSync(file, 'old');
  writeFileWhole(file, 'new and whole');
  expect(readFileSync(file, 'utf8')).toBe('new and whole');
  expect(readdirSync(dir)).toEqual(['replaced.json']);
});

it.each([
  ['the write fills the disk half way', 'writeFileSync'],
  ['the rename fails', 'renameSync'],
] as const)('leaves the file there as it was when %s, and throws the error', (_case, step) => {
  const file = join(dir, `kept-${step}.json`);
  writeFileSync(file, 'a good file');
  const real = fileWrites.writeFileSync;
  const failing = step === 'writeFileSync'
    ? jest.spyOn(fileWrites, 'writeFileSync').mockImplementation((path, data, options) => {
        real(path, String(data).slice(0, 3), options);
        throw enospc();
      })
    : jest.spyOn(fileWrites, 'renameSync').mockImplementation(() => {
        throw enospc();
      });
  try {
    expect(() => writeFileWhole(file, 'a new file, longer')).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
  } finally {
    failing.mockRestore();
  }
  expect(readFileSync(file, 'utf8')).toBe('a good file');
  expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});

it('writes a device directly: there is no file to keep (/dev/null)', () => {
  expect(() => writeFileWhole('/dev/null', 'gone')).not.toThrow();
});

// Outside tester R52: a file named through a symbolic link (a CI job linking its report into the artifacts folder)
// had the link replaced by a new file, the linked file left holding the last run's report; and a file the user had
// restricted (0600) came back 0644.
describe('a file named through a symbolic link, a file with its own mode', () => {
  const linked = mkdtempSync(join(tmpdir(), 'vppkit-file-linked-'));
  afterAll(() => rmSync(linked, { recursive: true, force: true }));
  const artifacts = join(linked, 'artifacts');
  mkdirSync(artifacts);

  it.each([
    ['writeFileWhole', (file: string, text: string) => writeFileWhole(file, text)],
    [
      'openFileWhole',
      (file: string, text: string) => {
        const whole = openFileWhole(file);
        whole.stream.end(text);
        return new Promise<void>((resolve, reject) => {
          whole.stream.once('finish', () => resolve(whole.commit()));
          whole.stream.once('error', reject);
        });
      },
    ],
  ] as const)('%s writes the file a link names (through a chain of relative links, or one whose file is not there yet), and keeps the link', async (name, write) => {
    const report = join(artifacts, `${name}-report.xml`);
    writeFileSync(report, 'OLD REPORT');
    symlinkSync(join('artifacts', `${name}-report.xml`), join(linked, `${name}-hop.xml`));
    symlinkSync(`${name}-hop.xml`, join(linked, `${name}.xml`));
    await write(join(linked, `${name}.xml`), 'NEW REPORT');
    expect([readFileSync(report, 'utf8'), lstatSync(join(linked, `${name}.xml`)).isSymbolicLink(), lstatSync(join(linked, `${name}-hop.xml`)).isSymbolicLink()]).toEqual(['NEW REPORT', true, true]);
    const dangling = join(linked, `${name}-new.xml`);
    symlinkSync(join(artifacts, `${name}-new-report.xml`), dangling);
    await write(dangling, 'FIRST');
    expect([readFileSync(join(artifacts, `${name}-new-report.xml`), 'utf8'), lstatSync(dangling).isSymbolicLink()]).toEqual(['FIRST', true]);
    expect(readdirSync(artifacts).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the mode of a file it replaces (0600 stays 0600); a new file gets the usual mode', () => {
    const restricted = join(linked, 'restricted.har');
    writeFileSync(restricted, 'old', { mode: 0o600 });
    chmodSync(restricted, 0o600);
    writeFileWhole(restricted, 'new');
    expect([readFileSync(restricted, 'utf8'), statSync(restricted).mode & 0o777]).toEqual(['new', 0o600]);
    const fresh = join(linked, 'fresh.har');
    writeFileWhole(fresh, 'new');
    expect(statSync(fresh).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  it('refuses a loop of links as the system does (ELOOP), writing nothing', () => {
    symlinkSync('loop-b', join(linked, 'loop-a'));
    symlinkSync('loop-a', join(linked, 'loop-b'));
    expect(() => writeFileWhole(join(linked, 'loop-a'), 'x')).toThrow(expect.objectContaining({ code: 'ELOOP' }));
    expect([lstatSync(join(linked, 'loop-a')).isSymbolicLink(), lstatSync(join(linked, 'loop-b')).isSymbolicLink()]).toEqual([true, true]);
  });
});
