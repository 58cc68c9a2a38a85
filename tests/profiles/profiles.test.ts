// Two Graph profiles from one source: v1.0 derived from the beta schemas by schemas/profiles.json, checked
// against Microsoft's own v1.0 OpenAPI description, with validators, types and factories for both.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFERENCE_DATE, SchemaValidationError, assertValid, createRequestFactory, createdVppToken, formatProblems, isValid, problemsOf, profileBaseUri, resolveRef, schemaFor, schemaKindsOf, toProfile, validate, vppTokenFactory, vppTokenTraits, type V1, type VppTokenTrait } from 'vpptokens-contract-kit';

// Microsoft's own OpenAPI text for the operation (v1.0), kept in the repository (its header names the source):
// the tests must not need anything outside it.
const openApi = readFileSync(join(__dirname, '..', 'reference', 'vpptokens-openapi-v1.0.yaml'), 'utf8');
/** The names listed under a component schema's `properties:` (or `enum:`) in the cut-down OpenAPI document. */
function openApiList(component: string, key: 'properties' | 'enum'): string[] {
  const start = openApi.indexOf(`    ${component}:\n`);
  const block = openApi.slice(start + 1, openApi.indexOf('\n    microsoft.', start + 1));
  const list = block.slice(block.indexOf(`${key}:\n`) + key.length + 2).split('\n');
  const indent = /^\s*/.exec(list[0])![0];
  const items: string[] = [];
  for (const line of list) {
    if (!line.startsWith(indent) || line.length <= indent.length) break;
    const rest = line.slice(indent.length);
    if (key === 'enum' && rest.startsWith('- ')) items.push(rest.slice(2).trim());
    else if (key === 'properties' && /^[A-Za-z@][\w.@]*:$/.test(rest)) items.push(rest.slice(0, -1));
    else if (key === 'enum') break;
  }
  return items;
}

const BETA_ONLY = ['appleDeviceAppDeliveryProtocolType', 'claimTokenManagementFromExternalMdm', 'dataSharingConsentGranted', 'displayName', 'locationName', 'roleScopeTagIds', 'tokenActionResults'];
const v1Traits = (Object.keys(vppTokenTraits) as VppTokenTrait[]).filter((t) => t !== 'withActionResults');

describe('the v1.0 schemas', () => {
  it('have exactly the properties of Microsoft\'s v1.0 vppToken, plus id', () => {
    const v1Properties = openApiList('microsoft.graph.vppToken', 'properties').sort();
    expect(v1Properties).toHaveLength(11);
    const own = (kind: 'request' | 'response') => Object.keys(schemaFor(kind, 'v1.0').properties as object).filter((k) => !k.startsWith('@odata.') && k !== 'id').sort();
    expect(own('request')).toEqual(v1Properties);
    expect(own('response')).toEqual(v1Properties);
    expect((schemaFor('response', 'v1.0').required as string[]).sort()).toEqual(['id', ...v1Properties].sort());
  });

  it('have the enum members of Microsoft\'s v1.0 enums', () => {
    const members = (file: string) => ((schemaFor('response', 'v1.0').properties as Record<string, { $ref: string }>)[file].$ref);
    const enumOf = (property: string) => {
      const ref = members(property);
      return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'v1.0', ref.slice(ref.lastIndexOf('/') + 1)), 'utf8')) as { enum: string[] }).enum;
    };
    expect(enumOf('state')).toEqual(openApiList('microsoft.graph.vppTokenState', 'enum'));
    expect(enumOf('state')).not.toContain('duplicateLocationId');
    expect(enumOf('lastSyncStatus')).toEqual(openApiList('microsoft.graph.vppTokenSyncStatus', 'enum'));
    expect(enumOf('vppTokenAccountType')).toEqual(openApiList('microsoft.graph.vppTokenAccountType', 'enum'));
  });

  it('leave the beta schemas as they were', () => {
    expect(Object.keys(schemaFor('request').properties as object)).toEqual(expect.arrayContaining(BETA_ONLY));
    expect(problemsOf('request', { token: 'x', displayName: 'y', state: 'duplicateLocationId' })).toEqual([]);
  });
});

