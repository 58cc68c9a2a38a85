// A pact whose HTTP interaction has no request or response, or a status that is no integer, is a file that is not a
// pact, said in one line with where (outside attacker J23, J24): verify exits 2 before Pact starts (Pact's core
// panicked on a string status, and filled in `GET /` for a missing request), compare exits 2 naming the file, not
// "internal error (a bug in vppkit)". One reader of a pact's interactions (src/compare/pact-file.ts) says it for both.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-malformed-pacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, interactions: unknown[]) => {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ consumer: { name: 'a' }, provider: { name: 'microsoft-graph-vpptokens' }, interactions }));
  return file;
};
const create = { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' }, body: { token: 'x' } };

const cases: [string, unknown[], string][] = [
  ['a status that is a string', [{ description: 'x', request: create, response: { status: '201' } }], 'interaction 1 ("x"): /response/status must be an integer from 100 to 599 (got "201")'],
  ['no request and no response', [{ description: 'x' }], 'interaction 1 ("x"): has no request'],
  ['no response', [{ description: 'ok', request: create, response: { status: 201 } }, { description: 'y', request: create }], 'interaction 2 ("y"): has no response'],
  ['a request without a path', [{ description: 'x', request: { method: 'POST' }, response: { status: 201 } }], 'interaction 1 ("x"): /request/path must be a string (got nothing)'],
];

describe.each(cases)('a pact with %s', (name, interactions, said) => {
  const file = write(name.replace(/\W+/g, '-'), interactions);

  it('verify: exit 2 before Pact starts, one line saying where', async () => {
    const result = await vppkit(['verify', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`vppkit: pact file ${file} is not a Pact file: ${said}\n`);
    expect(result.stdout).toBe('');
  });

  it('compare: exit 2, the file named, no "internal error"', async () => {
    const result = await vppkit(['compare', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file} is not a pact: ${said}`);
    expect(result.stderr).not.toMatch(/internal error/);
  });
});

// Outside tester N18 (decision 0385): a pact the kit reads but Pact cannot load (here a matcher Pact does not know)
// verified nothing, yet exited 1 as if the provider had failed ("0 interactions verified ... 1 other failure").
it('verify: a pact Pact cannot load verifies nothing: exit 2 with Pact\'s reason, the provider not blamed', async () => {
  const file = write('unknown-matcher', [{ description: 'x', request: create, response: { status: 201, body: { id: 'a' }, matchingRules: { body: { '$.id': { combine: 'AND', matchers: [{ match: 'frobnicate' }] } } } } }]);
  const result = await vppkit(['verify', file]);
  expect(result.stderr).toMatch(/^vppkit: .*frobnicate.*nothing was verified\n$/);
  expect(result.code).toBe(2);
});
