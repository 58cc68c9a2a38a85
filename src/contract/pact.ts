import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PactV4, V3MockServer as V4MockServer } from '@pact-foundation/pact';
import { createHttpClient, writeFileWhole } from '../net';
import { exampleOf } from './matchers';
import { strengthenPact } from './expectation';
import type { InteractionSpec } from './interactions';
import { VPP_TOKENS_PROVIDER, pactFileName, pactFileProblem } from './names';
import { argumentProblem, refuseArguments, millisecondsOptionProblem, membersProblem, optionsObjectProblem } from '../net/option';

type V4InteractionWithResponse = ReturnType<ReturnType<ReturnType<PactV4['addInteraction']>['withRequest']>['willRespondWith']>;

/** The file a PactV4 writes: `<dir>/<consumer>-<provider>.json`. */
export function pactFileOf(pact: PactV4): string {
  refuseArguments(pactOptsProblem(pact));
  const opts = (pact as unknown as { opts: { consumer: string; provider: string; dir?: string } }).opts;
  return join(opts.dir ?? './pacts', pactFileName(opts.consumer, opts.provider));
}

/** Why `pact`'s opts, which name its file, can't be read (outside check Y3: `pactFileOf({})` failed reading 'dir'). */
function pactOptsProblem(pact: unknown): string | undefined {
  const opts = (pact as { opts?: { dir?: unknown } } | null)?.opts;
  return argumentProblem('pact', pact, 'object', "pact-js's PactV4") ?? argumentProblem('pact.opts', opts, 'object', "pact-js's PactV4, whose opts name its consumer and provider") ?? argumentProblem('pact.opts.dir', opts?.dir, 'string', 'a folder, a string', 'optional');
}

/**
 * Why `pact` is no pact-js PactV4 whose interactions can be added (decision 1041): its addInteraction asked, the
 * mark of one, before it is called (`addInteraction({}, spec)` failed `pact.addInteraction is not a function`, and
 * `settleMockServer({}, ...)` said the installed pact-js had changed).
 */
function pactV4Problem(pact: unknown): string | undefined {
  return argumentProblem('pact', pact, 'object', "pact-js's PactV4") ?? argumentProblem('pact.addInteraction', (pact as { addInteraction?: unknown }).addInteraction, 'function', "a function: pact must be pact-js's PactV4, such as new PactV4({ consumer, provider })");
}

const SPEC = 'an interaction, such as createInteraction(description, request)';

/** Why an interaction's request can't be read: each member exampleRequest and addInteraction read, asked first. */
function specRequestProblem(spec: unknown, name = 'spec'): string | undefined {
  const request = (spec as { request?: Record<string, unknown> } | null)?.request;
  return (
    argumentProblem(name, spec, 'object', SPEC) ??
    argumentProblem(`${name}.request`, request, 'object', 'an object of method, path, headers and body, such as createInteraction(description, request).request') ??
    argumentProblem(`${name}.request.method`, request!.method, 'string') ??
    argumentProblem(`${name}.request.path`, request!.path, 'string') ??
    argumentProblem(`${name}.request.headers`, request!.headers, 'object', "an object of header names and values, with or without Pact's matchers")
  );
}

/** Why an interaction can't be added to a pact: its request (specRequestProblem), its words and its response (decision 1041). */
function specProblem(spec: unknown, name = 'spec'): string | undefined {
  const { description, providerState, response } = (spec ?? {}) as { description?: unknown; providerState?: unknown; response?: Record<string, unknown> };
  return (
    specRequestProblem(spec, name) ??
    argumentProblem(`${name}.description`, description, 'string') ??
    argumentProblem(`${name}.providerState`, providerState, 'string') ??
    argumentProblem(`${name}.response`, response, 'object', 'an object of status, headers and body, such as createInteraction(description, request).response') ??
    argumentProblem(`${name}.response.status`, response!.status, 'number') ??
    argumentProblem(`${name}.response.headers`, response!.headers, 'object', "an object of header names and values, with or without Pact's matchers")
  );
}

