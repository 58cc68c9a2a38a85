import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { GRAPH_BODY_LIMIT } from '../graph';
import type { VppTokenCreateRequest } from '../generated/types';
import { credentialLines, judgeCreatedAnswer, vppTokenAsRead, judgeReadAnswer, judgeReadBack, judgeReadEcho, judgeRejectedAnswer, readAnswer, relativeLinkWords, relativeODataLink, resolveODataLink, bearerProblem, givenSecrets, headerSecretValues, publicHostValue, pagesAddingNothing, VPP_TOKENS_PATH, type AnswerCheck, type ObservedAnswer, type RelativeODataLink } from '../judgement';
import { startReferenceProvider } from '../provider';
import { DEFAULT_PROFILE, PROFILES, type Profile } from '../schemas';
import { controlInformationValue } from '../validation';
import { BEARER_MARK, drawFamily, families as allFamilies, type ConformCase, type Family } from './cases';
import { Client, type HttpRequest, type Outcome, type ReceivedAnswer } from './http';
import { bodyBytesOf, headersOf, sizeReason, withNewToken } from './case';
import { DEFAULT_MAX_THROTTLE_WAIT_MS, HeaderOptionError, urlText, isNumberFrom, isWholeNumber, millisecondsOptionProblem, shownOption, wholeOptionProblem, Throttle, ThrottledTooLong, baseUrlOf, challengeQuestion, refusalQuestions, BACKOFF, maxThrottleWaitProblem, retryWait, throttleFieldsOf, checkExtraHeaders, hideSecrets, holdsSecret, likelyCause, publicHostOf, publicUrl, redact, sameHost, shownTarget, systemClock, targetAsWritten, targetQuestions, type Clock, type Secrets, type ThrottleWait, type TlsTrust } from '../net';
import { optionsObjectProblem, membersProblem } from '../net/option';
import { TLS_TRUST_MEMBERS } from '../net/tls';
import { curlOf, describeRequest, shortBody, summaryLine } from './report';
import { caseOfFinding, replayDataOf, type ReplayData, type ReplayFinding } from './select';
import { headerVariable } from './report';
import { at, atBody, atReadBack, headerLines, headerValues, placeOf, whereOf } from '../wire';
import type { ConformCheck, ConformProblem, ConformOptions, Finding, CheckSummary, ConformResult } from './types';
export type { ConformCheck, ConformProblem, ConformOptions, Finding, CheckSummary, ConformResult } from './types';

export const CONFORM_CHECKS: readonly ConformCheck[] = [
  'not a server error',
  'status',
  'content type',
  'response headers',
  'response schema',
  'resource identity',
  'values back',
  'credentials not echoed',
  'unique id',
  'negative data rejected',
  'read-back',
];

export { GRAPH_BODY_LIMIT } from '../graph';
const MIN_BODY_LIMIT = 1024;
const MAX_BODY_LIMIT = 64 * 1024 * 1024;

export class ConformSetupError extends Error {
  override readonly name = 'ConformSetupError';
}

/** A read (GET) whose answer a problem is about, to show beside the create's: its request line and what came. */
interface ReadShown {
  request: string;
  answer: ObservedAnswer;
}

/** A problem of a run; one about a read-back carries the read's answer, which its finding shows. */
interface RunProblem extends ConformProblem {
  readAnswer?: ReadShown;
}

interface Judged {
  problems: RunProblem[];
  outcome: Outcome;
  id?: string;
}

interface Context {
  client: Client;
  /** What throttling waits are read and waited by (options.clock). */
  clock: Clock;
  throttle: Throttle;
  /** Answers to requests that carried the bearer, how many were 401 or 403, and each 401's WWW-Authenticate (RFC 9110 §11.6.1). */
  auth: { answered: number; refused: number; challenges: (string | undefined)[] };
  profile: Profile;
  base: string;
  bearer: string;
  readBack: boolean;
  ids: Map<string, number>;
  requests: number;
  /** Extra headers (--header), added to every request. */
  headers: Record<string, string>;
  /** The checks judged. */
  enabled: ReadonlySet<ConformCheck>;
  /** Hosts the provider may name itself by besides the one asked and Graph's (--public-host). */
  publicHosts: readonly string[];
  /** --schema-tokens: the provider is said to take any token, so refusing one that is no sToken is its fault. */
  takesAnyToken: boolean;
  /** The caller's `signal`: once aborted, no request is sent (Interrupted). */
  signal?: AbortSignal;
  /** The --time-budget's time left, in ms (Infinity without one): a throttling wait longer than it is not waited (BudgetSpent). */
  budgetLeftMs: () => number;
  /** The --time-budget as said, `--time-budget 5 s`, when there is one. */
  budget?: string;
}

/** The run's `signal` was aborted: a request not sent, or a throttling wait ended, is no outcome to judge. */
class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

/**
 * The provider throttled for longer than the run's --time-budget has left: the request is not sent again, and the run
 * ends there, as a budget spent (outside tester N29: a 5 s budget waited 80 s of Retry-After, then failed for
 * --max-throttle-wait). Its message is the run's `stopped`.
 */
class BudgetSpent extends Error {
  override readonly name = 'BudgetSpent';
}

/** Resolves when `waiting` does, or when `signal` aborts (then Interrupted), whichever comes first. */
async function unlessAborted<T>(waiting: Promise<T>, signal: AbortSignal | undefined): Promise<T | void> {
  if (!signal) return waiting;
  if (signal.aborted) throw new Interrupted();
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([waiting, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The `Prefer` values --header gives every request conform sends (decision 0590); a create reads its own with its header lines. */
const preferOf = (ctx: Context): string[] => headerValues(headerLines(ctx.headers), 'Prefer');

/**
 * The run's credentials, as everything conform writes hides them: the bearer and each --header value, in any
 * spelling, but those of fields known to carry none (isPlainHeader: `Prefer: omit-values=nulls` is the kit's own
 * words in its messages, decision 0590).
 */
const secretsOf = (ctx: Context): Secrets => givenSecrets({ bearer: ctx.bearer, headers: ctx.headers });

/**
 * Which credential of the run a link carries, named, never shown (the bearer, or the value of a --header that may be
 * a credential, by the judgement's one rule: headerSecretValues), in any spelling the one redaction knows; undefined
 * when none. A --header value that is a --public-host is that public name, no credential (publicHostValue, 1052).
 */
function credentialIn(link: string, ctx: Context): string | undefined {
  if (holdsSecret(link, ctx.bearer)) return 'the bearer (--bearer)';
  const header = Object.entries(ctx.headers).find(([name, value]) => headerSecretValues([{ name, value }]).some((secret) => !publicHostValue(secret, ctx.publicHosts) && holdsSecret(link, secret)));
  return header && `the value of --header ${header[0]}`;
}

const checkOf = (p: { check: string }) => p.check as ConformCheck;
const keyOf = (p: ConformProblem) => `${p.check}\u0000${p.where}`;

/** A stable 32-bit hash of a family's name, so that adding a family never changes another's requests. */
function familySeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h | 0;
}

const withBearer = (headers: Record<string, string | string[]>, bearer: string): Record<string, string | string[]> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.map((one) => one.replace(BEARER_MARK, bearer)) : v.replace(BEARER_MARK, bearer)]));


