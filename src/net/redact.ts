// The one redaction of the kit: every text that may hold a credential (an answer body, an error, a URL) passes
// through here before it is cut, printed or written. Cutting first would leave the tail of a secret behind.
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';

/** Credentials a text may hold: a bearer, VPP tokens (sTokens), any other secret value. */
export interface Secrets {
  bearer?: string;
  /** VPP tokens (the request's `token`) and any other secret values to hide wherever they appear. */
  values?: readonly (string | undefined)[];
  /** Values that are no secret (the kit's own placeholder sTokens): where one stands whole, nothing in it is hidden. */
  keep?: readonly string[];
  /**
   * The VPP token sent by the one request a text speaks of (verify's line of Pact's mismatch for an interaction): it
   * is hidden as `[the VPP token this request sent]`, and any other sToken as `[another VPP token]`, so a line that
   * compares the two tells them apart without showing either (decision 0347).
   */
  sent?: string;
}

/** How a text names the VPP token its request sent, and any other, when it speaks of one request (Secrets.sent). */
const SENT_TOKEN = '[the VPP token this request sent]';
const ANOTHER_TOKEN = '[another VPP token]';

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
 * form), every byte percent-encoded, or in hex; encoded in base64 or base64url at any alignment (a Basic credential, a header echoed encoded); and, when
 * it is itself base64 like an sToken, re-encoded in the other alphabet or without its padding (the same bytes,
 * RFC 4648 §5), and an sToken's inner token as well. The one list both the redaction and the judgement's echo
 * check use.
 */
export function secretSpellings(value: string): string[] {
  return spellingsOf(value, true);
}

/**
 * The spellings that stand for the value's own characters (secretSpellings without the base64 runs at an
 * alignment): one found is the secret from edge to edge, its neighbours are not, so nothing beside it is hidden
 * (outside tester L10: `%27<token>%27` was shown `%[token]%27`, `vppTokens/<token>` as `vppToke[token]`).
 */
const literalSpellings = (value: string): string[] => spellingsOf(value, false);

function spellingsOf(value: string, withRuns: boolean): string[] {
  const runs = (text: string) => (withRuns ? base64Runs(text).flatMap(bothAlphabets) : []);
  const forms = [value, ...runs(value)];
  if (BASE64ISH.test(value)) forms.push(...bothAlphabets(value));
  // An sToken's inner token is the credential proper: found decoded too, when long enough to be told from chance.
  const inner = innerTokenOf(value);
  if (inner !== undefined && inner.length >= SHORTEST_INNER_TOKEN) forms.push(inner, ...runs(inner));
  const spelled = forms.flatMap((form) => {
    const encoded = encodeURIComponent(form);
    return [form, encoded, encoded.replace(/%20/g, '+')];
  });
  spelled.push(...byteSpellings(value), ...(inner !== undefined && inner.length >= SHORTEST_INNER_TOKEN ? byteSpellings(inner) : []));
  // Percent-encoded twice (`%252B`: a client that encodes a segment its library encodes again), the secret and its
  // inner token whole: their escapes cut every run of it shorter than SECRET_RUN (decision 0683).
  for (const whole of inner !== undefined && inner.length >= SHORTEST_INNER_TOKEN ? [value, inner] : [value]) {
    const twice = encodeURIComponent(encodeURIComponent(whole));
    if (twice !== whole) spelled.push(twice);
  }
  return [...new Set(spelled)].filter((s) => s.length >= SHORTEST_SECRET);
}

/** Each byte percent-encoded, by its value: a table rather than a regular expression over the hex (decision 0413). */
const PERCENT_BYTE = Array.from({ length: 256 }, (_, byte) => `%${byte.toString(16).padStart(2, '0')}`);

/**
 * A text's bytes in hex (`Buffer#toString('hex')`, .NET's `Convert.ToHexString`, a hex dump in a debug message) and
 * with every byte percent-encoded (`%53%45...`, the same URI characters spelled otherwise). Letter case is folded
 * when matched, so upper- and lower-case hex are both found.
 */
function byteSpellings(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  let percent = '';
  for (const byte of bytes) percent += PERCENT_BYTE[byte];
  return [bytes.toString('hex'), percent];
}

/**
 * How a secret's spellings are found in a text: whole when short, by any run of SECRET_RUN characters when long.
 * The runs are found by a rolling hash (Rabin-Karp): each window of the text is hashed from the last one in constant
 * time, and only the runs in its slot are compared with it, character by character. Linear in the text and in the
 * spellings, and nothing is made per run or per position: the index of a secret's runs is two typed arrays over its
 * spellings joined, as conform builds one for each new VPP token it sends (a matcher of every run as a string cost
 * it 0.66 ms per request, 0.85 ms with a map of hashes to strings and a 128 KiB filter; 0.3-0.4 ms now, docs/decisions/0135).
 * A hash never decides alone: the characters of a window it points at are compared.
 */
interface SecretMatcher {
  whole: string[];
  runs?: RunIndex;
  /** literalSpellings, folded: a match inside one of these takes none of its neighbours. Made when a match is hidden. */
  literal?: string[];
}

