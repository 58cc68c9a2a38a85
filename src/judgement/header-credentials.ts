// A request's credentials in its other header lines (outside finding M8; decision 0332), and what a writer hides of them.
import { holdsSecret, holdsSToken, isPlainHeader, type Secrets } from '../net/redact';
import { readAppleSToken } from '../validation';
import { partOfOwnData, sentHeaderValues, worthLookingFor, type AnswerContext } from './graph-model';
import { atHeader, atHeaderLine, bearerTokenOf, singleHeader, type HeaderLine, type Placed } from '../wire';

/**
 * The request's credentials in a header line other than its Authorization: the bearer goes in Authorization only
 * (RFC 6750 §2.1), the VPP token in the create's body only. Any other field is one Graph and every proxy on the way
 * log, and Graph answers `client-request-id` back as sent: a credential there is the client's leak (RFC 6750 §5.3),
 * never the provider's echo. Found in any spelling the redaction knows (`holdsSecret`), and any sToken by what every
 * sToken holds (`holdsSToken`); `tokens` are the VPP tokens the request sends: a create's, or those of the requests
 * inside a JSON batch (decision 0346); `others` access tokens sent with the request besides its own, and what a line
 * that holds one is told (decision 0540): the batch's, for a request inside it that gives its own (OF_THE_BATCH), or
 * those of the requests inside a batch that give their own, for the batch's head (OF_A_REQUEST_INSIDE). Never shown. A
 * field whose name holds one is placed by its line.
 */
export function headerCredentialProblems(lines: readonly HeaderLine[], tokens: readonly string[] = [], others?: { bearers: readonly (string | undefined)[]; said: string }): (Placed & { message: string })[] {
  // `Bearer undefined` carries no credential (worthLookingFor: a word for no value is not looked for), so `X-Trace: undefined` leaks none (P9).
  const bearer = bearerTokenOf(lines.find((l) => l.name.toLowerCase() === 'authorization')?.value);
  const where = "Graph and the proxies on its way log a request's other header fields, and Graph answers client-request-id back as sent (RFC 6750 §5.3)";
  const problems: (Placed & { message: string })[] = [];
  lines.forEach((line, i) => {
    if (line.name.toLowerCase() === 'authorization') return;
    // Host names the server the request goes to (RFC 9110 §7.2), which every request sends: a bearer that is part of
    // it is part of the request's own address (`Bearer 127.0.0.1` to a local mock), not put there (decision 0770).
    const address = line.name.toLowerCase() === 'host';
    const holds = (text: string): string | undefined =>
      tokens.some((token) => worthLookingFor(token) && holdsSecret(text, token)) || holdsSToken(text)
        ? "holds a VPP token (not shown): it goes in the create's body only"
        : !address && worthLookingFor(bearer) && holdsSecret(text, bearer)
          ? "holds the request's bearer token (not shown): it goes in the Authorization header only"
          : !address && others?.bearers.some((other) => worthLookingFor(other) && holdsSecret(text, other))
            ? others.said
            : undefined;
    const byName = holds(line.name);
    const byValue = byName ?? holds(line.value);
    if (byValue !== undefined) problems.push({ ...(byName !== undefined ? atHeaderLine(i + 1) : atHeader(line.name)), message: `${byValue}; ${where}` });
  });
  return problems;
}

/** What a request inside a JSON batch that gives its own Authorization is told of the batch's bearer in another of its lines (decision 0540). */
export const OF_THE_BATCH = "holds the bearer token of the JSON batch that carries the request (not shown): it goes in the batch's Authorization header only";
/** What a JSON batch is told of the bearer of a request inside it (one that gives its own) in a line of the batch's head (decision 0540). */
export const OF_A_REQUEST_INSIDE = "holds the bearer token of a request inside the batch (not shown): it goes in that request's own Authorization only";

/**
 * The values of a request's header lines that may be credentials, to hide wherever else the request shows them (its
 * path, its query, a problem): an Authorization's token without its scheme, and the value (a bearer's token without
 * its scheme) of any field not known to carry none (isPlainHeader: a list of credential names always misses one,
 * outside tester I1), each when it could be told from chance (worthLookingFor: `X-Debug: true` is no key, and
 * `Bearer token` no access token; hiding either would hide it in every message and every answer). One rule for a
 * request, each request inside a JSON batch (decision 0345) and the header fields a user adds (addedHeaderSecrets).
 */
