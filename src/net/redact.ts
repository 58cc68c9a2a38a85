// The one redaction of the kit: every text that may hold a credential (an answer body, an error, a URL) passes
// through here before it is cut, printed or written. Cutting first would leave the tail of a secret behind.
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';

/** Credentials a text may hold: a bearer, VPP tokens (sTokens), any other secret value. */
export interface Secrets {
  bearer?: string;
  /** VPP tokens (the request's `token`) and any other secret values to hide wherever they appear. */
  values?: readonly (string | undefined)[];
}

/** Values shorter than this are not searched for: hiding "a" everywhere would hide nothing useful. */
const SHORTEST_SECRET = 4;
/**
 * A run of this many characters of a secret's spelling is the secret: a part of it (a message that shows the
 * first 90 % of an sToken) leaks as surely as the whole. 24 base64 characters are 18 bytes, never a coincidence.
 */
const SECRET_RUN = 24;
/** An sToken's inner token shorter than this is not looked for on its own (the judgement's MIN_CREDENTIAL_LENGTH). */
const SHORTEST_INNER_TOKEN = 8;

/** `user:password@` (or `user@`) after a URL's scheme. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;
/** `Bearer <value>` in a header echoed back or a message, whatever the scheme's case (RFC 6750's token68). */
const BEARER_VALUE = /\b(bearer)(\s+)([A-Za-z0-9\-._~+/]{8,}=*)/gi;
/** A base64 (RFC 4648 §4) or base64url (§5) text, padded or not: an sToken is one. */
const BASE64ISH = /^[A-Za-z0-9+/_-]+={0,2}$/;
/** Characters of a base64 or base64url text, next to a match: what is left of a secret cut at a character's edge. */
const BASE64_CHAR = /[A-Za-z0-9+/_=-]/;

/** base64 (`+/`) and base64url (`-_`) of the same bytes, without padding. */
const bothAlphabets = (text: string): string[] => {
  const core = text.replace(/=+$/, '');
  return [core.replace(/-/g, '+').replace(/_/g, '/'), core.replace(/\+/g, '-').replace(/\//g, '_')];
};

/**
 * The base64 characters that stand for `value` whatever came before it: base64 of `<k bytes><value>` for k = 0, 1,
 * 2, without the characters that also carry a neighbour's bits (`Bearer <value>` or `user:<value>` encoded, as
 * RFC 7617's Basic scheme does, holds one of these three).
 */
function base64Runs(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const runs: string[] = [];
  for (const [k, skip] of [[0, 0], [1, 2], [2, 3]] as const) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64').replace(/=+$/, '');
    const tail = (k + bytes.length) % 3 === 0 ? 0 : 1;
    const run = encoded.slice(skip, encoded.length - tail);
    if (run.length > 0) runs.push(run);
  }
  return runs;
}

/**
 * Every way a credential may stand in a text the kit reads or writes: as it is; percent- or form-encoded (a URL, a
 * form); encoded in base64 or base64url at any alignment (a Basic credential, a header echoed encoded); and, when
 * it is itself base64 like an sToken, re-encoded in the other alphabet or without its padding (the same bytes,
 * RFC 4648 §5), and an sToken's inner token as well. The one list both the redaction and the judgement's echo
 * check use.
 */
export function secretSpellings(value: string): string[] {
  const forms = [value, ...base64Runs(value).flatMap(bothAlphabets)];
  if (BASE64ISH.test(value)) forms.push(...bothAlphabets(value));
  // An sToken's inner token is the credential proper: found decoded too, when long enough to be told from chance.
  const inner = innerTokenOf(value);
  if (inner !== undefined && inner.length >= SHORTEST_INNER_TOKEN) forms.push(inner, ...base64Runs(inner).flatMap(bothAlphabets));
  const spelled = forms.flatMap((form) => [form, encodeURIComponent(form), encodeURIComponent(form).replace(/%20/g, '+')]);
  return [...new Set(spelled)].filter((s) => s.length >= SHORTEST_SECRET);
}

/**
 * How a secret's spellings are found in a text: whole when short, by any run of SECRET_RUN characters when long.
 * Each pattern (ASCII letters folded to lower case) is kept by its length and a rolling hash of its characters, so
 * a text is read once per pattern length, character by character, with nothing allocated per position.
 */
interface SecretMatcher {
  byLength: Map<number, Map<number, string[]>>;
  /** One bit per hash modulo 2^20: a position whose bit is clear holds no pattern, without a look in the map. */
  seen: Uint8Array;
}

/** Letter case is not trusted to hide anything: a message may shout the credential it repeats. Only A-Z are
 * folded, so a place in the folded text is the same place in the text (String#toLowerCase turns 'İ' into two). */
const foldCode = (code: number): number => (code >= 65 && code <= 90 ? code + 32 : code);
const foldCase = (text: string): string => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/** The rolling hash's base (the FNV prime), and hash arithmetic modulo 2^32. */
const BASE = 0x01000193;
const hashOf = (text: string): number => {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, BASE) + foldCode(text.charCodeAt(i))) | 0;
  return hash;
};
const powerOfBase = (n: number): number => {
  let power = 1;
  for (let i = 0; i < n; i++) power = Math.imul(power, BASE);
  return power;
};

