import { randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, rmSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The writes files go through: a test fills the disk by replacing one (an injected ENOSPC), not with a real disk. */
export const fileWrites = { writeFileSync, renameSync, createWriteStream };

/**
 * Writes a file whole or not at all (decision 0221): the text goes to a temporary name beside the file, which then
 * takes the file's name (a rename: atomic on one file system). When the write fails (a full disk, a quota) the
 * temporary file is removed and the error thrown: a file already there is left as it was, never a half file in its
 * place (`writeFileWhole`, or `openFileWhole` for a stream). A device or a pipe (`/dev/null`, `/dev/stdout`) holds no file to keep: it is written to directly.
 */
export function writeFileWhole(file: string, text: string | Uint8Array): void {
  if (isDevice(file)) return fileWrites.writeFileSync(file, text);
  const temporary = temporaryBeside(file);
  try {
    fileWrites.writeFileSync(temporary, text, { flag: 'wx' });
    fileWrites.renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** A file being written whole, as a stream: `commit` gives it the file's name, `abandon` removes it (an error, an interrupt). */
export interface FileWhole {
  stream: WriteStream;
  commit(): void;
  abandon(): void;
}

/**
 * Opens a stream to a temporary name beside `file` (decision 0221; outside tester J26: an interrupted or failed
 * `generate --out` left a cut file in place of a good one). Nothing is at `file` until `commit`; `abandon` removes
 * what was written. A device or a pipe is written directly.
 */
export function openFileWhole(file: string): FileWhole {
  if (isDevice(file)) return { stream: fileWrites.createWriteStream(file), commit: () => undefined, abandon: () => undefined };
  const temporary = temporaryBeside(file);
  const stream = fileWrites.createWriteStream(temporary, { flags: 'wx' });
  return {
    stream,
    commit: () => fileWrites.renameSync(temporary, file),
    abandon: () => rmSync(temporary, { force: true }),
  };
}

/** Whether `file` is a device or a pipe (written directly); a folder is refused as writing to it would be (EISDIR). */
function isDevice(file: string): boolean {
  const there = statSync(file, { throwIfNoEntry: false });
  if (there?.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${file}'`), { code: 'EISDIR', path: file });
  return there !== undefined && !there.isFile();
}

function temporaryBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}
