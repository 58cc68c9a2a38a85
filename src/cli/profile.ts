import type { VppTokenTrait } from '../fixtures/traits';
import { PROFILES, type Profile } from '../schemas/profiles';
import { UsageError, oneOf } from './errors';

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
