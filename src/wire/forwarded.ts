import { headerValues, type HeaderLine } from './headers';

/** What a front says its client asked it by: the scheme (`http` or `https` only) and the host, each if said. */
export interface ForwardedOrigin {
  proto?: 'http' | 'https';
  host?: string;
}

/**
 * The scheme and host a client asked a front by, as the front says them to the server behind it, both from one
 * place so that a front's scheme is never put with another's host (outside tester R53): the first element of
 * `Forwarded` (RFC 7239 §4: the element the front nearest the client added) when it names `host=` (§5.3) or
 * `proto=` (§5.4); else the first values of `X-Forwarded-Host` and `X-Forwarded-Proto` (the de facto headers nginx,
 * HAProxy and cloud load balancers send) when either is there; undefined when no front says either. A scheme other
 * than `http` or `https` (any letter case) is not said. A server behind such a front writes its links with them, as
 * ASP.NET Core's forwarded-headers middleware does (docs/decisions/0190, 0566); the host is as said, unjudged.
 */
export function forwardedOrigin(lines: readonly HeaderLine[]): ForwardedOrigin | undefined {
  const forwarded = headerValues(lines, 'Forwarded').join(',');
  if (forwarded !== '') {
    const element = firstElement(forwarded);
    if (element.has('host') || element.has('proto')) return said(element.get('proto'), element.get('host'));
  }
  const first = (name: string): string | undefined => {
    const value = headerValues(lines, name).join(',').split(',')[0].trim();
    return value === '' ? undefined : value;
  };
  const host = first('X-Forwarded-Host');
  const proto = first('X-Forwarded-Proto');
  return host === undefined && proto === undefined ? undefined : said(proto, host);
}

const said = (proto: string | undefined, host: string | undefined): ForwardedOrigin => {
  const scheme = proto?.toLowerCase();
  return { ...(scheme === 'http' || scheme === 'https' ? { proto: scheme } : {}), ...(host === undefined ? {} : { host }) };
};

/**
 * The parameters of the first element of a `Forwarded` value (RFC 7239 §4: `forwarded-element *( "," ...)`, each
 * `forwarded-pair *( ";" forwarded-pair )`, a pair `token "=" value`, a value a token or a quoted-string), names in
 * lower case, the first of each kept; a quoted-string unquoted (RFC 9110 §5.6.4), so a "," or ";" in one (an IPv6
 * `for="[2001:db8::1]:80"`) ends nothing.
 */
function firstElement(value: string): Map<string, string> {
  const pairs = new Map<string, string>();
  let i = 0;
  while (i < value.length) {
    const name = /^\s*([^=;,\s]*)\s*(=?)\s*/.exec(value.slice(i))!;
    i += name[0].length;
    let text = '';
    if (name[2] === '=' && value[i] === '"') {
      for (i++; i < value.length && value[i] !== '"'; i++) text += value[i] === '\\' ? value[++i] ?? '' : value[i];
      i++;
    }
    const rest = /^[^;,]*/.exec(value.slice(i))![0];
    i += rest.length;
    text = (text + rest).trim();
    const key = name[1].toLowerCase();
    if (name[2] === '=' && key !== '' && !pairs.has(key)) pairs.set(key, text);
    if (value[i] === ',' || i >= value.length) break;
    i++;
  }
  return pairs;
}
