// What was wrong with a message head Node's parser refused (an HPE_* error): read from the bytes it got, so the
// verdict names the header and the rule rather than "the connection was dropped" (docs/decisions/0120).
import { headerLines, headerValues, repeatedHeaderProblems, type HeaderLine, type RawHeaders, type WireProblem } from './headers';
import { at, atHeader, atHeaderLine } from './place';
import { transferCodingProblem } from './transfer';
import { CHUNK_BWS, endsChunked } from './framing';

/** The parts of Node's parse error the kit reads (http client and server alike set them). */
export interface ParseError {
  code?: string;
  reason?: string;
  /** The bytes of the chunk the parser was reading. */
  rawPacket?: Buffer;
  bytesParsed?: number;
}

/** True for an error of Node's HTTP parser (llhttp): the peer's bytes are not an HTTP/1.1 message. */
export const isParseError = (error: { code?: string }): boolean => typeof error.code === 'string' && error.code.startsWith('HPE_');

const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Where a head ends: its empty line, CRLF or a bare LF (read leniently, to say what came), and the body's start. */
const HEAD_END = /\r?\n\r?\n/;

/**
 * The start line and the rows of a head's bytes (up to the empty line, or all that came), as latin1 text, lines
 * split at CRLF or a bare LF; `bareLf` when a line of the head ends in a bare LF.
 */
function rowsOf(bytes: Uint8Array | undefined): { start: string; rows: string[]; bareLf: boolean; bodyAt?: number } {
  const text = Buffer.from(bytes ?? new Uint8Array(0)).toString('latin1');
  const end = HEAD_END.exec(text);
  const head = end ? text.slice(0, end.index + end[0].length) : text;
  const [start = '', ...rows] = (end ? text.slice(0, end.index) : text).split(/\r?\n/);
  return { start, rows, bareLf: /(^|[^\r])\n/.test(head), ...(end ? { bodyAt: end.index + end[0].length } : {}) };
}

/**
 * A head Node's parser refused, read leniently, so what came can still be recorded: the start line
 * (`POST /path HTTP/1.1`), Node's `rawHeaders` form of its lines (a folded line joined to the one before,
 * a line without a colon left out), and the body bytes that came with the head.
 */
export function readRefusedHead(bytes: Uint8Array | undefined): { method: string; target: string; rawHeaders: string[]; body?: Buffer } {
  const { start, rows, bodyAt } = rowsOf(bytes);
  const all = Buffer.from(bytes ?? new Uint8Array(0));
  const rawHeaders: string[] = [];
  for (const row of rows) {
    if (/^[ \t]/.test(row) && rawHeaders.length > 0) rawHeaders[rawHeaders.length - 1] += ` ${row.trim()}`;
    else if (row.includes(':')) rawHeaders.push(row.slice(0, row.indexOf(':')).trim(), row.slice(row.indexOf(':') + 1).trim());
  }
  const [method = '', target = '/'] = start.split(' ');
  return { method, target, rawHeaders, ...(bodyAt === undefined ? {} : { body: all.subarray(bodyAt) }) };
}

/**
 * HTTP/2's connection preface (`PRI * HTTP/2.0`, RFC 9113 §3.4) where an HTTP/1.1 head belongs: a client that speaks
 * HTTP/2 with prior knowledge (curl --http2-prior-knowledge). Graph is reached over TLS, where HTTP/2 is negotiated
 * (ALPN, RFC 9113 §3.3), never assumed (outside tester H26).
 */
export const HTTP2_PRIOR_KNOWLEDGE =
  'the client spoke HTTP/2 without negotiating it (prior knowledge: PRI * HTTP/2.0, RFC 9113 §3.4); the mock speaks HTTP/1.1, and Graph negotiates HTTP/2 over TLS only (ALPN, RFC 9113 §3.3): let the client use HTTP/1.1, or negotiate';

/**
 * The most bytes of a head Node's HTTP parser reads (--max-http-header-size, 16 KiB by default): the bound on a
 * request line the mock reads, which a JSON batch member's url is held to as well (decision 1031). Read when met,
 * not at load: the root entry must not load node:http (tests/packaging/entry-points).
 */
