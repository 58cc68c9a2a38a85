// When every request of a run failed the same way, the run says its likely cause once (issue 15 item 6): a 401
// on every request is the bearer, a 404 on every request the base path, not hundreds of findings to read
// through. One rule for verify, conform, seed and check-client; each command asks its own question, since each
// names its own option (or, for check-client, what the client must do).
import { challengeSchemes } from '../wire/headers';

/** The statuses a run's likely cause is said for: each is a failure of the whole run's set-up, not of one request. */
export const SET_UP_STATUSES = [301, 302, 303, 307, 308, 401, 403, 404, 405, 415] as const;
export type SetUpStatus = (typeof SET_UP_STATUSES)[number];

/** What to ask the person for each status, in the command's own words (its option names). */
export type CauseQuestions = Partial<Record<SetUpStatus, string>>;

/**
 * `every request got 404: <question>` when every failed request of a run (`statuses`: the status each got when the
 * status is what failed; null or undefined for none, or for a failure of something else, since a refusal the request
 * asked for that failed for its headers or body is no set-up failure) got the same status, that status is one of
 * SET_UP_STATUSES and `questions` asks about it; undefined otherwise (mixed statuses, a request with no answer, a status no question is asked for). When
 * the run sent more requests (`sent`) than failed, the line says how many failed: `every request that failed (16
 * of 17) got 404`; a lone failure among several requests is no pattern and says nothing. `others` holds the status
 * each failure of something else than its status got: with none of `statuses` they say nothing, and one of another
 * status breaks the pattern.
 */
export function likelyCause(statuses: readonly (number | null | undefined)[], questions: CauseQuestions, sent?: number, others: readonly (number | null | undefined)[] = []): string | undefined {
  if (statuses.length === 0 || statuses.some((s) => s !== statuses[0])) return undefined;
  // A failure for something else than its status (`others`: the status it got) says nothing alone (outside attacker
  // L3), but one that got the same status as every other failure is no exception to it (outside attacker R112: behind
  // a gateway the create that asks for a 401 got the gateway's 401 too, and failed for its challenge).
  if (others.some((s) => s !== statuses[0])) return undefined;
  const failed = statuses.length + others.length;
  const all = sent ?? failed;
  if (failed === 1 && all > 1) return undefined;
  const status = statuses[0];
  if (typeof status !== 'number' || !(SET_UP_STATUSES as readonly number[]).includes(status)) return undefined;
  const question = questions[status as SetUpStatus];
  if (question === undefined) return undefined;
  const which = failed < all ? `every request that failed (${failed} of ${all})` : 'every request';
  return `${which} got ${status}: ${question}`;
}

/** The questions for a command that sends to a URL given by `option` (seed's --target, verify's and conform's --provider-base-url). */
export function targetQuestions(option: string, bearerOption = '--bearer'): CauseQuestions {
  const token = `is ${bearerOption} a valid access token for this target, with DeviceManagementServiceConfig.ReadWrite.All?`;
  // A redirect on every request is the URL: vppkit follows none (Graph answers a create itself, and a redirect would
  // judge another server's answer, or send the request's credentials to it; outside finding K9).
  const redirect = `the target redirects (its Location says where), and vppkit follows no redirect: is ${option} the URL that answers itself (https rather than http, its host and base path as the target names them)?`;
  // A 303 See Other moves nothing: it says the request was processed and its result is another resource (RFC 9110
  // §9.3.3, §15.4.4), so it asks no question of the URL's scheme and host; on every request, a read too, it is a front
  // that sends each request elsewhere, such as a sign-in page (decision 1230, outside finding R141).
  const seeOther = `the target answers 303 See Other, which says the request was processed and points at another resource for its result (RFC 9110 §15.4.4), where Graph answers itself (201 Created to a create, 200 to a read), and vppkit follows no redirect: is ${option} the service itself, not a front that sends each request elsewhere (a sign-in page)?`;
  return {
    301: redirect,
    302: redirect,
    303: seeOther,
    307: redirect,
    308: redirect,
    401: token,
    403: token,
    404: `is the base path of ${option} right (such as https://graph.microsoft.com/beta, without /deviceAppManagement/vppTokens)?`,
    405: `is the base path of ${option} right (such as https://graph.microsoft.com/beta, without /deviceAppManagement/vppTokens)?`,
    415: `does the target take Content-Type: application/json?`,
  };
}

