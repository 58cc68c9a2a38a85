import { shownOption } from './option';
import { publicUrl, redact, urlTextShown } from './redact';

/** A URL option as text: a `URL` object by its href (decision 0804), anything else as it is, for its check to say. */
export function urlText<T>(value: T): Exclude<T, URL> | string {
  return value instanceof URL ? value.href : (value as Exclude<T, URL>);
}

/**
 * The one rule for a URL option (verify's and conform's --provider-base-url, seed's and proxy's --target): an
 * http or https URL. `localhost:8080` parses as a URL of scheme `localhost:`, so a missing scheme is said as
 * such, with the value given (any credentials in it hidden) and an example; `fail` makes the caller's error.
 * A WHATWG `URL` object (what fetch and http.request take, `new URL('/beta', provider.url)`) is taken by its href,
 * for every URL option of the library alike (outside finding R97, decision 0804: the proxy took one, verify, conform
 * and seed said `(got an object)`).
 */
export function httpUrlOf(given: string | URL, option: string, fail: (message: string) => Error, example = 'http://127.0.0.1:8080/beta'): URL {
  const text = urlText(given);
  // A library caller's missing or other-kind value (`seedVppTokens({})`) is shown as what it is, `(got undefined)`,
  // never read as the text "undefined" nor failed inside on it (outside finding R83).
  if (typeof text !== 'string') throw fail(`${option} must be an http or https URL, such as ${example} (got ${shownOption(text)})`);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw fail(`${option} must be an http or https URL, such as ${example} (got ${JSON.stringify(urlTextShown(text))})`);
  }
  return url;
}

/**
 * A base URL option (verify's and conform's --provider-base-url, seed's and proxy's --target): an http or https URL
 * (httpUrlOf) with no query or fragment. The kit appends a path to it, so a query would be sent nowhere (verify
 * dropped it without a word) or in the wrong place (conform sent `.../beta?api-version=2/deviceAppManagement/...`,
 * every create got 404, and the provider was blamed): refused at once, the URL shown without the query (which may
 * hold a gateway key).
 */
export function baseUrlOf(
  given: string | URL,
  option: string,
  fail: (message: string) => Error,
  example?: string,
  /** Where the command takes credentials instead: its own options differ (seed has no --header, the proxy neither). */
  credentials = "give a gateway's credentials with --header, the bearer with --bearer",
): URL {
  const text = urlText(given);
  const url = httpUrlOf(text, option, fail, example);
  if (url.search || url.hash || text.includes('?') || text.includes('#')) throw fail(`${option} is a base URL without a query or fragment (got ${publicUrl(url)} with one)`);
  // A user and password before the host were sent nowhere (outside tester J30): the kit's requests carry the bearer
  // in Authorization, which HTTP's Basic credentials would take too, and RFC 9110 §4.2.4 deprecates userinfo in
  // http(s) URIs. Refused, as a query is, never dropped; neither is shown.
  if (url.username || url.password) throw fail(`${option} must not carry a user or password (user:password@ is not sent: RFC 9110 §4.2.4); ${credentials} (got ${publicUrl(url)} with one)`);
  return url;
}

/** The names of this machine's loopback (RFC 6761 §6.3): `localhost` and its addresses reach the same socket. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Two URLs on one host, or on two names of the same loopback socket (the same port): the kit's reference provider
 * writes its listening address (`127.0.0.1:PORT`) into its answers, and a user may have asked it as `localhost`.
 * The scheme is the caller's to compare.
 */
export function sameHost(a: URL, b: URL): boolean {
  if (a.host.toLowerCase() === b.host.toLowerCase()) return true;
  return a.port === b.port && LOOPBACK.has(a.hostname.toLowerCase()) && LOOPBACK.has(b.hostname.toLowerCase());
}

/**
 * A public host option (verify's, conform's and the proxy's --public-host): the host a service behind a gateway
 * names itself by in its answers, `gw.example` or `gw.example:8443`, or an origin (`https://gw.example`), whose
 * host is taken. A path, query, user or password is refused, not dropped; `fail` makes the caller's error.
 */
export function publicHostOf(text: string, option: string, fail: (message: string) => Error): string {
  const origin = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text);
  let url: URL | undefined;
  try {
    url = new URL(origin ? text : `http://${text}`);
  } catch {
    url = undefined;
  }
  const plain = url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '' && url.pathname === '/' && !url.search && !url.hash;
  if (!plain || (!origin && /[/?#@\\]/.test(text))) {
    // Only the host is shown: a user, password, path, query or fragment may hold a credential (outside tester L15).
    const shown = !/[/?#@]/.test(text) ? JSON.stringify(redact(text, {}).slice(0, 200)) : url !== undefined && url.host !== '' ? `${JSON.stringify(url.host)} with more, not shown: it may hold a credential` : `${text.length} characters, not shown: they may hold a credential`;
    throw fail(`${option} must be a host, with its port when not the scheme's own (gw.example, gw.example:8443), or an origin (https://gw.example): no path, query, user or password (got ${shown})`);
  }
  return url!.host.toLowerCase();
}

/**
 * The request target (path and query) of a link followed as the server wrote it: OData 4.01 JSON §4.5.5 makes a next
 * link opaque, and Graph says to use the entire URL; WHATWG's URL serialisation percent-encodes `'` in a query, and a
 * reserved character percent-encoded is another URI (RFC 3986 §2.2, §6.2.2.2; outside tester K20). A relative link's
 * path is the resolved one. The resolved URL's own serialisation when the target as written can't be sent (a space, a
 * character outside ASCII).
 */
export function targetAsWritten(link: string, resolved: URL): string {
  const written = link.split('#')[0];
  const at = written.indexOf('?');
  const query = at < 0 ? '' : written.slice(at);
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/?]*(\/[^?]*)?/i.exec(written)?.[1] ?? resolved.pathname;
  const target = `${path || '/'}${query}`;
  return /^[\x21-\x7e]+$/.test(target) ? target : `${resolved.pathname}${resolved.search}`;
}