/** Every run of SECRET_RUN characters of the long spellings, by hash: an open hash table of chains, typed arrays only. */
interface RunIndex {
  /** The long spellings, A-Z folded to lower case, one after the other with a NUL between (no run crosses one). */
  text: string;
  /** By slot, the start in `text` of the last run put there, or -1; `next` the one before it (a run two spellings share is there twice). */
  slots: Int32Array;
  next: Int32Array;
  /** By a run's start, its whole hash: a window is compared only with the runs of its slot that have its hash. */
  hashes: Int32Array;
  /** 32 less the slots' bits: a hash's slot is `(h ^ (h >>> shift)) & (slots.length - 1)`, its top bits folded in. */
  shift: number;
}

/**
 * The runs' hash is a cyclic polynomial (buzhash): a window's hash is the XOR of each character's random word rotated
 * by its distance from the window's end, so the window one character on is `rotl(h, 1) ^ rotl(word(out), SECRET_RUN)
 * ^ word(in)`: shifts and XOR only, written out in the loops below. (A multiplying hash was ten times slower under
 * jest, where Math.imul is another realm's function and is not inlined.)
 */
const WORDS = (() => {
  const words = new Int32Array(512);
  let x = 0x2545f491;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return words;
})();
/** A UTF-16 code unit's random word: its low byte's and its high byte's, XORed. */
const wordOf = (c: number): number => WORDS[c & 0xff] ^ WORDS[256 | (c >>> 8)];
/** `word` rotated left by SECRET_RUN % 32 bits: what the character leaving a window weighed in its hash. */
const leaving = (word: number): number => (word << SECRET_RUN) | (word >>> (32 - SECRET_RUN));

/** The hash of the SECRET_RUN characters of `text` from `at`. */
function hashOf(text: string, at: number): number {
  let h = 0;
  for (let i = at; i < at + SECRET_RUN; i++) h = ((h << 1) | (h >>> 31)) ^ wordOf(text.charCodeAt(i));
  return h;
}

/** Whether the SECRET_RUN characters of `a` from `i` are those of `b` from `j`. */
function sameRun(a: string, i: number, b: string, j: number): boolean {
  for (let k = 0; k < SECRET_RUN; k++) if (a.charCodeAt(i + k) !== b.charCodeAt(j + k)) return false;
  return true;
}

function runIndexOf(spellings: string[]): RunIndex | undefined {
  if (spellings.length === 0) return undefined;
  const text = spellings.join('\u0000');
  // At least twice as many slots as runs: most windows of a text fall in an empty slot. (Four times as many made an
  // sToken's index 164 KB, kept for each of up to MATCHERS_KEPT tokens, and filling it was most of a new token's
  // cost; a 4 MB text is read as fast at twice: decision 0413.)
  const bits = Math.max(4, Math.ceil(Math.log2(text.length * 2)));
  const shift = 32 - bits;
  const slots = new Int32Array(1 << bits).fill(-1);
  const mask = slots.length - 1;
  const next = new Int32Array(text.length).fill(-1);
  const hashes = new Int32Array(text.length);
  let start = 0;
  for (const spelling of spellings) {
    const end = start + spelling.length;
    let h = hashOf(text, start);
    for (let at = start; ; at++) {
      // Every window is listed, a run that another spelling shares too: a lookup stops at the first run it matches,
      // and telling a shared run apart here compared each one's characters again, three quarters of the index's
      // cost for an sToken's spellings (decision 0306).
      const slot = (h ^ (h >>> shift)) & mask;
      next[at] = slots[slot];
      slots[slot] = at;
      hashes[at] = h;
      if (at + SECRET_RUN >= end) break;
      h = ((h << 1) | (h >>> 31)) ^ leaving(wordOf(text.charCodeAt(at))) ^ wordOf(text.charCodeAt(at + SECRET_RUN));
    }
    start = end + 1;
  }
  return { text, slots, next, hashes, shift };
}

/** Letter case is not trusted to hide anything: a message may shout the credential it repeats. Only A-Z are
 * folded, so a place in the folded text is the same place in the text (String#toLowerCase turns 'İ' into two). */
const foldCase = (text: string): string => (/[^\x00-\x7f]/.test(text) ? text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : text.toLowerCase());

/** Matchers by secret: conform judges thousands of answers for a handful of credentials. */
const matchers = new Map<string, SecretMatcher>();
/**
 * How many matchers are kept (about 61 KB each for an sToken of the kit's fixtures: 250 MB at most; 93 KB before
 * decision 0413). Past it the oldest goes, and a text read against more secrets than this, in turn, builds each
 * again: 512 were too few for one client's 600 creates (P11).
 */
const MATCHERS_KEPT = 4096;

function matcherOf(value: string): SecretMatcher {
  const known = matchers.get(value);
  if (known) return known;
  const spellings = secretSpellings(value).map(foldCase);
  const matcher: SecretMatcher = { whole: spellings.filter((s) => s.length <= SECRET_RUN), runs: runIndexOf(spellings.filter((s) => s.length > SECRET_RUN)) };
  if (matchers.size >= MATCHERS_KEPT) matchers.delete(matchers.keys().next().value!);
  matchers.set(value, matcher);
  return matcher;
}

