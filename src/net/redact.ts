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

/** `user:password@` (or `user@`) after a URL's scheme. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;
/** `Bearer <value>` in a header echoed back or a message, whatever the scheme's case (RFC 6750's token68). */
const BEARER_VALUE = /\b(bearer)(\s+)([A-Za-z0-9\-._~+/]{8,}=*)/gi;

/**
 * `text` with every credential replaced by a mark: the bearer as `[bearer]`, a secret value as `[token]`, a URL's
 * `user:password@` as `***@`, any `Bearer <value>` as `Bearer [bearer]`.
 */
export function redact(text: string, secrets: Secrets = {}): string {
  let out = text;
  if (secrets.bearer && secrets.bearer.length >= SHORTEST_SECRET) out = out.split(secrets.bearer).join('[bearer]');
  for (const value of secrets.values ?? []) if (value && value.length >= SHORTEST_SECRET) out = out.split(value).join('[token]');
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
