import { readAppleSToken } from '../validation/stoken';

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

/** An sToken's `expDate` (Apple's `2041-03-14T08:10:04-0700`, or ISO 8601) as an instant; undefined when it names none. */
export function sTokenExpiry(expDate: string): Date | undefined {
  const at = new Date(expDate.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** The instant `token` (any value) says it expires, when it is an Apple sToken whose `expDate` names one. */
export function sTokenExpiryOf(token: unknown): Date | undefined {
  const sToken = typeof token === 'string' ? readAppleSToken(token) : undefined;
  return sToken && sTokenExpiry(sToken.expDate);
}

/** An expiry as Graph writes a DateTimeOffset it read from an sToken: RFC 3339 in UTC, `.000` left out, the instant kept. */
export const expiryText = (at: Date): string => at.toISOString().replace(/\.000Z$/, 'Z');

/** Whether `token` is an Apple sToken whose expiry had passed at `at` (an expiry that is no date is not one). */
export function sTokenExpiredAt(token: unknown, at: Date): boolean {
  const expires = sTokenExpiryOf(token);
  return expires !== undefined && expires.getTime() < at.getTime();
}
