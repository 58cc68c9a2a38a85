// OData instance annotations and control information in a create body (outside tester I7, decision 0213). OData
// JSON Format 4.01 §4.5: "Receivers that encounter unknown annotations in any namespace or unknown control
// information MUST NOT stop processing and MUST NOT signal an error"; §21: "the receiving party MUST ignore unknown
// annotations"; §4.5.10: `etag` "is ignored in request payloads for single entities". The kit's one judgement of a
// request takes them and ignores them; what it models (`@odata.type`) is still judged by its value.
import { checkCreateRequest, createdVppToken, formatRequestProblem, isValid, validate, type Profile } from 'vpptokens-contract-kit';
import { startReferenceProvider } from '../src/provider';
import { conform } from 'vpptokens-contract-kit/conform';
import { startGraphStyleProvider } from './conform/providers';
import { testEnd } from './support/test-end';

const request = (body: Record<string, unknown>) => ({
  method: 'POST',
  path: '/deviceAppManagement/vppTokens',
  headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
  body: JSON.stringify(body),
});
const problems = (body: Record<string, unknown>, profile: Profile = 'beta') => checkCreateRequest(request(body), profile).map(formatRequestProblem);

const TOKEN = 'annotations-vpp-token';

describe('a create body with instance annotations', () => {
  it.each<[string, Record<string, unknown>, Profile[]]>([
    ['an annotation of the object', { '@Org.Example.note': 'from the admin portal' }, ['beta', 'v1.0']],
    ['an annotation of a property, with a qualifier', { appleId: 'admin@contoso.example', 'appleId@Org.Example.display#short': { title: true } }, ['beta', 'v1.0']],
    ['an annotation of a property the body does not carry', { 'countryOrRegion@Org.Example.source': 'ABM' }, ['beta', 'v1.0']],
    ['a type annotation of a collection property', { roleScopeTagIds: ['0'], 'roleScopeTagIds@odata.type': '#Collection(String)' }, ['beta']],
    // Type control information naming the declared type, in each spelling Graph's reader takes (decision 1231).
    ['type control information naming each property\'s declared type', { appleId: 'admin@contoso.example', 'appleId@odata.type': '#String', 'automaticallyUpdateApps@odata.type': 'Edm.Boolean', 'expirationDateTime@odata.type': '#Edm.DateTimeOffset', 'state@odata.type': '#graph.vppTokenState', 'roleScopeTagIds@odata.type': '#Collection(Edm.String)' }, ['beta', 'v1.0']],
    ['a derived type\'s collection named for tokenActionResults', { 'tokenActionResults@odata.type': '#Collection(microsoft.graph.vppTokenRevokeLicensesActionResult)' }, ['beta']],
    ['the entity tag of what was read (ignored in a request for a single entity)', { '@odata.etag': 'W/"1"' }, ['beta', 'v1.0']],
    ['the context URL', { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens/$entity' }, ['beta', 'v1.0']],
    ['control information OData does not define', { '@odata.unknownThing': 1, 'appleId@odata.note': 'x' }, ['beta', 'v1.0']],
  ])('takes %s', (_what, extra, profiles) => {
    for (const profile of profiles) {
      expect(problems({ token: TOKEN, ...extra }, profile)).toEqual([]);
      expect(validate('request', { token: TOKEN, ...extra }, profile).valid).toBe(true);
    }
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a name that is no property nor annotation', { foo: 1 }, 'body /foo: is not a known property'],
    ['an @ without a namespace-qualified term', { '@note': 1 }, 'body /@note: is not a known property'],
    ['an @ with a term but no namespace', { 'displayName@note': 1 }, 'body /displayName@note: is not a known property'],
    ['control information the kit models, with a value that contradicts the type', { '@odata.type': '#microsoft.graph.iosVppApp' }, 'body /@odata.type: must be one of'],
    // Outside finding R143 (decision 1231): a property's type control information is held to the type it is declared with.
    ['a string property\'s type control information naming Int32', { displayName: 'Fleet', 'displayName@odata.type': '#Int32' }, 'body /displayName@odata.type: must name the type displayName is declared with, Edm.String, not contradict it (OData JSON Format 4.01 §4.5.3): one of #String, String, #Edm.String, Edm.String (got "#Int32")'],
    ['a Boolean property\'s naming String, the property not sent', { 'automaticallyUpdateApps@odata.type': '#String' }, 'body /automaticallyUpdateApps@odata.type: must name the type automaticallyUpdateApps is declared with, Edm.Boolean'],
    ['a collection\'s naming its item type', { 'roleScopeTagIds@odata.type': '#String' }, 'body /roleScopeTagIds@odata.type: must name the type roleScopeTagIds is declared with, Collection(Edm.String)'],
    ['an enum property\'s naming Edm.String', { 'state@odata.type': '#Edm.String' }, 'body /state@odata.type: must name the type state is declared with, microsoft.graph.vppTokenState'],
  ])('still refuses %s', (_what, extra, message) => {
    expect(problems({ token: TOKEN, ...extra })).toEqual([expect.stringContaining(message)]);
    expect(validate('request', { token: TOKEN, ...extra }).valid).toBe(false);
  });

  // Decision 1231's neighbour: a vppToken answered with a property's type control information is held to the same rule.
  it("holds an answer's type control information to its property's declared type, as a create's", () => {
    const answer = { ...createdVppToken({ token: TOKEN }, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date('2026-01-01T00:00:00Z') }), 'roleScopeTagIds@odata.type': '#Collection(String)', 'lastSyncStatus@odata.type': '#microsoft.graph.vppTokenSyncStatus' };
    expect(validate('response', answer).problems).toEqual([]);
    expect(validate('response', { ...answer, 'displayName@odata.type': '#Int32' }).problems.map((p) => `${p.pointer}: ${p.message}`)).toEqual([expect.stringMatching(/^\/displayName@odata\.type: must name the type displayName is declared with, Edm\.String, /)]);
    // OData 4.01's spelling without the prefix is the same control information to a 4.01 client (decision 1220).
    expect(validate('response', { ...answer, 'state@type': '#graph.vppTokenState' }).problems).toEqual([]);
    expect(validate('response', { ...answer, 'state@type': '#String' }).problems.map((p) => p.pointer)).toEqual(['/state@type']);
  });

  // Outside finding W4 (decision 1310): OData JSON 4.01 §4.5.3 lets a type be an absolute URL into the metadata.
  it("takes an answer's type written as an absolute URL into its service root's $metadata, and no other document", () => {
    const answer = createdVppToken({ token: TOKEN }, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date('2026-01-01T00:00:00Z') });
    const pointers = (body: Record<string, unknown>, profile: Profile = 'beta') => validate('response', body, profile).problems.map((p) => p.pointer);
    const M = 'https://graph.microsoft.com/beta/$metadata#';
    const typed = { ...answer, '@odata.type': `${M}microsoft.graph.vppToken`, 'state@odata.type': `${M}microsoft.graph.vppTokenState`, 'tokenActionResults@odata.type': `${M}Collection(microsoft.graph.vppTokenActionResult)`, 'displayName@type': `${M}Edm.String` };
    expect(pointers(typed)).toEqual([]);
    expect(isValid('response', typed)).toBe(true);
    // A facade's own root, the same document its context names, and a derived action result's type by URL.
    const facade = 'http://127.0.0.1:4010/beta/$metadata';
    const item = { '@odata.type': `${facade}#microsoft.graph.vppTokenRevokeLicensesActionResult`, actionName: 'revoke', actionState: 'done', startDateTime: '2026-01-01T00:00:00Z', lastUpdatedDateTime: '2026-01-01T00:00:00Z', actionFailureReason: 'none', failedLicensesCount: 0, totalLicensesCount: 1 };
    expect(pointers({ ...answer, '@odata.context': `${facade}#deviceAppManagement/vppTokens/$entity`, '@odata.type': `${facade}#graph.vppToken`, tokenActionResults: [item] })).toEqual([]);
    const v1 = createdVppToken({ token: TOKEN }, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date('2026-01-01T00:00:00Z'), profile: 'v1.0' });
    expect(pointers({ ...v1, 'state@odata.type': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.vppTokenState' }, 'v1.0')).toEqual([]);
    // Refused: another type by URL, another version's or another path's document, one its context does not name.
    expect(validate('response', { ...answer, 'displayName@odata.type': `${M}Int32` }).problems.map((p) => p.message)).toEqual([expect.stringContaining('must name the type displayName is declared with, Edm.String')]);
    expect(pointers({ ...answer, '@odata.type': `${M}microsoft.graph.user` })).toEqual(['/@odata.type']);
    expect(pointers({ ...answer, 'state@odata.type': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.vppTokenState' })).toEqual(['/state@odata.type']);
    expect(pointers({ ...answer, 'state@odata.type': 'https://graph.microsoft.com/beta/deviceAppManagement#microsoft.graph.vppTokenState' })).toEqual(['/state@odata.type']);
    expect(pointers({ ...answer, '@odata.context': `${facade}#deviceAppManagement/vppTokens/$entity`, 'state@odata.type': `${M}microsoft.graph.vppTokenState` })).toEqual(['/state@odata.type']);
    expect(pointers({ ...answer, '@odata.context': `${M}deviceAppManagement/vppTokens/$entity`, tokenActionResults: [{ ...item, '@odata.type': 'https://evil.example/$metadata#microsoft.graph.vppTokenRevokeLicensesActionResult' }] })).not.toEqual([]);
    // A create is read as Graph's reader reads it: a leading # stripped, so a URL names no type it resolves.
    expect(problems({ token: TOKEN, 'state@odata.type': `${M}microsoft.graph.vppTokenState` })).toEqual([expect.stringContaining('body /state@odata.type: must name the type state is declared with')]);
  });

  // Decision 1335: a relative type URL (OData JSON 4.01 §4.5.3) is read against the body's absolute context, or not at all.
  it("reads an answer's type written as a URL relative to its absolute context, and refuses one it cannot resolve", () => {
    const answer = createdVppToken({ token: TOKEN }, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date('2026-01-01T00:00:00Z') });
    const pointers = (body: Record<string, unknown>, profile: Profile = 'beta') => validate('response', body, profile).problems.map((p) => p.pointer);
    const context = { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens/$entity' };
    const item = { '@odata.type': '$metadata#microsoft.graph.vppTokenRevokeLicensesActionResult', actionName: 'revoke', actionState: 'done', startDateTime: '2026-01-01T00:00:00Z', lastUpdatedDateTime: '2026-01-01T00:00:00Z', actionFailureReason: 'none', failedLicensesCount: 0, totalLicensesCount: 1 };
    const typed = { ...answer, ...context, '@odata.type': '$metadata#microsoft.graph.vppToken', 'state@odata.type': '../beta/$metadata#microsoft.graph.vppTokenState', 'displayName@type': '$metadata#Edm.String', tokenActionResults: [item] };
    expect(pointers(typed)).toEqual([]);
    expect(isValid('response', typed)).toBe(true);
    // 4.01's `@context` is the same context; a facade's own root resolves to its own document.
    expect(pointers({ ...answer, '@context': 'http://127.0.0.1:4010/beta/$metadata#deviceAppManagement/vppTokens/$entity', 'state@odata.type': '$metadata#microsoft.graph.vppTokenState' })).toEqual([]);
    // Refused: no absolute context to resolve against, another type, and a URL resolving to another document.
    expect(pointers({ ...answer, 'state@odata.type': '$metadata#microsoft.graph.vppTokenState' })).toEqual(['/state@odata.type']);
    expect(pointers({ ...answer, '@odata.context': '$metadata#deviceAppManagement/vppTokens/$entity', 'state@odata.type': '$metadata#microsoft.graph.vppTokenState' })).toContain('/state@odata.type');
    expect(pointers({ ...answer, '@odata.type': '$metadata#microsoft.graph.vppToken' })).toEqual(['/@odata.type']);
    expect(pointers({ ...answer, ...context, 'state@odata.type': '$metadata#Edm.Int32' })).toEqual(['/state@odata.type']);
    expect(pointers({ ...answer, ...context, 'state@odata.type': '../v1.0/$metadata#microsoft.graph.vppTokenState' })).toEqual(['/state@odata.type']);
    expect(pointers({ ...answer, ...context, 'state@odata.type': '//evil.example/beta/$metadata#microsoft.graph.vppTokenState' })).toEqual(['/state@odata.type']);
    expect(pointers({ ...answer, ...context, 'state@odata.type': 'deviceAppManagement#microsoft.graph.vppTokenState' })).toEqual(['/state@odata.type']);
  });

  // Outside finding W8 (decision 1310): the object's 4.01 `@type` is its type control information, as `state@type` is a property's.
  it("holds an answer's OData 4.01 @type to the vppToken's type names, and refuses it beside a different @odata.type", () => {
    const answer = createdVppToken({ token: TOKEN }, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date('2026-01-01T00:00:00Z') });
    const shown = (body: Record<string, unknown>) => validate('response', body).problems.map((p) => `${p.pointer}: ${p.message}`);
    expect(shown({ ...answer, '@type': '#microsoft.graph.vppToken' })).toEqual([]);
    expect(shown({ ...answer, '@type': '#graph.vppToken', '@odata.type': '#graph.vppToken' })).toEqual([]);
    expect(shown({ ...answer, '@type': '#microsoft.graph.user' })).toEqual([expect.stringMatching(/^\/@type: must be one of #microsoft\.graph\.vppToken, .*OData 4\.01's spelling of @odata\.type.* \(got "#microsoft\.graph\.user"\)$/)]);
    expect(isValid('response', { ...answer, '@type': '#microsoft.graph.user' })).toBe(false);
    expect(shown({ ...answer, '@type': '#microsoft.graph.user', '@odata.type': '#microsoft.graph.vppToken' })).toEqual([expect.stringMatching(/^\/@type: gives both @odata\.type and @type, with different values/)]);
    expect(shown({ ...answer, '@type': 7 })).toEqual([expect.stringMatching(/^\/@type: must be one of /)]);
  });

  it('the reference provider creates the vppToken and answers no annotation it was sent', async () => {
    const provider = await startReferenceProvider();
    try {
      const sent = { token: TOKEN, displayName: 'Fleet', 'displayName@Org.Example.display': { bold: true }, '@Org.Example.note': 'x', '@odata.etag': 'W/"1"' };
      const answer = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: JSON.stringify(sent) });
      const body = (await answer.json()) as Record<string, unknown>;
      expect(answer.status).toBe(201);
      expect(body.displayName).toBe('Fleet');
      expect(Object.keys(body).filter((k) => k.includes('Org.Example') || k === '@odata.etag')).toEqual([]);
    } finally {
      await provider.close();
    }
  });

  it('conform sends valid creates with annotations: a provider that ignores them passes, one that refuses them fails', async () => {
    for (const bug of [undefined, 'refuses instance annotations'] as const) {
      // Not about the body's size: a 64 KiB limit on both sides (decision 0225).
      const provider = await startGraphStyleProvider(bug, [], { bodyLimit: 64 * 1024 });
      try {
        const result = await conform({ signal: testEnd(), providerBaseUrl: provider.url, bearer: 'annotations-bearer', seed: 5, runs: 5, bodyLimit: 64 * 1024 });
        const found = result.findings.map((f) => [f.family, f.check, f.answer.status]);
        expect(found).toEqual(bug ? [['instance annotations', 'status', 400]] : []);
      } finally {
        await provider.close();
      }
    }
  });
});