export const nodeHeadBound = (): number => (require('node:http') as typeof import('node:http')).maxHeaderSize;

/**
 * A head larger than Node's HTTP parser reads: no breach of HTTP, which sets no limit on a head's size (RFC 9110
 * §5.4), but what every Node HTTP client (Graph's JavaScript SDK on Node among them) and server refuses by default.
 */
const headOverLimit = (): string => {
  const maxHeaderSize = nodeHeadBound();
  return `is larger than the ${maxHeaderSize} bytes (${maxHeaderSize / 1024} KiB) Node's HTTP parser reads by default (--max-http-header-size): Node's HTTP clients and servers, Graph's JavaScript SDK on Node among them, refuse it, though HTTP sets no limit on a head's size (RFC 9110 §5.4; .NET's HttpClient reads 64 KiB): keep it under ${maxHeaderSize / 1024} KiB`;
};
/** The framing fields whose value this Node's parser reads strictly, and what a value of each is once its OWS is gone. */
const STRICT_FRAMING: Record<string, (value: string) => boolean> = {
  'content-length': (value) => /^\d+$/.test(value),
  'transfer-encoding': (value) => transferCodingProblem([{ name: 'Transfer-Encoding', value }]) === undefined,
};

/**
 * A framing field (Content-Length, Transfer-Encoding) with a tab in the whitespace around its value, a value fine
 * without it: HTTP/1.1 itself (RFC 9112 §5: `field-line = field-name ":" OWS field-value OWS`; RFC 9110 §5.6.3: OWS is
 * spaces and tabs), which this Node's parser refuses (Node 20's a tab after Content-Length's value, every line's one
 * after Transfer-Encoding's in a request). Said as a head over Node's limit is (decision 0300): no breach of HTTP, but
 * what Node clients and servers of this version cannot read (outside tester R27, decision 0493).
 */
function tabAroundFramingValue(rows: readonly string[]): WireProblem | undefined {
  for (const [i, row] of rows.entries()) {
    const colon = row.indexOf(':');
    const name = colon < 0 ? '' : row.slice(0, colon);
    const valid = STRICT_FRAMING[name.toLowerCase()];
    const raw = row.slice(colon + 1);
    const value = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (!valid || !FIELD_NAME.test(name) || !raw.includes('\t') || value.includes('\t') || !valid(value)) continue;
    const { llhttp } = process.versions;
    return {
      ...atHeader(name),
      rule: 'header syntax',
      message: `${TAB_AROUND_VALUE} (${JSON.stringify(value)}), whitespace HTTP allows (RFC 9112 §5: field-line = field-name ":" OWS field-value OWS; OWS is spaces and tabs, RFC 9110 §5.6.3), but which the HTTP parser of this Node (${process.version}, llhttp ${llhttp}) refuses in ${name}: Node's HTTP clients and servers of this version, Graph's JavaScript SDK on such a Node among them, cannot read the message, though it is HTTP/1.1: send no whitespace around the value, or spaces`,
    };
  }
  return undefined;
}
const TAB_AROUND_VALUE = 'has a tab around its value';

/**
 * An answer's `Transfer-Encoding: chunked` with a tab after its value, which this Node's client parser reads as another
 * coding (misreadChunkedValue, src/wire/framing.ts): chunked by the RFC, but the body a Node client gets is the chunk
 * lines, read to the connection's close. Said as 0493 says a tab Node refuses, `cannot be read` (decision 0692).
 */
export function tabAfterChunkedProblem(value: string): WireProblem {
  const { llhttp } = process.versions;
  return {
    ...atHeader('Transfer-Encoding'),
    rule: 'header syntax',
    message: `${TAB_AROUND_VALUE} (${JSON.stringify(value)}), whitespace HTTP allows (RFC 9112 §5: field-line = field-name ":" OWS field-value OWS; OWS is spaces and tabs, RFC 9110 §5.6.3; a field value has none around it, RFC 9110 §5.5, so the body is chunked), but which the HTTP parser of this Node (${process.version}, llhttp ${llhttp}) reads in an answer's Transfer-Encoding as a coding other than chunked: Node's HTTP clients of this version, Graph's JavaScript SDK on such a Node among them, take the chunk lines for the body, read to the connection's close (RFC 9112 §6.3), though the message is HTTP/1.1: send no whitespace around the value, or spaces`,
  };
}

