import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * A file named on a command line as the commands that read it more than once can read it: the file itself when it
 * can be read again (a regular file, a folder, a name that does not exist: their errors stay the reader's), else
 * (a pipe, `<(...)`, /dev/stdin, a FIFO, a socket) its bytes copied once to a temporary file (outside testers R37,
 * R38, R39: seed, verify and drift read such a file twice, the second read found it empty or blocked, or seeked
 * in it). `named` puts the name given back into a message that names the copy; `remove` deletes the copy.
 */
export interface ReadableAgain {
  path: string;
  named: (message: string) => string;
  remove: () => void;
}

/** Whether `path` names a file that is read as a stream, once (a pipe, FIFO, socket or character device). */
export function isStreamFile(path: string): boolean {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return false;
  }
  return stats.isFIFO() || stats.isSocket() || stats.isCharacterDevice();
}

export async function readableAgain(path: string): Promise<ReadableAgain> {
  if (!isStreamFile(path)) return { path, named: (message) => message, remove: () => undefined };
  const { path: copy, remove } = await spoolToFile(createReadStream(path), basename(path) || 'input');
  return { path: copy, named: (message) => message.split(copy).join(path), remove };
}

/**
 * A stream's bytes written to a file of their own in a new temporary folder (`name` in it), for a reader that reads
 * more than once: seed's stdin (`--from -`) and a pipe named on a command line (readableAgain). The folder is removed
 * when the copy fails, else by `remove`.
 */
export async function spoolToFile(input: Readable, name = 'stdin'): Promise<{ path: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-input-'));
  const path = join(dir, name);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await pipeline(input, createWriteStream(path));
  } catch (error) {
    remove();
    throw error;
  }
  return { path, remove };
}
