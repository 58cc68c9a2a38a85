// What Graph's model says of a created vppToken beyond its schema (docs/decisions/0082): control information
// and headers that point at a resource point at this one, the service's own timestamp is plausible, and no
// credential the request carried comes back.
import { holdsSecret, holdsSToken, isSToken, secretFilterOf, secretSpellings } from '../net/redact';
import { GRAPH_JSON, VPP_TOKEN_TYPE } from '../graph/media';
import { PROFILES, loadSchemas } from '../schemas';
import { pointerSegment, readAppleSToken, tokenIdentity } from '../validation';
import { readMessageProblem, at, atBody, atHeader, atHeaderLine, atInterim, atTrailer, atTrailerLine, bearerTokenOf, bodyStrings, headerValues, isBearerCredentials, type BodyString, type HeaderLine, type Placed, type ReadMessage } from '../wire';
import type { AnswerProblem } from './answer-problem';
import { argumentProblem, refuseArguments } from '../net/option';
import { publicHostOf } from '../net/url';

/** What the judgement of an answer knows of its request and of the moment it came. */
export interface AnswerContext {
  /** The request's Authorization value: its bearer token must never come back. */
  authorization?: string;
  /** A request inside a JSON batch: the batch's Authorization value, whose bearer must never come back either (decision 0540). */
  batchAuthorization?: string;
  /** The request body as sent: its VPP token must not come back, but as the created vppToken's own `token`. */
  sent?: unknown;
  /** When the answer was received. Given, the 201's lastModifiedDateTime must lie within a day of it. */
  receivedAt?: Date;
  /**
   * The provider is said to take any token (conform's --schema-tokens): a 400 to a token that is no Apple sToken is
   * then its fault. Otherwise that refusal is fair, as Intune gives it (decision 0209).
   */
  takesAnyToken?: boolean;
  /**
   * The request's target URI (`<service root>/deviceAppManagement/vppTokens`). Given, a Location is resolved
   * against it, and it and @odata.context must be on its host, Graph's or a public host (resource-identity.ts).
   */
  target?: string | URL;
  /** Hosts the service names itself by behind a gateway (--public-host): a Location or @odata.context may name them. */
  publicHosts?: readonly string[];
  /**
   * The values of the request's header lines but its Authorization: the client's own, like its body's values. A
   * credential the client put there comes back in Graph's own echo (`client-request-id`): the client's leak
   * (headerCredentialProblems), not the provider's (decision 0332).
   */
  sentHeaders?: readonly string[];
  /**
   * The request's header lines that carry a credential besides Authorization, each with the credential alone
   * (credentialLines: a gateway key, a session; `--header X-Api-Key=...`): never to come back, as the bearer, and no
   * data of the request where they stand (decision 0860). An Authorization line here is left to `authorization`.
   */
  headerCredentials?: readonly HeaderLine[];
  /**
   * The values of the request's `Prefer` lines (RFC 7240): a create that asked `return=minimal` may be answered 204
   * No Content, one that asked `omit-values=nulls` a 201 without its null properties (decision 0590).
   */
  prefer?: readonly string[];
  /**
   * The values of the request's `OData-MaxVersion` lines: asked 4.01 or later, an answer may write control information
   * in OData 4.01's spelling (`@context`); otherwise it must write Graph's, `@odata.context` (decision 1220).
   */
  odataMaxVersion?: readonly string[];
}

/** The values of a request's header lines but its Authorization (AnswerContext's `sentHeaders`). */
export const sentHeaderValues = (lines: readonly HeaderLine[]): string[] => lines.filter((l) => l.name.toLowerCase() !== 'authorization').map((l) => l.value);

/** Credentials shorter than this are not looked for: an echo could not be told from chance. */
export const MIN_CREDENTIAL_LENGTH = 8;

/** What every URL to Graph's vppTokens may be written with: a bearer inside these words could not be told from the route. */
const ROUTE_WORDS = '/beta/v1.0/deviceAppManagement/vppTokens/$count/$batch/$metadata';

/**
 * A programming language's word for no value: `Bearer ${token}` with the token unset writes `undefined`, `null` or
 * `NaN` in JavaScript, `None` in Python (outside tester P9). No access token (Entra ID issues JWTs), so no secret to
 * hide or to look for either: the judgement says it, and Graph answers 401.
 */
