import { refusalStatus, type RequestProblem } from '../judgement';
import { formatProblems, type Problem } from '../validation';
import { isAtHeader } from '../wire';
import { GRAPH_REFUSAL_CODES } from '../graph';

/** How Graph refuses a create that breaks the contract: status, error code, message, and the body's problems. */
export interface Refusal {
  status: 400 | 401 | 415;
  code: string;
  message: string;
  headers?: Record<string, string>;
  /** The body's problems, each a detail of Graph's error body. */
  problems?: Problem[];
}

/**
 * The refusal of a create request with these problems (src/judgement's checkCreateRequest), as the reference
 * provider answers it and as `vppkit proxy --strict` answers in the provider's place; `contentTypes` are the
 * request's Content-Type values, to say what was sent. Undefined when there is no problem.
 */
export function refusalOf(problems: readonly RequestProblem[], contentTypes: readonly string[]): Refusal | undefined {
  const status = refusalStatus(problems);
  if (status === undefined) return undefined;
  if (status === 401) return { status, code: GRAPH_REFUSAL_CODES[401], message: 'Access token is empty.', headers: { 'WWW-Authenticate': 'Bearer' } };
  if (status === 415) {
    const mediaType = problems.find((p) => isAtHeader(p, 'Content-Type') || isAtHeader(p, 'Content-Encoding'))!;
    const message =
      isAtHeader(mediaType, 'Content-Encoding')
        ? `The request's Content-Encoding ${mediaType.message}.`
        : mediaType.rule === 'charset'
          ? `The request's Content-Type ${mediaType.message}.`
          : contentTypes.length > 1
          ? `The request has ${contentTypes.length} Content-Type headers; send one: application/json.`
          : `The request body must be application/json (got ${contentTypes.length ? JSON.stringify(contentTypes[0]) : 'no Content-Type'}).`;
    return { status, code: GRAPH_REFUSAL_CODES[415], message };
  }
  for (const problem of problems) {
    if (problem.part !== 'header') continue;
    const header = problem.header !== undefined ? `${problem.header} header` : `line ${problem.headerLine} header`;
    return { status, code: GRAPH_REFUSAL_CODES[400], message: `The request's ${header} ${problem.message}.` };
  }
  // The request target's own (an option the create does not take, a credential in the URL: outside tester I15, where
  // --strict said "0 problems"): Graph's words for it, which never show a credential's value.
  const target = problems.find((p) => p.part === 'query' || p.part === 'path' || p.part === 'method');
  if (target && !problems.some((p) => p.part === 'body')) return { status, code: GRAPH_REFUSAL_CODES[400], message: target.part === 'query' ? target.message : `The request's ${target.where} ${target.message}.` };
  const inBody: Problem[] = [];
  let wholeBody = false;
  for (const problem of problems) {
    if (problem.part !== 'body') continue;
    inBody.push({ pointer: problem.pointer ?? '', message: problem.message, keyword: '' });
    wholeBody ||= problem.pointer === undefined;
  }
  if (inBody.length === 1 && wholeBody) return { status, code: GRAPH_REFUSAL_CODES[400], message: `The request body ${inBody[0].message}.` };
  return {
    status,
    code: GRAPH_REFUSAL_CODES[400],
    message: `The request body is not a valid vppToken: ${inBody.length} problem${inBody.length === 1 ? '' : 's'}.\n${formatProblems(inBody)}`,
    problems: inBody,
  };
}
