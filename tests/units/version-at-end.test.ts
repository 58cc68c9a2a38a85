// Review of 0851 (decision 0903): three readings of the Graph version a base path ends in (pathUnderBase, the proxy's
// profile from --target, the CLI's --profile warning) were one regex each. One reading, versionAtEnd, beside
// splitVersion: trailing slashes ignored, any letter case, the last segment decoded as the client's path is
// (decodePath: every escape but %2F), so `/%62eta` is /beta and `/gw%2Fbeta` (one segment) names none.
import { pathUnderBase, versionAtEnd } from '../../src/judgement';
import { profileMismatch, targetVersionMismatch } from '../../src/cli/profile';
import { startJudgingProxy } from '../../src/proxy';

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

  it("verify's, conform's and seed's warning reads a URL's path decoded the same way (its version anywhere in the path)", () => {
    for (const url of ['http://h/v1.0', 'http://h/%76%31.0/', 'http://h/gw/V1%2E0/x']) expect(profileMismatch('beta', url, '--provider-base-url')).toMatch(/^warning: --profile beta, but --provider-base-url ends in \/v1\.0: /);
    for (const url of ['http://h/gw%2Fv1.0', 'http://h/v1.0x', 'http://h/beta']) expect(profileMismatch('beta', url, '--provider-base-url')).toBeUndefined();
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
