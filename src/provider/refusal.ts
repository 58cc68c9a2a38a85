import { refusalStatus, type RequestProblem } from '../judgement';
import { formatProblems, type Problem } from '../validation';

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
 * provider answers it and as `vppkit proxy --strict` answers in the provider's place. Undefined for none.
 */
export function refusalOf(problems: readonly RequestProblem[], contentType: string | string[] | undefined): Refusal | undefined {
  const status = refusalStatus(problems);
  if (status === 401) return { status, code: 'InvalidAuthenticationToken', message: 'Access token is empty.', headers: { 'WWW-Authenticate': 'Bearer' } };
  if (status === 415) {
    return { status, code: 'UnsupportedMediaType', message: `The request body must be application/json (got ${contentType ? JSON.stringify(contentType) : 'no Content-Type'}).` };
  }
  if (status === undefined) return undefined;
  const inBody = problems.filter((p) => p.where.startsWith('body')).map((p) => ({ pointer: p.where.slice(5).replace('(root)', ''), message: p.message, keyword: '' }));
  if (inBody.length === 1 && problems.some((p) => p.where === 'body')) return { status, code: 'BadRequest', message: `The request body ${inBody[0].message}.` };
  return {
    status,
    code: 'BadRequest',
    message: `The request body is not a valid vppToken: ${inBody.length} problem${inBody.length === 1 ? '' : 's'}.\n${formatProblems(inBody)}`,
    problems: inBody,
  };
}