describe('validating by profile', () => {
  it('reports a beta-only property sent to v1.0 as an unknown property, listing what v1.0 allows', () => {
    const problems = problemsOf('request', { token: 'abc', displayName: 'Contoso ABM token', roleScopeTagIds: ['0'] }, 'v1.0');
    expect(problems.map((p) => p.pointer)).toEqual(['/displayName', '/roleScopeTagIds']);
    expect(problems[0].message).toMatch(/^is not a known property \(allowed: .*appleId.*\)$/);
    expect(problems[0].message).not.toContain('displayName,');
  });

  it('rejects the beta-only state duplicateLocationId in v1.0 and accepts it in beta', () => {
    expect(formatProblems(problemsOf('request', { token: 'abc', state: 'duplicateLocationId' }, 'v1.0'))).toBe(
      '/state: must be one of unknown, valid, expired, invalid, assignedToExternalMDM (got "duplicateLocationId")',
    );
    expect(validate('request', { token: 'abc', state: 'duplicateLocationId' }, 'beta').valid).toBe(true);
  });

  it('accepts a v1.0 response that lacks the beta-only properties, which beta reports missing', () => {
    const v1 = createdVppToken({ token: 'abc' }, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: REFERENCE_DATE, profile: 'v1.0' });
    expect(problemsOf('response', v1, 'v1.0')).toEqual([]);
    expect(problemsOf('response', v1).filter((p) => p.keyword === 'required').map((p) => p.pointer).sort()).toEqual(
      BETA_ONLY.filter((p) => p !== 'appleDeviceAppDeliveryProtocolType').map((p) => `/${p}`).sort(),
    );
  });

  it('names the profile in an assertion error, and refuses a kind v1.0 does not have', () => {
    expect(() => assertValid('request', { token: 'abc', locationName: 'x' }, 'v1.0')).toThrow(SchemaValidationError);
    expect(() => assertValid('request', { token: 'abc', locationName: 'x' }, 'v1.0')).toThrow('invalid v1.0 request:\n/locationName: is not a known property');
    expect(() => problemsOf('actionResult', {}, 'v1.0')).toThrow('Graph v1.0 has no actionResult (kinds: request, response, error)');
    expect(() => problemsOf('request', {}, 'v2' as never)).toThrow('profile must be one of beta, v1.0 (got "v2")');
    expect(isValid('error', { error: { code: 'BadRequest', message: 'no' } }, 'v1.0')).toBe(true);
  });
});

// Outside finding Y2 (round 17): a kind or profile argument that is a wrong string was printed whole, an sToken in
// full (`validate(body.token, body)`, arguments swapped). A word is shown when it cannot be a credential (short, of
// a word's characters: `"responses"`, `"v2"`), else by its length alone (shownOption, src/net/option.ts).
describe('a kind or profile that is a wrong string is shown only when it cannot be a credential', () => {
  const body = createRequestFactory.build();
  const sToken = body.token;
  const kinds = 'kind must be one of request, response, actionResult, error';
  it.each<[string, () => unknown, string]>([
    ['validate(body.token, body)', () => validate(sToken as never, body), `${kinds} (got a string of ${sToken.length} characters that is a VPP token (an sToken), not shown)`],
    ['assertValid(body.token, body)', () => assertValid(sToken as never, body), `${kinds} (got a string of ${sToken.length} characters that is a VPP token (an sToken), not shown)`],
    ['isValid(body.token, body)', () => isValid(sToken as never, body), `${kinds} (got a string of ${sToken.length} characters that is a VPP token (an sToken), not shown)`],
    ['schemaFor(body.token)', () => schemaFor(sToken as never), `${kinds} (got a string of ${sToken.length} characters that is a VPP token (an sToken), not shown)`],
    ['schemaFor(a bearer)', () => schemaFor('Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ' as never), `${kinds} (got a string of 46 characters, not shown: it may hold a credential)`],
    ['schemaFor(a word misspelt)', () => schemaFor('responses' as never), `${kinds} (got "responses")`],
    ['toProfile(a bearer)', () => toProfile('Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ'), 'profile must be one of beta, v1.0 (got a string of 46 characters, not shown: it may hold a credential)'],
    ["schemaFor('request', body.token)", () => schemaFor('request', sToken as never), `profile must be one of beta, v1.0 (got a string of ${sToken.length} characters that is a VPP token (an sToken), not shown)`],
    ['profileBaseUri(body.token)', () => profileBaseUri(sToken as never), `profile must be one of beta, v1.0 (got a string of ${sToken.length} characters that is a VPP token (an sToken), not shown)`],
    ['schemaKindsOf(body.token)', () => schemaKindsOf(sToken as never), `profile must be one of beta, v1.0 (got a string of ${sToken.length} characters that is a VPP token (an sToken), not shown)`],
    ['resolveRef(body.token)', () => resolveRef(sToken), `unknown schema reference (got a string of ${sToken.length} characters that is a VPP token (an sToken), not shown)`],
    ['resolveRef(a file misspelt)', () => resolveRef('vppToken.schema.jsn'), 'unknown schema reference (got "vppToken.schema.jsn")'],
  ])('%s', (_name, run, message) => {
    expect(run).toThrow(new RangeError(message));
  });

  it('both ways: the words themselves are taken', () => {
    expect(validate('request', body).valid).toBe(true);
    expect(toProfile('v1.0')).toBe('v1.0');
    expect(schemaKindsOf('beta')).toContain('actionResult');
  });
});

