// The package's entry points as a user's project sees them: the built dist/ (jest's global setup builds it)
// loaded in a child Node through the package name, which Node resolves through package.json `exports`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
const subpaths = Object.keys(pkg.exports).filter((key) => typeof pkg.exports[key] === 'object');
const sourceOf = (subpath: string) => pkg.exports[subpath].default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
// `/jest` and `/conform` come from other branches; each subpath is checked once its source is there.
const present = subpaths.filter((subpath) => existsSync(join(root, sourceOf(subpath))));

/**
 * What requiring `specifier` in a fresh Node loads: module files and Node's built-in modules; then, in the same
 * child, the export names of each of `then` (required after what was loaded was read, so not judged with it).
 */
function loadedBy(specifier: string, then: string[] = []): { files: string[]; builtins: string[]; exports: string[]; exportsOf: Record<string, string[]> } {
  const script = `
    const loaded = require(${JSON.stringify(specifier)});
    const files = Object.keys(require.cache);
    const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
    const exportsOf = Object.fromEntries(${JSON.stringify(then)}.map((s) => [s, Object.keys(require(s))]));
    process.stdout.write(JSON.stringify({ files, builtins, exports: Object.keys(loaded), exportsOf }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
}
/** /provider's child, which also gives every subpath's export names: one child Node fewer. */
let providerChild: ReturnType<typeof loadedBy> | undefined;
const providerLoads = () => (providerChild ??= loadedBy('vpptokens-contract-kit/provider', present.map((subpath) => `vpptokens-contract-kit${subpath.slice(1)}`)));

describe('entry points', () => {
  // (`net` is not checked: a child's piped stdout is a net.Socket.)
  it('the root gives schemas, validators and fixtures without loading Pact, express or an HTTP server', () => {
    const { files, builtins, exports } = loadedBy('vpptokens-contract-kit');
    expect(exports).toEqual(expect.arrayContaining(['schemaFor', 'validate', 'createRequestFactory', 'vppTokenFactory', 'readRecords']));
    expect(files.filter((file) => /@pact-foundation|[/\\]express[/\\]/.test(file))).toEqual([]);
    expect(builtins.filter((name) => /^(http|https|http2|_http_server|_http_client)$/.test(name))).toEqual([]);
  });

  it('/pact loads Pact; /provider also an HTTP server (so the check above can see them)', () => {
    expect(loadedBy('vpptokens-contract-kit/pact').files.some((file) => file.includes('@pact-foundation'))).toBe(true);
    const provider = providerLoads();
    expect(provider.builtins).toContain('_http_server');
    expect(provider.exports).toEqual(expect.arrayContaining(['startReferenceProvider', 'verifyProvider', 'checkClient', 'CANONICAL_PACT']));
  });

  it('every subpath resolves to built code, with its types, in exports, typesVersions, tsconfig paths and jest', () => {
    expect(present).toEqual(expect.arrayContaining(['.', './pact', './provider', './seed']));
    const jestMapper = require(join(root, 'jest.config.js')).moduleNameMapper as Record<string, string>;
    const exported = providerLoads().exportsOf;
    for (const subpath of present) {
      const name = `vpptokens-contract-kit${subpath.slice(1)}`;
      const { default: js, types } = pkg.exports[subpath];
      expect(existsSync(join(root, js))).toBe(true);
      expect(existsSync(join(root, types))).toBe(true);
      expect(exported[name].length).toBeGreaterThan(0);
      expect(tsconfig.compilerOptions.paths[name]).toEqual([sourceOf(subpath)]);
      expect(Object.entries(jestMapper).find(([pattern]) => new RegExp(pattern).test(name))?.[1]).toBe(`<rootDir>/${sourceOf(subpath)}`);
      if (subpath !== '.') expect(pkg.typesVersions['*'][subpath.slice(2)]).toEqual([types.slice(2)]);
    }
  });

  it('declares Pact as a peer dependency over the tested range, and a dev dependency at the locked version', () => {
    expect(pkg.dependencies['@pact-foundation/pact']).toBeUndefined();
    expect(pkg.peerDependencies['@pact-foundation/pact']).toBe('>=16.4.0 <18');
    expect(pkg.devDependencies['@pact-foundation/pact']).toBe('16.4.0');
  });
});

describe('npm pack', () => {
  const files: string[] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }))[0].files.map((f: { path: string }) => f.path);

  it('carries the built code with its types, the schemas, the canonical pact, bin, the examples and the README', () => {
    for (const file of ['bin/vppkit.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'schemas/vpp-token.schema.json', 'pacts/vppkit-canonical-consumer-microsoft-graph-vpptokens.json', 'fixtures/create-request/invalid-seed-page-example.json', 'examples/consumer.pact.test.ts', 'examples/vpp-token-client.ts', 'README.md', 'package.json']) {
      expect(files).toContain(file);
    }
    for (const subpath of present) expect(files).toContain(pkg.exports[subpath].types.slice(2));
  });

  it('carries no tests, caches, sources or build stamps', () => {
    expect(files.filter((file) => /^(tests|src|scripts|bench|coverage|node_modules|\.ci)\/|\.build-stamp$|tsbuildinfo$/.test(file))).toEqual([]);
    expect(files.filter((file) => file.startsWith('docs/') && !/^docs\/(decisions\/\d{4}-[a-z0-9-]+\.md|decisions\/README\.md|public-api\.txt|suite-time\.md)$/.test(file))).toEqual([]);
  });

  it('carries every file the README links to (the decisions, the public API report): no link is dead on npm', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((target) => !/^[a-z]+:/.test(target));
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((target) => !files.includes(target))).toEqual([]);
  });

  it('names no file or folder the package does not ship (a path in the text, not only a link)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const top = /^(\.ci|\.github|src|tests|scripts|bench|coverage|dist|examples|schemas|pacts|fixtures|openapi|docs|bin|node_modules)\//;
    const paths = [...readme.matchAll(/(?<![\w.@/-])((?:\.ci|\.github|src|tests|scripts|bench|coverage|dist|examples|schemas|pacts|fixtures|openapi|docs|bin)\/[\w.*{}<>/-]*)/g)]
      .map((m) => m[1].replace(/[.,:;]+$/, ''))
      .filter((path) => top.test(path));
    expect(paths.length).toBeGreaterThan(0);
    // A file the package holds, the start of one's name (a folder, `docs/decisions/0001`, a pattern such as
    // `fixtures/<kind>/valid-*.json`), or a file a user's own run writes (a consumer's pact).
    const yours = /^pacts\/(my-app|intune-onboarding)-microsoft-graph-vpptokens\.json$/;
    const shipped = (path: string) => yours.test(path) || files.some((file) => file.startsWith(path.split(/[*{<]/)[0]));
    expect([...new Set(paths.filter((path) => !shipped(path)))]).toEqual([]);
  });
});

describe('the repository', () => {
  // Read from the files themselves, not git: CI's second run works in a copy without .git.
  it('holds no stray log file', () => {
    const skipped = new Set(['node_modules', '.git', 'dist', 'coverage']);
    const files: string[] = [];
    for (const pending = ['']; pending.length > 0; ) {
      const dir = pending.pop()!;
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        if (entry.isDirectory()) { if (!skipped.has(entry.name)) pending.push(join(dir, entry.name)); }
        else files.push(join(dir, entry.name));
      }
    }
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => /\.log$/.test(file))).toEqual([]);
  });
});
