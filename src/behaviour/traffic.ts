import type { FailureKind } from '../provider/faults';
import { batchMembers, headerSecretValues, isBatchTarget, readRequestTarget, worthLookingFor, type ListTally } from '../judgement';
// From the module, not src/net's index: the root entry loads this file and must not load an HTTP client.
import { queryCredentials, secretValuesIn, type Secrets } from '../net/redact';
import { headerLines, readMessage, type RawHeaders, type WireProblem } from '../wire';
import { argumentProblem, refuseArguments } from '../net/option';

/**
 * One request as the provider saw it, with what became of it. Every verdict on a client's behaviour is derived
 * from a list of these alone (decision 0060): no clock of the judge, no state of the provider.
 */
export interface TrafficEntry {
  /** Its place in arrival order, from 1 ("request 3" in findings). */
  sequence: number;
  method: string;
  /** The request target as received: version prefix and query string included. */
  path: string;
  /** The header lines as received (Node's `rawHeaders`: name, value, name, value, ...); repeated ones stay repeated. */
  rawHeaders: RawHeaders;
  /** The body's bytes; undefined when they were not read (over the body limit, or the client went away first). */
  body: Uint8Array | undefined;
  /** The trailer fields after a chunked body (Node's `rawTrailers`), when there were any: judged, never shown (decision 0224). */
  rawTrailers?: RawHeaders;
  /** When the request arrived (its header lines were read), in milliseconds of the provider's clock. */
  startedAt: number;
  /** When the answer's last byte was handed to the connection, or the connection ended without one; same clock. */
  endedAt: number;
  /**
   * How many requests had arrived when it ended (the highest `sequence` then): each of them was sent before its
   * answer came. The reference provider records it; the times tell the rest (a request that started by the time
   * this one ended, in the same millisecond included, was in flight with it).
   */
  arrivedByEnd?: number;
  /** The answer, or null when there was none: the connection was reset (reset-after-create) or the client went away. */
  answer: {
    status: number;
    retryAfter?: string;
    /**
     * The answer's `Date`, when it carried a Retry-After: an HTTP-date Retry-After is read against it, the server's own
     * clock, not against `endedAt` (decision 0450).
     */
    date?: string;
    /** The `@odata.nextLink` of a list answered 200, when it had one: the client has not read the whole list until it follows it. */
    nextLink?: string;
    /**
     * The ids of the vppTokens a list page answered 200 held, whatever its `$select` (the reference provider keeps
     * them): a page that holds the vppToken a create made shows it, whatever follows it (decision 0641).
     */
    listed?: readonly string[];
    /**
     * Of a list page answered 200 through the proxy, the vppTokens it held whose token a create of unknown outcome had
     * sent, each by id and by its token's fingerprint (tokenFingerprint, never the token): all the proxy keeps of a
     * page (decision 0671). The judgement counts such a create created, seen by a read (a 504 carries no id).
     */
    tokensListed?: readonly { id: string; token: string }[];
    /**
     * Of a list page answered 200 through the proxy: it read the page whole (decision 0880, outside finding R85): a
     * list, each vppToken in it with its token and its id (the one rule, whyPageCannotTell), and, without an
     * `@odata.nextLink`, fewer vppTokens than a `$top` it asked. `tokensListed` then names every vppToken it held of
     * the tokens of the creates of unknown outcome before it: a page that holds none of a create's token, and could
     * show it by 0180's rules (whyReadShowsNothing, its options read), shows that create made no vppToken when it is
     * the last page, or each page its `nextPage` leads to was read so through the proxy too.
     */
    readWhole?: true;
    /**
     * Of such a page, its `@odata.nextLink` as `pageKey` keeps it (its options, hashed: never the link): a later read
     * of the same options is its next page. Not `nextLink`: a client that follows the link around the proxy is given
     * the benefit of the doubt by `no duplicate` (0180), which `nextLink` would take from it.
     */
    nextPage?: string;
    /**
     * Of such a page, the vppTokens it listed (ids, each once) and its `@odata.count`: the pages of a list read whole
     * that list fewer than a count one gave are no whole list (whyListIsShort, seed's rule too: decision 1101).
     */
    tally?: ListTally;
    /**
     * Of a GET of a create's status monitor (`monitor`) that answered its final answer, what that said became of the
     * create (monitorOutcomeOf, decision 1315): `created` with the vppToken's id, or not. Absent when it told no outcome.
     */
    told?: { created: true; createdId: string; heldAlready?: true } | { created: false };
    /** Graph's error code and message, when the answer was an error (check-client says why the mock refused). */
    error?: { code: string; message: string };
  } | null;
  /** The fault injected into this request, and why (a drawn failure or the rate limit); absent for a plain answer. */
  fault?: { kind: FailureKind; by: 'fail-rate' | 'rate-limit' };
  /** Whether this request stored a vppToken (a 201, a 204 to a create that asked return=minimal: 0590; the after-create faults). */
  stored: boolean;
  /**
   * The create's 201 said the provider already held its token (`state: duplicateLocationId`, Graph beta's word,
   * decisions 0251, 0429): it now holds a second vppToken for it, whatever came before in this traffic (an earlier
   * run, another runner). The proxy reads it from the target's 201, a create inside a JSON batch's from its answer in
   * the batch's (decisions 0652, 0670); the reference provider keeps it from its store, where the traffic always holds
   * the earlier create too, so the create is counted once, as that repeat.
   */
  heldAlready?: true;
  /**
   * Why whether it stored one is not known (`stored` is then false): it reached the provider, which gave no answer,
   * (the proxy's --timeout, a dropped connection), or answered it 500, 502 or 504 itself (a gateway's timeout after the
   * store: decision 0642), or 303 See Other (processed, its result elsewhere: 1230), or a 202 or a 2xx naming no vppToken (1130). The proxy alone meets it, in front of a provider it does not keep:
   * such a token is counted unknown, never "never created" (outside tester Q19).
   */
  storedUnknown?: string;
  /**
   * Of a create of unknown outcome, that the provider never answered (the proxy's own --timeout, a connection dropped
   * or reset once it was sent whole, the client gone first): its exchange there has no end the traffic shows (the
   * provider may store the vppToken any time after), so no read after it proves it made none (decision 1092, outside
   * finding R123). A provider's own 500, 502 or 504 ends it (0880).
   */
  unanswered?: true;
  /**
   * Of a create of unknown outcome, that the provider accepted for processing and had not done: answered 202 Accepted,
   * alone or as its JSON batch's answer (acceptedForProcessing; decision 1270, outside finding R154). A list shows a
   * vppToken only once its create has run, so no read that lacks it proves it made none, nor lets the client send
   * the token again, until its status monitor (`monitor`) answered that the processing ended (OData 4.01 Part 1 §11.6).
   */
  accepted?: true;
  /** Of an `accepted` create, the path (and query) of its status monitor, the 202's Location, as the provider named it. */
  monitor?: string;
  /**
   * Of an `accepted` create whose status monitor's final answer said it was created (told, decision 1315): the sequence
   * of that read; the create is then `stored` with the `createdId` it named (toldByMonitors).
   */
  createdPerMonitor?: number;
  /**
   * Of a create of unknown outcome through the proxy, the ids of the vppTokens of its token a list page answered before
   * it was sent held (decision 0813): the target held the token already (an earlier run's vppToken), so none of them
   * is this create's, whatever page lists them later.
   */
  listedBefore?: readonly string[];
  /**
   * The id of the vppToken it created, when known: the proxy reads it from the target's 201; the reference provider
   * keeps it for every create it stored, one answered with a fault after the create too. A later DELETE of that id
   * answered 2xx ends it, so creating its token again is no duplicate (outside tester I27); a list page that holds it
   * shows the create happened (decision 0641).
   */
  createdId?: string;
  /**
   * The id of the request inside a JSON batch this entry stands for (its `sequence` and times are its batch's):
   * findings name it `request 3 ($batch id "2")`.
   */
  batchId?: string;
  /**
   * A request inside a JSON batch answered 200: its place among the batch's requests and its answer's place among the
   * batch's responses (from 0). Where they differ, a client that reads the answers by place takes another request's
   * answer for this one's (decision 0541); the behaviour checks say so where that explains a finding.
   */
  batchPlace?: { request: number; answer: number };
  /**
   * Set on a create inside a JSON batch refused as a whole (ids twice, no bearer...): it was not run, and its answer
   * is the batch's refusal, as the proxy gives such a create the batch's status (decisions 0201, 0462).
   */
  refusedWithBatch?: true;
  /**
   * Set on a create inside a JSON batch the provider answered as a whole (the proxy's: a 202, a 2xx that gives it no
   * answer of its own, a 504...): its `answer` is the batch's status, which names no create's vppToken. What it told
   * the client of this create is read by the one outcome rule (wholeBatchOutcomeOf, decisions 1250, 1325): never created.
   */
  answeredWhole?: true;
  /**
   * A JSON batch's requests, each an entry of its own with its `batchId` (the reference provider keeps them: decision
   * 0215); `withBatchMembers` puts them in the batch's place.
   */
  members?: TrafficEntry[];
  /** True when the client closed the connection before it had an answer. */
  clientClosed?: boolean;
  /** True when the proxy cut it as it stopped (decision 0234): not seen whole, so not the client's behaviour either (0250). */
  cut?: boolean;
  /** With `clientClosed` before its body ended: how many body bytes came (the body itself is not kept). */
  receivedBytes?: number;
  /**
   * What was wrong with its head, when Node's parser refused it (src/wire/head.ts) and the mock answered 400 for it:
   * the head is then all that was judged; its other fields were read leniently, and `body` is whatever bytes came
   * with the head, not a body (its framing is the refused head's).
   */
  refusedHead?: WireProblem;
}

