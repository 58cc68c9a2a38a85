import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The writes files go through: a test fills the disk by replacing one (an injected ENOSPC), not with a real disk. */
export const fileWrites = { writeFileSync, renameSync };

/**
 * Writes a file whole or not at all (decision 0221): the text goes to a temporary name beside the file, which then
 * takes the file's name (a rename: atomic on one file system). When the write fails (a full disk, a quota) the
 * temporary file is removed and the error thrown: a file already there is left as it was, never a half file in its
 * place. A device or a pipe (`/dev/null`, `/dev/stdout`) holds no file to keep: it is written to directly.
 */
export function writeFileWhole(file: string, text: string | Uint8Array): void {
  const there = statSync(file, { throwIfNoEntry: false });
  if (there !== undefined && !there.isFile() && !there.isDirectory()) return fileWrites.writeFileSync(file, text);
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    fileWrites.writeFileSync(temporary, text, { flag: 'wx' });
    fileWrites.renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
