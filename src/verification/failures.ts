import type { InteractionResult, VerifyResult } from './types';
import { argumentProblem, refuseArguments } from '../net/option';

/**
 * Whether an interaction fails the run: it did not pass and is not pending (a pending pact's or interaction's
 * failure is reported, and fails no build: Pact's "non-fatal pact failures on pending pacts"; outside finding K26).
 */
export const failsTheRun = (i: InteractionResult): boolean => !i.passed && i.pending !== true;

/** A failed interaction in one line: `<description>: <mismatches>`, or `not judged: <why>` when its state could not be set up. */
export const interactionFailureLine = (i: InteractionResult): string => `${i.description}: ${i.setupFailure !== undefined ? `not judged: ${i.setupFailure}` : i.mismatches.join('; ')}`;

/**
 * Every reason a verify run did not pass, one line each, in the kit's words: each failed interaction
 * (`<description>: <mismatches>`, or `not judged: <why>` when its provider state could not be set up), then the
 * failures that belong to no interaction, then the teardowns that failed. The text report's "Failed interactions"
 * and `--json`'s `failures` alike (outside tester H33: `failures` was empty beside `passed: false`), as
 * check-client's `failures` lists every failure of its run. Empty only for a run that passed.
 */
export function failureLines(result: VerifyResult): string[] {
  refuseArguments(argumentProblem('result', result, 'object', "verify's result, such as verifyProvider's"));
  // The members it reads by the one rule (outside check Y3: `failureLines({})` failed reading 'filter').
  refuseArguments(
    argumentProblem('result.interactions', result.interactions, 'array', "an array of verify's interactions, such as verifyProvider's result.interactions"),
    argumentProblem('result.failures', result.failures, 'array', 'an array of lines'),
    argumentProblem('result.teardownFailures', result.teardownFailures, 'array', 'an array of lines', 'optional'),
    argumentProblem('result.passed', result.passed, 'boolean'),
    argumentProblem('result.summary', result.summary, 'string'),
  );
  const lines = [
    ...result.interactions.filter(failsTheRun).map(interactionFailureLine),
    ...result.failures,
    ...(result.teardownFailures ?? []),
  ];
  return lines.length === 0 && !result.passed ? [result.summary] : lines;
}
