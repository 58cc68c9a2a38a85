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
  const cases = [
    ...result.interactions.map((i) => ({ name: i.description, failure: i.passed ? undefined : i.mismatches.join('\n') || 'failed' })),
    ...result.failures.map((f, n) => ({ name: `verification failure ${n + 1}`, failure: f })),
  ];
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vppkit verify" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="${escape(`${provider} at ${result.providerBaseUrl}`)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases.map((c) =>
      c.failure === undefined
        ? `    <testcase classname="${escape(provider)}" name="${escape(c.name)}"/>`
        : `    <testcase classname="${escape(provider)}" name="${escape(c.name)}">\n      <failure message="${escape(c.failure.split('\n')[0])}">${escape(c.failure)}</failure>\n    </testcase>`,
    ),
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}
