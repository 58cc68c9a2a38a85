// `resource identity`: what a created vppToken's answer names as its address points at this vppToken, on a host
// the answer cannot choose for itself (docs/decisions/0126, 0190).
import { GRAPH_HOSTS } from '../graph/hosts';
import { redactTargetQuery } from '../net/redact';
import { sameHost } from '../net/url';
import { VPP_TOKENS_ENTITY, VPP_TOKENS_KEY_AT_END } from './patterns';
import { PROFILES, type Profile } from '../schemas';
import { controlInformation, pointerSegment } from '../validation';
import { atBody, atHeader, headerValues, type HeaderLine, type Placed } from '../wire';
import type { AnswerProblem } from './answer-problem';
import { argumentProblem, refuseArguments } from '../net/option';
import { decodePath, versionAtEnd } from './version';

/** Where a create was sent and whom it may name as its service besides: what the answer itself cannot choose. */
export interface ServiceOfCreate {
  /** The request's target URI (`<service root>/deviceAppManagement/vppTokens`): its host and service root. */
  target?: string | URL;
  /** Hosts the service names itself by behind a gateway (`gw.example`, `gw.example:8443`): --public-host. */
  publicHosts?: readonly string[];
  /** The Graph version the create was judged as, when the target's path names none (a provider asked at its root). */
  profile?: Profile;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a relative Location resolves when the request's target is not known: the collection, on no host. */
const UNKNOWN_TARGET = 'http://service.invalid/deviceAppManagement/vppTokens';
/**
 * A select list in a context URL (OData JSON 4.01 §10.9, `$select`ed properties): property paths, `*`, `Namespace.*`;
 * never a key (`('<id>')`, `(id='<id>')`, a bare GUID), which names one entity and is no part of a context URL (§10).
 */
const SELECT_ITEM = String.raw`(?:\*|@?[A-Za-z_]\w*(?:[./][A-Za-z_]\w*)*(?:\.\*)?)`;
const SELECT_LIST = String.raw`\(${SELECT_ITEM}(?:,${SELECT_ITEM})*\)`;
const TYPE_CAST = String.raw`\/#?microsoft\.graph\.vppToken`;
/** A type cast and a select list, in OData's order (§10.9: `{/type-name}{select-list}`) or Graph's other one. */
const SHAPE = String.raw`(?:${TYPE_CAST}(?:${SELECT_LIST})?|${SELECT_LIST}(?:${TYPE_CAST})?)?`;
/**
 * OData's context URL of the vppTokens collection and of one vppToken of it (OData JSON 4.01 §10.2, §10.5, as Graph
 * writes them): the containment path `deviceAppManagement/vppTokens` (vppTokens are contained in the
 * deviceAppManagement singleton; Graph has no `vppTokens` entity set), a type cast or select list, and `/$entity`
 * for one. Outside attacker R108, decision 0970.
 */
const COLLECTION_CONTEXT = new RegExp(String.raw`^deviceAppManagement\/vppTokens${SHAPE}$`, 'i');
const ENTITY_CONTEXT = new RegExp(String.raw`^deviceAppManagement\/vppTokens${SHAPE}\/\$entity$`, 'i');

/** What an `@odata.context` is the context of: the created or read vppToken, or a page of the collection. */
export type ContextKind = 'entity' | 'collection';

const CONTEXT_OF: Record<ContextKind, { words: string; fragment: string; pattern: RegExp }> = {
  entity: { words: 'one vppToken', fragment: 'deviceAppManagement/vppTokens/$entity', pattern: ENTITY_CONTEXT },
  collection: { words: 'the vppTokens collection', fragment: 'deviceAppManagement/vppTokens', pattern: COLLECTION_CONTEXT },
};

/** Why a context fragment that is not `kind`'s is wrong, when it is one of the near misses a facade writes. */
function contextFragmentWhy(fragment: string, kind: ContextKind): string {
  if (/^vppTokens\b/i.test(fragment)) return ": vppTokens is no entity set of Graph's: they are contained in the deviceAppManagement singleton, so their path is deviceAppManagement/vppTokens (Graph's CSDL; OData JSON 4.01 §10)";
  if (/^deviceAppManagement\/vppTokens\(/i.test(fragment) && !new RegExp(String.raw`^deviceAppManagement\/vppTokens${SELECT_LIST}`, 'i').test(fragment)) {
    return ': a key is no part of a context URL: the context of one entity is its entity set or containment path, then /$entity, and a parenthesis after it is a select list (OData JSON 4.01 §10)';
  }
  if (kind === 'entity' && COLLECTION_CONTEXT.test(fragment)) return ': it is the context of the collection, not of one vppToken (OData JSON 4.01 §10: one entity is /$entity)';
  if (kind === 'collection' && ENTITY_CONTEXT.test(fragment)) return ': it is the context of one vppToken, not of the collection (OData JSON 4.01 §10: a collection has no /$entity)';
  return '';
}
/**
 * The entity's path after the service root, its key in any of OData's forms, read as the reference provider routes it
 * (patterns.ts: `/{id}`, `('{id}')`, `(id='{id}')`; outside attacker K29, and no unquoted key, K28).
 */
const ENTITY_PATH = VPP_TOKENS_ENTITY;
/** The entity's path at the end of a longer one, the service root before it unknown. */
const ENTITY_PATH_END = /\/deviceAppManagement\/vppTokens[(/][^/]*\/?$/i;

/**
 * The key a link names in `.../vppTokens('<id>')`, `.../vppTokens(id='<id>')` or `.../vppTokens/<id>`; undefined
 * otherwise. The key `id` is an Edm.String, written in quotes (OData 4.01 URL Conventions §4.3.1, ABNF
 * `keyPredicate`): unquoted, `(<id>)` is a Guid literal that names no vppToken (outside attacker K28). Read by the
 * reference provider's own routing pattern (patterns.ts), the service root before it not read.
 */
export function vppTokenKeyOf(link: string): string | undefined {
  const path = decodePath(link.replace(/[?#].*$/, ''));
  const match = VPP_TOKENS_KEY_AT_END.exec(path);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** A link as a message shows it: cut, and a query parameter other than OData's without its value (decision 0196, K13). */
const shownLink = (link: string): string => JSON.stringify(redactTargetQuery(link).slice(0, 200));

/**
 * The Graph version a service root's path ends in, read from the path as sent by the kit's one reading (versionAtEnd,
 * decisions 0903, 1040: `/BETA`, `/%62eta` are beta; `/gw%2Fbeta` is one segment and names none), or undefined.
 */
const versionOfRoot = (path: string): Profile | undefined => versionAtEnd(path)?.version.slice(1) as Profile | undefined;

/**
 * A target's path before `/deviceAppManagement/vppTokens` (those two segments read as Graph routes them, decodePath),
 * as sent: a segment is decoded once, where it is read (decision 1180).
 */
function rootAsSent(pathname: string): string {
  const segments = pathname.replace(/\/$/, '').split('/');
  const [app, tokens] = segments.slice(-2).map((segment) => decodePath(segment).toLowerCase());
  return app === 'deviceappmanagement' && tokens === 'vpptokens' ? segments.slice(0, -2).join('/') : pathname;
}

/** What the answer is judged against: the host asked and its service root, the version sent to, the public hosts. */
interface Service {
  asked?: URL;
  /** The request's service root: its path before `/deviceAppManagement/vppTokens`, decoded as Graph routes it (decodePath). */
  root?: string;
  /** The version the request's service root ends in (versionOfRoot), when it ends in one. */
  rootVersion?: Profile;
  /** The version the create was sent to: its target's, else the profile it was judged as; unknown without a target. */
  version?: Profile;
  publicHosts: readonly string[];
}

function serviceOf(of: ServiceOfCreate): Service {
  const publicHosts = (of.publicHosts ?? []).map((h) => h.toLowerCase());
  if (of.target === undefined) return { publicHosts };
  const asked = new URL(of.target);
  const sent = rootAsSent(asked.pathname);
  const rootVersion = versionOfRoot(sent);
  return { asked, root: decodePath(sent), ...(rootVersion ? { rootVersion } : {}), version: rootVersion ?? of.profile ?? PROFILES[0], publicHosts };
}

/** Which of the service's own hosts `url` is on: the one asked, Graph's, or a public host given; undefined for another. */
function ownHost(url: URL, service: Service): 'asked' | 'graph' | 'public' | undefined {
  if (service.asked && sameHost(url, service.asked)) return 'asked';
  const host = url.host.toLowerCase();
  if (GRAPH_HOSTS.includes(host)) return 'graph';
  if (service.publicHosts.includes(host)) return 'public';
  return undefined;
}

/**
 * A link over plain http that a client following it would send its bearer over in clear text (RFC 6750 §5.3): on
 * Graph's own host, which answers https only (outside tester I19); or anywhere, when the create was asked over https
 * (outside tester J17: a Location on the host and port asked, but `http://`, passed). An origin is its scheme, host
 * and port (RFC 6454 §4): the scheme asked is kept, never downgraded; asked over http, an https link is an upgrade
 * and passes. Without a target, the service root `@odata.context` names stands for the one asked (`asked`).
 * Undefined when right (decisions 0126, 0190).
 */
function schemeProblem(url: URL, own: ReturnType<typeof ownHost>, asked: URL | undefined): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (own === 'graph') return `must be https on Graph's own host ${url.host}, as Graph answers: a client following it would send its bearer in clear text (RFC 6750 §5.3)`;
  if (asked?.protocol === 'https:') return `must be https, as the create was asked (${asked.protocol}//${asked.host}): an http link downgrades it, and a client following it would send its bearer in clear text (RFC 6750 §5.3; an origin is scheme, host and port, RFC 6454 §4)`;
  return undefined;
}

/** The hosts an answer may name, as a message says them. */
function allowedHosts(service: Service, named?: URL): string {
  const hosts = [
    ...(service.asked ? [`the host asked, ${service.asked.host}`] : named ? [`the one its @odata.context names, ${named.host}`] : []),
    `Graph's own (${GRAPH_HOSTS[0]} or a national cloud's)`,
    service.publicHosts.length ? `a --public-host (${service.publicHosts.join(', ')})` : 'a host given with --public-host',
  ];
  return `${hosts.slice(0, -1).join(', ')} or ${hosts[hosts.length - 1]}`;
}

/**
 * The service root an answer names for itself: its `@odata.context` before the fragment, resolved against `base`, the
 * URL the answer was retrieved from (RFC 3986 §5.1.3, §5.2, dot segments removed: `./$metadata` is `$metadata`), up to
 * its final `/$metadata` (OData 4.01 JSON §4.5.1; Graph's is `https://graph.microsoft.com/beta`); undefined when it
 * does not end so.
 */
function namedServiceRoot(context: string, base: string | URL): URL | undefined {
  try {
    const url = new URL(context.replace(/#.*$/s, ''), base);
    if (url.search !== '' || !/\/\$metadata$/.test(decodePath(url.pathname))) return undefined;
    url.pathname = url.pathname.replace(/\/(\$|%24)metadata$/i, '');
    return url;
  } catch {
    return undefined;
  }
}

/**
 * Whether `root`, the service root a context names on the service's host `own`, is the service's (decision 1112,
 * outside attacker R128: "the metadata URL MUST be the service root URL followed by /$metadata", OData 4.01 Part 1
 * §10): the request's root on the host asked (or one ending in the version sent to, where the kit knows no more of it
 * than its host), `/<version>` on Graph's, and on a public host (its root not known) a path ending in the version.
 */
function serviceRootFits(root: URL, own: 'asked' | 'graph' | 'public', service: Service): boolean {
  const path = decodePath(root.pathname).replace(/\/$/, '').toLowerCase();
  const version = `/${service.version}`.toLowerCase();
  const asked = (service.root ?? '').replace(/\/$/, '').toLowerCase();
  const rootKnown = service.rootVersion !== undefined;
  if (own === 'graph') return path === version;
  if (own === 'asked') return path === asked || (!rootKnown && path.endsWith(version));
  return !rootKnown || path.endsWith(version);
}

/**
 * What is wrong with an answer's `@odata.context` (OData 4.01 JSON §4.5.1, §10.10): it must be the context of one
 * vppToken, and, when the request's target is known, name a service root on one of the service's own hosts and of
 * the version the create was sent to (outside tester H8: a /v1.0 context answering a /beta create). A relative one
 * is resolved against `base`, the URL the answer came from: the create's target, a read's own URL (decision 1181).
 * Undefined when right; `root` is then the service root it names, which a Location on its host is held to.
 */
function contextProblem(context: string, service: Service, kind: ContextKind = 'entity', sent: 'create' | 'read' = 'create', base: string | URL = service.asked ?? UNKNOWN_TARGET): { problem?: string; root?: URL } {
  const hash = context.indexOf('#');
  const fragment = hash < 0 ? '' : context.slice(hash + 1);
  const shown = shownLink(context);
  const { words, fragment: wanted, pattern } = CONTEXT_OF[kind];
  if (!/\$metadata$/.test(context.slice(0, Math.max(0, hash))) || !pattern.test(fragment)) {
    return { problem: `must be the context of ${words}, <service root>/$metadata#${wanted}${contextFragmentWhy(fragment, kind)} (got ${shown})` };
  }
  const root = namedServiceRoot(context, base);
  if (root === undefined) return { problem: `must be a URL, <service root>/$metadata#${wanted} (got ${shown})` };
  if (service.asked === undefined) return { root };
  const named = versionOfRoot(root.pathname);
  if (named !== undefined && named !== service.version) {
    return { problem: `must be the context of ${words} of the version the ${sent} was sent to, .../${service.version}/$metadata#${wanted}: it names ${named} (got ${shown})` };
  }
  const own = ownHost(root, service);
  if (own === undefined) {
    return { problem: `must name the service's own root, on ${allowedHosts(service)}: it names the host ${root.host.slice(0, 100)}, which is not the service's (got ${shown})` };
  }
  const scheme = schemeProblem(root, own, service.asked);
  if (scheme) return { problem: `${scheme} (got ${shown})` };
  if (!serviceRootFits(root, own, service)) {
    const wantedRoot = own === 'graph' ? `${root.origin}/${service.version}` : own === 'asked' && service.rootVersion !== undefined ? `${root.origin}${service.root}` : `.../${service.version}`;
    return { problem: `must be <service root>/$metadata#${wanted}, the root the ${sent} was sent to (${wantedRoot}) followed by /$metadata (OData 4.01 Part 1 §10): resolved against the request's URL (RFC 3986 §5.2), it names ${JSON.stringify(`${root.origin}${decodePath(root.pathname).replace(/\/$/, '')}/$metadata`.slice(0, 200))} (got ${shown})` };
  }
  return { root };
}

/**
 * What is wrong with a header that must name the created vppToken (RFC 9110 §10.2.2 Location, OData 4.01 Protocol
 * §8.3.3 OData-EntityId): a URI reference resolved against the request's target (RFC 3986 §5.2, dot segments
 * removed) that carries no user or password (RFC 9110 §4.2.4), on one of the service's own hosts (the one asked,
 * Graph's, a public host given), with the path `<service root>/deviceAppManagement/vppTokens(<id>)` (or `/<id>`)
 * in full: the request's root on the host asked, the root a right @odata.context names on its host, `/<version>`
 * on Graph's; a public host's root is not known, so there the path's end and its version are held
 * (docs/decisions/0126, 0190). Without a target the host @odata.context names stands for the one asked. A body's
 * link (`@odata.id`, `@odata.editLink`, `@odata.readLink`) is held to the same, resolved against `base`, the
 * context URL (OData 4.01 JSON §4.3; outside attacker J1).
 */
function headerLinkProblem(link: string, id: string, service: Service, named: URL | undefined, base: string | URL = service.asked ?? UNKNOWN_TARGET): string | undefined {
  let url: URL;
  try {
    url = new URL(link, base);
  } catch {
    return 'is not a URI reference (RFC 3986 §4.1)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be an http(s) URI (got the scheme ${url.protocol.slice(0, -1)})`;
  if (url.username !== '' || url.password !== '') return `must not carry a user or password before its host (RFC 9110 §4.2.4): the host it names is ${url.host}`;
  // The vppToken's URL has no query, and a query is part of a URI's identity (RFC 3986 §3.4): a credential in it
  // (`access_token`, a SAS `sig`) is handed to every client that follows it and every log (RFC 6750 §2.3, §5.3; K13).
  if (url.search !== '') return "must carry no query: the vppToken's URL is <service root>/deviceAppManagement/vppTokens('<id>') (OData 4.01 URL Conventions §4.3.1) and a query names another resource (RFC 3986 §3.4); a credential in it (access_token, sig) would reach every client that follows it and its logs (RFC 6750 §2.3, §5.3)";
  const path = decodePath(url.pathname);
  const own = ownHost(url, service);
  let root: string | undefined;
  if (own === 'asked') root = service.root;
  else if (named !== undefined && sameHost(url, named)) root = decodePath(named.pathname).replace(/\/$/, '');
  else if (own === 'graph' && service.version !== undefined) root = `/${service.version}`;
  else if (own === undefined && (service.asked !== undefined || named !== undefined)) {
    return `must be on ${allowedHosts(service, named)}: it names the host ${url.host.slice(0, 100)}, where this vppToken is not (a client following it would send its bearer there)`;
  }
  const scheme = schemeProblem(url, own, service.asked ?? named);
  if (scheme) return scheme;
  let at: number;
  if (root !== undefined) at = path.toLowerCase().startsWith(root.toLowerCase()) ? root.length : -1;
  else {
    // The root unknown (a public host's, or no target): the path's end, after the version when it is known.
    at = path.search(ENTITY_PATH_END);
    if (at >= 0 && service.version !== undefined && !path.slice(0, at).toLowerCase().endsWith(`/${service.version}`)) at = -1;
  }
  const match = at < 0 ? null : ENTITY_PATH.exec(path.slice(at));
  if (!match) {
    const wanted = root ?? (service.version === undefined ? '<service root>' : `.../${service.version}`);
    return `must be ${wanted}/deviceAppManagement/vppTokens('${id}') (it resolves to the path ${path.slice(0, 200)})`;
  }
  if ((match[1] ?? match[2]).toLowerCase() !== id.toLowerCase()) return `must name this vppToken's id, ${id} (it names ${(match[1] ?? match[2]).slice(0, 100)})`;
  return undefined;
}

/**
 * What is wrong with the `@odata.context` of a read's answer (GET of one vppToken by id, `kind` 'entity', or a page
 * of the collection, 'collection'), by the 201's rule (contextProblem: the context of what was read, on the
 * service's own hosts, of the version the read was sent to). `of` is the collection's URL asked, with --public-host
 * and the profile; `read` the URL the answer came from (a read by id's, a next page's), which a relative context is
 * resolved against (RFC 3986 §5.1.3: the base URI is the retrieval URI; decision 1181), the collection's when not
 * given. A read's answer is held to the rules a 201 is (decision 0366); outside attacker R109, decision 0971.
 */
export function readContextProblems(body: unknown, kind: ContextKind, of: ServiceOfCreate, read?: string | URL): AnswerProblem[] {
  // Under either spelling, @odata.context or OData 4.01's @context (controlInformation, decision 1220).
  const context = controlInformation(body, 'context');
  if (!context || !('value' in context) || typeof context.value !== 'string') return [];
  const service = serviceOf(of);
  const { problem } = contextProblem(context.value, service, kind, 'read', read ?? service.asked ?? UNKNOWN_TARGET);
  return problem ? [{ check: 'resource identity', ...atBody(`/${pointerSegment(context.name)}`), message: problem }] : [];
}

/**
 * Control information (OData 4.01 JSON §4.5: `@odata.context`, `@odata.id`, `@odata.editLink`, `@odata.readLink`)
 * and headers that point at a resource (RFC 9110 §10.2.2 `Location`, OData 4.01 Protocol §8.3.3
 * `OData-EntityId`), when present, must point at this vppToken: the collection's entity, with the body's own id,
 * and, for the context and the headers, on a host of the service's own that the answer cannot choose
 * (headerLinkProblem, contextProblem). `service` is what the request knows: its target, --public-host, profile.
 */
export function resourceIdentityProblems(body: unknown, lines: readonly HeaderLine[], of: string | URL | ServiceOfCreate = {}): AnswerProblem[] {
  refuseArguments(argumentProblem('lines', lines, 'array', 'an array of header lines, such as headerLines(rawHeaders)'));
  if (!isObject(body) || typeof body.id !== 'string') return [];
  const service = serviceOf(typeof of === 'string' || of instanceof URL ? { target: of } : of);
  const id = body.id.toLowerCase();
  const problems: AnswerProblem[] = [];
  // Each under either spelling, `@odata.context` or OData 4.01's `@context` (controlInformation, decision 1220).
  const context = controlInformation(body, 'context');
  let named: URL | undefined;
  if (context && 'value' in context && typeof context.value === 'string') {
    const judged = contextProblem(context.value, service);
    if (judged.problem) problems.push({ check: 'resource identity', ...atBody(`/${pointerSegment(context.name)}`), message: judged.problem });
    named = judged.root;
  }
  const pointsHere = (place: Placed, link: string) => {
    const key = vppTokenKeyOf(link);
    const shown = shownLink(link);
    if (key?.toLowerCase() !== id) {
      problems.push({ check: 'resource identity', ...place, message: `must point at this vppToken, .../deviceAppManagement/vppTokens('${body.id as string}') (got ${shown})` });
      return;
    }
    // Where a client reads, updates or deletes the entity (OData 4.01 JSON §4.5.8, §4.5.9): on the service's own
    // hosts (outside tester I19) and at the collection's path (J1), as Location, resolved against the context URL
    // when it is right (§4.3), else the request's.
    const elsewhere = headerLinkProblem(link, body.id as string, service, named, named ? `${named.href.replace(/\/?$/, '/')}$metadata` : undefined);
    if (elsewhere) problems.push({ check: 'resource identity', ...place, message: `must point at this vppToken: ${elsewhere} (got ${shown})` });
  };
  for (const name of ['id', 'editLink', 'readLink'] as const) {
    const link = controlInformation(body, name);
    if (link && 'value' in link && typeof link.value === 'string') pointsHere(atBody(`/${pointerSegment(link.name)}`), link.value);
  }
  for (const name of ['Location', 'OData-EntityId']) {
    const values = headerValues(lines, name);
    if (values.length !== 1) continue;
    const wrong = headerLinkProblem(values[0], body.id, service, named);
    if (wrong) problems.push({ check: 'resource identity', ...atHeader(name), message: `must point at this vppToken: ${wrong} (got ${shownLink(values[0])})` });
  }
  return problems;
}
