// Review of 0851 (decision 0903): three readings of the Graph version a base path ends in (pathUnderBase, the proxy's
// profile from --target, the CLI's --profile warning) were one regex each. One reading, versionAtEnd:
// trailing slashes ignored, any letter case, the last segment decoded as the client's path is
// (decodePath: every escape but %2F), so `/%62eta` is /beta and `/gw%2Fbeta` (one segment) names none.
import { createRequestFactory } from 'vpptokens-contract-kit';
import { decodePath, pathUnderBase, readRequestTarget, resourceIdentityProblems, versionAtEnd, versionAtStart } from '../../src/judgement';
import { profileMismatch, targetVersionMismatch } from '../../src/cli/profile';
import { startJudgingProxy } from '../../src/proxy';
import { startReferenceProvider } from '../../src/provider';

describe('versionAtEnd', () => {
  it.each([
    ['/beta', { version: '/beta', base: '' }],
    ['/beta/', { version: '/beta', base: '' }],
    ['/gw/beta//', { version: '/beta', base: '/gw' }],
    ['/BETA', { version: '/beta', base: '' }],
    ['/gw/V1.0', { version: '/v1.0', base: '/gw' }],
    ['/%62eta', { version: '/beta', base: '' }],
    ['/gw/v1%2E0/', { version: '/v1.0', base: '/gw' }],
  ])('%p ends in a version', (path, found) => {
    expect(versionAtEnd(path)).toEqual(found);
  });

  it.each(['', '/', '/gw%2Fbeta', '/gw%2fv1.0', '/betax', '/beta/x', '/v1.00', '/v1.0x/', '/gw/b%65ta%2F'])('%p ends in none', (path) => {
    expect(versionAtEnd(path)).toBeUndefined();
  });
});

describe('its three readers agree', () => {
  it('pathUnderBase: a client path with its own version replaces the one the base ends in, however the base spells it', () => {
    const path = '/beta/deviceAppManagement/vppTokens';
    for (const base of ['/gw/beta', '/gw/BETA/', '/gw/%62eta', '/gw/v1.0//']) expect([base, pathUnderBase(base, path)]).toEqual([base, `/gw${path}`]);
    // A base that ends in no version keeps the client's path under it; a path with no version goes under any base.
    expect(pathUnderBase('/gw%2Fbeta', path)).toBe(`/gw%2Fbeta${path}`);
    expect(pathUnderBase('/gw/BETA/', '/deviceAppManagement/vppTokens')).toBe('/gw/BETA/deviceAppManagement/vppTokens');
  });

  it("pathUnderBase reads the client's version as the judgement does: `/%62eta/`, `/v1%2E0/` are its own version, sent once (outside attacker Y3)", () => {
    const rest = '/deviceAppManagement/vppTokens?x=1';
    for (const own of ['/%62eta', '/%62%65%74%61', '/v1%2E0', '/V1.0']) expect(pathUnderBase('/gw/beta', `${own}${rest}`)).toBe(`/gw${own}${rest}`);
    // A first segment that decodes to no version (`%2F` is no slash; `betax`) goes under the base, as before.
    for (const other of ['/beta%2Fx', '/%62etax', '/deviceAppManagement']) expect(pathUnderBase('/gw/beta', `${other}${rest}`)).toBe(`/gw/beta${other}${rest}`);
  });

  it("the CLI's --profile warning reads --target's version as the proxy does", () => {
    for (const target of ['http://h/v1.0', 'http://h/gw/V1.0/', 'http://h/%76%31.0']) expect(targetVersionMismatch('beta', target)).toMatch(/^warning: --profile beta, but --target ends in \/v1\.0: /);
    for (const target of ['http://h/gw%2Fv1.0', 'http://h/v1.0/x', 'http://h/beta/']) expect(targetVersionMismatch('beta', target)).toBeUndefined();
  });

  // Decision 1040: the version a URL ends in, as the proxy reads its --target (versionPrefixOf read one anywhere).
  it("verify's, conform's and seed's warning reads the version a URL ends in, as the proxy's does", () => {
    for (const url of ['http://h/v1.0', 'http://h/%76%31.0/', 'http://h/gw/V1%2E0/', 'http://h/beta/x/v1.0']) {
      expect(profileMismatch('beta', url, '--provider-base-url')).toMatch(/^warning: --profile beta, but --provider-base-url ends in \/v1\.0: /);
      expect(targetVersionMismatch('beta', url)).toMatch(/^warning: --profile beta, but --target ends in \/v1\.0: /);
    }
    // A version before the path's end is no version the requests go to: `/gw/v1.0/x/deviceAppManagement/vppTokens`.
    for (const url of ['http://h/gw%2Fv1.0', 'http://h/v1.0x', 'http://h/beta', 'http://h/gw/V1%2E0/x', 'http://h/v1.0/beta', 'http://h/foo/v1.0/bar', 'not a url']) {
      expect([url, profileMismatch('beta', url, '--provider-base-url'), targetVersionMismatch('beta', url)]).toEqual([url, undefined, undefined]);
    }
  });

  it("the proxy's profile is the version its --target ends in, read the same way", async () => {
    for (const [target, profile] of [['http://127.0.0.1:9/gw/V1.0/', 'v1.0'], ['http://127.0.0.1:9/%76%31.0', 'v1.0'], ['http://127.0.0.1:9/gw%2Fv1.0', 'beta'], ['http://127.0.0.1:9/BETA', 'beta']]) {
      const proxy = await startJudgingProxy({ target, checkTarget: false });
      try {
        expect([target, proxy.profile]).toEqual([target, profile]);
      } finally {
        await proxy.close();
      }
    }
  });
});

