// Measures what Microsoft's Graph clients do when Graph fails (README "Clients under failure"): the classic
// client (@microsoft/microsoft-graph-client 3.0.7, its stock RetryHandler) and the Kiota beta SDK
// (@microsoft/msgraph-beta-sdk, its default middleware), each creating vppTokens one after another through the
// reference provider with faults, judged by judgeClientBehaviour on the provider's traffic.
// Run after a build: npm run build && node scripts/measure-real-clients.mjs [count, default 50]
import { Client, HTTPMessageHandler, RetryHandler } from '@microsoft/microsoft-graph-client';
import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider, HttpMethod, RequestInformation } from '@microsoft/kiota-abstractions';
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk/graphBetaRequestAdapter.js';
import { createVppTokenFromDiscriminatorValue, serializeVppToken } from '@microsoft/msgraph-beta-sdk/models/index.js';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js';
import { createRequestFactory, judgeClientBehaviour } from 'vpptokens-contract-kit';
import { startReferenceProvider } from 'vpptokens-contract-kit/provider';

const BEARER = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.';

/** The classic client: a bearer middleware (it sends no token over http), its stock RetryHandler, then HTTP. */
function classic(baseUrl) {
  const bearer = {
    setNext(next) {
      this.next = next;
    },
    execute(context) {
      (context.options.headers ??= {}).Authorization = `Bearer ${BEARER}`;
      return this.next.execute(context);
    },
  };
  const retry = new RetryHandler();
  bearer.setNext(retry);
  retry.setNext(new HTTPMessageHandler());
  const client = Client.initWithMiddleware({ middleware: bearer, baseUrl, defaultVersion: 'beta' });
  return (body) => client.api('/deviceAppManagement/vppTokens').post(body);
}

/** The Kiota beta SDK's request adapter, with its default middleware (retry, redirect, ...). */
function kiota(baseUrl) {
  const auth = new BaseBearerTokenAuthenticationProvider({ getAuthorizationToken: async () => BEARER, getAllowedHostsValidator: () => new AllowedHostsValidator(new Set(['127.0.0.1'])) });
  const adapter = new GraphBetaRequestAdapter(auth);
  adapter.baseUrl = `${baseUrl}/beta`;
  return (body) => {
    const request = new RequestInformation(HttpMethod.POST, '{+baseurl}/deviceAppManagement/vppTokens');
    request.headers.tryAdd('Accept', 'application/json');
    request.setContentFromParsable(adapter, 'application/json', body, serializeVppToken);
    return adapter.send(request, createVppTokenFromDiscriminatorValue, { XXX: createODataErrorFromDiscriminatorValue });
  };
}

async function measure(name, makeClient, faults, count) {
  const provider = await startReferenceProvider({ faults });
  const started = Date.now();
  let answered201 = 0;
  let errors = 0;
  try {
    const create = makeClient(provider.url);
    for (const body of createRequestFactory.withSeed(16).withTraits('minimal').buildList(count)) {
      try {
        await create(body);
        answered201++;
      } catch {
        errors++;
      }
    }
  } finally {
    await provider.close();
  }
  const verdict = judgeClientBehaviour(provider.traffic, { clientSucceeded: errors === 0 });
  const failed = verdict.checks.filter((c) => !c.passed).map((c) => `${c.name} (${c.findings.length})`);
  return {
    client: name,
    faults: provider.faults.description.replace(/^faults: /, ''),
    'creates asked': count,
    'app saw': `${answered201} created, ${errors} errors`,
    requests: verdict.counts.creates,
    'tokens on the server': provider.vppTokens.size,
    duplicates: verdict.counts.duplicates,
    'checks failed': failed.join(', ') || 'none',
    seconds: ((Date.now() - started) / 1000).toFixed(1),
  };
}

const count = Number(process.argv[2] ?? 50);
const rows = [];
for (const [name, client] of [['classic 3.0.7 + RetryHandler', classic], ['Kiota beta SDK (default middleware)', kiota]]) {
  rows.push(await measure(name, client, { failRate: 0.2, failWith: ['504-after-create'], seed: 16 }, count));
  rows.push(await measure(name, client, { rateLimit: { requests: 5, seconds: 1 }, seed: 16 }, Math.min(count, 20)));
}
console.table(rows);
