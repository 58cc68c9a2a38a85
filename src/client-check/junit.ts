import { formatRequestProblem } from '../judgement';
import { junitXml, type JUnitCase } from '../junit';
import { notJudgedReason } from './check-client';
import type { CheckClientResult } from './types';

/**
 * check-client's JUnit XML: one testcase per request (its contract problems), then one per behaviour check and
 * the timeout, by name; then one per failure of the run as a whole that no case above says; then `pact`, in error,
 * when a run that passed wrote no pact (the CLI's exit 2).
 * `client` names the suite: the client's program only (its arguments may carry a credential).
 */
export function checkClientJUnit(result: CheckClientResult, client: string): string {
  const classname = 'check-client';
  const failure = (text: string) => ({ failure: { message: text.split('\n')[0], text } });
  const cases: JUnitCase[] = result.requests.map((r, i) => ({
    classname,
    name: `request ${i + 1}: ${r.method} ${r.path} -> ${r.status ?? 'no answer'}${r.fault ? ` (injected fault: ${r.fault})` : ''}`,
    // Not judged (closed by the client, not modelled by the mock): skipped, counted apart from the ones that passed.
    ...(r.problems.length ? failure(r.problems.map(formatRequestProblem).join('\n')) : notJudgedReason(r) !== undefined ? { skipped: notJudgedReason(r) } : {}),
  }));
  for (const check of result.checks ?? []) {
    cases.push({ classname, name: check.name, ...(check.skipped ? { skipped: check.skipped } : check.passed ? {} : failure(check.findings.join('\n') || 'failed')) });
  }
  const named = new Set((result.checks ?? []).map((c) => c.name));
  const rest = result.failures.filter((f) => !/ broke the contract$/.test(f) && ![...named].some((name) => f.startsWith(`${name}: `)) && !(named.has('timeout') && f.startsWith('the client did not finish')));
  rest.forEach((text) => cases.push({ classname, name: text.split(':')[0], ...failure(text) }));
  // No pact from a run that passed (none to describe, or none could be written) is why the CLI exits 2: a case in
  // error, not a failure of the client, whose verdict stands (decisions 0661, 0681).
  const noPact = result.pactUnwritten ?? result.noPact;
  if (noPact !== undefined) cases.push({ classname, name: 'pact', error: { message: noPact.split('\n')[0], text: noPact } });
  if (cases.length === 0) cases.push({ classname, name: 'the client', ...failure(result.summary) });
  return junitXml({ name: 'vppkit check-client', suites: [{ name: client, cases }] });
}