const SEEN_MASK = (1 << 20) - 1;
const SEEN_BYTES = (SEEN_MASK + 1) / 8;

/** Matchers by secret: conform judges thousands of answers for a handful of credentials. */
const matchers = new Map<string, SecretMatcher>();

function matcherOf(value: string): SecretMatcher {
  const known = matchers.get(value);
  if (known) return known;
  const matcher: SecretMatcher = { byLength: new Map(), seen: new Uint8Array(SEEN_BYTES) };
  const add = (pattern: string) => {
    let table = matcher.byLength.get(pattern.length);
    if (!table) matcher.byLength.set(pattern.length, (table = new Map()));
    const hash = hashOf(pattern);
    matcher.seen[(hash & SEEN_MASK) >>> 3] |= 1 << (hash & 7);
    const same = table.get(hash);
    if (!same) table.set(hash, [pattern]);
    else if (!same.includes(pattern)) same.push(pattern);
  };
  for (const spelling of secretSpellings(value).map(foldCase)) {
    if (spelling.length <= SECRET_RUN) add(spelling);
    else for (let i = 0; i + SECRET_RUN <= spelling.length; i++) add(spelling.slice(i, i + SECRET_RUN));
  }
  if (matchers.size >= 512) matchers.delete(matchers.keys().next().value!);
  matchers.set(value, matcher);
  return matcher;
}

/** Whether `text` at `at` holds `pattern` (already folded), ASCII letter case aside. */
function holdsAt(text: string, at: number, pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) if (foldCode(text.charCodeAt(at + i)) !== pattern.charCodeAt(i)) return false;
  return true;
}

/** Where a text holds a secret in any of its spellings: [start, end) ranges, in order, not overlapping. */
function secretRanges(text: string, value: string): [number, number][] {
  if (value.length < SHORTEST_SECRET || text.length < SHORTEST_SECRET) return [];
  const ranges: [number, number][] = [];
  const { byLength, seen } = matcherOf(value);
  for (const [length, table] of byLength) if (text.length >= length) scan(text, length, table, seen, ranges);
  return merged(ranges);
}

/** Adds to `ranges` where `text` holds a pattern of `length` characters: the hash of the last `length` characters,
 * each step adding one and taking away the one that left the window. */
function scan(text: string, length: number, table: Map<number, string[]>, seen: Uint8Array, ranges: [number, number][]): void {
  const leaving = powerOfBase(length);
  let hash = 0;
  for (let end = 0; end < text.length; end++) {
    hash = (Math.imul(hash, BASE) + foldCode(text.charCodeAt(end))) | 0;
    if (end >= length) hash = (hash - Math.imul(foldCode(text.charCodeAt(end - length)), leaving)) | 0;
    if (end < length - 1 || (seen[(hash & SEEN_MASK) >>> 3] & (1 << (hash & 7))) === 0) continue;
    const candidates = table.get(hash);
    if (candidates === undefined) continue;
    const start = end - length + 1;
    for (const pattern of candidates) {
      if (!holdsAt(text, start, pattern)) continue;
      ranges.push([start, end + 1]);
      break;
    }
  }
}