/** Where a text holds a secret in any of its spellings: [start, end) ranges, in order, not overlapping. */
function secretRanges(text: string, value: string): [number, number][] {
  if (value.length < SHORTEST_SECRET || text.length < SHORTEST_SECRET) return [];
  const matcher = matcherOf(value);
  const lower = foldCase(text);
  const ranges: [number, number][] = [];
  for (const spelling of matcher.whole) {
    for (let at = lower.indexOf(spelling); at >= 0; at = lower.indexOf(spelling, at + 1)) ranges.push([at, at + spelling.length]);
  }
  if (matcher.runs) eachRun(matcher.runs, lower, (i) => void ranges.push([i, i + SECRET_RUN]));
  return merged(ranges);
}

/**
 * Calls `found` with the start of each window of `lower` that is a run of `runs`, in order, and the run's place in
 * the index (the first run it matches, or with `every` each of them), until it returns true.
 */
function eachRun(runs: RunIndex, lower: string, found: (at: number, run: number) => boolean | void, every = false): void {
  if (lower.length < SECRET_RUN) return;
  const { slots, next, hashes, shift } = runs;
  const mask = slots.length - 1;
  let h = hashOf(lower, 0);
  for (let i = 0; ; i++) {
    for (let w = slots[(h ^ (h >>> shift)) & mask]; w >= 0; w = next[w]) {
      if (hashes[w] === h && sameRun(runs.text, w, lower, i)) {
        if (found(i, w)) return;
        if (!every) break;
      }
    }
    if (i + SECRET_RUN >= lower.length) break;
    h = ((h << 1) | (h >>> 31)) ^ leaving(wordOf(lower.charCodeAt(i))) ^ wordOf(lower.charCodeAt(i + SECRET_RUN));
  }
}

/**
 * A test over fixed `texts` (the words of the contract), asked of many secrets (conform's new VPP token per request):
 * false when no text holds the secret in any spelling (holdsSecret of each is false), read once over an index of
 * the texts' runs instead of once per text; true when one may, so that the caller asks holdsSecret of each.
 */
