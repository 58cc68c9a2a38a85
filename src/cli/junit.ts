import type { CheckClientResult } from '../client-check';
import { formatRequestProblem } from '../judgement';
import type { VerifyResult } from '../verification';

const escape = (text: string) =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** One test case: passed unless it has a `failure` (the check failed) or an `error` (it could not run); skipped when `skipped` says why. */
export interface JunitCase {
  name: string;
  failure?: string;
  error?: string;
  skipped?: string;
}

/** One JUnit document of one testsuite. */
export function junitXml(title: string, suite: string, classname: string, cases: readonly JunitCase[]): string {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const errors = cases.filter((c) => c.error !== undefined).length;
  const skipped = cases.filter((c) => c.failure === undefined && c.error === undefined && c.skipped !== undefined).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escape(title)}" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${escape(suite)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    ...cases.map((c) => {
      const open = `    <testcase classname="${escape(classname)}" name="${escape(c.name)}"`;
      if (c.error !== undefined) return `${open}>\n      <error message="${escape(c.error)}">${escape(c.error)}</error>\n    </testcase>`;
      if (c.failure !== undefined) return `${open}>\n      <failure message="${escape(c.failure.split('\n')[0])}">${escape(c.failure)}</failure>\n    </testcase>`;
      if (c.skipped !== undefined) return `${open}>\n      <skipped message="${escape(c.skipped)}"/>\n    </testcase>`;
      return `${open}/>`;
    }),
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

/**
 * JUnit XML for CI systems: one testsuite for the verification, one testcase per interaction (a failure with its
 * mismatches), and one testcase per failure that belongs to no interaction (a pact that could not be loaded).
 */
export function verifyJunit(result: VerifyResult, provider: string): string {
  // A provider state that could not be set up is an error of the run (JUnit's <error>), not a failure of the provider.
  const cases: JunitCase[] = [
    ...result.interactions.map((i) => (i.setupFailure !== undefined ? { name: i.description, error: i.setupFailure } : { name: i.description, failure: i.passed ? undefined : i.mismatches.join('\n') || 'failed' })),
    ...result.failures.map((f, n) => ({ name: `verification failure ${n + 1}`, failure: f })),
  ];
  return junitXml('vppkit verify', `${provider} at ${result.providerBaseUrl}`, provider, cases);
}

/**
 * JUnit XML of check-client: one testcase per request (its contract problems), then, under faults, one per
 * behaviour check and the timeout, by name; then one per failure of the run as a whole that no case above says.
 */
export function checkClientJunit(result: CheckClientResult, client: string): string {
  const cases: JunitCase[] = result.requests.map((r, i) => ({
    name: `request ${i + 1}: ${r.method} ${r.path} -> ${r.status ?? 'no answer'}${r.fault ? ` (injected fault: ${r.fault})` : ''}`,
    ...(r.problems.length ? { failure: r.problems.map(formatRequestProblem).join('\n') } : {}),
  }));
  for (const check of result.checks ?? []) {
    cases.push({ name: check.name, ...(check.passed ? (check.skipped ? { skipped: check.skipped } : {}) : { failure: check.findings.join('\n') || 'failed' }) });
  }
  const named = new Set((result.checks ?? []).map((c) => c.name));
  const rest = result.failures.filter((f) => !/ broke the contract$/.test(f) && ![...named].some((name) => f.startsWith(`${name}: `)) && !(named.has('timeout') && f.startsWith('the client did not finish')));
  rest.forEach((failure) => cases.push({ name: failure.split(':')[0], failure }));
  if (cases.length === 0) cases.push({ name: 'the client', failure: result.summary });
  return junitXml('vppkit check-client', client, 'check-client', cases);
}
