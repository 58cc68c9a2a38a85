import { findJsonSyntaxError, problemsOf } from '../validation';
import { VPP_TOKENS_PATH } from './patterns';
import { isJsonMediaType } from './answer';
import { findDuplicateProperty } from './duplicates';
import type { Profile } from '../schemas';
import { headerValue as header } from './headers';

/** A request as a server saw it. */
export interface ObservedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string | undefined;
}

/** One way a request breaks the contract: where (method, path, a header, or a JSON pointer into the body) and what. */
export interface RequestProblem {
  where: string;
  message: string;
}

export const formatRequestProblem = (p: RequestProblem): string => `${p.where}: ${p.message}`;


/**
 * Checks one request against the contract of POST /deviceAppManagement/vppTokens: method, path, Content-Type,
 * Authorization, and the body against the create-request schema. Header values are never echoed (a token).
 */
export function checkCreateRequest(request: ObservedRequest, profile?: Profile): RequestProblem[] {
  const problems: RequestProblem[] = [];
  if (request.method !== 'POST') problems.push({ where: 'method', message: `must be POST (got ${request.method})` });
  if (request.path !== VPP_TOKENS_PATH) {
    const versioned = /^\/(beta|v1\.0)\/deviceAppManagement\/vppTokens$/i.exec(request.path);
    problems.push({
      where: 'path',
      message: versioned
        ? `must be ${VPP_TOKENS_PATH} (got ${request.path}): the mock URL has no version prefix, so configure the client without /${versioned[1]}`
        : `must be ${VPP_TOKENS_PATH} (got ${request.path})`,
    });
  }
  const contentType = header(request.headers, 'content-type');
  if (contentType === undefined) problems.push({ where: 'header Content-Type', message: 'is required: application/json' });
  else if (!isJsonMediaType(contentType)) {
    problems.push({ where: 'header Content-Type', message: `must be application/json, parameters allowed (got ${JSON.stringify(contentType)})` });
  }
  const authorization = header(request.headers, 'authorization');
  if (authorization === undefined) problems.push({ where: 'header Authorization', message: 'is required: Bearer <access token>' });
  // The scheme is case-insensitive (RFC 9110 §11.1); the mock accepts any token.
  else if (!/^bearer +\S/i.test(authorization)) {
    problems.push({ where: 'header Authorization', message: 'must be "Bearer <access token>" (the value is not shown)' });
  }
  if (request.body === undefined || request.body.trim() === '') {
    problems.push({ where: 'body', message: 'is required: one vppToken as JSON' });
    return problems;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(request.body);
  } catch {
    const at = findJsonSyntaxError(request.body);
    problems.push({ where: 'body', message: at ? `is not JSON: line ${at.line}, column ${at.column}: ${at.message}` : 'is not JSON' });
    return problems;
  }
  const duplicate = findDuplicateProperty(request.body);
  if (duplicate !== undefined) problems.push({ where: `body ${duplicate}`, message: 'is given twice: Graph refuses a body with a duplicate property name' });
  for (const p of problemsOf('request', payload, profile)) problems.push({ where: `body ${p.pointer || '(root)'}`, message: p.message });
  return problems;
}
