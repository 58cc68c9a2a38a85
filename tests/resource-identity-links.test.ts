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

// Outside attacker K28, K29: a vppToken's key `id` is an Edm.String, written in single quotes (OData 4.01 URL
// Conventions §4.3.1, ABNF `keyPredicate`, `string`), alone or named (`(id='ID')`), or as a segment (§4.3.6).
// Unquoted, `(ID)` is a Guid literal that names no vppToken: a client following it gets 404.
describe('a link names the key as OData writes a string key (K28, K29)', () => {
  const at = (key: string) => `http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens${key}`;
  it.each([
    ['quoted', `('${ID}')`],
    ['named, quoted', `(id='${ID}')`],
    ['quoted, the quotes percent-encoded', `(%27${ID}%27)`],
    ['as a segment', `/${ID}`],
  ])('passes the key %s', (_how, key) => {
    expect(problems({ '@odata.id': at(key) }, [{ name: 'Location', value: at(key) }, { name: 'OData-EntityId', value: at(key) }])).toEqual([]);
  });

  it.each([
    ['unquoted (a Guid literal)', `(${ID})`],
    ['named, unquoted', `(id=${ID})`],
    ['quoted on one side', `('${ID})`],
    ['named by another property', `(displayName='${ID}')`],
  ])('fails the key %s, in Location, OData-EntityId and the body', (_how, key) => {
    const found = problems({ '@odata.id': at(key) }, [{ name: 'Location', value: at(key) }, { name: 'OData-EntityId', value: at(key) }]);
    expect(found.map((p) => p.split(':')[0])).toEqual(['body /@odata.id', 'header Location', 'header OData-EntityId']);
    for (const p of found) expect(p).toMatch(/must point at this vppToken/);
  });
});

// Outside attacker K13: a Location that carried a credential in its query (`?access_token=...&sig=...`) passed,
// and the message would have shown it. A query is part of a URI's identity (RFC 3986 §3.4): the vppToken's URL has
// none, and a credential in a link is handed to every client that follows it (RFC 6750 §2.3, §5.3).
describe('a link to the vppToken carries no query (K13)', () => {
  const link = `http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens('${ID}')`;
  it('fails a query in Location, OData-EntityId or a body link, never showing its values', () => {
    const withQuery = `${link}?access_token=LocSecretValue1234567890&sig=LocSig1234567890abcd&$select=id`;
    const found = problems({ '@odata.editLink': withQuery }, [{ name: 'Location', value: withQuery }, { name: 'OData-EntityId', value: `${link}?x=1` }]);
    expect(found.map((p) => p.split(':')[0])).toEqual(['body /@odata.editLink', 'header Location', 'header OData-EntityId']);
    for (const p of found) expect(p).toMatch(/must carry no query/);
    const text = found.join('\n');
    expect(text).not.toContain('LocSecretValue');
    expect(text).not.toContain('LocSig');
    expect(text).toContain('access_token=[redacted]');
    expect(text).toContain('$select=id');
  });

  it('passes the same link without a query, and with a fragment (a client keeps it to itself)', () => {
    expect(problems({ '@odata.editLink': link }, [{ name: 'Location', value: link }, { name: 'OData-EntityId', value: link }])).toEqual([]);
    expect(problems({}, [{ name: 'Location', value: `${link}#top` }])).toEqual([]);
  });
});
