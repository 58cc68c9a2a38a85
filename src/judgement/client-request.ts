import { PROFILES, type Profile } from '../schemas';
import { VPP_TOKENS_COLLECTION, VPP_TOKENS_ENTITY, VPP_TOKENS_PATH, splitVersion } from './patterns';
import { QueryOptionError, judgeQueryOptions } from './query';
import { checkCreateRequest, checkReadRequest, type ObservedRequest, type RequestProblem } from './request';

/** What a client's request does: create a vppToken, list the collection, or read one by id. */
export type ClientRequestKind = 'create' | 'list' | 'read';

export interface CheckedClientRequest {
  /** Undefined when the request is none of the three (a wrong method or path). */
  kind?: ClientRequestKind;
  /** The Graph version prefix the client used (`beta` or `v1.0`), when it used one. */
  version?: Profile;
  problems: RequestProblem[];
}

function queryProblems(query: string | undefined, allowed: readonly string[]): RequestProblem[] {
  try {
    judgeQueryOptions(new URLSearchParams(query ?? ''), allowed);
    return [];
  } catch (error) {
    if (error instanceof QueryOptionError) return [{ where: 'query', message: error.message }];
    throw error;
  }
}

/**
 * Judges a request a client makes to Graph's vppTokens, as a client really does: a create (POST, judged by
 * checkCreateRequest), or a read of what it created (GET of the collection, with `$top` and `$skiptoken`, or of
 * one vppToken by id: checkReadRequest), each with its query string (src/judgement/query.ts). The path may carry
 * the version prefix of `profile` (`/beta`, `/v1.0`) or none; another version's prefix is refused, with what to do.
 */
export function checkClientRequest(request: ObservedRequest & { query?: string }, profile: Profile): CheckedClientRequest {
  const split = splitVersion(request.path);
  const version = PROFILES.find((p) => `/${p}` === split.version.toLowerCase());
  const rest = split.rest;
  const problems: RequestProblem[] = [];
  if (version !== undefined && version !== profile) {
    problems.push({
      where: 'path',
      message: `has the version prefix /${version}, but the client is checked as Graph ${profile}: point it at /${profile} or at no prefix, or check it with --profile ${version}`,
    });
  }
  const at = { ...request, path: rest };
  const versioned = version ? { version } : {};
  if (request.method === 'GET') {
    const kind = VPP_TOKENS_COLLECTION.test(rest) ? 'list' : VPP_TOKENS_ENTITY.test(rest) ? 'read' : undefined;
    const query = queryProblems(request.query, kind === 'list' ? ['$top', '$skiptoken'] : []);
    return { ...(kind ? { kind } : {}), ...versioned, problems: [...problems, ...checkReadRequest(at), ...query] };
  }
  const kind = request.method === 'POST' && rest === VPP_TOKENS_PATH ? 'create' : undefined;
  return { ...(kind ? { kind } : {}), ...versioned, problems: [...problems, ...checkCreateRequest(at, profile), ...queryProblems(request.query, [])] };
}
