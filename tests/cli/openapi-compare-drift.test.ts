// The three commands of issue 18 as a user runs them: output, --json, --junit, and the exit-code policy.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPENAPI_DIR, openApiFile } from 'vpptokens-contract-kit/openapi';
import { canonicalPact } from 'vpptokens-contract-kit/provider';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-cli-18-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const metadata = (name: string) => join(__dirname, '..', 'drift', 'metadata', name);

it('openapi prints the committed document, and writes it with --out', async () => {
  const printed = await vppkit(['openapi', '--profile', 'v1.0']);
  expect([printed.code, printed.stderr]).toEqual([0, '']);
  expect(printed.stdout).toBe(readFileSync(join(OPENAPI_DIR, openApiFile('v1.0')), 'utf8'));
  const out = join(dir, 'beta.json');
  expect((await vppkit(['openapi', '--out', out])).code).toBe(0);
  expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(OPENAPI_DIR, openApiFile('beta')), 'utf8'));
});

it('compare: 0 for the canonical pact, 1 with --json and --junit for a wrong expectation, 2 for a file that is no pact', async () => {
  const pact = JSON.parse(readFileSync(canonicalPact('beta'), 'utf8'));
  const n = pact.interactions.length;
  const ok = await vppkit(['compare', canonicalPact('beta')]);
  expect([ok.code, ok.stdout.trim().split('\n').pop()]).toEqual([0, `vppkit compare: 1 pact, ${n} interactions against Graph beta: ${n} passed, 0 failed`]);
  pact.interactions.find((i: { description: string }) => i.description === 'a request to create a vppToken with an empty token').response.status = 201;
  const wrong = join(dir, 'wrong.json');
  writeFileSync(wrong, JSON.stringify(pact));
  const junit = join(dir, 'compare.xml');
  const failed = await vppkit(['compare', wrong, '--json', '--junit', junit]);
  expect(failed.code).toBe(1);
  const report = JSON.parse(failed.stdout);
  expect(report).toMatchObject({ command: 'compare', exitCode: 1, passed: false, profile: 'beta' });
  expect(report.pacts[0].interactions.find((i: { passed: boolean }) => !i.passed).findings[0]).toMatchObject({ side: 'request', pointer: '/token', check: 'request Graph accepts' });
  expect(readFileSync(junit, 'utf8')).toContain(`<testsuites name="vppkit compare" tests="${n}" failures="1" errors="0" skipped="0">`);
  const notPact = await vppkit(['compare', join(__dirname, '..', '..', 'package.json')]);
  expect([notPact.code, notPact.stderr]).toEqual([2, `vppkit: ${join(__dirname, '..', '..', 'package.json')} is not a pact: it has no "interactions" list\n`]);
  // Outside tester H33: with --json, a run that could not be done still prints its one object, as every command does.
  const missing = join(dir, 'no-such-pact.json');
  const gone = await vppkit(['compare', '--json', missing]);
  expect(gone.code).toBe(2);
  expect(JSON.parse(gone.stdout)).toEqual({ command: 'compare', passed: false, exitCode: 2, error: expect.stringContaining(missing) });
  expect(gone.stderr).toMatch(/^vppkit: .*no-such-pact\.json/);
});

