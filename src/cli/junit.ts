import type { VerifyResult } from '../verification';

const escape = (text: string) =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/**
 * JUnit XML for CI systems: one testsuite for the verification, one testcase per interaction (a failure with its
 * mismatches), and one testcase per failure that belongs to no interaction (a pact that could not be loaded).
 */
export function verifyJunit(result: VerifyResult, provider: string): string {
  // A provider state that could not be set up is an error of the run (JUnit's <error>), not a failure of the provider.
  const cases: { name: string; failure?: string; error?: string }[] = [
    ...result.interactions.map((i) => (i.setupFailure !== undefined ? { name: i.description, error: i.setupFailure } : { name: i.description, failure: i.passed ? undefined : i.mismatches.join('\n') || 'failed' })),
    ...result.failures.map((f, n) => ({ name: `verification failure ${n + 1}`, failure: f })),
  ];
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const errors = cases.filter((c) => c.error !== undefined).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vppkit verify" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${escape(`${provider} at ${result.providerBaseUrl}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0">`,
    ...cases.map((c) => {
      const open = `    <testcase classname="${escape(provider)}" name="${escape(c.name)}"`;
      if (c.error !== undefined) return `${open}>\n      <error message="${escape(c.error)}">${escape(c.error)}</error>\n    </testcase>`;
      if (c.failure === undefined) return `${open}/>`;
      return `${open}>\n      <failure message="${escape(c.failure.split('\n')[0])}">${escape(c.failure)}</failure>\n    </testcase>`;
    }),
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}
