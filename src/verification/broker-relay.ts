// Between Pact's verifier and the Pact Broker (decision 0286): every request to the broker bounded by --timeout, the
// first lasting failure kept and named, and, with --publish, Pact's verification results held so that the run's own
// verdict is published in their place.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { clip, createHttpClient, escapeControls, listen, publicUrl, type HttpAnswer, type HttpFailureKind, type HttpOutcome, type TlsTrust } from '../net';
import { decodeContent, headerLines, headerValues, type HeaderLine } from '../wire';
import { httpInteractionsOnly, isHttpInteraction, pactInteractionsOf, V3_MESSAGE } from '../compare/pact-file';
import { FOLLOWED_REDIRECTS } from './forwarder';
import type { NotHttpInteraction } from './setup';

/** One interaction of a pact the broker gave, as the broker names it: its `_id` (the Pact Broker adds one to each). */
export interface BrokerInteraction {
  id?: string;
  description: string;
}

/** A pact Pact fetched from the broker, in the order it fetched them. */
export interface FetchedPact {
  interactions: BrokerInteraction[];
  /** The path of the pact's `pb:publish-verification-results` link, where its results are published. */
  publishPath?: string;
  /** The path the pact was fetched from. */
  path?: string;
  /** The path of the pact's `pb:provider` link, where Pact finds the provider's `pb:branch-version` to record a branch. */
  providerPath?: string;
}

/** The verification results Pact asked to publish for one pact, held (not sent): Pact's own payload. */
export interface HeldResults {
  path: string;
  pact: FetchedPact;
  body: Record<string, unknown>;
}

export interface BrokerRelay {
  /** What Pact is given as the broker: the relay's address with the broker's base path. */
  url: string;
  /** The relay's own origin, which Pact's messages name: said as the broker's. */
  origin: string;
  /** The first lasting failure (a silent broker, an untrusted certificate, a refused connection), one line. */
  failure(): string | undefined;
  /** The pacts Pact fetched, in the order it fetched (and verified) them. */
  fetched(): FetchedPact[];
  /** The results Pact asked to publish, in the order it asked (only when started with `hold`). */
  held(): HeldResults[];
  /** The interactions of the pacts it gave Pact that are not HTTP (V4 messages): left out of what Pact got (decision 0511). */
  leftOut(): NotHttpInteraction[];
  /**
   * Why Pact sent no results for `pact` (decision 0720), from the links the broker gave: no publish link, or, with a
   * provider branch, no `pb:provider` link, no `pb:branch-version` link on the provider, or the branch's PUT refused
   * (Pact records the branch first and sends nothing when it cannot).
   */
  unsent(pact: FetchedPact, branch?: string): string;
  /** Publishes `body` to `path` at the broker, with the run's credentials: undefined when the broker took it, else why not. */
  publish(path: string, body: Record<string, unknown>): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface BrokerRelayOptions {
  /** Each request's bound (--timeout). */
  timeoutMs: number;
  tls?: TlsTrust;
  token?: string;
  username?: string;
  password?: string;
  /** Hold Pact's verification results instead of passing them on (--publish: the kit publishes its own, with the credentials above). */
  hold?: boolean;
}

/** How many redirects of one request Pact's HTTP client follows (reqwest's default policy, `Policy::limited(10)`). */
const MAX_REDIRECTS = 10;
/** What Pact's client drops when a redirect leaves the origin (reqwest `remove_sensitive_headers`). */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'cookie2', 'proxy-authorization', 'www-authenticate']);

/** The failures of a results POST that say the broker's origin is down for every request, not for one (decision 0911). */
const BROKER_DOWN: ReadonlySet<HttpFailureKind> = new Set(['timeout', 'unreachable', 'tls']);

