// Transfer codings: the only one a message may carry unasked is chunked (RFC 9112 §7). Node's parser undoes
// chunked and leaves any other coding on the body's bytes, so a verdict that read on would name the bytes
// ("not UTF-8") instead of the header that made them so.
import { headerValues, type HeaderLine, type WireProblem } from './headers';
import { atHeader } from './place';

/**
 * Transfer-Encoding in an HTTP/1.0 message (`httpVersion` as Node gives it: `1.0`), request or answer alike (outside
 * tester R26, decision 0492). RFC 9112 §6.1: "A server or client that receives an HTTP/1.0 message containing a
 * Transfer-Encoding header field MUST treat the message as if the framing is faulty, even if a Content-Length is
 * present, and close the connection after processing the message"; HTTP/1.0 has no transfer codings, so an HTTP/1.0
 * recipient (a proxy on the way) reads the body until the connection closes, chunk lines and all. Node's parser
 * reads such a body by its chunks, so the one reader says it. Undefined for any other version, or no Transfer-Encoding.
 */
export function versionFramingProblem(httpVersion: string | undefined, lines: readonly HeaderLine[]): WireProblem | undefined {
  if (httpVersion !== '1.0') return undefined;
  const given = headerValues(lines, 'Transfer-Encoding');
  if (given.length === 0) return undefined;
  return {
    ...atHeader('Transfer-Encoding'),
    rule: 'transfer coding',
    message: `is sent in an HTTP/1.0 message, whose framing a recipient must then treat as faulty, even beside a Content-Length, and close the connection after it (RFC 9112 §6.1): HTTP/1.0 has no transfer codings, so an HTTP/1.0 recipient or proxy on the way reads the body until the connection closes, chunk lines and all; send HTTP/1.1, or HTTP/1.0 framed by Content-Length (got ${JSON.stringify(given.join(', '))})`,
  };
}

/**
 * The problem with a message's Transfer-Encoding, if any: a coding besides `chunked` (gzip, deflate, compress,
 * identity, an unknown one), which a server may use only when the request's TE asked for it (RFC 9112 §7.4;
 * the kit's requests and Graph's clients send no TE) and which a server that does not know it answers with 501
 * (RFC 9112 §6.1). A compressed body says so by Content-Encoding instead. Or chunked named more than once (RFC 9112
 * §7: a sender MUST NOT apply it twice; decision 0488). In an HTTP/1.0 message (`httpVersion`), any Transfer-Encoding
 * at all (versionFramingProblem).
 */
export function transferCodingProblem(lines: readonly HeaderLine[], httpVersion?: string): WireProblem | undefined {
  const given = headerValues(lines, 'Transfer-Encoding');
  if (given.length === 0) return undefined;
  const version = versionFramingProblem(httpVersion, lines);
  if (version) return version;
  const codings = given.flatMap((v) => v.split(',')).map((c) => c.trim().split(';')[0].trim().toLowerCase()).filter((c) => c !== '');
  const others = codings.filter((c) => c !== 'chunked');
  // Outside tester R25: chunked listed twice (two lines, or `chunked, chunked`). The list is the codings applied, in
  // order (RFC 9112 §6.1), so a recipient decoding as written undoes chunked twice. Node's server parser refuses such
  // a request head (HPE_INVALID_TRANSFER_ENCODING), its client parser takes such an answer: the one rule, both sides.
  const chunked = codings.length - others.length;
  if (others.length === 0 && chunked > 1) {
    return {
      ...atHeader('Transfer-Encoding'),
      rule: 'transfer coding',
      message: `names chunked ${chunked} times: a sender must not apply chunked more than once (RFC 9112 §7), and the list is the codings applied, in order (RFC 9112 §6.1), so a recipient decoding as written undoes chunked twice; send "Transfer-Encoding: chunked" once (got ${JSON.stringify(given.join(', '))})`,
    };
  }
  if (others.length === 0) return undefined;
  return {
    ...atHeader('Transfer-Encoding'),
    rule: 'transfer coding',
    message: `names ${others.join(', ')}, a transfer coding besides chunked: only chunked may be used unasked (RFC 9112 §7.4: the other side asks with TE, and no TE was sent; §6.1), so the body is left ${others.join(', ')}-coded; a compressed body says so with Content-Encoding (got ${JSON.stringify(given.join(', '))})`,
  };
}
