import { createHash } from 'node:crypto';
import type { Problem } from './problems';
import { argumentProblem, refuseArguments, shownOption } from '../net/option';
import { sentAsJson } from './validators';

/**
 * base64 (RFC 4648 §4) or base64url (§5), one alphabet, `=` only completing the last 4-character quantum, or no
 * padding at all (§3.2; decision 0205): what Intune decodes. Node's decoder takes more (it skips any character not
 * of its alphabet and stops at the first `=`), so a token with bytes after its padding, a stray `=` or space inside, or
 * a lone last character read as the sToken it starts with (outside tester M1; decision 0330).
 */
const NOT_BASE64 = /[^A-Za-z0-9+/]/;
const NOT_BASE64URL = /[^A-Za-z0-9_-]/;
/**
 * Read in one pass (decision 1071): the padding, then where the last 4-character quantum ends, then one search for a
 * character outside each alphabet. A regular expression of 4-character groups, `^(?:[A-Za-z0-9+/]{4})*(...)?$`, says
 * the same but backtracks by the group: about 40-70 ms of CPU a MiB, in every create of a large token.
 */
export function isBase64Text(text: string): boolean {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const length = text.length - padding;
  // The last quantum: 4 characters and no padding, 2 and `==` or none, 3 and `=` or none; never 1.
  const last = length % 4;
  if (last === 1 || (padding > 0 && last === 0) || (padding === 1 && last === 2) || (padding === 2 && last === 3)) return false;
  const body = padding > 0 ? text.slice(0, length) : text;
  return !NOT_BASE64.test(body) || !NOT_BASE64URL.test(body);
}

/**
 * What an sToken says about itself, or undefined when the string is not one: base64 of a small JSON document
 * holding the token proper (`token`, the credential, which the judgement looks for echoed too), its expiry date
 * and the organisation's name.
 */
