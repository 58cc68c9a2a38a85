import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { cannotReadText } from '../net/system-error';
import { argumentProblem, oneOfProblem, pathProblem } from '../net/option';
import { INPUT_FORMATS, InputError, readRecords, type InputFormat } from '../validation';
import { SeedSetupError } from './report';

export interface SeedFile {
  /** The file read (a copy of stdin for `-`). */
  path: string;
  sha256: string;
  /** Records in it, valid or not. */
  records: number;
}

function readFailure(label: string, error: unknown): SeedSetupError {
  return new SeedSetupError(cannotReadText(label, error));
}

/**
 * Reads a --from file once before anything is sent: its content hash (which names the run in the report), how
 * many records it holds, and whether it is JSON at all. Syntax errors end the run before it starts, with the
 * line and column; records that are JSON but not valid requests are reported `invalid` during the run.
 */
export async function inspectSeedFile(path: string, format: InputFormat = 'auto', label = path): Promise<SeedFile> {
  // A path by the library's one rule (decision 0760): `inspectSeedFile()` failed on Node's ERR_INVALID_ARG_TYPE.
  const notPath = pathProblem('path', path) ?? argumentProblem('label', label, 'string');
  if (notPath) throw new TypeError(notPath);
  // Every argument before the file is opened (outside finding R105, decision 0941): `format` was first asked by
  // readRecords, after the file's stream was open, so a missing file's error came after the caller had caught the
  // RangeError, on a stream no one listened to, and ended the process.
  const notFormat = oneOfProblem('format', format, INPUT_FORMATS);
  if (notFormat) throw new RangeError(notFormat);
  if (statSafe(path)?.isDirectory()) throw readFailure(label, { code: 'EISDIR' });
  const hash = createHash('sha256');
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const file = createReadStream(path);
  file.on('error', (error) => tee.destroy(error));
  // The file's error reaches the reading below through `tee`; one that comes after the reading stopped (it threw
  // first) has no one to tell and must not end the process.
  tee.on('error', () => undefined);
  file.pipe(tee);
  let records = 0;
  try {
    for await (const record of readRecords(tee as Readable, format)) {
      if (record.syntaxError) {
        const e = record.syntaxError;
        throw new SeedSetupError(`cannot seed from ${label}: record ${record.index} is not JSON: line ${e.line}, column ${e.column}: ${e.message}`);
      }
      records++;
    }
  } catch (error) {
    file.destroy();
    if (error instanceof SeedSetupError) throw error;
    // A record that long could never be created (outside tester P20: the message named validate's option).
    const never = error instanceof InputError && error.recordLimit !== undefined ? `; no vppToken that long can be created (Graph takes a body of 4 MB at most)` : '';
    if (error instanceof InputError) throw new SeedSetupError(`cannot seed from ${label}: ${error.message}${never}`);
    if ((error as NodeJS.ErrnoException).code) throw readFailure(label, error as NodeJS.ErrnoException);
    throw error;
  }
  return { path, sha256: hash.digest('hex'), records };
}

function statSafe(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Copies a stream (stdin) to a temporary file, so it can be checked and hashed before it is sent: the one spool of src/validation. */
export { spoolToFile } from '../validation/stream-file';
