// What a client does when Graph fails, judged from the provider's traffic alone: Retry-After, duplicates after an
// unknown outcome, bounded retries, silent loss (decision 0060). Shared by check-client, the jest matchers and the proxy.
export { isCreate, tokenOf, createBodyOf, trafficSecrets, withBatchMembers, requestName, type TrafficEntry } from './traffic';
export {
  judgeClientBehaviour,
  trafficProblem,
  faultGivenUpAfter,
  behaviourOptionProblem,
  checkBehaviourOptions,
  NothingToJudgeError,
  BEHAVIOUR_CHECKS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_CONCURRENCY,
  RETRY_AFTER_SLACK_MS,
  NO_DELAY_MS,
  type BehaviourCheckName,
  type BehaviourOptions,
  type BehaviourFinding,
  type BehaviourCheck,
  type BehaviourVerdict,
} from './judge';
export { pageKey } from './read-back';
