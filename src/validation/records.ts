import type { Readable } from 'node:stream';
import { kindProblem, type Profile, type SchemaKind } from '../schemas';
import { findJsonSyntaxError, type JsonSyntaxError } from './json-syntax';
import type { Problem } from './problems';
import { repeatedTokenChecker, type RepeatedTokenChecker } from './repeated-tokens';
import { createRequestProblems } from './create-request';
import { graphListPage, isValid, jsonBatch, JSON_VALUE_KEYWORDS, problemsOf } from './validators';
import { decodeUtf8, NOT_UTF8, parseJson } from '../wire/body';
import { otherEncodingOfFile } from './json-file';
import { numbersOutOfRange } from '../wire/surrogates';
import { asyncIterableProblem, functionProblem, oneOfProblem, optionsObjectProblem, wholeOptionProblem, membersProblem, argumentProblem, refuseArguments } from '../net/option';

/** How a file of records is read: `vppkit validate --format` and readRecords take these words alone. */
export const INPUT_FORMATS = ['auto', 'json', 'ndjson'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** One record of an input: its value, or why it is not JSON. */
export interface InputRecord {
  /** 0-based position among the records. */
  index: number;
  /** 1-based line the record starts on. */
  line: number;
  value?: unknown;
  /** Set when the record is not JSON (or not UTF-8); line and column are those of the whole input. */
  syntaxError?: JsonSyntaxError;
  /**
   * What the one reader (src/wire) refuses in JSON that parses: a name given twice, an unpaired surrogate, a
   * number no double holds; at its JSON pointer. Such a record is invalid, as a body holding it is refused.
   */
  readProblems?: Problem[];
}

/** The input can't be read as records at all (empty, or a broken JSON array). Exit code 2 material. */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** A record over `maxRecordBytes`: the limit, so each command says what it lets a user do about it (P20). */
  readonly recordLimit?: number;
  constructor(message: string, options: { recordLimit?: number } = {}) {
    super(message);
    if (options.recordLimit !== undefined) this.recordLimit = options.recordLimit;
  }
}

/**
 * A record that is a Graph list page, an OData collection response (OData JSON Format 4.01 §12: its members are
 * `value`, an array, and annotations such as `@odata.context`, `@odata.nextLink`, `@odata.count`), is what
 * `GET .../vppTokens`, Graph Explorer or `az rest` export: no record of any kind (a create, a vppToken, an action
 * result and an error are single objects), but the records themselves, in its `value`. Read as one create it was
 * `/token: is required; /value: is not a known property` (outside finding R89, decision 0803). The input
 * is refused in one line that says what it is and what to give: records are the values a file holds, one each, and
 * the kit does not reach inside one (a page with a nextLink holds only the first of its list).
 */
function notAListPage(record: InputRecord, whole = false): InputRecord {
  const where = whole ? 'the input' : `record ${record.index} (line ${record.line})`;
  const page = graphListPage(record.value);
  if (!page) {
    // A JSON batch is as much no record (outside attacker R135, decision 1161): its members' bodies are the records.
    const batch = jsonBatch(record.value);
    if (!batch) return record;
    throw new InputError(`${where} is ${batch.got}, not a record: give ${batch.bodies} as the records, one JSON value each, e.g. jq -c '${batch.jq}'`);
  }
  const { items } = page;
  const more = page.more ? '; its "@odata.nextLink" says more pages follow, each to be read and given too' : '';
  throw new InputError(`${where} is a Graph list page (an OData collection: "value" holds its ${items} item${items === 1 ? '' : 's'}), not a record${more}: give its items as the records, one JSON value each, e.g. jq -c '.value[]'`);
}

function locate(text: string, startLine: number, startColumn = 1): JsonSyntaxError {
  const found = findJsonSyntaxError(text) ?? { offset: 0, line: 1, column: 1, message: 'not JSON' };
  return { ...found, line: startLine + found.line - 1, column: found.line === 1 ? startColumn + found.column - 1 : found.column };
}

/**
 * A record from its bytes, as the one reader takes a body (src/wire): strict UTF-8 (a Latin-1, overlong or CESU-8
 * byte is refused where it is, never read as U+FFFD), strict JSON, then what parses but Graph refuses.
 */
