// What verify checks before Pact runs, so a mistake is one clear line (exit 2) rather than minutes of errors.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { VPP_TOKENS_PROVIDER } from '../contract/names';
import { otherEncodingOfFile } from '../validation/json-file';
import { HeaderOptionError, UnreachableError, baseUrlOf, checkExtraHeaders, checkReachable, httpUrlOf, maxThrottleWaitProblem, publicHostOf, systemReason, type Secrets, type TlsTrust } from '../net';
import { argumentProblem, optionsObjectProblem, membersProblem, pathListProblem, oneOfProblem, millisecondsOptionProblem, type MemberKind, type NestedMembers } from '../net/option';
import { TLS_TRUST_MEMBERS } from '../net/tls';
import { VERIFY_OPTION_NAMES, type BrokerOptions, type PublishedResults, type VerifyOptions } from './types';
import { bearerProblem, createPreferences, givenSecrets } from '../judgement';
import { V3_MESSAGE, httpInteractionProblem, isHttpInteraction, pactFilesOf, pactInteractionsOf, pactJsonOf, recordedProfile } from '../compare/pact-file';
import { decodeUtf8 } from '../wire/body';
import { PROFILES, type Profile } from '../schemas/profiles';

export class VerificationSetupError extends Error {
  override readonly name = 'VerificationSetupError';
  /** `published`: the results a run published before it could not publish the rest (decision 0793), or undefined. */
  constructor(
    message: string,
    readonly published?: PublishedResults,
  ) {
    super(message);
  }
}

/**
 * The credentials a verification is given: the bearer, every extra header's value (a gateway's key), the broker's
 * token and password. A provider may echo any of them, and Pact's report quotes what it got: each is redacted from
 * the report, the result and JUnit (the one redaction, src/net/redact.ts).
 */
export function secretsOfVerify(options: Pick<VerifyOptions, 'bearer' | 'headers' | 'broker'>): Secrets {
  return givenSecrets({ bearer: options.bearer, headers: options.headers, others: [options.broker?.token, options.broker?.password] });
}

/**
 * The pact files of `verify`'s arguments (and compare's): files, folders (their *.json files) and globs the shell did
 * not expand, expanded as `validate` expands its arguments, each file once however often it is named (decision 0485).
 * A pattern or folder that gives no file is a clear error.
 */
export function resolvePactFiles(args: readonly string[]): string[] {
  return pactFilesOf(args, (message) => new VerificationSetupError(message), 'pactFiles').files;
}

/** A pact file as checkPactFiles read it: its interactions' descriptions and the profile it records. */
export interface CheckedPact {
  file: string;
  /** The provider the pact is for (its `provider.name`). */
  provider: string;
  descriptions: string[];
  profile?: Profile;
  /** How many HTTP interactions it holds (isHttpInteraction): the ones verified. */
  http?: number;
  /** Its interactions that are not HTTP (V4 messages): left out, as compare leaves them (decision 0511). */
  notHttp?: NotHttpInteraction[];
}

/** An interaction of a pact file that is not HTTP (`Asynchronous/Messages`, `Synchronous/Messages`), left out. */
export interface NotHttpInteraction {
  file: string;
  description: string;
  /** Its V4 `type`. */
  type: string;
}

/**
 * The pact files by the Graph profile each is judged by: the one it records, else `byDefault` (--profile), in the
 * order the profiles first appear (outside tester J31: a folder holding the beta and the v1.0 contract failed
 * under either --profile, even against the kit's own provider).
 */
export function pactsByProfile(pacts: readonly CheckedPact[], byDefault: Profile): Map<Profile, CheckedPact[]> {
  const groups = new Map<Profile, CheckedPact[]>();
  for (const pact of pacts) {
    const profile = pact.profile ?? byDefault;
    groups.set(profile, [...(groups.get(profile) ?? []), pact]);
  }
  return groups;
}

