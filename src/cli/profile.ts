import type { VppTokenTrait } from '../fixtures/traits';
import { PROFILES, type Profile } from '../schemas/profiles';
import { UsageError, oneOf } from './errors';
import { versionAtEnd } from '../judgement/version';

/** `--profile beta|v1.0`, the same on every command: `.option(...profileOption)`. */
export const profileOption = [
  '--profile <profile>',
  `Graph version whose schemas and contract apply: ${PROFILES.join(' or ')}`,
  oneOf('--profile', PROFILES),
  'beta',
] as const;

/** A usage error (exit 2) for a trait the profile does not have, such as withActionResults in v1.0. */
export function checkTraits(profile: Profile, traits: readonly VppTokenTrait[] = []): void {
  if (traits.length === 0) return;
  // Loaded only here: faker is for commands that generate records.
  const { createRequestFactory } = require('../fixtures') as typeof import('../fixtures');
  try {
    createRequestFactory.withProfile(profile).withTraits(...traits);
  } catch (error) {
    throw new UsageError(`--trait: ${(error as Error).message}`);
  }
}

/**
 * The Graph version (beta, v1.0) a URL's path ends in, read by versionAtEnd (decision 0903): the version the requests
 * sent under it go to, for every command's --profile warning (decision 1040: `/gw/beta/x` ends in none, as the proxy
 * reads its --target); undefined when it ends in none or is not a URL.
 */
function versionOfUrl(url: string): Profile | undefined {
  try {
    return versionAtEnd(new URL(url).pathname)?.version.slice(1) as Profile | undefined;
  } catch {
    return undefined;
  }
}

/**
 * A warning line when the URL's version prefix (/beta, /v1.0) names another Graph version than --profile: the
 * requests would be judged by one version's rules and answered by the other's. Undefined when they agree or the
 * URL has no prefix.
 */
export function profileMismatch(profile: Profile, url: string | undefined, option: string): string | undefined {
  if (url === undefined) return undefined;
  const prefix = versionOfUrl(url);
  if (prefix === undefined || prefix === profile) return undefined;
  return `warning: --profile ${profile}, but ${option} ends in /${prefix}: the answers come from Graph ${prefix} and are judged by ${profile}'s rules; give --profile ${prefix}, or the /${profile} URL`;
}

/**
 * The proxy's warning for a --profile given that names another Graph version than --target's path (decision 0851):
 * a create whose path names no version is forwarded to the target's and judged by its rules (0723), so --profile
 * only chooses what --record records. Undefined when they agree or the target names no version.
 */
export function targetVersionMismatch(profile: Profile, target: string): string | undefined {
  // The version the proxy forwards to: the one its target's path ends in, read as startJudgingProxy reads it (decision 0903).
  const prefix = versionOfUrl(target);
  if (prefix === undefined || prefix === profile) return undefined;
  return `warning: --profile ${profile}, but --target ends in /${prefix}: a create whose path names no version goes to Graph ${prefix} and is judged by ${prefix}'s rules, and --record records only the creates judged by ${profile}; give --profile ${prefix}, or leave it out, or the /${profile} URL`;
}

/**
 * The note said once for a pact that records another Graph profile (`vppkit.profile`) than a --profile given: it is
 * judged by the profile it records, and --profile is for pacts that record none (decision 0231; verify and compare
 * alike). Undefined when there is nothing to say.
 */
export function recordedProfileNote(file: string, recorded: Profile | undefined, given: Profile): string | undefined {
  if (recorded === undefined || recorded === given) return undefined;
  return `note: ${file} records Graph ${recorded} (its metadata vppkit.profile) and is judged by ${recorded}'s rules; --profile ${given} is for pacts that record none`;
}
