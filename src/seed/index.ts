// Seeding a server under test: send records (seedVppTokens), or a whole run with its report (runSeed).
export { retryAfterMs } from '../wire';
export {
  bearerProblem,
  fileSeedInputs,
  generatedSeedInputs,
  SeedReportError,
  seedVppTokens,
  type SeedCounts,
  type SeedInput,
  type SeedOptions,
  type SeedSummary,
  type SeedReason,
} from './send';
export {
  runSeed,
  type RunSeedOptions,
  type SeedRunResult,
} from './run';
export {
  openReport,
  readSeedReport,
  runDifference,
  SeedSetupError,
  type ReportEntry,
  type ReportHeader,
  type ReportStatus,
  type ReportWriter,
  type SeedReportContents,
  type SeedRun,
  type SendingEntry,
} from './report';
export {
  inspectSeedFile,
  spoolToFile,
  type SeedFile,
} from './source';
export {
  createProgress,
  type Progress,
  type ProgressStream,
} from './progress';