function parse(bytes: Buffer, line: number, column = 1): Pick<InputRecord, 'value' | 'syntaxError' | 'readProblems'> {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const offset = decoded.problem.byte ?? 0;
    const before = bytes.subarray(0, offset).toString('latin1');
    const lines = before.split('\n');
    const at = lines.length === 1 ? column + before.length : lines[lines.length - 1].length + 1;
    return { syntaxError: { offset, line: line + lines.length - 1, column: at, message: decoded.problem.rule === 'utf-8' ? `not UTF-8: byte ${offset} of the record ${NOT_UTF8}` : decoded.problem.message } };
  }
  const text = decoded.value;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { syntaxError: locate(text, line, column) };
  }
  const read = parseJson(text);
  if (!read.ok && read.problem.rule === 'number range') {
    // Each number no double holds, not only the first (outside tester J10: a second one was shown as "got null").
    return { value, readProblems: numbersOutOfRange(value).map((pointer) => ({ pointer, keyword: read.problem.rule, message: read.problem.message })) };
  }
  if (!read.ok) return { value, readProblems: [{ pointer: read.problem.pointer ?? '', keyword: read.problem.rule, message: read.problem.message }] };
  return { value };
}

/** The longest record read by default (an NDJSON line, an array element, a whole document): 64 MiB (decision 0025). */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

export interface ReadRecordsOptions {
  /**
   * A record longer than this many bytes (an NDJSON line, an element of a JSON array, a single document) ends
   * the reading with an InputError naming where it starts (default 64 MiB).
   */
  maxRecordBytes?: number;
}

const NEWLINE = 0x0a;

/**
 * The input's first bytes, held until there are four: a UTF-8 byte-order mark (Windows editors, PowerShell's
 * Out-File) is not part of the records, and a UTF-16 or UTF-32 input is refused whole, named (decision 0384).
 */
function started(head: Buffer): Buffer {
  const other = otherEncodingOfFile(head);
  if (other) throw new InputError(`the input ${other}`);
  return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
}

async function* byteChunks(input: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const raw of input) {
    let chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : (raw as Buffer);
    if (head) {
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) continue;
      chunk = started(head);
      head = undefined;
    }
    if (chunk.length > 0) yield chunk;
  }
  if (head && head.length > 0) {
    const chunk = started(head);
    if (chunk.length > 0) yield chunk;
  }
}

function firstNonSpace(chunk: Buffer): number {
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
  }
  return -1;
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

/**
 * Splits NDJSON into lines, linear in the input: each byte is searched for a newline once, and a line held in
 * pieces is joined once (a 50 MB line costs what 50 MB of short lines cost). Lines are split on bytes, so a
 * UTF-8 character cut between two chunks is decoded whole.
 */
function tooLong(where: string, maxRecordBytes: number): InputError {
  return new InputError(`${where} is longer than ${formatBytes(maxRecordBytes)}, the longest record read: one record per line or array element`, { recordLimit: maxRecordBytes });
}

async function* ndjsonLines(head: Buffer[], rest: AsyncIterator<Buffer>, maxLineBytes: number): AsyncGenerator<{ line: number; bytes: Buffer }> {
  let parts: Buffer[] = [];
  let held = 0;
  let line = 0;
  const take = (chunk: Buffer, from: number, to: number) => {
    if (held + (to - from) > maxLineBytes) throw tooLong(`line ${line + 1}`, maxLineBytes);
    if (to > from) parts.push(chunk.subarray(from, to));
    held += to - from;
  };
  const chunks = async function* () {
    yield* head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  };
  for await (const chunk of chunks()) {
    let from = 0;
    for (let newline = chunk.indexOf(NEWLINE, from); newline >= 0; newline = chunk.indexOf(NEWLINE, from)) {
      take(chunk, from, newline);
      const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts, held);
      parts = [];
      held = 0;
      yield { line: ++line, bytes };
      from = newline + 1;
    }
    take(chunk, from, chunk.length);
  }
  if (held > 0) yield { line: ++line, bytes: Buffer.concat(parts, held) };
}

/**
 * Reads records from one JSON document, a JSON array, or NDJSON, streaming: memory stays flat however many
 * records pass (except a single non-array document, which is one record). `auto` looks at the start: `[` is an
 * array; a first line that is a whole `{...}` is NDJSON; anything else is one JSON document. A byte-order mark
 * at the start is skipped.
 */
