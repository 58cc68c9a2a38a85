// Type-level tests, compiled by `tsc --noEmit` (`npm run typecheck`, the first step of `npm test`; nothing here
// runs): an action result's type says what its schema says. Each branch of the union is closed, so the license
// counts and actionFailureReason belong to the derived type only, with its @odata.type (decision 0407, outside
// tester P1). Each `@ts-expect-error` fails the type check when the line under it compiles.
import { createRequestFactory, validateActionResult, vppTokenFactory, type VppToken, type VppTokenActionResult, type VppTokenCreateRequest } from 'vpptokens-contract-kit';

// Right: the derived type with its @odata.type (any of its spellings), and the base type without the counts.
export const revoked: VppTokenActionResult = { '@odata.type': '#microsoft.graph.vppTokenRevokeLicensesActionResult', actionState: 'done', totalLicensesCount: 12, failedLicensesCount: 0, actionFailureReason: 'none' };
export const aliased: VppTokenActionResult = { '@odata.type': 'graph.vppTokenRevokeLicensesActionResult', failedLicensesCount: 1 };
export const base: VppTokenActionResult = { actionState: 'done', actionName: 'sync' };
export const baseNamed: VppTokenActionResult = { '@odata.type': '#microsoft.graph.vppTokenActionResult', actionState: 'failed' };
// Reading a count off the union still type-checks (undefined on the base type), as validators' callers do.
export const counted = (r: VppTokenActionResult): number | undefined => r.totalLicensesCount;

// Wrong: the derived type's properties without its @odata.type, or with the base type's.
// @ts-expect-error the base type (no @odata.type) has no totalLicensesCount
export const unnamed: VppTokenActionResult = { actionState: 'done', totalLicensesCount: 12, failedLicensesCount: 0 };
// @ts-expect-error nor actionFailureReason
export const reason: VppTokenActionResult = { actionFailureReason: 'none' };
// @ts-expect-error the base type's @odata.type does not make an item the derived type
export const baseTyped: VppTokenActionResult = { '@odata.type': '#microsoft.graph.vppTokenActionResult', failedLicensesCount: 0 };
// @ts-expect-error in a create request's tokenActionResults
export const request: VppTokenCreateRequest = { token: 't', tokenActionResults: [{ actionState: 'done', failedLicensesCount: 0 }] };
// @ts-expect-error in a created vppToken's
export const created: VppToken = { ...vppTokenFactory.build(), tokenActionResults: [{ totalLicensesCount: 3 }] };
// @ts-expect-error in a factory's overrides
export const built = createRequestFactory.build({ tokenActionResults: [{ actionState: 'done', failedLicensesCount: 0 }] });
// The runtime says the same of the first wrong one (validateActionResult refuses both counts).
export const problems = validateActionResult(unnamed).problems;
