import { headerValues, type HeaderLine } from './headers';

/**
 * The scheme a client asked a front by, as the front says it to the server behind it: the `proto` of the first
 * element of `Forwarded` (RFC 7239 §4, §5.4: the element the front nearest the client added), else the first value
 * of `X-Forwarded-Proto` (the de facto header nginx, HAProxy and cloud load balancers send); only `http` and `https`,
 * in any letter case; undefined when neither says one. A server that ends TLS behind such a front writes its links
 * with it, as ASP.NET Core's forwarded-headers middleware does (docs/decisions/0190).
 */
export function forwardedProto(lines: readonly HeaderLine[]): 'http' | 'https' | undefined {
  const forwarded = headerValues(lines, 'Forwarded').join(',');
  if (forwarded !== '') {
    const first = forwarded.split(',')[0];
    for (const pair of first.split(';')) {
      const match = /^\s*proto\s*=\s*"?([A-Za-z][A-Za-z0-9+.-]*)"?\s*$/i.exec(pair);
      if (match) return schemeOf(match[1]);
    }
  }
  const proto = headerValues(lines, 'X-Forwarded-Proto').join(',').split(',')[0].trim();
  return proto === '' ? undefined : schemeOf(proto);
}

const schemeOf = (text: string): 'http' | 'https' | undefined => {
  const scheme = text.toLowerCase();
  return scheme === 'http' || scheme === 'https' ? scheme : undefined;
};
