// compare reads Pact's `include` and date/time matchers (outside attacker J8): an `include` its own example does not
// satisfy, and a timestamp pattern that refuses the times Graph writes (7, 3 or no fraction digits), fail
// `matcher satisfiable`, as verify would fail them; a pattern the kit cannot read is noted, not passed in silence.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { comparePacts } from 'vpptokens-contract-kit/compare';
import { timePatternRegex } from '../../src/compare/matchers';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-compare-matchers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const token = createRequestFactory.withSeed(9).withTraits('minimal').buildAt(0).token;
/** A Pact V3 file of one create expecting 201 with `rules` on the response body. */
function pactOf(name: string, rules: Record<string, unknown>, extra: Record<string, unknown> = {}, sent: Record<string, unknown> = {}): string {
  const pact = {
    consumer: { name },
    provider: { name: 'microsoft-graph-vpptokens' },
    interactions: [
      {
        description: 'create a token',
        request: { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x.y.z' }, body: { token, displayName: 'Fleet A', ...sent } },
        response: { status: 201, headers: { 'Content-Type': 'application/json' }, body: { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', displayName: 'Fleet A', ...extra }, matchingRules: { body: { '$.id': { matchers: [{ match: 'type' }] }, ...rules } } },
      },
    ],
    metadata: { pactSpecification: { version: '3.0.0' } },
  };
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(pact));
  return file;
}
const judged = async (file: string) => {
  const pact = (await comparePacts([file], { comparator: false })).pacts[0];
  return { findings: pact.interactions[0].findings.map((f) => `${f.pointer}: ${f.message}`), warnings: pact.warnings };
};

describe('include matchers', () => {
  it('passes one its example satisfies, fails one it does not', async () => {
    expect((await judged(pactOf('include-ok', { '$.displayName': { matchers: [{ match: 'include', value: 'Fleet' }] } }))).findings).toEqual([]);
    expect((await judged(pactOf('include-wrong', { '$.displayName': { matchers: [{ match: 'include', value: 'Fleet B' }] } }))).findings).toEqual([
      '/displayName: the include matcher on $.displayName can never be satisfied: its own example "Fleet A" does not include "Fleet B"',
    ]);
  });
});

describe('timestamp matchers', () => {
  const at = (pattern: string, example = '2026-12-02T20:24:51.734Z') => pactOf(`ts-${pattern.replace(/\W+/g, '')}`, { '$.lastModifiedDateTime': { matchers: [{ match: 'timestamp', timestamp: pattern }] } }, { lastModifiedDateTime: example });

  it('passes a pattern that takes every time Graph writes', async () => {
    expect((await judged(at("yyyy-MM-dd'T'HH:mm:ss[.SSSSSSS][.SSS]X"))).findings).toEqual([]);
  });

  it('fails a pattern without fractions, which refuses what Graph writes (J8)', async () => {
    const { findings } = await judged(at("yyyy-MM-dd'T'HH:mm:ssX", '2026-01-01T00:00:00Z'));
    expect(findings).toEqual([expect.stringMatching(/^\/lastModifiedDateTime: the timestamp matcher on \$\.lastModifiedDateTime refuses "2026-12-02T20:24:51\.7343210Z", a value Graph gives/)]);
  });

  it('fails one its own example does not match', async () => {
    expect((await judged(at('yyyy-MM-dd', '2026-12-02T20:24:51.734Z'))).findings).toEqual([expect.stringContaining('its own example "2026-12-02T20:24:51.734Z" does not match the pattern "yyyy-MM-dd"')]);
  });

  it('notes a pattern it cannot read, and does not pass it in silence', async () => {
    const { findings, warnings } = await judged(at("yyyy-MM-dd'T'HH:mm:ss.SSSVV"));
    expect(findings).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining(`response $.lastModifiedDateTime: the timestamp matcher's pattern "yyyy-MM-dd'T'HH:mm:ss.SSSVV" could not be read: not judged`)]);
  });

  it('reads Java patterns as Pact does', () => {
    expect(timePatternRegex("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")!.test('2026-12-02T20:24:51.734+05:30')).toBe(true);
    expect(timePatternRegex("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")!.test('2026-12-02T20:24:51+05:30')).toBe(false);
    expect(timePatternRegex("yyyy-MM-dd'T'HH:mm:ss[.SSS]X")!.test('2026-12-02T20:24:51Z')).toBe(true);
    expect(timePatternRegex("HH 'h' mm")!.test('20 h 24')).toBe(true);
    expect(timePatternRegex('EEE')).toBeUndefined();
  });
});

