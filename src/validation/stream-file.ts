import { closeSync, constants, createReadStream, createWriteStream, mkdtempSync, openSync, readSync, realpathSync, rmSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { asyncIterableProblem, membersProblem, optionsObjectProblem, pathProblem, refuseArguments } from '../net/option';

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

/** How a file named on a command line is waited for (decision 0530). */
export interface InputWait {
  /** Ends the wait for a FIFO's writer, and the read: the stream fails with the signal's AbortError. */
  signal?: AbortSignal;
  /** Called once when `path` is a FIFO that no process has open for writing: the read waits for one. */
  onNoWriter?: (path: string) => void;
}

/**
 * Why a file reader's arguments are no path and no InputWait, in the words every exported reader says (`file must be a
 * path ...`, `NAME takes its options in an object { signal, onNoWriter }`, a misspelt name named), or undefined: the
 * one check of readConformReportInput and readFaultsInputFile (decision 1332).
 */
export function inputFileProblem(name: string, file: unknown, wait: unknown): string | undefined {
  return pathProblem('file', file) ?? optionsObjectProblem(name, wait, ['signal', 'onNoWriter']) ?? membersProblem(wait, { signal: 'signal', onNoWriter: 'function' });
}

/** The most bytes read from a FIFO at its open, while looking for whether a writer has it open. */
const PROBED_BYTES = 1024 * 1024;

const isFifo = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isFIFO() === true;

/** Whether a FIFO is a file of the file system (mkfifo's), not a pipe reached by /dev/fd (which realpath(3) cannot name). */
function hasName(path: string): boolean {
  try {
    realpathSync.native(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A readable stream of the file at `path`, resolved once the file is open (rejected with the open's error). A FIFO
 * is opened without blocking and read as a pipe, by the event loop: opened as a file, the open waited in Node's
 * thread pool for a writer that might never come, and neither a signal nor process.exit could end that wait (exit
 * joins the pool's threads: helper Q's hang). A FIFO no process has open for writing reads as empty when opened
 * so; it is said (`onNoWriter`) and the read waits for a writer's bytes and close, until `signal` ends it.
 */
export async function openInputFile(path: string, wait: InputWait = {}): Promise<Readable> {
  if (!isFifo(path)) {
    const file = createReadStream(path);
    await new Promise<void>((resolve, reject) => file.once('open', () => resolve()).once('error', reject));
    if (wait.signal) addAbortSignal(wait.signal, file);
    return file;
  }
  wait.signal?.throwIfAborted();
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  // Whether a writer has it open: a pipe with none reads as its end (0) once what is in it is read, one with a
  // writer and no bytes as EAGAIN. What is in it is read now and kept for the stream (up to a bound: a writer that
  // keeps it full is there).
  const waiting: Buffer[] = [];
  let last: number | undefined;
  try {
    for (let size = 0; size < PROBED_BYTES && last !== 0; size += last) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      last = readSync(fd, chunk);
      if (last > 0) waiting.push(chunk.subarray(0, last));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
      closeSync(fd);
      throw error;
    }
  }
  // (A pipe without a name, `/dev/stdin` or `<(...)` whose writer is gone, reads as its end: no writer can come.)
  if (last === 0 && hasName(path)) wait.onNoWriter?.(path);
  const pipe = new Socket({ fd, readable: true, writable: false });
  if (waiting.length > 0) pipe.unshift(Buffer.concat(waiting));
  if (wait.signal) addAbortSignal(wait.signal, pipe);
  return pipe;
}

/** The bytes of the file at `path`, a FIFO read as openInputFile reads it. */
export async function readInputFile(path: string, wait: InputWait = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openInputFile(path, wait)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readableAgain(path: string, wait: InputWait = {}): Promise<ReadableAgain> {
  if (!isStreamFile(path)) return { path, named: (message) => message, remove: () => undefined };
  const { path: copy, remove } = await spoolToFile(await openInputFile(path, wait), basename(path) || 'input');
  return { path: copy, named: (message) => message.split(copy).join(path), remove };
}

/**
 * A stream's bytes written to a file of their own in a new temporary folder (`name` in it), for a reader that reads
 * more than once: seed's stdin (`--from -`) and a pipe named on a command line (readableAgain). The folder is removed
 * when the copy fails, else by `remove`.
 */
export async function spoolToFile(input: Readable, name = 'stdin'): Promise<{ path: string; remove: () => void }> {
  refuseArguments(asyncIterableProblem('input', input, 'a readable stream, such as process.stdin'), pathProblem('name', name));
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
