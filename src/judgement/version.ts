// The Graph version a path names (`/beta`, `/v1.0`) and the path decoded as Graph routes it: read by the judgement and
// by the CLI's --profile warning, so this file imports nothing (the CLI's start-up loads no more for it).

/**
 * The Graph version a base path ends in (a provider's, a target's: `--target http://host/gw/beta`), as `/beta` or
 * `/v1.0`, and the path before it as written; undefined when it ends in none. The one reading of pathUnderBase, the
 * proxy's profile and the CLI's --profile warning (decision 0903): trailing slashes ignored (`/beta/`), any letter case
 * (`/BETA`: Graph routes so), its last segment decoded as a request's path is (decodePath: `/%62eta` is `/beta`), and a
 * `%2F` no slash (`/gw%2Fbeta` is one segment, RFC 3986 §2.2: another URI).
 */
export function versionAtEnd(path: string): { version: '/beta' | '/v1.0'; base: string } | undefined {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return undefined;
  const version = versionOfSegment(trimmed.slice(slash + 1));
  return version ? { version, base: trimmed.slice(0, slash) } : undefined;
}

/**
 * The Graph version a path starts with (`/beta/...`, `/V1.0/...`, `/%62eta/...`, `/v1%2E0/...`: its first segment
 * decoded as a request's path is, RFC 3986 §6.2.2.2, the reading readRequestTarget gives) and the rest of the path as
 * written, undecoded (a caller that reads it reads it once); version '' and the path whole when it starts with none.
 * The one reading of a request's version: readRequestTarget's (the mock, every verdict), compare's of a pact's path
 * (outside attacker R106, decision 0952), pathUnderBase's of a client's (decision 1040).
 */
export function versionAtStart(path: string): { version: '' | '/beta' | '/v1.0'; rest: string } {
  const segment = /^\/([^/?]*)(?=[/?]|$)/.exec(path);
  const version = segment ? versionOfSegment(segment[1]) : undefined;
  return version ? { version, rest: path.slice(segment![0].length) } : { version: '', rest: path };
}

/** The version one path segment names, decoded as a request's path is (decodePath: `%62eta` is `beta`), in any case. */
function versionOfSegment(segment: string): '/beta' | '/v1.0' | undefined {
  const decoded = decodePath(segment).toLowerCase();
  return decoded === 'beta' || decoded === 'v1.0' ? `/${decoded}` : undefined;
}

const UNRESERVED = /[A-Za-z0-9._~-]/;

/** Decodes %XX where XX is an unreserved character (RFC 3986 §2.3, §6.2.2.2); every other escape stays as sent. */
export const decodeUnreserved = (path: string): string =>
  path.replace(/%([0-9A-Fa-f]{2})/g, (escape: string, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : escape;
  });

/**
 * The path as Graph's front end (ASP.NET Core) routes it: every escape decoded but `%2F`, which would make a new
 * segment (so `vppTokens(%27id%27)` is OData's `vppTokens('id')`: its ABNF has SQUOTE = "'" / "%27"). Escapes that
 * are not UTF-8 keep only their unreserved characters decoded.
 */
export function decodePath(path: string): string {
  return path
    .split(/%2F/i)
    .map((piece) => {
      try {
        return decodeURIComponent(piece);
      } catch {
        return decodeUnreserved(piece);
      }
    })
    .join('%2F');
}

