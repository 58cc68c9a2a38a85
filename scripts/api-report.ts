// The public API report: every name each entry point of the package exports, with its kind, read from the
// sources by the TypeScript compiler. `npm run api-report` rewrites docs/public-api.txt; a test fails when the
// file and the sources differ, so that a change to what users can import is seen in review.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/**
 * A program of the kit's own sources alone: an export's name and kind are read from the sources, so the compiler
 * follows relative imports only, without the standard library, @types/node or any package's types (the full program
 * was about 600 files and 5 s of CPU; this one about 170 files and under 1 s). An export a package gives is then
 * unresolved, and the report refuses it rather than guess its kind.
 */
function sourcesProgram(sources: string[]): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const options: ts.CompilerOptions = { ...(config?.options ?? {}), noEmit: true, noLib: true, types: [] };
  const host = ts.createCompilerHost(options);
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map((literal) => (literal.text.startsWith('.') ? ts.resolveModuleName(literal.text, containingFile, options, host) : { resolvedModule: undefined }));
  // The standard library's ES5 file alone, for its utility types (Pick, Omit, Partial): an options type made with one
  // (RunSeedOptions extends Pick<SeedOptions, ...>) lists its members (optionsLines).
  return ts.createProgram([...sources, join(dirname(ts.getDefaultLibFilePath(options)), 'lib.es5.d.ts')], options, host);
}

/**
 * A function's options objects and the names each takes, as `  options: a, b, c` lines under the function: a
 * parameter named `options`, or of a type whose name ends `Options`, or of an object type written in place (`mode:
 * { resume?, force? }`). Each name is a member the function may read, and tests/library-arguments.test.ts fails
 * until each has its row there (a member of the wrong kind refused in the kit's words, decision 0891): a member added
 * to a type changes this report, so neither can be left out without a test failing.
 */
function optionsLines(checker: ts.TypeChecker, target: ts.Symbol): string[] {
  const members = new Map<string, Set<string>>();
  for (const declaration of target.declarations ?? []) {
    if (!ts.isFunctionDeclaration(declaration)) continue;
    for (const parameter of declaration.parameters) {
      const type = parameter.type;
      const named = type && ts.isTypeReferenceNode(type) && /Options$/.test(type.typeName.getText());
      const inPlace = type && ts.isTypeLiteralNode(type);
      const name = parameter.name.getText();
      if (!(name === 'options' || named || inPlace)) continue;
      const shape = checker.getNonNullableType(checker.getTypeAtLocation(parameter));
      const names = members.get(name) ?? new Set<string>();
      for (const property of checker.getPropertiesOfType(shape)) names.add(property.getName());
      members.set(name, names);
    }
  }
  return [...members].filter(([, names]) => names.size > 0).map(([name, names]) => `  ${name}: ${[...names].sort().join(', ')}`);
}

/**
 * A function's positional object arguments that are no options object (a result of the kit's handed back, a request
 * as observed, a pact-js object), as an `  objects: a, b` line under the function: a parameter whose type is an
 * object with members, not a function, an array or a built-in. Each is a member-holding argument the function reads;
 * tests/library-arguments.test.ts fails until each has its row there (`{}` in its place refused in the kit's words,
 * or taken whole, decision 1041), so a function added with one cannot be left out.
 */
function objectsLines(checker: ts.TypeChecker, target: ts.Symbol): string[] {
  const names = new Set<string>();
  for (const declaration of target.declarations ?? []) {
    // A function declared, or a const holding an arrow function (`export const formatViolation = (v: Violation) => ...`).
    const fn = ts.isFunctionDeclaration(declaration) ? declaration : ts.isVariableDeclaration(declaration) && declaration.initializer && (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer)) ? declaration.initializer : undefined;
    if (!fn) continue;
    for (const parameter of fn.parameters) {
      const type = parameter.type;
      const name = parameter.name.getText();
      if (!type || name === 'options' || (ts.isTypeReferenceNode(type) && /Options$/.test(type.typeName.getText())) || ts.isTypeLiteralNode(type)) continue;
      const shape = checker.getNonNullableType(checker.getTypeAtLocation(parameter));
      const parts = shape.isUnion() ? shape.types : [shape];
      // A Date or a Uint8Array is asked by its kind (argumentProblem's date, bytes); a Pick of the kit's type is the kit's.
      const builtIn = (part: ts.Type): boolean => part.getSymbol()?.getName() !== '__type' && (part.getSymbol()?.declarations ?? []).some((d) => d.getSourceFile().hasNoDefaultLib);
      const objects = parts.filter((part) => part.flags & ts.TypeFlags.Object && !checker.isArrayType(part) && !checker.isTupleType(part) && part.getCallSignatures().length === 0 && checker.getPropertiesOfType(part).length > 0 && !builtIn(part));
      // A package's type (pact-js's PactV4) is not read by this program: a type named, not resolved, is an object of its.
      const unresolved = ts.isTypeReferenceNode(type) && shape.flags & ts.TypeFlags.Any;
      if (objects.length > 0 || unresolved) names.add(name);
    }
  }
  return names.size > 0 ? [`  object arguments: ${[...names].join(', ')}`] : [];
}

/** The report's text: one section per entry point, one `kind name` line per export, sorted by name. */
export function apiReport(): string {
  const entries = entryPoints();
  const program = sourcesProgram(entries.map((e) => e.source));
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
        if (!target.declarations?.length) throw new Error(`${entry.name} exports ${symbol.getName()} from outside the kit's sources (a package): the report reads the sources alone, so name it in a source file of the kit`);
        return [`${kindOf(target)} ${symbol.getName()}`, ...(target.flags & ts.SymbolFlags.Function ? optionsLines(checker, target) : []), ...(target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable) ? objectsLines(checker, target) : [])].join('\n');
      })
      .sort((a, b) => a.split(/[ \n]/)[1].localeCompare(b.split(/[ \n]/)[1]) || a.localeCompare(b));
    lines.push('', `## ${entry.name} (${names.length})`, ...names);
  }
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  writeFileSync(REPORT_FILE, apiReport());
  process.stdout.write(`wrote ${REPORT_FILE}\n`);
}
