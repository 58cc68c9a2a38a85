// writeFileWhole: a file is written whole or not at all (decision 0221), the one writer of the files commands leave.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileWrites, writeFileWhole } from '../../src/net/file';

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
