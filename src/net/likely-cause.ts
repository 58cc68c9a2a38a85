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
 * of 17) got 404`; a lone failure among several requests is no pattern and says nothing.
 */
export function likelyCause(statuses: readonly (number | null | undefined)[], questions: CauseQuestions, sent = statuses.length): string | undefined {
  if (statuses.length === 0 || statuses.some((s) => s !== statuses[0])) return undefined;
  if (statuses.length === 1 && sent > 1) return undefined;
  const status = statuses[0];
  if (typeof status !== 'number' || !(SET_UP_STATUSES as readonly number[]).includes(status)) return undefined;
  const question = questions[status as SetUpStatus];
  if (question === undefined) return undefined;
  const which = statuses.length < sent ? `every request that failed (${statuses.length} of ${sent})` : 'every request';
  return `${which} got ${status}: ${question}`;
}

/** The questions for a command that sends to a URL given by `option` (seed's --target, verify's and conform's --provider-base-url). */
export function targetQuestions(option: string, bearerOption = '--bearer'): CauseQuestions {
  const token = `is ${bearerOption} a valid access token for this target, with DeviceManagementServiceConfig.ReadWrite.All?`;
  // A redirect on every request is the URL: vppkit follows none (Graph answers a create itself, and a redirect would
  // judge another server's answer, or send the request's credentials to it; outside finding K9).
  const redirect = `the target redirects (its Location says where), and vppkit follows no redirect: is ${option} the URL that answers itself (https rather than http, its host and base path as the target names them)?`;
  return {
    301: redirect,
    302: redirect,
    303: redirect,
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
 */
export function challengeQuestion(challenges: readonly (string | undefined)[]): string | undefined {
  if (challenges.length === 0 || challenges.some((value) => value === undefined || value.trim() === '')) return undefined;
  const schemes = new Set(challenges.flatMap((value) => challengeSchemes([{ name: 'WWW-Authenticate', value: value! }])));
  if (schemes.size === 0 || schemes.has('bearer')) return undefined;
  // API Management names the header its key goes in (`name="Ocp-Apim-Subscription-Key"`); a field name is a token.
  const named = challenges.map((value) => /(?:^|[\s,])name\s*=\s*"?([!#$%&'*+.^_`|~0-9A-Za-z-]+)"?/i.exec(value!)?.[1]).find((name) => name !== undefined);
  return `the target challenges for ${[...schemes].join(', ')}, not Bearer (WWW-Authenticate, RFC 9110 §11.6.1): it wants another credential than the access token, such as a gateway's key; give it with --header "${named ?? '<Header-Name>'}=$KEY"`;
}
