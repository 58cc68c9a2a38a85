// compare: a static check of any consumer pact against the kit's contract (decision 0071).
export {
  comparePacts,
  formatCompareResult,
  type CompareCheck,
  type CompareFinding,
  type CompareInteraction,
  type ComparePact,
  type CompareResult,
  type CompareOptions,
} from './compare';
export { readPactFile, PactFileError, type PactFile, type PactInteraction, type PactMessage, type PactRule } from './pact-file';
