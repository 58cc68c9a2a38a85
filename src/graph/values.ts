/** Graph's "never" for a DateTimeOffset that has no value yet. */
export const NEVER = '0001-01-01T00:00:00Z';

/**
 * What an sToken says about itself, or undefined when the string is not one: base64 of a small JSON document
 * holding the token proper (`token`, the credential, which the judgement looks for echoed too), its expiry date
 * and the organisation's name.
 */
export function readAppleSToken(token: string): { token: string; expDate: string; orgName: string } | undefined {
  try {
    const document = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Record<string, unknown>;
    if (typeof document.expDate === 'string' && typeof document.orgName === 'string' && typeof document.token === 'string') {
      return { token: document.token, expDate: document.expDate, orgName: document.orgName };
    }
  } catch {
    // not an sToken: the caller falls back to defaults
  }
  return undefined;
}