describe('factories by profile', () => {
  it.each(v1Traits.map((t) => [t]))('trait %s builds v1.0-valid requests and responses, the same on every call', (trait) => {
    const requests = createRequestFactory.withProfile('v1.0').withSeed(7).withTraits(trait);
    const responses = vppTokenFactory.withProfile('v1.0').withSeed(7).withTraits(trait);
    const built = { requests: requests.buildList(20), responses: responses.buildList(20) };
    for (const r of built.requests) expect(formatProblems(problemsOf('request', r, 'v1.0'))).toBe('');
    for (const r of built.responses) expect(formatProblems(problemsOf('response', r, 'v1.0'))).toBe('');
    expect(createRequestFactory.withProfile('v1.0').withSeed(7).withTraits(trait).buildList(20)).toEqual(built.requests);
    expect(vppTokenFactory.withProfile('v1.0').withSeed(7).withTraits(trait).buildList(20)).toEqual(built.responses);
  });

  it('builds record i of v1.0 as record i of beta without the beta-only properties', () => {
    const beta = vppTokenFactory.withSeed(3).withTraits('full').buildAt(5) as unknown as Record<string, unknown>;
    const v1: V1.VppToken = vppTokenFactory.withProfile('v1.0').withSeed(3).withTraits('full').buildAt(5);
    const expected = Object.fromEntries(Object.entries(beta).filter(([k]) => !BETA_ONLY.includes(k)));
    expected['@odata.context'] = 'https://graph.microsoft.com/v1.0/$metadata#deviceAppManagement/vppTokens/$entity';
    expect(v1).toEqual(expected);
  });

  it('refuses the beta-only trait withActionResults in v1.0, whichever comes first', () => {
    const message = 'vppToken trait "withActionResults" does not exist in Graph v1.0: v1.0 has no tokenActionResults';
    expect(() => vppTokenFactory.withProfile('v1.0').withTraits('withActionResults')).toThrow(message);
    expect(() => vppTokenFactory.withTraits('withActionResults').withProfile('v1.0')).toThrow(message);
    expect(() => createRequestFactory.withProfile('v9' as never)).toThrow('profile must be one of beta, v1.0 (got "v9")');
  });

  it('keeps the beta factories as they were', () => {
    expect(createRequestFactory.profile).toBe('beta');
    expect(createRequestFactory.withSeed(4).withTraits('full').buildAt(0)).toEqual(createRequestFactory.withProfile('beta').withSeed(4).withTraits('full').buildAt(0));
    expect(Object.keys(createRequestFactory.withTraits('full').buildAt(0))).toEqual(expect.arrayContaining(['displayName', 'tokenActionResults']));
  });
});

// Outside tester J13: `validate --kind response --profile v1.0` took a vppToken with every beta-only property,
// which verify, conform and the proxy refuse in a v1.0 answer. One rule now, in the validators.
describe('a v1.0 vppToken carrying beta-only properties', () => {
  const beta = vppTokenFactory.withTraits('withActionResults').build() as unknown as Record<string, unknown>;
  const v1 = vppTokenFactory.withProfile('v1.0').build() as unknown as Record<string, unknown>;

  it('is invalid for v1.0, each beta property named; the v1.0 one and the beta one for beta are valid', () => {
    const problems = problemsOf('response', beta, 'v1.0');
    expect(problems.map((p) => p.pointer).sort()).toEqual(['/claimTokenManagementFromExternalMdm', '/dataSharingConsentGranted', '/displayName', '/locationName', '/roleScopeTagIds', '/tokenActionResults'].filter((p) => p.slice(1) in beta).sort());
    expect(problems.length).toBeGreaterThan(2);
    for (const p of problems) expect(p).toEqual({ pointer: p.pointer, keyword: 'profile', message: "is a Graph beta property, not one of v1.0's: a v1.0 answer must not carry it" });
    expect(isValid('response', beta, 'v1.0')).toBe(false);
    expect(validate('response', beta, 'v1.0').valid).toBe(false);
    expect([isValid('response', v1, 'v1.0'), problemsOf('response', v1, 'v1.0')]).toEqual([true, []]);
    expect([isValid('response', beta), problemsOf('response', beta)]).toEqual([true, []]);
  });
});
