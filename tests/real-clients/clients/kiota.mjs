// A Kiota-generated Graph SDK creating vppTokens, as an application would: the beta SDK (@microsoft/msgraph-beta-sdk),
// or with GRAPH_SDK=v1.0 the v1.0 SDK (@microsoft/msgraph-sdk). The fluent .deviceAppManagement packages are not
// on npm, so the request goes through the SDK's own request adapter, serializer and error mapping, as the
// generated request builder would send it.
// Usage: [GRAPH_SDK=v1.0] node kiota.mjs --lines   (one create per line of stdin, as JSON {url, body, status, auth};
//        one line back per create: its outcome, or `failed: <why>`), so a test file sends all its creates from one
//        process (decision 0712).
// CLIENT_BEARER replaces the access token it sends (a test can then look for it where it must not be).
import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider, HttpMethod, RequestInformation } from '@microsoft/kiota-abstractions';

const v1 = process.env.GRAPH_SDK === 'v1.0';
const sdk = v1 ? '@microsoft/msgraph-sdk' : '@microsoft/msgraph-beta-sdk';
const adapterModule = await import(v1 ? `${sdk}/graphRequestAdapter.js` : `${sdk}/graphBetaRequestAdapter.js`);
const RequestAdapter = v1 ? adapterModule.GraphRequestAdapter : adapterModule.GraphBetaRequestAdapter;
const { createVppTokenFromDiscriminatorValue, serializeVppToken } = await import(`${sdk}/models/index.js`);
const { createODataErrorFromDiscriminatorValue } = await import(`${sdk}/models/oDataErrors/index.js`);

const DATES = ['expirationDateTime', 'lastSyncDateTime', 'lastModifiedDateTime', 'startDateTime', 'lastUpdatedDateTime'];
// Kiota models take Date objects and camelCase odataType, as an application would build them.
function toModel(value) {
  if (Array.isArray(value)) return value.map(toModel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k === '@odata.type' ? 'odataType' : k, DATES.includes(k) && typeof v === 'string' ? new Date(v) : toModel(v)]),
  );
}

/** Creates `json` at `url` as an application would; resolves to the outcome line, rejects with why it was unexpected. */
async function create(url, json, expected, withToken) {
  const body = toModel(json);
  const auth = new BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: async () => (withToken ? (process.env.CLIENT_BEARER ?? 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.') : ''),
    getAllowedHostsValidator: () => new AllowedHostsValidator(new Set(['127.0.0.1', 'localhost'])),
  });
  const adapter = new RequestAdapter(auth);
  adapter.baseUrl = url;
  const request = new RequestInformation(HttpMethod.POST, '{+baseurl}/deviceAppManagement/vppTokens');
  request.headers.tryAdd('Accept', 'application/json');
  request.setContentFromParsable(adapter, 'application/json', body, serializeVppToken);
  let created;
  try {
    created = await adapter.send(request, createVppTokenFromDiscriminatorValue, { XXX: createODataErrorFromDiscriminatorValue });
  } catch (error) {
    // Kiota names the ODataError's main error `errorEscaped` (error clashes with a reserved name).
    const main = error?.error ?? error?.errorEscaped;
    if (error?.responseStatusCode === expected && typeof main?.code === 'string') return `refused with ${expected} ${main.code}`;
    throw new Error(`expected ${expected}, got ${error?.responseStatusCode}: ${error?.message}`);
  }
  if (expected !== 201 || typeof created?.id !== 'string') throw new Error(`expected ${expected}, got a created vppToken ${JSON.stringify(created?.id)}`);
  return `created ${created.id}`;
}

if (process.argv[2] === '--lines') {
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: process.stdin })) {
    const { url, body, status, auth } = JSON.parse(line);
    const outcome = await create(url, body, status, auth).catch((error) => `failed: ${error.message}`);
    process.stdout.write(`${outcome}\n`);
  }
} else {
  console.error('usage: node kiota.mjs --lines');
  process.exit(2);
}
