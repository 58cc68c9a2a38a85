import type { VppTokenCreateRequest } from '../generated/types';
import type { Profile } from '../schemas';
import { at, atBody, headerValues, isAtHeader, readMessage, type Placed } from '../wire';
import { judgeCreatedAnswer, judgeRejectedAnswer, readAnswer, type ObservedAnswer } from './answer';
import { isNoSToken, noSTokenMessage } from '../validation';
import type { AnswerCheck } from './answer-problem';
import { credentialEchoProblems, type AnswerContext } from './graph-model';
import { answerContextOfLines } from './header-credentials';
import { readOnlyProblems } from './read-only';
import { checkCreateRequest, credentialLeakProblems, readRequest, refusalStatus, type ObservedRequest, type RequestProblem } from './request';
import { isOverLimit, mayBeTooLarge, overGraphsLimit, overLimitReason, sizeReason, withinLimitReason, type BodySize } from './body-size';
import { FAILED_DEPENDENCY, notRunWords } from './batch';

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
  // A field sent in the trailer section (decision 0224) is judged as its header would be.
  if (problem.part === 'trailer') return problem.header?.toLowerCase() === 'authorization' ? 'authorization' : problem.header?.toLowerCase() === 'content-type' ? 'content type' : 'request headers';
  // A chunk line is the message's framing, as Transfer-Encoding is (decision 0613).
  if (problem.part === 'header' || problem.part === 'chunk') return 'request headers';
  return 'request schema';
}

/**
 * Answers any create may get whatever it sent, each with Graph's error body: the token refused or lacking a
 * permission (401, 403), throttled (429), the service unavailable (503). They depend on the tenant and the
 * moment, not on the request's shape, so the contract can't hold a provider to 201 or 400 instead.
 */
export const ANSWERS_OUTSIDE_THE_CONTRACT: readonly number[] = [401, 403, 429, 503];

const clientProblem = (p: RequestProblem): ExchangeProblem => ({ side: 'client', check: requestCheckOf(p), ...p });

/** The provider gave no answer (`noAnswer` says why: a timeout, a reset): its fault, at the connection. */
const noAnswerProblem = (noAnswer?: string): ExchangeProblem => ({ side: 'provider', check: 'not a server error', ...at('connection'), message: `must answer${noAnswer ? ` (${noAnswer})` : ''}` });

/** The client's side of a create alone (its answer came from no provider: an injected fault, a refusal). */
export function judgeCreateRequest(request: ObservedRequest, profile?: Profile): ExchangeProblem[] {
  return checkCreateRequest(request, profile, { headerCredentials: true, readOnly: true }).map(clientProblem);
}

/**
 * The client's side of a create whose body was not read whole (over the body limit, so only its size is kept; or
 * cut off by an answer that came before it ended): its method, path, query and headers, and, when it is over
 * Graph's own 4 MB, its size. The body itself is not judged: nothing is said of what was not seen.
 */
export function judgeCreateHead(request: ObservedRequest, profile?: Profile, size?: BodySize): ExchangeProblem[] {
  const head = checkCreateRequest({ ...request, body: undefined, bytes: new Uint8Array() }, profile, { headerCredentials: true }).filter((p) => p.part !== 'body');
  const over = size === undefined ? undefined : overGraphsLimit(size.bytes);
  return [...head, ...(over ? [{ ...atBody(), message: over }] : [])].map(clientProblem);
}

/**
 * A create whose body is over the body limit assumed (decision 0200): the client judged by its head
 * (judgeCreateHead), the provider by what Graph answers such a body: 413 with Graph's error body, or the refusal its
 * head calls for (401, 415, 400), or an answer any create may get (401, 403, 429, 503). No credential echoed.
 */
export function judgeOversizedCreate(request: ObservedRequest, answer: ObservedAnswer | undefined, size: BodySize, profile?: Profile, noAnswer?: string, context: AnswerContext = {}): ExchangeProblem[] {
  const problems = judgeCreateHead(request, profile, size);
  if (answer === undefined) return [...problems, noAnswerProblem(noAnswer)];
  const read = readMessage({ headers: request.rawHeaders ?? request.headers, text: '' });
  const known: AnswerContext = { ...answerContextOfLines(read.lines), batchAuthorization: request.batchAuthorization, ...context };
  const refusal = refusalStatus(problems.filter((p) => p.part !== 'body'));
  const expected = ANSWERS_OUTSIDE_THE_CONTRACT.includes(answer.status) ? [answer.status] : [...(refusal === undefined ? [] : [refusal]), 413];
  for (const p of judgeRejectedAnswer(expected, answer, known)) problems.push({ side: 'provider', ...p, ...(p.part === 'status' ? { message: `${p.message}: ${overLimitReason(size)}` } : {}) });
  return problems;
}

/**
 * A create whose body was not read to its end because of the provider: it answered first and the client then
 * stopped sending (outside tester H16), or it failed in the middle (I10). The client is judged by its head
 * (judgeCreateHead), never for a body cut short; the provider only where no body is needed to show it wrong: no
 * answer at all (`noAnswer` says why), or a 413 for a body its Content-Length puts within the limit assumed (Graph
 * answers such a body 201 or 400, never 413).
 */
