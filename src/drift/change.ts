export type DriftChange =
  | 'property added'
  | 'property removed'
  | 'type changed'
  | 'nullability changed'
  | 'length changed'
  | 'member added'
  | 'member removed'
  | 'flags changed'
  | 'derived type added'
  | 'derived type removed'
  | 'type missing';

/** Who a change breaks: a correct client or provider that the kit would now fail, or pass wrongly. */
export type DriftImpact = 'breaking for clients and providers' | 'breaking for clients' | 'breaking for providers' | 'additive';
