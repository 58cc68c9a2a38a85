// The fields a trailer section must not carry (RFC 9110 §6.5.1), one list and one rule for a request's trailer
// (decision 0224) and an answer's (decision 0489).
import { atTrailer, type HeaderLine, type Placed } from '../wire';

/**
 * Fields whose definition does not let them be sent in a trailer section: what is evaluated before the content
 * (RFC 9110 §6.5.1: "framing, routing, authentication, request modifiers, response controls, or content format").
 */
const HEADER_SECTION_ONLY: ReadonlyMap<string, string> = new Map([
  ['authorization', 'authentication: Graph reads the bearer from the header section only, and answers by it before the content ends'],
  ['proxy-authorization', 'authentication'],
  ['cookie', 'authentication'],
  ['host', 'routing'],
  ['content-length', 'framing'],
  ['transfer-encoding', 'framing'],
  ['trailer', 'framing'],
  ['te', 'a request modifier'],
  ['expect', 'a request modifier'],
  ['content-type', 'content format'],
  ['content-encoding', 'content format'],
  // An answer's (outside tester R35, decision 0489): what a client acts on before the content, or that sets its state.
  ['location', 'a response control: where the client is sent'],
  ['content-location', 'a response control'],
  ['retry-after', 'a response control'],
  ['cache-control', 'a response control'],
  ['expires', 'a response control'],
  ['vary', 'a response control'],
  ['www-authenticate', 'authentication'],
  ['proxy-authenticate', 'authentication'],
  ['set-cookie', 'authentication: a client stores it'],
]);

/** Whether a field is one of those that must not come in a trailer section (above): the proxy forwards none of them (decision 0218). */
export const isHeaderSectionOnly = (name: string): boolean => HEADER_SECTION_ONLY.has(name.toLowerCase());

/**
 * The same rule for a message's trailer lines, a request's or an answer's (decision 0489: an answer's trailer is
 * judged as a request's, RFC 9110 §6.5.1 binds every sender): each field that must not be sent there.
 */
export function trailerFieldProblems(lines: readonly HeaderLine[] | undefined): (Placed & { message: string })[] {
  return (lines ?? []).flatMap((line) => {
    const why = HEADER_SECTION_ONLY.get(line.name.toLowerCase());
    return why === undefined ? [] : [{ ...atTrailer(line.name), message: `must not be sent in the trailer section (RFC 9110 §6.5.1: it is ${why}); its value is not used nor shown` }];
  });
}