/**
 * Adds one interaction to a PactV4 and returns it ready for executeTest. When the test passed and Pact wrote its
 * file, the kit writes the schema's full response rules into it (strengthenPact): a consumer test gets them with
 * no extra step.
 */
export function addInteraction(pact: PactV4, spec: InteractionSpec): V4InteractionWithResponse {
  // Its opts too: read after the test, to find the file to strengthen.
  refuseArguments(pactV4Problem(pact), pactOptsProblem(pact), specProblem(spec));
  const interaction = pact
    .addInteraction()
    .given(spec.providerState)
    .uponReceiving(spec.description)
    .withRequest(spec.request.method, spec.request.path, (builder) => {
      builder.headers(spec.request.headers as never);
      if (spec.request.body !== undefined) builder.jsonBody(spec.request.body);
    })
    .willRespondWith(spec.response.status, (builder) => {
      builder.headers(spec.response.headers as never);
      builder.jsonBody(spec.response.body);
    });
  const execute = interaction.executeTest.bind(interaction);
  interaction.executeTest = (async (testFn: Parameters<typeof execute>[0]) => {
    const value = await execute(testFn);
    const file = pactFileOf(pact);
    if (existsSync(file)) strengthenPact(file, spec.profile);
    return value;
  }) as typeof interaction.executeTest;
  return interaction;
}

/** The request an interaction describes, with its example values: what a consumer sends. */
export function exampleRequest(spec: InteractionSpec, baseUrl: string): { url: string; init: RequestInit } {
  refuseArguments(argumentProblem('spec', spec, 'object', SPEC), argumentProblem('baseUrl', baseUrl, 'string', "a URL, such as the mock server's url"), specRequestProblem(spec));
  const headers = exampleOf(spec.request.headers) as Record<string, string>;
  const body = spec.request.body === undefined ? undefined : JSON.stringify(exampleOf(spec.request.body));
  return { url: `${baseUrl}${spec.request.path}`, init: { method: spec.request.method, headers, body } };
}

export interface WritePactOptions {
  consumer: string;
  provider?: string;
  /** Folder for `<consumer>-<provider>.json`. */
  dir: string;
  /** Sends the interaction's request to the Pact mock server; by default its example request, on a fresh connection. */
  send?: (spec: InteractionSpec, mockServer: V4MockServer) => Promise<unknown>;
}

/**
 * Writes a Pact file holding `specs`, by running each against Pact's own mock server (Pact writes a file only
 * for interactions that were really exercised). Interactions merge into an existing file of the same name.
 */
export async function writePact(specs: readonly InteractionSpec[], options: WritePactOptions): Promise<string> {
  refuseArguments(argumentProblem('specs', specs, 'array', 'an array of interactions, such as canonicalInteractions()'), argumentProblem('options', options, 'object', 'an object of dir and the pact\'s names'));
  refuseArguments(optionsObjectProblem('writePact', options, ['consumer', 'provider', 'dir', 'send']), argumentProblem('dir', options.dir, 'string', 'a folder, a string'), argumentProblem('consumer', options.consumer, 'string', "a string, the pact's consumer"), membersProblem(options, { provider: 'string', send: 'function' }));
  // Each interaction as addInteraction asks one (decision 1041: `writePact([{}], ...)` failed in Pact's words, `PactffiGiven(arg 1) expected a string`).
  refuseArguments(...specs.map((spec, i) => specProblem(spec, `specs[${i}]`)));
  process.env.PACT_DO_NOT_TRACK ??= 'true';
  const provider = options.provider ?? VPP_TOKENS_PROVIDER;
  // The file is named by them: a name that can't be one file's (a `/`, past 255 bytes) is refused before Pact runs.
  const named = pactFileProblem({ consumer: options.consumer, provider }, { consumer: 'consumer', provider: 'provider' });
  if (named) throw new TypeError(`writePact: ${named}`);
  const send =
    options.send ??
    ((spec: InteractionSpec, mockServer: V4MockServer) => {
      const { url, init } = exampleRequest(spec, mockServer.url);
      return sendOnce(url, init);
    });
  // pact-core, not pact-js's DSL, is loaded when a pact is written, not when the contract is imported (decisions
  // 0160, 0550). Each interaction gets a pact of its own, written and merged into the file, as pact-js's PactV4 does
  // (it makes a new pact after each executeTest).
  const makeConsumerPact = pactCore().makeConsumerPact;
  for (const spec of specs) {
    const pact = makeConsumerPact(options.consumer, provider, SPECIFICATION_VERSION_V4, 'error');
    pact.addMetadata('pact-js', 'version', PACT_JS_VERSION);
    describeInteraction(pact.newInteraction(''), spec);
    await executeOnMockServer(pact, options.dir, async (mockServer) => {
      await send(spec, mockServer);
      if (pactHasMockServerRace()) await settleMatched((port) => pact.mockServerMatchedSuccessfully(port), mockServer.port);
    });
    const file = join(options.dir, pactFileName(options.consumer, provider));
    if (existsSync(file)) strengthenPact(file, spec.profile);
  }
  return `${options.dir}/${options.consumer}-${provider}.json`;
}

