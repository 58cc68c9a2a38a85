// `--header NAME=VALUE` on verify and conform: extra headers for a gateway in front of the provider. A value may
// be a credential (a subscription key): no message, report or log ever shows one, only the header's name.

/** A header option that can't be used; the message names the header, never its value. */
export class HeaderOptionError extends Error {
  override readonly name = 'HeaderOptionError';
}

// RFC 9110's token: the characters a field name may have.
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers the contract's own requests set, or that belong to the connection: an extra header may not replace them. */
const RESERVED: Readonly<Record<string, string>> = {
  authorization: "give the access token with --bearer, the one option the kit takes it by and never shows (verify's pact and conform's negative cases also send requests without one)",
  'content-type': 'each request sends the one it is about',
  'content-length': 'it is the body\'s length',
  'content-encoding': "it says how each request's body is encoded, and the kit writes the body (RFC 9110 §8.4)",
  'transfer-encoding': 'it belongs to the connection',
  connection: 'it belongs to the connection',
  // Node refuses a Trailer on a request with a Content-Length; Pact's core then fails every request and state change.
  trailer: 'it announces trailer fields after a chunked body, and the kit sends none (RFC 9110 §6.6.2)',
  te: 'it belongs to the connection (RFC 9110 §7.6.1)',
  'keep-alive': 'it belongs to the connection (RFC 9110 §7.6.1)',
  upgrade: 'it belongs to the connection (RFC 9110 §7.6.1)',
  'proxy-connection': 'it belongs to the connection (RFC 9110 §7.6.1)',
  expect: 'the kit sends each body at once, without waiting for 100 Continue (RFC 9110 §10.1.1)',
  host: 'it is the provider\'s',
};

/** Checks extra headers (names as given, values as sent); throws HeaderOptionError. */
export function checkExtraHeaders(headers: Readonly<Record<string, string>>): void {
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    // The name is not shown: a value typed in its place (curl's `Name: value`) would be printed (outside tester L15).
    if (!FIELD_NAME.test(name)) {
      const bad = [...name].findIndex((c) => !FIELD_NAME.test(c));
      const which = bad < 0 ? 'it is empty' : `character ${bad + 1} is ${JSON.stringify([...name][bad])}`;
      throw new HeaderOptionError(`--header's name is not a header name: ${which} (letters, digits and !#$%&'*+.^_\`|~- only; the name is not shown, it may hold a credential)`);
    }
    const key = name.toLowerCase();
    if (key in RESERVED) throw new HeaderOptionError(`--header ${name} can't be set: ${RESERVED[key]}`);
    if (seen.has(key)) throw new HeaderOptionError(`--header ${name} is given twice`);
    seen.add(key);
    if (typeof value !== 'string' || /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      throw new HeaderOptionError(`--header ${name}: its value must be text without line breaks or other control characters (not shown)`);
    }
  }
}

/** Reads repeated `NAME=VALUE` arguments into headers, checked; the first `=` ends the name. */
export function parseHeaderArguments(args: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const arg of args) {
    const at = arg.indexOf('=');
    const colon = arg.indexOf(':');
    // curl's `Name: value` is that whatever its value holds: a base64 key's or a JWT's `=` ends no name.
    if (at <= 0 || (colon > 0 && colon < at)) {
      const hint = colon > 0 ? ` (got "${arg.slice(0, colon)}: ...", curl's form)` : at === 0 ? ' (got no name before =)' : ' (got no =)';
      throw new HeaderOptionError(`--header must be NAME=VALUE, such as Ocp-Apim-Subscription-Key=VALUE${hint}`);
    }
    const name = arg.slice(0, at).trim();
    if (Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase())) throw new HeaderOptionError(`--header ${name} is given twice`);
    headers[name] = arg.slice(at + 1);
  }
  checkExtraHeaders(headers);
  return headers;
}
