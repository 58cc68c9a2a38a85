import { randomUUID } from 'node:crypto';
import type { GraphError } from '../generated/types';
import { formatProblem, type Problem } from '../validation';
import { argumentProblem, refuseArguments, membersProblem, optionsObjectProblem } from '../net/option';

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