// Issue 14: `vppkit compare P P` judged the pact twice, and `vppkit compare pacts/` said EISDIR though the README shows
// it: compare reads its arguments by verify's rule (pactFilesOf: folders and globs, each file once; decision 0512).
it('compare expands a folder and a glob and judges a file named twice once, said; a copy is another pact', async () => {
  const folder = join(dir, 'pacts');
  mkdirSync(folder);
  const pact = join(folder, 'app-microsoft-graph-vpptokens.json');
  copyFileSync(canonicalPact('beta'), pact);
  const link = join(dir, 'link.json');
  symlinkSync(pact, link);
  const n = (JSON.parse(readFileSync(pact, 'utf8')) as { interactions: unknown[] }).interactions.length;
  const summary = (pacts: number) => `vppkit compare: ${pacts} pact${pacts === 1 ? '' : 's'}, ${pacts * n} interactions against Graph beta: ${pacts * n} passed, 0 failed`;
  const twice = await vppkit(['compare', '--no-comparator', pact, folder, link]);
  expect([twice.code, twice.stderr, twice.stdout.trim().split('\n').pop()]).toEqual([0, `vppkit: note: ${pact} is given twice: read once\nvppkit: note: ${link} is ${pact} again: read once\n`, summary(1)]);
  const json = JSON.parse((await vppkit(['compare', '--no-comparator', '--json', pact, pact])).stdout);
  expect([json.pacts.length, json.again]).toEqual([1, [`${pact} is given twice: read once`]]);
  const glob = await vppkit(['compare', '--no-comparator', join(folder, '*.json')]);
  expect([glob.code, glob.stderr, glob.stdout.trim().split('\n').pop()]).toEqual([0, '', summary(1)]);
  const copy = join(dir, 'copy.json');
  copyFileSync(pact, copy);
  const both = await vppkit(['compare', '--no-comparator', pact, copy]);
  expect([both.code, both.stderr, both.stdout.trim().split('\n').pop()]).toEqual([0, '', summary(2)]);
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  const none = await vppkit(['compare', empty, join(folder, 'nobody-*.json')]);
  expect([none.code, none.stderr]).toEqual([2, `vppkit: the folder ${empty} holds no pact files (*.json)\n`]);
  const unmatched = await vppkit(['compare', join(folder, 'nobody-*.json')]);
  expect([unmatched.code, unmatched.stderr]).toEqual([2, `vppkit: no pact file matches ${join(folder, 'nobody-*.json')}\n`]);
});

// Outside tester K5: a pact whose create carries a placeholder token (no Apple sToken) and expects 201 is one Graph
// refuses; --schema-tokens reaches the library and takes it, as check-client's option does.
it('compare --schema-tokens takes a placeholder token expected to be created; without it the pact fails at /token', async () => {
  const pact = JSON.parse(readFileSync(canonicalPact('beta'), 'utf8'));
  const create = pact.interactions.find((i: { description: string }) => i.description === 'a request to create a vppToken with only its token');
  create.request.body.content.token = 'placeholder-token';
  create.response.body.content.token = 'placeholder-token';
  delete create.response.body.content.organizationName;
  const file = join(dir, 'placeholder.json');
  writeFileSync(file, JSON.stringify({ ...pact, interactions: [create] }));
  const strict = await vppkit(['compare', '--no-comparator', file]);
  expect(strict.code).toBe(1);
  expect(strict.stdout).toContain('request /token: is not an Apple VPP token');
  expect(strict.stdout).toContain('--schema-tokens');
  const loose = await vppkit(['compare', '--no-comparator', '--schema-tokens', file]);
  expect([loose.code, loose.stdout.trim().split('\n').pop()]).toEqual([0, 'vppkit compare: 1 pact, 1 interaction against Graph beta: 1 passed, 0 failed']);
});

it('drift: 0 for the committed excerpt, 1 for Microsoft\'s 2023 beta OpenAPI, 2 for a file that is not metadata', async () => {
  const ok = await vppkit(['drift', '--metadata', metadata('v1.0-vppToken.csdl.xml'), '--profile', 'v1.0']);
  expect([ok.code, ok.stdout.trim().split('\n').pop()]).toEqual([0, `vppkit drift: the kit's v1.0 schemas against ${metadata('v1.0-vppToken.csdl.xml')} (CSDL): no drift, 1 explained`]);
  const drifted = await vppkit(['drift', '--metadata', metadata('beta-vppToken.openapi.yaml'), '--json']);
  expect(drifted.code).toBe(1);
  expect(JSON.parse(drifted.stdout)).toMatchObject({ command: 'drift', exitCode: 1, passed: false, profile: 'beta', metadata: { format: 'openapi' } });
  const notMetadata = await vppkit(['drift', '--metadata', join(__dirname, '..', '..', 'README.md')]);
  expect([notMetadata.code, notMetadata.stderr]).toEqual([2, `vppkit: ${join(__dirname, '..', '..', 'README.md')} is neither CSDL (XML) nor an OpenAPI document (no openapi: line)\n`]);
  // Outside tester I23: --json left stdout empty when the run could not be done; one object, as compare's.
  for (const file of [join(__dirname, 'no-such-metadata.xml'), join(__dirname, '..', '..', 'README.md')]) {
    const missing = await vppkit(['drift', '--metadata', file, '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ command: 'drift', passed: false, exitCode: 2, error: expect.stringContaining(file) });
  }
});
