// Both profiles' types under clear names. The flat names (VppToken, VppTokenCreateRequest, ...) stay Graph beta.
export type * as Beta from '../generated/types';
export type * as V1 from '../generated/types-v1';
export type {
  VppToken as VppTokenV1,
  VppTokenCreateRequest as VppTokenCreateRequestV1,
  VppTokenState as VppTokenStateV1,
} from '../generated/types-v1';