/** pact-js's `SpecificationVersion.SPECIFICATION_VERSION_V4`, the spec PactV4 writes (pact-core's FFI enum, not "4"). */
const SPECIFICATION_VERSION_V4 = 5;

/** A JSON text of a matcher or value, a string as it is: pact-js's `matcherValueOrString`. */
const matcherValueOrString = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The parts of pact-core's consumer interaction writePact uses (pact-core 19 and 20 alike). */
interface CoreInteraction {
  given(state: string): boolean;
  uponReceiving(description: string): boolean;
  withRequest(method: string, path: string): boolean;
  withRequestHeader(name: string, index: number, value: string): boolean;
  withRequestBody(body: string, contentType: string): boolean;
  withStatus(status: number): boolean;
  withResponseHeader(name: string, index: number, value: string): boolean;
  withResponseBody(body: string, contentType: string): boolean;
}

/** The parts of pact-core's consumer pact writePact uses. */
interface CorePact {
  addMetadata(namespace: string, name: string, value: string): boolean;
  newInteraction(description: string): CoreInteraction;
  createMockServer(address: string, port: number, tls: boolean): number;
  /** pact-core 20 (pact-js 17), which pact-js 17's executeTest calls. */
  pactffiCreateMockServerForTransport?(address: string, transport: string, config: string, port?: number): number;
  mockServerMatchedSuccessfully(port: number): boolean;
  mockServerMismatches(port: number): unknown[];
  cleanupMockServer(port: number): boolean;
  cleanupPlugins(): void;
  writePactFile(dir: string, merge?: boolean): void;
}

/** pact-core, the one the installed pact-js requires (resolved from pact-js, as verify resolves it). */
export function pactCore(): { makeConsumerPact(consumer: string, provider: string, version: number, logLevel: string): CorePact } {
  return createRequire(require.resolve('@pact-foundation/pact/package.json'))('@pact-foundation/pact-core');
}

/**
 * An interaction described to pact-core as pact-js's V4 DSL describes it (given, uponReceiving, withRequest's
 * builder's headers and jsonBody, willRespondWith's), without the DSL's modules: they load ramda and, through
 * pact-js's `src/v4` index, graphql, about 0.3 s of CPU in each process that writes a pact (decision 0550).
 */
function describeInteraction(interaction: CoreInteraction, spec: InteractionSpec): void {
  interaction.given(spec.providerState);
  interaction.uponReceiving(spec.description);
  interaction.withRequest(spec.request.method, matcherValueOrString(spec.request.path));
  for (const [name, value] of Object.entries(spec.request.headers)) {
    const values = Array.isArray(value) ? value : [value];
    values.forEach((one, index) => interaction.withRequestHeader(name, index, matcherValueOrString(one)));
  }
  if (spec.request.body !== undefined) interaction.withRequestBody(matcherValueOrString(spec.request.body), 'application/json');
  interaction.withStatus(spec.response.status);
  for (const [name, value] of Object.entries(spec.response.headers)) interaction.withResponseHeader(name, 0, matcherValueOrString(value));
  interaction.withResponseBody(matcherValueOrString(spec.response.body), 'application/json');
}

