// A 201's links to the created vppToken name it where it was created (outside attacker J1). `@odata.id` and
// `@odata.editLink` are the entity-id and the URL to edit it (OData JSON 4.01 §4.5.8, §4.5.9), resolved against the
// context URL (§4.3): they must be `<service root>/deviceAppManagement/vppTokens('ID')`, as Location must. The rule
// is the judgement's, so verify, conform and the proxy say the same.
import { resourceIdentityProblems } from 'vpptokens-contract-kit';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const target = (scheme: 'http' | 'https') => `${scheme}://127.0.0.1:4010/beta/deviceAppManagement/vppTokens`;
const context = (scheme: 'http' | 'https') => `${scheme}://127.0.0.1:4010/beta/$metadata#deviceAppManagement/vppTokens/$entity`;
const body = (extra: Record<string, unknown>, scheme: 'http' | 'https' = 'http') => ({ '@odata.context': context(scheme), id: ID, ...extra });
const problems = (extra: Record<string, unknown>, headers: { name: string; value: string }[] = [], scheme: 'http' | 'https' = 'http') =>
  resourceIdentityProblems(body(extra, scheme), headers, { target: target(scheme) }).map((p) => `${p.where}: ${p.message}`);

describe('@odata.id and @odata.editLink name the vppToken where it was created (J1)', () => {
  it.each([
    ['absolute', `http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens('${ID}')`],
    ['relative to the context URL', `deviceAppManagement/vppTokens('${ID}')`],
    ['by its key as a segment', `http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens/${ID}`],
  ])('passes %s', (_how, link) => {
    expect(problems({ '@odata.id': link, '@odata.editLink': link })).toEqual([]);
  });

  it.each([
    ['another navigation of the same service', `http://127.0.0.1:4010/beta/deviceManagement/vppTokens('${ID}')`, "must be /beta/deviceAppManagement/vppTokens('0f8fad5b-d9cb-469f-a165-70867728950e') (it resolves to the path /beta/deviceManagement/vppTokens('0f8fad5b-d9cb-469f-a165-70867728950e'))"],
    ['a relative link that resolves beside the collection', `vppTokens('${ID}')`, "must be /beta/deviceAppManagement/vppTokens('0f8fad5b-d9cb-469f-a165-70867728950e') (it resolves to the path /beta/vppTokens('0f8fad5b-d9cb-469f-a165-70867728950e'))"],
    ['a relative link to another navigation', `deviceManagement/vppTokens('${ID}')`, "must be /beta/deviceAppManagement/vppTokens('0f8fad5b-d9cb-469f-a165-70867728950e') (it resolves to the path /beta/deviceManagement/vppTokens('0f8fad5b-d9cb-469f-a165-70867728950e'))"],
  ])('fails %s, as Location fails it', (_how, link, message) => {
    const found = problems({ '@odata.id': link, '@odata.editLink': link });
    expect(found).toEqual([expect.stringContaining(`body /@odata.id: must point at this vppToken: ${message}`), expect.stringContaining(`body /@odata.editLink: must point at this vppToken: ${message}`)]);
    expect(problems({}, [{ name: 'Location', value: new URL(link, context('http')).href }])).toEqual([expect.stringContaining(`header Location: must point at this vppToken: ${message}`)]);
  });
});
