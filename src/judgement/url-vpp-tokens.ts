// A VPP token in the request's URL (outside finding M20, decision 0340): the query's rule (outside testers G15, L10)
// for the path too, and the client's own tokens, its Apple token inside included, known by knowing them.
import { holdsSecret, holdsSToken, isSToken, queryCredentialOf } from '../net/redact';
import { at, atBody, bodyStrings, type Placed } from '../wire';
import { ownBearerIn } from './own-bearer';
import { worthLookingFor } from './graph-model';
import { readRequestTarget } from './target';

/** The words of every VPP token found in a URL: `where` is `path` or `query`, `name` the query parameter. */
const vppTokenInUrl = (where: 'path' | 'query', name?: string): string =>
  `The ${where} carries a VPP token${name === undefined ? '' : ` in '${name}'`}: send it only in the body (a URL ends up in logs). The value is not shown.`;

/** Whether a text holds an sToken by what every sToken is or holds, whoever's it is (`isSToken`, `holdsSToken`). */
const holdsAnySToken = (text: string): boolean => isSToken(text.trim()) || holdsSToken(text);

/**
 * The problem of a URL part that holds an Apple sToken, found by its mark (any sToken, or the start of one, in any
 * letter case or percent-encoded), or undefined. The mock refuses it with 400, check-client, the proxy and compare fail
 * it, in these words: Graph takes the VPP token in a create's body only, and a URL ends up in logs (RFC 6750 §5.3's
 * reason for a bearer). The value is never shown.
 */
export function vppTokenIn(where: 'path' | 'query', texts: readonly string[], name?: string): string | undefined {
  return texts.some(holdsAnySToken) ? vppTokenInUrl(where, name) : undefined;
}

/**
 * The credential a query parameter carries, in the words the mock refuses it with (400), or undefined: an
 * `access_token`, a `Bearer …` value under any name, an sToken by its mark in its name or value (decision 0340), the
 * request's own access token without its scheme (0327), or the JSON batch's inside a request of it (0612). RFC 6750
 * §2.3: Graph takes the bearer in the Authorization header only, the VPP token in the body only, and a URL is logged
 * where a header or a body is not. The one rule of the mock's and check-client's reading of a query (judgeQueryOptions)
 * and the proxy's of a request it judges nothing else of (urlCredentials, decision 0683). The value is never shown.
 */
export function queryCredentialProblem(rawName: string, value: string, ownBearer?: string, batchBearer?: string): string | undefined {
  // The same credential under another name is the same leak (outside tester G15): a value that is or holds a
  // Bearer credential or an Apple sToken, a $filter that compares with one included (outside tester L10).
  const credential = queryCredentialOf(rawName, value);
  if (credential?.kind === 'access_token') return 'The query carries an access_token: send the bearer only in the Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown.';
  if (credential?.kind === 'bearer') return `The query carries a bearer in '${rawName}': send it only in the Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown.`;
  // An sToken in the parameter's value or its name (`?<sToken>`), by its mark, as in the path (decision 0340).
  return vppTokenIn('query', [rawName, value], rawName) ?? ownBearerIn('query', [rawName, value], ownBearer, rawName) ?? ownBearerIn('query', [rawName, value], batchBearer, rawName, 'batch');
}

/**
 * The client's own VPP tokens in a request's URL, known by knowing them (`tokens`: the tokens it sent), in any spelling
 * the redaction knows (`holdsSecret`: as sent, percent- or base64-encoded, a run of 24 characters of it, and the Apple
 * token inside an sToken, which no mark tells from other text): the path, and each query parameter's name and value.
 * The client's leak, judged by check-client's verdict and the proxy's, never the mock's answer: Graph reads such a URL
 * as any other text and answers it (decision 0340, as 0332 for a header). A part that holds an sToken by its mark is
 * left to vppTokenIn, which the mock runs. A token too short to tell from chance, or a word of the contract or the
 * route, is not looked for (worthLookingFor, as the request's own bearer: decision 0327).
 */
