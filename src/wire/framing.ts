// Where an answer ends in the bytes a connection carried (RFC 9112 §6.3), so that what follows it is seen:
// a server sends one final answer per request (RFC 9112 §9.3), and bytes after it, before the next request,
// are an answer to no request that a client reading on would take as its next request's.

import { QUOTED_STRING, TOKEN, type WireProblem } from './headers';
import { atChunkLine } from './place';

const LF = 0x0a;
const CR = 0x0d;

/** The index just past the line that starts at `from` (its LF), or -1 when the line has not ended. */
function lineEnd(bytes: Uint8Array, from: number): number {
  const lf = bytes.indexOf(LF, from);
  return lf < 0 ? -1 : lf + 1;
}

/** The text of the line from `from` to `end` (past its LF), without CR LF, as latin1. */
const lineText = (bytes: Buffer, from: number, end: number): string => bytes.toString('latin1', from, end).replace(/\r?\n$/, '');

/** The end of the chunked body starting at `from`: past the last chunk, its trailer lines and the empty line. */
const chunkedEnd = (bytes: Buffer, from: number): number | undefined => chunkedBody(bytes, from)?.end;

/** The chunked body starting at `from`, when it ended: its end, and its trailer lines (Node's rawTrailers form). */
function chunkedBody(bytes: Buffer, from: number): { end: number; trailers: string[] } | undefined {
  let at = from;
  for (;;) {
    const end = lineEnd(bytes, at);
    if (end < 0) return undefined;
    const size = Number.parseInt(lineText(bytes, at, end).split(';')[0].trim(), 16);
    if (!Number.isFinite(size)) return undefined;
    at = end;
    if (size === 0) {
      // Trailer lines, then the empty line that ends the message.
      const trailers: string[] = [];
      for (;;) {
        const next = lineEnd(bytes, at);
        if (next < 0) return undefined;
        const line = lineText(bytes, at, next);
        at = next;
        if (line === '') return { end: at, trailers };
        const colon = line.indexOf(':');
        if (colon > 0) trailers.push(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
    }
    at += size;
    if (bytes[at] === CR) at += 1;
    if (bytes[at] !== LF) return undefined;
    at += 1;
  }
}

// A chunk line (RFC 9112 §7.1, §7.1.1): chunk-size [ chunk-ext ] CRLF; chunk-size = 1*HEXDIG; chunk-ext =
// *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ); chunk-ext-val = token / quoted-string. BWS is
// whitespace a recipient must read and a sender must not generate (RFC 9110 §5.6.3).
const chunkLine = (bws: string): RegExp => new RegExp(`^[0-9A-Fa-f]+(?:${bws};${bws}${TOKEN}(?:${bws}=${bws}(?:${TOKEN}|${QUOTED_STRING}))?)*$`);
const CHUNK_LINE = chunkLine('[ \\t]*');
const CHUNK_LINE_WITHOUT_BWS = chunkLine('');
/** How a chunk line with BWS is said: HTTP/1.1 that Node's parser refuses, so `headFailure` says `cannot be read`. */
export const CHUNK_BWS = 'has whitespace';

/**
 * What is wrong with one chunk line, as the kit says it (its text is never shown: an extension may carry anything);
 * undefined when it is a chunk line a sender may write. Whitespace before `;` or around `=` (BWS) is HTTP/1.1 that
 * Node's parser refuses (outside tester R46, decision 0613).
 */
export function chunkLineProblem(line: string): string | undefined {
  if (CHUNK_LINE_WITHOUT_BWS.test(line)) return undefined;
  if (CHUNK_LINE.test(line)) {
    const where = /^[0-9A-Fa-f]+[ \t]+;/.test(line) ? 'before ";"' : 'around ";" or "="';
    const { llhttp } = process.versions;
    return `${CHUNK_BWS} ${where} (BWS), which HTTP's grammar allows (RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )) but a sender must not generate (RFC 9110 §5.6.3), and which the HTTP parser of this Node (${process.version}, llhttp ${llhttp}) refuses: Node's HTTP clients and servers of this version cannot read the message, though it is HTTP/1.1: send no whitespace in a chunk line`;
  }
  if (!/^[0-9A-Fa-f]/.test(line)) return 'is not a chunk size: a chunk line starts with the size in hex digits (RFC 9112 §7.1)';
  return 'is not a chunk line: the size in hex digits, then only chunk extensions (";name" or ";name=value", RFC 9112 §7.1.1)';
}

/** The first chunk line of the chunked body starting at `from` that `chunkLineProblem` refuses, by its number from 1. */
function chunkedProblem(bytes: Buffer, from: number): WireProblem | undefined {
  let at = from;
  for (let line = 1; ; line += 1) {
    const end = lineEnd(bytes, at);
    if (end < 0) return undefined;
    const text = lineText(bytes, at, end);
    const message = chunkLineProblem(text);
    if (message) return { ...atChunkLine(line), rule: 'transfer coding', message };
    const size = Number.parseInt(text, 16);
    if (size === 0) return undefined;
    at = end + size;
    if (bytes[at] === CR) at += 1;
    if (bytes[at] !== LF) return undefined;
    at += 1;
  }
}

/**
 * The chunk line Node's parser refused in the chunked body of the final answer in `bytes` (all the connection carried
 * after the request was written): whitespace before a chunk extension, a size that is not hex. Undefined when the
 * answer is not chunked or its chunk lines are all readable (the parser refused something else).
 */
export function answerChunkProblem(bytes: Buffer, method: string): WireProblem | undefined {
  const head = finalAnswerHead(bytes);
  if (!head || bodiless(head.status, method) || !endsChunked(fieldOf(head.lines, 'transfer-encoding'))) return undefined;
  return chunkedProblem(bytes, head.end);
}

/** An HTTP/1.1 request line (RFC 9112 §3): method, target, version. */
const REQUEST_LINE = new RegExp(`^${TOKEN} \\S+ HTTP/1\\.1$`);

/**
 * Where the request Node's parser was reading at `stop` starts in `packet` (the bytes it was reading, Node's
 * `rawPacket`): the packet's requests read one after another from its start (each head ending in CRLF CRLF with a
 * request line, then its body by Content-Length or its chunks, RFC 9112 §6.3), past each that ended at or before `stop`
 * (a request written after another on a kept connection, pipelined or in the same write). `head` is that request's
 * lines and where its body starts, when its head is one such; none when it is not (the head the parser refused: a bare
 * LF, bytes that are no request line) or when the packet starts inside a body the parser read from an earlier packet
 * (then `start` is 0: the packet's bytes are all the kit has).
 */
function requestAt(packet: Buffer, stop: number): { start: number; head?: { lines: string[]; bodyStart: number } } {
  let at = 0;
  for (;;) {
    // Empty lines before a request line are read and left alone (RFC 9112 §2.2).
    while (packet[at] === CR && packet[at + 1] === LF) at += 2;
    const headEnd = packet.indexOf('\r\n\r\n', at);
    if (headEnd < 0) return { start: at };
    const lines = packet.toString('latin1', at, headEnd).split('\r\n');
    if (!REQUEST_LINE.test(lines[0])) return { start: at };
    const bodyStart = headEnd + 4;
    const length = fieldOf(lines, 'content-length');
    const end = endsChunked(fieldOf(lines, 'transfer-encoding')) ? chunkedEnd(packet, bodyStart) : bodyStart + (length.length > 0 ? Number(length[0]) || 0 : 0);
    if (end === undefined || end > stop || end >= packet.length) return { start: at, head: { lines, bodyStart } };
    at = end;
  }
}

/**
 * The bytes of the request Node's server parser refused, from its own start: `error`'s packet past the requests
 * before it in the same packet (each ended before the byte the parser stopped at), and the place it stopped at
 * counted in that request. A head refused after a create in one write is then read as its own head, its method, target
 * and fault (a bare LF, RFC 9112 §2.2; a folded line, §5.2), at a byte of its own, never as the create before it
 * (outside finding R98, decision 0940).
 */
export function refusedRequestOf<E extends { rawPacket?: Buffer; bytesParsed?: number }>(error: E): E {
  const packet = error.rawPacket;
  if (!packet) return error;
  const stop = Math.min(Math.max(0, error.bytesParsed ?? 0), packet.length);
  const { start } = requestAt(packet, stop);
  if (start === 0) return error;
  return { ...error, rawPacket: packet.subarray(start), ...(error.bytesParsed === undefined ? {} : { bytesParsed: error.bytesParsed - start }) };
}

/**
 * The chunk line Node's server parser refused in the body of a request it had taken: `packet` is the bytes it was
 * reading (Node's `rawPacket`), `offset` where it stopped (`bytesParsed`). Read from the request head when the packet
 * holds it (the line then has its number), else the line the parser stopped in, unnumbered. Undefined when that is no
 * chunk line the kit refuses (the parser refused something else).
 */
export function requestChunkProblem(packet: Buffer | undefined, offset: number | undefined): WireProblem | undefined {
  if (!packet) return undefined;
  const stop = Math.min(Math.max(0, offset ?? 0), packet.length);
  // The packet holds the head: the chunk lines are read from it, numbered, and nothing else is taken for one. Its
  // head may follow other requests on a kept connection, pipelined or written at once (decision 0693).
  const { head: held } = requestAt(packet, stop);
  if (held) return endsChunked(fieldOf(held.lines, 'transfer-encoding')) ? chunkedProblem(packet, held.bodyStart) : undefined;
  const start = packet.lastIndexOf(LF, stop - 1) + 1;
  const end = lineEnd(packet, start);
  const text = lineText(packet, start, end < 0 ? packet.length : end);
  const message = chunkLineProblem(text);
  return message && /[0-9A-Fa-f]/.test(text.charAt(0)) ? { ...atChunkLine(), rule: 'transfer coding', message } : undefined;
}

/**
 * The trailer lines (name, value, ...) of the final answer in `bytes` when its chunked body ended, zero-size last
 * chunk, trailer section and empty line: undefined otherwise. For an answer Node's parser refused in its trailer
 * section (a Content-Length there: "Content-Length can't be present with Transfer-Encoding"), whose body came whole,
 * so the fault is named as the trailer field's, not as a cut body (outside tester R35, decision 0490).
 */
export function chunkedTrailers(bytes: Buffer, method: string): string[] | undefined {
  const head = finalAnswerHead(bytes);
  if (!head || bodiless(head.status, method) || !endsChunked(fieldOf(head.lines, 'transfer-encoding'))) return undefined;
  return chunkedBody(bytes, head.end)?.trailers;
}

/** The head of the final answer in `bytes`, past any interim 1xx answers: its status, lines and where its body starts. */
function finalAnswerHead(bytes: Buffer): { status: number; lines: string[]; end: number } | undefined {
  let at = 0;
  for (;;) {
    let end = at;
    const lines: string[] = [];
    for (;;) {
      const next = lineEnd(bytes, end);
      if (next < 0) return undefined;
      const line = lineText(bytes, end, next);
      end = next;
      if (line === '' && lines.length > 0) break;
      if (line !== '') lines.push(line);
    }
    const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(lines[0])?.[1]);
    if (!Number.isInteger(status)) return undefined;
    if (status >= 100 && status < 200 && status !== 101) {
      at = end;
      continue;
    }
    return { status, lines, end };
  }
}

/** Whether an answer has no body whatever its head says: to a HEAD, or 204, 304, 101. */
const bodiless = (status: number, method: string): boolean => method.toUpperCase() === 'HEAD' || status === 204 || status === 304 || status === 101;

/** The values of a field in a head's lines (after the status line). */
const fieldOf = (lines: string[], name: string): string[] => lines.slice(1).filter((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase() === name).map((l) => l.slice(l.indexOf(':') + 1).trim());

/**
 * Whether Transfer-Encoding values end in chunked (the body is chunked: RFC 9112 §6.3), empty list elements ignored
 * (RFC 9110 §5.6.1: a recipient accepts and ignores them, so `chunked ,` ends in chunked: decision 0875).
 */
export const endsChunked = (transfer: readonly string[]): boolean => /(^|,)\s*chunked[\s,]*$/i.test(transfer.join(','));

/**
 * Whether an answer's Transfer-Encoding may be one this Node's client parser reads otherwise than the RFC (read by
 * misreadChunkedValue): Node names one (`value`, as Node joined it) and either a tab came with the head (`heard`, the
 * connection's bytes so far: decision 0692) or the value ends in an empty list element (decision 0875). A cheap look,
 * so the callers keep the connection's bytes only for such an answer.
 */
export const mayMisreadChunked = (value: string | string[] | undefined, heard: readonly Buffer[]): boolean =>
  value !== undefined && (/,\s*$/.test(([] as string[]).concat(value).join(',')) || heard.some((chunk) => chunk.includes(9)));

/**
 * The value of an answer's `Transfer-Encoding` that is chunked by the RFC, its last coding `chunked` once the whitespace
 * around each line's value is trimmed (RFC 9110 §5.5: a field value has none; RFC 9112 §5: OWS around it), with a tab
 * in that whitespace after it or an empty list element after it (`chunked ,`, `chunked,<TAB>`: RFC 9110 §5.6.1 has a
 * recipient ignore it; decision 0875), when Node's client parser has not read it as chunked: `delivered` (what Node handed
 * over as the body so far) is the connection's bytes after the head as they came, chunk lines and all (Node 20 reads
 * such a value as another coding, the body running to the connection's close: decision 0692). Given once the chunked
 * body has ended in `bytes`, or `ended` (the connection closed first); undefined otherwise, and where Node reads it.
 */
export function misreadChunkedValue(bytes: Buffer, method: string, delivered: Buffer, ended: boolean): string | undefined {
  const head = finalAnswerHead(bytes);
  if (!head || bodiless(head.status, method) || delivered.length === 0) return undefined;
  const rows = head.lines.slice(1).filter((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase() === 'transfer-encoding');
  const last = rows.length > 0 ? rows[rows.length - 1].slice(rows[rows.length - 1].indexOf(':') + 1) : undefined;
  if (last === undefined || !/(\t|,)[ \t]*$/.test(last) || !endsChunked(fieldOf(head.lines, 'transfer-encoding'))) return undefined;
  const raw = bytes.subarray(head.end);
  if (delivered.length > raw.length || !raw.subarray(0, delivered.length).equals(delivered)) return undefined;
  return ended || chunkedEnd(bytes, head.end) !== undefined ? last.trim() : undefined;
}

/**
 * Where the final answer in `bytes` (all a connection carried after a request was written) ends, past any
 * interim 1xx answers; undefined when it has not ended yet, or ends only with the connection (no Content-Length,
 * no chunked: RFC 9112 §6.3 rule 8), or cannot be read (Node's parser names that fault). `method` is the
 * request's: the answer to a HEAD has no body.
 */
export function answerEnd(bytes: Buffer, method: string): number | undefined {
  const head = finalAnswerHead(bytes);
  if (!head) return undefined;
  const { status, lines, end } = head;
  if (bodiless(status, method)) return end;
  const transfer = fieldOf(lines, 'transfer-encoding');
  if (transfer.length > 0) return endsChunked(transfer) ? chunkedEnd(bytes, end) : undefined;
  const length = fieldOf(lines, 'content-length');
  if (length.length === 0) return undefined;
  const size = Number(length[0].split(',')[0].trim());
  return Number.isSafeInteger(size) && end + size <= bytes.length ? end + size : undefined;
}
