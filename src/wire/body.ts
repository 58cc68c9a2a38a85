// A body read from its bytes as the wire carried them: content codings undone where they are true, UTF-8
// decoded strictly, JSON parsed strictly (docs/decisions/0080). Node's conveniences (`toString('utf8')`, which
// turns a bad byte into U+FFFD, and `JSON.parse`, which keeps the last of two equal names) would let a verdict
// pass bytes that Graph's reader refuses.
import { brotliDecompressSync, gunzipSync, inflateSync, type ZlibOptions } from 'node:zlib';
import { findJsonSyntaxError } from '../validation/json-syntax';
import { findDuplicateProperty } from './duplicates';
import { findTooDeep, MAX_NESTING_DEPTH, TOO_DEEP } from './depth';
import { findLoneSurrogate, findNumberOutOfRange, LONE_SURROGATE_MESSAGE, mayHoldLoneSurrogate, mayHoldNumberOutOfRange } from './surrogates';
import type { WireProblem } from './headers';
import { atBody, atHeader } from './place';
import { argumentProblem, refuseArguments, wholeOptionProblem } from '../net/option';

/** The content codings the kit undoes (RFC 9110 §8.4.1: gzip, x-gzip, deflate; RFC 7932: br) and identity. */
export const CONTENT_CODINGS = ['gzip', 'x-gzip', 'deflate', 'br', 'identity'] as const;

/** The most bytes a body decodes to by default: a few MiB of gzip may not become gigabytes in memory. */
export const DEFAULT_MAX_DECODED_BYTES = 64 * 1024 * 1024;

export type Read<T> = { ok: true; value: T } | { ok: false; problem: WireProblem };

const fail = (problem: WireProblem): { ok: false; problem: WireProblem } => ({ ok: false, problem });

/**
 * The bytes under the codings of `Content-Encoding` lines (a list, applied in order, so undone in reverse).
 * An unknown coding is a `header Content-Encoding` problem; bytes that are not what the coding says (a
 * Content-Encoding that lies) are a `body` problem.
 */
export function decodeContent(bytes: Uint8Array, contentEncoding: readonly string[], maxBytes = DEFAULT_MAX_DECODED_BYTES): Read<Uint8Array> {
  refuseArguments(argumentProblem('bytes', bytes, 'bytes'), argumentProblem('contentEncoding', contentEncoding, 'array', "an array of the Content-Encoding header's values, such as headerValues(lines, 'content-encoding')"), wholeOptionProblem('maxBytes', maxBytes, 0));
  const codings = contentEncoding
    .flatMap((v) => v.split(','))
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '');
  for (const coding of codings) {
    if (!(CONTENT_CODINGS as readonly string[]).includes(coding)) {
      return fail({ ...atHeader('Content-Encoding'), rule: 'content coding', message: `names ${JSON.stringify(coding)}, a coding the kit cannot undo (allowed: ${CONTENT_CODINGS.join(', ')})` });
    }
  }
  let current = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const options: ZlibOptions = { maxOutputLength: maxBytes };
  for (const coding of [...codings].reverse()) {
    if (coding === 'identity') continue;
    try {
      current = coding === 'br' ? brotliDecompressSync(current, options) : coding === 'deflate' ? inflateSync(current, options) : gunzipSync(current, options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') return fail({ ...atBody(), rule: 'decoded size', message: `decodes (Content-Encoding ${coding}) to more than ${maxBytes} bytes` });
      return fail({ ...atBody(), rule: 'content coding', message: `is not ${coding} data, as its Content-Encoding says (${code ?? 'cannot be decoded'})` });
    }
  }
  return { ok: true, value: current };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** The offset of the first byte that is not well-formed UTF-8 (the text decoded with U+FFFD says where). */
function firstBadByte(bytes: Uint8Array): number {
  const text = lenient.decode(bytes);
  let from = 0;
  for (;;) {
    const at = text.indexOf('\uFFFD', from);
    if (at < 0) return 0;
    const offset = Buffer.byteLength(text.slice(0, at));
    // A U+FFFD that was sent as such (EF BF BD) is a character, not a replacement.
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
    from = at + 1;
  }
}

/** What a byte that starts no UTF-8 sequence is, after where it is (`is not UTF-8: byte 9 starts no ...`). */
export const NOT_UTF8 = 'starts no valid UTF-8 sequence (JSON is UTF-8, RFC 8259 §8.1)';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');

/**
 * The encoding bytes are in when their start is UTF-16's or UTF-32's rather than UTF-8's, and how that shows: a
 * byte-order mark, or the zero bytes either puts around the ASCII a JSON text starts with (RFC 4627 §3); undefined
 * otherwise. Windows PowerShell 5.1's `>` writes UTF-16LE with its mark (outside tester P12).
 */
export function otherUnicodeEncoding(bytes: Uint8Array): { encoding: string; shows: string } | undefined {
  const [a, b, c, d] = bytes;
  const marked = (encoding: string, length: number) => ({ encoding, shows: `it starts with the byte-order mark ${hex(bytes.subarray(0, length))}` });
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return marked('UTF-32BE', 4);
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return marked('UTF-32LE', 4);
  if (a === 0xfe && b === 0xff) return marked('UTF-16BE', 2);
  if (a === 0xff && b === 0xfe) return marked('UTF-16LE', 2);
  if (bytes.length < 4) return undefined;
  const zeros = [a, b, c, d].map((byte) => (byte === 0x00 ? '0' : 'x')).join('');
  const encoding = ({ '000x': 'UTF-32BE', x000: 'UTF-32LE', '0x0x': 'UTF-16BE', x0x0: 'UTF-16LE' } as Record<string, string | undefined>)[zeros];
  return encoding ? { encoding, shows: `its first bytes ${hex(bytes.subarray(0, 4))} are ${encoding}'s` } : undefined;
}

/**
 * The text of UTF-8 bytes, strictly: a byte sequence that is not UTF-8 is refused where it is (never turned into
 * U+FFFD), and so is a byte-order mark (RFC 8259 §8.1: JSON sent over a network is UTF-8 without one). Bytes in
 * UTF-16 or UTF-32 are named so.
 */
export function decodeUtf8(bytes: Uint8Array): Read<string> {
  refuseArguments(argumentProblem('bytes', bytes, 'bytes'));
  const other = otherUnicodeEncoding(bytes);
  if (other) return fail({ ...atBody(), rule: 'utf-8', byte: 0, message: `is ${other.encoding}, not UTF-8 (${other.shows}): JSON is UTF-8 (RFC 8259 §8.1)` });
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const byte = firstBadByte(bytes);
    return fail({ ...atBody(), rule: 'utf-8', byte, message: `is not UTF-8: byte ${byte} ${NOT_UTF8}` });
  }
  if (text.charCodeAt(0) === 0xfeff) return fail({ ...atBody(), rule: 'byte order mark', message: 'starts with a byte order mark, which JSON sent over a network must not have (RFC 8259 §8.1)' });
  return { ok: true, value: text };
}