const contentTypeOf = (answer: ObservedAnswer): string | undefined => {
  const found = Object.entries(answer.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  return Array.isArray(found) ? found.join(', ') : found === undefined ? undefined : String(found);
};


/** How long an answer asks the run to wait (a 429, or a 503 with Retry-After), for the `inARow`-th in a row; undefined when it does not. */
function throttleWaitOf(ctx: Context, answer: ReceivedAnswer, inARow: number): ThrottleWait | undefined {
  const fields = throttleFieldsOf(answer.rawHeaders);
  return retryWait(answer.status, fields.retryAfter, inARow, BACKOFF, ctx.clock.now(), fields.date);
}

/**
 * Sends one request as a well-behaved client does: when the provider throttles (429, or 503 with Retry-After), the
 * request waits (Retry-After, or backing off when a 429 has none) (with every other request of the run) and is sent again; the answer after the throttling is judged.
 */
async function send(ctx: Context, request: HttpRequest, bearer: boolean): Promise<Outcome> {
  for (let throttled = 0; ; throttled++) {
    // A pause another request's answer set that ends past the budget is not waited either.
    if ((await unlessAborted(ctx.throttle.ready(ctx.budgetLeftMs), ctx.signal)) === false) throw new BudgetSpent(`${ctx.budget} spent: the provider's throttling asked every request to wait past it`);
    const outcome = await ctx.client.send({ ...request, headers: { ...ctx.headers, ...request.headers } });
    ctx.requests++;
    // Dropped by the abort (or answered as it came): not judged, as the caller wants no more of the run.
    if (ctx.signal?.aborted) throw new Interrupted();
    const wait = outcome.answer && throttleWaitOf(ctx, outcome.answer, throttled + 1);
    if (wait === undefined) {
      if (bearer && outcome.answer) {
        ctx.auth.answered++;
        if (outcome.answer.status === 401 || outcome.answer.status === 403) ctx.auth.refused++;
        if (outcome.answer.status === 401) ctx.auth.challenges.push([outcome.answer.headers['www-authenticate'] ?? []].flat().join(', ') || undefined);
      }
      return outcome;
    }
    if (wait.ms > ctx.budgetLeftMs()) {
      // A throttled answer all the same, as the report counts them.
      ctx.throttle.answers++;
      throw new BudgetSpent(`${ctx.budget} spent: the provider throttled (${outcome.answer!.status} ${wait.retryAfter ? `with Retry-After ${wait.ms / 1000} s` : `without Retry-After, backing off ${wait.ms / 1000} s`}), a wait past the budget`);
    }
    ctx.throttle.hold(wait, throttled + 1, 'one request', outcome.answer!.status);
  }
}

/**
 * The probe sent again to prove the provider keeps connections (HttpClient.proveKeptConnections, decision 1200), when
 * its answer left its connection open: counted as a request, its answer not judged (the probe's was). A throttling
 * answer holds the run's requests back as any does, and is not sent again: the proof was the answer.
 */
async function proveKeptConnections(ctx: Context, request: HttpRequest): Promise<void> {
  if ((await unlessAborted(ctx.throttle.ready(ctx.budgetLeftMs), ctx.signal)) !== true) return;
  const outcome = await ctx.client.proveKeptConnections({ ...request, headers: { ...ctx.headers, ...request.headers } });
  if (!outcome) return;
  ctx.requests++;
  if (ctx.signal?.aborted || !outcome.answer) return;
  const wait = throttleWaitOf(ctx, outcome.answer, 1);
  if (wait && wait.ms <= ctx.budgetLeftMs()) ctx.throttle.hold(wait, 1, 'one request', outcome.answer.status);
}

async function judge(c: ConformCase, ctx: Context): Promise<Judged> {
  const judged = await judgeAll(c, ctx);
  return { ...judged, problems: judged.problems.filter((p) => ctx.enabled.has(p.check)).map((p) => sizedProblem(c, p, judged.outcome, ctx.bearer)) };
}

/**
 * A valid create of a size the provider must take, refused or left unanswered: the problem names the size sent
 * and the limit assumed, so a provider with a smaller limit of its own knows to say so (--body-limit). Refused
 * with another 4xx than 413, it was a value the provider refused, not the body's size (outside tester I5): the
 * problem says what was sent and what came back, and --body-limit is not offered.
 */
function sizedProblem(c: ConformCase, p: ConformProblem, outcome: Outcome, bearer: string): ConformProblem {
  if (!c.size || (p.check !== 'status' && p.check !== 'not a server error')) return p;
  const status = outcome.answer?.status;
  if (status === undefined || status < 400 || status >= 500 || status === 413) return { ...p, message: `${p.message}: ${sizeReason(c.size)}` };
  const error = (outcome.answer?.json?.value as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const said = typeof error?.message === 'string' ? ` ${typeof error.code === 'string' ? `${error.code} ` : ''}(${JSON.stringify(error.message.slice(0, 200))})` : '';
  const refused = redact(`refused with ${status}${said}`, givenSecrets({ bearer }));
  return { ...p, message: `${p.message}: a valid create of ${c.size.bytes} bytes (${bulkOf(c.request)}) was ${refused}: a refusal of a value, not of the body's size (that is 413), which --body-limit does not change` };
}

/** What fills a sized create, in words: `its roleScopeTagIds hold 25,000 items`, `its appleId is 102,148 characters`. */
function bulkOf(request: unknown): string {
  const [name, value] = Object.entries(request as Record<string, unknown>)
    .filter(([key]) => key !== 'token')
    .sort(([, a], [, b]) => JSON.stringify(b).length - JSON.stringify(a).length)[0] ?? [];
  if (Array.isArray(value)) return `its ${name} hold ${value.length.toLocaleString('en-US')} items`;
  return typeof value === 'string' ? `its ${name} is ${value.length.toLocaleString('en-US')} characters` : `its ${name ?? 'token'}`;
}

async function judgeAll(c: ConformCase, ctx: Context): Promise<Judged> {
  const headers = withBearer(headersOf(c), ctx.bearer);
  const outcome = await send(ctx, { method: 'POST', url: new URL(`${ctx.base}${VPP_TOKENS_PATH}`), headers, body: bodyBytesOf(c) }, Object.values(c.headers).some((v) => v.includes(BEARER_MARK)));
  if (outcome.fault?.problem) return { outcome, problems: [{ check: 'response headers', ...placeOf(outcome.fault.problem), message: outcome.fault.problem.message }] };
  if (outcome.fault) return { outcome, problems: [{ check: 'not a server error', ...at('connection'), message: `must answer: ${outcome.fault.message}` }] };
  const answer = outcome.answer;
  // What the judgement knows of the request: its credentials (never to come back) and when the answer came.
  const sentLines = headerLines({ ...ctx.headers, ...headers });
  const context = { authorization: `Bearer ${ctx.bearer}`, sent: c.request, receivedAt: new Date(), target: `${ctx.base}${VPP_TOKENS_PATH}`, publicHosts: ctx.publicHosts, takesAnyToken: ctx.takesAnyToken, prefer: headerValues(sentLines, 'Prefer'), odataMaxVersion: headerValues(sentLines, 'OData-MaxVersion'), headerCredentials: credentialLines(sentLines) };
  const accepted = answer.status >= 200 && answer.status < 300;
  // A case a correct provider may also take (a body after a byte order mark): its 2xx is judged as a create.
  if (c.kind !== 'valid' && !(accepted && c.mayCreate)) {
    const statuses = c.statuses ?? [400];
    if (accepted) {
      return { outcome, problems: [{ check: 'negative data rejected', ...at('status'), message: `must be refused with ${statuses.join(' or ')} (${c.fault}), not accepted (got ${answer.status})` }] };
    }
    const orCreated = (p: ConformProblem): ConformProblem => (c.mayCreate && p.where === 'status' ? { ...p, message: `${p.message}; or 201 with the vppToken the body describes: ${c.mayCreate}` } : p);
    return { outcome, problems: judgeRejectedAnswer(statuses, answer, context).map((p) => orCreated({ ...p, check: checkOf(p) })) };
  }
  const problems: ConformProblem[] = judgeCreatedAnswer(c.request as VppTokenCreateRequest, answer, ctx.profile, context).map((p) => ({ ...p, check: checkOf(p) }));
  if (answer.status !== 201) return { outcome, problems };
  // Read as a client that asked reads it: nulls left out under omit-values=nulls are null (decision 0590).
  const created = vppTokenAsRead(answer.json?.value, answer, context.prefer, ctx.profile) as Record<string, unknown> | undefined;
  const id = typeof created?.id === 'string' ? created.id : undefined;
  if (id === undefined) return { outcome, problems };
  const known = id.toLowerCase();
  if (ctx.ids.has(known) && ctx.enabled.has('unique id')) {
    problems.push({ check: 'unique id', ...atBody('/id'), message: `must be new: ${id} was already given to an earlier request in this run` });
    return { outcome, problems, id };
  }
  ctx.ids.set(known, ctx.ids.size);
  if (ctx.readBack && problems.length === 0) problems.push(...(await readBack(c.request as VppTokenCreateRequest, id, created!, ctx)));
  return { outcome, problems, id };
}

/**
 * The problems of a read's answer answered 200 (judgeReadAnswer: the rules a 201 is held to, decision 0366), at the
 * read's place, each check's first: its content type and headers under their own checks, and a body that cannot be
 * read under read-back, which then has nothing to judge. `body` is the JSON value read, if any.
 */
function readAnswerProblems(ctx: Context, answer: ObservedAnswer, url: URL, where: ReturnType<typeof atReadBack>, what: string): { problems: RunProblem[]; body: unknown } {
  // Its @odata.context names what was read, one vppToken or the collection, as the service asked (decision 0971),
  // a relative one resolved against the URL read (decision 1181).
  const service = { target: `${ctx.base}${VPP_TOKENS_PATH}`, publicHosts: ctx.publicHosts, profile: ctx.profile };
  // A read that asked OData-MaxVersion: 4.01 (a --header) may be answered in 4.01's spelling (decision 1220).
  const odataMaxVersion = headerValues(headerLines(readHeaders(ctx)), 'OData-MaxVersion');
  const { problems, body } = judgeReadAnswer(answer, { kind: where.read === 'collection' ? 'collection' : 'entity', service, url, odataMaxVersion });
  const seen = new Set<string>();
  const found: RunProblem[] = [];
  for (const p of problems) {
    const unread = p.check === 'response schema';
    const check: ConformCheck = unread ? 'read-back' : checkOf(p);
    if (seen.has(check)) continue;
    seen.add(check);
    found.push({ check, ...where, message: unread ? `${what} must answer a body that can be read: ${p.where} ${p.message}` : `${what}: ${p.where} ${p.message}` });
  }
  // A body left unread by a header's fault (a transfer coding besides chunked): read-back has nothing to judge either.
  if (body === undefined && !seen.has('read-back') && problems.length > 0) found.push({ check: 'read-back', ...where, message: `${what} must answer a body that can be read: ${problems[0].where} ${problems[0].message}` });
  return { problems: found, body };
}

/** The header fields a read sends (send: the run's --header fields, then its own), whose credentials its answer must not carry (decision 0900). */
const readHeaders = (ctx: Context): Record<string, string> => ({ ...ctx.headers, Authorization: `Bearer ${ctx.bearer}`, Accept: 'application/json' });

/** GET .../vppTokens/{id} gives back what was created: judged by judgeReadBack (the service's sync properties may change). */
async function readBack(sent: VppTokenCreateRequest, id: string, created: Record<string, unknown>, ctx: Context): Promise<RunProblem[]> {
  const url = new URL(`${ctx.base}${VPP_TOKENS_PATH}/${encodeURIComponent(id)}`);
  const got = await send(ctx, { method: 'GET', url, headers: readHeaders(ctx) }, true);
  const where = atReadBack('GET by id');
  if (got.fault) return [{ check: 'read-back', ...where, message: `GET ${VPP_TOKENS_PATH}/${id} must answer: ${got.fault.message}` }];
  // Each problem of the read shows its answer (outside tester N6): the finding's own answer is the create's.
  const read: ReadShown = { request: `GET ${publicUrl(url)}`, answer: got.answer };
  const withRead = (problems: RunProblem[]): RunProblem[] => problems.map((p) => ({ ...p, readAnswer: read }));
  // A read is answered to the same bearer: credentials not echoed judges its answer as a create's (outside tester H32).
  const echoed: RunProblem[] = judgeReadEcho(got.answer, readHeaders(ctx), sent, undefined, ctx.publicHosts).slice(0, 1).map((p) => ({ check: 'credentials not echoed', ...where, message: `GET ${VPP_TOKENS_PATH}/{id}: ${p.where} ${p.message}` }));
  if (got.answer.status !== 200) return withRead([...echoed, { check: 'read-back', ...where, message: `GET ${VPP_TOKENS_PATH}/${id} must answer 200 with the created vppToken (got ${got.answer.status})` }]);
  const answered = readAnswerProblems(ctx, got.answer, url, where, `GET ${VPP_TOKENS_PATH}/{id}`);
  // A body that could not be read is said for what it is (a name given twice, a byte order mark...), not as nothing.
  if (answered.body === undefined) return withRead([...echoed, ...answered.problems]);
  const problems = judgeReadBack(sent, created, vppTokenAsRead(answered.body, got.answer, preferOf(ctx), ctx.profile));
  return withRead([...echoed, ...answered.problems, ...problems.slice(0, 1).map((p) => ({ check: 'read-back' as const, ...where, message: `GET ${VPP_TOKENS_PATH}/{id} must give back the vppToken as created, but for the service's own sync properties: ${p.where} ${p.message}` }))]);
}

/**
 * The ids the collection lists, following @odata.nextLink until every id in `wanted` was seen or `maxPages`
 * pages were read (a provider with many tokens: then `cut` says so, and the check does not fail for it). A link to
 * another origin is not followed: `cut` says so, or it is a problem when `strict` (--require-read-back).
 */
async function listIds(ctx: Context, wanted: Set<string>, strict: boolean, maxPages = 1000): Promise<{ ids: Set<string>; problem?: string; echoed?: string; cut?: string; answered: RunProblem[]; read?: ReadShown }> {
  const ids = new Set<string>();
  // The first page whose answer carried the bearer back: the reading goes on, the collection is judged whole.
  let echoed: string | undefined;
  let url: URL | undefined = new URL(`${ctx.base}${VPP_TOKENS_PATH}`);
  let target: string | undefined;
  const asked = url;
  const origin = url.origin;
  let found = 0;
  // The pages read, by URL: a nextLink back to one of them is a collection that never ends (outside tester H7).
  const read = new Map<string, number>();
  // Pages in a row that list nothing new, each linking to another: a collection that never ends with fresh links
  // (outside testers M21, R118), not a long list: the kit's one rule, seed's read-back's too (src/judgement, 1001, 1100).
  const neverEnds = pagesAddingNothing();
  // The first problem of each check in the pages' answers (judgeReadAnswer), each with the page's answer.
  const answered: RunProblem[] = [];
  const done = (more: { problem?: string; cut?: string; read?: ReadShown }) => ({ ids, echoed, answered, ...more });
  // The relative link the page read now came from, as its page wrote it and what it was resolved against (outside
  // tester R18): a page that cannot be read is then named as the provider wrote it, not only as resolved.
  let relativeLink: RelativeODataLink | undefined;
  const linkedAs = (resolved: string): string => (relativeLink ? `: ${relativeLinkWords(relativeLink, { given: shownTarget(relativeLink.given, secretsOf(ctx)), base: publicUrl(relativeLink.base), resolved })}` : '');
  for (let page = 0; url && page < maxPages && found < wanted.size; page++) {
    // The page as its link wrote it (K20): its target is sent and compared as written, and shown as every URL
    // conform writes: OData's options with their values, any other parameter's value and the run's credentials hidden.
    const sent = target ?? `${url.pathname}${url.search}`;
    const shown = shownTarget(sent, secretsOf(ctx));
    const again = read.get(`${url.origin}${sent}`);
    if (again !== undefined) return done({ problem: `@odata.nextLink of page ${page} is the URL of page ${again + 1}, already read: the collection never ends, and a client paging it loops` });
    read.set(`${url.origin}${sent}`, page);
    const got: Outcome = await send(ctx, { method: 'GET', url, ...(target ? { target } : {}), headers: readHeaders(ctx) }, true);
    if (got.fault) return done({ problem: `GET ${shown} must answer: ${got.fault.message}${linkedAs(`${url.origin}${shown}`)}` });
    const pageRead: ReadShown = { request: `GET ${url.origin}${shown}`, answer: got.answer };
    const echo = judgeReadEcho(got.answer, readHeaders(ctx), undefined, undefined, ctx.publicHosts)[0];
    echoed ??= echo && `GET ${url.pathname}: ${echo.where} ${echo.message}`;
    if (got.answer.status !== 200) return done({ problem: `GET ${shown} must answer 200 (got ${got.answer.status})${linkedAs(`${url.origin}${shown}`)}`, read: pageRead });
    // A page is an answer as a 201 is (decision 0366): its content type and headers judged, its body read strictly.
    const judged = readAnswerProblems(ctx, got.answer, url, atReadBack('collection'), `GET ${shown}`);
    for (const p of judged.problems) if (p.check !== 'read-back' && !answered.some((a) => a.check === p.check)) answered.push({ ...p, readAnswer: pageRead });
    const unread = judged.problems.find((p) => p.check === 'read-back');
    if (unread) return done({ problem: unread.message, read: pageRead });
    const body = judged.body as { value?: { id?: unknown }[] } | undefined;
    if (!Array.isArray(body?.value)) return done({ problem: `GET ${shown} must answer { "value": [...] }`, read: pageRead });
    for (const item of body.value) {
      if (typeof item?.id !== 'string') continue;
      const id = item.id.toLowerCase();
      if (wanted.has(id) && !ids.has(id)) found++;
      ids.add(id);
    }
    // Under either spelling, @odata.nextLink or OData 4.01's @nextLink (controlInformation, decision 1220).
    const next = controlInformationValue(body, 'nextLink');
    const endless = neverEnds(body.value.map((item) => item?.id), next !== undefined && next !== null, shown);
    if (endless) return done({ problem: `@odata.nextLink: ${endless}; ${wanted.size - found} created vppTokens were never listed`, read: pageRead });
    if (next === undefined || next === null) url = undefined;
    else {
      const resolved: URL | undefined = typeof next === 'string' ? resolveODataLink(next, body, url) : undefined;
      if (!resolved) return done({ problem: `GET ${shown} must answer an @odata.nextLink that is a URL (got ${redact(JSON.stringify(next), secretsOf(ctx)).slice(0, 120)})`, read: pageRead });
      // A link that carries a credential of the run would send it in a URL, which logs and proxies keep (RFC 6750
      // §5.3; outside tester N7): it is not followed, as a link to another origin is not (decision 0365).
      const carried = credentialIn(next as string, ctx);
      if (carried) {
        if (strict) return done({ problem: `GET ${shown} must answer an @odata.nextLink that carries no credential of the request, but it carries ${carried} (not shown): not followed, so it is not sent in a URL (RFC 6750 §5.3)`, read: pageRead });
        return done({ cut: `the collection's page ${page + 2} is linked by an @odata.nextLink that carries ${carried} (not shown): not followed, so it is not sent in a URL, which logs and proxies keep (RFC 6750 §5.3); ${wanted.size - found} created vppTokens were not looked for (--require-read-back makes this a failure)` });
      }
      // A link is the server's data: the bearer and the --header values go only where the user sent them, the origin
      // of --provider-base-url (RFC 6750 §5.3; outside tester H6). Graph names its own host in its links whatever
      // gateway a request came through, so a link elsewhere is not followed and not blamed either (outside tester
      // H28), unless --require-read-back asks for the whole collection (decision 0178).
      if (!sameService(resolved, asked)) {
        if (strict) return done({ problem: `GET ${shown} must answer an @odata.nextLink on the service asked (${origin}), but it leaves it for ${publicUrl(resolved)}: not followed, and no credential was sent there`, read: pageRead });
        return done({ cut: `the collection's page ${page + 2} is on another origin than the one asked (${origin}), at ${publicUrl(resolved)}: not followed, and no credential was sent there; ${wanted.size - found} created vppTokens were not looked for (--require-read-back makes this a failure)` });
      }
      target = targetAsWritten(next as string, resolved);
      relativeLink = relativeODataLink(next as string, body, url, page + 1);
      url = resolved;
    }
  }
  return done({ cut: url && found < wanted.size ? `the collection was read up to ${maxPages} pages, not to its end: ${wanted.size - found} created vppTokens were not looked for` : undefined });
}

/**
 * A link on the origin asked, or on another name of the same loopback socket (same scheme and port): the kit's own
 * reference provider writes its listening address into its links, and a user may have asked it as `localhost`.
 */
function sameService(link: URL, asked: URL): boolean {
  return link.origin === asked.origin || (link.protocol === asked.protocol && sameHost(link, asked));
}

/**
 * The requests a replay sends: every finding's, then every failure the report did not show (one request of each
 * failed family and place: a provider fixed for the bugs shown but not the others still fails), each request once.
 */
function replayed(report: NonNullable<ConformOptions['replay']>): ReplayFinding[] {
  const sent = new Set<string>();
  return [...report.findings, ...(report.notShown ?? [])].filter((f) => {
    const same = JSON.stringify([f.request, f.replay]);
    if (sent.has(same)) return false;
    sent.add(same);
    return true;
  });
}

/** Runs `work` over `items`, at most `limit` at once, results in the items' order; the first error stops the rest. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        results[i] = await work(items[i]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

interface Drawn {
  family: Family;
  familyIndex: number;
  seed: number;
  index: number;
  case: ConformCase;
}


/** The checks that judge how a request's fault is answered: a refused family's failure of them is its own bug. */
const FAULT_CHECKS: ReadonlySet<string> = new Set<ConformCheck>(['negative data rejected', 'status', 'not a server error']);

/** Findings shown (and shrunk) of one check by default; the others are counted and kept for --replay. */
export const DEFAULT_FINDINGS_PER_CHECK = 5;

/**
 * The failures of a run, each (check, place, family) with the first request that failed so: `shown` are the distinct
 * ones, at most `perCheck` of a check; the rest are `hidden` (counted, kept for --replay). How a refused family's
 * fault is answered is a rule of its own (no Content-Type and Content-Type text/plain taken are two bugs, outside
 * tester J15), so its failures of FAULT_CHECKS are distinct by family; a valid create's by the status answered (a 413
 * to valid creates of 100 KB and of 1 MiB is one limit, a 400 to another a second bug). Any other failure is distinct
 * by check and place alone (a framing fault on every answer is one fault, whatever was sent). A check's first request
 * per place comes first, the family drawn from the whole schema before the others (it shrinks furthest), then the
 * others as drawn.
 */
function distinctFailures(judged: readonly Judged[], drawn: readonly Drawn[], perCheck: number): { shown: { key: string; i: number }[]; hidden: { key: string; i: number; why: string }[] } {
  const order: { key: string; i: number }[] = [];
  const seen = new Set<string>();
  const take = (p: ConformProblem, i: number) => {
    const failure = `${keyOf(p)}\u0000${drawn[i].family.name}`;
    if (seen.has(failure)) return;
    seen.add(failure);
    order.push({ key: keyOf(p), i });
  };
  const byFamily = judged.map((_, i) => i).sort((a, b) => Number(drawn[a].familyIndex !== 0) - Number(drawn[b].familyIndex !== 0) || a - b);
  const places = new Set<string>();
  for (const i of byFamily) {
    for (const p of judged[i].problems) {
      if (places.has(keyOf(p))) continue;
      places.add(keyOf(p));
      take(p, i);
    }
  }
  for (let i = 0; i < judged.length; i++) for (const p of judged[i].problems) take(p, i);
  const count = new Map<string, number>();
  const distinct = new Set<string>();
  const shown: { key: string; i: number }[] = [];
  const hidden: { key: string; i: number; why: string }[] = [];
  for (const failure of order) {
    const check = failure.key.slice(0, failure.key.indexOf('\u0000'));
    const { case: c } = drawn[failure.i];
    const { outcome } = judged[failure.i];
    const what = `${failure.key}\u0000${!FAULT_CHECKS.has(check) ? '' : c.kind !== 'valid' ? c.family : (outcome.answer?.status ?? outcome.fault?.kind)}`;
    const n = count.get(check) ?? 0;
    if (distinct.has(what)) hidden.push({ ...failure, why: 'another family failing as a finding shown' });
    else if (n >= perCheck) hidden.push({ ...failure, why: `at most ${perCheck} findings of a check are shown and shrunk` });
    else {
      distinct.add(what);
      count.set(check, n + 1);
      shown.push(failure);
    }
  }
  return { shown, hidden };
}

/** Requests one finding's shrinking may send: enough to shrink a request to its core, bounded for slow providers. */
const SHRINK_BUDGET = 1000;

/** Shrinks a failure with fast-check: replays run `index` of the family's seed, then keeps what still fails the same way. */
async function shrink(drawn: Drawn, key: string, ctx: Context): Promise<{ case: ConformCase; judged: Judged; shrinks: number } | undefined> {
  let last: { case: ConformCase; judged: Judged } | undefined;
  let budget = SHRINK_BUDGET;
  // fast-check takes a throw for a failure: one that stops the run (throttled too long) is carried past it.
  let stop: { error: unknown } | undefined;
  let sent = 0;
  const property = fc.asyncProperty(drawn.family.arbitrary, async (drawnCase) => {
    // Past the budget (or once the run is interrupted) every candidate "passes" unsent: fast-check then ends with the smallest failure so far.
    if (budget-- <= 0 || stop || ctx.signal?.aborted) return true;
    // Each candidate a create of its own: its sToken new, from the family's seed, the run and the try (K17).
    const c = withNewToken(drawnCase, `${drawn.seed}:${drawn.index}:${key}:${sent++}`);
    let judged: Judged;
    try {
      judged = await judge(c, ctx);
    } catch (error) {
      if (!(error instanceof Interrupted) && !(error instanceof BudgetSpent)) stop = { error };
      return true;
    }
    const fails = judged.problems.some((p) => keyOf(p) === key);
    if (fails) last = { case: c, judged };
    return !fails;
  });
  const details = await fc.check(property, { seed: drawn.seed, path: String(drawn.index), numRuns: 1, interruptAfterTimeLimit: 60_000 });
  if (stop) throw stop.error;
  if (!details.failed || !last) return undefined;
  return { ...last, shrinks: details.numShrinks };
}

function findingOf(drawn: Drawn, c: ConformCase, judged: Judged, key: string, ctx: Context, shrinks: number, reproduced: boolean): Finding {
  const problem = judged.problems.find((p) => keyOf(p) === key)!;
  const url = `${publicUrl(ctx.base)}${VPP_TOKENS_PATH}`;
  const answer = judged.outcome.answer;
  const extra = Object.keys(ctx.headers);
  const request = describeRequest(url, c, extra);
  const secrets = secretsOf(ctx);
  // An answer as a finding shows it: its Content-Type and a short body, the run's credentials hidden.
  const shown = (a: ObservedAnswer) => {
    const contentType = contentTypeOf(a);
    return { status: a.status, contentType: contentType === undefined ? undefined : hideSecrets(contentType, secrets), body: shortBody(a.body, secrets) };
  };
  const read = (problem as RunProblem).readAnswer;
  return {
    check: problem.check,
    ...placeOf(problem),
    // Each message hides the run's credentials once more, wherever a check took its words from (a link, a header).
    message: hideSecrets(problem.message, secrets),
    family: drawn.family.name,
    request,
    answer: answer ? shown(answer) : { fault: hideSecrets(judged.outcome.fault!.message, secrets) },
    ...(read ? { readAnswer: { request: hideSecrets(read.request, secrets), ...shown(read.answer) } } : {}),
    curl: curlOf(url, c, extra),
    shrinks,
    reproduced,
    replay: replayDataOf(c, request.body, extra),
  };
}

/** The checks a run judges: `checks` (default all), less `excludeChecks`; at least one. */
function enabledChecks(options: ConformOptions): Set<ConformCheck> {
  for (const name of [...(options.checks ?? []), ...(options.excludeChecks ?? [])]) {
    if (!CONFORM_CHECKS.includes(name)) throw new ConformSetupError(`${shownOption(name)} is not a check; the checks are ${CONFORM_CHECKS.join(', ')}`);
  }
  const enabled = new Set((options.checks ?? CONFORM_CHECKS).filter((c) => !(options.excludeChecks ?? []).includes(c)));
  if (enabled.size === 0) throw new ConformSetupError('--checks and --exclude-checks leave no check to run');
  return enabled;
}

/**
 * The checks that judge the answer to a request the provider must refuse (an invalid or transport case: its status,
 * headers, error body, any echo, or that it was accepted), or the fault that came instead. values back, unique id,
 * read-back and resource identity judge what a create made: a valid case, or a body a correct provider may create
 * from (`mayCreate`), whose 201 is judged as a create's.
 */
const REFUSAL_CHECKS: ReadonlySet<ConformCheck> = new Set(['not a server error', 'status', 'content type', 'response headers', 'response schema', 'credentials not echoed', 'negative data rejected']);

/** Whether a chosen check judges the case's answer (decision 0700): a case none judges is not sent. */
function judgesCase(enabled: ReadonlySet<ConformCheck>, c: ConformCase): boolean {
  if (c.kind === 'valid') return [...enabled].some((check) => check !== 'negative data rejected');
  return c.mayCreate !== undefined || [...enabled].some((check) => REFUSAL_CHECKS.has(check));
}

/** The cases in turns: by kind (valid, invalid, transport), and within a kind the n-th case of each family, then the next. */
function takingTurns(drawn: Drawn[]): Drawn[] {
  const byKind = (['valid', 'invalid', 'transport'] as const).map((kind) =>
    drawn.filter((d) => d.case.kind === kind).sort((a, b) => a.index - b.index || a.familyIndex - b.familyIndex),
  );
  const turns: Drawn[] = [];
  for (let i = 0; turns.length < drawn.length; i++) for (const list of byKind) if (i < list.length) turns.push(list[i]);
  return turns;
}

/** A whole number option from `min`, or a ConformSetupError naming it. */
function checkWhole(value: number | undefined, name: string, min: number): void {
  if (value !== undefined && !isWholeNumber(value, min)) throw new ConformSetupError(`${name} must be a whole number from ${min} (got ${shownOption(value)})`);
}


/** The names ConformOptions takes: any other is refused, never left without a word (decisions 0408, 0760). */
const CONFORM_OPTION_NAMES = Object.keys({ providerBaseUrl: true, bearer: true, profile: true, seed: true, runs: true, requireReadBack: true, timeoutMs: true, trust: true, concurrency: true, bodyLimit: true, maxThrottleWaitMs: true, clock: true, schemaTokens: true, maxFindings: true, checks: true, excludeChecks: true, headers: true, publicHosts: true, maxRequests: true, timeBudgetMs: true, signal: true, replay: true } satisfies Record<keyof ConformOptions, true>);

/**
 * Property-based conformance of a provider of POST /deviceAppManagement/vppTokens: valid requests drawn from the
 * request schema (every enum member, null, boundary dates, every fixture trait), one-fault invalid requests from
 * the schema's keywords, transport faults, and read-back where the provider answers GET. Every answer is judged
 * by src/judgement; each failure is shrunk by fast-check to the smallest request that still fails.
 */
export async function conform(options: ConformOptions = {}): Promise<ConformResult> {
  // Its options' shape by the library's one rule (src/net/option.ts, decision 0760): a bare value or a misspelt name
  // was taken as no options, and the default run made (`conform('x')`).
  const shape =
    optionsObjectProblem('conform', options, CONFORM_OPTION_NAMES) ??
    membersProblem(options, { bearer: 'string', checks: ['strings', "an array of checks, such as ['status', 'response schema']"], excludeChecks: ['strings', "an array of checks, such as ['status', 'response schema']"], clock: 'clock', headers: ['object', 'an object of header names and values'], publicHosts: 'strings', replay: ['object', 'an object of file and findings, such as readConformReport(file)'], requireReadBack: 'boolean', schemaTokens: 'boolean', signal: 'signal', trust: TLS_TRUST_MEMBERS });
  if (shape) throw new TypeError(shape);
  const started = Date.now();
  const runs = options.runs ?? 200;
  if (!isWholeNumber(runs, 1)) throw new ConformSetupError(`runs must be a whole number from 1 (got ${shownOption(runs)})`);
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  if (!isWholeNumber(seed, 0, 0xffffffff)) throw new ConformSetupError(`seed must be a whole number from 0 to 4294967295 (got ${shownOption(seed)})`);
  const bodyLimit = options.bodyLimit ?? GRAPH_BODY_LIMIT;
  if (!isWholeNumber(bodyLimit, MIN_BODY_LIMIT, MAX_BODY_LIMIT)) {
    throw new ConformSetupError(`the body limit must be a whole number of bytes from ${MIN_BODY_LIMIT} to ${MAX_BODY_LIMIT} (got ${shownOption(bodyLimit)})`);
  }
  const maxThrottleWaitMs = options.maxThrottleWaitMs ?? DEFAULT_MAX_THROTTLE_WAIT_MS;
  const waitProblem = maxThrottleWaitProblem(maxThrottleWaitMs);
  if (waitProblem) throw new ConformSetupError(waitProblem);
  const enabled = enabledChecks(options);
  checkWhole(options.maxRequests, 'the most requests (--max-requests)', 1);
  checkWhole(options.maxFindings, 'the most findings of a check (--max-findings)', 1);
  const badNumber = millisecondsOptionProblem('timeoutMs', options.timeoutMs) ?? wholeOptionProblem('concurrency', options.concurrency, 1);
  if (badNumber) throw new ConformSetupError(badNumber);
  if (options.timeBudgetMs !== undefined && !(isNumberFrom(options.timeBudgetMs, 0, Infinity) && options.timeBudgetMs > 0)) throw new ConformSetupError(`the time budget (--time-budget) must be above 0 s (got ${typeof options.timeBudgetMs === 'number' ? `${options.timeBudgetMs / 1000} s` : shownOption(options.timeBudgetMs)})`);
  try {
    checkExtraHeaders(options.headers ?? {});
  } catch (error) {
    if (error instanceof HeaderOptionError) throw new ConformSetupError(error.message);
    throw error;
  }
  const extraNames = Object.keys(options.headers ?? {}).map((n) => n.toLowerCase());
  for (const f of [...(options.replay?.findings ?? []), ...(options.replay?.notShown ?? [])]) {
    const missing = (f.replay.extraHeaders ?? []).find((n) => !extraNames.includes(n.toLowerCase()));
    if (missing) throw new ConformSetupError(`the findings of ${options.replay!.file} were sent with the header ${missing}: give it again (--header ${missing}=VALUE)`);
  }
  const unfit = bearerProblem(options.bearer);
  if (unfit) throw new ConformSetupError(`--bearer: ${unfit}`);
  const profile = options.profile ?? DEFAULT_PROFILE;
  if (!PROFILES.includes(profile)) throw new ConformSetupError(`profile must be one of ${PROFILES.join(', ')} (got ${shownOption(profile)})`);
  const publicHosts = (options.publicHosts ?? []).map((host) => publicHostOf(host, '--public-host', (message) => new ConformSetupError(message)));
  let target: URL | undefined;
  if (options.providerBaseUrl !== undefined) {
    target = baseUrlOf(options.providerBaseUrl, '--provider-base-url', (message) => new ConformSetupError(message));
  }
  const embedded = target ? undefined : await startReferenceProvider({ bodyLimit });
  // Like verify: the embedded reference provider answers /v1.0/... by v1.0, no prefix by beta.
  const base = (urlText(options.providerBaseUrl) ?? `${embedded!.url}${profile === DEFAULT_PROFILE ? '' : `/${profile}`}`).replace(/\/+$/, '');
  const client = new Client({ timeoutMs: options.timeoutMs ?? 10_000, sockets: options.concurrency ?? 16, trust: options.trust });
  // What is printed or written names the provider without credentials (src/net's publicUrl).
  const shown = publicUrl(base);
  const clock = options.clock ?? systemClock;
  // The budget is the run's time, throttling waits included, on the clock they are waited by.
  const deadline = options.timeBudgetMs === undefined ? Infinity : clock.now() + options.timeBudgetMs;
  const throttle = new Throttle(maxThrottleWaitMs, 'conform', clock);
  // The caller's abort drops the requests in flight at once (a provider's answer is not awaited for nothing) and
  // ends the run's own signal, which each worker's throttling wait listens to (one listener on the caller's).
  const interrupt = new AbortController();
  setMaxListeners(0, interrupt.signal);
  const abandon = () => {
    client.abandon();
    interrupt.abort();
  };
  if (options.signal?.aborted) abandon();
  else options.signal?.addEventListener('abort', abandon, { once: true });
  const ctx: Context = { client, clock, throttle, auth: { answered: 0, refused: 0, challenges: [] }, profile, base, bearer: options.bearer ?? 'conform-access-token', readBack: false, ids: new Map(), requests: 0, headers: { ...options.headers }, enabled, publicHosts, takesAnyToken: options.schemaTokens === true, signal: interrupt.signal, budgetLeftMs: () => deadline - clock.now(), ...(options.timeBudgetMs !== undefined ? { budget: `--time-budget ${options.timeBudgetMs / 1000} s` } : {}) };
  // The budget (--max-requests, --time-budget): a case starts only when its requests fit (a create and its read-back).
  let reserved = 0;
  let stopped: string | undefined;
  const fits = (cost: number): boolean => {
    if (stopped) return false;
    if (ctx.signal?.aborted) stopped = 'interrupted';
    else if (options.maxRequests !== undefined && ctx.requests + reserved + cost > options.maxRequests) stopped = `--max-requests ${options.maxRequests} reached`;
    else if (clock.now() >= deadline) stopped = `--time-budget ${options.timeBudgetMs! / 1000} s spent`;
    return stopped === undefined;
  };
  const cannotAuthenticate = () => {
    // Refused with a challenge for another scheme than Bearer: the bearer is not what was refused (outside attacker K12).
    const notBearer = challengeQuestion(ctx.auth.challenges, Object.keys(options.headers ?? {}));
    if (notBearer) return new ConformSetupError(`the provider at ${shown} refused every request with 401 or 403: ${notBearer}`);
    return new ConformSetupError(
      options.bearer === undefined
        ? `the provider at ${shown} refused every request with 401 or 403: conform could not authenticate; give an access token with --bearer "$TOKEN"`
        : `the provider at ${shown} refused the access token given with --bearer on every request (401 or 403): is it expired, or for another tenant, audience or permission (DeviceManagementServiceConfig.ReadWrite.All)?`,
    );
  };
  try {
    // Is the provider there, and does it answer GET? One request tells both.
    const probeRequest: HttpRequest = { method: 'GET', url: new URL(`${base}${VPP_TOKENS_PATH}`), headers: { Authorization: `Bearer ${ctx.bearer}`, Accept: 'application/json' } };
    const probe = await send(ctx, probeRequest, true);
    if (probe.fault?.kind === 'unreachable') throw new ConformSetupError(`${probe.fault.message}: is the provider running at ${shown}?`);
    // Every request would fail the same way: say it once, with what to do (--ca or --insecure).
    if (probe.fault?.kind === 'tls') throw new ConformSetupError(probe.fault.message);
    // A provider that does not answer at all would make every request wait for its timeout.
    if (probe.fault?.kind === 'timeout') throw new ConformSetupError(`the provider at ${shown} accepts connections but did not answer GET ${VPP_TOKENS_PATH}: ${probe.fault.message}`);
    const listed = probe.answer?.status === 200 && Array.isArray((probe.answer.json?.value as { value?: unknown } | undefined)?.value);
    // A 200 the one reader refuses (a name twice, nested too deep) is said with why: "got 200" alone reads as a pass.
    const unread = probe.answer?.status === 200 && !probe.answer.json ? readAnswer(probe.answer).problems.find((p) => p.part === 'body') : undefined;
    const got = probe.answer ? `got ${probe.answer.status}${unread ? ` with a body no strict reader takes: ${whereOf(unread)} ${unread.message}` : ''}` : probe.fault!.message;
    const readBackReason = listed ? undefined : `the provider does not answer GET ${VPP_TOKENS_PATH} (${got})`;
    ctx.readBack = listed && enabled.has('read-back');

    let drawn: Drawn[];
    if (options.replay) {
      // The report's requests, exactly: each its own one-case family, not shrunk again.
      // A replay's creates carry new sTokens (a provider that took them in the run refuses them again, K17): from a
      // nonce of this replay, so a second replay against the same provider is new again.
      const nonce = randomUUID();
      drawn = replayed(options.replay).map((f, i) => {
        const c = withNewToken(caseOfFinding(f), `${nonce}:${i}`);
        return { family: { name: f.family, kind: c.kind, arbitrary: fc.constant(c), count: 1 }, familyIndex: i, seed: 0, index: 0, case: c };
      });
    } else {
      const familyList = allFamilies({ runs, perFamily: Math.max(1, Math.floor(runs / 100)), seed, bodyLimit, graphsLimit: options.bodyLimit === undefined, profile, schemaTokens: options.schemaTokens });
      drawn = familyList.flatMap((family, familyIndex) => {
        const fseed = familySeed(seed, family.name);
        return drawFamily(family, fseed, family.count).map((c, index) => ({ family, familyIndex, seed: fseed, index, case: c }));
      });
      // A case no chosen check judges is not sent (decision 0700): read-back alone sends no request to refuse.
      drawn = drawn.filter((d) => judgesCase(enabled, d.case));
      // Under a budget, every kind and family gets its turn: a valid, an invalid and a transport case in turn, each
      // kind's families taking turns in theirs (the first case of each, then the second, ...).
      if (options.maxRequests !== undefined || options.timeBudgetMs !== undefined) drawn = takingTurns(drawn);
    }
    const total = drawn.length;
    // Refused on GET: try one create before sending hundreds that would all be refused.
    const refused = (o: Outcome) => o.answer?.status === 401 || o.answer?.status === 403;
    if (refused(probe)) {
      const first = drawn[0].case;
      const tried = await send(ctx, { method: 'POST', url: new URL(`${base}${VPP_TOKENS_PATH}`), headers: withBearer(first.headers, ctx.bearer), body: first.body }, true);
      if (refused(tried)) throw cannotAuthenticate();
    }
    // Nothing before the creates would show the provider keeps connections (read-back's GETs do, from the first valid
    // create on): the probe once more on its connection, so that creates reuse connections (decision 1200). Only when
    // there are creates to gain by it, and it takes no case's place under --max-requests.
    const room = options.maxRequests === undefined || ctx.requests + 1 + drawn.length <= options.maxRequests;
    if (!ctx.readBack && drawn.length > 1 && room && clock.now() < deadline) await proveKeptConnections(ctx, probeRequest);
    const all = await pool(drawn, options.concurrency ?? 16, async (d) => {
      const cost = d.case.kind === 'valid' && ctx.readBack ? 2 : 1;
      if (!fits(cost)) return undefined;
      reserved += cost;
      try {
        return await judge(d.case, ctx);
      } catch (error) {
        // Interrupted while it waited out a throttling: not sent, so not judged, as a case past the budget.
        if (error instanceof Interrupted) return undefined;
        // Throttled past the time budget: the run ends there, this case not judged (its answer was a throttling).
        if (error instanceof BudgetSpent) {
          stopped ??= error.message;
          return undefined;
        }
        throw error;
      } finally {
        reserved -= cost;
      }
    });
    if (ctx.signal?.aborted) stopped ??= 'interrupted';
    drawn = drawn.filter((_, i) => all[i] !== undefined);
    const judged = all.filter((j): j is Judged => j !== undefined);
    if (ctx.auth.answered > 0 && ctx.auth.refused === ctx.auth.answered) throw cannotAuthenticate();
    // A budget spent before the first request was judged has tested nothing: not a pass (outside tester H22).
    if (judged.length === 0 && stopped) throw new ConformSetupError(`conform judged no request: ${stopped} before the first one could be sent and judged${stopped === 'interrupted' ? '' : '; give a larger budget'}`);
    const notes: string[] = [];

    // Interrupted, the collection is not read either: the caller asked for no more requests.
    const noMoreRequests = stopped?.startsWith('--max-requests') || stopped === 'interrupted';
    if (ctx.readBack && noMoreRequests) notes.push(`the collection was not read: ${stopped}`);
    if (ctx.readBack && !noMoreRequests) {
      const createdIds = new Set(judged.filter((j) => j.id !== undefined && !j.problems.some((p) => p.check === 'unique id')).map((j) => j.id!.toLowerCase()));
      const { ids, problem, echoed, cut, answered, read } = await listIds(ctx, createdIds, options.requireReadBack === true).catch((error: unknown) => {
        if (!(error instanceof Interrupted) && !(error instanceof BudgetSpent)) throw error;
        const why = error instanceof BudgetSpent ? error.message : 'interrupted';
        stopped ??= why;
        return { ids: new Set<string>(), problem: undefined, echoed: undefined, cut: `the collection was not read to its end: ${why}`, answered: [] as RunProblem[], read: undefined };
      });
      if (cut) notes.push(cut);
      // A problem of the collection as a whole stands at the first request that created something.
      const first = Math.max(0, judged.findIndex((j) => j.id !== undefined));
      if (echoed && ctx.enabled.has('credentials not echoed')) judged[first].problems.push({ check: 'credentials not echoed', ...atReadBack('collection'), message: echoed });
      judged[first].problems.push(...answered.filter((p) => ctx.enabled.has(p.check)));
      const missing = cut ? -1 : judged.findIndex((j) => j.id !== undefined && createdIds.has(j.id.toLowerCase()) && !ids.has(j.id.toLowerCase()));
      if (problem) {
        judged[first].problems.push({ check: 'read-back', ...atReadBack('collection'), message: problem, ...(read ? { readAnswer: read } : {}) });
      } else if (missing >= 0) {
        const notListed = [...createdIds].filter((id) => !ids.has(id)).length;
        judged[missing].problems.push({ check: 'read-back', ...atReadBack('collection'), message: `GET ${VPP_TOKENS_PATH} must list every created vppToken: ${judged[missing].id} is not listed (${notListed} of ${createdIds.size} are not)` });
      }
    }

    // Each distinct failure (its check, its place, the family its request was drawn from: two families failing a check
    // at one place may be two bugs, outside tester J15) is a finding, at most `perCheck` of a check shown and shrunk.
    const perCheck = options.maxFindings ?? DEFAULT_FINDINGS_PER_CHECK;
    const { shown: first, hidden } = distinctFailures(judged, drawn, perCheck);
    const findings = await Promise.all(
      first.map(async ({ key, i }) => {
        const d = drawn[i];
        // The collection is read once per run; a request that got no answer in time would wait again per try.
        const notShrunk = options.replay
          ? 'replayed as the report gave it'
          : stopped
            ? `${stopped}: no requests left to shrink with`
            : key.endsWith('\u0000collection')
              ? 'the collection is read once per run'
              : judged[i].outcome.fault?.kind === 'timeout'
                ? 'every try would wait for the timeout'
                : undefined;
        const shrunk = notShrunk ? undefined : await shrink(d, key, ctx);
        if (shrunk) return findingOf(d, shrunk.case, shrunk.judged, key, ctx, shrunk.shrinks, true);
        return { ...findingOf(d, d.case, judged[i], key, ctx, 0, notShrunk !== undefined), ...(notShrunk ? { notShrunk } : {}) };
      }),
    );
    if (ctx.signal?.aborted) stopped ??= 'interrupted';
    // The failures past the cap: each its first request, not shrunk, kept for --replay.
    const notShown = hidden.map(({ key, i, why }) => ({ ...findingOf(drawn[i], drawn[i].case, judged[i], key, ctx, 0, true), notShrunk: `not shown: ${why}` }));
    notShown.sort((a, b) => CONFORM_CHECKS.indexOf(a.check) - CONFORM_CHECKS.indexOf(b.check));
    findings.sort((a, b) => CONFORM_CHECKS.indexOf(a.check) - CONFORM_CHECKS.indexOf(b.check));

    const judgedBy = (check: ConformCheck): number => {
      if (check === 'values back' || check === 'unique id' || check === 'read-back') return drawn.filter((d) => d.case.kind === 'valid').length + (check === 'read-back' ? 1 : 0);
      if (check === 'negative data rejected') return drawn.filter((d) => d.case.kind !== 'valid').length;
      return drawn.length;
    };
    const checks: CheckSummary[] = CONFORM_CHECKS.map((check) => {
      if (!enabled.has(check)) return { check, judged: 0, failed: 0, skipped: 'not selected (--checks, --exclude-checks)' };
      return {
        check,
        judged: check === 'read-back' && !ctx.readBack ? 0 : judgedBy(check),
        failed: judged.filter((j) => j.problems.some((p) => p.check === check)).length,
        ...(notShown.some((f) => f.check === check) ? { notShown: notShown.filter((f) => f.check === check).length } : {}),
        ...(check === 'read-back' && !ctx.readBack ? { skipped: readBackReason } : {}),
      };
    });
    const readBackFails = !ctx.readBack && options.requireReadBack === true && enabled.has('read-back');
    if (readBackFails) checks.find((c) => c.check === 'read-back')!.failed = 1;
    const passed = checks.every((c) => c.failed === 0);
    // A failure counts its status only when the status is what failed (a valid create refused): a negative case
    // answered the 401 or 415 it asks for and failed for its headers or body says nothing of the set-up (outside
    // attacker L3), as verify counts only Pact's status mismatches.
    // One that failed for something else is no exception when it got the same status as every other (outside attacker R112).
    const failedJudged = judged.filter((j) => j.problems.length > 0);
    const failedStatuses = failedJudged.filter((j) => j.problems.some((p) => p.where === 'status')).map((j) => j.outcome.answer?.status);
    const otherStatuses = failedJudged.filter((j) => !j.problems.some((p) => p.where === 'status')).map((j) => j.outcome.answer?.status);
    const cause = passed ? undefined : likelyCause(failedStatuses, refusalQuestions(targetQuestions('--provider-base-url'), ctx.auth.challenges, Object.keys(options.headers ?? {})), judged.length, otherStatuses);
    const selected = (list: readonly string[] | undefined, option: string) => (list?.length ? [`${option} '${list.join(',')}'`] : []);
    const rerun = [
      'vppkit conform',
      ...(options.replay ? [`--replay ${options.replay.file}`] : []),
      ...(options.providerBaseUrl ? [`--provider-base-url ${shown}`] : []),
      ...(options.bearer ? ['--bearer "$TOKEN"'] : []),
      ...Object.keys(ctx.headers).map((name) => `--header "${name}=${headerVariable(name)}"`),
      ...publicHosts.map((host) => `--public-host ${host}`),
      ...(options.replay ? [] : [...(profile === DEFAULT_PROFILE ? [] : [`--profile ${profile}`]), `--seed ${seed}`, `--runs ${runs}`]),
      ...selected(options.checks, '--checks'),
      ...selected(options.excludeChecks, '--exclude-checks'),
      ...(options.maxRequests !== undefined ? [`--max-requests ${options.maxRequests}`] : []),
      ...(options.maxFindings !== undefined ? [`--max-findings ${options.maxFindings}`] : []),
      ...(options.timeBudgetMs !== undefined ? [`--time-budget ${options.timeBudgetMs / 1000}`] : []),
      ...(options.requireReadBack ? ['--require-read-back'] : []),
      ...(options.bodyLimit === undefined ? [] : [`--body-limit ${bodyLimit}`]),
      ...(options.schemaTokens ? ['--schema-tokens'] : []),
    ].join(' ');
    const result: ConformResult = {
      passed,
      seed,
      runs,
      profile,
      providerBaseUrl: shown,
      embedded: embedded !== undefined,
      requests: ctx.requests,
      cases: drawn.length,
      durationMs: Date.now() - started,
      readBack: { supported: ctx.readBack, ...(readBackReason ? { reason: readBackReason } : {}) },
      throttling: throttle.throttling,
      bodyLimit,
      checks,
      findings,
      maxFindings: perCheck,
      notShown,
      notes,
      rerun,
      ...(stopped ? { stopped: `${stopped}: ${drawn.length} of ${total} requests judged` } : {}),
      ...(options.replay ? { replayed: drawn.length } : {}),
      ...(cause ? { likelyCause: cause } : {}),
      summary: '',
    };
    result.summary = summaryLine(result);
    return result;
  } catch (error) {
    if (error instanceof ThrottledTooLong) throw new ConformSetupError(error.message);
    if (error instanceof Interrupted) throw new ConformSetupError('conform was interrupted before it judged a request');
    if (error instanceof BudgetSpent) throw new ConformSetupError(`conform judged no request: ${error.message}; give a larger budget`);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', abandon);
    client.close();
    await embedded?.close();
  }
}