const NO_VALUE_WORDS: ReadonlySet<string> = new Set(['undefined', 'null', 'NaN', 'None']);
export const isNoValueWord = (bearer: string | undefined): boolean => bearer !== undefined && NO_VALUE_WORDS.has(bearer);

/**
 * Whether a credential known by knowing it is looked for elsewhere in a request (its URL, its other header fields)
 * and hidden where the request is shown: not when shorter than MIN_CREDENTIAL_LENGTH (it could not be told from
 * chance), a language's word for no value, nor when it is, or is part of, a word of Graph's contract or of the route,
 * which a correct request holds anyway (`$filter=displayName eq 'x'`, `X-Debug: true`); in any spelling the redaction
 * knows, an sToken's inner token too. The one bound of every writer too (decision 0740): a value given as a
 * credential is hidden wherever its text stands only when it passes; below it, only where it stands as the credential
 * (an Authorization or other field's value, redactHeader; a create's `token`, redactJson).
 */
export const worthLookingFor = (credential: string | undefined): credential is string =>
  credential !== undefined && credential.length >= MIN_CREDENTIAL_LENGTH && !isNoValueWord(credential) && !holdsSecret(ROUTE_WORDS, credential) && contractWordHolding(credential) === undefined;

/** A word of Graph's contract, and what it is (said instead of the word: a credential that is one is never shown). */
interface ContractWord {
  text: string;
  what: string;
}

/**
 * The words of Graph's contract an answer carries whatever was asked: its media type, the type names and context
 * URL of each profile, and every property name, enum member and constant of the schemas (`business`,
 * `vppTokenAccountType`, `microsoft.graph`...). Read once, from the schemas themselves.
 */
let contractWords: ContractWord[] | undefined;
function wordsOfContract(): ContractWord[] {
  if (contractWords) return contractWords;
  const words = new Map<string, string>([
    [GRAPH_JSON, 'the media type Graph answers with'],
    [VPP_TOKEN_TYPE, "a vppToken's @odata.type"],
  ]);
  const add = (text: string, what: string) => void (words.has(text) || words.set(text, what));
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    if (isObject(node.properties)) for (const name of Object.keys(node.properties)) add(name, 'a property name of the contract');
    if (Array.isArray(node.enum)) for (const member of node.enum) if (typeof member === 'string') add(member, 'an enum member of the contract');
    if (typeof node.const === 'string') add(node.const, 'a constant of the contract');
    Object.values(node).forEach(walk);
  };
  for (const profile of PROFILES) {
    add(`https://graph.microsoft.com/${profile}/$metadata#deviceAppManagement/vppTokens/$entity`, "a created vppToken's @odata.context");
    for (const schema of loadSchemas(profile).values()) walk(schema);
  }
  return (contractWords = [...words].map(([text, what]) => ({ text, what })));
}

/**
 * What word of Graph's contract holds `credential` in a spelling the echo check finds (any case, percent,
 * base64...): `an enum member of the contract`, never the word itself; undefined when none does. Any answer may
 * carry such a word, so an echo of that credential could not be told from the contract: `credentials not echoed`
 * does not look for it, and verify, conform and seed refuse it as --bearer (bearerProblem).
 */
export function contractWordHolding(credential: string): string | undefined {
  if (credential.length < MIN_CREDENTIAL_LENGTH) return undefined;
  if (isPartOfInstant(credential)) return AN_INSTANT;
  // Asked for every answer judged, with the same one or two credentials: remembered (a run has few).
  if (!wordHeld.has(credential)) {
    if (wordHeld.size >= 64) wordHeld.clear();
    contractFilter ??= secretFilterOf(wordsOfContract().map((word) => word.text));
    wordHeld.set(credential, contractFilter(credential) ? wordsOfContract().find((word) => holdsSecret(word.text, credential))?.what : undefined);
  }
  return wordHeld.get(credential);
}
const wordHeld = new Map<string, string | undefined>();

/**
 * What a credential that is part of a date and time is said to be (decision 0770): every vppToken an answer carries
 * has three (lastModifiedDateTime is the moment of the answer, lastSyncDateTime Graph's never until Apple is read,
 * expirationDateTime its sToken's expiry), so an echo of one could not be told from them (outside tester Y3, Y8:
 * `--bearer 0001-01-01T00` failed the reference provider at /lastSyncDateTime).
 */