export function secretFilterOf(texts: readonly string[]): (value: string) => boolean {
  const folded = texts.filter((t) => t.length >= SHORTEST_SECRET).map(foldCase);
  const joined = folded.join('\u0000');
  const runs = runIndexOf(folded.filter((t) => t.length >= SECRET_RUN));
  return (value) => {
    if (value.length < SHORTEST_SECRET) return false;
    const matcher = matcherOf(value);
    if (matcher.whole.some((spelling) => joined.includes(spelling))) return true;
    // The secret's long spellings, read as a text against the texts' runs (a window across two spellings only adds a "may").
    let may = false;
    if (runs && matcher.runs) eachRun(runs, matcher.runs.text, () => (may = true));
    return may;
  };
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

/** How many secrets make hideSecrets read a text once for all of them before looking for each (secretsPrefilterOf). */
const MANY_SECRETS = 32;

/** Many secrets' long spellings in one index, each window's secret by its start; the secrets with a short spelling. */
interface SecretsPrefilter {
  runs: RunIndex | undefined;
  owners: Int32Array;
  always: number[];
}

/** By the values array a caller keeps (check-client's traffic secrets): built once, read for every text. */
const prefilters = new WeakMap<readonly (string | undefined)[], SecretsPrefilter>();

function secretsPrefilterOf(values: readonly (string | undefined)[]): SecretsPrefilter {
  const known = prefilters.get(values);
  if (known) return known;
  const long: string[] = [];
  const ownerOf: number[] = [];
  const always = new Set<number>();
  values.forEach((value, n) => {
    if (!value || value.length < SHORTEST_SECRET) return;
    for (const spelling of secretSpellings(value).map(foldCase)) {
      if (spelling.length <= SECRET_RUN) always.add(n);
      else {
        long.push(spelling);
        ownerOf.push(n);
      }
    }
  });
  const runs = runIndexOf(long);
  const owners = new Int32Array(runs ? runs.text.length : 0);
  let start = 0;
  long.forEach((spelling, k) => {
    owners.fill(ownerOf[k], start, start + spelling.length);
    start += spelling.length + 1;
  });
  const prefilter = { runs, owners, always: [...always] };
  prefilters.set(values, prefilter);
  return prefilter;
}

/**
 * The values of many that `text` may hold: every window of the text looked up once in their joined index, each
 * matching run's secret kept (all of them: every sToken shares runs of its JSON skeleton with every other). A value
 * secretRanges would find is never left out; the others are not looked for one by one (outside tester P11: 600 VPP
 * tokens of one client, each string of its report read against each, the matchers rebuilt past 512, took minutes).
 */
function valuesTextMayHold(text: string, values: readonly (string | undefined)[]): (string | undefined)[] {
  const { runs, owners, always } = secretsPrefilterOf(values);
  const found = new Set<number>(always);
  if (runs) eachRun(runs, foldCase(text), (_at, run) => void found.add(owners[run]), true);
  return [...found].sort((a, b) => a - b).map((n) => values[n]);
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
  const marked: { range: [number, number]; mark: string; literal: boolean }[] = [];
  const hide = (value: string | undefined, mark: string) => {
    if (!value) return;
    for (const range of secretRanges(text, value)) {
      const found = foldCase(text.slice(range[0], range[1]));
      const matcher = matcherOf(value);
      matcher.literal ??= literalSpellings(value).map(foldCase);
      marked.push({ range, mark, literal: matcher.literal.some((spelling) => spelling.includes(found)) });
    }
  };
  hide(secrets.bearer, '[bearer]');
  hide(secrets.sent, SENT_TOKEN);
  const values = secrets.values ?? [];
  for (const value of values.length > MANY_SECRETS ? valuesTextMayHold(text, values) : values) hide(value, '[token]');
  // A kept value may share a run of characters with a secret (every kit sToken has the same expiry): it stays whole.
  const kept: [number, number][] = [];
  for (const value of secrets.keep ?? []) for (let at = value ? text.indexOf(value) : -1; at >= 0; at = text.indexOf(value, at + 1)) kept.push([at, at + value.length]);
  if (kept.length > 0) marked.splice(0, marked.length, ...marked.filter(({ range: [s, e] }) => !kept.some(([ks, ke]) => s < ke && e > ks)));
  if (marked.length === 0) return text;
  let out = '';
  let at = 0;
  for (const { range, mark, literal } of marked.sort((a, b) => a.range[0] - b.range[0])) {
    let [start, end] = range;
    if (end <= at) continue;
    start = Math.max(start, at);
    // The characters at the edges of a match in base64 that also carry a neighbour's bits are the secret's too.
    for (let n = 0; !literal && n < 3 && start > at && BASE64_CHAR.test(text[start - 1]) && text[start - 1] !== '='; n++) start--;
    for (let n = 0; !literal && n < 3 && end < text.length && BASE64_CHAR.test(text[end]) && text[end] !== '='; n++) end++;
    while (end < text.length && text[end] === '=') end++;
    out += `${text.slice(at, start)}${mark}`;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * `text` with every credential replaced by a mark: the secrets given, in any spelling (hideSecrets), a URL's
 * `user:password@` as `***@`, any `Bearer <value>` as `Bearer [bearer]`, and any sToken (or the start of one)
 * wherever it stands, given or not (a token in a URL's path or query, another caller's), as `[token]` (as
 * `[another VPP token]` beside the one the request sent, when the secrets name it: Secrets.sent).
 */
export function redact(text: string, secrets: Secrets = {}): string {
  const out = hideSecrets(secrets.sent === undefined ? text : tellSTokensApart(text, secrets.sent), secrets);
  // A value of letters alone is prose ("bearer everywhere"), not a credential.
  return out
    .replace(URL_CREDENTIALS, '$1***@')
    .replace(BEARER_VALUE, (match, scheme: string, space: string, value: string) => (/^[A-Za-z]+$/.test(value) ? match : `${scheme}${space}[bearer]`))
    .replace(STOKEN_RUN, secrets.sent === undefined ? '[token]' : ANOTHER_TOKEN);
}

/**
 * Each whole sToken in `text` named as the one the request sent (in any spelling: the same bytes) or as another:
 * told before the sent one's runs are looked for, since every sToken shares its JSON skeleton with every other (a
 * run of 24 characters of `","expDate":"20`), so another caller's would be hidden as pieces of the sent one. A run
 * that is no whole sToken (a part of one) is left to hideSecrets.
 */
function tellSTokensApart(text: string, sent: string): string {
  const bytes = (token: string) => {
    try {
      return Buffer.from(decodeURIComponent(token), 'base64');
    } catch {
      return Buffer.from(token, 'base64');
    }
  };
  const own = bytes(sent);
  return text.replace(STOKEN_RUN, (run) => (bytes(run).equals(own) ? SENT_TOKEN : isSToken(run) ? ANOTHER_TOKEN : run));
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

/** A JSON string token: its quotes, and between them anything but a quote or a backslash, or a backslash and what it escapes. */
const JSON_STRING = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"/g;

/**
 * A body's text redacted as its reader reads it: a JSON body that holds escapes (`\u0042\u0065...`, `\/`) spells its
 * strings otherwise than a reader sees them (RFC 8259 §7), so when its strings hold a secret each is spelt again
 * without them (JSON.stringify) and redacted; any other body is redacted as it is (outside tester K2).
 */
export function redactBody(text: string, secrets: Secrets = {}): string {
  const clean = redact(text, secrets);
  if (!clean.includes('\\')) return clean;
  // Each string spelt as JSON.stringify spells what a reader reads, the text between them kept: no value is built,
  // so a body nested deeper than any reader goes is shown too (decision 0385), and a body that is not JSON as well.
  const read = clean.replace(JSON_STRING, (raw) => {
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.stringify(JSON.parse(raw));
    } catch {
      return raw; // a broken escape: as it stands
    }
  });
  const hidden = redact(read, secrets);
  return hidden === read ? clean : hidden;
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
    return urlTextShown(String(target));
  }
  // `localhost:9/beta` parses with `localhost:` as its scheme, and an opaque origin ("null"): shown as text.
  if (url.origin === 'null') return urlTextShown(url.href);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * A URL's text as the kit shows it when it is no http(s) URL to take apart (a scheme forgotten, `admin:pw@host`,
 * unparsable): cut at its query or fragment (which may hold a gateway key), the user and password before the host
 * as `***@`, any other credential redacted (outside finding Y5). A text that is not a URL has its credentials
 * removed all the same.
 */
export function urlTextShown(text: string): string {
  // The user and password first: a `?` or `#` in a password must not cut it in two and show its start.
  const [, scheme = '', authority, rest] = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?([^/\\]*)([\s\S]*)$/.exec(text)!;
  const at = authority.lastIndexOf('@');
  return redact(`${scheme}${at < 0 ? authority : `***@${authority.slice(at + 1)}`}${rest}`.split(/[?#]/)[0]);
}

/**
 * Whether a string is an Apple sToken, the VPP credential: base64 (or base64url) of a JSON object with a `token`
 * member. Found by what it is, not by the key it came under: a client's typo (`"Token"`) still sends it.
 */
export function isSToken(value: string): boolean {
  return innerTokenOf(value) !== undefined;
}

/**
 * What every sToken, and every part of one from its start, holds: the base64 (or base64url) of `{"token"` at each
 * byte alignment, or, decoded, a JSON `"token": "` member. An sToken is found by these inside a longer string too
 * (after `Bearer ` or `token=`, with a final newline, wrapped at 76 columns, cut to its first 40 characters).
 */
const STOKEN_MARKS = [...new Set(base64Runs('{"token"').flatMap(bothAlphabets))].filter((run) => run.length >= 8);
/**
 * The marks with every byte percent-encoded too (`%65%79%4a%30...`, in any letter case: a URL encoder that encodes
 * every byte, as the redaction's byteSpellings knows a secret's): an sToken so spelt in a URL is one all the same
 * (decision 0683). Its run goes on over the `%XX` that follow.
 */
const STOKEN_MARK = new RegExp([...STOKEN_MARKS.map((mark) => mark.replace(/[+/]/g, '\\$&')), ...STOKEN_MARKS.map((mark) => byteSpellings(mark)[1])].join('|'), 'i');
/** An sToken (or its start) in a text, in any letter case (a message may lower-case it): from its mark to the end of
 * its run of base64, base64url or percent-encoded characters (an sToken in a URL ends `%3D`). */
const STOKEN_RUN = new RegExp(`(?:${STOKEN_MARK.source})[A-Za-z0-9+/=_%-]*`, 'gi');
/** STOKEN_RUN for one `exec`, made once: queryCredentialOf asks it of every query value of every request. */
const STOKEN_RUN_ONCE = new RegExp(STOKEN_RUN.source, 'i');
const DECODED_TOKEN_MEMBER = /"token"\s*:\s*"/i;

/** Whether a string holds an sToken, or the start of one, anywhere in it (STOKEN_MARKS): a credential, never shown. */
export function holdsSToken(text: string): boolean {
  return STOKEN_MARK.test(text) || DECODED_TOKEN_MEMBER.test(text);
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

/**
 * A JSON value with every string (and property name) redacted (`redact`): what a file written from a client's
 * body (a pact) holds in place of a credential the client put in other properties too (`"imported from [token]"`).
 * Iterative over arrays and objects; the shape is kept.
 */
export function redactStrings(root: unknown, secrets: Secrets = {}): unknown {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return redact(value, secrets);
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k, secrets), walk(v)]));
  };
  return walk(root);
}

/**
 * Whether a query parameter carries a credential (RFC 6750 §2.3; outside testers G15, H9), and which: an
 * `access_token` (its name in any case; `access%5Ftoken` arrives decoded), a `Bearer …` value under any name, or
 * an Apple sToken under any name. `value` is the credential itself (a bearer's token without its scheme). Inside a
 * longer value too: `$filter=token eq '<sToken>'`, `startswith(token,'<its first 40 characters>')` or
 * `displayName eq 'Bearer <access token>'` puts the credential in the URL as surely as `x=<it>` (outside tester L10;
 * RFC 6750 §5.3): found as the redaction finds them (an sToken's start by its mark, a Bearer value not of letters alone).
 */
export function queryCredentialOf(name: string, value: string): { kind: 'access_token' | 'bearer' | 'sToken'; value: string } | undefined {
  const trimmed = value.trim();
  if (name.toLowerCase() === 'access_token') return { kind: 'access_token', value: trimmed };
  const bearer = /^bearer[ \t]+(\S.*)$/i.exec(trimmed);
  if (bearer) return { kind: 'bearer', value: bearer[1] };
  if (isSToken(trimmed)) return { kind: 'sToken', value: trimmed };
  const sToken = STOKEN_RUN_ONCE.exec(trimmed);
  if (sToken) return { kind: 'sToken', value: sToken[0] };
  for (const inner of trimmed.matchAll(BEARER_VALUE)) if (!/^[A-Za-z]+$/.test(inner[3])) return { kind: 'bearer', value: inner[3] };
  return undefined;
}

/**
 * Query parameter names that carry a credential by convention, in any letter case (outside tester H29): API
 * Management's `subscription-key`, an Azure SAS `sig`, OAuth's `client_secret` and `code`, API keys, passwords.
 * Their values are hidden in whatever is written; the judgement does not refuse them (Graph does not read them).
 */
const CONVENTIONAL_CREDENTIAL = /^(subscription-key|sig|signature|client_secret|client-secret|code|api[_-]?key|x-api-key|key|password|passwd|pwd|secret|token|auth|authorization|id_token|refresh_token)$/i;

/** The credentials in a request target's query (`/path?access_token=...`, or a whole URL), decoded: what a writer hides. */
export function queryCredentials(target: string): string[] {
  const at = target.indexOf('?');
  if (at < 0) return [];
  const found: string[] = [];
  for (const [name, value] of new URLSearchParams(target.slice(at + 1).split('#')[0])) {
    const credential = queryCredentialOf(name, value);
    if (credential && credential.value !== '') found.push(credential.value);
    else if (CONVENTIONAL_CREDENTIAL.test(name) && value.trim() !== '') found.push(value.trim());
  }
  return found;
}

/**
 * Query parameters known to carry no credential: OData's system query options, with their `$` or without it (Graph
 * beta takes both spellings, decision 0182), in any letter case. Any other parameter's value may be one: a list of
 * credential names always misses one (outside tester I24: `access-token`, `jwt`, `X-Amz-Security-Token`, `session`),
 * so a writer keeps the values of these parameters only (redactQuery), as it does for headers (isPlainHeader).
 */
const PLAIN_QUERY_OPTIONS = new Set([
  'filter', 'select', 'top', 'skip', 'skiptoken', 'orderby', 'count', 'expand', 'format', 'search', 'levels', 'apply',
  'compute', 'deltatoken', 'index', 'schemaversion', 'id',
]);

/** Whether a query parameter is known to carry no credential, so its value may be written (PLAIN_QUERY_OPTIONS). */
export const isPlainQueryParameter = (name: string): boolean => PLAIN_QUERY_OPTIONS.has(name.replace(/^\$/, '').toLowerCase());

/**
 * A query string (without its `?`) as it may be written: each parameter keeps its name as sent, an OData option its
 * value, any other parameter `mark` in place of a value it has (`$top=1&session=[redacted]`).
 */
export function redactQuery(query: string, mark = '[redacted]'): string {
  return query
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at < 0 || at === pair.length - 1) return pair;
      const raw = pair.slice(0, at);
      let name = raw;
      try {
        name = decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: the name as it was sent, not an OData option
      }
      return isPlainQueryParameter(name) ? pair : `${raw}=${mark}`;
    })
    .join('&');
}

