import { refusalStatus } from '../judgement';
import { DEFAULT_PROFILE, toProfile, type Profile } from '../schemas';
import { problemsOf } from '../validation';
import { hideSecrets, secretValuesIn } from '../net';
import { headerLines, readMessage } from '../wire';
import { secretsOf } from './redact';
import type { ProxiedExchange } from './types';
import { argumentProblem, refuseArguments, pathProblem, membersProblem, optionsObjectProblem } from '../net/option';

export interface RecordPactOptions {
  /** The consumer named in the pact (default vpptokens-client, as check-client). */
  consumer?: string;
  /** The provider named in the pact (default microsoft-graph-vpptokens). */
  provider?: string;
  /** The Graph version of the pact (default beta): creates judged by another version are left out. */
  profile?: Profile;
}

export interface RecordedPact {
  /** The file written; undefined when no create could be recorded (no file is written then). */
  file?: string;
  /** Interactions written: one per distinct request shape. */
  interactions: number;
  /** Creates seen but not recordable, by reason (not judged, a header a pact can't describe, ...). */
  left: Record<string, number>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `body` with its properties in name order (code units): a shape is which properties, not a serializer's order. */
const byName = (body: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(body).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Writes a Pact V4 file of the creates the proxy saw: one interaction per distinct request shape (which
 * properties, which of them null, and how Graph answers it), each with the kit's strong rules: a create that
 * keeps the contract must get 201 with the created vppToken, one it refuses Graph's 400 (or 401 without an
 * Authorization header). What a pact describes is what the contract demands, not what the provider answered:
 * `verify` replays it against any provider. The client's VPP token is replaced by the kit's placeholder, its
 * bearer by the example one. Pact is loaded only here (a peer dependency).
 */
export async function recordPact(exchanges: readonly ProxiedExchange[], file: string, options: RecordPactOptions = {}): Promise<RecordedPact> {
  refuseArguments(argumentProblem('exchanges', exchanges, 'array', "an array of the proxy's exchanges, such as proxy.exchanges"), pathProblem('file', file), argumentProblem('options', options, 'object'));
  refuseArguments(optionsObjectProblem('recordPact', options, ['consumer', 'provider', 'profile']), membersProblem(options, { consumer: 'string', provider: 'string' }));
  if (options.profile !== undefined) toProfile(options.profile);
  const { DEFAULT_CONSUMER, EXAMPLE_AUTHORIZATION, VPP_TOKENS_PROVIDER, createInteraction, describeCreate, inPactOrder, placeholderTokens, rejectedCreateInteraction } = await import('../contract');
  const { writePactWhole } = await import('../contract/pact');
  // One placeholder per VPP token the client sent, never its own (outside tester I28).
  const placeholders = placeholderTokens();
  const written = new Set<string>();
  const placeholder = (token: string): string => {
    const shown = placeholders(token);
    written.add(shown);
    return shown;
  };
  type Spec = ReturnType<typeof createInteraction>;
  const profile = options.profile ?? DEFAULT_PROFILE;
  const specs = new Map<string, Spec>();
  const left: Record<string, number> = {};
  const leave = (why: string) => void (left[why] = (left[why] ?? 0) + 1);
  // Each create's body read once; the creates taken in an order of their own, not the order they came in, so the same
  // creates write the same bytes (outside tester P10).
  const bodies = new Map(exchanges.filter((e) => e.route === 'create').map((e) => [e, readMessage({ headers: e.request.rawHeaders, bytes: e.request.body ?? new Uint8Array() }).json?.value]));
  const bodyOf = (exchange: ProxiedExchange): Record<string, unknown> | undefined => {
    const body = bodies.get(exchange);
    return isObject(body) ? body : undefined;
  };
  // Ordered as their shapes are described below, by sorted names.
  for (const exchange of inPactOrder(exchanges, (e) => {
    const body = bodyOf(e);
    return body && byName(body);
  })) {
    // A create inside a JSON batch is judged, not recorded: a pact's interaction is a create on its own, and a
    // provider verifying it would be sent one the client never made (outside tester I21: "no create was seen").
    if (exchange.route === 'batch') for (let i = 0; i < (exchange.batched?.length ?? 0); i++) leave('inside a JSON batch');
    if (exchange.route !== 'create') continue;
    // A create an injected fault answered is recorded by its request as any other (decision 0433): the fault is the
    // proxy's draw, not the client's contract, so the same creates write the same bytes under any seed (outside tester Q7).
    if (exchange.notJudged) {
      leave('not judged');
      continue;
    }
    if (exchange.bodyNotJudged) {
      leave('a body not read whole (over --body-limit, or cut off after the answer)');
      continue;
    }
    if (exchange.profile !== profile) {
      leave(`judged by Graph ${exchange.profile}, not ${profile} (--profile)`);
      continue;
    }
    const body = bodyOf(exchange);
    if (body === undefined) {
      leave('a body that is not a JSON object the one reader takes (nested too deep, a name given twice, ...)');
      continue;
    }
    // The client's VPP token is a credential: a string one becomes the placeholder (an invalid one stays as it is),
    // under any key that holds one (a mis-cased `Token`, an sToken under another name).
    const secrets = new Set(secretValuesIn(body));
    const shown = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' && secrets.has(v) ? placeholder(v) : v]));
    const client = exchange.problems.filter((p) => p.side === 'client');
    const refusal = refusalStatus(client);
    // A shape is which properties, and which of them null: not the order a client's serializer writes them in.
    const shape = describeCreate(byName(shown));
    if (refusal === undefined) {
      if (!specs.has(shape)) specs.set(shape, createInteraction(shape, shown as never, { profile }));
    } else if (refusal === 400 && problemsOf('request', shown, profile).length > 0) {
      const description = `${shape}, refused with 400`;
      if (!specs.has(description)) specs.set(description, rejectedCreateInteraction(description, shown, { status: 400, profile }));
    } else if (refusal === 401 && !headerLines(exchange.request.rawHeaders).some((l) => l.name.toLowerCase() === 'authorization') && client.every((p) => p.check === 'authorization' || p.check === 'request schema')) {
      const description = `${shape}, without an Authorization header`;
      if (!specs.has(description)) specs.set(description, rejectedCreateInteraction(description, shown, { status: 401, authenticated: false, profile }));
    } else leave('a refusal a pact can\'t describe (a header or a duplicate property)');
  }
  const consumer = options.consumer ?? DEFAULT_CONSUMER;
  const provider = options.provider ?? VPP_TOKENS_PROVIDER;
  if (specs.size === 0) return { interactions: 0, left };
  // Every credential the proxy saw is hidden from the whole file: one nested where the placeholder did not go.
  // (Only those: the pact's example bearer stays a valid one for verify to send.)
  // Whole or not at all: a full disk leaves an earlier pact of that name as it was (decision 0221).
  // A placeholder of the kit's is no secret, even when the client sent it (a token copied from the kit's examples):
  // hiding it would leave "[token]" where the pact needs an sToken (I23 rest). Nor is the example bearer, which
  // shares a JWT's first 26 characters with most clients' bearers (outside tester P2). Every other secret is hidden.
  const rewrite = (text: string) => hideSecrets(text, { ...secretsOf(exchanges), keep: [...written, EXAMPLE_AUTHORIZATION] });
  await writePactWhole([...specs.values()], { consumer, provider, file, rewrite });
  return { file, interactions: specs.size, left };
}