const EMPTY_AFTER_CHUNKED = 'ends in an empty list element';

/**
 * An answer's `Transfer-Encoding` Node's client parser reads as another coding though it is chunked by the RFC
 * (misreadChunkedValue, src/wire/framing.ts): a `value` ending in an empty list element (`chunked ,`, `chunked,<TAB>`,
 * `chunked<TAB>,`: RFC 9110 §5.6.1, decision 0875) is told so, a tab after `chunked` as 0692 tells it. Both `cannot be read`.
 */
export function misreadChunkedProblem(value: string): WireProblem {
  if (!value.endsWith(',')) return tabAfterChunkedProblem(value);
  return emptyAfterChunkedProblem(value, "reads in an answer's Transfer-Encoding as a coding other than chunked: Node's HTTP clients of this version, Graph's JavaScript SDK on such a Node among them, take the chunk lines for the body, read to the connection's close");
}

/**
 * A `Transfer-Encoding` value ending in an empty list element after chunked, which this Node's parser does not read as
 * chunked, `what` it does instead: one wording for an answer (0875) and a request (0901), `cannot be read` both.
 */
function emptyAfterChunkedProblem(value: string, what: string): WireProblem {
  const { llhttp } = process.versions;
  return {
    ...atHeader('Transfer-Encoding'),
    rule: 'header syntax',
    message: `${EMPTY_AFTER_CHUNKED} (${JSON.stringify(value)}), which a sender must not send but a recipient must accept and ignore (RFC 9110 §5.6.1: empty list elements; the last coding is chunked, so the body is chunked, RFC 9112 §6.3), but which the HTTP parser of this Node (${process.version}, llhttp ${llhttp}) ${what}, though the message is HTTP/1.1: send \`Transfer-Encoding: chunked\` with no empty element after it`,
  };
}

/**
 * A request head whose last `Transfer-Encoding` line ends in an empty list element after chunked (`chunked ,`,
 * `chunked,<TAB>`, `chunked<TAB>,`), which this Node's server parser refuses (HPE_INVALID_TRANSFER_ENCODING): said at
 * that header as 0875 says an answer's, the request's sender at fault (RFC 9110 §5.6.1 forbids sending one), never as
 * "not an HTTP/1.1 message head" (decision 0901). Chunked by the one reader's rule (endsChunked); an empty element
 * before chunked (`, chunked`) Node reads.
 */
function emptyElementAfterChunked(rows: readonly string[]): WireProblem | undefined {
  const values = rows.filter((row) => row.slice(0, Math.max(0, row.indexOf(':'))).toLowerCase() === 'transfer-encoding').map((row) => row.slice(row.indexOf(':') + 1).replace(/^[ \t]+|[ \t]+$/g, ''));
  const last = values[values.length - 1];
  if (last === undefined || !last.endsWith(',') || !endsChunked(values)) return undefined;
  return emptyAfterChunkedProblem(last, "refuses in a request's Transfer-Encoding: Node's HTTP servers of this version, the kit's mock and proxy among them, cannot read the request (Graph reads it as chunked)");
}