export async function* readRecords(input: Readable, format: InputFormat = 'auto', options: ReadRecordsOptions = {}): AsyncGenerator<InputRecord> {
  // The words and numbers validate's --format and --max-record-bytes take (outside finding P13: 'NDJSON' read two
  // lines as one document, maxRecordBytes: '4KiB' was taken).
  const shape = optionsObjectProblem('readRecords', options, ['maxRecordBytes']);
  if (shape) throw new TypeError(shape);
  // The stream itself by the same rule (decision 0760): `readRecords()`, and seed's readers over it (readSeedReport,
  // fileSeedInputs), failed inside on Node's "Cannot read properties of undefined".
  const notReadable = asyncIterableProblem('input', input, 'a readable stream, such as fs.createReadStream(file) or process.stdin');
  if (notReadable) throw new TypeError(notReadable);
  const unfit = oneOfProblem('format', format, INPUT_FORMATS) ?? wholeOptionProblem('maxRecordBytes', options.maxRecordBytes, 1);
  if (unfit) throw new RangeError(unfit);
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const source = byteChunks(input);
  // Read just enough to decide the shape: the first non-space byte and, for auto, the end of the first line.
  const head: Buffer[] = [];
  let headBytes = 0;
  let first = -1;
  let firstLineEnds = false;
  let exhausted = false;
  for (;;) {
    const next = await source.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    const chunk = next.value;
    head.push(chunk);
    if (first < 0) {
      const at = firstNonSpace(chunk);
      if (at >= 0) first = headBytes + at;
    }
    if (first >= 0 && chunk.indexOf(NEWLINE, Math.max(0, first - headBytes)) >= 0) firstLineEnds = true;
    headBytes += chunk.length;
    if (first < 0) continue;
    if (format !== 'auto' || firstLineEnds || headBytes > maxRecordBytes) break;
    if (byteAt(head, first) === 0x5b) break;
  }
  if (first < 0) throw new InputError('the input is empty: no JSON records to read');
  const firstByte = byteAt(head, first);
  let mode: 'ndjson' | 'array' | 'document';
  if (format === 'ndjson') mode = 'ndjson';
  else if (firstByte === 0x5b) mode = 'array';
  else if (format === 'auto' && firstLineEnds) {
    const text = Buffer.concat(head).toString('utf8');
    const start = text.search(/\S/);
    // A line ends at \n alone (a \r before it is space): a raw U+2028 or U+2029 in a string, which JSON.stringify
    // leaves as it is (RFC 8259 §7), is inside the line, though a JavaScript regular expression's `.` stops there (P21).
    const firstLine = text.slice(start, text.indexOf('\n', start)).replace(/[ \t\r]+$/, '');
    mode = firstLine.startsWith('{') && firstLine.endsWith('}') ? 'ndjson' : 'document';
  } else if (format === 'auto' && exhausted) {
    mode = 'document';
  } else mode = 'document';

  if (mode === 'ndjson') {
    let index = 0;
    const rest: AsyncIterator<Buffer> = exhausted ? { next: async () => ({ done: true, value: undefined }) } : source;
    for await (const { line, bytes } of ndjsonLines(head, rest, maxRecordBytes)) {
      if (firstNonSpace(bytes) >= 0) yield notAListPage({ index: index++, line, ...parse(bytes, line) });
    }
    return;
  }

  const chunks = async function* () {
    yield* head;
    if (!exhausted) for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
  };
  if (mode === 'document') {
    // One record: the whole input, bounded like any record.
    const parts: Buffer[] = [];
    let held = 0;
    for await (const chunk of chunks()) {
      held += chunk.length;
      if (held > maxRecordBytes) throw tooLong('the JSON document', maxRecordBytes);
      parts.push(chunk);
    }
    const bytes = Buffer.concat(parts, held);
    const text = bytes.toString('latin1');
    const start = text.search(/\S/);
    yield notAListPage({ index: 0, line: 1 + (text.slice(0, start).match(/\n/g)?.length ?? 0), ...parse(bytes, 1) }, true);
    return;
  }
  // An empty array holds no record, as an empty input does: nothing to judge is no verdict (outside tester I23).
  let records = 0;
  for await (const record of readArray(chunks(), maxRecordBytes)) {
    records++;
    yield notAListPage(record);
  }
  if (records === 0) throw new InputError('the input is an empty JSON array ([]): no records to read');
}

