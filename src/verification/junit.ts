import { basename } from 'node:path';
import { junitXml, type JUnitCase } from '../junit';
import type { VerifyResult } from './types';

/**
 * verify's JUnit XML: one testsuite for the verification, one testcase per interaction (a failure with its
 * mismatches; an error when its provider state could not be set up: the run's fault, not the provider's), and one
 * testcase per failure that belongs to no interaction (a pact that could not be loaded), an error per reason a
 * provider-state teardown failed, and a skipped testcase per interaction that is not HTTP, left out.
 */
export function verifyJUnit(result: VerifyResult, provider: string): string {
  const cases: JUnitCase[] = [
    ...result.interactions.map((i): JUnitCase => {
      const base = { classname: provider, name: i.description };
      if (i.setupFailure !== undefined) return { ...base, error: { message: i.setupFailure } };
      if (i.passed) return base;
      const text = i.mismatches.join('\n') || 'failed';
      // A pending interaction's failure fails no build: reported as skipped, with what failed.
      if (i.pending) return { ...base, skipped: `pending, failed (does not fail the run): ${text.split('\n').join('; ')}` };
      return { ...base, failure: { message: text.split('\n')[0], text } };
    }),
    ...result.failures.map((f, n): JUnitCase => ({ classname: provider, name: `verification failure ${n + 1}`, failure: { message: f.split('\n')[0], text: f } })),
    // A failed teardown is the run's fault, as a failed set-up is: an error, after the verdicts it does not change.
    ...(result.teardownFailures ?? []).map((f, n): JUnitCase => ({ classname: provider, name: `provider state teardown ${n + 1}`, error: { message: f } })),
    // An interaction that is not HTTP (a V4 message) was left out, as compare leaves it (decision 0511): skipped, said why.
    ...(result.leftOut ?? []).map((i): JUnitCase => ({ classname: provider, name: i.description, skipped: `not an HTTP interaction (${i.type}), left out: verify checks HTTP interactions (${basename(i.file)})` })),
  ];
  return junitXml({ name: 'vppkit verify', suites: [{ name: `${provider} at ${result.providerBaseUrl}`, cases }] });
}