export const headerSecretValues = (lines: readonly HeaderLine[]): string[] => credentialLines(lines).map((line) => line.value);

/**
 * The header lines of a request that carry a credential, each with the credential alone as its value (headerSecretValues'
 * rule: a field not known to carry none, a value worth looking for, a bearer's token without its scheme). What a
 * writer hides is what the judgement of an answer looks for (credentialEchoProblems' `headerCredentials`, decision
 * 0860: a gateway key the provider writes into its answer is echoed as a bearer is).
 */
export function credentialLines(lines: readonly HeaderLine[]): HeaderLine[] {
  return lines.flatMap((line) => {
    if (isPlainHeader(line.name)) return [];
    const value = bearerTokenOf(line.value) ?? line.value.trim();
    return worthLookingFor(value) ? [{ name: line.name, value }] : [];
  });
}

/**
 * What the judgement of an answer knows of its request by the request's header lines (AnswerContext): its one
 * Authorization, the values it sent (its own data, as `client-request-id` comes back) and the credentials of its other
 * lines (credentialLines). One reading for every answer judged with its request's lines: a create's (check-client, the
 * proxy) and a read's (conform's read-back and pages, the proxy's reads: decision 0900).
 */
export const answerContextOfLines = (lines: readonly HeaderLine[]): Pick<AnswerContext, 'authorization' | 'sentHeaders' | 'headerCredentials'> => ({
  authorization: singleHeader(lines, 'Authorization'),
  sentHeaders: sentHeaderValues(lines),
  headerCredentials: credentialLines(lines),
});

/**
 * The values of the header fields a user added (`--header`, `headers`) that are hidden wherever they appear: those
 * headerSecretValues takes of a request's own lines (`Prefer: omit-values=nulls` is shown as it is, a gateway's
 * `Ocp-Apim-Subscription-Key` hidden, `Ocp-Apim-Trace: true` not looked for). verify, conform and seed (decision 0682,
 * 0740).
 */
export const addedHeaderSecrets = (headers: Readonly<Record<string, string>> | undefined): string[] =>
  headerSecretValues(Object.entries(headers ?? {}).map(([name, value]) => ({ name, value })));

/**
 * The credentials a run was given, as its writers hide them (decision 0740): its bearer (`--bearer`) and any other
 * credential (a broker's token and password, a create's VPP token) when each could be told from chance
 * (worthLookingFor), and the values of the header fields it adds (addedHeaderSecrets).
 */
export function givenSecrets(given: { bearer?: string; headers?: Readonly<Record<string, string>>; others?: readonly (string | undefined)[] }): Secrets {
  const bearer = worthLookingFor(given.bearer) ? given.bearer : undefined;
  return { ...(bearer === undefined ? {} : { bearer }), values: [...addedHeaderSecrets(given.headers), ...(given.others ?? []).map((value) => (worthLookingFor(value) ? value : undefined))] };
}

/**
 * The run's credentials a writer hides in one answer (decision 0770): those that are not part of the data of its
 * exchange (`own`, ownDataOf: what the request sent, its sToken and any sToken the answer lists, with what each
 * holds). Where such a value's text stands in the answer it is that data, which the kit's judgement does not call an
 * echo; hiding it there rewrote the data Pact compares (outside tester Y3, Y9: `--bearer Partners` or `--header
 * X-Api-Key=Partners` made the reference provider's "Rau Partners" `Rau [bearer]`, and Pact failed it).
 */
export function secretsBeyondOwnData(secrets: Secrets, own: readonly string[]): Secrets {
  // A VPP token is a credential wherever it stands, and so is its token proper, or a part of it: never left.
  const inner = own.map((text) => readAppleSToken(text)?.token).filter((token): token is string => token !== undefined);
  const vppCredential = (value: string) => holdsSToken(value) || inner.some((token) => holdsSecret(token, value) || holdsSecret(value, token));
  const beyond = (value: string | undefined) => (value !== undefined && partOfOwnData(own, value) && !vppCredential(value) ? undefined : value);
  const bearer = beyond(secrets.bearer);
  const { bearer: _given, ...rest } = secrets;
  return { ...rest, ...(bearer === undefined ? {} : { bearer }), ...(secrets.values ? { values: secrets.values.map(beyond) } : {}) };
}
