// What Schemathesis users reach for first, for conform: choosing checks, and replaying a finding from a report.
import { isUtf8 } from 'node:buffer';
import { gunzipSync, gzipSync } from 'node:zlib';
import { JsonFileError, readJsonFile, readJsonInputFile } from '../validation/json-file';
import { inputFileProblem, type InputWait } from '../validation/stream-file';
import { formatProblem } from '../validation/problems';
import { kitChecker } from '../validation/kit-checkers';
import { PROFILES } from '../schemas';
import { BEARER_MARK } from './cases';
import { bodyBytesOf, type CaseKind, type CaseSize, type ConformCase } from './case';
import { pathProblem, argumentProblem, refuseArguments, shownOption } from '../net/option';

/** A conform option that can't be used (a check name, a report to replay); the message is one line. */
export class ConformOptionError extends Error {
  override readonly name = 'ConformOptionError';
}

/**
 * The checks of a `--checks` / `--exclude-checks` LIST: names as the report prints them, separated by commas;
 * case and `-` or `_` for a space don't matter (`response-schema`, `not_a_server_error`).
 */
export function parseCheckList<T extends string>(text: string, option: string, allowed: readonly T[]): T[] {
  refuseArguments(argumentProblem('text', text, 'string', 'a comma-separated list of checks'), argumentProblem('option', option, 'string'), argumentProblem('allowed', allowed, 'array'));
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw new ConformOptionError(`${option} must list at least one check: ${allowed.join(', ')}`);
  return names.map((name) => {
    // Hyphens, underscores and spaces are one: `read-back` (as printed), `read_back`, `response-schema` all name a check.
    const key = (n: string) => n.toLowerCase().replace(/[-_\s]+/g, ' ');
    const found = allowed.find((check) => key(check) === key(name));
    if (!found) throw new ConformOptionError(`${option}: ${shownOption(name)} is not a check; the checks are ${allowed.join(', ')}`);
    return found;
  });
}

/** What a finding carries for `--replay`: enough to send its request again exactly, and judge it as it was judged. */
export interface ReplayData {
  kind: CaseKind;
  /** The statuses a refused case must get. */
  statuses?: number[];
  /** The fault, in words (refused cases). */
  fault?: string;
  /** The body, gzip then base64, when `request.body` shows it cut (a large body). */
  bodyGzip?: string;
  /** Names of the extra headers (--header) the request was sent with; their values are never written. */
  extraHeaders?: string[];
  /** A valid create sent at a size the provider must take: its size and the body limit assumed (decision 0171). */
  size?: CaseSize;
  /** Why a correct provider may also take this refused case (decision 0212): a 2xx is judged as the create. */
  mayCreate?: string;
}

/** The replay data of a case, for a finding. */
export function replayDataOf(c: ConformCase, shownBody: string | undefined, extraHeaders: readonly string[]): ReplayData {
  return {
    kind: c.kind,
    ...(c.statuses ? { statuses: c.statuses } : {}),
    ...(c.fault ? { fault: c.fault } : {}),
    ...(c.body !== undefined && shownBody !== c.body ? { bodyGzip: gzipSync(bodyBytesOf(c)!, { level: 9 }).toString('base64') } : {}),
    ...(extraHeaders.length ? { extraHeaders: [...extraHeaders] } : {}),
    ...(c.size ? { size: c.size } : {}),
    ...(c.mayCreate ? { mayCreate: c.mayCreate } : {}),
  };
}

/** A finding as --replay reads it from a JSON report conform wrote. */
export interface ReplayFinding {
  check: string;
  where: string;
  family: string;
  request: { method: 'POST'; url: string; headers: Record<string, string | string[]>; body?: string; bodyBytes: number };
  replay: ReplayData;
}

/** A report to replay: its findings, and where and how they were found. */
export interface ReplayReport {
  file: string;
  providerBaseUrl: string;
  embedded: boolean;
  profile: string;
  findings: ReplayFinding[];
  /** The failures the report counted but did not show (past its cap per check); absent in reports before 0240. */
  notShown?: ReplayFinding[];
}

/** Findings as --replay reads them: the shown ones and those a report did not show alike. */
const FINDINGS = {
  type: 'array',
  items: {
    type: 'object',
    required: ['check', 'where', 'family', 'request', 'replay'],
    properties: {
      check: { type: 'string' },
      where: { type: 'string' },
      family: { type: 'string' },
      request: {
        type: 'object',
        required: ['method', 'url', 'headers', 'bodyBytes'],
        properties: {
          method: { const: 'POST' },
          url: { type: 'string' },
          // A header sent on two lines (two Content-Type headers) is a list of its values.
          headers: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } },
          body: { type: 'string' },
          bodyBytes: { type: 'integer', minimum: 0 },
        },
      },
      replay: {
        type: 'object',
        required: ['kind'],
        properties: {
          kind: { enum: ['valid', 'invalid', 'transport'] },
          statuses: { type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 } },
          fault: { type: 'string' },
          bodyGzip: { type: 'string' },
          extraHeaders: { type: 'array', items: { type: 'string' } },
          size: {
            type: 'object',
            required: ['bytes', 'limit', 'graphs'],
            properties: { bytes: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 0 }, graphs: { type: 'boolean' }, why: { type: 'string' } },
          },
          mayCreate: { type: 'string' },
        },
      },
    },
  },
} as const;

