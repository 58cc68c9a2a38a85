import { publicUrl, redact } from './redact';

/**
 * The one rule for a URL option (verify's and conform's --provider-base-url, seed's and proxy's --target): an
 * http or https URL. `localhost:8080` parses as a URL of scheme `localhost:`, so a missing scheme is said as
 * such, with the value given (any credentials in it hidden) and an example; `fail` makes the caller's error.
 */
export function httpUrlOf(text: string, option: string, fail: (message: string) => Error, example = 'http://127.0.0.1:8080/beta'): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw fail(`${option} must be an http or https URL, such as ${example} (got ${JSON.stringify(redact(text, {}))})`);
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
export function baseUrlOf(text: string, option: string, fail: (message: string) => Error, example?: string): URL {
  const url = httpUrlOf(text, option, fail, example);
  if (url.search || url.hash || text.includes('?') || text.includes('#')) throw fail(`${option} is a base URL without a query or fragment (got ${publicUrl(url)} with one)`);
  return url;
}