// Review of round 18 (decision 1040): readRequestTarget read a request's version by splitVersion on the decoded path
// (the literal letters, passed on as written: `/BETA`), compare and pathUnderBase by versionAtStart (its first segment
// decoded, Graph's spelling). One reading: versionAtStart on the path as sent, the rest decoded once.
describe("versionAtStart is readRequestTarget's reading of a request's version", () => {
  it.each([
    ['/beta/deviceAppManagement/vppTokens', '/beta', '/deviceAppManagement/vppTokens'],
    ['/BETA/deviceAppManagement/vppTokens', '/beta', '/deviceAppManagement/vppTokens'],
    ['/V1.0/deviceAppManagement/vppTokens/', '/v1.0', '/deviceAppManagement/vppTokens/'],
    ['/%62eta/deviceAppManagement/vppTokens', '/beta', '/deviceAppManagement/vppTokens'],
    ['/v1%2E0/deviceAppManagement/%76ppTokens', '/v1.0', '/deviceAppManagement/vppTokens'],
    ['/Beta', '/beta', '/'],
  ])('%p names %p, the rest %p', (path, version, rest) => {
    expect([versionAtStart(path).version, readRequestTarget(path).version, readRequestTarget(path).rest]).toEqual([version, version, rest]);
    expect(readRequestTarget(`http://graph.contoso.example${path}?$top=1`)).toMatchObject({ version, rest, query: '$top=1' });
  });

  it.each([
    // Decoded once, as Graph's front end decodes: `%2562eta` is the segment `%62eta`, no version.
    ['/%2562eta/deviceAppManagement/vppTokens', '/%62eta/deviceAppManagement/vppTokens'],
    ['/beta%2Fx/deviceAppManagement/vppTokens', '/beta%2Fx/deviceAppManagement/vppTokens'],
    ['/betax/deviceAppManagement/vppTokens', '/betax/deviceAppManagement/vppTokens'],
    ['/deviceAppManagement/vppTokens', '/deviceAppManagement/vppTokens'],
  ])('%p names none: the rest is the path decoded, %p', (path, rest) => {
    expect([versionAtStart(path).version, readRequestTarget(path).version, readRequestTarget(path).rest]).toEqual(['', '', rest]);
    expect(decodePath(path)).toBe(rest);
  });

  it("the mock names Graph's version as Graph spells it in the links of a create sent to /BETA", async () => {
    const provider = await startReferenceProvider();
    try {
      const response = await fetch(`${provider.url}/BETA/deviceAppManagement/vppTokens`, { method: 'POST', headers: { Authorization: 'Bearer r19-b-access-token-0123456789', 'Content-Type': 'application/json' }, body: JSON.stringify(createRequestFactory.withSeed(1040).buildAt(0)) });
      const body = (await response.json()) as { id: string; '@odata.context': string };
      expect([response.status, body['@odata.context']]).toEqual([201, `${provider.url}/beta/$metadata#deviceAppManagement/vppTokens/$entity`]);
      expect(response.headers.get('location')).toBe(`${provider.url}/beta/deviceAppManagement/vppTokens('${body.id}')`);
    } finally {
      await provider.close();
    }
  });
});