const AN_INSTANT = "a date and time as Graph writes one (such as its never, 0001-01-01T00:00:00Z, or an answer's own lastModifiedDateTime)";

/**
 * The shapes of an instant as Graph (and Apple's sToken `expDate`) write one, each digit a `9`: a DateTimeOffset
 * with its seconds and 0 to 7 fractional digits (Graph's 100 ns ticks), or without its seconds (decision 0500), in
 * UTC or at an offset written with or without its colon (`-07:00`, Apple's `-0700`).
 */
const INSTANT_SHAPES: readonly string[] = ['', ':99', ...Array.from({ length: 7 }, (_, n) => `:99.${'9'.repeat(n + 1)}`)].flatMap((seconds) =>
  ['', 'Z', '+99:99', '-99:99', '+9999', '-9999'].map((zone) => `9999-99-99T99:99${seconds}${zone}`),
);

/**
 * Whether a credential is, or is part of, some instant as Graph writes one (INSTANT_SHAPES), in any letter case (the
 * echo check folds it): `0001-01-01T00`, `2041-05-04`, `-01-01T00:00:00`. Read by its shape, not its digits: a date
 * of any day is in some answer (the moment it was given). Eight digits in a row are in no instant (`12345678`).
 */
export function isPartOfInstant(credential: string): boolean {
  const shape = credential.toUpperCase().replace(/[0-9]/g, '9');
  return INSTANT_SHAPES.some((instant) => instant.includes(shape));
}
/** Whether any word of the contract may hold a credential: most are told apart without reading each word. */
let contractFilter: ((credential: string) => boolean) | undefined;

/**
 * Why a bearer given to verify, conform or seed (--bearer, VPPKIT_BEARER) cannot be used, or undefined when it can;
 * never showing it. One rule for every command, said before any request:
 * - the header value pasted whole (`Bearer abc...`): the kit writes the scheme itself, so it would send
 *   `Bearer Bearer abc...` and read the 401 as the provider's (outside tester H18);
 * - a character an HTTP header cannot carry (a space, a line break, a non-ASCII character);
 * - a VPP token (an sToken, cut or whole), the two credentials mixed up: sent in every Authorization line (P16);
 * - no b64token (RFC 6750 §2.1): the Authorization rule of the judgement (`isBearerCredentials`) refuses it (R32);
 * - a word (or part of one) of Graph's contract, which correct answers carry anyway: an echo of it could not be
 *   told from the contract (outside tester G23: `--bearer business` blamed the provider for "echoing" it).
 */
/**
 * Which character of a refused bearer is wrong and where (outside tester R55, decision 0569): the character alone,
 * never the bearer; quotes around the whole value (docker --env-file keeps `VAR="..."`'s quotes) said as such.
 * `allowed` says whether a character may stand at an index; `=` inside a token is said to only end one.
 */
function wrongCharacter(bearer: string, allowed: (c: string, i: number) => boolean): string {
  const first = bearer[0];
  if (bearer.length > 1 && (first === '"' || first === "'") && bearer.endsWith(first)) {
    return `its first and last characters are ${first === '"' ? `'"'` : `"'"`} (quotes kept around the value? docker --env-file and some CI secret stores keep them: remove them)`;
  }
  const chars = [...bearer];
  const i = chars.findIndex((c, at) => !allowed(c, at));
  if (i < 0) return 'it is "=" alone';
  const c = chars[i];
  const where = i === 0 ? 'its first character' : i === chars.length - 1 ? 'its last character' : `character ${i + 1}`;
  const code = c.codePointAt(0)!;
  const named =
    c === ' ' ? 'a space'
    : c === '\t' ? 'a tab'
    : c === '\n' || c === '\r' ? `a line break${i === chars.length - 1 || /^[\r\n]+$/.test(chars.slice(i).join('')) ? ' (read from a file? trim it)' : ''}`
    : code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')} (a control character)`
    : code > 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')} (not ASCII)`
    : c === '=' ? `'=', which only ends a token`
    : c === "'" ? `"'"` : `'${c}'`;
  return `${where} is ${named}`;
}