// Every matcher Pact loads is judged as Pact applies it, or noted as one compare does not judge: never passed unread
// (outside tester N19: semver and values on a 201's $.id, which fail every GUID Graph gives, passed compare).
describe('matchers Pact applies, each judged or noted', () => {
  const on = (path: string, matcher: Record<string, unknown>, extra: Record<string, unknown> = {}, sent: Record<string, unknown> = {}) =>
    pactOf(`m-${Math.random().toString(36).slice(2)}`, { [path]: { matchers: [matcher] } }, extra, sent);

  it('semver on the id Graph gives fails: no GUID is a semantic version', async () => {
    expect((await judged(on('$.id', { match: 'semver' }))).findings).toEqual([
      '/id: the semver matcher on $.id can never be satisfied: its own example "7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60" is not a semantic version (SemVer 2.0.0, as Pact reads one)',
    ]);
  });

  it('semver on a value the client sets and gets back passes when the example is one, fails when not', async () => {
    expect((await judged(on('$.displayName', { match: 'semver' }, { displayName: '1.2.3-beta.1+build.5' }, { displayName: '1.2.3-beta.1+build.5' }))).findings).toEqual([]);
    expect((await judged(on('$.displayName', { match: 'semver' }, { displayName: 'v1.2' }, { displayName: 'v1.2' }))).findings).toEqual([
      '/displayName: the semver matcher on $.displayName can never be satisfied: its own example "v1.2" is not a semantic version (SemVer 2.0.0, as Pact reads one)',
    ]);
  });

  it('semver on a boolean Graph gives fails', async () => {
    expect((await judged(on('$.automaticallyUpdateApps', { match: 'semver' }, { automaticallyUpdateApps: false }))).findings).toEqual([
      '/automaticallyUpdateApps: the semver matcher on $.automaticallyUpdateApps can never be satisfied: Graph gives boolean here, never a semantic version',
    ]);
  });

  it('values on the id Graph gives is its example\'s equality (as Pact reads it on a string): another GUID fails', async () => {
    expect((await judged(on('$.id', { match: 'values' }))).findings).toEqual([
      expect.stringMatching(/^\/id: the values matcher on \$\.id refuses "c93f2a51-0e6d-4b7a-8f21-3d5e9a0b7c14", a value Graph gives/),
    ]);
  });

  it('values or equality on a value that comes back as sent passes', async () => {
    expect((await judged(on('$.displayName', { match: 'values' }))).findings).toEqual([]);
    expect((await judged(on('$.displayName', { match: 'equality' }))).findings).toEqual([]);
  });

  it('notEmpty takes a GUID and a name, and refuses the [] Graph gives a new vppToken\'s tokenActionResults', async () => {
    expect((await judged(on('$.id', { match: 'notEmpty' }))).findings).toEqual([]);
    expect((await judged(on('$.displayName', { match: 'notEmpty' }))).findings).toEqual([]);
    expect((await judged(on('$.tokenActionResults', { match: 'notEmpty' }, { tokenActionResults: [{}] }))).findings).toEqual([
      '/tokenActionResults: the notEmpty matcher on $.tokenActionResults asks for at least 1 item, but the create does not set tokenActionResults, and Graph gives a new vppToken []',
    ]);
  });

  it('a matcher written without "match" is read as Pact guesses it: {"min": 1} is a type matcher with a minimum', async () => {
    expect((await judged(on('$.tokenActionResults', { min: 1 }, { tokenActionResults: [{}] }))).findings).toEqual([
      '/tokenActionResults: the type matcher on $.tokenActionResults asks for at least 1 item, but the create does not set tokenActionResults, and Graph gives a new vppToken []',
    ]);
  });

  it.each([
    ['pact:matcher:type (the FFI\'s spelling)', '$.displayName', { 'pact:matcher:type': 'type' }],
    ['not-empty', '$.displayName', { match: 'not-empty' }],
    ['a regex without "match" (Pact guesses it)', '$.id', { regex: '^[0-9a-f-]{36}$' }],
    ['min-type', '$.roleScopeTagIds', { match: 'min-type', min: 0 }],
  ])('a matcher spelt as Pact also loads it (%s) is read and judged, not refused', async (_what, path, matcher) => {
    const { findings, warnings } = await judged(on(path, matcher));
    expect(findings).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['contentType', { match: 'contentType', value: 'text/plain' }],
    ['arrayContains', { match: 'arrayContains', variants: [] }],
    ['eachValue', { match: 'eachValue', rules: [{ match: 'type' }] }],
    ['eachKey', { match: 'eachKey', rules: [{ match: 'regex', regex: '.*' }] }],
  ])('%s, which compare does not read, is noted as not judged', async (name, matcher) => {
    const { findings, warnings } = await judged(on('$.roleScopeTagIds', matcher, { roleScopeTagIds: ['0'] }, { roleScopeTagIds: ['0'] }));
    expect(findings).toEqual([]);
    expect(warnings).toEqual([`create a token: response $.roleScopeTagIds: the ${name} matcher is one compare does not judge (Pact applies it when verifying): not judged`]);
  });
});
