// `vppkit proxy`'s library: a proxy between any client and any Graph that judges each create and its answer
// with the kit's one judgement, and records what it saw (a pact, a HAR log, a report).
export {
  startJudgingProxy,
  formatViolation,
  ProxyStartError,
  DEFAULT_PROXY_BODY_LIMIT,
  DEFAULT_PROXY_TIMEOUT_MS,
  DEFAULT_DRAIN_MS,
  type JudgingProxy,
  type JudgingProxyOptions,
} from './proxy';
export { recordPact, type RecordPactOptions, type RecordedPact } from './record';
export { harOf, type Har, type HarEntry } from './har';
export { proxyReport, proxyJunit, PROXY_CHECKS, type ProxyReport } from './report';
export { REDACTED, secretsOf, withoutSecrets } from './redact';
export { trafficEntryOf, trafficEntriesOf, judgeProxiedBehaviour } from './traffic';
export { NothingToJudgeError } from '../behaviour';
export type { ProxiedExchange, ExchangeOutcome, ProxyRoute, SeenMessage, SeenAnswer, Violation } from './types';