/** A URL or request target (`/path?query#fragment`) with its query as it may be written (redactQuery). */
export function redactTargetQuery(target: string, mark = '[redacted]'): string {
  const at = target.indexOf('?');
  if (at < 0) return target;
  const hash = target.indexOf('#', at);
  const end = hash < 0 ? target.length : hash;
  return `${target.slice(0, at + 1)}${redactQuery(target.slice(at + 1, end), mark)}${target.slice(end)}`;
}

/**
 * A request target or URL as the kit writes it when it names more than a service (a page of a collection, a link
 * a server wrote): its query as redactQuery leaves it, then every credential hidden as redact hides them, the
 * secrets given in any spelling (an OData option's value may hold one: `$skiptoken=<a gateway's key>`).
 */
export function shownTarget(target: string, secrets: Secrets = {}): string {
  return redact(redactTargetQuery(target), secrets);
}

/**
 * Header fields known to carry no credential: HTTP's own (RFC 9110, 9111, 9112), CORS's, OData's, those Graph and its
 * clients send (`client-request-id`, `SdkVersion`, `x-ms-ags-diagnostic`...) and a front's forwarding fields
 * (`Forwarded`, `X-Forwarded-Host`...). Any other field's value may be one: a gateway's key (`X-Functions-Key`,
 * `Ocp-Apim-Subscription-Key`), a session (`Cookie`, `X-Auth-Token`), a cloud's token (`X-Amz-Security-Token`,
 * `X-Goog-Api-Key`). A list of credential names always misses one (outside tester I1), so a writer keeps the values of
 * these fields only (isPlainHeader), and the judgement of an answer looks for the others (credentialLines).
 */
