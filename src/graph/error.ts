import { randomUUID } from 'node:crypto';
import type { GraphError } from '../generated/types';
import { formatProblem, type Problem } from '../validation';
import { argumentProblem, refuseArguments, membersProblem, optionsObjectProblem } from '../net/option';

/**
 * The code of Graph's error body for each refusal status the kit models (decision 1011): a refused create's 400, a
 * 401 for a bearer missing, expired or wrong, a 415 for a body that is not JSON. The reference provider answers these,
 * and compare holds a pact's expected code to them.
 */
export const GRAPH_REFUSAL_CODES = { 400: 'BadRequest', 401: 'InvalidAuthenticationToken', 415: 'UnsupportedMediaType' } as const;

/** Graph's error body, with the innerError Graph adds (request-id, client-request-id, a zone-less date). */
export function graphError(code: string, message: string, options: { requestId?: string; clientRequestId?: string; problems?: Problem[] } = {}): GraphError {
  refuseArguments(argumentProblem('code', code, 'string'), argumentProblem('message', message, 'string'), argumentProblem('options', options, 'object'), optionsObjectProblem('graphError', options, ['requestId', 'clientRequestId', 'problems']), membersProblem(options, { requestId: 'string', clientRequestId: 'string', problems: ['array', 'an array of Problems, such as validate(kind, data).problems'] }));
  return {
    error: {
      code,
      message,
      ...(options.problems?.length
        ? { details: options.problems.map((p) => ({ code: 'ModelValidationFailure', message: formatProblem(p), target: p.pointer || null })) }
        : {}),
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': options.requestId ?? randomUUID(),
        'client-request-id': options.clientRequestId ?? options.requestId ?? randomUUID(),
      },
    },
  };
}
