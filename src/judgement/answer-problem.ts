import type { Placed, WireRule } from '../wire';
import { argumentProblem, refuseArguments } from '../net/option';

/**
 * The checks an answer is judged by, named as a report names them (after Schemathesis' checks). verify,
 * check-client and conform report the same names.
 */
export type AnswerCheck =
  | 'not a server error'
  | 'status'
  | 'content type'
  | 'response headers'
  | 'response schema'
  | 'resource identity'
  | 'values back'
  | 'credentials not echoed';

/** One way an answer breaks the contract: which check, where (`status`, a header, or a JSON pointer: src/wire/place.ts), and what. */
export interface AnswerProblem extends Placed {
  check: AnswerCheck;
  message: string;
  /** The reader's rule broken (docs/decisions/0081), when it is one of them. */
  rule?: WireRule;
}

/** `check: where`, the place left out when it is the part the check is named after (`status`, never `status: status`). */
export const checkAndPlace = (p: Placed & { check: string }): string => (p.part === p.check ? p.check : `${p.check}: ${p.where}`);

/**
 * `check: where: message`, the place left out when it only repeats the check (`status: must be 201 ...`, never
 * `status: status: ...`). Every report of a check's finding is worded by it: verify, conform, proxy.
 */
export const formatCheckFinding = (p: Placed & { check: string; message: string }): string => `${checkAndPlace(p)}: ${p.message}`;

/**
 * Why `p` is no problem of a check (decision 1041): the members formatCheckFinding reads, each asked by the one rule
 * (`formatAnswerProblem({})` wrote "undefined: undefined"). `what` says the argument in the kit's words.
 */
export function checkFindingProblem(name: string, p: unknown, what: string): string | undefined {
  const { check, part, where, message } = (p ?? {}) as Record<string, unknown>;
  return (
    argumentProblem(name, p, 'object', what) ??
    argumentProblem(`${name}.check`, check, 'string') ??
    argumentProblem(`${name}.part`, part, 'string') ??
    argumentProblem(`${name}.where`, where, 'string') ??
    argumentProblem(`${name}.message`, message, 'string')
  );
}

export const formatAnswerProblem = (p: AnswerProblem): string => {
  refuseArguments(checkFindingProblem('p', p, "an answer's problem, an object of part, where and message"));
  return formatCheckFinding(p);
};