const PLAIN_HEADERS = new Set([
  'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'accept-ranges', 'age', 'allow', 'cache-control',
  'connection', 'content-disposition', 'content-encoding', 'content-language', 'content-length', 'content-location',
  'content-range', 'content-type', 'date', 'etag', 'expect', 'expires', 'host', 'if-match', 'if-modified-since',
  'if-none-match', 'if-range', 'if-unmodified-since', 'keep-alive', 'last-modified', 'location', 'max-forwards',
  'pragma', 'range', 'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary',
  'via', 'www-authenticate', 'strict-transport-security', 'x-content-type-options', 'x-frame-options', 'x-powered-by',
  'origin', 'access-control-request-method', 'access-control-request-headers', 'access-control-allow-origin',
  'access-control-allow-methods', 'access-control-allow-headers', 'access-control-allow-credentials',
  'access-control-expose-headers', 'access-control-max-age', 'odata-version', 'odata-maxversion', 'odata-entityid',
  'prefer', 'preference-applied', 'consistencylevel', 'client-request-id', 'request-id', 'return-client-request-id', 'sdkversion',
  'x-ms-ags-diagnostic', 'x-ms-resource-unit', 'x-ms-throttle-limit-percentage', 'x-ms-throttle-scope',
  'x-ms-throttle-information', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'x-ratelimit-limit',
  'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ms-client-request-id', 'x-ms-request-id', 'traceparent', 'tracestate',
  // Correlation ids, which services and gateways answer back as sent (a facade echoing one is no leak; decision 0860).
  'x-request-id', 'x-correlation-id', 'correlation-id',
  // Trace and correlation ids the clouds' and tracers' middleware answer back and pass on (decision 0981): Azure's
  // (ARM's x-ms-correlation-request-id, x-ms-client-session-id), AWS's (ALB and X-Ray), Google Cloud's, W3C Baggage
  // (beside traceparent and tracestate; its spec asks that it hold nothing sensitive), Zipkin's B3 and Jaeger's.
  'x-ms-correlation-request-id', 'x-ms-client-session-id', 'x-amzn-trace-id', 'x-cloud-trace-context', 'baggage',
  'b3', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags', 'uber-trace-id',
  // Sentry's and Datadog's, which their SDKs add to every outgoing request, the plain X-Trace-Id, X-Client-Request-Id
  // (the X- spelling of client-request-id) and CloudFront's X-Amz-Cf-Id (decision 1026: more names, no name rule).
  'sentry-trace', 'x-datadog-trace-id', 'x-datadog-parent-id', 'x-datadog-sampling-priority', 'x-datadog-origin',
  'x-datadog-tags', 'x-trace-id', 'x-client-request-id', 'x-amz-cf-id',
  // Decision 1052, each by its definition: OpenCensus's binary trace context (BinaryEncoding.md: version, trace id, span
  // id, trace options; gRPC's, traceparent in bytes), New Relic's distributed tracing payload (account, application,
  // trace and span ids, priority, sampled, timestamp), W3C Trace Context Level 2's traceresponse (traceparent's fields)
  // and Elastic APM's elastic-apm-traceparent (traceparent under its own name), Application Insights' Request-Context
  // (`appId=cid-v1:<application id>`) and Correlation-Context (baggage's forerunner, HttpCorrelationProtocol), and the
  // ids services give a request for support: S3's x-amz-request-id and x-amz-id-2 (Common Response Headers), API
  // Gateway's and Lambda's x-amzn-RequestId, Azure Resource Manager's x-ms-routing-request-id, Azure Front Door's
  // X-Azure-Ref and X-MSEdge-Ref, Cloudflare's CF-Ray.
  'grpc-trace-bin', 'newrelic', 'traceresponse', 'elastic-apm-traceparent', 'request-context', 'correlation-context',
  'x-amz-request-id', 'x-amz-id-2', 'x-amzn-requestid', 'x-ms-routing-request-id', 'x-azure-ref', 'x-msedge-ref', 'cf-ray',
  // What a front says of its client's request: the host, scheme, port and path prefix asked, the client's address, the
  // front's own name (RFC 7239's Forwarded and the de facto X-Forwarded-*, X-Original-Host, X-Real-IP). The reference
  // provider names the forwarded host in its links on purpose (decision 0566): an answer naming it echoes no
  // credential (decision 0980).
  'forwarded', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-prefix',
  'x-forwarded-server', 'x-original-host', 'x-real-ip', 'x-forwarded-path',
  // Fetch Metadata (W3C), which fetch sets on every request (undici's `sec-fetch-mode: cors`).
  'sec-fetch-mode', 'sec-fetch-site', 'sec-fetch-dest', 'sec-fetch-user',
]);

