import { NothingToJudgeError, type BehaviourVerdict } from '../behaviour';
import { junitXml, type JUnitCase } from '../junit';
import type { AnswerCheck, RequestCheck, Side } from '../judgement';
import type { Profile } from '../schemas';
import { redactStrings } from '../net';
import { formatViolation } from './proxy';
import { secretsOf } from './redact';
import type { ProxiedExchange, Violation } from './types';
import { argumentProblem, refuseArguments, membersProblem, optionsObjectProblem } from '../net/option';

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
  /** True when a create was judged, no violation was seen, and the client's behaviour passed its checks (decision 0205). */
  passed: boolean;
  /** Set when no create was judged and no violation seen (why): no verdict, exit code 2 (decision 0220). */
  nothingJudged?: string;
  target: string;
  profile: Profile;
  strict: boolean;
  faults?: { seed: number; description: string };
  requests: {
    total: number;
    /** POST .../vppTokens requests (and creates inside a JSON batch), and how many of them were judged. */
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
  /** The client-behaviour checks on the proxied traffic (src/behaviour), in every run (decision 0205). */
  behaviour?: BehaviourVerdict;
  /** No create in the traffic: why the behaviour was not judged (the run fails with faults, or when no create was judged). */
  behaviourNotJudged?: string;
  summary: string;
}

type Seen = { target: string; profile: Profile; strict: boolean; faults?: { seed: number; description: string }; exchanges: readonly ProxiedExchange[]; violations: readonly Violation[] };

/**
 * The report of what a proxy saw: requests by what became of them, violations by side and check, and the
 * client-behaviour verdict when one is given (with faults), or why there was none to give (judgeProxiedBehaviour's
 * NothingToJudgeError: the traffic held no create).
 */
export function proxyReport(proxy: Seen, judged?: BehaviourVerdict | NothingToJudgeError): ProxyReport {
  refuseArguments(argumentProblem('proxy', proxy, 'object', 'the proxy, or an object of its exchanges and violations'));
  // The members it reads by the one rule (decision 0891): `proxyReport({})` failed reading 'reduce'.
  refuseArguments(argumentProblem('proxy.exchanges', proxy.exchanges, 'array', "an array of the proxy's exchanges"), argumentProblem('proxy.violations', proxy.violations, 'array', "an array of the proxy's violations"));
  // A verdict's members it reads (decision 1041: `proxyReport(proxy, {})` failed reading 'filter'); NothingToJudgeError is no verdict.
  if (judged !== undefined && !(judged instanceof NothingToJudgeError)) {
    const words = "judgeProxiedBehaviour's verdict, or the NothingToJudgeError it threw";
    refuseArguments(argumentProblem('judged', judged, 'object', words), argumentProblem('judged.checks', (judged as { checks?: unknown }).checks, 'array', `an array of the behaviour's checks: judged must be ${words}`), argumentProblem('judged.passed', (judged as { passed?: unknown }).passed, 'boolean'));
  }
  // Written as the command writes it (README: "write what the command writes"): every string with the traffic's
  // credentials hidden by the one redaction (a violation's path as sent held a VPP token: decision 0683).
  return redactStrings(reportOf(proxy, judged), secretsOf(proxy.exchanges)) as ProxyReport;
}

