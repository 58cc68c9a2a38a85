import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

describe('src/generated/types.ts', () => {
  it('matches what npm run generate produces from schemas/ (beta and v1.0 types, schemas/v1.0/)', () => {
    // In a child process: json-schema-to-typescript formats with prettier 3, whose dynamic imports jest's VM refuses.
    // Its TypeScript transpiled by swc, as jest's own (decision 0932): ts-node's compiler cost about 3 s more of CPU.
    const run = () =>
      execFileSync(process.execPath, ['-r', './tests/support/swc-register.js', 'scripts/generate-types.ts', '--check'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    expect(run).not.toThrow();
  });

  it('declares one named type per schema, exact (no index signatures)', () => {
    const text = readFileSync(join(root, 'src', 'generated', 'types.ts'), 'utf8');
    for (const name of ['VppTokenCreateRequest', 'VppToken', 'VppTokenActionResult', 'GraphError', 'VppTokenState', 'VppTokenAccountType', 'VppTokenSyncStatus', 'ActionState', 'AppleDeviceDeliveryProtocol', 'DateTimeOffset']) {
      expect(text).toMatch(new RegExp(`export (interface|type) ${name}\\b`));
    }
    expect(text).not.toMatch(/export (interface|type) \w+\d\b/);
    expect(text).not.toMatch(/\[k: string\]: unknown/);
  });
});

describe('src/generated/types-v1.ts', () => {
  it('declares the v1.0 types, without the beta-only ones', () => {
    const text = readFileSync(join(root, 'src', 'generated', 'types-v1.ts'), 'utf8');
    for (const name of ['VppTokenCreateRequest', 'VppToken', 'GraphError', 'VppTokenState', 'VppTokenAccountType', 'VppTokenSyncStatus', 'DateTimeOffset']) {
      expect(text).toMatch(new RegExp(`export (interface|type) ${name}\\b`));
    }
    for (const gone of ['VppTokenActionResult', 'ActionState', 'AppleDeviceDeliveryProtocol', 'duplicateLocationId', 'displayName', 'roleScopeTagIds']) {
      expect(text).not.toContain(gone);
    }
  });
});

describe('src/generated/validators-*.ts (ajv standalone code, docs/decisions/0186)', () => {
  // The generated validators against ajv compiling the same schemas in this process, as every process did before:
  // the same verdict and the same errors (with their schemas, which the problems read) for every fixture, each
  // profile, the first-error and the every-error set; and the problems said of them the same. Both ways: valid
  // fixtures pass both, invalid ones fail both with the same errors.
  const { kitAjv, validatorRefs } = require('../src/validation/compile') as typeof import('../src/validation/compile');
  const { loadSchemas, profileBaseUri, schemaFiles } = require('../src/schemas') as typeof import('../src/schemas');
  const { problemsOf } = require('../src/validation') as typeof import('../src/validation');
  const { toProblems } = require('../src/validation/problems') as typeof import('../src/validation/problems');
  const { resolveUnions } = require('../src/validation/unions') as typeof import('../src/validation/unions');
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  const folders = { 'create-request': 'request', 'create-response': 'response', 'graph-error': 'error' } as const;
  const fixtures = Object.entries(folders).flatMap(([folder, kind]) =>
    readdirSync(join(root, 'fixtures', folder)).map((file) => ({ name: `${folder}/${file}`, kind, value: JSON.parse(readFileSync(join(root, 'fixtures', folder, file), 'utf8')) as unknown })),
  );
  const runtime = (profile: 'beta' | 'v1.0', set: 'check' | 'explain') => {
    const ajv = kitAjv(set === 'check' ? { allErrors: false, verbose: false } : { allErrors: true, verbose: true });
    for (const [file, schema] of loadSchemas(profile)) ajv.addSchema(schema, `${profileBaseUri(profile)}${file}`);
    return (ref: string) => ajv.getSchema(ref);
  };
  const generated = (profile: 'beta' | 'v1.0', set: 'check' | 'explain') =>
    (require(`../src/generated/validators-${profile === 'beta' ? 'beta' : 'v1'}-${set}`) as { validators: Record<string, import('ajv').ValidateFunction> }).validators;

  it('are what the schemas compile to now (npm run generate writes them; generate --check above fails when one is stale)', () => {
    const { standaloneValidators } = require('../src/validation/compile') as typeof import('../src/validation/compile');
    for (const [profile, name] of [['beta', 'beta'], ['v1.0', 'v1']] as const) {
      for (const set of ['check', 'explain'] as const) {
        const file = join(root, 'src', 'generated', `validators-${name}-${set}.ts`);
        expect([file, readFileSync(file, 'utf8') === standaloneValidators(profile, set)]).toEqual([file, true]);
      }
    }
  });

  it.each(['beta', 'v1.0'] as const)('give the verdicts and errors ajv compiling %s at run time gives, for every fixture', (profile) => {
    let valid = 0;
    let invalid = 0;
    for (const set of ['check', 'explain'] as const) {
      const theirs = runtime(profile, set);
      const ours = generated(profile, set);
      expect(Object.keys(ours)).toEqual(validatorRefs(profile));
      for (const { kind, value } of fixtures) {
        const ref = `${profileBaseUri(profile)}${schemaFiles[kind]}`;
        const [a, b] = [ours[ref], theirs(ref)!];
        const verdict = a(value);
        expect(verdict).toBe(b(value));
        expect(a.errors ?? null).toEqual(b.errors ?? null);
        if (verdict) valid++;
        else invalid++;
        if (set === 'explain' && !verdict) {
          expect(problemsOf(kind, value, profile)).toEqual(toProblems(resolveUnions(b.errors ?? [], theirs), value));
        }
      }
    }
    expect(valid).toBeGreaterThan(10);
    expect(invalid).toBeGreaterThan(10);
  });
});

describe('src/generated/validators-kit.ts (the kit\'s own input files, docs/decisions/0446)', () => {
  // The checkers compiled at build time against schemaChecker compiling the same schema in this process: the same
  // problems, word for word, for valid files (none) and broken ones (each its own).
  const { kitChecker } = require('../src/validation/kit-checkers') as typeof import('../src/validation/kit-checkers');
  const { schemaChecker } = require('../src/validation/validators') as typeof import('../src/validation/validators');
  const { FAULTS_FILE_SCHEMA } = require('../src/provider/faults') as typeof import('../src/provider/faults');
  const { REPORT_SCHEMA } = require('../src/conform/select') as typeof import('../src/conform/select');
  const finding = { check: 'x', request: { method: 'POST', path: '/p', headers: {}, body: '{}' }, replay: { kind: 'valid' } };
  const cases = {
    faults: {
      schema: FAULTS_FILE_SCHEMA,
      valid: [{}, { failRate: 0.2, failWith: [429, '504-after-create'], rateLimit: { requests: 1, seconds: 2 }, latency: 20, seed: 7, retryAfter: 3 }, { latency: { min: 1, max: 2 } }],
      invalid: [[], { failRate: 2 }, { failWith: [] }, { failWith: [418] }, { latency: '50-300' }, { latency: { min: 1 } }, { latency: -1 }, { rateLimit: { requests: 0 } }, { 'fail-rate': 0.2 }, { seed: 1.5 }],
    },
    conformReport: {
      schema: REPORT_SCHEMA,
      valid: [{ command: 'conform', providerBaseUrl: 'http://x', embedded: false, profile: 'beta', findings: [] }],
      invalid: [{}, { command: 'verify', providerBaseUrl: 'http://x', embedded: false, profile: 'beta', findings: [] }, { command: 'conform', providerBaseUrl: 1, embedded: 'no', profile: 'v2', findings: {} }, { command: 'conform', providerBaseUrl: 'http://x', embedded: false, profile: 'beta', findings: [{ ...finding, replay: { kind: 'other' } }] }],
    },
  } as const;

  it.each(Object.keys(cases) as (keyof typeof cases)[])('%s: the same problems as the schema compiled at run time, none for a valid file, some for each broken one', (name) => {
    const { schema, valid, invalid } = cases[name];
    const built = kitChecker(name);
    const runtime = schemaChecker(schema as unknown as Record<string, unknown>);
    for (const data of valid) expect([data, built(data)]).toEqual([data, []]);
    for (const data of invalid) {
      const problems = built(data);
      expect([data, problems.length > 0]).toEqual([data, true]);
      expect(problems).toEqual(runtime(data));
    }
  });
});
