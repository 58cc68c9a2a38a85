// The one reader of HTTP messages: the mock and reference provider, verify, check-client, conform and the HTTP
// client read requests and answers through it, from raw header lines and body bytes (docs/decisions/0080).
import { decodeContent, decodeUtf8, parseJson, DEFAULT_MAX_DECODED_BYTES } from './body';
import { headerLines, headerValues, repeatedHeaderProblems, type HeaderLine, type HeaderSource, type WireProblem } from './headers';
import { transferCodingProblem } from './transfer';
import { atBody } from './place';
import { argumentProblem, refuseArguments, wholeOptionProblem, optionsObjectProblem } from '../net/option';

/** A message as it crossed the wire. */
export interface WireMessage {
  /** Node's `rawHeaders` (every line, repeats kept), or a record when that is all there is. */
  headers: HeaderSource;
  /** The body bytes as received, content coding included. Preferred over `text`. */
  bytes?: Uint8Array;
  /** The body as text, when the bytes are gone (a library user's own record): read as JSON, no coding undone. */
  text?: string;
  /**
   * The connection closed before the message's framing ended: a chunked body without its zero-size last chunk
   * (Node undoes chunked, so only the one who read the connection can tell). Fewer bytes than Content-Length
   * says is read from `bytes` itself.
   */
  cut?: boolean;
  /** Node's `rawTrailers`: the trailer fields after a chunked body (RFC 9110 §6.5), when there were any. */
  trailers?: HeaderSource;
  /**
   * The message's HTTP version as Node gives it (`1.1`, `1.0`), when known: an HTTP/1.0 message carries no
   * Transfer-Encoding (RFC 9112 §6.1; decision 0492).
   */
  httpVersion?: string;
  /** An answer's interim 1xx answers before it (RFC 9110 §15.2), in the order they came: each its status, reason phrase and header lines. */
  interim?: readonly InterimHead[];
  /**
   * The message has no body whatever its head says (an answer 1xx, 204 or 304: RFC 9112 §6.3 rule 1): its
   * Content-Length frames nothing, so fewer bytes than it says is no body cut short (decision 0722).
   */
  noBody?: boolean;
}

/** An interim 1xx answer as it came (Node's 'information' event): part of the answer, its status line and fields read like the final one's. */
export interface InterimHead {
  status: number;
  /** Its reason phrase (`Early Hints`), when it had one. */
  statusText?: string;
  /** Its header lines (name, value, ...), in their order and spelling. */
  rawHeaders: HeaderSource;
}

/** An interim answer read: its status, reason phrase and header lines. */
export interface ReadInterim {
  status: number;
  reason?: string;
  lines: HeaderLine[];
}

export interface ReadMessage {
  lines: HeaderLine[];
  /** The trailer fields, when the message had any: fields of the message like its header lines (RFC 9110 §6.5). */
  trailers?: HeaderLine[];
  /**
   * Repeated singleton headers, then what is wrong with the body (one problem: reading stops at the first). A
   * transfer coding besides chunked (`header Transfer-Encoding`) stops reading before the body.
   */
  problems: WireProblem[];
  /** True when there is no body, or only whitespace. */
  empty: boolean;
  /** The body's text, when its bytes decode (content coding, UTF-8). */
  text?: string;
  /** The body's JSON value, when `text` is one strict JSON value. */
  json?: { value: unknown };
  /** An answer's reason phrase (RFC 9112 §4: `HTTP/1.1 201 Created`), when its reader was given one: text of the answer like a field's. */
  reason?: string;
  /** The interim 1xx answers before the final one, when there were any: text of the answer like its own head's (RFC 9110 §15.2). */
  interim?: ReadInterim[];
}

/**
 * What an observed request's or answer's `body` is, in the words its refusal says (decision 1123; outside finding
 * R134): Express's `req.body`, a body already parsed, was refused as `must be a string`, which asked for a
 * JSON.stringify that judges other bytes than were sent.
 */
export const BODY_TEXT_WORDS = "the body's text as it was sent, a string (or leave it out and give its bytes): a parsed body, such as Express's req.body, is not what was sent";

/**
 * Why `read` is no message as the one reader reads it (decision 1041): the members a judgement reads of one handed in
 * (`credentialEchoProblems({}, ...)` failed reading 'forEach', `checkCreateRequest(request, p, {}, {})` 'filter'),
 * each asked by the one rule before it is read. `name` is the argument's (`read`).
 */