export function urlVppTokenProblems(target: string, tokens: readonly (string | undefined)[]): (Placed & { message: string })[] {
  const known = [...new Set(tokens)].filter((token): token is string => token !== undefined && worthLookingFor(token));
  if (known.length === 0) return [];
  const holds = (texts: readonly string[]) => !texts.some(holdsAnySToken) && texts.some((text) => known.some((token) => holdsSecret(text, token)));
  const { rest, query } = readRequestTarget(target);
  const raw = target.split(/[?#]/)[0];
  const problems: (Placed & { message: string })[] = [];
  // The path decoded as Graph routes it, and as sent: `%2F` stays encoded in the one and `%2B` in the other.
  if (holds([rest, raw])) problems.push({ ...at('path'), message: vppTokenInUrl('path') });
  // Each parameter decoded, and as sent: a `+` left unencoded in a token reads as a space once decoded.
  for (const pair of query.split('&')) {
    for (const [name, value] of new URLSearchParams(pair)) if (holds([name, value, pair])) problems.push({ ...at('query'), message: vppTokenInUrl('query', name) });
  }
  return problems;
}

/**
 * What a request's URL carries of a credential, the client's fault: in its path, its own access token (0327), inside a
 * JSON batch the batch's (`batchBearer`, 0612), or any sToken by its mark (0340); in its path and query, the client's
 * VPP tokens known by knowing them (urlVppTokenProblems), when `clientTokens` are given (not for a create, whose URL is
 * read for them with its body: credentialLeakProblems). check-client's reading of every request, and the proxy's of a
 * request it judges nothing else of (decision 0650, outside attacker R66: a read-back by the Apple token passed the
 * proxy, printed). `held` names the tokens of `clientTokens` found, which a line that shows the URL hides. With
 * `readQuery` (the proxy, which reads no query option of a read: decision 0683), the query's credentials too, by the
 * mock's rule (queryCredentialProblem: the first, as the mock refuses a read for it); check-client reads them with the
 * query's options (judgeQueryOptions), by the same rule.
 */
export function urlCredentials(requestTarget: string, bearer: string | undefined, clientTokens?: readonly string[], batchBearer?: string, readQuery = false): { problems: (Placed & { message: string })[]; held: string[] } {
  const { rest, query, problem } = readRequestTarget(requestTarget);
  if (problem) return { problems: [], held: [] };
  const inPath = ownBearerIn('path', [rest], bearer) ?? ownBearerIn('path', [rest], batchBearer, undefined, 'batch') ?? vppTokenIn('path', [rest]);
  let inQuery: string | undefined;
  if (readQuery) for (const [name, value] of new URLSearchParams(query)) if ((inQuery = queryCredentialProblem(name, value, bearer, batchBearer))) break;
  const known = clientTokens ? urlVppTokenProblems(requestTarget, clientTokens) : [];
  const held = known.length === 0 ? [] : [...new Set(clientTokens)].filter((token) => urlVppTokenProblems(requestTarget, [token]).length > 0);
  return { problems: [...(inPath ? [{ ...at('path'), message: inPath }] : []), ...(inQuery ? [{ ...at('query'), message: inQuery }] : []), ...known], held };
}

/**
 * Where the body of a create holds a VPP token outside its `token` (decision 0651, outside attacker R71: `displayName:
 * "ABM <its Apple token>"`, a label built from the wrong variable): any sToken by its mark, and the client's own
 * (`tokens`: the create's and, under check-client, every create's of its run) known by knowing it, the Apple token
 * inside included, in any spelling the redaction knows; each string but the token's own value, member names too. Graph
 * stores the vppToken's properties, answers them to every reader of the tenant's vppTokens and shows its name in the
 * Intune portal: the client's leak, judged by check-client's verdict and the proxy's (with the request's own access
 * token there, 0439), never refused by the mock (Graph creates it all the same). The value is never shown.
 */
export function bodyVppTokenProblems(text: string | undefined, tokens: readonly (string | undefined)[]): (Placed & { message: string })[] {
  if (text === undefined) return [];
  const known = [...new Set(tokens)].filter((token): token is string => token !== undefined && worthLookingFor(token));
  const places = bodyStrings(text).filter((s) => !s.other && !(s.pointer === '/token' && !s.name) && (holdsAnySToken(s.value) || known.some((token) => holdsSecret(s.value, token))));
  return places.map((s) => ({
    ...atBody(s.pointer),
    message: `${s.name ? 'has a member name that holds' : 'holds'} a VPP token: Graph stores the vppToken's properties, answers them to every reader of deviceAppManagement/vppTokens and shows its name in the Intune portal; send the token only in token. The value is not shown.`,
  }));
}
