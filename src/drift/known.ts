import type { DriftChange } from './change';
import type { Profile } from '../schemas';

/** A difference from Graph's metadata that the kit keeps on purpose, and the decision record that says why. */
export interface KnownDifference {
  where: string;
  change: DriftChange;
  /** Only for the create request's or the answer's schema; both when absent. */
  view?: 'request' | 'response';
  /** The profiles it holds for; every profile when absent. */
  profiles?: Profile[];
  decision: string;
  why: string;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    where: 'vppToken.token',
    change: 'nullability changed',
    view: 'request',
    decision: '0001',
    why: 'a create needs a token: the request schema requires a non-empty string, although Edm.String is nullable',
  },
  {
    where: 'vppToken.tokenActionResults',
    change: 'nullability changed',
    profiles: ['beta'],
    decision: '0072',
    why: 'the CSDL leaves the items of Collection(graph.vppTokenActionResult) nullable by default; Microsoft\'s OpenAPI and SDKs do not, and a null is no action result',
  },
];
