import { DEVICE_APP_MANAGEMENT_MEMBERS, GRAPH_ROOTS } from '../graph/resources';
import { schemaFor } from '../schemas';
import type { RequestTarget } from './target';

/** The actions Graph binds to one vppToken (POST .../vppTokens/{id}/syncLicenses, .../revokeLicenses). */
export const ENTITY_ACTION = /^\/deviceappmanagement\/vpptokens\/[^/]+\/(synclicenses|revokelicenses)\/?$/i;
const ACTION_NAMES: Readonly<Record<string, string>> = { synclicenses: 'syncLicenses', revokelicenses: 'revokeLicenses' };
/** One structural property of one vppToken, or its raw value (OData 4.01 Part 2 §4.6, §4.7): `.../vppTokens/{id}/state`, `.../displayName/$value`. */
const ENTITY_PROPERTY = /^\/deviceappmanagement\/vpptokens(?:\/[^/()]+|\((?:id=)?'[^/()']+'\))\/([A-Za-z]+)(\/\$value)?\/?$/i;
/** A vppToken's property names (beta's, which hold v1.0's), in lower case: Graph routes a segment in any case. */
const PROPERTIES = new Set(Object.keys((schemaFor('response').properties ?? {}) as object).map((name) => name.toLowerCase()));
/** JSON batching's segment, after the version (`/beta/$batch`). */
export const BATCH = /^\/\$batch\/?$/i;
const TRULY = 'Graph takes it, the reference provider cannot answer it truly (docs/decisions/0183)';
/** Graph's metadata document, after the version (`/beta/$metadata`): OData 4.01 Part 1 §11.1.2. */
const METADATA = /^\/\$metadata\/?$/i;

/**
 * A read of one of Graph's open documents, in words, or undefined: the metadata document (`/beta/$metadata`) and the
 * service document (the service root, `/beta/`; OData 4.01 Part 1 §11.1.1), which OData client libraries read before
 * their first request (outside tester K31; decision 0266). Graph serves `$metadata` without a token, so this comes
 * before authentication: the mock answers 501 saying so, and check-client reports it `not judged`, with or without
 * a bearer. Only under a version prefix: Graph has no `/$metadata` at its host's root.
 */
export function openDocumentRead(method: string, target: RequestTarget): string | undefined {
  if ((method !== 'GET' && method !== 'HEAD') || target.version === '') return undefined;
  if (METADATA.test(target.rest)) return `reading Graph's metadata document ($metadata) is not modelled by the mock: ${TRULY}.`;
  if (target.rest === '/') return `reading Graph's service document (the service root) is not modelled by the mock: ${TRULY}.`;
  return undefined;
}

/**
 * What a request asks of Graph that the mock does not model, in words, or undefined: a DELETE or PATCH of one
 * vppToken, an action bound to one (syncLicenses, revokeLicenses), a read of one of its properties or its raw value
 * (outside tester J29). Graph takes them, so they are no broken create:
 * the mock answers 501 saying so, and check-client reports them `not judged` (as for the query options of
 * docs/decisions/0146). One rule for the mock's routing and check-client's verdict. JSON batching (`POST /$batch`)
 * is modelled: each request inside it is answered and judged as one sent alone (decision 0215).
 */
export function notModelledOperation(method: string, target: RequestTarget): string | undefined {
  if (target.names.kind === 'entity' && (method === 'DELETE' || method === 'PATCH')) return `${method} of a vppToken is not modelled by the mock: ${TRULY}.`;
  const property = ENTITY_PROPERTY.exec(target.rest);
  if (property && PROPERTIES.has(property[1].toLowerCase()) && (method === 'GET' || method === 'HEAD')) {
    return `reading one property of a vppToken (${property[1]}${property[2] ?? ''}) is not modelled by the mock: ${TRULY}.`;
  }
  const action = ENTITY_ACTION.exec(target.rest);
  if (action && method === 'POST') return `the action ${ACTION_NAMES[action[1].toLowerCase()]} of a vppToken is not modelled by the mock: ${TRULY}.`;
  return otherGraphResource(method, target);
}

/** A segment that names the vppTokens, misspelt or not (`vppToken`, `vpp_tokens`, `VPP-Tokens`): a path holding one elsewhere mistakes them. */
const NAMES_VPP_TOKENS = /^vpp[-_.]?tokens?$/i;
/** A segment without its key (`users('1f2e')`, `users(1f2e)`) and without the namespace of a bound operation (`microsoft.graph.sync...`). */
const segmentName = (segment: string): string => segment.replace(/\(.*$/, '').replace(/^microsoft\.graph\./i, '').toLowerCase();

/**
 * A request of another Graph resource than the vppTokens, in words, or undefined: a read (`GET /beta/me`, the
 * deviceAppManagement singleton, `.../mobileApps`) or a write, which a client makes beside its create as Graph takes
 * it (outside tester R33). The mock models the vppTokens only, so it answers 501 and check-client reports it not
 * judged (decision 0520). Another resource is one whose first segment is a root of Graph's (GRAPH_ROOTS) and, under
 * /deviceAppManagement, whose second is one of its members; a path that names the vppTokens anywhere else
 * (`/deviceManagement/vppTokens`, `/deviceAppManagement/vppToken`, `/beta/vppTokens`), or names what Graph has not,
 * is no other resource: it stays a 404 and the client's error. A CORS preflight keeps its own rule (preflight.ts).
 */
function otherGraphResource(method: string, target: RequestTarget): string | undefined {
  if (method === 'OPTIONS' || target.problem !== undefined || target.names.kind !== 'none') return undefined;
  const segments = target.rest.split('/').filter((segment) => segment !== '').map(segmentName);
  if (segments.length === 0 || segments.some((segment) => NAMES_VPP_TOKENS.test(segment))) return undefined;
  const root = GRAPH_ROOTS.get(segments[0]);
  if (root === undefined) return undefined;
  let resource = root;
  if (segments[0] === 'deviceappmanagement' && segments.length > 1) {
    const member = DEVICE_APP_MANAGEMENT_MEMBERS.get(segments[1]);
    if (member === undefined) return undefined;
    resource = `${root}/${member}`;
  }
  const what = method === 'GET' || method === 'HEAD' ? 'reading another Graph resource' : `${method} of another Graph resource`;
  return `${what} (${resource}) is not modelled by the mock, which models the vppTokens only: Graph takes it, the reference provider cannot answer it truly (docs/decisions/0520).`;
}