export function bearerProblem(bearer: string | undefined): string | undefined {
  refuseArguments(argumentProblem('bearer', bearer, 'string', undefined, 'optional'));
  if (bearer === undefined) return undefined;
  // Empty (`--bearer "$TOKEN"` with TOKEN unset, or a CI secret store's missing secret) or a language's word for no
  // value (`--bearer undefined`: 0381, which check-client fails a client for): no access token was given, not a
  // wrong character (outside attacker R117, decision 0992).
  if (bearer === '') return 'the bearer is empty: no access token was given (an unset variable?)';
  if (isNoValueWord(bearer)) return `the bearer is "${bearer}", a programming language's word for no value: no access token was given (an unset variable?)`;
  if (/^bearer(\s|$)/i.test(bearer.trim())) return 'the bearer starts with the scheme "Bearer": give the access token alone (the kit writes "Authorization: Bearer <token>" itself); its value is not shown';
  if (!/^[\x21-\x7e]+$/.test(bearer)) return `the bearer holds a character an HTTP header cannot carry (a space, a line break or a non-ASCII character): ${wrongCharacter(bearer, (c) => /^[\x21-\x7e]$/.test(c))}; its value is not shown`;
  // The two credentials mixed up (outside tester P16): the kit would send the VPP token in every Authorization line.
  if (holdsSToken(bearer)) return "the bearer holds a VPP token (an Apple sToken), not an access token: Graph answers 401 (RFC 6750 §3.1); a VPP token goes in a create's body (seed's records), never in Authorization; its value is not shown";
  // The one rule Authorization is judged by (outside tester R32): a bearer it refuses would be sent on every request,
  // refused as malformed, and the 401s read as an expired or wrong-tenant token.
  if (!isBearerCredentials(`Bearer ${bearer}`)) {
    const padding = bearer.search(/=*$/);
    const wrong = wrongCharacter(bearer, (c, at) => /^[A-Za-z0-9\-._~+/]$/.test(c) || (c === '=' && at >= padding && padding > 0));
    return `the bearer is not a token as RFC 6750 §2.1 writes one (letters, digits and -._~+/, then only "=" at its end): ${wrong}: Graph and the kit refuse "Authorization: Bearer" with it as malformed, whatever the token's validity; its value is not shown`;
  }
  const what = contractWordHolding(bearer);
  return what && `the bearer is, or is part of, ${what}, which a correct answer carries anyway: an echo of it could not be told from the contract, so credentials not echoed would blame the provider for it; give a real access token, or any random string of 16 or more characters for a test server; its value is not shown`;
}

/** How far the service's lastModifiedDateTime may be from the time the answer came (clocks differ). */
export const PLAUSIBLE_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every string in a JSON value with its JSON pointer; iterative, so an answer nested thousands deep is read too. */
function stringsOf(root: unknown): { pointer: string; value: string }[] {
  const found: { pointer: string; value: string }[] = [];
  const pending: { pointer: string; value: unknown }[] = [{ pointer: '', value: root }];
  while (pending.length > 0) {
    const { pointer, value } = pending.pop()!;
    if (typeof value === 'string') found.push({ pointer, value });
    else if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) pending.push({ pointer: `${pointer}/${i}`, value: value[i] });
    else if (isObject(value)) for (const [k, v] of Object.entries(value).reverse()) pending.push({ pointer: `${pointer}/${pointerSegment(k)}`, value: v });
  }
  return found;
}

/**
 * The data an answer may carry a credential's text in without echoing it (decision 0770): every string the request
 * sent (its body's, its header lines' but Authorization, its create's token, the URL it went to, which a 201's
 * Location and @odata.context name: `--bearer 127.0.0.1` against a local provider) and what sTokenDataOf gives. A
 * credential that is part of one of them is part of the data a correct answer gives back (outside tester Y3:
 * `--bearer Partners` is part of the orgName "Rau Partners", and `IsImV4cERhdGUi` of every kit sToken's base64):
 * where it stands there it is that data, not an echo. `answer` is the answer's body strings (bodyStrings).
 */
export function ownDataOf(sent: unknown, sentHeaders: readonly string[] = [], answer: readonly BodyString[] = [], target?: string | URL): string[] {
  return [...stringsOf(sent).map((s) => s.value), ...sentHeaders, ...(target === undefined ? [] : [addressOf(target)]), ...sTokenDataOf(sent, answer)];
}