/**
 * Whether the entry is a create: POST to the vppTokens collection, its target read as the mock routed it (any
 * version prefix, absolute-form, any case, `%54`: src/judgement/target.ts).
 */
export function isCreate(entry: Pick<TrafficEntry, 'method' | 'path'>): boolean {
  refuseArguments(argumentProblem('entry', entry, 'object', 'a traffic entry, an object of method and path'));
  // The members it reads (decision 1041: `isCreate({})` answered false, no create, of an entry with no method).
  refuseArguments(argumentProblem('entry.method', entry.method, 'string'), argumentProblem('entry.path', entry.path, 'string'));
  return entry.method === 'POST' && readRequestTarget(entry.path).names.kind === 'collection';
}

/**
 * The `token` a create sent, read by the one reader (src/wire): content coding undone, UTF-8 without a bad byte,
 * one JSON value with no name twice; a non-empty string. Undefined for anything else (such a request is the
 * request judgement's business, and Graph creates nothing from it). Two creates are "the same request" when
 * their tokens are equal, whatever the order of the other properties or the whitespace.
 */
export function tokenOf(entry: Pick<TrafficEntry, 'method' | 'path' | 'body'> & { rawHeaders?: RawHeaders }): string | undefined {
  refuseArguments(argumentProblem('entry', entry, 'object', 'a traffic entry, an object of method, path and body'));
  const token = createBodyOf(entry)?.token;
  return typeof token === 'string' && token.length > 0 ? token : undefined;
}