/** Whether a header field is known to carry no credential, so its value may be written (PLAIN_HEADERS). */
export const isPlainHeader = (name: string): boolean => PLAIN_HEADERS.has(name.toLowerCase());

/** Whether a JSON property holds a credential by its name: `token` in any letter case (what Graph would read as one). */
export const isCredentialKey = (name: string): boolean => name.toLowerCase() === 'token';

/**
 * Every credential a JSON value holds, at any depth: the string value of any `token` property, whatever its letter
 * case, and any string that is an sToken. What a writer redacts from a body it was given. Each object or array is read
 * once: a library caller's value may refer to itself (outside tester M4: validate of one spun for ever, and one
 * through an array grew until the process died) or reach one object by many paths.
 */
export function secretValuesIn(root: unknown): string[] {
  const found = new Set<string>();
  const read = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (isSToken(value)) found.add(value);
      continue;
    }
    if (typeof value !== 'object' || value === null || read.has(value)) continue;
    read.add(value);
    if (Array.isArray(value)) {
      // One at a time: spread into push, an array of some 125,000 items or more overflows the call stack (a 3 MB create).
      for (const item of value) pending.push(item);
    } else {
      for (const [key, inner] of Object.entries(value)) {
        if (isCredentialKey(key) && typeof inner === 'string' && inner !== '') found.add(inner);
        else pending.push(inner);
      }
    }
  }
  return [...found];
}

/**
 * A control character that is not a line's end or a tab, a CR not before LF, an ESC that starts no colour code: a
 * colour code is SGR alone (ESC [ ... m), the only codes Pact colours its report with, so a provider's ESC [2J
 * (clear the screen), ESC [H or ESC [?25l is written out even where colour is kept (decision 0328).
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f-\u009f]|\r(?!\n)|\u001b(?!\[[0-9;]*m)/g;

/**
 * `text` with every control character a terminal would act on written as `\u001b`, `\u0007`, `\r`...: what a
 * provider answered is data, and printed raw it could set the terminal's title, ring, or overwrite the line before
 * it (outside tester H19). Line ends, tabs and colour codes (ESC [ ... m) stay.
 */
