import { GRAPH_BODY_LIMIT, GRAPH_BODY_LIMIT_DECIMAL } from '../graph/media';

/**
 * A create's body size against the body limit assumed (decisions 0171, 0200): conform sizes its valid creates by it,
 * the proxy holds each create it sees to it. A valid create within the limit must be taken; one over it must get 413.
 */
export interface BodySize {
  /** The body's bytes (its Content-Length when it was not read whole). */
  bytes: number;
  /** The body limit assumed: a body one byte over it must get 413. */
  limit: number;
  /** The limit is Graph's 4 MB taken by default, not one given with --body-limit. */
  graphs: boolean;
  /** Why this size, when it is not the limit's own (one byte over a common server default). */
  why?: string;
}

/** Why a valid create of this size must be taken: the size sent and the limit assumed, in words. */
export function sizeReason(size: BodySize): string {
  const where = size.bytes === size.limit ? `exactly ${limitWords(size)}` : `within ${limitWords(size)}`;
  return [`it is a valid create of ${size.bytes} bytes`, ...(size.why ? [size.why] : []), where].join(', ');
}

/** Why a body, valid or not, must not be refused with 413: its size and the limit it is within. */
export const withinLimitReason = (size: BodySize): string => `its body is ${size.bytes} bytes, within ${limitWords(size)}`;

/** Why a body must be refused with 413: its size and the limit it is over. */
export const overLimitReason = (size: BodySize): string => `its body is ${size.bytes} bytes, over ${limitWords(size)}`;

const limitWords = (size: BodySize): string =>
  size.graphs ? `Graph's 4 MB, the limit assumed (${size.limit} bytes; give the provider's own with --body-limit)` : `the limit given (--body-limit ${size.limit})`;

/** A body over the limit assumed: the provider must refuse it with 413. */
export const isOverLimit = (size: BodySize): boolean => size.bytes > size.limit;

/**
 * A 413 is fair for a body of this size: over the limit assumed, or, under Graph's 4 MB taken by default, over its
 * smaller reading (4,000,000 bytes): a provider limited there keeps the contract (decision 0171).
 */
export const mayBeTooLarge = (size: BodySize): boolean => isOverLimit(size) || (size.graphs && size.bytes > GRAPH_BODY_LIMIT_DECIMAL);

/** A body over Graph's own 4 MB is the client's fault whatever limit the provider was given. */
export const overGraphsLimit = (bytes: number): string | undefined => (bytes > GRAPH_BODY_LIMIT ? `is over Graph's limit of ${GRAPH_BODY_LIMIT} bytes (4 MB): ${bytes} bytes` : undefined);
