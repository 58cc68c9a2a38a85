// One request conform sends, as data: kept apart from fast-check so that the package's public types (the
// findings' requests) load no fast-check declarations in a user's project.

/** What a case expects: a 201 with the values it sent (valid), or one of `statuses` with Graph's error body. */
export type CaseKind = 'valid' | 'invalid' | 'transport';

/** One request to send, and what it is. */
export interface ConformCase {
  kind: CaseKind;
  /** The family it was drawn from, e.g. `valid`, `enum /state=expired`, `wrong type /displayName`. */
  family: string;
  /** The fault, in words (invalid and transport cases). */
  fault?: string;
  /** The JSON value sent, when the body is JSON that vppkit built (undefined for raw bodies). */
  request?: unknown;
  headers: Record<string, string>;
  /** The body text sent; undefined for none. */
  body?: string;
  /** A shorter shell expression producing the same body, for the reproduction of very large bodies. */
  curlBody?: string;
  /** The statuses a refused case must get. */
  statuses?: number[];
}
