import { randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, lstatSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The writes files go through: a test fills the disk by replacing one (an injected ENOSPC), not with a real disk. */
export const fileWrites = { writeFileSync, renameSync, createWriteStream };

/**
 * Writes a file whole or not at all (decision 0221): the text goes to a temporary name beside the file, which then
 * takes the file's name (a rename: atomic on one file system). When the write fails (a full disk, a quota) the
 * temporary file is removed and the error thrown: a file already there is left as it was, never a half file in its
 * place (`writeFileWhole`, or `openFileWhole` for a stream). A device or a pipe (`/dev/null`, `/dev/stdout`) holds no file to keep: it is written to directly.
 */
export function writeFileWhole(given: string, text: string | Uint8Array): void {
  if (isDevice(given)) return fileWrites.writeFileSync(given, text);
  const file = linkedFile(given);
  const temporary = temporaryBeside(file);
  try {
    fileWrites.writeFileSync(temporary, text, { flag: 'wx' });
    keepMode(file, temporary);
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
export function openFileWhole(given: string): FileWhole {
  if (isDevice(given)) return { stream: fileWrites.createWriteStream(given), commit: () => undefined, abandon: () => undefined };
  const file = linkedFile(given);
  const temporary = temporaryBeside(file);
  const stream = fileWrites.createWriteStream(temporary, { flags: 'wx' });
  return {
    stream,
    commit: () => {
      keepMode(file, temporary);
      fileWrites.renameSync(temporary, file);
    },
    abandon: () => rmSync(temporary, { force: true }),
  };
}

/** Whether `file` is a device or a pipe (written directly); a folder is refused as writing to it would be (EISDIR). */
function isDevice(file: string): boolean {
  const there = statSync(file, { throwIfNoEntry: false });
  if (there?.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${file}'`), { code: 'EISDIR', path: file });
  return there !== undefined && !there.isFile();
}

/**
 * The file a name stands for: the name itself, or, through symbolic links, the file the last one names (there or
 * not yet), as `>` and an editor's save write it (outside tester R52: the rename replaced the link, and the linked
 * file, the one a CI step publishes, kept the last run's report). A loop is ELOOP, as the system says it.
 */
function linkedFile(file: string): string {
  let path = resolve(file);
  for (let hops = 0; ; hops++) {
    if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() !== true) return path;
    if (hops === 40) throw Object.assign(new Error(`ELOOP: too many symbolic links encountered, open '${file}'`), { code: 'ELOOP', path: file });
    path = resolve(dirname(path), readlinkSync(path));
  }
}

/** The mode of the file being replaced given to its new text: a file the user restricted (0600) stays so (R52). */
function keepMode(file: string, temporary: string): void {
  const there = statSync(file, { throwIfNoEntry: false });
  if (there?.isFile()) chmodSync(temporary, there.mode & 0o7777);
}

function temporaryBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}
