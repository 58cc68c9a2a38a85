/**
 * What an Apple VPP sToken says about itself, or undefined when the string is not one. An sToken (Apple Business
 * Manager / Apple School Manager) is base64 of a small JSON document: the token proper, its expiry date and the
 * organisation's name. Intune reads it; the judgement looks for its inner `token` too, since it is the credential.
 */
export function readAppleSToken(token: string): { token: string; expDate: string; orgName: string } | undefined {
  try {
    const document = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Record<string, unknown>;
    if (typeof document.expDate === 'string' && typeof document.orgName === 'string' && typeof document.token === 'string') {
      return { token: document.token, expDate: document.expDate, orgName: document.orgName };
    }
  } catch {
    // not an sToken
  }
  return undefined;
}