/** Headers that belong to one connection, and the ones the relay sets itself. */
const NOT_PASSED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'accept-encoding']);
/** A broker's pacts are JSON documents; the kit's pacts are far below this. */
const MAX_BROKER_ANSWER_BYTES = 64 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A pact document's interactions and its publish link's path, when the JSON is a pact; undefined otherwise. */
function pactOf(json: unknown, broker: URL, path: string): FetchedPact | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { interactions, _links: links } = json as { interactions?: unknown; _links?: Record<string, { href?: unknown } | undefined> };
  if (!Array.isArray(interactions)) return undefined;
  const publishPath = linkPath(links, 'pb:publish-verification-results', broker);
  const providerPath = linkPath(links, 'pb:provider', broker);
  return {
    interactions: interactions.map((i: { _id?: unknown; description?: unknown }) => ({ ...(typeof i?._id === 'string' ? { id: i._id } : {}), description: typeof i?.description === 'string' ? i.description : '' })),
    ...(publishPath ? { publishPath } : {}),
    path,
    ...(providerPath ? { providerPath } : {}),
  };
}

/** The path of a HAL link's `href`, resolved against the broker; undefined when there is none. */
function linkPath(links: Record<string, { href?: unknown } | undefined> | undefined, name: string, broker: URL): string | undefined {
  const href = links?.[name]?.href;
  try {
    return typeof href === 'string' ? new URL(href, broker).pathname : undefined;
  } catch {
    return undefined;
  }
}

/** Where a redirect points: its Location resolved against the URL asked (RFC 9110 §10.2.2); undefined without a usable one. */
function locationOf(lines: readonly HeaderLine[], url: URL): URL | undefined {
  const location = headerValues(lines, 'Location')[0];
  try {
    return location !== undefined ? new URL(location, url) : undefined;
  } catch {
    return undefined;
  }
}

/** Pact's HAL client reads a broker's answer only with one of these media types (pact-reference `json_content_type`). */
const BROKER_MEDIA_TYPE = /^[ \t]*application\/(hal\+)?json[ \t]*(;.*)?$/is;

/**
 * Why the broker's answer to a results POST is not a Pact Broker taking them (outside finding Y5, decision 0790), or
 * undefined when it took them: a Pact Broker answers `201 Created` with the new verification resource as HAL JSON
 * (pact_broker's Verifications resource: `post_is_create?`, the VerificationDecorator's `_links`). A 2xx is taken when
 * its body is JSON by Pact's own test of a broker answer (application/json or application/hal+json, any case and
 * parameters) and a HAL resource (an object with a `_links` object); 200 is taken as 201 (Pact takes any 2xx). A
 * login page or gateway in front of the broker answering 200 with HTML took nothing. A redirect is not followed with
 * the results (they and the credentials go to the pact's own link only): its status and where it points are said.
 */
function resultsNotTaken(outcome: HttpAnswer, url: URL): string | undefined {
  const lines = headerLines(outcome.rawHeaders);
  if (outcome.status >= 300 && outcome.status < 400) {
    const to = locationOf(lines, url);
    return to ? `${outcome.status}, a redirect to ${escapeControls(clip(publicUrl(to), 200))} (the results are sent to the pact's own publish link, no redirect followed with them)` : String(outcome.status);
  }
  if (outcome.status < 200 || outcome.status >= 300) return String(outcome.status);
  const type = headerValues(lines, 'Content-Type')[0];
  const decoded = decodeContent(outcome.body, headerValues(lines, 'Content-Encoding'));
  let what: string | undefined;
  if (outcome.body.length === 0) what = 'no body';
  else if (type === undefined) what = 'a body without Content-Type';
  else if (!BROKER_MEDIA_TYPE.test(type)) what = `a body of type ${escapeControls(clip(type.split(';')[0].trim(), 100))}`;
  else {
    let json: unknown;
    try {
      json = decoded.ok ? JSON.parse(Buffer.from(decoded.value).toString('utf8')) : undefined;
    } catch {
      json = undefined;
    }
    const links = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { _links?: unknown })._links : undefined;
    if (json === undefined) what = 'a body that is not JSON';
    else if (typeof links !== 'object' || links === null || Array.isArray(links)) what = 'JSON without HAL _links';
  }
  return what === undefined ? undefined : `${outcome.status} and ${what}, not the HAL JSON a Pact Broker answers when it takes verification results (201 Created, application/hal+json; is --broker-url the broker itself, not a login page or gateway in front of it?)`;
}

