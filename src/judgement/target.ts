import { PROFILES, type Profile } from '../schemas';
import { VPP_TOKENS_COLLECTION, VPP_TOKENS_COUNT, VPP_TOKENS_ENTITY } from './patterns';
import { decodePath, versionAtStart } from './version';
import { HTTP2_PRIOR_KNOWLEDGE } from '../wire';

/**
 * A request target read as a server must read it (RFC 9112 §3.2, §3.3), the one reading of the mock's routing
 * and of check-client's verdict: the origin-form (`/beta/...?...`) or the absolute-form (`http://host/beta/...`:
 * "a server MUST accept the absolute-form", §3.2.2; its host names the answer's links, `origin`), then
 * the path decoded as ASP.NET Core decodes it (`%54` is `T`: the same URI, RFC 3986 §6.2.2.2; `%27` is `'`;
 * `%2F` stays, another URI). Graph routes the rest case-insensitively and with or without a trailing slash (VPP_TOKENS_COLLECTION),
 * so `/deviceappmanagement/vpptokens/` is the collection too. See docs/decisions/0145.
 */
export interface RequestTarget {
  /**
   * The Graph version the path starts with, as Graph spells it: '', '/beta' or '/v1.0' (sent in any case or escaped,
   * `/BETA`, `/%62eta`: versionAtStart, the one reading, decision 1040).
   */
  version: '' | '/beta' | '/v1.0';
  /** The path after the version prefix, decoded but for `%2F` (decodePath). */
  rest: string;
  /** The query string, without its `?` ('' when none). */
  query: string;
  /** What the path names: the collection, its count (`/$count`), one vppToken (its id, lower-cased), or nothing Graph has. */
  names: { kind: 'collection' } | { kind: 'count' } | { kind: 'entity'; id: string } | { kind: 'none' };
  /** Why the target is no URI a server can take (a scheme other than http(s), a fragment, `*` but for OPTIONS); then `names` is none. */
  problem?: string;
  /**
   * The scheme and authority of an absolute-form target (`http://graph.contoso.example`, lower-cased): the host its
   * answer's links name, not the Host header's (RFC 9112 §3.2.2: the origin server "MUST ignore the received Host
   * header field ... and instead use the host information of the request-target").
   */
  origin?: string;
  /** The asterisk-form (`*`, RFC 9112 §3.2.4): a server-wide OPTIONS request; it names no resource (serverWideOptions). */
  asterisk?: true;
}

/**
 * `OPTIONS *`: asks what the server as a whole takes (RFC 9112 §3.2.4, RFC 9110 §9.3.7), which a load balancer's health
 * check or an HTTP stack's probe sends. Valid HTTP, of no resource: the mock answers it with what it takes, and
 * check-client does not fail the client for it. `*` with any other method is refused (RequestTarget.problem).
 */
export const serverWideOptions = (method: string, target: Pick<RequestTarget, 'asterisk'>): boolean => method === 'OPTIONS' && target.asterisk === true;

/** The Graph profile a target's version prefix names (`/beta`, `/V1.0`), or undefined when it names none. */
export const profileOfVersion = (version: string): Profile | undefined => PROFILES.find((p) => `/${p}` === version.toLowerCase());

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** HTTP/2's connection preface read as a request (`PRI *`): what is wrong with it (src/wire HTTP2_PRIOR_KNOWLEDGE); undefined for any other. */
export const priorKnowledgeProblem = (method: string, target: string): string | undefined => (method === 'PRI' && target === '*' ? HTTP2_PRIOR_KNOWLEDGE : undefined);

