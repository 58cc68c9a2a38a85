import type { VppTokenCreateRequest } from '../generated/types';
import type { Profile } from '../schemas';
import { at, isAtHeader, readMessage, singleHeader, type Placed } from '../wire';
import { judgeCreatedAnswer, judgeRejectedAnswer, type ObservedAnswer } from './answer';
import type { AnswerCheck } from './answer-problem';
import type { AnswerContext } from './graph-model';
import { checkCreateRequest, refusalStatus, type ObservedRequest, type RequestProblem } from './request';

/** Who broke the contract: the client by what it sent, or the provider by what it answered. */
export type Side = 'client' | 'provider';

/** The checks a request is judged by, named as reports name them (beside the answer checks). */
export type RequestCheck = 'method' | 'path' | 'query' | 'content type' | 'authorization' | 'request headers' | 'request schema';

/** One way an exchange (a create and its answer) breaks the contract, with the side at fault. */
export interface ExchangeProblem extends Placed {
  side: Side;
  check: RequestCheck | AnswerCheck;
  message: string;
}

/** The check a request problem belongs to, from where it is. */
export function requestCheckOf(problem: Placed): RequestCheck {
  if (problem.part === 'method' || problem.part === 'path' || problem.part === 'query') return problem.part;
  if (isAtHeader(problem, 'Content-Type')) return 'content type';
  if (isAtHeader(problem, 'Authorization')) return 'authorization';
  if (problem.part === 'header') return 'request headers';
  return 'request schema';
}

/**
 * Answers any create may get whatever it sent, each with Graph's error body: the token refused or lacking a
 * permission (401, 403), throttled (429), the service unavailable (503). They depend on the tenant and the
 * moment, not on the request's shape, so the contract can't hold a provider to 201 or 400 instead.
 */
export const ANSWERS_OUTSIDE_THE_CONTRACT: readonly number[] = [401, 403, 429, 503];

const clientProblem = (p: RequestProblem): ExchangeProblem => ({ side: 'client', check: requestCheckOf(p), ...p });

/** The client's side of a create alone (its answer came from no provider: an injected fault, a refusal). */
export function judgeCreateRequest(request: ObservedRequest, profile?: Profile): ExchangeProblem[] {
  return checkCreateRequest(request, profile).map(clientProblem);
}

/**
 * Judges one POST /deviceAppManagement/vppTokens and its answer (both as seen on the wire: raw header lines and
 * body bytes; the request's path without its version prefix): the request by the request judgement (the client's
 * side), the answer by what the request called for (the provider's side): 201 with the created vppToken for a
 * request that keeps the contract, the refusal Graph gives (refusalStatus) for one that does not, and no
 * credential of the request echoed. `answer` is undefined when the provider gave none (`noAnswer` says why).
 */
export function judgeCreateExchange(request: ObservedRequest, answer: ObservedAnswer | undefined, profile?: Profile, noAnswer?: string, context: AnswerContext = {}): ExchangeProblem[] {
  const sent = checkCreateRequest(request, profile);
  const problems = sent.map(clientProblem);
  if (answer === undefined) {
    problems.push({ side: 'provider', check: 'not a server error', ...at('connection'), message: `must answer${noAnswer ? ` (${noAnswer})` : ''}` });
    return problems;
  }
  const read = readMessage({ headers: request.rawHeaders ?? request.headers, ...(request.bytes !== undefined ? { bytes: request.bytes } : { text: request.body }) });
  const known: AnswerContext = { authorization: singleHeader(read.lines, 'Authorization'), sent: read.json?.value, ...context };
  const refusal = refusalStatus(sent);
  const answered =
    ANSWERS_OUTSIDE_THE_CONTRACT.includes(answer.status) && answer.status !== refusal
      ? judgeRejectedAnswer([answer.status], answer, known)
      : refusal !== undefined
        ? judgeRejectedAnswer([refusal], answer, known)
        : judgeCreatedAnswer(read.json!.value as VppTokenCreateRequest, answer, profile, known);
  for (const p of answered) problems.push({ side: 'provider', ...p });
  return problems;
}