function merged(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** Whether `text` holds `value`, a credential, in any spelling the kit knows (secretSpellings). */
export function holdsSecret(text: string, value: string): boolean {
  return secretRanges(text, value).length > 0;
}

/**
 * `text` with the given secrets replaced by a mark, each in any of its spellings, whole or a long part of it: the
 * bearer as `[bearer]`, a secret value as `[token]`. Nothing else is touched (a pact's example `Bearer` value
 * stays a valid one).
 */
export function hideSecrets(text: string, secrets: Secrets = {}): string {
  const marked: { range: [number, number]; mark: string }[] = [];
  const hide = (value: string | undefined, mark: string) => {
    if (value) for (const range of secretRanges(text, value)) marked.push({ range, mark });
  };
  hide(secrets.bearer, '[bearer]');
  for (const value of secrets.values ?? []) hide(value, '[token]');
  if (marked.length === 0) return text;
  let out = '';
  let at = 0;
  for (const { range, mark } of marked.sort((a, b) => a.range[0] - b.range[0])) {
    let [start, end] = range;
    if (end <= at) continue;
    start = Math.max(start, at);
    // The characters at a match's edges that also carry a neighbour's bits are the secret's too.
    for (let n = 0; n < 3 && start > at && BASE64_CHAR.test(text[start - 1]) && text[start - 1] !== '='; n++) start--;
    for (let n = 0; n < 3 && end < text.length && BASE64_CHAR.test(text[end]) && text[end] !== '='; n++) end++;
    while (end < text.length && text[end] === '=') end++;
    out += `${text.slice(at, start)}${mark}`;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * `text` with every credential replaced by a mark: the secrets given, in any spelling (hideSecrets), a URL's
 * `user:password@` as `***@`, any `Bearer <value>` as `Bearer [bearer]`.
 */
export function redact(text: string, secrets: Secrets = {}): string {
  const out = hideSecrets(text, secrets);
  // A value of letters alone is prose ("bearer everywhere"), not a credential.
  return out.replace(URL_CREDENTIALS, '$1***@').replace(BEARER_VALUE, (match, scheme: string, space: string, value: string) => (/^[A-Za-z]+$/.test(value) ? match : `${scheme}${space}[bearer]`));
}

/**
 * A text stream redacted line by line (a report another program writes, such as Pact's): each line is held until
 * its end, so a secret split between two chunks is found whole. Header values and tokens hold no line break.
 */
export function redactStream(secrets: Secrets): Transform {
  let held = '';
  // A character cut between two chunks is joined, not turned into U+FFFD.
  const utf8 = new StringDecoder('utf8');
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const text = held + utf8.write(chunk);
      const end = text.lastIndexOf('\n') + 1;
      held = text.slice(end);
      done(null, redact(text.slice(0, end), secrets));
    },
    flush(done: TransformCallback) {
      done(null, redact(held + utf8.end(), secrets));
    },
  });
}

/** `text` redacted, then cut to at most `max` characters (the cut marked with `...`): never the other way round. */
export function clip(text: string, max: number, secrets: Secrets = {}): string {
  const clean = redact(text, secrets);
  return clean.length > max ? `${clean.slice(0, Math.max(0, max - 3))}...` : clean;
}

/**
 * A URL as the kit prints or writes it (summaries, --json, JUnit, rerun lines, curl commands, reports): no user,
 * password, query or fragment, no trailing slash. A text that is not a URL has its credentials removed all the same.
 */
export function publicUrl(target: string | URL): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return redact(String(target));
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Whether a string is an Apple sToken, the VPP credential: base64 (or base64url) of a JSON object with a `token`
 * member. Found by what it is, not by the key it came under: a client's typo (`"Token"`) still sends it.
 */
export function isSToken(value: string): boolean {
  return innerTokenOf(value) !== undefined;
}

/** The token proper inside an sToken (its JSON's `token`, which a provider that decodes the sToken may echo). */
function innerTokenOf(value: string): string | undefined {
  if (value.length < 16 || !BASE64ISH.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  if (!text.startsWith('{')) return undefined;
  try {
    const decoded: unknown = JSON.parse(text);
    const inner = typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded) ? (decoded as Record<string, unknown>).token : undefined;
    return typeof inner === 'string' ? inner : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a JSON property holds a credential by its name: `token` in any letter case (what Graph would read as one). */
export const isCredentialKey = (name: string): boolean => name.toLowerCase() === 'token';

/**
 * Every credential a JSON value holds, at any depth: the string value of any `token` property, whatever its letter
 * case, and any string that is an sToken. What a writer redacts from a body it was given.
 */
export function secretValuesIn(root: unknown): string[] {
  const found = new Set<string>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (isSToken(value)) found.add(value);
    } else if (Array.isArray(value)) pending.push(...value);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (isCredentialKey(key) && typeof inner === 'string' && inner !== '') found.add(inner);
        else pending.push(inner);
      }
    }
  }
  return [...found];
}
