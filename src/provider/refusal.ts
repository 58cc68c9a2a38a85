import { refusalStatus, type RequestProblem } from '../judgement';
import { formatProblems, type Problem } from '../validation';
import { placeOf } from '../wire';

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
  if (status === 401) return { status, code: 'InvalidAuthenticationToken', message: 'Access token is empty.', headers: { 'WWW-Authenticate': 'Bearer' } };
  const placed = problems.map((problem) => ({ problem, place: placeOf(problem.where) }));
  if (status === 415) {
    const mediaType = placed.find(({ place }) => place.part === 'header' && (place.name === 'Content-Type' || place.name === 'Content-Encoding'))!;
    const message =
      mediaType.place.part === 'header' && mediaType.place.name === 'Content-Encoding'
        ? `The request's Content-Encoding ${mediaType.problem.message}.`
        : mediaType.problem.rule === 'charset'
          ? `The request's Content-Type ${mediaType.problem.message}.`
          : contentTypes.length > 1
          ? `The request has ${contentTypes.length} Content-Type headers; send one: application/json.`
          : `The request body must be application/json (got ${contentTypes.length ? JSON.stringify(contentTypes[0]) : 'no Content-Type'}).`;
    return { status, code: 'UnsupportedMediaType', message };
  }
  for (const { problem, place } of placed) {
    if (place.part === 'header') return { status, code: 'BadRequest', message: `The request's ${place.name} header ${problem.message}.` };
    if (place.part === 'header line') return { status, code: 'BadRequest', message: `The request's line ${place.line} header ${problem.message}.` };
  }
  const inBody: Problem[] = [];
  let wholeBody = false;
  for (const { problem, place } of placed) {
    if (place.part !== 'body') continue;
    inBody.push({ pointer: place.pointer ?? '', message: problem.message, keyword: '' });
    wholeBody ||= place.pointer === undefined;
  }
  if (inBody.length === 1 && wholeBody) return { status, code: 'BadRequest', message: `The request body ${inBody[0].message}.` };
  return {
    status,
    code: 'BadRequest',
    message: `The request body is not a valid vppToken: ${inBody.length} problem${inBody.length === 1 ? '' : 's'}.\n${formatProblems(inBody)}`,
    problems: inBody,
  };
}