const OVER_LIMIT = /^is larger than the \d+ bytes \(/;
/** A head that is HTTP/1.1 but that Node's parser does not read: over its size, a tab around a framing value. */
const unreadable = (message: string): boolean => OVER_LIMIT.test(message) || message.startsWith(TAB_AROUND_VALUE) || message.startsWith(EMPTY_AFTER_CHUNKED) || message.startsWith(CHUNK_BWS);

/**
 * How a head Node's parser refused is told, after what it belongs to (`the answer`): not HTTP/1.1, or, when it was
 * HTTP/1.1 that Node does not read (larger than Node reads, a tab around a framing value), not readable (decisions
 * 0300, 0493).
 */
export const headFailure = (subject: string, problem: WireProblem): string => `${subject} ${unreadable(problem.message) ? 'cannot be read' : 'is not HTTP/1.1'}: ${problem.where}: ${problem.message}`;

/**
 * The problem with a message head that Node's parser refused: lines ending in a bare LF, a folded line (obs-fold), a line that is not
 * `name: value`, a singleton header given twice (Content-Length above all), Content-Length beside
 * Transfer-Encoding; else what the parser said, at which byte. Undefined when `error` is not a parse error.
 */
export function headProblem(error: ParseError): WireProblem | undefined {
  if (!isParseError(error)) return undefined;
  // Outside tester L8: a well-formed head over Node's limit was called "not an HTTP/1.1 message head" (decision 0300).
  if (error.code === 'HPE_HEADER_OVERFLOW') return { ...at('head'), rule: 'header syntax', message: headOverLimit() };
  if (error.code === 'HPE_PAUSED_H2_UPGRADE' || Buffer.from(error.rawPacket ?? []).subarray(0, 16).toString('latin1') === 'PRI * HTTP/2.0\r\n') {
    return { ...at('head'), rule: 'header syntax', message: `is HTTP/2's connection preface: ${HTTP2_PRIOR_KNOWLEDGE}` };
  }
  const { rows, bareLf } = rowsOf(error.rawPacket);
  // Outside tester G13: named for what it is, not as the headers a lenient reading then misses.
  if (bareLf) return { ...at('head'), rule: 'header syntax', message: 'ends its lines in a bare LF, not CRLF, which a sender must not do (RFC 9112 §2.2)' };
  const lines: HeaderLine[] = [];
  for (const [i, row] of rows.entries()) {
    if (/^[ \t]/.test(row)) {
      const name = lines[lines.length - 1]?.name;
      return { ...(name ? atHeader(name) : atHeaderLine(i + 1)), rule: 'header syntax', message: 'continues on a folded line (obs-fold, a line starting with a space), which HTTP/1.1 refuses (RFC 9112 §5.2)' };
    }
    const colon = row.indexOf(':');
    const name = colon < 0 ? '' : row.slice(0, colon);
    if (!FIELD_NAME.test(name)) {
      return { ...atHeaderLine(i + 1), rule: 'header syntax', message: `is not "name: value" with a token for a name, no space before the colon (RFC 9112 §5.1; got ${JSON.stringify(row.slice(0, 60))})` };
    }
    lines.push({ name, value: row.slice(colon + 1).trim() });
  }
  const repeated = repeatedHeaderProblems(lines);
  if (repeated.length > 0) return repeated[0];
  const named = (wanted: string) => lines.some((l) => l.name.toLowerCase() === wanted);
  if (named('content-length') && named('transfer-encoding')) {
    return { ...atHeader('Content-Length'), rule: 'header syntax', message: 'is sent with Transfer-Encoding, which a message must not do (RFC 9112 §6.1)' };
  }
  // The parser's "Invalid Transfer-Encoding" (chunked twice, chunked not last): named by the one reader's rule, the
  // one that judges an answer's Transfer-Encoding (decision 0488).
  const transfer = error.code === 'HPE_INVALID_TRANSFER_ENCODING' ? transferCodingProblem(lines) : undefined;
  if (transfer) return transfer;
  // 0875's request side: an empty list element after chunked, said as an answer's is (decision 0901), a tab with it too.
  const empty = error.code === 'HPE_INVALID_TRANSFER_ENCODING' ? emptyElementAfterChunked(rows) : undefined;
  if (empty) return empty;
  // Outside tester R27: HTTP/1.1 that this Node's parser refuses, said as such, not "not an HTTP/1.1 message head".
  const tab = error.code === 'HPE_INVALID_CONTENT_LENGTH' || error.code === 'HPE_INVALID_TRANSFER_ENCODING' ? tabAroundFramingValue(rows) : undefined;
  if (tab) return tab;
  const reason = error.reason ?? error.code ?? 'a parse error';
  return { ...at('head'), rule: 'header syntax', message: `is not an HTTP/1.1 message head: ${reason} (${error.code}, at byte ${error.bytesParsed ?? 0})` };
}

/** A character of a host name (RFC 3986 §3.2.2 reg-name: unreserved, sub-delims, and `%` of pct-encoded). */
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

/**
 * Why a Host field value is no `uri-host [ ":" port ]` (RFC 9110 §7.2; RFC 3986 §3.2.2-3.2.3), in words that never
 * repeat the value (userinfo may hold a password): undefined for a host (a name, an IPv4 address or a closed IP
 * literal) with or without a port of digits. The empty value is a host (RFC 9110 §7.2 sends it for a URI without one).
 */
export function hostValueProblem(value: string): string | undefined {
  if (value.includes('@')) return 'holds userinfo (an "@"), which a Host never does (RFC 9110 §7.2: uri-host [ ":" port ]): send the host and port alone';
  if (/[/?#\\]/.test(value)) return 'holds a path, a query or a fragment ("/", "?", "#"), which a Host never does (RFC 9110 §7.2: uri-host [ ":" port ]): send the host and port alone';
  if (/[\s\x00-\x1f\x7f]/.test(value)) return 'holds a space or a control character, which no host name has (RFC 3986 §3.2.2)';
  let port = '';
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return 'opens an IP literal with "[" and never closes it with "]" (RFC 3986 §3.2.2)';
    const literal = value.slice(0, end + 1);
    port = value.slice(end + 1);
    if (port !== '' && !port.startsWith(':')) return 'has something other than ":" and a port after its IP literal (RFC 9110 §7.2: uri-host [ ":" port ])';
    // IPvFuture, or an IPv6 address as the WHATWG URL parser reads one (a global: no module is loaded for it).
    if (!/^\[v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+\]$/i.test(literal) && !URL.canParse(`http://${literal}/`)) return 'holds an IP literal that is no IPv6 address (RFC 3986 §3.2.2)';
  } else {
    const colon = value.indexOf(':');
    const name = colon < 0 ? value : value.slice(0, colon);
    port = colon < 0 ? '' : value.slice(colon);
    // `Host: :8080` (an empty host variable, its port kept): an http URI's host is never empty (RFC 9110 §4.2.1), and
    // its links would name none (outside tester R8). The empty value alone is RFC 9110 §7.2's for a URI without one.
    if (name === '' && colon >= 0) return 'has a port but no host (as ":8080"): an http(s) authority\'s host is never empty (RFC 9110 §4.2.1): send the host with the port';
    const wrong = [...name].find((char) => !REG_NAME.test(char) && char !== '%');
    if (wrong !== undefined || !REG_NAME.test(name)) return `holds ${wrong === undefined ? 'a "%" that starts no %XX escape' : `"${wrong}"`}, which no host name has (RFC 3986 §3.2.2: letters, digits, "-._~", "!$&'()*+,;=" and %XX escapes)`;
  }
  if (!/^(:\d*)?$/.test(port)) return 'has a port that is not a number (RFC 3986 §3.2.3: port = *DIGIT)';
  return undefined;
}

/**
 * What a server must refuse with 400 about a request's Host before anything else (RFC 9112 §3.2: "A server MUST
 * respond with a 400 (Bad Request) status code to any HTTP/1.1 request message that lacks a Host header field and
 * to any request message that contains more than one Host header field line or a Host header field with an invalid
 * field value"): the mock's routing and the proxy alike, which forwards no such request.
 */
export function hostProblem(httpVersion: string, rawHeaders: RawHeaders): WireProblem | undefined {
  const hosts = headerValues(headerLines(rawHeaders), 'Host');
  if (hosts.length === 0 && httpVersion === '1.1') return { ...atHeader('Host'), rule: 'header syntax', message: 'is required in an HTTP/1.1 request (RFC 9112 §3.2)' };
  if (hosts.length > 1) return repeatedHeaderProblems(headerLines(rawHeaders)).find((p) => p.header === 'Host');
  const invalid = hosts.length === 1 ? hostValueProblem(hosts[0]) : undefined;
  return invalid ? { ...atHeader('Host'), rule: 'header syntax', message: `${invalid}; a server must refuse it (RFC 9112 §3.2)` } : undefined;
}