/** Why verify refuses a pact file that starts with a UTF-8 byte order mark (decision 0484). */
export const BYTE_ORDER_MARK =
  'starts with a UTF-8 byte order mark (EF BB BF), which Pact cannot load (RFC 8259 §8.1: a JSON parser may ignore the mark; Pact\'s does not): save it without the mark, e.g. tail -c +4 FILE > NEW, or in PowerShell 7 Get-Content FILE | Set-Content -Encoding utf8NoBOM NEW (Windows PowerShell 5.1\'s -Encoding utf8 writes the mark)';

/**
 * Each pact file must exist, be JSON, and look like a Pact (consumer, provider, interactions); gives each one's
 * interactions' descriptions and the profile it records, read once.
 */
export function checkPactFiles(files: readonly string[]): CheckedPact[] {
  const checked: CheckedPact[] = [];
  for (const file of files) {
    const descriptions: string[] = [];
    const notHttp: NotHttpInteraction[] = [];
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new VerificationSetupError(code === 'ENOENT' ? `pact file not found: ${file}` : `cannot read pact file ${file}: ${systemReason(error)}`);
    }
    const other = otherEncodingOfFile(bytes);
    if (other) throw new VerificationSetupError(`pact file ${file} ${other}`);
    // compare and validate read past the mark, Pact's loader does not ("Failed to parse Pact JSON"): said here, with
    // how to save without it (outside finding R41, decision 0484).
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) throw new VerificationSetupError(`pact file ${file} ${BYTE_ORDER_MARK}`);
    // Read as compare reads it (the one reader, decision 0691): strict UTF-8, then JSON no Pact parser refuses.
    const text = decodeUtf8(bytes);
    if (!text.ok) throw new VerificationSetupError(`pact file ${file} ${text.problem.message}`);
    const read = pactJsonOf(text.value);
    if ('syntax' in read) throw new VerificationSetupError(`pact file ${file} is not JSON: ${read.syntax}`);
    if ('refused' in read) throw new VerificationSetupError(`pact file ${file} is not a Pact file ${read.pactReads ? 'the kit takes' : 'Pact can read'}: ${read.refused}`);
    const pact = read.value;
    const p = pact as { consumer?: { name?: unknown }; provider?: { name?: unknown } };
    // Its interactions as Pact's loader reads them, by compare's rule: a V3 message pact's are its messages (R86, 0792).
    const listed = pact !== null && typeof pact === 'object' && !Array.isArray(pact) ? pactInteractionsOf(pact as Record<string, unknown>) : undefined;
    const missing = [
      typeof p?.consumer?.name !== 'string' && 'consumer.name',
      typeof p?.provider?.name !== 'string' && 'provider.name',
      listed !== undefined && 'noList' in listed && 'interactions (an array)',
    ].filter(Boolean);
    if (listed === undefined || missing.length) {
      throw new VerificationSetupError(`pact file ${file} is not a Pact file: it has no ${missing.join(', ') || 'object at the top'}`);
    }
    if ('problem' in listed) throw new VerificationSetupError(`pact file ${file} is not a Pact file: ${listed.problem}`);
    const kind = listed.messages ? 'message' : 'interaction';
    listed.entries.forEach((entry, index) => {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new VerificationSetupError(`pact file ${file} is not a Pact file: ${kind} ${index + 1} is not an object`);
      const interaction = entry as Record<string, unknown>;
      const description = typeof interaction.description === 'string' ? interaction.description : `${kind} ${index + 1}`;
      // A message (V4's, or a V3 message pact's) is left out, as compare leaves it (the one rule, isHttpInteraction;
      // outside findings R31, R86): Pact would fetch it from the provider's root and fail the provider on the answer
      // it was never meant to give.
      if (listed.messages || !isHttpInteraction(interaction)) {
        notHttp.push({ file, description, type: listed.messages ? V3_MESSAGE : String(interaction.type) });
        return;
      }
      // An HTTP interaction Pact could not verify, in the one reader's words (src/compare/pact-file.ts).
      const malformed = httpInteractionProblem(interaction, index);
      if (malformed) throw new VerificationSetupError(`pact file ${file} is not a Pact file: ${malformed}`);
      if (typeof interaction.description === 'string') descriptions.push(interaction.description);
    });
    const profile = recordedProfile(pact);
    const http = listed.entries.length - notHttp.length;
    checked.push({ file, provider: p.provider!.name as string, descriptions, ...(profile ? { profile } : {}), http, ...(notHttp.length ? { notHttp } : {}) });
  }
  return checked;
}