function byteAt(chunks: Buffer[], offset: number): number {
  for (const chunk of chunks) {
    if (offset < chunk.length) return chunk[offset];
    offset -= chunk.length;
  }
  return -1;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Streams the elements of a top-level JSON array, one record each, linear in the input: each byte is looked at
 * once, an element held in pieces is joined once when it ends, and no element may pass `maxRecordBytes`.
 * Lines and columns (in characters) are tracked for error messages.
 */
async function* readArray(chunks: AsyncIterable<Buffer>, maxRecordBytes: number): AsyncGenerator<InputRecord> {
  let started = false;
  let closed = false;
  let line = 1;
  let column = 0;
  let newlineBefore = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: Buffer[] = [];
  let held = 0;
  let elementLine = 1;
  let elementColumn = 1;
  /** The line the element's first non-space character is on, for the message when it is too long. */
  let contentLine = 0;
  let index = 0;
  const take = (chunk: Buffer, from: number, to: number) => {
    if (to <= from) return;
    held += to - from;
    if (held > maxRecordBytes) throw tooLong(`record ${index} (line ${contentLine || elementLine} of the JSON array)`, maxRecordBytes);
    parts.push(chunk.subarray(from, to));
  };
  const element = (): InputRecord | undefined => {
    const bytes = Buffer.concat(parts, held);
    // Newlines and spaces are single bytes: latin1 counts them without decoding (parse decodes strictly).
    const raw = bytes.toString('latin1');
    parts = [];
    held = 0;
    contentLine = 0;
    if (firstNonSpace(bytes) < 0) {
      if (index === 0 && closed) return undefined; // []
      return { index: index++, line: elementLine, syntaxError: { offset: 0, line: elementLine, column: elementColumn, message: 'an empty element in the array' } };
    }
    return { index: index++, line: elementLine + leadingNewlines(raw), ...parse(bytes, elementLine, elementColumn) };
  };
  for await (const chunk of chunks) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (newlineBefore) {
        line++;
        column = 0;
        newlineBefore = false;
      }
      if ((c & 0xc0) !== 0x80) column++; // a UTF-8 continuation byte is part of the character before it
      if (c === 0x0a) newlineBefore = true;
      if (closed) {
        if (!isSpace(c)) throw new InputError(`unexpected content after the closing ] of the JSON array (line ${line})`);
        continue;
      }
      if (!started) {
        if (c === 0x5b) {
          started = true;
          from = i + 1;
          elementLine = line;
          elementColumn = column + 1;
        }
        continue;
      }
      if (contentLine === 0 && !isSpace(c)) contentLine = line;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (depth === 0 && c === 0x5d) {
          take(chunk, from, i);
          closed = true;
          const record = element();
          if (record) yield record;
          if (record?.syntaxError) return;
          continue;
        }
        depth--;
      } else if (c === 0x2c && depth === 0) {
        take(chunk, from, i);
        const record = element()!;
        yield record;
        if (record.syntaxError) return;
        from = i + 1;
        elementLine = line;
        elementColumn = column + 1;
      }
    }
    if (started && !closed) take(chunk, from, chunk.length);
  }
  if (!closed) {
    const record = held === 0 || Buffer.concat(parts, held).toString('utf8').trim() === '' ? undefined : element();
    if (record) yield record;
    if (!record?.syntaxError) throw new InputError(`line ${line}, column ${column + (newlineBefore ? 0 : 1)}: the input ended before the closing ] of the JSON array`);
  }
}

function leadingNewlines(raw: string): number {
  const first = raw.search(/\S/);
  return raw.slice(0, first).match(/\n/g)?.length ?? 0;
}

export interface RecordsSummary {
  read: number;
  valid: number;
  invalid: number;
  /** Records that are not JSON at all. */
  notJson: number;
}

export interface ValidateRecordsOptions {
  /** Take any non-empty token, as the schema does; by default a create whose token is no Apple sToken is invalid, as Intune refuses it (decision 0216). */
  schemaTokens?: boolean;
  /**
   * Several files that are one data set (the shards `vppkit validate a.ndjson b.ndjson` checks): one token check for
   * all of them (`repeatedTokenChecker()`) and this file's name, so that a token an earlier file holds is a repeat,
   * named with that file and record (decision 0428). Without it, each call is a data set of its own.
   */
  dataSet?: { repeated: RepeatedTokenChecker; file: string };
}

