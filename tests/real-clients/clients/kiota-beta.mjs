// The Kiota-generated Graph beta SDK (@microsoft/msgraph-beta-sdk) creating a vppToken at $VPPKIT_MOCK_URL.
// The fluent .deviceAppManagement package is not on npm, so the request goes through the SDK's own request
// adapter, serializer and error mapping, as the generated request builder would send it.
// Usage: node kiota-beta.mjs '<vppToken JSON, dates as strings>' [expected status, default 201]
import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider, HttpMethod, RequestInformation } from '@microsoft/kiota-abstractions';
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk/graphBetaRequestAdapter.js';
import { createVppTokenFromDiscriminatorValue, serializeVppToken } from '@microsoft/msgraph-beta-sdk/models/index.js';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js';

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
  getAuthorizationToken: async () => (withToken ? 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.' : ''),
  getAllowedHostsValidator: () => new AllowedHostsValidator(new Set(['127.0.0.1', 'localhost'])),
});
const adapter = new GraphBetaRequestAdapter(auth);
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