/**
 * The error for `--interaction TEXT` that is in no HTTP interaction's description but in a message's, left out (a
 * file's, or a broker's pact's: one sentence, decisions 0511 and 0792), or undefined when no message holds it.
 */
export function onlyInMessages(text: string, notHttp: readonly NotHttpInteraction[]): VerificationSetupError | undefined {
  const messages = notHttp.filter((i) => i.description.includes(text));
  return messages.length > 0 ? new VerificationSetupError(`--interaction ${JSON.stringify(text)} is only in interactions that are not HTTP (${notHttpList(messages)}), which verify leaves alone: nothing to verify`) : undefined;
}

/** `--interaction TEXT` must be some text, and (when the pacts are files) be in some interaction's description. */
export function checkInteractionFilter(text: string, descriptions: readonly string[] | undefined, notHttp: readonly NotHttpInteraction[] = []): void {
  if (text.trim() === '') throw new VerificationSetupError('--interaction must be some text of an interaction\'s description (got an empty one)');
  if (descriptions === undefined || descriptions.some((d) => d.includes(text))) return;
  const onlyMessages = onlyInMessages(text, notHttp);
  if (onlyMessages) throw onlyMessages;
  const known = [...new Set(descriptions)];
  const shown = known.slice(0, 5).map((d) => JSON.stringify(d)).join(', ');
  throw new VerificationSetupError(
    `--interaction ${JSON.stringify(text)} is in no interaction's description (case matters): the pacts have ${known.length === 0 ? 'none' : `${shown}${known.length > 5 ? `, and ${known.length - 5} more` : ''}`}`,
  );
}

/** src/net's reachability check, its failure as verify's setup error (exit 2). */
async function assertReachable(url: URL, what: string, options: { timeoutMs?: number; tls?: TlsTrust } = {}): Promise<void> {
  try {
    await checkReachable(url, what, options);
  } catch (error) {
    if (error instanceof UnreachableError) throw new VerificationSetupError(error.message);
    throw error;
  }
}

/** An http(s) URL option, or a VerificationSetupError naming it. */
function httpUrl(text: string | URL, option: string, example: string): URL {
  return httpUrlOf(text, option, (message) => new VerificationSetupError(message), example);
}

/** What checkVerifyInputs finds: the pact files (expanded and read), the public hosts and the states URL, parsed. */
export interface CheckedVerifyInputs {
  /** The pact files for the provider verified (`--provider`) that hold an HTTP interaction: the ones verified. */
  pactFiles: string[];
  /** Every pact file for the provider, one of V4 messages only too: what the CLI hands its verification process. */
  providerFiles: string[];
  checked: CheckedPact[];
  /** Pact files for another provider, left out (a consumer's pacts/ folder holds one file per provider). */
  otherProviders: CheckedPact[];
  statesUrl?: URL;
  publicHosts: string[];
  /** A note per pact file named again, left out (`p.json is pacts/p.json again: read once`). */
  again: string[];
  /** The interactions of the provider's pacts that are not HTTP (V4 messages): left out, said (decision 0511). */
  notHttp: NotHttpInteraction[];
}

/**
 * A `--header Prefer` that asks a create's answer to leave out what the pact's answers hold (decision 0861, outside
 * finding R95): `return=minimal` (a 204 No Content, OData 4.01 Part 1 §11.4.2) or `omit-values=nulls` (a 201 without
 * its nulls, §8.2.8.6) or `respond-async` (a 202 Accepted, RFC 7240 §4.1: decision 1131). A provider may honour any, and Pact compares every answer with the pact's, so the run
 * would blame a correct provider for the preference it sent itself. The pact's own requests ask a preference whose
 * answers it holds (0590); conform and seed judge each answer by what was asked and take both. Read by the one
 * reader of `Prefer` (createPreferences): another preference (`return=representation`, `odata.maxpagesize`) is sent.
 */
