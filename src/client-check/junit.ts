import { formatRequestProblem } from '../judgement';
import { junitXml, type JUnitCase } from '../junit';
import type { CheckClientResult } from './index';

/**
 * check-client's JUnit XML: one testcase per request the client made (a failure with the contract's problems),
 * then one for the client's run as a whole (a failure when it made no request, exited non-zero, was killed or
 * timed out; an error when it could not be started or the check was interrupted).
 */
export function checkClientJUnit(result: CheckClientResult, consumer = 'vpptokens-client'): string {
  const classname = `vppkit.check-client.${consumer}`;
  const requests = result.requests.map((r, i): JUnitCase => {
    const name = `request ${i + 1}: ${r.method} ${r.path} -> ${r.status}`;
    if (r.problems.length === 0) return { classname, name };
    const text = r.problems.map(formatRequestProblem).join('\n');
    return { classname, name, failure: { message: `broke the contract: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`, text } };
  });
  // The requests' own problems are in their cases; what is left is about the run.
  const others = result.failures.filter((f) => !/ broke the contract$/.test(f));
  const run: JUnitCase = { classname, name: 'the client run' };
  if (result.startError !== undefined || result.interrupted !== undefined) run.error = { message: others[0] ?? 'did not finish', text: others.join('\n') };
  else if (others.length) run.failure = { message: others[0], text: others.join('\n') };
  return junitXml({ name: 'vppkit check-client', suites: [{ name: `${consumer}: ${result.summary}`, cases: [...requests, run] }] });
}