/**
 * The JSON object a create sent, read as tokenOf reads it; undefined when it is not one. Read once per body and
 * header lines: check-client, the proxy and the behaviour checks ask for it many times for each create (its token,
 * the secrets of the traffic, the pact, the read-back), and each reading of a body near Graph's 4 MB parses it and
 * walks it for names given twice, lone surrogates and numbers out of range. The object is shared: callers read it.
 */
export function createBodyOf(entry: Pick<TrafficEntry, 'method' | 'path' | 'body'> & { rawHeaders?: RawHeaders }): Record<string, unknown> | undefined {
  if (!isCreate(entry) || entry.body === undefined) return undefined;
  const headers = entry.rawHeaders ?? NO_HEADERS;
  const known = bodiesRead.get(entry.body);
  if (known?.headers === headers) return known.value;
  const value = readMessage({ headers, bytes: entry.body }).json?.value;
  const body = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  bodiesRead.set(entry.body, { headers, value: body });
  return body;
}
/** What createBodyOf read of each body, with the header lines it read it by (its Content-Encoding and charset). */
const bodiesRead = new WeakMap<Uint8Array, { headers: RawHeaders; value: Record<string, unknown> | undefined }>();
const NO_HEADERS: RawHeaders = [];

/**
 * Every bearer and VPP token the client sent in this traffic, in its header lines (its bearer, any field not known
 * to carry none: headerSecretValues), its creates' bodies and its queries, and the same in each member of a JSON
 * batch (outside tester I21): what check-client and the proxy hide wherever a request's path, query, problem or
 * file (a HAR's postData) shows them.
 */
export function trafficSecrets(traffic: readonly Pick<TrafficEntry, 'method' | 'path' | 'rawHeaders' | 'body'>[]): Secrets {
  const values = new Set<string>();
  // Each looked for where it stands only when it could be told from chance (decision 0740): a short or common one is
  // hidden by its place (a header's value, a create's `token`), never by rewriting its text in a path or a body.
  const add = (value: string) => void (worthLookingFor(value.trim()) && values.add(value.trim()));
  for (const entry of traffic) {
    for (const credential of queryCredentials(entry.path)) add(credential);
    for (const value of headerSecretValues(headerLines(entry.rawHeaders))) add(value);
    for (const token of secretValuesIn(createBodyOf(entry))) add(token);
    if (entry.body === undefined || !isBatchTarget(entry.method, readRequestTarget(entry.path))) continue;
    for (const member of batchMembers({ method: entry.method, path: entry.path, headers: {}, rawHeaders: entry.rawHeaders, body: undefined, bytes: entry.body })) {
      for (const credential of queryCredentials(member.url ?? '')) add(credential);
      for (const value of headerSecretValues(headerLines(member.rawHeaders))) add(value);
      for (const token of secretValuesIn(member.body)) add(token);
    }
  }
  return { values: [...values] };
}

/** The traffic with each JSON batch that kept its requests (`members`) given as those requests, in its place. */
export const withBatchMembers = (traffic: readonly TrafficEntry[]): TrafficEntry[] => traffic.flatMap((entry) => (entry.members?.length ? entry.members : [entry]));

/** How a finding names a request: `request 3`, or `request 3 ($batch id "2")` for a request inside a batch. */
export const requestName = (entry: Pick<TrafficEntry, 'sequence' | 'batchId'>): string => `request ${entry.sequence}${entry.batchId !== undefined ? ` ($batch id ${JSON.stringify(entry.batchId)})` : ''}`;
