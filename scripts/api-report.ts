// The public API report: every name each entry point of the package exports, with its kind, read from the
// sources by the TypeScript compiler. `npm run api-report` rewrites docs/public-api.txt; a test fails when the
// file and the sources differ, so that a change to what users can import is seen in review.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..');
export const REPORT_FILE = join(root, 'docs', 'public-api.txt');

/** The package's entry points (package.json `exports`) and the source each is built from, where it is there yet. */
export function entryPoints(): { name: string; source: string }[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  return Object.entries(pkg.exports)
    .filter((entry): entry is [string, { default: string }] => typeof entry[1] === 'object' && entry[1] !== null)
    .map(([subpath, target]) => ({
      name: `${pkg.name}${subpath.slice(1)}`,
      source: join(root, target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')),
    }))
    .filter((entry) => existsSync(entry.source));
}

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Variable) return 'const';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) return 'namespace';
  return 'other';
}

/** The report's text: one section per entry point, one `kind name` line per export, sorted by name. */
export function apiReport(): string {
  const entries = entryPoints();
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram(entries.map((e) => e.source), { ...(config?.options ?? {}), noEmit: true });
  const checker = program.getTypeChecker();
  const lines = [
    '# The public API of vpptokens-contract-kit: what each entry point exports (`npm run api-report` rewrites this',
    '# file; tests/packaging/public-api.test.ts fails when it no longer matches the sources).',
  ];
  for (const entry of entries) {
    const file = program.getSourceFile(entry.source);
    const module = file && checker.getSymbolAtLocation(file);
    if (!module) throw new Error(`cannot read the entry point ${entry.source}`);
    const names = checker
      .getExportsOfModule(module)
      .map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return `${kindOf(target)} ${symbol.getName()}`;
      })
      .sort((a, b) => a.split(' ')[1].localeCompare(b.split(' ')[1]) || a.localeCompare(b));
    lines.push('', `## ${entry.name} (${names.length})`, ...names);
  }
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  writeFileSync(REPORT_FILE, apiReport());
  process.stdout.write(`wrote ${REPORT_FILE}\n`);
}