/** One character written out as a JSON and JavaScript escape: `\\u009b`. */
const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

export const escapeControls = (text: string): string => text.replace(CONTROL, (c) => (c === '\r' ? '\\r' : unicodeEscape(c)));

/** A C1 control character (U+0080-U+009F), or DEL: no line of the kit's own holds one. */
const C1 = /[\u007f-\u009f]/g;

/**
 * `text` with its C1 control characters and DEL written out (`\\u009b`), nothing else touched: what every command
 * writes to stdout and stderr (src/cli/main.ts; outside tester L2). In a JSON string the escape is the same character.
 */
export const escapeC1Controls = (text: string): string => text.replace(C1, unicodeEscape);

/**
 * `text` that is one value of someone else's data (a pact's consumer name or description, a client's URL, an answer's
 * error code), shown on a line of the kit's: every control character escaped, line ends, tabs and ESC too, since such
 * a value carries no colour of the kit's and a line break in it would forge a line of the report (outside tester K10:
 * `ESC]0;title BEL`, `ESC[2J` from a pact reached the terminal in compare).
 */
export const escapeData = (text: string): string => escapeControls(text).replace(/[\n\t\r\u001b]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : '\\u001b'));

/** A text as a reader sees it printed: compatibility and canonical forms folded (NFKC), every space a space, what is default-ignorable (zero-width) gone. */
const asPrinted = (text: string): string => text.normalize('NFKC').replace(/\s/gu, ' ').replace(/\p{Default_Ignorable_Code_Point}/gu, '');

/** JSON of a string with every character past printable ASCII written as its \u escape (a pair as two). */
const escapedJson = (text: string): string => JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Two values a message shows side by side (`must be A ... (got B)`), each as `show` writes it; but two strings that
 * differ and would print alike (U+00A0 or another space for a space, e + U+0301 for é, a compatibility character,
 * a zero-width one) are written as JSON with every character past printable ASCII escaped, so the message says how
 * they differ (outside finding R63: `must be "Fleet A" ... (got "Fleet A")`). The one rule of every message that
 * sets a value beside another.
 */
export function shownApart(a: unknown, b: unknown, show: (value: unknown) => string): [string, string] {
  if (typeof a === 'string' && typeof b === 'string' && a !== b && asPrinted(a) === asPrinted(b)) return [escapedJson(a), escapedJson(b)];
  return [show(a), show(b)];
}

/** The longest typed word a message shows as it is: a longer one may be a credential typed without its option. */
const SHOWN_WORD_LENGTH = 24;

/** A stray argument as an error shows it: a long one may be a credential typed without its option (`seed ... "$TOKEN"`), so its length, never its text. */
export const shownArgument = (word: string): string => (word.length > SHOWN_WORD_LENGTH ? `an argument of ${word.length} characters, not shown` : JSON.stringify(word));

/** The shell's `NAME=value` assignment, which a program run without a shell takes for its own name. */
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

/** `NAME` when `word` is a `NAME=value` assignment (`GRAPH_TOKEN=eyJ...`), otherwise undefined. */
export const assignedName = (word: string): string | undefined => ASSIGNMENT.exec(word)?.[1];

/** The longest program name with no folder in it shown as it is (`my-company-graph-client` is; a key or a JWT is not). */
const SHOWN_PROGRAM_LENGTH = 40;

/**
 * A program's name as a message, a report or a JUnit suite shows it (check-client's client): a `NAME=value` word by
 * its name and the value's length (the shell's idiom for a credential, outside tester P3); a name with no folder in
 * it longer than 40 characters by its length (a credential typed where the program goes); a path as it is.
 */
export function shownProgram(word: string): string {
  const assignment = ASSIGNMENT.exec(word);
  if (assignment) return `${assignment[1]}=(a value of ${assignment[2].length} characters, not shown)`;
  return word.length > SHOWN_PROGRAM_LENGTH && !/[/\\]/.test(word) ? `a program name of ${word.length} characters, not shown` : word;
}

/** A word of base64 or base64url characters alone, as an sToken typed by itself is. */
const BASE64_WORD = /^[A-Za-z0-9+/_-]+=*$/;

/** A JWS in compact form (RFC 7515 §7.1), as an Entra ID access token is: three base64url parts, the first a JSON object's (`eyJ`). */
const JWS = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The words of a command line that are credentials, a VPP token (base64 that holdsSToken finds one in) or a JWT,
 * the whole word or an option's `--name=value`'s value: typed where a file goes (`vppkit validate "$VPP_TOKEN"`, outside tester
 * P15), no line of the kit's may quote them.
 */
export function typedCredentials(argv: readonly string[]): string[] {
  const values = argv.map((word) => (/^--[^=]+=/.test(word) ? word.slice(word.indexOf('=') + 1) : word));
  // The word is the credential, nothing else: a client's code given to `node -e` that holds an sToken is no credential typed.
  return values.filter((value) => JWS.test(value) || (BASE64_WORD.test(value) && holdsSToken(value)));
}