/**
 * pact-js's V4 `executeTest` (src/v4/http, pact-js 16.4 and 17.1): a mock server on 127.0.0.1 (pact-js 17's with
 * CORS preflight answered, its default), the test, then the pact written if Pact matched every request, the server
 * and plugins cleaned up either way. Its error texts are pact-js's own, loaded only when there is one to say.
 */
async function executeOnMockServer(pact: CorePact, dir: string, testFn: (mockServer: V4MockServer) => Promise<void>): Promise<void> {
  const host = '127.0.0.1';
  let port: number;
  if (typeof pact.pactffiCreateMockServerForTransport === 'function') {
    port = pact.pactffiCreateMockServerForTransport(host, 'http', JSON.stringify({ corsPreflight: true }), undefined);
    if (port <= 0) throw new Error(`Failed to start mock server: received error code ${port}`);
  } else port = pact.createMockServer(host, 0, false);
  const cleanup = (success: boolean): void => {
    if (success) pact.writePactFile(dir);
    pact.cleanupMockServer(port);
    pact.cleanupPlugins();
  };
  let error: Error | undefined;
  try {
    await testFn({ port, url: `http://${host}:${port}`, id: 'unknown' });
  } catch (thrown) {
    error = thrown instanceof Error ? thrown : new Error(String(thrown));
  }
  const mismatches = pact.mockServerMismatches(port);
  const display = (): PactDisplay => require('@pact-foundation/pact/src/v3/display');
  if (!pact.mockServerMatchedSuccessfully(port) && mismatches.length > 0 && display().filterMissingFeatureFlag(mismatches).length > 0) {
    const message = `Test failed for the following reasons:\n\n  ${display().generateMockServerError(mismatches, '\t')}`;
    cleanup(false);
    if (error) {
      (require('@pact-foundation/pact/src/common/logger') as { default: { error(text: string): void } }).default.error(message);
      throw error;
    }
    throw new Error(message);
  }
  if (error) {
    cleanup(false);
    throw error;
  }
  cleanup(true);
}

/** pact-js's `src/v3/display` (it loads ramda: only when Pact reports a mismatch). */
interface PactDisplay {
  filterMissingFeatureFlag(mismatches: unknown[]): unknown[];
  generateMockServerError(mismatches: unknown[], indent: string): string;
}

/**
 * Pact's core could not write a pact file (a full disk, a file-size limit): it says why in its own log line, the
 * error it hands pact-js does not (outside tester Q12).
 */
export class PactNotWrittenError extends Error {
  constructor(readonly file: string) {
    super(`Pact's core could not write it (its own log line above gives the system's reason)`);
    this.name = 'PactNotWrittenError';
  }
}

/**
 * Writes the pact of `specs` to `file`, whole or not at all (decision 0221; outside tester Q12: a full disk left a
 * cut file in place of the last good pact, and a CI step published it). Pact writes it in a folder of its own,
 * `rewrite` may change its text (the proxy hides credentials), and the text then takes the file's name by a rename
 * (writeFileWhole). A file already there is replaced, not merged into. Throws PactNotWrittenError when Pact's core
 * could not write, or the system's error when the file could not take its place; the file there is kept either way.
 */
