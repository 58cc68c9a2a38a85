import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Profile, SchemaKind } from '../schemas';
import { findJsonSyntaxError, type JsonSyntaxError } from './json-syntax';
import type { Problem } from './problems';
import { isValid, problemsOf } from './validators';

export type InputFormat = 'auto' | 'json' | 'ndjson';

/** One record of an input: its value, or why it is not JSON. */
export interface InputRecord {
  /** 0-based position among the records. */
  index: number;
  /** 1-based line the record starts on. */
  line: number;
  value?: unknown;
  /** Set when the record is not JSON; line and column are those of the whole input. */
  syntaxError?: JsonSyntaxError;
}

/** The input can't be read as records at all (empty, or a broken JSON array). Exit code 2 material. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

function locate(text: string, startLine: number, startColumn = 1): JsonSyntaxError {
  const found = findJsonSyntaxError(text) ?? { offset: 0, line: 1, column: 1, message: 'not JSON' };
  return { ...found, line: startLine + found.line - 1, column: found.line === 1 ? startColumn + found.column - 1 : found.column };
}

function parse(text: string, line: number, column = 1): Pick<InputRecord, 'value' | 'syntaxError'> {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { syntaxError: locate(text, line, column) };
  }
}

async function* chunks(input: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input) yield typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
  const rest = decoder.end();
  if (rest) yield rest;
}

/**
 * Reads records from one JSON document, a JSON array, or NDJSON, streaming: memory stays flat however many
 * records pass (except a single non-array document, which is one record). `auto` looks at the start: `[` is an
 * array; a first line that is a whole `{...}` is NDJSON; anything else is one JSON document.
 */
export async function* readRecords(input: Readable, format: InputFormat = 'auto'): AsyncGenerator<InputRecord> {
  const source = chunks(input);
  let buffer = '';
  let done = false;
  const more = async (): Promise<boolean> => {
    if (done) return false;
    const next = await source.next();
    if (next.done) {
      done = true;
      return false;
    }
    buffer += next.value;
    return true;
  };
  // Find the first non-whitespace character and, for auto, the first line.
  while (buffer.trim() === '' && (await more()));
  const start = buffer.search(/\S/);
  if (start < 0) throw new InputError('the input is empty: no JSON records to read');
  while (format === 'auto' && buffer[start] !== '[' && !buffer.includes('\n', start) && (await more()));
  const firstLine = buffer.slice(start, buffer.includes('\n', start) ? buffer.indexOf('\n', start) : undefined).trim();
  const mode =
    format === 'ndjson' ? 'ndjson' : buffer[start] === '[' ? 'array' : format === 'auto' && /^\{.*\}$/.test(firstLine) ? 'ndjson' : 'document';

  if (mode === 'ndjson') {
    let line = 0;
    let index = 0;
    for (;;) {
      let newline = buffer.indexOf('\n');
      while (newline < 0 && (await more())) newline = buffer.indexOf('\n');
      const text = newline < 0 ? buffer : buffer.slice(0, newline);
      buffer = newline < 0 ? '' : buffer.slice(newline + 1);
      line++;
      if (text.trim() !== '') yield { index: index++, line, ...parse(text, line) };
      if (newline < 0 && done) return;
    }
  }

  if (mode === 'document') {
    while (await more());
    yield { index: 0, line: 1 + (buffer.slice(0, start).match(/\n/g)?.length ?? 0), ...parse(buffer, 1) };
    return;
  }

  yield* readArray(buffer, start, more, () => buffer, (rest) => (buffer = rest));
}

/** Streams the elements of a top-level JSON array, one record each, tracking lines for error messages. */
async function* readArray(
  initial: string,
  start: number,
  more: () => Promise<boolean>,
  current: () => string,
  keep: (rest: string) => void,
): AsyncGenerator<InputRecord> {
  let text = initial;
  let line = 1 + (text.slice(0, start).match(/\n/g)?.length ?? 0);
  let column = start - text.lastIndexOf('\n', start - 1);
  let i = start + 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let elementStart = i;
  let elementLine = line;
  let elementColumn = column + 1;
  let index = 0;
  let closed = false;
  column++;
  const emit = (end: number): InputRecord | undefined => {
    const raw = text.slice(elementStart, end);
    if (raw.trim() === '') {
      if (index === 0 && closed) return undefined; // []
      return { index: index++, line: elementLine, syntaxError: { offset: 0, line: elementLine, column: elementColumn, message: 'an empty element in the array' } };
    }
    return { index: index++, line: elementLine + leadingNewlines(raw), ...parse(raw, elementLine, elementColumn) };
  };
  for (;;) {
    if (i >= text.length) {
      // Drop what has been emitted, so memory holds only the element being read.
      keep(text.slice(elementStart));
      i -= elementStart;
      elementStart = 0;
      text = current();
      if (!(await more())) break;
      text = current();
      continue;
    }
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0 && c === 0x5d) {
        closed = true;
        const record = emit(i);
        if (record) yield record;
        if (record?.syntaxError) return;
        const rest = text.slice(i + 1);
        while (await more());
        const trailing = (rest + current().slice(text.length)).search(/\S/);
        if (trailing >= 0) throw new InputError(`unexpected content after the closing ] of the JSON array (line ${line})`);
        return;
      }
      depth--;
    } else if (c === 0x2c && depth === 0) {
      const record = emit(i)!;
      yield record;
      if (record.syntaxError) return;
      elementStart = i + 1;
      elementLine = line;
      elementColumn = column + 1;
    }
    if (c === 0x0a) {
      line++;
      column = 0;
    }
    column++;
    i++;
  }
  if (!closed) {
    const record = text.slice(elementStart).trim() === '' ? undefined : emit(i);
    if (record) yield record;
    if (!record?.syntaxError) throw new InputError(`line ${line}, column ${column}: the input ended before the closing ] of the JSON array`);
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

/**
 * Checks every record against the schema of `kind`, calling `report` for each one that is not valid (with its
 * problems, or none when it is not JSON). The fast check runs first; problems are collected only on failure.
 */
export async function validateRecords(
  kind: SchemaKind,
  records: AsyncIterable<InputRecord>,
  report: (record: InputRecord, problems: Problem[]) => void,
  profile?: Profile,
): Promise<RecordsSummary> {
  const summary: RecordsSummary = { read: 0, valid: 0, invalid: 0, notJson: 0 };
  for await (const record of records) {
    summary.read++;
    if (record.syntaxError) {
      summary.notJson++;
      report(record, []);
    } else if (isValid(kind, record.value, profile)) {
      summary.valid++;
    } else {
      summary.invalid++;
      report(record, problemsOf(kind, record.value, profile));
    }
  }
  return summary;
}
