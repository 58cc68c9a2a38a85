import { readFileSync } from 'node:fs';
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

/**
 * A warning line when the URL's version prefix (/beta, /v1.0) names another Graph version than --profile: the
 * requests would be judged by one version's rules and answered by the other's. Undefined when they agree or the
 * URL has no prefix.
 */
export function profileMismatch(profile: Profile, url: string | undefined, option: string): string | undefined {
  if (url === undefined) return undefined;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const prefix = /\/(beta|v1\.0)(?=\/|$)/i.exec(path)?.[1]?.toLowerCase();
  if (prefix === undefined || prefix === profile) return undefined;
  return `warning: --profile ${profile}, but ${option} ends in /${prefix}: the answers come from Graph ${prefix} and are judged by ${profile}'s rules; give --profile ${prefix}, or the /${profile} URL`;
}

/**
 * A warning line for each pact file whose metadata records another Graph profile (`vppkit.profile`, written by
 * the kit for a non-beta pact) than --profile: its interactions would be judged by the other version's rules.
 * A file that can't be read says nothing here: the command reports it.
 */
export function pactProfileMismatches(profile: Profile, files: readonly string[]): string[] {
  const warnings: string[] = [];
  for (const file of files) {
    let recorded: unknown;
    try {
      recorded = (JSON.parse(readFileSync(file, 'utf8')) as { metadata?: { vppkit?: { profile?: unknown } } })?.metadata?.vppkit?.profile;
    } catch {
      continue;
    }
    if (typeof recorded !== 'string' || !(PROFILES as readonly string[]).includes(recorded) || recorded === profile) continue;
    warnings.push(`warning: --profile ${profile}, but ${file} was recorded for Graph ${recorded} (its metadata vppkit.profile): its interactions are judged by ${profile}'s rules; give --profile ${recorded}`);
  }
  return warnings;
}
