import { isDateTimeOffset, withSeconds } from '../validation/date-time';
import { isNoSToken, readAppleSToken } from '../validation/stoken';
import { argumentProblem, refuseArguments } from '../net/option';

// What an sToken says about itself is read where a create's token is judged (src/validation/stoken.ts).
export { readAppleSToken };

/** Graph's "never" for a DateTimeOffset that has no value yet. */
export const NEVER = '0001-01-01T00:00:00Z';

/**
 * When the kit's own valid Apple sTokens expire (decision 0195): every one the fixtures, the contract, check-client's
 * placeholder and conform draw expires within this year, and nothing the kit draws reads the clock, so a seed gives
 * the same bytes any day. A provider that refuses an expired sToken, as Intune does, takes them until 2041;
 * `tests/stoken-expiry.test.ts` fails once any of them expires within 5 years of the day it runs (from 2036 on),
 * which is the day to move this year forward (and regenerate fixtures/, pacts/ and openapi/).
 */
export const VALID_STOKEN_EXPIRY: { readonly from: Date; readonly to: Date } = Object.freeze({
  from: new Date('2041-01-01T00:00:00.000Z'),
  to: new Date('2041-12-31T23:59:59.000Z'),
});

/** The Apple sToken `token` (any value) is, when it is one. */
const sTokenIn = (token: unknown) => (typeof token === 'string' ? readAppleSToken(token) : undefined);

/**
 * An sToken's `expDate` (Apple's `2041-03-14T08:10:04-0700`, or RFC 3339) as the DateTimeOffset it names, in UTC with
 * its fraction as written (`2041-03-14T15:10:04Z`, `...04.1234567Z`): Graph's DateTimeOffset holds 100 ns ticks, and
 * the instant is kept to the digit (outside tester R3: a cut to milliseconds named another instant). Undefined when it
 * names none Graph's DateTimeOffset holds, read by the kit's one rule (isDateTimeOffset): February 30th, a year past
 * 9999 once the offset is applied, no offset at all (outside tester R4: the reference provider answered
 * `+010000-01-01T00:59:59Z`, and the judgement demanded March 2nd for February 30th).
 */
export function sTokenExpiryText(expDate: string): string | undefined {
  const text = withSeconds(expDate.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (!isDateTimeOffset(text)) return undefined;
  const parts = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(z|[+-]\d\d:\d\d)$/i.exec(text);
  if (!parts) return undefined;
  const fraction = (parts[2] ?? '').replace(/0+$/, '');
  // A leap second (:60), which RFC 3339 writes and a Date does not hold, names no instant here either.
  const at = new Date(`${parts[1]}${parts[3].toUpperCase()}`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString().replace(/\.000Z$/, fraction ? `.${fraction}Z` : 'Z');
}

/** An expiry as sTokenExpiryText gives it, as an instant (to the millisecond: a Date holds no more). */
export const expiryInstant = (text: string): Date => new Date(text.replace(/(\.\d{3})\d+Z$/, '$1Z'));

/** An sToken's `expDate` as an instant, when it names one (sTokenExpiryText, expiryInstant). */
export function sTokenExpiry(expDate: string): Date | undefined {
  refuseArguments(argumentProblem('expDate', expDate, 'string', "an sToken's expDate, a string"));
  const text = sTokenExpiryText(expDate);
  return text === undefined ? undefined : expiryInstant(text);
}

/** The expiry `token` (any value) names, as sTokenExpiryText gives it, when it is an Apple sToken whose `expDate` names one. */
export function sTokenExpiryOf(token: unknown): string | undefined {
  const sToken = sTokenIn(token);
  return sToken && sTokenExpiryText(sToken.expDate);
}

/**
 * Whether `token` is an Apple sToken whose `expDate` names no instant (sTokenExpiryText): a token whose expiry can't
 * be read, refused with 400 as fairly as a token that is no sToken (decision 0209; outside tester R4).
 */
export function sTokenExpiryUnreadable(token: unknown): boolean {
  const sToken = sTokenIn(token);
  return sToken !== undefined && sTokenExpiryText(sToken.expDate) === undefined;
}

/** Whether `token`, a string, is an Apple sToken whose expiry had passed at `at`, a Date that holds a time (an expiry that is no date is not one; a string that is no sToken is not one). */
export function sTokenExpiredAt(token: string, at: Date): boolean {
  // `at` is asked before it is read (decision 0800): Date.now(), a string or nothing failed inside in Node's words
  // (`at.getTime is not a function`), an invalid Date answered false, "not expired" (outside finding R104, 0961).
  // `token` as well (0800's rule, outside attacker Y1): the request, a Buffer or nothing answered false, "not expired",
  // forever. A string that holds no sToken is of its kind: it is no expired sToken (sTokenProblem says what it is).
  refuseArguments(
    argumentProblem('token', token, 'string', 'an Apple VPP token (an sToken) string, such as sTokenExpiredAt(body.token, new Date())'),
    argumentProblem('at', at, 'date', 'a Date that holds a time, the instant judged, such as new Date()'),
  );
  return expiredAt(token, at);
}

/** sTokenExpiredAt for an `at` the kit holds (a judged answer's receivedAt, compare's now), asked nothing. */
function expiredAt(token: unknown, at: Date): boolean {
  const sToken = sTokenIn(token);
  const expires = sToken && sTokenExpiry(sToken.expDate);
  return expires !== undefined && expires.getTime() < at.getTime();
}

/**
 * Whether Intune refuses a create for its token, with 400 and Graph's error body, a refusal as fair as the 201 of a
 * service that keeps the token: one that had expired at `at` (decision 0195), one that is no Apple sToken (0209), one
 * whose expDate names no instant (outside tester R4). `anyToken`: the provider is one that takes any token (conform's
 * --schema-tokens), so only the expiry counts. The one rule of the 201 judgement and compare.
 */
export function intuneRefusesToken(token: unknown, { at, anyToken = false }: { at?: Date; anyToken?: boolean } = {}): boolean {
  return (at !== undefined && expiredAt(token, at)) || (!anyToken && (isNoSToken(token) || sTokenExpiryUnreadable(token)));
}