function preferProblem(headers: Readonly<Record<string, string>>): string | undefined {
  const [name, value] = Object.entries(headers).find(([key]) => key.toLowerCase() === 'prefer') ?? [];
  if (name === undefined || value === undefined) return undefined;
  const asked = createPreferences([value]);
  const which = asked.minimal ? 'return=minimal (a create answered 204 No Content, OData 4.01 Part 1 §11.4.2)' : asked.omitNulls ? 'omit-values=nulls (a 201 without its null properties, OData 4.01 Part 1 §8.2.8.6)' : asked.async ? 'respond-async (a create answered 202 Accepted with a status monitor, RFC 7240 §4.1, OData 4.01 Part 1 §8.2.8.8; decision 1131)' : undefined;
  return which && `--header ${name}: ${which} lets a correct provider leave out what the pact's answers hold, and Pact compares every answer with the pact's: a provider that honours it would fail; put the preference in the pact's own requests (a 204 is then judged as the create it is), or run conform or seed, which take it`;
}

/**
 * Every check of verify's options that needs neither Pact nor the network: the pact files (expanded), the
 * interaction filter, the extra headers, the bearer, the public hosts (as hosts), and each URL, parsed. The CLI
 * runs it before starting the verification process; the process probes the targets (checkVerifyOptions), once.
 */
export function checkVerifyInputs(options: VerifyOptions, pacts: readonly string[]): CheckedVerifyInputs {
  // A pact named twice (a folder and a file in it, a link to it) is verified once, said (outside finding R42): run
  // twice, a provider that keeps each VPP token once failed the second copy's creates with 409.
  const { files, again } = pactFilesOf(pacts, (message) => new VerificationSetupError(message), 'pactFiles');
  const { checked: forIt, otherProviders } = forProvider(checkPactFiles(files), options.provider ?? VPP_TOKENS_PROVIDER);
  const { checked, notHttp } = httpOnly(forIt, options.provider ?? VPP_TOKENS_PROVIDER);
  const pactFiles = checked.map((pact) => pact.file);
  const descriptions = checked.flatMap((pact) => pact.descriptions);
  // Broker pacts are known only once fetched: a filter that matches none of them is found after the run.
  if (options.interaction !== undefined) checkInteractionFilter(options.interaction, pactFiles.length ? descriptions : undefined, notHttp);
  if (options.headers) {
    try {
      checkExtraHeaders(options.headers);
    } catch (error) {
      if (error instanceof HeaderOptionError) throw new VerificationSetupError(error.message);
      throw error;
    }
    const unfitPrefer = preferProblem(options.headers);
    if (unfitPrefer) throw new VerificationSetupError(unfitPrefer);
  }
  const unfit = bearerProblem(options.bearer);
  if (unfit) throw new VerificationSetupError(`--bearer: ${unfit}`);
  const publicHosts = (options.publicHosts ?? []).map((host) => publicHostOf(host, '--public-host', (message) => new VerificationSetupError(message)));
  if (options.providerBaseUrl !== undefined) baseUrlOf(options.providerBaseUrl, '--provider-base-url', (message) => new VerificationSetupError(message));
  let statesUrl: URL | undefined;
  if (options.providerStatesSetupUrl !== undefined) {
    if (options.stateHandlers) throw new VerificationSetupError('give state handlers or a provider-states set-up URL (--provider-states-setup-url), not both');
    statesUrl = httpUrl(options.providerStatesSetupUrl, '--provider-states-setup-url', 'http://127.0.0.1:8080/_pact/provider-states');
  }
  // The one rule for a URL option: a value that is no http(s) URL is quoted with its credentials hidden.
  if (options.broker) httpUrl(options.broker.url, '--broker-url', 'https://broker.example.com');
  return { pactFiles, providerFiles: forIt.map((pact) => pact.file), checked, otherProviders, statesUrl, publicHosts, again, notHttp };
}

/**
 * The pacts for `provider` and the others (outside tester K23: a consumer's pacts/ folder holds one file per
 * provider, and a pact for `billing-api` was verified against the vppTokens provider and failed it). A pact is a
 * contract between one consumer and one provider (Pact specification: `provider.name`), as a broker selects pacts
 * by provider: another provider's pact is no verdict on this one. Pacts given, none for `provider`: nothing to
 * verify (exit 2, as a folder without pacts), naming the providers they are for.
 */
