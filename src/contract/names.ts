import { DEFAULT_PROFILE, type Profile } from '../schemas';

// The contract's names alone, for what names the contract without building it (verify's worker): importing the
// interactions builds their examples, and with them the fixtures' faker.

/** The provider name every vppkit contract uses, so one verification job serves every consumer. */
export const VPP_TOKENS_PROVIDER = 'microsoft-graph-vpptokens';
export const CANONICAL_CONSUMER = 'vppkit-canonical-consumer';
/** The consumer name of a profile's canonical contract: beta keeps the original name, v1.0 adds `-v1.0`. */
export const canonicalConsumer = (profile: Profile = DEFAULT_PROFILE): string =>
  profile === DEFAULT_PROFILE ? CANONICAL_CONSUMER : `${CANONICAL_CONSUMER}-${profile}`;
