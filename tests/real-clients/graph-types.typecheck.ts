// A type-level test, compiled by `tsc --noEmit` in npm test (not run by jest): the kit's exported v1.0 types
// are assignable to Microsoft's own v1.0 typings (@microsoft/microsoft-graph-types), so a value the kit
// validated or built can be handed to code typed with them. A type that drifts apart fails to compile.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import type { Beta, V1, VppTokenCreateRequestV1, VppTokenV1 } from 'vpptokens-contract-kit';

export const created = (token: VppTokenV1): MicrosoftGraph.VppToken => token;
export const sent = (request: VppTokenCreateRequestV1): MicrosoftGraph.VppToken => request;
export const namespaced = (token: V1.VppToken): MicrosoftGraph.VppToken => token;
export const state = (value: V1.VppTokenState): MicrosoftGraph.VppTokenState => value;
export const syncStatus = (value: V1.VppTokenSyncStatus): MicrosoftGraph.VppTokenSyncStatus => value;
export const accountType = (value: V1.VppTokenAccountType): MicrosoftGraph.VppTokenAccountType => value;

// The check has teeth: beta's state has duplicateLocationId, which v1.0 lacks, so this must not compile.
// @ts-expect-error beta's VppTokenState is not v1.0's
export const betaState = (value: Beta.VppTokenState): MicrosoftGraph.VppTokenState => value;
