import { readFileSync } from 'node:fs';
import { systemReason } from '../net/system-error';
import { readInputFile, type InputWait } from './stream-file';
import { decodeUtf8, otherUnicodeEncoding, parseJson } from '../wire/body';

/**
 * Why a JSON file given on the command line could not be taken: `read` (the words follow its name), `syntax`, or
 * `value` (JSON the one reader refuses: a name twice, bytes that are not UTF-8, an unpaired surrogate; the words,
 * with the JSON pointer, follow its name).
 */
export class JsonFileError extends Error {
  constructor(
    readonly kind: 'read' | 'syntax' | 'value',
    /** why it can't be read (`no such file or folder (ENOENT)`, src/net/system-error.ts); for syntax, `: line L, column C: what` or ''; for a value, `/failRate: is given twice ...`. */
    readonly detail: string,
  ) {
    super(kind === 'syntax' ? `is not JSON${detail}` : detail);
  }
}

/**
 * Compressed files by their first bytes (outside tester R43: a `.ndjson.gz` was "not UTF-8" at its second byte). No
 * JSON text starts with any of them: JSON starts with whitespace or a value, and none of these bytes is either.
 */
const COMPRESSED: { is: string; starts: number[] }[] = [
  { is: 'gzip-compressed', starts: [0x1f, 0x8b] },
  { is: 'a zip archive', starts: [0x50, 0x4b, 0x03, 0x04] },
  { is: 'bzip2-compressed', starts: [0x42, 0x5a, 0x68] },
  { is: 'xz-compressed', starts: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { is: 'zstd-compressed', starts: [0x28, 0xb5, 0x2f, 0xfd] },
];

/**
 * What a data file is when its first bytes are a compressed file's (gzip, zip, ...: decompress it) or UTF-16's or UTF-32's, and how to save it as UTF-8 (decision 0384):
 * every command that reads a JSON file says it in these words (`is UTF-16LE, not UTF-8 (...): ...`); undefined for
 * any other bytes.
 */
export function otherEncodingOfFile(bytes: Uint8Array): string | undefined {
  const archive = COMPRESSED.find(({ starts }) => starts.every((b, i) => bytes[i] === b));
  if (archive) {
    const shown = archive.starts.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
    return `is ${archive.is} (it starts ${shown}), not UTF-8 text: decompress it first (e.g. zcat, unzip -p, bzcat, xzcat or zstdcat FILE, piped to the command with - as its file)`;
  }
  const other = otherUnicodeEncoding(bytes);
  if (!other) return undefined;
  return `is ${other.encoding}, not UTF-8 (${other.shows}): a JSON file is UTF-8 (RFC 8259 §8.1); save it as UTF-8, e.g. iconv -f ${other.encoding} -t UTF-8 FILE > NEW, or in PowerShell Get-Content FILE | Set-Content -Encoding utf8 NEW`;
}

/**
 * The JSON value of a file (a leading byte-order mark allowed), read as strictly as a request's body by the one
 * reader (src/wire): UTF-8 bytes, nothing after the value, no name twice in one object (outside tester M16: a faults
 * file naming failRate twice kept the last without a word); a JsonFileError says why not, never quoting it.
 */
export function readJsonFile(file: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new JsonFileError('read', systemReason(error));
  }
  return jsonFileValue(bytes);
}

/**
 * readJsonFile by the interruptible reader of decision 0530 (what the CLI reads an option's file with): a FIFO no
 * process writes to yet is waited for, said by `onNoWriter`, and `signal` ends the wait (an AbortError, thrown as it is).
 */
export async function readJsonInputFile(file: string, wait: InputWait = {}): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readInputFile(file, wait);
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new JsonFileError('read', systemReason(error));
  }
  return jsonFileValue(bytes);
}

/** The JSON value of a file's bytes, or a JsonFileError saying why not. */
function jsonFileValue(bytes: Buffer): unknown {
  const other = otherEncodingOfFile(bytes);
  if (other) throw new JsonFileError('value', other);
  const unmarked = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const text = decodeUtf8(unmarked);
  const read = text.ok ? parseJson(text.value) : text;
  if (read.ok) return read.value;
  const { problem } = read;
  if (problem.rule === 'json syntax' || problem.rule === 'trailing data') throw new JsonFileError('syntax', problem.message.replace(/^(is not JSON|has data after its JSON value)/, (said) => (said === 'is not JSON' ? '' : ': data after its JSON value')));
  const message = problem.rule === 'duplicate name' ? 'is given twice: a name takes one value in a JSON object (RFC 8259 §4)' : problem.message;
  throw new JsonFileError('value', problem.pointer === undefined ? message : `${problem.pointer}: ${message}`);
}