export async function writePactWhole(
  specs: readonly InteractionSpec[],
  options: Omit<WritePactOptions, 'dir'> & { file: string; rewrite?: (text: string) => string },
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-pact-'));
  try {
    let written: string;
    try {
      const { file: _file, rewrite: _rewrite, ...named } = options;
      written = await writePact(specs, { ...named, dir });
    } catch (error) {
      if (error instanceof Error && /unable to write the pact file/i.test(error.message)) throw new PactNotWrittenError(options.file);
      throw error;
    }
    const text = readFileSync(written, 'utf8');
    writeFileWhole(options.file, options.rewrite ? options.rewrite(text) : text);
    return options.file;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The installed pact-js (a peer dependency: the user's own copy). */
export const PACT_JS_VERSION: string = require('@pact-foundation/pact/package.json').version;

/**
 * Whether the installed pact-js has the mock server's booking race (pact-foundation/pact-reference#535): within
 * the supported range (>=16.4 <18), 16.x (pact-core 19) does and 17.x (pact-core 20) does not
 * (scripts/probe-mock-race.js: 20 of 1,000 rounds failed on 16.4.0, none of 1,000 on 17.1.4; docs/decisions/0004).
 */
export function pactHasMockServerRace(version: string = PACT_JS_VERSION): boolean {
  refuseArguments(argumentProblem('version', version, 'string', "pact-js's version, such as 16.4.0"));
  return Number(version.split('.')[0]) < 17;
}

type MatchedCheck = (port: number) => boolean;

/**
 * pact-js's private pact-core handle's `mockServerMatchedSuccessfully`, which settleMockServer polls; undefined
 * when the installed pact-js keeps it elsewhere (a test fails loudly then: tests/contract/settle.test.ts).
 */
export function mockServerMatchedCheck(pact: PactV4): MatchedCheck | undefined {
  refuseArguments(pactV4Problem(pact));
  const core = (pact as unknown as { pact?: { mockServerMatchedSuccessfully?: MatchedCheck } }).pact;
  return typeof core?.mockServerMatchedSuccessfully === 'function' ? core.mockServerMatchedSuccessfully.bind(core) : undefined;
}

/**
 * Waits until Pact's mock server has booked the requests it already answered. Under load pact-js 16.3/16.4 can
 * answer a request before it records the match, and executeTest then reports "expected but not received"
 * (pact-foundation/pact-reference#535, pact-js#1835). Call it at the end of an executeTest body: with a pact-js
 * that has no such race (17) it returns at once; with one that has it, it polls pact-core, and throws if pact-js
 * no longer exposes what it polls (rather than quietly letting the flake return).
 */
export async function settleMockServer(pact: PactV4, mockServer: V4MockServer, timeoutMs = 2000): Promise<void> {
  refuseArguments(pactV4Problem(pact), argumentProblem('mockServer', mockServer, 'object', "the mock server Pact's executeTest gives"), millisecondsOptionProblem('timeoutMs', timeoutMs, 'from 0'));
  refuseArguments(argumentProblem('mockServer.port', mockServer.port, 'number', "the port of the mock server Pact's executeTest gives"));
  if (!pactHasMockServerRace()) return;
  const matched = mockServerMatchedCheck(pact);
  if (!matched) {
    throw new Error(
      `settleMockServer: pact-js ${PACT_JS_VERSION} no longer exposes its pact-core handle's mockServerMatchedSuccessfully; ` +
        'use pact-js 17 (no race) or a vpptokens-contract-kit that knows this version',
    );
  }
  await settleMatched(matched, mockServer.port, timeoutMs);
}

/** Polls pact-core until the mock server on `port` has booked what it answered, for at most `timeoutMs`. */
async function settleMatched(matched: MatchedCheck, port: number, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!matched(port) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * One request on a fresh connection (the kit's one HTTP client, src/net). Mock servers come and go on recycled
 * ports, and a pooled keep-alive connection to a closed one (fetch's default) can swallow a request.
 */
async function sendOnce(url: string, init: RequestInit): Promise<void> {
  const client = createHttpClient({ keepAlive: false });
  try {
    const outcome = await client.send({ method: init.method ?? 'GET', url, headers: init.headers as Record<string, string>, body: init.body as string | undefined });
    if (outcome.kind === 'failure') throw Object.assign(new Error(`${init.method} ${url}: ${outcome.message}`), { code: outcome.code });
  } finally {
    client.close();
  }
}
