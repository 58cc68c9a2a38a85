import { junitXml, type JUnitCase } from '../junit';
import { formatCheckFinding } from '../judgement';
import { redactBody, throttlingLine, type Secrets } from '../net';
import { AUTHORIZATION, BEARER_MARK } from './cases';
import type { ConformCase } from './case';
import { bodyBytesOf, headersOf } from './case';
import type { ConformResult, Finding } from './types';
import { argumentProblem, refuseArguments } from '../net/option';

const MAX_SHOWN = 2000;

/** Single-quoted for a POSIX shell. */
const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

const printOne = (v: string): string => (v === AUTHORIZATION ? 'Bearer $TOKEN' : v.replace(BEARER_MARK, '$TOKEN'));
const printable = (headers: Record<string, string | string[]>): Record<string, string | string[]> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.map(printOne) : printOne(v)]));

/**
 * The shell variable a reproduction reads an extra header's value from (never written): X-Api-Key →
 * $VPPKIT_HEADER_X_API_KEY, prefixed so that no header (Home, Path, User) is read from the shell's own variable
 * (outside tester N25: `Home` sent the user's home directory).
 */
export const headerVariable = (name: string): string => `$VPPKIT_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;

/**
 * A finding's reproduction as a shell runs it: the variables assigned first, then `;`, then the command that reads
 * them. A prefix assignment (`TOKEN=... curl "$TOKEN"`) would reach curl's environment only, after "$TOKEN" in its
 * arguments was expanded from the shell's own variables (POSIX Shell Command Language §2.9.1; outside tester N25).
 */
export function reproduceLine(f: Pick<Finding, 'curl' | 'replay'>): string {
  const variables = (f.replay?.extraHeaders ?? []).map((name) => ` ${headerVariable(name).slice(1)}=...`).join('');
  return `TOKEN=...${variables}; ${f.curl}`;
}

/** The request as a report shows it: the bearer as `$TOKEN`, extra headers as shell variables, a very large body cut and bytes that are not UTF-8 text (a gzip body) named by their size. */
export function describeRequest(url: string, c: ConformCase, extraHeaders: readonly string[] = []): Finding['request'] {
  const bytes = bodyBytesOf(c)?.length ?? 0;
  const body =
    c.body === undefined
      ? undefined
      : c.bodyEncoding === 'latin1'
        ? `<${bytes} bytes, not UTF-8 text: the reproduce line sends them>`
        : c.body.length > MAX_SHOWN
          ? `${c.body.slice(0, 200)}… (${bytes} bytes)`
          : c.body;
  const extra = Object.fromEntries(extraHeaders.map((name) => [name, headerVariable(name)]));
  return { method: 'POST', url, headers: { ...extra, ...printable(headersOf(c)) }, ...(body === undefined ? {} : { body }), bodyBytes: bytes };
}

/**
 * The largest body a curl line gives as an argument. Linux starts no program with an argument over 128 KiB
 * (MAX_ARG_STRLEN, execve(2) E2BIG: "Argument list too long"), macOS none with more than 1 MiB of them all (ARG_MAX);
 * a larger body goes on curl's stdin (`--data-binary @-`) from the shell's own printf, which no such limit holds
 * (outside tester N26).
 */
const CURL_ARGUMENT_BYTES = 64 * 1024;

/** A curl command that sends the same request; the bearer comes from the shell's $TOKEN and extra headers from their variables, never from the report. */
export function curlOf(url: string, c: ConformCase, extraHeaders: readonly string[] = []): string {
  const parts = ['curl', '-sS', '-X', 'POST', quote(url)];
  for (const name of extraHeaders) parts.push('-H', `"${name}: ${headerVariable(name)}"`);
  const names = Object.keys(c.headers).map((k) => k.toLowerCase());
  for (const [name, value] of [...Object.entries(c.headers), ...(c.extraHeaderLines ?? [])]) {
    parts.push('-H', value.includes(BEARER_MARK) ? `"${name}: ${value.replace(BEARER_MARK, '$TOKEN')}"` : quote(`${name}: ${value}`));
  }
  // curl adds a form Content-Type to a body unless told there is none.
  if (c.body !== undefined && !names.includes('content-type')) parts.push('-H', quote('Content-Type:'));
  if (c.body === undefined) return parts.join(' ');
  const body = c.curlBody ?? quote(c.body);
  // A file curl reads (`@<(... | gzip)`) is no argument of its size.
  if (body.startsWith('@') || (bodyBytesOf(c)?.length ?? 0) <= CURL_ARGUMENT_BYTES) return [...parts, '--data-binary', body].join(' ');
  return `printf '%s' ${body} | ${[...parts, '--data-binary', '@-'].join(' ')}`;
}

/** An answer body as a finding shows it: at most 300 characters. */
export function shortBody(body: string | undefined, secrets: Secrets = {}): string | undefined {
  if (body === undefined) return undefined;
  // Redacted before it is cut: an answer may echo the bearer or a --header value in any spelling, JSON escapes too.
  const clean = redactBody(body, secrets);
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}

export function summaryLine(result: ConformResult): string {
  const failed = result.checks.filter((c) => c.failed > 0).map((c) => c.check);
  const target = result.embedded ? `${result.providerBaseUrl} (embedded reference provider)` : result.providerBaseUrl;
  const what = result.replayed !== undefined ? `${result.replayed} request${result.replayed === 1 ? '' : 's'} of a report replayed` : `${result.cases} requests judged`;
  const verdict = failed.length === 0 ? 'every check passed' : `failed ${failed.join(', ')}`;
  return `${what} by Graph ${result.profile} against ${target}${result.replayed !== undefined ? '' : `, seed ${result.seed}`}: ${verdict}${result.stopped ? ` (stopped: ${result.stopped})` : ''}`;
}

/** Invisible characters (format, separators other than the space, private use, unassigned) as JSON escapes: the same JSON value, readable. */
const visible = (json: string): string =>
  json.replace(/(?! )[\p{Cf}\p{Z}\p{Co}\p{Cn}]/gu, (ch) => ch.split('').map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''));

/** A read-back finding's read as a report shows it: the GET, then its answer's status, Content-Type and body. */
const readLine = (read: NonNullable<Finding['readAnswer']>): string => `${read.request} -> ${read.status}${read.contentType === undefined ? '' : ` (Content-Type: ${read.contentType})`} ${read.body ?? ''}`.trimEnd();

/** `check: where: message`, with the place left out when it only repeats the check (the judgement's one wording). */
export function findingTitle(f: Pick<Finding, 'check' | 'part' | 'where' | 'message'>): string {
  return formatCheckFinding(f);
}

/**
 * Why `result` is no result of conform's: the members its three writers read, asked by the one rule before they are
 * read (decision 0891: `{}` failed reading 'map'; 1041: conformJson wrote a report of nothing).
 */
function conformResultProblem(result: unknown): string | undefined {
  const { checks, findings } = (result ?? {}) as Partial<Record<keyof ConformResult, unknown>>;
  return (
    argumentProblem('result', result, 'object', "conform's result") ??
    argumentProblem('result.checks', checks, 'array', "an array of conform's checks, such as (await conform(options)).checks") ??
    argumentProblem('result.findings', findings, 'array', "an array of conform's findings")
  );
}

/** The report a person reads: checks, then each finding with a reproduction, then how to rerun. */
export function formatConformResult(result: ConformResult): string {
  refuseArguments(conformResultProblem(result));
  const lines: string[] = [];
  const width = Math.max(...result.checks.map((c) => c.check.length));
  lines.push(`vppkit conform: ${result.summary}`, '');
  for (const c of result.checks) {
    const state = c.skipped !== undefined ? `${c.failed ? 'FAILED' : 'skipped'}: ${c.skipped}` : c.failed ? `FAILED  ${c.failed} of ${c.judged} requests` : `passed  ${c.judged} requests`;
    lines.push(`  ${c.check.padEnd(width)}  ${state}`);
  }
  for (const note of result.notes) lines.push(`  note: ${note}`);
  if (result.throttling.answers > 0) {
    lines.push(`  ${throttlingLine(result.throttling)}`);
  }
  result.findings.forEach((f, i) => {
    lines.push('', `Finding ${i + 1}: ${findingTitle(f)}`);
    const how = f.notShrunk
      ? `not shrunk: ${f.notShrunk}`
      : !f.reproduced
        ? 'passed when sent again: shown as first seen, not shrunk'
        : f.shrinks
          ? `shrunk in ${f.shrinks} steps to the smallest request that still fails`
          : 'already the smallest request that fails';
    lines.push(`  drawn from: ${f.family}; ${how}`);
    if (f.request.body !== undefined) lines.push(`  request:  POST ${f.request.url} ${visible(f.request.body)}`);
    lines.push(`  answer:   ${f.answer.fault ?? `${f.answer.status} ${f.answer.body ?? ''}`}`);
    if (f.readAnswer) lines.push(`  read:     ${readLine(f.readAnswer)}`);
    lines.push(`  reproduce: ${reproduceLine(f)}`);
    if (result.findings[i + 1]?.check !== f.check) {
      const more = notShownLine(result, f.check);
      if (more) lines.push('', more);
    }
  });
  lines.push('', `${result.requests} requests in ${(result.durationMs / 1000).toFixed(1)} s. Rerun the same requests: ${result.rerun}`);
  return `${lines.join('\n')}\n`;
}

/** `N more of this check not shown ...`, when a check failed in more distinct ways than the report shows. */
function notShownLine(result: ConformResult, check: string): string | undefined {
  const n = result.checks.find((c) => c.check === check)?.notShown;
  if (!n) return undefined;
  return `${n} more of ${check} not shown (other families failing as a finding shown, or past ${result.maxFindings} finding${result.maxFindings === 1 ? '' : 's'} of a check, --max-findings N): --json lists one request of each under notShown, and --replay sends them`;
}

/** JUnit XML: one test case per check, its findings as the failure. */
export function conformJUnit(result: ConformResult): string {
  refuseArguments(conformResultProblem(result));
  const cases = result.checks.map((c): JUnitCase => {
    const base = { classname: 'vppkit.conform', name: `conform ${c.check}` };
    if (c.failed > 0) {
      const text = result.findings
        .filter((f) => f.check === c.check)
        .map((f) => `${f.where}: ${f.message}\nrequest: ${f.request.body ?? ''}\nanswer: ${f.answer.fault ?? `${f.answer.status} ${f.answer.body ?? ''}`}${f.readAnswer ? `\nread: ${readLine(f.readAnswer)}` : ''}\nreproduce: ${f.curl}`)
        .concat(notShownLine(result, c.check) ?? [])
        .join('\n\n');
      return { ...base, failure: { message: c.skipped ?? `${c.failed} of ${c.judged} requests failed`, text } };
    }
    return c.skipped !== undefined ? { ...base, skipped: c.skipped } : base;
  });
  const time = result.durationMs / 1000;
  return junitXml({
    name: 'vppkit conform',
    time,
    suites: [{ name: `vppkit conform (Graph ${result.profile}, seed ${result.seed})`, time, properties: { profile: result.profile, seed: result.seed, rerun: result.rerun }, cases }],
  });
}

/**
 * The JSON report (`vppkit conform --json`): the result as data, led by the fields every command's --json has
 * (`command`, `passed`, `exitCode`: 0 passed, 1 a check failed).
 */
export function conformJson(result: ConformResult, given?: number): string {
  refuseArguments(argumentProblem('exitCode', given, 'number', undefined, 'optional'));
  // Decision 1041: `conformJson({})` wrote a report of nothing, `{ "command": "conform", "exitCode": 1 }`; the members
  // formatConformResult and conformJUnit ask, by the same rule.
  refuseArguments(conformResultProblem(result));
  if (given === undefined) refuseArguments(argumentProblem('result.passed', result.passed, 'boolean'));
  const exitCode = given ?? (result.passed ? 0 : 1);
  return `${JSON.stringify({ command: 'conform', exitCode, ...result }, null, 2)}\n`;
}
