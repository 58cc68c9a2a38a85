// check-client: runs any client against the kit's mock of Graph and judges every request it makes (decision 0022).
export { checkClient, notJudgedReason, readOfCreated } from './check-client';
export { MAX_OUTPUT_BYTES } from './run-client';
export type { CheckClientOptions, CheckedRequest, NamedCheck, CheckClientResult, RequestCounts } from './types';
export { checkClientJUnit } from './junit';
