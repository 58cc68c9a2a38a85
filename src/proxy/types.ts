import type { InterimAnswer } from '../net';
import type { TrafficEntry } from '../behaviour';
import type { ExchangeProblem, ListTally, RequestProblem } from '../judgement';
import type { Profile } from '../schemas';
import type { RawHeaders, WireProblem } from '../wire';

/** What a request is to the proxy: a create (judged), another vppTokens route (faults apply), a JSON batch (the creates inside judged), or anything else. */
export type ProxyRoute = 'create' | 'vppTokens' | 'batch' | 'other';

/**
 * How an exchange ended: answered by the provider; refused by the proxy (`--strict`); answered by an injected
 * fault instead of being forwarded; forwarded, then its answer replaced by a 504 or the connection reset (the
 * faults after a create); no answer from the provider (timeout, reset, refused connection); the client went away;
 * cut by the proxy as it stopped (past the drain's bound, or a second interrupt).
 */
export type ExchangeOutcome = 'answered' | 'refused' | 'fault' | '504-after-create' | 'reset-after-create' | 'no answer' | 'client closed' | 'cut';

/** A message's bytes as they passed, bounded: `body` is undefined when it went over the limit (`size` counts all). */
export interface SeenMessage {
  rawHeaders: string[];
  body?: Buffer;
  size: number;
  overLimit: boolean;
  /** False when the body did not come to its end: the target answered first and the client then stopped sending. */
  ended?: boolean;
  /** The trailer fields after a chunked body (name, value, ...), when there were any. */
  rawTrailers?: string[];
}

export interface SeenAnswer extends SeenMessage {
  status: number;
  statusText: string;
  /** The target's status line's HTTP version (`1.1`, `1.0`): an HTTP/1.0 answer carries no Transfer-Encoding (decision 0492). */
  httpVersion?: string;
  /** The interim 1xx answers the target sent before this one (each once, as the kit's HTTP client keeps them): judged with it. */
  interim?: InterimAnswer[];
}

/** One request through the proxy and what came of it. Holds credentials in memory; every writer redacts. */
export interface ProxiedExchange {
  /** 1 for the first request through the proxy. */
  index: number;
  method: string;
  /** The path and query the client asked the proxy for. */
  url: string;
  /** Where it went: the target's URL for it, without credentials. */
  targetUrl: string;
  route: ProxyRoute;
  /** The Graph version a create is judged by: its path's (/beta, /v1.0), else the proxy's profile. */
  profile?: Profile;
  /** When the request's headers arrived, and when its answer's last byte went to the client (ms since the epoch). */
  startedAt: number;
  answeredAt?: number;
  request: SeenMessage;
  /** The provider's answer (undefined when there was none: a fault before forwarding, a refusal, a failure). */
  answer?: SeenAnswer;
  /** What the client got instead of the provider's answer, when the proxy answered (refusal, fault). */
  delivered?: SeenAnswer;
  outcome: ExchangeOutcome;
  /**
   * The client half-closed its side (its FIN) after its whole request, before its answer ended: it is answered all
   * the same (RFC 9112 §9.6; decision 0453). Whether it still read the answer no proxy sees (a client that closed
   * fully resets what comes); one whose connection failed as the answer was written is `client closed`.
   */
  clientHalfClosed?: true;
  /** The injected fault, when one was: what was drawn, and why (a drawn failure or the rate limit). */
  fault?: TrafficEntry['fault'];
  /** Why the provider gave no answer, as one line. */
  error?: string;
  /** Why the proxy answered a request itself that is no request of Graph's, so not forwarded: a CONNECT (decision 0491). */
  notForwarded?: string;
  /**
   * What the target did with a request that got no answer: `unknown` when it was written whole and no answer came (the
   * proxy's --timeout, a dropped connection, the client gone first), so a create may be stored. Absent when an answer
   * came (`answer`, `answerCut`), or the request never reached the target whole (nothing stored).
   */
  targetStored?: 'unknown';
  /**
   * Of a create (or a JSON batch, for the creates inside it: decision 1250), the head of the target's answer when its body did not come whole (cut short, not ended within
   * --timeout, its framing misread): read by the one outcome rule as an answer cut (createOutcomeOf, decision 1172),
   * so a 2xx's outcome is unknown (its vppToken cannot be read), as seed counts it; a 201 was `stored` before.
   */
  answerCut?: { status: number; rawHeaders: string[]; httpVersion?: string };
  /** The contract broken in this exchange, each with its side. Empty for an exchange that kept it or was not judged. */
  problems: ExchangeProblem[];
  /**
   * The target's answer could not be read (a tab after `Transfer-Encoding: chunked` this Node reads as another coding,
   * decision 0812): the client got a 502, and a create's target is blamed at that header.
   */
  unreadableAnswer?: WireProblem;
  /** Why a create was not judged (an answer over the limit or cut, the client gone). */
  notJudged?: string;
  /** A JSON batch's creates of a vppToken, each judged with the answer the batch gave it (decision 0201). */
  batched?: BatchedVerdict[];
  /**
   * The requests inside a JSON batch the proxy answered in the target's place (a fault drawn for it, or 424 for one
   * that depends on such a request), or whose 201 it replaced (504-after-create): decision 0454.
   */
  batchFaults?: BatchFault[];
  /** What was wrong with the request's head, when the proxy refused it without forwarding it (a head Node's parser refused, no Host, two, a target no server takes). */
  headProblem?: WireProblem | RequestProblem;
  /** Why a judged create's body was not (over --body-limit, only its size kept; cut off after an early answer): its head and answer were. */
  bodyNotJudged?: string;
  /**
   * The statuses of the target's interim 1xx answers the proxy did not pass on to the client because they carried a
   * credential of the request (its bearer, a VPP token): the client would have got it (decision 0521).
   */
  interimNotForwarded?: number[];
  /**
   * Of a list page answered 200, the vppTokens it held whose token a create of unknown outcome had sent, by id and by
   * their token's fingerprint (never the token): all the proxy keeps of a page (decision 0671).
   */
  tokensListed?: { id: string; token: string }[];
  /**
   * Of a list page answered 200: the proxy read it whole (a list, each vppToken with its token and id; without an
   * `@odata.nextLink`, fewer than a `$top` it asked), so `tokensListed` names every vppToken of the unknown creates'
   * tokens it held: a last page that holds none of one shows that create made nothing (decision 0880).
   */
  readWhole?: true;
  /** Of such a page, its `@odata.nextLink` as pageKey keeps it (its options hashed, never the link: decision 0880). */
  nextPage?: string;
  /**
   * Of a GET of the status monitor a create's 202 named, answered its final answer: what that said became of the create
   * (monitorOutcomeOf, decision 1315), by the id it named; the answer itself is not kept (a vppToken's token is in it).
   */
  monitorTold?: { created: true; createdId: string; heldAlready?: true } | { created: false };
  /** Of such a page, the vppTokens it listed (ids, each once) and its `@odata.count`: a list shorter than its count is not whole (decision 1101). */
  tally?: ListTally;
  /**
   * Of a create of unknown outcome (alone or inside a batch), the ids of the vppTokens of its token a list page that
   * ended before it arrived held: the target held the token before (an earlier run's vppToken), none of them is its
   * (decision 0813).
   */
  listedBefore?: string[];
  /**
   * A JSON batch's reads of the vppTokens (GET of the list, its count, one vppToken), each with the status its answer
   * in the batch's had (none when the batch gave it none) and, for a list answered 200, the vppTokens it held of the
   * creates of unknown outcome, as a page sent alone keeps them (decision 0811): the behaviour checks read them as
   * reads of their own, as check-client reads a batch's members.
   */
  batchReads?: BatchRead[];
}

