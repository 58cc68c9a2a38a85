// vppkit conform: property-based conformance of any provider of POST /deviceAppManagement/vppTokens, beyond the
// contract's examples. Requests are drawn and shrunk by fast-check; answers are judged by src/judgement.
export {
  conform,
  CONFORM_CHECKS,
  ConformSetupError,
  type ConformCheck,
  type ConformOptions,
  type ConformResult,
  type ConformProblem,
  type CheckSummary,
  type Finding,
} from './run';
export { formatConformResult, conformJUnit, conformJson } from './report';
export { parseCheckList, readConformReport, readConformReportInput, ConformOptionError, type ReplayData, type ReplayFinding, type ReplayReport } from './select';
export type { CaseSize } from './case';
