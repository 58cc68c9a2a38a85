import { randomUUID } from 'node:crypto';
import type { VppTokenCreateRequest } from '../generated/types';
import { VPP_TOKEN_TYPE } from '../graph';
import { checkCreateRequest, readRequest, VPP_TOKENS_PATH, type CreateRules } from '../judgement';
import type { Profile } from '../schemas';
import { headerLines, headerValues } from '../wire';
import { faultNote, HttpError, ResetAfterCreate, type Answer, type Seen } from './answer';
import type { InjectedFault } from './faults';
import type { Links } from './list';
import { refusalOf } from './refusal';
import type { ProviderRequest } from './routing';
import type { VppTokenStore } from './store';

/**
 * POST of the collection: the request judged by the one judgement shared with check-client (src/judgement:
 * Authorization problems are 401, Content-Type 415, the body 400), then stored (507 when the store is full) and
 * answered 201 with the created vppToken and its Location. A fault after the create (`afterCreate`) takes the
 * answer's place once the vppToken is stored.
 */
export function createVppToken(
  req: ProviderRequest,
  seen: Seen,
  { vppTokens, profile, afterCreate, rules, ...links }: Links & { vppTokens: VppTokenStore; profile: Profile; afterCreate?: InjectedFault; rules?: CreateRules },
): Answer {
  const request = { method: req.method ?? 'GET', path: VPP_TOKENS_PATH, headers: req.headers, rawHeaders: req.rawHeaders, body: seen.body, bytes: seen.bytes };
  // Read once, by the one reader: the value judged is the value stored (no second parse that could read it otherwise).
  const read = readRequest(request);
  const problems = checkCreateRequest(request, profile, rules, read);
  const refusal = refusalOf(problems, headerValues(headerLines(req.rawHeaders), 'Content-Type'));
  if (refusal) throw new HttpError(refusal.status, refusal.code, refusal.message, { headers: refusal.headers, problems: refusal.problems });
  const full = vppTokens.refusal(Buffer.byteLength(seen.body!));
  if (full) throw new HttpError(507, 'InsufficientStorage', full);
  const id = randomUUID();
  const created = vppTokens.add(id, read.json!.value as VppTokenCreateRequest, new Date(), profile);
  seen.stored = true;
  seen.createdId = id;
  // The answer says the store already held the token (beta's state, decision 0251): kept in the traffic as the proxy
  // reads it from a target's 201 (decisions 0652, 0670), a fault after the create in its place or not.
  if (created.state === 'duplicateLocationId') seen.heldAlready = true;
  if (afterCreate) {
    seen.fault = afterCreate;
    if (afterCreate.failure === 'reset-after-create') throw new ResetAfterCreate();
    throw new HttpError(afterCreate.status!, afterCreate.code, afterCreate.message, { note: faultNote(afterCreate) });
  }
  return {
    status: 201,
    body: { '@odata.context': `${links.context}/$entity`, '@odata.type': VPP_TOKEN_TYPE, ...created },
    headers: { Location: `${links.base}${links.version}/deviceAppManagement/vppTokens('${id}')` },
  };
}
