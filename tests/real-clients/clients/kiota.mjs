// A Kiota-generated Graph SDK creating a vppToken at $VPPKIT_MOCK_URL: the beta SDK (@microsoft/msgraph-beta-sdk),
// or with GRAPH_SDK=v1.0 the v1.0 SDK (@microsoft/msgraph-sdk). The fluent .deviceAppManagement packages are not
// on npm, so the request goes through the SDK's own request adapter, serializer and error mapping, as the
// generated request builder would send it.
// Usage: [GRAPH_SDK=v1.0] node kiota.mjs '<vppToken JSON, dates as strings>' [expected status, default 201] [no-auth]
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

const body = toModel(JSON.parse(process.argv[2]));
const expected = Number(process.argv[3] ?? 201);
const withToken = process.argv[4] !== 'no-auth';
const auth = new BaseBearerTokenAuthenticationProvider({
  getAuthorizationToken: async () => (withToken ? (process.env.CLIENT_BEARER ?? 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.') : ''),
  getAllowedHostsValidator: () => new AllowedHostsValidator(new Set(['127.0.0.1', 'localhost'])),
});
const adapter = new RequestAdapter(auth);
adapter.baseUrl = process.env.VPPKIT_MOCK_URL;
const request = new RequestInformation(HttpMethod.POST, '{+baseurl}/deviceAppManagement/vppTokens');
request.headers.tryAdd('Accept', 'application/json');
request.setContentFromParsable(adapter, 'application/json', body, serializeVppToken);

try {
  const created = await adapter.send(request, createVppTokenFromDiscriminatorValue, { XXX: createODataErrorFromDiscriminatorValue });
  if (expected !== 201 || typeof created?.id !== 'string') {
    console.error(`expected ${expected}, got a created vppToken ${JSON.stringify(created?.id)}`);
    process.exit(1);
  }
  console.log(`created ${created.id}`);
} catch (error) {
  // Kiota names the ODataError's main error `errorEscaped` (error clashes with a reserved name).
  const main = error?.error ?? error?.errorEscaped;
  if (error?.responseStatusCode === expected && typeof main?.code === 'string') {
    console.log(`refused with ${expected} ${main.code}`);
  } else {
    console.error(`expected ${expected}, got ${error?.responseStatusCode}: ${error?.message}`);
    process.exit(1);
  }
}