export function judgeUnfinishedCreate(request: ObservedRequest, answer: ObservedAnswer | undefined, size: BodySize, profile?: Profile, noAnswer?: string): ExchangeProblem[] {
  const problems = judgeCreateHead(request, profile, size);
  if (answer === undefined) problems.push(noAnswerProblem(noAnswer));
  else if (answer.status === 413 && !mayBeTooLarge(size)) problems.push({ side: 'provider', check: 'status', ...at('status'), message: `must not be 413: ${withinLimitReason(size)}` });
  return problems;
}

/** What judgeCreateExchange knows of a create besides its answer: the answer's context, and the body's size against the limit assumed. */
export interface CreateContext extends AnswerContext {
  /** The body's size and the limit assumed: a valid create within it refused with 413 is the provider's fault, said with the size. */
  size?: BodySize;
  /**
   * A create inside a JSON batch whose `dependsOn` names a request the batch answered with a failure (its id and that
   * status, failedDependencyAnswer): 424 Failed Dependency with Graph's error body is Graph's answer to it (outside
   * tester R21), and the only one: Graph does not run it (decision 1051).
   */
  failedDependency?: { id: string; status: number };
}

/**
 * Judges one POST /deviceAppManagement/vppTokens and its answer (both as seen on the wire: raw header lines and
 * body bytes; the request's path without its version prefix): the request by the request judgement (the client's
 * side), the answer by what the request called for (the provider's side): 201 with the created vppToken for a
 * request that keeps the contract, the refusal Graph gives (refusalStatus) for one that does not, and no
 * credential of the request echoed. `answer` is undefined when the provider gave none (`noAnswer` says why).
 */
export function judgeCreateExchange(request: ObservedRequest, answer: ObservedAnswer | undefined, profile?: Profile, noAnswer?: string, { size, failedDependency, ...context }: CreateContext = {}): ExchangeProblem[] {
  if (size !== undefined && isOverLimit(size)) return judgeOversizedCreate(request, answer, size, profile, noAnswer, context);
  // Read once: the request's problems and the answer's context come from the same reading.
  const read = readRequest(request);
  const sent = checkCreateRequest(request, profile, {}, read);
  const problems = sent.map(clientProblem);
  if (answer === undefined) {
    problems.push(noAnswerProblem(noAnswer));
    return problems;
  }
  // The client's credentials where Graph takes them (another header line, its URL, the vppToken's own strings): its
  // leak, whatever the answer (0332, 0340, P4).
  problems.push(...credentialLeakProblems(read, request).map(clientProblem));
  // A read-only property it sets: the client's fault, whether the provider ignores it or refuses it (decision 0341).
  problems.push(...readOnlyProblems(read.json?.value, profile, sent).map(clientProblem));
  const known: AnswerContext = { ...answerContextOfLines(read.lines), batchAuthorization: request.batchAuthorization, sent: read.json?.value, prefer: headerValues(read.lines, 'Prefer'), odataMaxVersion: headerValues(read.lines, 'OData-MaxVersion'), ...context };
  const refusal = refusalStatus(sent);
  // A 413 for a body Graph's smaller reading of 4 MB refuses is fair (decision 0171); for a valid one within the limit,
  // the status problem says the size and the limit assumed, as conform says it, so a smaller limit of the provider's own is given.
  const tooLarge = answer.status === 413 && size !== undefined && mayBeTooLarge(size);
  const notRun = failedDependency !== undefined;
  const answered =
    (ANSWERS_OUTSIDE_THE_CONTRACT.includes(answer.status) && answer.status !== refusal) || tooLarge
      ? judgeRejectedAnswer([answer.status], answer, known)
      : notRun && answer.status === FAILED_DEPENDENCY
        ? judgeRejectedAnswer([FAILED_DEPENDENCY], answer, known)
        : notRun
          ? // Run where Graph would not have run it (decision 1051): the status says so; the create's own answer is not
            // judged (Graph never reads the request), but for its credentials, a 201 carrying its own token as created.
            [{ check: 'status' as const, ...at('status'), message: notRunWords(failedDependency, answer.status) }, ...credentialEchoProblems(readAnswer(answer), known, answer.status === 201)]
          : refusal !== undefined
            ? judgeRejectedAnswer([refusal], answer, known)
            : judgeCreatedAnswer(read.json!.value as VppTokenCreateRequest, answer, profile, known);
  // A token that is no Apple sToken, refused with 400: Graph was right and the client sent what Intune does not take
  // (decision 0209, outside tester I8). Said on the client's side, where the proxy would otherwise blame nobody.
  const sentToken = (read.json?.value as { token?: unknown } | undefined)?.token;
  if (answer.status === 400 && refusal === undefined && isNoSToken(sentToken)) {
    problems.push({ side: 'client', check: 'request schema', ...atBody('/token'), message: `${noSTokenMessage(sentToken as string)}: the provider refused it with 400` });
  }
  const sized = (p: (typeof answered)[number]) => (answer.status === 413 && size !== undefined && refusal === undefined && p.check === 'status' && p.part === 'status' ? { ...p, message: `${p.message}: ${sizeReason(size)}` } : p);
  for (const p of answered) problems.push({ side: 'provider', ...sized(p) });
  return problems;
}
