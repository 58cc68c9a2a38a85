// The schemas of the kit's own input files and their checkers, compiled at build time (docs/decisions/0446).
import type { ValidateFunction } from 'ajv';
import { toProblems, type Problem } from './problems';

/** The kit's own input files with a schema: a fault profile (`--faults FILE`), a conform report (`--replay FILE`). */
export type KitFile = 'faults' | 'conformReport';

/**
 * A checker of one of the kit's own input files: every problem with a JSON pointer and what is allowed, as
 * schemaChecker words them, from ajv's standalone code in src/generated/validators-kit.ts (npm run generate writes
 * it from FAULTS_FILE_SCHEMA and REPORT_SCHEMA; tests/generated-types.test.ts fails when it is stale). Loaded
 * when first asked for.
 */
export function kitChecker(file: KitFile): (data: unknown) => Problem[] {
  const explain = (require('../generated/validators-kit') as { validators: Record<KitFile, ValidateFunction> }).validators[file];
  return (data) => (explain(data) ? [] : toProblems((explain.errors ?? []).filter((e) => e.keyword !== 'if'), data));
}
