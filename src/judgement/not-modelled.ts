import type { RequestTarget } from './target';

/** The actions Graph binds to one vppToken (POST .../vppTokens/{id}/syncLicenses, .../revokeLicenses). */
export const ENTITY_ACTION = /^\/deviceappmanagement\/vpptokens\/[^/]+\/(synclicenses|revokelicenses)\/?$/i;
const ACTION_NAMES: Readonly<Record<string, string>> = { synclicenses: 'syncLicenses', revokelicenses: 'revokeLicenses' };
/** JSON batching's segment, after the version (`/beta/$batch`). */
export const BATCH = /^\/\$batch\/?$/i;
const TRULY = 'Graph takes it, the reference provider cannot answer it truly (docs/decisions/0183)';

/**
 * What a request asks of Graph that the mock does not model, in words, or undefined: a DELETE or PATCH of one
 * vppToken, an action bound to one (syncLicenses, revokeLicenses). Graph takes them, so they are no broken create:
 * the mock answers 501 saying so, and check-client reports them `not judged` (as for the query options of
 * docs/decisions/0146). One rule for the mock's routing and check-client's verdict. JSON batching (`POST /$batch`)
 * is modelled: each request inside it is answered and judged as one sent alone (decision 0215).
 */
export function notModelledOperation(method: string, target: RequestTarget): string | undefined {
  if (target.names.kind === 'entity' && (method === 'DELETE' || method === 'PATCH')) return `${method} of a vppToken is not modelled by the mock: ${TRULY}.`;
  const action = ENTITY_ACTION.exec(target.rest);
  if (action && method === 'POST') return `the action ${ACTION_NAMES[action[1].toLowerCase()]} of a vppToken is not modelled by the mock: ${TRULY}.`;
  return undefined;
}
