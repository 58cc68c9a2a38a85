// A minimal Pact Broker for tests: the HAL index, pacts-for-verification, one pact, and a place to publish
// verification results. It records every request so a test can see what the verifier asked and published.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BrokerRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: unknown;
}

/**
 * `noPacts`: the selection holds no pact for the provider (a provider no consumer has a pact with yet). `pending`:
 * the broker marks its pact pending (no version of the provider has verified it yet). `silent`: the requests the
 * broker takes and never answers (a hung broker). `publishStatus`: what it answers a publication (default 201).
 * The pact is served as a Pact Broker serves one: each interaction with its `_id` first (pact_broker's
 * `Content#with_ids`), which Pact's published results name. `branches: false`: a broker before branch support (Pact
 * Broker 2.86), whose provider resource has no `pb:branch-version` link; `providerLink: false`: its pact has no
 * `pb:provider` link; `publishLink: false`: no `pb:publish-verification-results` link; `branchStatus`: what it answers the
 * provider branch's PUT (default 200). `versions`: how many versions of the pact it selects (pact-version/1 to N, the
 * same pact each; `publishStatus` may then be a function of the version). `redirect`: a request it answers with a redirect instead (given its method, path
 * and the broker's own origin, the status and Location to answer, or undefined to answer as a broker).
 * `pactFile` may be several files: the broker then selects each, version n the n-th file's pact (a V3 message pact
 * among them: its messages get their `_id`s too).
 */
export async function startFakeBroker(
  pactFile: string | readonly string[],
  provider: string,
  {
    noPacts = false,
    pending = false,
    silent = (_method: string, _path: string): boolean => false,
    publishStatus = 201 as number | ((version: number) => number),
    versions = 1,
    branches = true,
    providerLink = true,
    publishLink = true,
    branchStatus = 200,
    redirect = (_method: string, _path: string, _origin: string): { status: number; location: string } | undefined => undefined,
  } = {},
): Promise<{ url: string; requests: BrokerRequest[]; close: () => Promise<void> }> {
  const requests: BrokerRequest[] = [];
  // Several files: version n is the n-th file's pact (a broker selecting pacts of several kinds for the provider).
  const files = typeof pactFile === 'string' ? [pactFile] : pactFile;
  const selected = typeof pactFile === 'string' ? versions : files.length;
  const withIds = (entries: unknown[] | undefined, kind: string) => entries?.map((entry, i) => (typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? { _id: `${kind}-${i + 1}`, ...entry } : entry));
  const pacts = files.map((file) => {
    const read = JSON.parse(readFileSync(file, 'utf8')) as { consumer: { name: string }; interactions?: unknown[]; messages?: unknown[] };
    // A V3 message pact's messages get theirs as interactions do (pact_broker's `Content#with_ids` reads both).
    return { ...read, ...(read.interactions ? { interactions: withIds(read.interactions, 'interaction') } : {}), ...(Array.isArray(read.messages) ? { messages: withIds(read.messages, 'message') } : {}) };
  });
  let base = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0];
      requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body: text ? JSON.parse(text) : undefined });
      if (silent(req.method ?? '', path)) return;
      const redirected = redirect(req.method ?? '', path, base);
      if (redirected) return res.writeHead(redirected.status, { Location: redirected.location }).end();
      const pactOf = (version: number) => pacts[Math.min(version, pacts.length) - 1];
      const pactPathOf = (version: number) => `/pacts/provider/${provider}/consumer/${pactOf(version).consumer.name}/pact-version/${version}`;
      const version = Number(/\/pact-version\/(\d+)(\/verification-results)?$/.exec(path)?.[1] ?? 1);
      const pact = pactOf(version);
      const pactPath = pactPathOf(version);
      const statusOfPublish = typeof publishStatus === 'function' ? publishStatus(version) : publishStatus;
      const send = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/hal+json' }).end(JSON.stringify(body));
      if (req.method === 'GET' && path === '/') {
        return send(200, { _links: { 'pb:provider-pacts-for-verification': { href: `${base}/pacts/provider/{provider}/for-verification`, templated: true } } });
      }
      if (req.method === 'GET' && path === `/pacts/provider/${provider}/for-verification`) {
        return send(200, { _links: { self: { href: `${base}${path}` } } });
      }
      if (req.method === 'POST' && path === `/pacts/provider/${provider}/for-verification`) {
        if (noPacts) return send(200, { _embedded: { pacts: [] }, _links: { self: { href: `${base}${path}` } } });
        return send(200, { _embedded: { pacts: Array.from({ length: selected }, (_, i) => ({ shortDescription: 'latest', verificationProperties: { pending, notices: [] }, _links: { self: { href: `${base}${pactPathOf(i + 1)}`, name: 'pact' } } })) } });
      }
      if (req.method === 'GET' && path === pactPath && version <= selected) {
        return send(200, {
          ...pact,
          _links: { ...(publishLink ? { 'pb:publish-verification-results': { href: `${base}${pactPath}/verification-results` } } : {}), ...(providerLink ? { 'pb:provider': { href: `${base}/pacticipants/${provider}` } } : {}) },
        });
      }
      if (req.method === 'GET' && path === `/pacticipants/${provider}`) {
        return send(200, { name: provider, _links: { self: { href: `${base}${path}` }, ...(branches ? { 'pb:branch-version': { href: `${base}/pacticipants/${provider}/branches/{branch}/versions/{version}`, templated: true } } : {}) } });
      }
      if (req.method === 'PUT' && path.startsWith(`/pacticipants/${provider}/branches/`)) {
        return send(branchStatus, branchStatus < 300 ? { number: path.split('/').pop() } : { error: 'not now' });
      }
      // A Pact Broker takes results with 201 and the new verification as HAL (pact_broker's VerificationDecorator).
      if (req.method === 'POST' && path === `${pactPath}/verification-results`) return send(statusOfPublish, statusOfPublish < 300 ? { success: true, _links: { self: { title: 'Verification result', href: `${base}${path}/1` } } } : { error: 'not now' });
      return send(404, { error: `no ${req.method} ${path} here` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // A silent broker's requests are still open.
        server.closeAllConnections();
      }),
  };
}
