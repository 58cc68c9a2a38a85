// Where an answer ends in the bytes a connection carried (RFC 9112 §6.3), so that what follows it is seen:
// a server sends one final answer per request (RFC 9112 §9.3), and bytes after it, before the next request,
// are an answer to no request that a client reading on would take as its next request's.

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

/** Whether Transfer-Encoding values end in chunked (the body is chunked: RFC 9112 §6.3). */
const endsChunked = (transfer: string[]): boolean => /(^|,)\s*chunked\s*$/i.test(transfer.join(','));

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
