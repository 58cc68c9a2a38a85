import type { TrafficEntry } from '../behaviour';
import type { Problem } from '../validation';
import type { WireProblem } from '../wire';
import { isAfterCreateFault, type InjectedFault } from './faults';

// What handling one request gives back: an answer, or an error that says how the request ends instead.

/** An answer to write: status, Graph's body, extra headers. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Said after the log line, e.g. "(injected fault)". */
  note?: string;
  /** A list page's vppTokens by id, whatever its `$select`: kept in the traffic (decision 0641). */
  listed?: string[];
}

/** What handling a request saw on the way, whatever its answer: for the log, onRequest and the traffic. */
export interface Seen {
  body?: string;
  bytes?: Buffer;
  /** The fault injected into this request. */
  fault?: InjectedFault;
  /** Whether a vppToken was stored. */
  stored?: boolean;
  /** The id of the vppToken stored, told to the client or not. */
  createdId?: string;
  /** The store already held its token: its 201 says `state: duplicateLocationId` (beta; decisions 0251, 0670). */
  heldAlready?: true;
  /** A JSON batch's requests, each as it was routed and what it got (its place and times are the batch's). */
  members?: Omit<TrafficEntry, 'sequence' | 'startedAt' | 'endedAt' | 'arrivedByEnd'>[];
  /** The head was refused before routing, as one Node's parser refused is (an HTTP/1.0 request with Transfer-Encoding). */
  refusedHead?: WireProblem;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; problems?: Problem[]; note?: string } = {},
  ) {
    super(message);
  }
}

/** reset-after-create: the vppToken is stored, and the connection is destroyed without an answer. */
export class ResetAfterCreate extends Error {}

/** The log line's note for an injected fault. */
export function faultNote(fault: InjectedFault): string {
  if (fault.kind === 'rate-limit') return '(rate limited)';
  return isAfterCreateFault(fault.failure) ? `(injected fault: ${fault.failure})` : '(injected fault)';
}

/** The client went away before its request was read: nothing to answer, nobody to blame but the client. */
export class ClientClosed extends Error {
  /** How many body bytes came before the client went away. */
  constructor(readonly received = 0) {
    super('the client closed the request');
  }
}

/** The body is over the limit: answered with 413 at once, and the rest is drained. */
export class TooLarge extends HttpError {
  constructor(message: string) {
    super(413, 'RequestEntityTooLarge', message, { headers: { Connection: 'close' } });
  }
}