export function readMessageProblem(name: string, read: unknown, given: 'required' | 'optional' = 'required'): string | undefined {
  if (read === undefined && given === 'optional') return undefined;
  const { lines, trailers, problems, text, json } = (read ?? {}) as Partial<Record<keyof ReadMessage, unknown>>;
  return (
    argumentProblem(name, read, 'object', 'a message as read, such as readMessage(message) or readAnswer(answer)') ??
    argumentProblem(`${name}.lines`, lines, 'array', 'an array of header lines, such as readMessage(message).lines') ??
    argumentProblem(`${name}.problems`, problems, 'array', "an array of the reader's problems, such as readMessage(message).problems") ??
    argumentProblem(`${name}.trailers`, trailers, 'array', 'an array of header lines', 'optional') ??
    argumentProblem(`${name}.text`, text, 'string', undefined, 'optional') ??
    argumentProblem(`${name}.json`, json, 'object', 'an object { value }, the body read as JSON', 'optional')
  );
}

/**
 * Reads a message's header lines and body: repeated singleton headers, Content-Encoding undone (bounded by
 * `maxDecodedBytes`), strict UTF-8 without a byte order mark, one JSON value with no name twice.
 */
export function readMessage(message: WireMessage, options: { maxDecodedBytes?: number } = {}): ReadMessage {
  refuseArguments(argumentProblem('message', message, 'object', 'a message as observed, an object of rawHeaders and body'), argumentProblem('options', options, 'object'));
  refuseArguments(optionsObjectProblem('readMessage', options, ['maxDecodedBytes']), wholeOptionProblem('maxDecodedBytes', options.maxDecodedBytes, 0));
  const read = readHeadAndBody(message, options);
  const trailers = message.trailers === undefined ? [] : headerLines(message.trailers);
  const interim = (message.interim ?? []).map((head) => ({ status: head.status, ...(head.statusText ? { reason: head.statusText } : {}), lines: headerLines(head.rawHeaders) }));
  if (trailers.length === 0 && interim.length === 0) return read;
  return { ...read, ...(trailers.length > 0 ? { trailers } : {}), ...(interim.length > 0 ? { interim } : {}) };
}

function readHeadAndBody(message: WireMessage, options: { maxDecodedBytes?: number }): ReadMessage {
  const lines = headerLines(message.headers);
  const problems = repeatedHeaderProblems(lines);
  // A transfer coding besides chunked is still on the bytes: the header is the fault, the body is not read.
  const transfer = transferCodingProblem(lines, message.httpVersion);
  if (transfer) return { lines, problems: [...problems, transfer], empty: false };
  let text = message.text;
  if (message.bytes !== undefined) {
    // Fewer bytes than Content-Length says: the body was cut short (RFC 9112 §6.3: the message is incomplete).
    const declared = headerValues(lines, 'Content-Length');
    const length = declared.length === 1 && /^\d+$/.test(declared[0]) ? Number(declared[0]) : undefined;
    if (length !== undefined && !message.noBody && message.bytes.byteLength < length) {
      return { lines, problems: [...problems, { ...atBody(), rule: 'content length', message: `was cut short: Content-Length says ${length} bytes, ${message.bytes.byteLength} came (RFC 9112 §6.3)` }], empty: false };
    }
    // The same rule for a chunked body: without its last chunk the message is incomplete, whatever the bytes hold
    // (outside tester H11: Node's fetch throws "terminated", curl fails, so no client learns what was answered).
    if (message.cut && length === undefined) {
      const cutShort = `was cut short: the connection closed before the chunked body's zero-size last chunk, after ${message.bytes.byteLength} bytes (RFC 9112 §7.1: a chunked body is incomplete without it)`;
      return { lines, problems: [...problems, { ...atBody(), rule: 'content length', message: cutShort }], empty: false };
    }
    const decoded = decodeContent(message.bytes, headerValues(lines, 'Content-Encoding'), options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES);
    if (!decoded.ok) return { lines, problems: [...problems, decoded.problem], empty: message.bytes.byteLength === 0 };
    const read = decodeUtf8(decoded.value);
    if (!read.ok) return { lines, problems: [...problems, read.problem], empty: false };
    text = read.value;
  } else if (text !== undefined && text.charCodeAt(0) === 0xfeff) {
    return { lines, problems: [...problems, { ...atBody(), rule: 'byte order mark', message: 'starts with a byte order mark, which JSON sent over a network must not have (RFC 8259 §8.1)' }], empty: false, text };
  }
  if (text === undefined || text.trim() === '') return { lines, problems, empty: true, text };
  const parsed = parseJson(text);
  if (!parsed.ok) return { lines, problems: [...problems, parsed.problem], empty: false, text };
  return { lines, problems, empty: false, text, json: { value: parsed.value } };
}