export const REPORT_SCHEMA = {
  type: 'object',
  required: ['command', 'providerBaseUrl', 'embedded', 'profile', 'findings'],
  properties: {
    command: { const: 'conform' },
    providerBaseUrl: { type: 'string' },
    embedded: { type: 'boolean' },
    profile: { enum: [...PROFILES] },
    findings: FINDINGS,
    notShown: FINDINGS,
  },
} as const;

let checkReport: ReturnType<typeof kitChecker> | undefined;

/** Reads a JSON report conform wrote (`--json`), for `--replay`; a mistake is one line with a JSON pointer. */
export function readConformReport(file: string): ReplayReport {
  const notPath = pathProblem('file', file);
  if (notPath) throw new TypeError(notPath);
  let data: unknown;
  try {
    data = readJsonFile(file);
  } catch (error) {
    throw replayFileError(file, error);
  }
  return replayReportOf(file, data);
}

/**
 * readConformReport by the interruptible reader of decision 0530 (the CLI's `--replay`): a FIFO no process writes to
 * yet is waited for (said by `onNoWriter`) and `signal` ends the wait.
 */
export async function readConformReportInput(file: string, options: InputWait = {}): Promise<ReplayReport> {
  const notPath = inputFileProblem('readConformReportInput', file, options);
  if (notPath) throw new TypeError(notPath);
  let data: unknown;
  try {
    data = await readJsonInputFile(file, options);
  } catch (error) {
    throw replayFileError(file, error);
  }
  return replayReportOf(file, data);
}

function replayFileError(file: string, error: unknown): unknown {
  if (!(error instanceof JsonFileError)) return error;
  return new ConformOptionError(error.kind === 'read' ? `--replay ${file}: ${error.detail}` : `--replay ${file}${error.kind === 'value' ? ':' : ''} ${error.message}: give the report vppkit conform --json wrote`);
}

/** The report a --replay file's JSON value is, or a ConformOptionError saying why not. */
function replayReportOf(file: string, data: unknown): ReplayReport {
  checkReport ??= kitChecker('conformReport');
  const problems = checkReport(data);
  if (problems.length) throw new ConformOptionError(`--replay ${file} is not a report of vppkit conform --json: ${problems.slice(0, 3).map(formatProblem).join('; ')}`);
  const report = data as Omit<ReplayReport, 'file'>;
  if (report.findings.length === 0 && !report.notShown?.length) throw new ConformOptionError(`--replay ${file} has no findings to replay: that run passed`);
  return { file, ...report };
}

/** The case a finding's request was: the same headers (the bearer put back in), the same body bytes. */
export function caseOfFinding(finding: ReplayFinding): ConformCase {
  const { replay, request } = finding;
  // bodyGzip holds the body's exact bytes: text when they are UTF-8, else each byte as one character (latin1).
  const bytes = replay.bodyGzip !== undefined ? gunzipSync(Buffer.from(replay.bodyGzip, 'base64')) : undefined;
  const utf8 = bytes !== undefined && isUtf8(bytes);
  const body = bytes !== undefined ? bytes.toString(utf8 ? 'utf8' : 'latin1') : request.body;
  const extra = new Set((replay.extraHeaders ?? []).map((n) => n.toLowerCase()));
  // A header sent on several lines comes back as its first line, and the others after every header, as it was sent.
  const lines = Object.entries(request.headers)
    .filter(([name]) => !extra.has(name.toLowerCase()))
    .map(([name, value]) => [name, (Array.isArray(value) ? value : [value]).map((one) => one.replace('$TOKEN', BEARER_MARK))] as const);
  const headers = Object.fromEntries(lines.map(([name, values]) => [name, values[0]]));
  const extraHeaderLines = lines.flatMap(([name, values]) => values.slice(1).map((value): [string, string] => [name, value]));
  let json: unknown;
  if ((replay.kind === 'valid' || replay.mayCreate !== undefined) && body !== undefined) {
    try {
      // A case that may be created is judged by the JSON after a byte order mark, as a parser that ignores it reads it.
      json = JSON.parse(replay.mayCreate !== undefined ? body.replace(/^\uFEFF/, '') : body);
    } catch {
      json = undefined;
    }
  }
  return {
    kind: replay.kind,
    family: `replay of ${finding.family}`,
    ...(replay.fault ? { fault: replay.fault } : {}),
    ...(json !== undefined ? { request: json } : {}),
    headers,
    ...(extraHeaderLines.length ? { extraHeaderLines } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(bytes !== undefined && !utf8 ? { bodyEncoding: 'latin1' as const } : {}),
    ...(replay.statuses ? { statuses: replay.statuses } : {}),
    ...(replay.size ? { size: replay.size } : {}),
    ...(replay.mayCreate ? { mayCreate: replay.mayCreate } : {}),
  };
}