function reportOf(proxy: Seen, judged?: BehaviourVerdict | NothingToJudgeError): ProxyReport {
  const behaviour = judged instanceof NothingToJudgeError ? undefined : judged;
  const notJudged = judged instanceof NothingToJudgeError ? judged.message : undefined;
  const { exchanges, violations } = proxy;
  // A create inside a JSON batch counts as a create (decision 0201); a batch whose body was not read, as one not judged.
  const batched = exchanges.reduce((n, e) => n + (e.batched?.length ?? 0), 0);
  const batchesNotJudged = exchanges.filter((e) => e.route === 'batch' && e.notJudged !== undefined).length;
  const creates = exchanges.filter((e) => e.route === 'create').length + batched + batchesNotJudged;
  const createsNotJudged = exchanges.filter((e) => e.route === 'create' && e.notJudged !== undefined).length + batchesNotJudged;
  const count = (test: (e: ProxiedExchange) => boolean) => exchanges.filter(test).length;
  const bySide = { client: violations.filter((v) => v.side === 'client').length, provider: violations.filter((v) => v.side === 'provider').length };
  const byCheck = PROXY_CHECKS.map(({ side, check }) => ({ side, check, violations: violations.filter((v) => v.side === side && v.check === check).length }));
  for (const v of violations) if (!byCheck.some((c) => c.side === v.side && c.check === v.check)) byCheck.push({ side: v.side, check: v.check, violations: violations.filter((w) => w.side === v.side && w.check === v.check).length });
  const createsJudged = creates - createsNotJudged;
  // A run that judged no create is no verdict (outside tester I2): it does not pass, and with no violation either it
  // is no verdict at all, exit 2, as in every command (decision 0220); its checks are skipped, not passed.
  const nothingJudged = createsJudged === 0;
  const verdict = nothingJudged
    ? `nothing judged (no create, POST .../deviceAppManagement/vppTokens, was judged): no verdict${violations.length ? `; ${violations.length} violation${violations.length === 1 ? '' : 's'}` : ''}`
    : violations.length === 0 ? 'no violation' : `${violations.length} violation${violations.length === 1 ? '' : 's'} (client ${bySide.client}, provider ${bySide.provider})`;
  const failedChecks = behaviour?.checks.filter((c) => !c.passed).map((c) => c.name) ?? [];
  // The behaviour is judged in every run (decision 0205); traffic without a plain create (creates only inside a JSON
  // batch) is not judged for it, which fails the run only with faults (what they were for went unproven).
  const behaviourFails = notJudged !== undefined && (proxy.faults !== undefined || nothingJudged);
  const behaved = notJudged !== undefined ? '; behaviour not judged: no create' : behaviour === undefined ? '' : failedChecks.length ? `; behaviour failed: ${failedChecks.join(', ')}` : '; behaviour passed';
  return {
    command: 'proxy',
    passed: violations.length === 0 && !nothingJudged && !behaviourFails && (behaviour?.passed ?? true),
    ...(nothingJudged && violations.length === 0 ? { nothingJudged: 'no create (POST .../deviceAppManagement/vppTokens) was judged' } : {}),
    target: proxy.target,
    profile: proxy.profile,
    strict: proxy.strict,
    ...(proxy.faults ? { faults: proxy.faults } : {}),
    requests: {
      total: exchanges.length,
      creates,
      judged: createsJudged,
      notJudged: createsNotJudged,
      refused: count((e) => e.outcome === 'refused'),
      faulted: count((e) => e.fault !== undefined),
      unanswered: count((e) => e.outcome === 'no answer'),
      clientClosed: count((e) => e.outcome === 'client closed'),
    },
    violations: { total: violations.length, bySide, byCheck, list: violations.map((v) => ({ ...v, line: formatViolation(v) })) },
    ...(behaviour ? { behaviour } : {}),
    ...(notJudged !== undefined ? { behaviourNotJudged: notJudged } : {}),
    summary: `${exchanges.length} request${exchanges.length === 1 ? '' : 's'}, ${createsJudged} create${createsJudged === 1 ? '' : 's'} judged${createsNotJudged ? ` (${createsNotJudged} not judged)` : ''}: ${verdict}${behaved}`,
  };
}

/** What the JUnit report adds to the proxy's report. */
export interface ProxyJunitOptions {
  /**
   * Why a run asked to record a pact wrote none (`--record` with no create a pact can describe): a case `pact` in
   * error, as check-client's (decisions 0681, 0850); the verdict on the traffic stands.
   */
  noPact?: string;
}

/**
 * JUnit XML (the kit's one writer): one test case per side and check, failed by its violations; one per behaviour
 * check; and `pact` in error when `options.noPact` says why no pact was written.
 */
export function proxyJunit(report: ProxyReport, options: ProxyJunitOptions = {}): string {
  refuseArguments(argumentProblem('report', report, 'object', 'the proxy\'s report, such as proxyReport(proxy)'), argumentProblem('options', options, 'object'));
  refuseArguments(argumentProblem('report.requests', report.requests, 'object', 'an object of the counts of requests, such as proxyReport(proxy).requests'), argumentProblem('report.violations', report.violations, 'object', 'an object of the violations by side and check, such as proxyReport(proxy).violations'));
  refuseArguments(optionsObjectProblem('proxyJunit', options, ['noPact']), membersProblem(options, { noPact: 'string' }));
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  // With no create judged, a check without a violation judged nothing: skipped, not passed (outside tester I2).
  const nothingJudged = report.requests.judged === 0;
  const cases: JUnitCase[] = report.violations.byCheck.map(({ side, check, violations }) => ({
    classname: `vppkit.proxy.${side}`,
    name: `${side}: ${check}`,
    ...(violations > 0
      ? { failure: { message: plural(violations, 'violation'), text: report.violations.list.filter((v) => v.side === side && v.check === check).map((v) => v.line).join('\n') } }
      : nothingJudged
        ? { skipped: 'no create was judged' }
        : {}),
  }));
  for (const check of report.behaviour?.checks ?? []) {
    cases.push({
      classname: 'vppkit.proxy.behaviour',
      name: `client behaviour: ${check.name}`,
      ...(!check.passed
        ? { failure: { message: plural(check.findings.length, 'finding'), text: check.findings.map((f) => f.message).join('\n') } }
        : check.skipped !== undefined
          ? { skipped: check.skipped }
          : {}),
    });
  }
  if (report.behaviourNotJudged !== undefined) {
    cases.push({ classname: 'vppkit.proxy.behaviour', name: 'client behaviour', failure: { message: 'not judged: no create', text: report.behaviourNotJudged } });
  }
  if (typeof options.noPact === 'string') cases.push({ classname: 'vppkit.proxy', name: 'pact', error: { message: options.noPact.split('\n')[0], text: options.noPact } });
  return junitXml({ name: 'vppkit proxy', suites: [{ name: `vppkit proxy to ${report.target} (Graph ${report.profile})`, cases }] });
}