/**
 * What is wrong with one record that is JSON (`record.syntaxError` unset), none when it is valid: what the one reader
 * refused in it (a record nested too deep is judged by that alone, decision 0385), then what the schema of `kind`
 * says; a create request the reader takes is judged as check-client judges a client's (createRequestProblems,
 * decision 0427): the read-only properties it sets, and a token that is no Apple sToken unless `schemaTokens`. `validate` and `seed`
 * judge each record by it. A token repeated across records is the file's problem, not the record's
 * (repeatedTokenChecker).
 */
export function recordProblems(kind: SchemaKind, record: Pick<InputRecord, 'value' | 'readProblems'>, profile?: Profile, options: ValidateRecordsOptions = {}): Problem[] {
  // Judged by the reader alone, as a body nested so deep is: nothing else reads it (decision 0385).
  if (record.readProblems?.some((p) => p.keyword === 'nesting depth')) return record.readProblems;
  if (!record.readProblems) {
    if (kind === 'request') return createRequestProblems(record.value, profile, { readOnly: true, requireSTokens: options.schemaTokens !== true });
    return isValid(kind, record.value, profile) ? [] : problemsOf(kind, record.value, profile);
  }
  // Bytes Graph refuses as it reads them: the reader's problems and the schema's, not the rules of a create's content.
  // What the value holds that no JSON can is the reader's to say, as it said it of the bytes.
  const problems = problemsOf(kind, record.value, profile).filter((p) => !JSON_VALUE_KEYWORDS.includes(p.keyword));
  // A number no double holds was read as Infinity: what the schema says of it would show "got null", a value the
  // record does not hold (outside tester J10). Its place has its own problem; the schema's is not shown.
  const unreadable = new Set(record.readProblems.filter((p) => p.keyword === 'number range').map((p) => p.pointer));
  return [...record.readProblems, ...problems.filter((p) => !unreadable.has(p.pointer))];
}

/**
 * Checks every record against the schema of `kind`, calling `report` for each one that is not valid (with its
 * problems, or none when it is not JSON): recordProblems, the fast check first and problems collected only on
 * failure. A create request whose token an earlier record holds is not valid (repeatedTokenChecker: each token is
 * created once), nor one that sets a read-only property, nor one whose token is no Apple sToken unless
 * `schemaTokens` (sTokenProblem).
 */
export async function validateRecords(
  kind: SchemaKind,
  records: AsyncIterable<InputRecord>,
  report: (record: InputRecord, problems: Problem[]) => void,
  profile?: Profile,
  options: ValidateRecordsOptions = {},
): Promise<RecordsSummary> {
  // The records and the callback by the library's one rule of an argument's shape (decision 0760).
  const shape = kindProblem(kind) ?? asyncIterableProblem('records', records, 'an async iterable of records, such as readRecords(stream)') ?? functionProblem('report', report, "called with each record and its problems");
  if (shape) throw new TypeError(shape);
  refuseArguments(optionsObjectProblem('validateRecords', options, ['schemaTokens', 'dataSet']), membersProblem(options, { schemaTokens: 'boolean', dataSet: ['object', 'an object of repeated and file, such as { repeated: repeatedTokenChecker(), file }'] }));
  const summary: RecordsSummary = { read: 0, valid: 0, invalid: 0, notJson: 0 };
  // A file of creates creates each token once (decision 0205): a repeat is invalid, as seed reports it.
  const repeated = kind === 'request' ? (options.dataSet?.repeated ?? repeatedTokenChecker()) : undefined;
  const file = options.dataSet?.file;
  for await (const record of records) {
    summary.read++;
    if (record.syntaxError) {
      summary.notJson++;
      report(record, []);
      continue;
    }
    const problems = recordProblems(kind, record, profile, options);
    const again = problems.length === 0 ? repeated?.(record.index, record.value, file) : undefined;
    if (again) problems.push(again);
    if (problems.length > 0) {
      summary.invalid++;
      report(record, problems);
    } else summary.valid++;
  }
  return summary;
}