/**
 * Starts the relay in front of `broker`. Pact's verifier resolves every link of the broker against the base URL it
 * is given (pact-reference's HAL client joins a link's path to it), so every request it makes reaches the relay, and
 * the relay sends it on with the kit's client: the kit's trust (--ca, --insecure) and `timeoutMs` per request. Pact's
 * requests carry Pact's own credentials; the relay adds none to them (a local port that lent the broker token to any
 * process that asked would be a credential exposed): it uses the run's only for the results it publishes itself.
 */
export async function startBrokerRelay(broker: URL, options: BrokerRelayOptions): Promise<BrokerRelay> {
  const client = createHttpClient({ trust: options.tls, timeoutMs: options.timeoutMs, sockets: 4, maxBodyBytes: MAX_BROKER_ANSWER_BYTES });
  const where = publicUrl(broker);
  const authorization =
    options.token !== undefined ? `Bearer ${options.token}`
    : options.username !== undefined ? `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`
    : undefined;
  let failure: string | undefined;
  /** Why the broker's origin could not be reached when results were published (BROKER_DOWN), once it could not. */
  let down: string | undefined;
  const fetched: FetchedPact[] = [];
  const held: HeldResults[] = [];
  const leftOut: NotHttpInteraction[] = [];
  /** The link names of each HAL resource the broker answered a GET with (its path): why Pact sent no results (0720). */
  const linksAt = new Map<string, string[]>();
  /** Requests other than GET the broker answered with no 2xx (Pact's PUT of the provider branch): why too. */
  const refused: { method: string; path: string; status: number }[] = [];

  const send = (method: string, path: string, headers: Record<string, string | string[]>, body?: Buffer) => client.send({ method, url: new URL(`${broker.origin}${path}`), headers, body });

  /**
   * One request of Pact's sent on, a redirect followed by the relay itself (decision 0791), as Pact's HTTP client
   * (reqwest's default policy) would have followed it: 301, 302 and 303 ask again with GET and no body (a HEAD
   * stays one), 307 and 308 send the request again as it was; the credentials Pact sent (Authorization, Cookie) go
   * on only while the origin stays the same (reqwest's `remove_sensitive_headers`, the Fetch standard's rule); at most
   * MAX_REDIRECTS. Handed to Pact, the Location was followed by Pact's own client, around the relay: no --timeout,
   * none of --ca/--insecure. The outcome comes with the URL it came from when a redirect was followed (`at`), or a
   * lasting failure's words: a loop, too many redirects.
   */
  const sendFollowing = async (method: string, path: string, headers: Record<string, string | string[]>, body?: Buffer): Promise<{ outcome: HttpOutcome; at?: URL } | string> => {
    const asked = `${method} ${path.split('?')[0]}`;
    let url = new URL(`${broker.origin}${path}`);
    let request = { method, headers: { ...headers }, body };
    const seen = new Set([`${method} ${url.href}`]);
    const trail: URL[] = [];
    const shown = (u: URL) => escapeControls(clip(publicUrl(u), 200));
    /** The credentials Pact sent were left behind at a redirect to another origin. */
    let withoutCredentials = false;
    for (;;) {
      const outcome = await client.send({ method: request.method, url, headers: request.headers, body: request.body });
      const at = trail.length > 0 ? { at: url } : {};
      // Refused there for want of them: the broker's address is that origin (an http broker URL sent on to https).
      if (withoutCredentials && outcome.kind === 'answer' && (outcome.status === 401 || outcome.status === 403)) {
        return `the Pact Broker at ${where} redirected ${asked} to another origin, ${shown(url)}, which answered ${outcome.status}: the credentials go to the broker's origin only, not where it redirects to (as Pact's own client does); is that origin the broker's address, to give as --broker-url (PACT_BROKER_BASE_URL)?`;
      }
      if (outcome.kind === 'failure' || !FOLLOWED_REDIRECTS.has(outcome.status)) return { outcome, ...at };
      const next = locationOf(headerLines(outcome.rawHeaders), url);
      // A Location that is no http(s) URL: the answer is Pact's to judge (its Location dropped, so nothing follows it).
      if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:')) return { outcome, ...at };
      if (outcome.status <= 303) {
        const rest = Object.entries(request.headers).filter(([name]) => name !== 'content-type' && name !== 'content-encoding');
        request = { method: request.method === 'HEAD' ? 'HEAD' : 'GET', headers: Object.fromEntries(rest), body: undefined };
      }
      if (next.origin !== url.origin && Object.keys(request.headers).some((name) => CREDENTIAL_HEADERS.has(name))) {
        request = { ...request, headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name))) };
        withoutCredentials = true;
      }
      if (seen.has(`${request.method} ${next.href}`)) {
        return `the Pact Broker at ${where} redirected ${asked} in a loop (${trail.length ? `to ${trail.map(shown).join(', then ')}, then back to ${shown(next)}` : 'to itself'}): is --broker-url (PACT_BROKER_BASE_URL) the broker's address?`;
      }
      if (trail.length >= MAX_REDIRECTS) return `the Pact Broker at ${where} redirected ${asked} more than ${MAX_REDIRECTS} times (the last to ${shown(next)}): is --broker-url (PACT_BROKER_BASE_URL) the broker's address?`;
      seen.add(`${request.method} ${next.href}`);
      trail.push(next);
      url = next;
    }
  };

  const relay = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const pathname = path.split('?')[0];
    const body = await readBody(req);
    // After a lasting failure every request is dropped at once: Pact sends a request again after a 5xx (twice, 0.1 s
    // and 1 s later), never after a dropped connection, and the run ends on the failure kept.
    if (failure) return res.destroy();
    // Pact's results for a pact are held, not published: the run publishes its own verdict after it (0286).
    const pact = options.hold && method === 'POST' ? fetched.find((p) => p.publishPath === pathname) : undefined;
    if (pact) {
      let payload: unknown;
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        payload = undefined;
      }
      if (typeof payload === 'object' && payload !== null) {
        held.push({ path: pathname, pact, body: payload as Record<string, unknown> });
        return res.writeHead(201, { 'content-type': 'application/hal+json' }).end('{}');
      }
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !NOT_PASSED.has(name)) headers[name] = value;
    const sent = await sendFollowing(method, path, headers, method === 'GET' || method === 'HEAD' ? undefined : body);
    if (typeof sent === 'string') {
      failure ??= sent;
      return res.destroy();
    }
    const { outcome, at } = sent;
    if (outcome.kind === 'failure' || outcome.truncated) {
      // An answer from where the broker redirected the request names that URL (without its query or credentials).
      const elsewhere = at && `${publicUrl(at)}, where the Pact Broker at ${where} redirected ${method} ${pathname},`;
      failure ??=
        outcome.kind === 'answer' ? (elsewhere ? `${elsewhere} answered with a body over ${outcome.body.length} bytes` : `the Pact Broker at ${where} answered ${method} ${pathname} with a body over ${outcome.body.length} bytes`)
        : outcome.failure === 'timeout' ? (elsewhere ? `${elsewhere} did not answer within ${options.timeoutMs / 1000} s (--timeout)` : `the Pact Broker at ${where} did not answer ${method} ${pathname} within ${options.timeoutMs / 1000} s (--timeout): is --broker-url (PACT_BROKER_BASE_URL) the broker's address, and is the broker up?`)
        : outcome.failure === 'tls' ? outcome.message
        : elsewhere ? `${elsewhere} failed: ${outcome.code}`
        : `the Pact Broker at ${where} failed on ${method} ${pathname}: ${outcome.code}`;
      return res.destroy();
    }
    if (method !== 'GET' && (outcome.status < 200 || outcome.status >= 300)) refused.push({ method, path: pathname, status: outcome.status });
    const lines = headerLines(outcome.rawHeaders);
    let answer = outcome.body;
    // Whether the answer is a pact rewritten without its messages (below), decoded.
    let decodedAnswer = false;
    if (method === 'GET' && outcome.status >= 200 && outcome.status < 300) {
      const decoded = decodeContent(outcome.body, headerValues(lines, 'Content-Encoding'));
      let json: { consumer?: { name?: unknown }; interactions?: unknown; messages?: unknown; _links?: unknown } | undefined;
      let text = '';
      try {
        text = Buffer.from(decoded.ok ? decoded.value : outcome.body).toString('utf8');
        json = JSON.parse(text) as typeof json;
      } catch {
        // Not JSON: Pact says what it makes of it.
      }
      if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
        if (typeof json._links === 'object' && json._links !== null) linksAt.set(pathname, Object.keys(json._links));
        // Its interactions as Pact's loader reads them, by the one reader of files (pactInteractionsOf, decision 0792):
        // a V3 message pact's are its messages. A resource with neither list, or `messages` and no consumer, is none.
        const pactLike = Array.isArray(json.interactions) || ('messages' in json && typeof json.consumer === 'object' && json.consumer !== null);
        const listed = pactLike ? pactInteractionsOf(json as Record<string, unknown>) : undefined;
        // A message that is no object is refused as a file's is (an HTTP interaction that is none is Pact's to say).
        const noObject = listed !== undefined && 'entries' in listed && listed.messages ? listed.entries.findIndex((m) => typeof m !== 'object' || m === null || Array.isArray(m)) : -1;
        const notPact = listed !== undefined && 'problem' in listed ? listed.problem : noObject >= 0 ? `message ${noObject + 1} is not an object` : undefined;
        if (notPact !== undefined) {
          failure ??= `the Pact Broker at ${where} gave the pact at ${pathname}, which is not a Pact file: ${notPact}`;
          return res.destroy();
        }
        if (listed !== undefined && 'entries' in listed) {
          // A pact's messages are left out of what Pact gets, as verify leaves a file's out (outside findings R31, R86;
          // decisions 0511, 0792): the pact document answered decoded, with its HTTP interactions only, byte for byte;
          // a V3 message pact with no message (Pact reads it as a message pact with nothing to verify).
          const messages = decoded.ok ? listed.entries.filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null && !Array.isArray(i) && (listed.messages || !isHttpInteraction(i as Record<string, unknown>))) : [];
          let http: string | undefined;
          try {
            http = messages.length === 0 ? undefined : listed.messages ? JSON.stringify({ ...json, messages: [] }) : httpInteractionsOnly(text);
          } catch {
            // A text the one reader cannot cut (a name given twice): Pact says what it makes of it.
          }
          let found = pactOf(listed.messages ? { ...json, interactions: [] } : json, broker, pathname);
          if (http !== undefined) {
            const consumer = typeof json.consumer?.name === 'string' ? json.consumer.name : 'a consumer';
            for (const m of messages) leftOut.push({ file: `${consumer}'s pact from the Pact Broker`, description: typeof m.description === 'string' ? m.description : '', type: listed.messages ? V3_MESSAGE : String(m.type) });
            answer = Buffer.from(http, 'utf8');
            decodedAnswer = true;
            found = pactOf(listed.messages ? { ...json, interactions: [] } : JSON.parse(http), broker, pathname);
          }
          if (found) fetched.push(found);
        }
      }
    }
    const answerHeaders: string[] = [];
    for (let i = 0; i + 1 < outcome.rawHeaders.length; i += 2) {
      const name = outcome.rawHeaders[i].toLowerCase();
      if (!NOT_PASSED.has(name) && !(decodedAnswer && name === 'content-encoding') && !(name === 'location' && FOLLOWED_REDIRECTS.has(outcome.status))) answerHeaders.push(outcome.rawHeaders[i], outcome.rawHeaders[i + 1]);
    }
    answerHeaders.push('Content-Length', String(answer.length));
    res.writeHead(outcome.status, answerHeaders).end(answer);
  };

  const server = await listen(createServer((req, res) => void relay(req, res).catch(() => res.destroy())));
  return {
    url: `${server.url}${broker.pathname.replace(/\/+$/, '')}`,
    origin: server.url,
    failure: () => failure,
    fetched: () => [...fetched],
    held: () => [...held],
    leftOut: () => [...leftOut],
    unsent: (pact, branch) => {
      const at = `the pact at ${pact.path ?? '(unknown path)'}`;
      if (!pact.publishPath) return `the Pact Broker at ${where} gave ${at} without a pb:publish-verification-results link, where Pact publishes results, so Pact sent none for it`;
      if (branch !== undefined && !pact.providerPath) return `the Pact Broker at ${where} gave ${at} without a pb:provider link, through which Pact records --provider-branch before it publishes, so Pact sent none for it (publish without --provider-branch)`;
      const providerLinks = pact.providerPath !== undefined ? linksAt.get(pact.providerPath) : undefined;
      if (branch !== undefined && providerLinks && !providerLinks.includes('pb:branch-version')) {
        return `the Pact Broker at ${where} has no pb:branch-version link for the provider (GET ${pact.providerPath}), where Pact records --provider-branch before it publishes, so Pact sent none for ${at} (a Pact Broker before 2.86 has no branches: publish without --provider-branch, or upgrade it)`;
      }
      const branchRefused = pact.providerPath !== undefined ? refused.find((r) => r.path.startsWith(`${pact.providerPath}/branches/`)) : undefined;
      if (branch !== undefined && branchRefused) return `the Pact Broker at ${where} answered ${branchRefused.method} ${branchRefused.path} with ${branchRefused.status}, where Pact records --provider-branch before it publishes, so Pact sent none for ${at}`;
      return `Pact sent no verification results for ${at} from the Pact Broker at ${where} (Pact's log at --log-level error says why)`;
    },
    publish: async (path, body) => {
      // A broker found down at one pact's results is not asked for the next (each would wait out --timeout): said at
      // once in the first one's words (decision 0911).
      if (down !== undefined) return `${down} (so POST ${path} was not sent)`;
      const outcome = await send('POST', path, { 'content-type': 'application/json', accept: 'application/hal+json, application/json', ...(authorization ? { authorization } : {}) }, Buffer.from(JSON.stringify(body), 'utf8'));
      if (outcome.kind === 'failure') {
        const why = outcome.failure === 'timeout' ? `the Pact Broker at ${where} did not answer POST ${path} within ${options.timeoutMs / 1000} s (--timeout)` : outcome.failure === 'tls' ? outcome.message : `the Pact Broker at ${where} failed on POST ${path}: ${outcome.code}`;
        // Down for every request to its origin: no answer within the bound, no connection, a certificate not trusted.
        // A connection dropped without an answer may be this request's own: the next is tried.
        if (BROKER_DOWN.has(outcome.failure)) down = why;
        return why;
      }
      const notTaken = resultsNotTaken(outcome, new URL(`${broker.origin}${path}`));
      return notTaken === undefined ? undefined : `the Pact Broker at ${where} answered POST ${path} with ${notTaken}`;
    },
    close: async () => {
      client.abandon();
      client.close();
      await server.close();
    },
  };
}
