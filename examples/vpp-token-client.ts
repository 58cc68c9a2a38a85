// A minimal Graph client for POST /deviceAppManagement/vppTokens: the "code under test" of the consumer
// examples. It lives apart from the tests, as in pact-js's examples, so a test hands it the mock server's URL.
import type { GraphError, VppToken, VppTokenCreateRequest } from 'vpptokens-contract-kit';

export class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: GraphError | undefined,
  ) {
    super(`Graph answered ${status}${body ? `: ${body.error.code}: ${body.error.message}` : ''}`);
  }
}

export interface VppTokenClientOptions {
  /** e.g. https://graph.microsoft.com/beta, or a Pact mock server's URL. */
  baseUrl: string;
  /** Returns the access token; omit it to send no Authorization header. */
  accessToken?: () => Promise<string>;
}

export async function createVppToken(options: VppTokenClientOptions, vppToken: VppTokenCreateRequest): Promise<VppToken> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.accessToken) headers.Authorization = `Bearer ${await options.accessToken()}`;
  const response = await fetch(`${options.baseUrl}/deviceAppManagement/vppTokens`, { method: 'POST', headers, body: JSON.stringify(vppToken) });
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (response.status !== 201) throw new GraphRequestError(response.status, body as GraphError | undefined);
  return body as VppToken;
}
