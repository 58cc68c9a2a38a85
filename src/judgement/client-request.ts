import { PROFILES, type Profile } from '../schemas';
import { readMessage } from '../wire';
import { VPP_TOKENS_PATH } from './patterns';
import { QueryOptionError, judgeQueryOptions } from './query';
import { authorizationProblems, checkCreateRequest, type ObservedRequest, type RequestProblem } from './request';

/** What a client's request does: create a vppToken, list the collection, or read one by id. */
export type ClientRequestKind = 'create' | 'list' | 'read';

export interface CheckedClientRequest {
  /** Undefined when the request is none of the three (a wrong method or path). */
  kind?: ClientRequestKind;
  /** The Graph version prefix the client used (`beta` or `v1.0`), when it used one. */
  version?: Profile;
  problems: RequestProblem[];
}

const COLLECTION = new RegExp(`^${VPP_TOKENS_PATH}/?$`);
const ENTITY = new RegExp(`^${VPP_TOKENS_PATH}(?:/[^/()]+|\\('[^/()']+'\\))/?$`);

/** Splits a Graph version prefix (`/beta`, `/v1.0`, any case) from a path. */
export function versionPrefixOf(path: string): { version?: Profile; rest: string } {
  const match = /^\/(beta|v1\.0)(?=\/|$)/i.exec(path);
  if (!match) return { rest: path };
  return { version: PROFILES.find((p) => p === match[1].toLowerCase()), rest: path.slice(match[0].length) || '/' };
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

/** A read: one Bearer credential and header lines a server can read (a body, which Graph ignores on a GET, is not judged). */
function readProblems(request: ObservedRequest): RequestProblem[] {
  const read = readMessage({ headers: request.rawHeaders ?? request.headers, ...(request.bytes !== undefined ? { bytes: request.bytes } : { text: request.body }) });
  const problems: RequestProblem[] = read.problems.filter((p) => p.where.startsWith('header'));
  if (!problems.some((p) => p.where === 'header Authorization')) problems.push(...authorizationProblems(read.lines));
  return problems;
}

/**
 * Judges a request a client makes to Graph's vppTokens, as a client really does: a create (POST, judged by
 * checkCreateRequest), or a read of what it created (GET of the collection, with `$top` and `$skiptoken`, or of
 * one vppToken by id), each with its query string (src/judgement/query.ts). The path may carry the version prefix
 * of `profile` (`/beta`, `/v1.0`) or none; another version's prefix is refused, with what to do.
 */
export function checkClientRequest(request: ObservedRequest & { query?: string }, profile: Profile): CheckedClientRequest {
  const { version, rest } = versionPrefixOf(request.path);
  const problems: RequestProblem[] = [];
  if (version !== undefined && version !== profile) {
    problems.push({
      where: 'path',
      message: `has the version prefix /${version}, but the client is checked as Graph ${profile}: point it at /${profile} or at no prefix, or check it with --profile ${version}`,
    });
  }
  const at = { ...request, path: rest };
  if (request.method === 'GET' && COLLECTION.test(rest)) return { kind: 'list', version, problems: [...problems, ...readProblems(at), ...queryProblems(request.query, ['$top', '$skiptoken'])] };
  if (request.method === 'GET' && ENTITY.test(rest)) return { kind: 'read', version, problems: [...problems, ...readProblems(at), ...queryProblems(request.query, [])] };
  if (request.method === 'GET') {
    problems.push({ where: 'path', message: `must be ${VPP_TOKENS_PATH} or ${VPP_TOKENS_PATH}/{id} to read (got ${request.path})` });
    return { version, problems: [...problems, ...readProblems(at)] };
  }
  const create = checkCreateRequest({ ...at, path: COLLECTION.test(rest) ? VPP_TOKENS_PATH : rest }, profile);
  const kind = request.method === 'POST' && COLLECTION.test(rest) ? 'create' : undefined;
  return { ...(kind ? { kind } : {}), version, problems: [...problems, ...create, ...queryProblems(request.query, [])] };
}