function forProvider(pacts: CheckedPact[], provider: string): { checked: CheckedPact[]; otherProviders: CheckedPact[] } {
  const checked = pacts.filter((pact) => pact.provider === provider);
  const otherProviders = pacts.filter((pact) => pact.provider !== provider);
  if (pacts.length > 0 && checked.length === 0) {
    const named = [...new Set(otherProviders.map((pact) => JSON.stringify(pact.provider)))];
    throw new VerificationSetupError(
      `no pact file given is for the provider ${JSON.stringify(provider)} (--provider): ${pacts.length === 1 ? `${pacts[0].file} is` : `they are`} for ${named.join(', ')}; nothing was verified`,
    );
  }
  return { checked, otherProviders };
}

/**
 * The provider's pacts that hold an HTTP interaction, and the interactions that are not HTTP (V4 messages), left out
 * as compare leaves them (outside finding R31; decision 0511). A pact of messages only is left out whole; pacts that
 * hold messages and nothing HTTP are nothing to verify (exit 2 in one line), as pacts of another provider (0257), and
 * so are pacts that hold no interaction at all (outside finding R73, decision 0721: no verdict, as compare says).
 */
function httpOnly(pacts: CheckedPact[], provider: string): { checked: CheckedPact[]; notHttp: NotHttpInteraction[] } {
  const notHttp = pacts.flatMap((pact) => pact.notHttp ?? []);
  const checked = pacts.filter((pact) => (pact.http ?? 0) > 0 || !pact.notHttp);
  if (pacts.length > 0 && !pacts.some((pact) => (pact.http ?? 0) > 0)) {
    if (notHttp.length > 0) {
      throw new VerificationSetupError(
        `the pacts for ${JSON.stringify(provider)} hold no HTTP interaction: ${notHttpList(notHttp)} ${notHttp.length === 1 ? 'is a message' : 'are messages'}, which verify leaves alone as compare does (it verifies HTTP interactions); nothing was verified`,
      );
    }
    throw new VerificationSetupError(`the pacts for ${JSON.stringify(provider)} hold no interaction (${pacts.map((pact) => basename(pact.file)).join(', ')} ${pacts.length === 1 ? 'has' : 'have'} none): ${NOTHING_VERIFIED}`);
  }
  return { checked, notHttp };
}

/** How a run that verified no interaction ends (exit 2): no verdict, as compare's `nothing judged` (decisions 0220, 0721). */
export const NOTHING_VERIFIED = 'nothing was verified, no verdict';

/** `p.json: "a vppToken created event" (Asynchronous/Messages), ...`: the interactions left out, named. */
const notHttpList = (interactions: readonly NotHttpInteraction[]): string => interactions.map((i) => `${basename(i.file)}: ${JSON.stringify(i.description)} (${i.type})`).join(', ');

/** The note for interactions left out because they are not HTTP (notHttp), one line, or undefined. */
export function leftOutNotHttpNote(notHttp: readonly NotHttpInteraction[]): string | undefined {
  if (notHttp.length === 0) return undefined;
  return `left out ${notHttp.length} interaction${notHttp.length === 1 ? '' : 's'} that ${notHttp.length === 1 ? 'is' : 'are'} not HTTP, as compare does: ${notHttpList(notHttp)}`;
}

/** The note for pacts left out because they are for another provider (otherProviders), one line, or undefined. */
export function otherProvidersNote(otherProviders: readonly CheckedPact[], provider: string = VPP_TOKENS_PROVIDER): string | undefined {
  if (otherProviders.length === 0) return undefined;
  const each = otherProviders.map((pact) => `${basename(pact.file)} (${JSON.stringify(pact.provider)})`).join(', ');
  return `left out ${otherProviders.length} pact file${otherProviders.length === 1 ? '' : 's'} for another provider than ${JSON.stringify(provider)} (--provider): ${each}`;
}

