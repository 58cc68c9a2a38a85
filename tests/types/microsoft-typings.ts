// Type-level tests, compiled by `tsc --noEmit` (part of `npm test`; nothing here runs): what the kit's types and
// factories give must be assignable to the same entity in Microsoft's typings, or this file does not compile.
// docs/decisions/0050.
import type * as GraphBeta from '@microsoft/microsoft-graph-types-beta';
import type * as KiotaBeta from '@microsoft/msgraph-beta-sdk/models';
import { createRequestFactory, vppTokenFactory, type VppToken, type VppTokenCreateRequest } from 'vpptokens-contract-kit';

const token: VppToken = vppTokenFactory.build();
const request: VppTokenCreateRequest = createRequestFactory.build();

// @microsoft/microsoft-graph-types-beta: the JSON shape, as the classic client sends and reads it.
export const graphToken: GraphBeta.VppToken = token;
export const graphRequest: GraphBeta.VppToken = request;
export const graphNulls: GraphBeta.VppToken = vppTokenFactory.withTraits('nulls').build();
export const graphFull: GraphBeta.VppToken = createRequestFactory.withTraits('full').build();
export const graphTagIds: GraphBeta.VppToken['roleScopeTagIds'] = token.roleScopeTagIds;

// @microsoft/msgraph-beta-sdk (Kiota): its models are in-memory objects that the SDK's own (de)serializers fill,
// with `Date` for DateTimeOffset and `odataType` for `@odata.type`; every other property takes the kit's values.
type KiotaOwnShape = 'expirationDateTime' | 'lastModifiedDateTime' | 'lastSyncDateTime' | 'tokenActionResults' | 'odataType';
export const kiotaToken: Omit<KiotaBeta.VppToken, KiotaOwnShape> = token;
export const kiotaRequest: Omit<KiotaBeta.VppToken, KiotaOwnShape> = request;
export const kiotaTagIds: KiotaBeta.VppToken['roleScopeTagIds'] = token.roleScopeTagIds;
export const kiotaState: KiotaBeta.VppToken['state'] = token.state;
export const kiotaAccountType: KiotaBeta.VppToken['vppTokenAccountType'] = request.vppTokenAccountType;