export { TOO_DEEP };

/**
 * One JSON value, strictly: nothing after it (RFC 8259 §2), no name twice in one object (§4 says names
 * SHOULD be unique; Graph's OData reader refuses a duplicate, where JSON.parse keeps the last silently), and no
 * string with an unpaired surrogate escape (§8.2; I-JSON, RFC 7493 §2.1, says MUST NOT), and nothing nested deeper
 * than MAX_NESTING_DEPTH levels (§9 lets a parser limit it; decision 0385), or `depthLimit` for a file that holds
 * bodies (a pact file: PACT_FILE_DEPTH, decision 0691).
 */
export function parseJson(text: string, depthLimit: number = MAX_NESTING_DEPTH): Read<unknown> {
  refuseArguments(argumentProblem('text', text, 'string'), wholeOptionProblem('depthLimit', depthLimit, 1));
  // JSON.parse takes exactly RFC 8259's grammar, as the scanner does: the scanner, a second reading of every
  // character, is asked only where the text is not JSON, for the line and column V8's error does not give.
  let parsed: { value: unknown } | undefined;
  try {
    parsed = { value: JSON.parse(text) as unknown };
  } catch {
    parsed = undefined;
  }
  const at = parsed ? undefined : findJsonSyntaxError(text);
  if (at) {
    const trailing = at.message.endsWith('after the end of the JSON value');
    return fail({
      ...atBody(),
      rule: trailing ? 'trailing data' : 'json syntax',
      message: trailing ? `has data after its JSON value: line ${at.line}, column ${at.column}` : `is not JSON: line ${at.line}, column ${at.column}: ${at.message}`,
    });
  }
  const value = parsed ? parsed.value : (JSON.parse(text) as unknown);
  // First, so that nothing else walks a value deeper than any reader of it takes.
  const deep = findTooDeep(value, depthLimit);
  if (deep !== undefined) return fail({ ...atBody(deep), rule: 'nesting depth', message: depthLimit === MAX_NESTING_DEPTH ? TOO_DEEP : `is nested deeper than ${depthLimit} levels` });
  const duplicate = findDuplicateProperty(text);
  if (duplicate !== undefined) return fail({ ...atBody(duplicate), rule: 'duplicate name', message: 'is given twice: Graph refuses a body with a duplicate property name' });
  const lone = mayHoldLoneSurrogate(text) ? findLoneSurrogate(value) : undefined;
  if (lone !== undefined) {
    return fail({ ...atBody(lone), rule: 'lone surrogate', message: LONE_SURROGATE_MESSAGE });
  }
  const huge = mayHoldNumberOutOfRange(text) ? findNumberOutOfRange(value) : undefined;
  if (huge !== undefined) {
    return fail({ ...atBody(huge), rule: 'number range', message: 'is a number no double can hold (it would be read as Infinity): I-JSON refuses it (RFC 7493 §2.2, RFC 8259 §6)' });
  }
  return { ok: true, value };
}