/**
 * Every check of verify's options that needs no Pact, in one place: checkVerifyInputs, then each target
 * (provider, provider-states set-up URL, broker) reachable. `pacts` are the pact arguments, or the canonical
 * contract when none. verifyProvider runs it once per run, whatever the profiles its pacts record.
 */
/**
 * verify's `broker`, asked member by member before the broker is dialled (decision 1122; outside finding R125): a
 * misspelt `tokne` was taken and the broker's 401 blamed a token the user never mis-set, `publish: 'yes'` and
 * `providerVersion: 5` went to Pact, the CLI's JSON text for `consumerVersionSelectors` was taken for the array.
 * BrokerOptions' every key (a new one cannot be left out).
 */
const BROKER_MEMBERS: NestedMembers = {
  what: 'an object of url, token, username, password, consumerVersionSelectors, enablePending, includeWipPactsSince, publish, providerVersion and providerBranch',
  members: {
    url: 'url',
    token: 'string',
    username: 'string',
    password: 'string',
    consumerVersionSelectors: ['array', 'an array of consumer version selectors, such as [{ mainBranch: true }]'],
    enablePending: 'boolean',
    includeWipPactsSince: ['string', 'a date, a string such as "2026-01-01"'],
    publish: 'boolean',
    providerVersion: 'string',
    providerBranch: 'string',
  } satisfies Record<keyof BrokerOptions, MemberKind>,
};

/**
 * Why a member of verify's options is of the wrong kind, or undefined (decision 0891): asked by verifyProvider,
 * verifyInWorker and checkVerifyOptions before any pact is read, where a member of the wrong kind failed inside
 * (`(options.publicHosts ?? []).map is not a function`) or was taken (a `clock` of 42 until the first throttled wait).
 * Numbers, URLs, the profile and the bearer keep their own rules and words.
 */
export function verifyMembersProblem(options: VerifyOptions): string | undefined {
  return (
    membersProblem(options, { bearer: 'string', broker: BROKER_MEMBERS, clock: 'clock', headers: ['object', 'an object of header names and values'], interaction: 'string', provider: 'string', publicHosts: 'strings', requestFilter: 'function', stateHandlers: ['object', 'an object of provider states and their handlers'], tls: TLS_TRUST_MEMBERS }) ??
    (options.pactFiles === undefined ? undefined : pathListProblem('pactFiles', options.pactFiles)) ??
    argumentProblem('providerBaseUrl', options.providerBaseUrl, 'url', undefined, 'optional') ??
    argumentProblem('providerStatesSetupUrl', options.providerStatesSetupUrl, 'url', undefined, 'optional') ??
    oneOfProblem('logLevel', options.logLevel, ['error', 'warn', 'info', 'debug', 'trace']) ??
    oneOfProblem('profile', options.profile, PROFILES) ??
    millisecondsOptionProblem('timeoutMs', options.timeoutMs) ??
    millisecondsOptionProblem('totalTimeoutMs', options.totalTimeoutMs) ??
    (options.maxThrottleWaitMs === undefined ? undefined : maxThrottleWaitProblem(options.maxThrottleWaitMs))
  );
}

export async function checkVerifyOptions(options: VerifyOptions, pacts: readonly string[]): Promise<CheckedVerifyInputs> {
  // Its options by verifyProvider's names (decision 0800): `checkVerifyOptions(42, files)` said pactFiles, its second.
  const shape = optionsObjectProblem('checkVerifyOptions', options, VERIFY_OPTION_NAMES, 'required') ?? verifyMembersProblem(options);
  if (shape) throw new TypeError(shape);
  const inputs = checkVerifyInputs(options, pacts);
  if (options.providerBaseUrl !== undefined) {
    await assertReachable(baseUrlOf(options.providerBaseUrl, '--provider-base-url', (message) => new VerificationSetupError(message)), 'the provider', { tls: options.tls });
  }
  if (inputs.statesUrl) await assertReachable(inputs.statesUrl, 'the provider-states set-up URL', { tls: options.tls });
  if (options.broker) await assertReachable(httpUrl(options.broker.url, '--broker-url', 'https://broker.example.com'), 'the Pact Broker', { tls: options.tls });
  return inputs;
}