/** A read of the vppTokens inside a JSON batch, or a DELETE of one, as the behaviour checks read it (decisions 0811, 0852). */
export interface BatchRead {
  /** Its id in the batch. */
  id: string;
  method: string;
  /** Its target as the target saw it: the batch's path with `$batch` replaced by the member's url. */
  path: string;
  /** Its header lines, the batch's Authorization when it gives none. */
  rawHeaders: string[];
  /** The status its answer in the batch's had. */
  status?: number;
  tokensListed?: { id: string; token: string }[];
  /** A list answered 200 the proxy read whole, and its nextLink, as a page sent alone's (ProxiedExchange.readWhole, decision 0880). */
  readWhole?: true;
  nextPage?: string;
  tally?: ListTally;
}

/** A request inside a JSON batch that met a fault on the way (decision 0454). */
export interface BatchFault {
  id: string;
  /** The status the client got for it. */
  status: number;
  retryAfter?: string;
  /** The fault drawn for it; none for a request not run because one it depends on met one (424). */
  fault?: TrafficEntry['fault'];
  /** It reached the target, which created it (504-after-create); else it was never forwarded. */
  stored: boolean;
}

/** One create inside a JSON batch (`POST /$batch`) and its verdict. */
export interface BatchedVerdict {
  /** The member's id in the batch (its answer carries the same). */
  id: string;
  /** The contract broken by this create or its answer, each with its side. */
  problems: ExchangeProblem[];
  /** Why its answer was not judged (the batch refused as a whole, no answer with its id): the create itself was. */
  answerNotJudged?: string;
  /** The create as sent (its header lines, the batch's Authorization included, and its body's bytes) and what the batch answered its id: the behaviour checks read it. */
  sent: { rawHeaders: RawHeaders; body: Uint8Array; answer?: { status: number; retryAfter?: string; date?: string } };
  /** The fault it met inside the batch, and whether the target stored it all the same (decision 0454). */
  fault?: TrafficEntry['fault'];
  stored?: boolean;
  /** The id of the vppToken its 201 (or 204) named, read as a plain create's (decision 0670). */
  createdId?: string;
  /** Its 201 said the target already held its token (`state: duplicateLocationId`): a second vppToken of it (decisions 0652, 0670). */
  heldAlready?: true;
  /**
   * The status of the batch's answer when the target answered the batch and gave this create no answer of its own
   * there (the batch answered as a whole: 202, 504, 400; or a 200 the one reader cannot read): what became of it is
   * read from that status by the one outcome rule (wholeBatchOutcomeOf, decision 1250).
   */
  answeredWhole?: number;
  /** With `answeredWhole`: the batch's answer did not come whole (its head did), and why (decision 1250). */
  answerCut?: string;
}

/** A violation as logged and reported: the exchange problem, and which request it was. */
export interface Violation extends ExchangeProblem {
  /** The request's index (1 for the first through the proxy). */
  request: number;
  method: string;
  /** The request's path, without its query. */
  path: string;
  /** The JSON pointer into the body, when the problem is in one ('' for the whole body). */
  pointer?: string;
  /** The id of the create inside a JSON batch the problem is in (the request is then the batch). */
  batchId?: string;
}
