import type { BehaviourVerdict } from '../behaviour';
import type { AnswerCheck, RequestCheck, Side } from '../judgement';
import type { Profile } from '../schemas';
import { formatViolation } from './proxy';
import type { ProxiedExchange, Violation } from './types';

/** The checks of each side, in the order reports list them. */
export const PROXY_CHECKS: readonly { side: Side; check: RequestCheck | AnswerCheck }[] = [
  { side: 'client', check: 'content type' },
  { side: 'client', check: 'authorization' },
  { side: 'client', check: 'request schema' },
  { side: 'provider', check: 'not a server error' },
  { side: 'provider', check: 'status' },
  { side: 'provider', check: 'content type' },
  { side: 'provider', check: 'response schema' },
  { side: 'provider', check: 'values back' },
];

/** What `vppkit proxy --report` writes, and what the library's proxyReport gives. */
export interface ProxyReport {
  command: 'proxy';
  /** True when no violation was seen (and, with faults, the client's behaviour passed its checks). */
  passed: boolean;
  target: string;
  profile: Profile;
  strict: boolean;
  faults?: { seed: number; description: string };
  requests: {
    total: number;
    /** POST .../vppTokens requests, and how many of them were judged. */
    creates: number;
    judged: number;
    notJudged: number;
    /** Answered by the proxy instead of the target: refused (--strict), an injected fault. */
    refused: number;
    faulted: number;
    /** The target gave no answer (timeout, reset, refused connection). */
    unanswered: number;
    clientClosed: number;
  };
  violations: {
    total: number;
    bySide: Record<Side, number>;
    /** Each side and check with its count, in PROXY_CHECKS order; the checks without a violation too. */
    byCheck: { side: Side; check: string; violations: number }[];
    list: (Violation & { line: string })[];
  };
  /** With faults: the client-behaviour checks on the proxied traffic (src/behaviour). */
  behaviour?: BehaviourVerdict;
  summary: string;
}

type Seen = { target: string; profile: Profile; strict: boolean; faults?: { seed: number; description: string }; exchanges: readonly ProxiedExchange[]; violations: readonly Violation[] };

/**
 * The report of what a proxy saw: requests by what became of them, violations by side and check, and the
 * client-behaviour verdict when one is given (with faults).
 */
export function proxyReport(proxy: Seen, behaviour?: BehaviourVerdict): ProxyReport {
  const { exchanges, violations } = proxy;
  const creates = exchanges.filter((e) => e.route === 'create');
  const notJudged = creates.filter((e) => e.notJudged !== undefined).length;
  const count = (test: (e: ProxiedExchange) => boolean) => exchanges.filter(test).length;
  const bySide = { client: violations.filter((v) => v.side === 'client').length, provider: violations.filter((v) => v.side === 'provider').length };
  const byCheck = PROXY_CHECKS.map(({ side, check }) => ({ side, check, violations: violations.filter((v) => v.side === side && v.check === check).length }));
  for (const v of violations) if (!byCheck.some((c) => c.side === v.side && c.check === v.check)) byCheck.push({ side: v.side, check: v.check, violations: violations.filter((w) => w.side === v.side && w.check === v.check).length });
  const judged = creates.length - notJudged;
  const verdict = violations.length === 0 ? 'no violation' : `${violations.length} violation${violations.length === 1 ? '' : 's'} (client ${bySide.client}, provider ${bySide.provider})`;
  const failedChecks = behaviour?.checks.filter((c) => !c.passed).map((c) => c.name) ?? [];
  const behaved = behaviour === undefined ? '' : failedChecks.length ? `; behaviour failed: ${failedChecks.join(', ')}` : '; behaviour passed';
  return {
    command: 'proxy',
    passed: violations.length === 0 && (behaviour?.passed ?? true),
    target: proxy.target,
    profile: proxy.profile,
    strict: proxy.strict,
    ...(proxy.faults ? { faults: proxy.faults } : {}),
    requests: {
      total: exchanges.length,
      creates: creates.length,
      judged,
      notJudged,
      refused: count((e) => e.outcome === 'refused'),
      faulted: count((e) => e.fault !== undefined),
      unanswered: count((e) => e.outcome === 'no answer'),
      clientClosed: count((e) => e.outcome === 'client closed'),
    },
    violations: { total: violations.length, bySide, byCheck, list: violations.map((v) => ({ ...v, line: formatViolation(v) })) },
    ...(behaviour ? { behaviour } : {}),
    summary: `${exchanges.length} request${exchanges.length === 1 ? '' : 's'}, ${judged} create${judged === 1 ? '' : 's'} judged${notJudged ? ` (${notJudged} not judged)` : ''}: ${verdict}${behaved}`,
  };
}

const xml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one test case per side and check, failed by its violations (one line each). */
export function proxyJunit(report: ProxyReport): string {
  const cases = report.violations.byCheck.map(({ side, check, violations }) => {
    const open = `    <testcase classname="vppkit.proxy.${side}" name="${xml(`${side}: ${check}`)}">`;
    if (violations === 0) return `${open}</testcase>`;
    const lines = report.violations.list.filter((v) => v.side === side && v.check === check).map((v) => v.line);
    return `${open}\n      <failure message="${xml(`${violations} violation${violations === 1 ? '' : 's'}`)}">${xml(lines.join('\n'))}</failure>\n    </testcase>`;
  });
  for (const check of report.behaviour?.checks ?? []) {
    const open = `    <testcase classname="vppkit.proxy.behaviour" name="${xml(`client behaviour: ${check.name}`)}">`;
    if (check.skipped !== undefined && check.passed) cases.push(`${open}\n      <skipped message="${xml(check.skipped)}"/>\n    </testcase>`);
    else if (check.passed) cases.push(`${open}</testcase>`);
    else cases.push(`${open}\n      <failure message="${xml(`${check.findings.length} finding${check.findings.length === 1 ? '' : 's'}`)}">${xml(check.findings.map((f) => f.message).join('\n'))}</failure>\n    </testcase>`);
  }
  const failures = report.violations.byCheck.filter((c) => c.violations > 0).length + (report.behaviour?.checks.filter((c) => !c.passed).length ?? 0);
  const skipped = report.behaviour?.checks.filter((c) => c.passed && c.skipped !== undefined).length ?? 0;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vppkit proxy" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="${xml(`vppkit proxy to ${report.target} (Graph ${report.profile})`)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