/** Reads a request target (Node's `req.url`, the line's second word as sent). */
export function readRequestTarget(target: string): RequestTarget {
  const none = { kind: 'none' } as const;
  if (target === '*') return { version: '', rest: target, query: '', names: none, asterisk: true, problem: 'is the asterisk-form (*), which only a server-wide OPTIONS request takes (RFC 9112 §3.2.4)' };
  // Outside tester P14: a fragment is the client's own (RFC 9110 §7.1), never sent; a target holding one is no request-target.
  if (target.includes('#')) {
    return { version: '', rest: target, query: '', names: none, problem: 'holds a fragment ("#..."), which is no part of a request target: a client leaves it out of what it sends (RFC 9112 §3.2: absolute-path [ "?" query ]; RFC 9110 §7.1)' };
  }
  let url: URL;
  let origin: string | undefined;
  try {
    if (ABSOLUTE.test(target)) {
      // `http:///beta/...` (an empty host variable joined in): the URL parser skips the empty authority and reads
      // `beta` as the host, so it is read from the text (outside tester R8; RFC 9110 §4.2.1: a recipient MUST reject it).
      const authority = /^https?:\/\/([^/?#]*)/i.exec(target)?.[1];
      if (authority !== undefined && /^(:\d*)?$/.test(authority)) {
        return { version: '', rest: target, query: '', names: none, problem: 'names no host (as "http:///..." does): an http(s) URI with an empty host is invalid, and its recipient must reject it (RFC 9110 §4.2.1)' };
      }
      url = new URL(target);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return { version: '', rest: target, query: '', names: none, problem: `must be a path or an http(s) URL (RFC 9112 §3.2; got the scheme ${url.protocol.slice(0, -1)})` };
      }
      // Userinfo in an http(s) URI is an error to its recipient (RFC 9110 §4.2.4: it likely hides the authority); not shown.
      if (url.username !== '' || url.password !== '' || /^[^/]*\/\/[^/?]*@/.test(target)) {
        return { version: '', rest: target, query: '', names: none, problem: 'names userinfo ("user@" before its host), which an http(s) URI must not carry (RFC 9110 §4.2.4): send the URL without it' };
      }
      origin = url.origin;
    } else if (target.startsWith('/')) {
      // Appended, not resolved: an origin-form `//x/...` is a path, not a host.
      url = new URL(`http://origin.invalid${target}`);
    } else {
      return { version: '', rest: target, query: '', names: none, problem: 'must be a path starting with / or an http(s) URL (RFC 9112 §3.2)' };
    }
  } catch {
    return { version: '', rest: target, query: '', names: none, problem: 'is not a URI (RFC 9112 §3.2)' };
  }
  // The version read from the path as sent and the rest decoded once (a `%2562eta` is the segment `%62eta`, no version).
  const start = versionAtStart(url.pathname);
  const { version } = start;
  const rest = decodePath(start.rest) || '/';
  const query = url.search.slice(1);
  const from = origin ? { origin } : {};
  if (VPP_TOKENS_COLLECTION.test(rest)) return { version, rest, query, names: { kind: 'collection' }, ...from };
  // Before an entity: `$count` is OData's segment, not an id (outside tester H4).
  if (VPP_TOKENS_COUNT.test(rest)) return { version, rest, query, names: { kind: 'count' }, ...from };
  const entity = VPP_TOKENS_ENTITY.exec(rest);
  if (entity) return { version, rest, query, names: { kind: 'entity', id: (entity[1] ?? entity[2]).toLowerCase() }, ...from };
  return { version, rest, query, names: none, ...from };
}

/**
 * A target that gives the version again after its first (`/beta/beta/deviceAppManagement/vppTokens`,
 * `/v1.0/beta/...`) before a path of the vppTokens: a Graph URL holds one (https://graph.microsoft.com/{version}/
 * {resource}), so Graph has no resource there (the mock answers 404). What is wrong and what to do, in one sentence
 * for every command that meets one (decision 0348): the client puts a version in its base URL and again in its paths.
 * `inner` is the target without both.
 */
export function versionGivenTwice(target: string): { inner: RequestTarget; message: string } | undefined {
  const outer = readRequestTarget(target);
  if (outer.version === '' || outer.problem) return undefined;
  const inner = readRequestTarget(outer.query ? `${outer.rest}?${outer.query}` : outer.rest);
  if (inner.version === '' || inner.names.kind === 'none') return undefined;
  const [first, second] = [outer.version, inner.version];
  const where = first.toLowerCase() === second.toLowerCase() ? `puts ${second} in its base URL and again in its paths` : `puts ${first} in its base URL or its paths and ${second} in the other`;
  return { inner, message: `gives the version twice (got ${first}${second}${inner.rest}): a Graph URL holds one (https://graph.microsoft.com${second}${inner.rest}), so Graph has no resource there: the client ${where}; give it once` };
}