/**
 * What to ask when every refusal (401) challenged for another scheme than Bearer (RFC 9110 §11.6.1: the challenge
 * says which credentials the target wants; RFC 6750 §3 is Bearer's): the access token is not what was refused, a
 * gateway's key is (outside attacker K12: API Management's `AzureApiManagementKey ... name="Ocp-Apim-Subscription-Key"`).
 * `challenges` holds each 401's WWW-Authenticate value; undefined when one had none or any challenged for Bearer.
 * `given` names the headers the run sent with --header: when the challenge names one of them, that header was sent
 * and refused (a wrong, expired or other product's key), and is not asked for again, as the bearer's rule tells a
 * token given and refused from none given (outside attacker R115, decisions 0177, 0990).
 */
export function challengeQuestion(challenges: readonly (string | undefined)[], given: readonly string[] = []): string | undefined {
  if (challenges.length === 0 || challenges.some((value) => value === undefined || value.trim() === '')) return undefined;
  const schemes = new Set(challenges.flatMap((value) => challengeSchemes([{ name: 'WWW-Authenticate', value: value! }])));
  if (schemes.size === 0 || schemes.has('bearer')) return undefined;
  // API Management names the header its key goes in (`name="Ocp-Apim-Subscription-Key"`); a field name is a token.
  const named = challenges.map((value) => /(?:^|[\s,])name\s*=\s*"?([!#$%&'*+.^_`|~0-9A-Za-z-]+)"?/i.exec(value!)?.[1]).find((name) => name !== undefined);
  // Each scheme named as the challenge writes it (`AzureApiManagementKey`), not as compared (decision 1132).
  const written = [...schemes].map((scheme) => challenges.map((value) => new RegExp(`(?:^|[\\s,])(${scheme.replace(/[.*+?^$|\\]/g, '\\$&')})(?=[\\s,]|$)`, 'i').exec(value!)?.[1]).find((name) => name !== undefined) ?? scheme);
  const challenge = `the target challenges for ${written.join(', ')}, not Bearer (WWW-Authenticate, RFC 9110 §11.6.1)`;
  // A key asked in the query (API Management's `type="query"`): the kit sends no query on a base URL (decision 1132).
  const inQuery = named !== undefined && challenges.some((value) => /(?:^|[\s,])type\s*=\s*"?query"?(?=[\s,]|$)/i.test(value!));
  if (inQuery) return `${challenge} and asks its key ${named} in the query, which the kit does not send (a base URL takes no query): have the gateway read its key from a header (API Management: Ocp-Apim-Subscription-Key) and give it with --header, or point the target past the gateway`;
  // A challenge naming no header asks its credentials in Authorization (RFC 9110 §11.6.2), which carries the bearer:
  // the kit cannot send both, and --header cannot set it (decision 1132, outside finding R132).
  if (named === undefined) return `${challenge}: it asks its credentials in Authorization (RFC 9110 §11.6.2), which carries the access token, so the kit cannot send both; point the target at a URL that takes the Bearer access token, or at a gateway that reads its key from a header of its own, which --header can give`;
  // Field names are case-insensitive (RFC 9110 §5.1).
  const sent = given.find((name) => name.toLowerCase() === named.toLowerCase());
  if (sent !== undefined) return `${challenge} and names ${named}, which was given with --header and refused: is that key wrong, expired, or for another product or API of the gateway?`;
  return `${challenge}: it wants another credential than the access token, such as a gateway's key; give it with --header "${named}=$KEY"`;
}

/**
 * The questions of a run whose refusals (`challenges`: each 401's WWW-Authenticate) challenged for another scheme
 * than Bearer: its 401 asks about that credential (challengeQuestion), not the bearer. One rule for verify, conform
 * and seed (outside attacker R112: verify said nothing where conform and seed named the gateway's key).
 */
export function refusalQuestions(questions: CauseQuestions, challenges: readonly (string | undefined)[], given: readonly string[] = []): CauseQuestions {
  const notBearer = challengeQuestion(challenges, given);
  return notBearer ? { ...questions, 401: notBearer } : questions;
}