/**
 * The address a request went to: its URL's origin and path, never its user, password, query or fragment, which may
 * carry a credential (a query's access_token is the client's leak, and hidden where it is written).
 */
export function addressOf(target: string | URL): string {
  try {
    const url = new URL(String(target));
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return String(target).replace(/[?#][^]*$/, '').replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
  }
}

/**
 * The sTokens of an exchange with the data each holds (its `orgName` and `expDate`, which Graph answers as
 * organizationName and expirationDateTime; not its token proper, a credential): those the request sent (a create's,
 * a batch member's) and those the answer gives as a vppToken's `token` (a 201's, a page's). Apple's data, not a value
 * the client chose: the part of ownDataOf a writer of the client's traffic leaves as it stands (decision 0770).
 */
export function sTokenDataOf(sent: unknown, answer: readonly BodyString[] = []): string[] {
  const sentTokens = stringsOf(sent).map((s) => s.value).filter((text) => readAppleSToken(text) !== undefined);
  const listed = answer.filter((s) => !s.name && !s.other && /\/token$/.test(s.pointer) && readAppleSToken(s.value) !== undefined).map((s) => s.value);
  const own: string[] = [];
  for (const text of new Set([...sentTokens, ...listed])) {
    const sToken = readAppleSToken(text)!;
    own.push(text, sToken.expDate, sToken.orgName);
  }
  return own;
}

/**
 * Where Graph's error body is prose of Graph's own: its code and message, a detail's and the inner error's
 * (`BadRequest`, `... is required`, `Unknown property ...`). A word there can't be told from chance.
 */
const ERROR_PROSE = /^\/error(?:\/details\/\d+|\/innerError)?\/(?:code|message)$/;

/**
 * The same words as `^(?:[A-Z]?[a-z]{2,})+$`, written so that a word can end in one place only (decision 1072): a
 * leading run of 2 or more lower-case letters, then words that each start at a capital. That one let a run of
 * lower-case letters be cut into words any number of ways, and tried them before refusing a credential whose letters
 * end in a digit, until V8 gave up and ran it again by its linear engine: `thisisnotarealtokenforlocaltesting1` cost
 * 25 ms a call (210 ms the first), in every answer judged.
 */
const WORDS = /^(?:[a-z]{2,})?(?:[A-Z][a-z]{2,})*$/;

/**
 * Whether a credential is shaped as a word of prose or an identifier made of words (`required`, `property`,
 * `BadRequest`, `Partners`): letters only, each word of 2 or more lower-case letters after at most one capital. An
 * access token (a JWT, a random string with digits) never is; a test's dummy may be, and an error's prose then holds
 * it by chance (`--bearer required` failed the reference provider's 400 "... is required", decision 0770).
 */
export const isWordShaped = (credential: string): boolean => credential.length > 0 && WORDS.test(credential);

/** Whether a credential is part of the data ownDataOf gives, in any spelling the redaction knows (holdsSecret). */
export const partOfOwnData = (own: readonly string[], credential: string): boolean => own.some((text) => holdsSecret(text, credential));

/**
 * The request's bearer token anywhere in the answer (a header or the body), and its VPP token anywhere but the
 * created vppToken's own `/token` (Graph's 201 may carry it there; an error never). A credential that is part of
 * another value the client sent is not looked for: its echo would be the client's own value; nor is a bearer that is
 * part of the request's sToken or of one the answer lists (ownDataOf, decision 0770). Never shown.
 * `foreignTokens` false leaves out other callers' sTokens: a page of the collection lists the tenant's vppTokens.
 */
export function credentialEchoProblems(read: ReadMessage, context: AnswerContext, created: boolean, foreignTokens = true): AnswerProblem[] {
  refuseArguments(readMessageProblem('read', read), argumentProblem('context', context, 'object', 'an AnswerContext, an object'));
  const bearer = bearerTokenOf(context.authorization);
  const token = isObject(context.sent) && typeof context.sent.token === 'string' ? context.sent.token : undefined;
  // A credential of another header line (a gateway key) is the request's credential as its bearer is, and its line no
  // data of the request: what a writer hides is looked for (decision 0860, outside finding R90).
  const keys = headerCredentialsOf(context).filter((line) => line.value !== bearer && !(token !== undefined && tokenIdentity(line.value) === tokenIdentity(token)));
  const sentHeaders = (context.sentHeaders ?? []).filter((value) => !keys.some((key) => holdsSecret(value, key.value)));
  const sentStrings = [...stringsOf(context.sent).filter((s) => s.pointer !== '/token'), ...sentHeaders.map((value) => ({ pointer: '', value }))];
  const credentials: { name: string; value: string; allowedAt?: string; vppToken?: true }[] = [];
  // A client that sent its VPP token as its bearer too (outside tester K30: the client's violation) has it judged
  // as the VPP token: the created vppToken's own /token may carry it.
  if (bearer !== undefined && !(token !== undefined && tokenIdentity(bearer) === tokenIdentity(token))) credentials.push({ name: "the request's bearer token", value: bearer });
  // The batch's, where the request inside it gives its own (decision 0540): the answer is part of the batch's answer.
  const carrier = bearerTokenOf(context.batchAuthorization);
  if (carrier !== undefined && carrier !== bearer && !(token !== undefined && tokenIdentity(carrier) === tokenIdentity(token))) credentials.push({ name: 'the bearer token of the JSON batch that carries the request', value: carrier });
  for (const key of keys) if (key.value !== carrier && !credentials.some((c) => c.value === key.value)) credentials.push({ name: `the credential of the request's ${key.name} header`, value: key.value });
  if (token !== undefined) credentials.push({ name: "the request's VPP token", value: token, allowedAt: created ? '/token' : undefined, vppToken: true });
  const problems: AnswerProblem[] = [];
  // Every string of the body where a JSON reader sees it, even in a body with a name given twice (src/wire).
  const strings = read.text !== undefined ? bodyStrings(read.text) : [];
  const sentValues = new Set(sentStrings.map((s) => s.value));
  // What a bearer may be part of without being echoed: read only when an answer holds one (below).
  let own: string[] | undefined;
  for (const credential of credentials) {
    // Not worth looking for (too short, a word for no value, of the contract or the route): an echo could not be told from chance.
    if (!worthLookingFor(credential.value)) continue;
    const message = `must not contain ${credential.name} (not shown): an answer never carries a credential of its request`;
    // In any spelling the one redaction knows: percent-encoded into a URL, base64 as a Basic credential, a long part.
    // Another caller's whole sToken shares this one's JSON skeleton (`","expDate":"20...`): it is not this one.
    // A string equal to one the client sent holds the credential only if that one does, and then nothing is
    // reported (below): it is not read again (a 4 MB echo).
    const holds = (text: string) => !sentValues.has(text) && holdsSecret(text, credential.value) && !(credential.vppToken && onlyOtherSTokens(text, credential.value));
    const found: AnswerProblem[] = [];
    // A field's name is the answer's too (`x-echo-<token>: 1`: a JWT's characters are all tchar), and so is the
    // status line's reason phrase (RFC 9112 §4), which clients show (fetch's statusText): neither place is named by
    // what it holds (outside attacker K1), nor is a value's place when its field's name holds it too. A trailer field
    // is a field of the answer like a header (RFC 9110 §6.5): clients keep it, loggers record it, name and value.
    const fields = (lines: readonly HeaderLine[], section: { named: (name: string) => Placed; line: (n: number) => Placed; what: string }) =>
      lines.forEach((line, i) => {
        const nameHolds = holds(line.name);
        if (nameHolds) found.push({ check: 'credentials not echoed', ...section.line(i + 1), message: `${message}: the ${section.what}'s name holds it` });
        if (holds(line.value)) found.push({ check: 'credentials not echoed', ...(nameHolds ? section.line(i + 1) : section.named(line.name)), message });
      });
    fields(read.lines, { named: atHeader, line: atHeaderLine, what: 'header' });
    if (read.reason !== undefined && holds(read.reason)) found.push({ check: 'credentials not echoed', ...at('status'), message: `${message}: the status line's reason phrase holds it` });
    fields(read.trailers ?? [], { named: atTrailer, line: atTrailerLine, what: 'trailer field' });
    // An interim 1xx answer is part of the answer (RFC 9110 §15.2): a proxy forwards it, a client reads it, loggers
    // record it; its status line and fields are read as the final one's (outside tester R36, decision 0521).
    for (const interim of read.interim ?? []) {
      if (interim.reason !== undefined && holds(interim.reason)) found.push({ check: 'credentials not echoed', ...atInterim(interim.status), message: `${message}: the status line's reason phrase holds it` });
      fields(interim.lines, { named: (header) => atInterim(interim.status, { header }), line: (headerLine) => atInterim(interim.status, { headerLine }), what: 'header' });
    }
    // A credential shaped as a word is not looked for in an error's prose (decision 0770): Graph's code and message.
    const prose = isWordShaped(credential.value) ? (s: BodyString) => !s.name && !s.other && ERROR_PROSE.test(s.pointer) : () => false;
    const places = new Map(strings.filter((s) => (s.name || s.other || s.pointer !== credential.allowedAt) && !prose(s) && holds(s.value)).map((s) => placeOfString(s)).map((p) => [p.where, p]));
    for (const place of places.values()) found.push({ check: 'credentials not echoed', ...place, message });
    // Part of a value the client sent: its echo would be the client's own value. Read only when the answer holds it.
    // Part of the request's sToken, or of one the answer lists, a bearer is that data where it stands (decision 0770).
    // The VPP token itself is judged by what else was sent: its own sToken holds it.
    if (found.length === 0 || sentStrings.some((s) => holdsSecret(s.value, credential.value))) continue;
    if (!credential.vppToken && partOfOwnData((own ??= ownDataOf(context.sent, sentHeaders, strings, context.target)), credential.value)) continue;
    problems.push(...found);
  }
  if (!foreignTokens) return problems;
  return [...problems, ...foreignSTokenProblems(read, strings, { token, sent: sentValues, created }, new Set(problems.map((p) => p.where)))];
}

/**
 * AnswerContext's header credentials but an Authorization line's (its bearer is `authorization`'s), and but a value
 * that is one of the run's `--public-host` hosts (publicHostValue): the name the service is reached by, which the
 * answer's links name by design (0190, 0566), whatever field a front says it in (decision 1052).
 */
const headerCredentialsOf = (context: AnswerContext): HeaderLine[] =>
  (context.headerCredentials ?? []).filter((line) => line.name.toLowerCase() !== 'authorization' && worthLookingFor(line.value) && !publicHostValue(line.value, context.publicHosts));

/**
 * Whether a header value is one of `publicHosts` (`--public-host`, lower-cased hosts with a port not the scheme's own),
 * written as a host or an origin in any letter case (`gw.contoso.example`, `https://GW.contoso.example`), read by the
 * option's own reader (publicHostOf), and compared as one name (publicNameOf): `gw.contoso.example:443` and
 * `gw.contoso.example.` are it. A part of one, another port, or a host with a path, is not. Decision 1052 (amended).
 */
export function publicHostValue(value: string, publicHosts: readonly string[] | undefined): boolean {
  if (publicHosts === undefined || publicHosts.length === 0) return false;
  try {
    const name = publicNameOf(publicHostOf(value.trim(), 'a header value', (message) => new Error(message)));
    return publicHosts.some((host) => publicNameOf(host) === name);
  } catch {
    return false;
  }
}

/**
 * A host as publicHostOf reads it (`:80` already dropped for a bare host), without https's default port (`:443`: a
 * bare `host:443` names the origin `https://host` does, RFC 9110 §4.2.3 and §7.2 let Host carry it or not) and
 * without a fully qualified name's one trailing dot (RFC 1034 §3.1: the root's empty label). Only for 1052's "is it
 * the public name" question; links are judged by their own rules.
 */
const publicNameOf = (host: string): string => host.replace(/:443$/, '').replace(/\.(:\d+)?$/, '$1');

/** Where a body string stands: at its pointer, or the body as a whole when no JSON reader sees it there. */
function placeOfString(s: BodyString): Placed {
  return s.other ? atBody() : atBody(s.pointer);
}

/** A base64 or base64url run long enough to be an sToken. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
/** The same bytes, whichever base64 alphabet and padding (RFC 4648 §5). */
const base64Bytes = (value: string): string => value.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');

/** True when `text` holds whole sTokens and none of them is `token`: another caller's, not this request's. */
function onlyOtherSTokens(text: string, token: string): boolean {
  const found = (text.match(BASE64_RUN) ?? []).filter(isSToken);
  return found.length > 0 && found.every((t) => base64Bytes(t) !== base64Bytes(token)) && !text.includes(token);
}

/**
 * An Apple sToken the request did not send, anywhere in the answer (a header, a body string or name; a 201's own
 * `/token` is `values back`'s): a token the server holds for another caller, handed to this one (outside tester
 * G9; docs/decisions/0151). Found by what every sToken holds (src/net/redact.ts `holdsSToken`), in any string
 * that is or contains one; a string the client sent itself, or that holds this request's token, is its own.
 */
function foreignSTokenProblems(read: ReadMessage, strings: readonly BodyString[], own: { token?: string; sent: ReadonlySet<string>; created: boolean }, reported: ReadonlySet<string>): AnswerProblem[] {
  const isOwn = (text: string) => own.sent.has(text) || (own.token !== undefined && holdsSecret(text, own.token) && !onlyOtherSTokens(text, own.token));
  // A string the client sent is its own: asked first, so a long echo is not read for sTokens.
  const foreign = (text: string) => !own.sent.has(text) && holdsSToken(text) && !isOwn(text);
  const message = "must not carry a VPP token this request did not send (an Apple sToken, not shown): an answer never carries another caller's credential";
  const places = new Map<string, Placed>();
  const add = (place: Placed) => places.set(place.where, place);
  // A field whose name holds one is placed by its line, never by the name (as for the request's own credentials).
  const fields = (lines: readonly HeaderLine[], named: (name: string) => Placed, line: (n: number) => Placed) =>
    lines.forEach((field, i) => void ((foreign(field.name) || foreign(field.value)) && add(foreign(field.name) ? line(i + 1) : named(field.name))));
  fields(read.lines, atHeader, atHeaderLine);
  fields(read.trailers ?? [], atTrailer, atTrailerLine);
  for (const interim of read.interim ?? []) fields(interim.lines, (header) => atInterim(interim.status, { header }), (headerLine) => atInterim(interim.status, { headerLine }));
  for (const s of strings) {
    if (own.created && !s.name && !s.other && s.pointer === '/token') continue;
    if (foreign(s.value)) add(placeOfString(s));
  }
  return [...places.values()].filter((place) => !reported.has(place.where)).map((place) => ({ check: 'credentials not echoed' as const, ...place, message }));
}

/** The ways a credential may stand in an answer, an sToken's inner token included (the one redaction's list, src/net/redact.ts). */
export const credentialSpellings = secretSpellings;

/** The request's credentials (bearer token, VPP token) an answer judgement knows of; redact finds every spelling. */
export function credentialsOf(context: AnswerContext): string[] {
  const token = isObject(context.sent) && typeof context.sent.token === 'string' ? context.sent.token : undefined;
  return [bearerTokenOf(context.authorization), bearerTokenOf(context.batchAuthorization), token, ...headerCredentialsOf(context).map((line) => line.value)].filter(worthLookingFor);
}

/**
 * The service sets lastModifiedDateTime to the time of the change (Graph's vppToken docs), so a 201's must lie
 * within PLAUSIBLE_CLOCK_SKEW_MS of when the answer came; judged only when `receivedAt` is known.
 */
export function timestampProblems(body: unknown, context: AnswerContext): AnswerProblem[] {
  refuseArguments(argumentProblem('context', context, 'object', 'an AnswerContext, an object'));
  if (!context.receivedAt || !isObject(body) || typeof body.lastModifiedDateTime !== 'string') return [];
  const at = Date.parse(body.lastModifiedDateTime);
  if (Number.isNaN(at)) return []; // the schema says what is wrong with it
  const off = at - context.receivedAt.getTime();
  if (Math.abs(off) <= PLAUSIBLE_CLOCK_SKEW_MS) return [];
  return [
    {
      check: 'response schema',
      ...atBody('/lastModifiedDateTime'),
      message: `must be the time of the create, which the service sets (within a day of ${context.receivedAt.toISOString()}; got ${body.lastModifiedDateTime})`,
    },
  ];
}
