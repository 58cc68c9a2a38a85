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
function chunkedEnd(bytes: Buffer, from: number): number | undefined {
  let at = from;
  for (;;) {
    const end = lineEnd(bytes, at);
    if (end < 0) return undefined;
    const size = Number.parseInt(lineText(bytes, at, end).split(';')[0].trim(), 16);
    if (!Number.isFinite(size)) return undefined;
    at = end;
    if (size === 0) {
      // Trailer lines, then the empty line that ends the message.
      for (;;) {
        const next = lineEnd(bytes, at);
        if (next < 0) return undefined;
        const empty = lineText(bytes, at, next) === '';
        at = next;
        if (empty) return at;
      }
    }
    at += size;
    if (bytes[at] === CR) at += 1;
    if (bytes[at] !== LF) return undefined;
    at += 1;
  }
}

/**
 * Where the final answer in `bytes` (all a connection carried after a request was written) ends, past any
 * interim 1xx answers; undefined when it has not ended yet, or ends only with the connection (no Content-Length,
 * no chunked: RFC 9112 §6.3 rule 8), or cannot be read (Node's parser names that fault). `method` is the
 * request's: the answer to a HEAD has no body.
 */
export function answerEnd(bytes: Buffer, method: string): number | undefined {
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
    if (method.toUpperCase() === 'HEAD' || status === 204 || status === 304 || status === 101) return end;
    const field = (name: string) => lines.slice(1).filter((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase() === name).map((l) => l.slice(l.indexOf(':') + 1).trim());
    const transfer = field('transfer-encoding');
    if (transfer.length > 0) return /(^|,)\s*chunked\s*$/i.test(transfer.join(',')) ? chunkedEnd(bytes, end) : undefined;
    const length = field('content-length');
    if (length.length === 0) return undefined;
    const size = Number(length[0].split(',')[0].trim());
    return Number.isSafeInteger(size) && end + size <= bytes.length ? end + size : undefined;
  }
}
