import type { VppTokenCreateRequest } from '../generated/types';
import { findJsonSyntaxError, problemsOf, pointerSegment } from '../validation';
import type { Profile } from '../schemas';
import { headerValue as header } from './headers';

/** An answer as a client saw it. `body` is the raw text (undefined when there was none). */
export interface ObservedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string | undefined;
}

/**
 * The checks an answer is judged by, named as a report names them (after Schemathesis' checks). verify,
 * check-client and conform report the same names.
 */
export type AnswerCheck = 'not a server error' | 'status' | 'content type' | 'response schema' | 'values back';

/** One way an answer breaks the contract: which check, where (`status`, a header, or a JSON pointer), and what. */
export interface AnswerProblem {
  check: AnswerCheck;
  where: string;
  message: string;
}

export const formatAnswerProblem = (p: AnswerProblem): string => `${p.check}: ${p.where}: ${p.message}`;

/**
 * The properties an admin sets when adding a VPP token in Intune, which Graph stores as the client sent them
 * (docs/decisions/0012). Organisation, expiry and location come from Apple's token; state, sync status, dates
 * and action results belong to the service; the token itself may be redacted.
 */
export const VALUES_THAT_COME_BACK = [
  'displayName',
  'appleId',
  'countryOrRegion',
  'vppTokenAccountType',
  'automaticallyUpdateApps',
  'dataSharingConsentGranted',
  'claimTokenManagementFromExternalMdm',
  'roleScopeTagIds',
] as const satisfies readonly (keyof VppTokenCreateRequest)[];

/**
 * What must come back in the 201 body for `sent`: every property of VALUES_THAT_COME_BACK the client set,
 * with the value it set. An empty `roleScopeTagIds` is not held to: Intune assigns the Default scope tag.
 */
export function valuesThatComeBack(sent: VppTokenCreateRequest): Partial<VppTokenCreateRequest> {
  const expected: Record<string, unknown> = {};
  for (const key of VALUES_THAT_COME_BACK) {
    if (!(key in sent) || sent[key] === undefined) continue;
    if (key === 'roleScopeTagIds' && Array.isArray(sent[key]) && sent[key]!.length === 0) continue;
    expected[key] = sent[key];
  }
  return expected as Partial<VppTokenCreateRequest>;
}


/** A media type compared as RFC 9110 says: type, subtype and parameter names case-insensitively. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;.*)?$/i.test(contentType.trim());
}

function jsonBody(answer: ObservedAnswer, problems: AnswerProblem[], check: AnswerCheck): unknown {
  if (answer.body === undefined || answer.body.trim() === '') {
    problems.push({ check, where: 'body', message: 'is empty: a JSON body is required' });
    return undefined;
  }
  try {
    return JSON.parse(answer.body);
  } catch {
    const at = findJsonSyntaxError(answer.body);
    problems.push({ check, where: 'body', message: at ? `is not JSON: line ${at.line}, column ${at.column}: ${at.message}` : 'is not JSON' });
    return undefined;
  }
}

function contentTypeProblems(answer: ObservedAnswer): AnswerProblem[] {
  const contentType = header(answer.headers, 'content-type');
  return isJsonMediaType(contentType)
    ? []
    : [{ check: 'content type', where: 'header Content-Type', message: `must be application/json, parameters allowed (got ${contentType === undefined ? 'none' : JSON.stringify(contentType)})` }];
}

/** Deep equality of JSON values (key order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => k in b && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Problems of a 201 body's values against what `sent` set (VALUES_THAT_COME_BACK). Values are shown, never the token. */
export function valuesBackProblems(sent: VppTokenCreateRequest, body: unknown): AnswerProblem[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const problems: AnswerProblem[] = [];
  for (const [key, value] of Object.entries(valuesThatComeBack(sent))) {
    const got = (body as Record<string, unknown>)[key];
    if (!sameJson(got, value)) {
      problems.push({
        check: 'values back',
        where: `body /${pointerSegment(key)}`,
        message: `must be ${JSON.stringify(value)}, as the client set it (got ${got === undefined ? 'nothing' : JSON.stringify(got)})`,
      });
    }
  }
  return problems;
}

/**
 * Judges the answer to a valid create request: 201, a JSON content type, a body valid by the response schema,
 * and the values the client set come back.
 */
export function judgeCreatedAnswer(sent: VppTokenCreateRequest, answer: ObservedAnswer, profile?: Profile): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  if (answer.status >= 500) problems.push({ check: 'not a server error', where: 'status', message: `must not be a server error (got ${answer.status})` });
  else if (answer.status !== 201) problems.push({ check: 'status', where: 'status', message: `must be 201 Created for a valid request (got ${answer.status})` });
  if (answer.status !== 201) return problems;
  problems.push(...contentTypeProblems(answer));
  const body = jsonBody(answer, problems, 'response schema');
  if (body === undefined) return problems;
  for (const p of problemsOf('response', body, profile)) problems.push({ check: 'response schema', where: `body ${p.pointer || '(root)'}`, message: p.message });
  problems.push(...valuesBackProblems(sent, body));
  return problems;
}

/**
 * Judges the answer to a request Graph refuses: one of `expected` (such as [400]), a JSON content type and
 * Graph's error body.
 */
export function judgeRejectedAnswer(expected: readonly number[], answer: ObservedAnswer): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const allowed = expected.join(' or ');
  // An expected status, even a 5xx (a 503 with Graph's error body, say), is judged by its body alone.
  if (!expected.includes(answer.status)) {
    const serverError = answer.status >= 500;
    problems.push({ check: serverError ? 'not a server error' : 'status', where: 'status', message: `must be ${allowed}${serverError ? ', not a server error' : ''} (got ${answer.status})` });
    return problems;
  }
  problems.push(...contentTypeProblems(answer));
  const body = jsonBody(answer, problems, 'response schema');
  if (body === undefined) return problems;
  for (const p of problemsOf('error', body)) problems.push({ check: 'response schema', where: `body ${p.pointer || '(root)'}`, message: p.message });
  return problems;
}
