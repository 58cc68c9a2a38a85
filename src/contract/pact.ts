import { PactV4, type V3MockServer as V4MockServer } from '@pact-foundation/pact';
import { exampleOf } from './matchers';
import { VPP_TOKENS_PROVIDER, type InteractionSpec } from './interactions';

type V4InteractionWithResponse = ReturnType<ReturnType<ReturnType<PactV4['addInteraction']>['withRequest']>['willRespondWith']>;

/** Adds one interaction to a PactV4 and returns it ready for executeTest. */
export function addInteraction(pact: PactV4, spec: InteractionSpec): V4InteractionWithResponse {
  return pact
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
}

/** The request an interaction describes, with its example values: what a consumer sends. */
export function exampleRequest(spec: InteractionSpec, baseUrl: string): { url: string; init: RequestInit } {
  const headers = exampleOf(spec.request.headers) as Record<string, string>;
  const body = spec.request.body === undefined ? undefined : JSON.stringify(exampleOf(spec.request.body));
  return { url: `${baseUrl}${spec.request.path}`, init: { method: spec.request.method, headers, body } };
}

export interface WritePactOptions {
  consumer: string;
  provider?: string;
  /** Folder for `<consumer>-<provider>.json`. */
  dir: string;
  /** Sends the interaction's request to the Pact mock server; by default its example request, with fetch. */
  send?: (spec: InteractionSpec, mockServer: V4MockServer) => Promise<unknown>;
}

/**
 * Writes a Pact file holding `specs`, by running each against Pact's own mock server (Pact writes a file only
 * for interactions that were really exercised). Interactions merge into an existing file of the same name.
 */
export async function writePact(specs: readonly InteractionSpec[], options: WritePactOptions): Promise<string> {
  process.env.PACT_DO_NOT_TRACK ??= 'true';
  const provider = options.provider ?? VPP_TOKENS_PROVIDER;
  const send =
    options.send ??
    (async (spec: InteractionSpec, mockServer: V4MockServer) => {
      const { url, init } = exampleRequest(spec, mockServer.url);
      const response = await fetch(url, init);
      await response.arrayBuffer();
    });
  for (const spec of specs) {
    const pact = new PactV4({ consumer: options.consumer, provider, dir: options.dir, logLevel: 'error' });
    await addInteraction(pact, spec).executeTest((mockServer) => send(spec, mockServer));
  }
  return `${options.dir}/${options.consumer}-${provider}.json`;
}
