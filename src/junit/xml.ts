// JUnit XML, the one writer of verify's, check-client's and conform's reports (decision 0096).

/** One test case: passed, failed (the check failed), an error (it could not be judged) or skipped. */
export interface JUnitCase {
  classname: string;
  name: string;
  /** The check failed: `message` is one line, `text` the whole story. */
  failure?: { message: string; text?: string };
  /** The case could not be judged (a provider state that could not be set up). */
  error?: { message: string; text?: string };
  /** The case was not run, and why. */
  skipped?: string;
  /** Seconds. */
  time?: number;
}

export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
  properties?: Record<string, string | number>;
  /** Seconds. */
  time?: number;
}

export interface JUnitReport {
  /** The run's name: `vppkit verify`, `vppkit check-client`, `vppkit conform`. */
  name: string;
  suites: JUnitSuite[];
  /** Seconds. */
  time?: number;
}

/** Text for an XML attribute or element: the five special characters escaped, characters XML 1.0 forbids left out. */
export function xmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

const seconds = (time: number | undefined): string => (time === undefined ? '' : ` time="${time.toFixed(3)}"`);

function counts(cases: readonly JUnitCase[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => !c.failure && c.error).length;
  const skipped = cases.filter((c) => !c.failure && !c.error && c.skipped !== undefined).length;
  return `tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
}

function testcase(c: JUnitCase): string {
  const open = `    <testcase classname="${xmlText(c.classname)}" name="${xmlText(c.name)}"${seconds(c.time)}`;
  const detail = (tag: string, d: { message: string; text?: string }) => `${open}>\n      <${tag} message="${xmlText(d.message)}">${xmlText(d.text ?? d.message)}</${tag}>\n    </testcase>`;
  if (c.failure) return detail('failure', c.failure);
  if (c.error) return detail('error', c.error);
  if (c.skipped !== undefined) return `${open}>\n      <skipped message="${xmlText(c.skipped)}"/>\n    </testcase>`;
  return `${open}/>`;
}

/** The report as JUnit XML (the shape Jenkins, GitLab, GitHub and Azure DevOps read), ending in a newline. */
export function junitXml(report: JUnitReport): string {
  const all = report.suites.flatMap((s) => s.cases);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xmlText(report.name)}" ${counts(all)}${seconds(report.time)}>`];
  for (const suite of report.suites) {
    lines.push(`  <testsuite name="${xmlText(suite.name)}" ${counts(suite.cases)}${seconds(suite.time)}>`);
    const properties = Object.entries(suite.properties ?? {});
    if (properties.length) lines.push(`    <properties>${properties.map(([name, value]) => `<property name="${xmlText(name)}" value="${xmlText(String(value))}"/>`).join('')}</properties>`);
    lines.push(...suite.cases.map(testcase), '  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
