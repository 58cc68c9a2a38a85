// What a proxy writes down (HAR, pact, report, log) never holds a credential: bearers and other credential
// headers lose their values, every `token` property of a JSON body its value, a URL its user and password.

export const REDACTED = '[redacted]';

/** Headers whose values are credentials. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-ms-token', 'x-api-key', 'api-key', 'ocp-apim-subscription-key']);

/** A header value as it may be written: a credential keeps its scheme (`Bearer [redacted]`), nothing more. */
export function redactHeader(name: string, value: string): string {
  if (!CREDENTIAL_HEADERS.has(name.toLowerCase())) return value;
  const scheme = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +\S/.exec(value);
  return scheme && name.toLowerCase().endsWith('authorization') ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

/** A JSON value with every `token` property's value replaced, at any depth (a vppToken's token is Apple's credential). */
export function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'token' && v !== null && v !== '' ? REDACTED : redactJson(v)]));
}

/** A URL as it may be shown: without user and password (and, with `query: false`, without its query). */
export function shownUrl(url: URL | string, { query = true }: { query?: boolean } = {}): string {
  const shown = new URL(String(url));
  shown.username = '';
  shown.password = '';
  if (!query) shown.search = '';
  return shown.toString();
}