export function readAppleSToken(token: string): { token: string; expDate: string; orgName: string } | undefined {
  // A value the request schema refused (a number, null) may be asked too: no sToken.
  if (typeof token !== 'string' || !isBase64Text(token)) return undefined;
  const text = Buffer.from(token, 'base64').toString('utf8');
  // Not a JSON object: no sToken, told without a thrown SyntaxError (every bearer and token judged is asked).
  if (!/^[ \t\n\r]*\{/.test(text)) return undefined;
  try {
    const document = JSON.parse(text) as Record<string, unknown>;
    if (typeof document.expDate === 'string' && typeof document.orgName === 'string' && typeof document.token === 'string') {
      return { token: document.token, expDate: document.expDate, orgName: document.orgName };
    }
  } catch {
    // not an sToken: the caller falls back to defaults
  }
  return undefined;
}

/**
 * What makes two tokens one (decisions 0205 and 1260): an sToken is what its JSON says, its `token` (the Apple
 * credential), `expDate` and `orgName`, the members Intune reads. One sToken with or without its `=` padding, in the
 * base64url alphabet (RFC 4648 §5, outside tester K24), its members in another order, with whitespace, a character
 * escaped (RFC 8259 §1, §2, §7: one JSON value) or a member more (outside finding R144) is one token; another expDate
 * or orgName around one Apple token is another sToken (1093: a read-back cannot tell it). Any other token is its
 * text. A key to compare by: never shown.
 */
export function tokenIdentity(token: string): string {
  const sToken = readAppleSToken(token);
  return sToken === undefined ? `text ${token}` : `sToken ${JSON.stringify([sToken.token, sToken.expDate, sToken.orgName])}`;
}

/**
 * A token as a read-back knows it without keeping it: its identity's sha256 (one sToken however its base64 and its
 * JSON are written), never its value. seed's read-back and the proxy's pages (decision 0671) know a listed token by it.
 */
export const tokenFingerprint = (token: string): string => createHash('sha256').update(tokenIdentity(token)).digest('hex');

/**
 * The Apple token an sToken holds (its `token` member, the credential), as a read-back knows it: its sha256, never its
 * value; undefined for a token that is no sToken. Two sTokens of one Apple token (another expDate or orgName around
 * it) share it, where their fingerprints differ (decision 1093); one sToken re-encoded (its members in
 * another order or spacing) is one token, one fingerprint (1260).
 */
export const appleTokenFingerprint = (token: string): string | undefined => {
  const inner = readAppleSToken(token)?.token;
  return inner === undefined ? undefined : createHash('sha256').update(`apple ${inner}`).digest('hex');
};

/** A token the request schema takes that is no Apple sToken (base64 of `{"token","expDate","orgName"}`), which Intune refuses (decisions 0209, 0216). */
export const isNoSToken = (token: unknown): boolean => typeof token === 'string' && token.length > 0 && readAppleSToken(token) === undefined;

/** What is wrong with a token that is no sToken, in the words every command uses. */
export const NO_STOKEN = 'is not an Apple VPP token (an sToken: base64 of {"token","expDate","orgName"}), which Intune requires';

/** The whitespace a file, a shell or a line-wrapping encoder puts around or into a token (outside tester R57). */
const WHITESPACE = /[ \t\r\n]/g;
const LINE_BREAKS = /^[\r\n]+$/;

/** Whitespace named as a user sees it, never shown itself. */
function whitespaceName(text: string): string {
  if (/^(?:\r\n|\n|\r)$/.test(text)) return 'a line break';
  if (LINE_BREAKS.test(text)) return 'line breaks';
  if (text === ' ') return 'a space';
  if (/^ +$/.test(text)) return 'spaces';
  if (text === '\t') return 'a tab';
  return 'whitespace';
}

/**
 * What is wrong with a token that is no sToken, in the words every command uses (decision 0568, outside tester R57):
 * an sToken with whitespace around it (a token file's trailing line break, read whole) or inside it (base64 wrapped at
 * 76 columns) is still refused (decision 0330), but said to be the Apple token it is, refused for its whitespace, and
 * what to do. Names the whitespace and where, never the token.
 */
export function noSTokenMessage(token: string): string {
  const bare = token.replace(WHITESPACE, '');
  if (bare === token || readAppleSToken(bare) === undefined) return NO_STOKEN;
  const rule = 'an sToken is base64 with no whitespace (RFC 4648 §3.3), which Intune requires';
  const [, before, inside, after] = /^([ \t\r\n]*)(.*?)([ \t\r\n]*)$/s.exec(token)!;
  const inner = inside.match(WHITESPACE) ?? [];
  if (inner.length > 0) {
    return inner.every((c) => c === '\n' || c === '\r')
      ? `is an Apple VPP token wrapped in lines (base64 without -w0? join its lines): ${rule}`
      : `is an Apple VPP token with whitespace inside it (remove it): ${rule}`;
  }
  if (before === '') return `is an Apple VPP token with ${whitespaceName(after)} after it (${/[\r\n]/.test(after) ? 'read from a file? ' : ''}trim it): ${rule}`;
  if (after === '') return `is an Apple VPP token with ${whitespaceName(before)} before it (trim it): ${rule}`;
  return `is an Apple VPP token with ${whitespaceName(before + after)} around it (trim it): ${rule}`;
}

/**
 * Intune's rule for a create's token (decision 0216): the schema takes any non-empty string, Intune only an Apple
 * sToken, and refuses any other with 400. The problem at `/token`, or undefined for an sToken. A request with no
 * token string (`{}`, `{ token: 42 }`, `{ token: '' }`) holds no sToken either, and is said so (decision 1025).
 */
export function sTokenProblem(request: unknown): Problem | undefined {
  // A create request is asked for, as every exported function asks its argument's kind (decision 0800): the token
  // itself, `sTokenProblem(body.token)`, answered undefined, "no problem", for any text (outside finding R103, 0960),
  // and so did the token file's bytes, a Map or a Date (an object with no members to read: finding Y2, 1025).
  refuseArguments(argumentProblem('request', request, 'record', 'a create request, an object { token, ... }, such as sTokenProblem({ token })'));
  // The token sent is judged, as problemsOf judges the request (decision 1330, 1305): `new String(sToken)` or a toJSON
  // is sent as the string; a request JSON.stringify throws on is never sent, and that is its one problem.
  const sent = sentAsJson(request);
  if ('problem' in sent) return sent.problem;
  const body = sent.value;
  const token = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { token?: unknown }).token : undefined;
  if (token === undefined) return { pointer: '/token', message: `is missing: a create needs an Apple VPP token (an sToken: base64 of {"token","expDate","orgName"}), which Intune requires`, keyword: 'required' };
  if (typeof token !== 'string' || token === '') return { pointer: '/token', message: `${NO_STOKEN} (got ${shownOption(token)})`, keyword: 'contentMediaType', got: shownOption(token) };
  return requestTokenProblem(body);
}

/** sTokenProblem for a request of any kind, as the create judgement asks it after the schema's problems: none for a request that is no object (the schema's `invalid request`). */
export function requestTokenProblem(request: unknown): Problem | undefined {
  const token = typeof request === 'object' && request !== null && !Array.isArray(request) ? (request as { token?: unknown }).token : undefined;
  return isNoSToken(token) ? { pointer: '/token', message: noSTokenMessage(token as string), keyword: 'contentMediaType' } : undefined;
}