// Round 20 (decision 1180): resource identity read the version a create's service root ends in with
// decodeURIComponent over the whole root (`%2F` a slash too), a third reading beside versionAtEnd: it took
// `/gw%2Fbeta` (one segment, as the proxy and pathUnderBase read it) for a root ending in /beta.
describe("resource identity reads a target's version as versionAtEnd does", () => {
  const id = '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60';
  const origin = 'http://127.0.0.1:4010';
  const contextProblems = (root: string, named: string) =>
    resourceIdentityProblems({ id, '@odata.context': `${origin}${named}/$metadata#deviceAppManagement/vppTokens/$entity` }, [], { target: `${origin}${root}/deviceAppManagement/vppTokens`, profile: 'v1.0' }).map((p) => p.message);

  it.each(['/beta', '/BETA', '/gw/%62eta', '/gw/v1%2E0', '/gw%2Fbeta', '/gw%2fv1.0', '/%2562eta', '/gw/b%65ta%2F', '/v1.0/gw'])('%p: the version a create to it was sent to is the one versionAtEnd reads, else the profile', (root) => {
    const version = versionAtEnd(root)?.version ?? '/v1.0';
    const other = version === '/beta' ? '/v1.0' : '/beta';
    // A context naming the other version is another version's, in the words that name the version read.
    expect(contextProblems(root, other)).toEqual([expect.stringMatching(new RegExp(`^must be the context of one vppToken of the version the create was sent to, \\.\\.\\.${version.replace('.', '\\.')}/\\$metadata#.*: it names ${other.slice(1).replace('.', '\\.')} `))]);
    // The root itself is the service's: its own context passes, and so does a context on Graph's host of that version.
    expect(contextProblems(root, root)).toEqual([]);
    expect(resourceIdentityProblems({ id, '@odata.context': `https://graph.microsoft.com${version}/$metadata#deviceAppManagement/vppTokens/$entity` }, [], { target: `${origin}${root}/deviceAppManagement/vppTokens`, profile: 'v1.0' })).toEqual([]);
  });

  it('a %2F is no slash in the roots it compares either: /gw/beta is not the root /gw%2Fbeta', () => {
    // Sent to /gw%2Fbeta (no version: the profile's beta), a context at /gw/beta ends in beta, the root's version is not known.
    const beta = (named: string, root = '/gw%2Fbeta') =>
      resourceIdentityProblems({ id, '@odata.context': `${origin}${named}/$metadata#deviceAppManagement/vppTokens/$entity`, '@odata.id': `${origin}${named}/deviceAppManagement/vppTokens('${id}')` }, [{ name: 'Location', value: `${origin}${root}/deviceAppManagement/vppTokens('${id}')` }], { target: `${origin}${root}/deviceAppManagement/vppTokens`, profile: 'beta' }).map((p) => `${p.where} ${p.message}`);
    expect(beta('/gw%2Fbeta')).toEqual([]);
    expect(beta('/gw%2fbeta')).toEqual([]);
    // Sent to /gw/beta (its root known), a context and an @odata.id at /gw%2Fbeta are not on that root.
    expect(beta('/gw%2Fbeta', '/gw/beta')).toEqual([
      expect.stringMatching(/^body \/@odata\.context must be <service root>\/\$metadata#deviceAppManagement\/vppTokens\/\$entity, the root the create was sent to \(http:\/\/127\.0\.0\.1:4010\/gw\/beta\)/),
      expect.stringMatching(/^body \/@odata\.id must point at this vppToken: must be \/gw\/beta\/deviceAppManagement\/vppTokens\('.*'\) \(it resolves to the path \/gw%2Fbeta\/deviceAppManagement/),
    ]);
    expect(beta('/gw/beta', '/gw/beta')).toEqual([]);
  });
});
