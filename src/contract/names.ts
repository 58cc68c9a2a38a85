import { DEFAULT_PROFILE, toProfile, type Profile } from '../schemas';
import { argumentProblem, refuseArguments, optionsObjectProblem, shownOption } from '../net/option';

// The contract's names alone, for what names the contract without building it (verify's worker): importing the
// interactions builds their examples, and with them the fixtures' faker.

/** The provider name every vppkit contract uses, so one verification job serves every consumer. */
export const VPP_TOKENS_PROVIDER = 'microsoft-graph-vpptokens';
export const CANONICAL_CONSUMER = 'vppkit-canonical-consumer';
/** The consumer name of a profile's canonical contract: beta keeps the original name, v1.0 adds `-v1.0`. */
export const canonicalConsumer = (profile: Profile = DEFAULT_PROFILE): string =>
  toProfile(profile) === DEFAULT_PROFILE ? CANONICAL_CONSUMER : `${CANONICAL_CONSUMER}-${profile}`;

/**
 * What is wrong with a consumer or provider name a pact's file is named by (`<consumer>-<provider>.json` in the
 * pact folder), or undefined (outside tester J16): an empty one (a Pact Broker refuses it), or one that is not one
 * file name's part (a `/` or `\\`: the pact would go into another folder, `../` outside --pact-dir).
 */
export function pactNameProblem(name: string, option: string): string | undefined {
  if (name.trim() === '') return `${option} is empty: give the name the pact is to know the ${option === '--provider' ? 'provider' : 'client'} by`;
  // eslint-disable-next-line no-control-regex
  if (/[/\\\u0000-\u001f]/.test(name)) {
    // Shown by the one rule of a refused value (decision 0962): a base64 secret holds a /, and a short name is seen as typed.
    const shown = shownOption(name);
    return `${option} ${shown.startsWith('"') ? shown : `(${shown})`} is not a name a pact file can be named by: no /, \\ or control character (the pact would go ${name.includes('..') ? 'outside --pact-dir' : 'into another folder'})`;
  }
  return undefined;
}

/** The longest file name (in bytes) the common file systems take (ext4, XFS, Btrfs, APFS and NTFS: 255). */
export const MAX_FILE_NAME_BYTES = 255;

/** The name of a pact's file in the pact folder, as Pact writes it. */
export const pactFileName = (consumer: string, provider: string): string => {
  refuseArguments(argumentProblem('consumer', consumer, 'string'), argumentProblem('provider', provider, 'string'));
  return `${consumer}-${provider}.json`;
};

/** The consumer a client's pact names when none is given (check-client's and the proxy's --consumer). */
export const DEFAULT_CONSUMER = 'vpptokens-client';

/**
 * What is wrong with the consumer and provider names of the pact a client check writes, or undefined: each name as
 * pactNameProblem says, then the file name they make together, which no file system takes past 255 bytes (outside
 * tester M7: a 300-character --consumer ran the client, then ended in ENAMETOOLONG as "internal error").
 */
export function pactFileProblem(names: { consumer: string; provider: string }, options: { consumer: string; provider: string } = { consumer: '--consumer', provider: '--provider' }): string | undefined {
  refuseArguments(argumentProblem('names', names, 'object', 'an object of consumer and provider'), argumentProblem('options', options, 'object', 'an object of consumer and provider'));
  refuseArguments(
    optionsObjectProblem("pactFileProblem's names", names, ['consumer', 'provider']),
    optionsObjectProblem('pactFileProblem', options, ['consumer', 'provider']),
    argumentProblem('names.consumer', names.consumer, 'string'),
    argumentProblem('names.provider', names.provider, 'string'),
    argumentProblem('options.consumer', options.consumer, 'string', "a string, the option's name as the error says it"),
    argumentProblem('options.provider', options.provider, 'string', "a string, the option's name as the error says it"),
  );
  const named = pactNameProblem(names.consumer, options.consumer) ?? pactNameProblem(names.provider, options.provider);
  if (named) return named;
  const bytes = Buffer.byteLength(pactFileName(names.consumer, names.provider));
  if (bytes <= MAX_FILE_NAME_BYTES) return undefined;
  return `${options.consumer} makes the pact's file name (<consumer>-${names.provider}.json) ${bytes} bytes long: a file name may have at most ${MAX_FILE_NAME_BYTES} bytes, so give a name of at most ${MAX_FILE_NAME_BYTES - Buffer.byteLength(pactFileName('', names.provider))} bytes`;
}
