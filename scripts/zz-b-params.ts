import ts from 'typescript';
import { entryPoints } from './api-report';
const entries = entryPoints();
const config = ts.getParsedCommandLineOfConfigFile('/work/wt-B/tsconfig.build.json', {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
const program = ts.createProgram(entries.map(e=>e.source), { ...config!.options, noEmit: true });
const checker = program.getTypeChecker();
const seen = new Set<string>();
for (const entry of entries) {
  const mod = checker.getSymbolAtLocation(program.getSourceFile(entry.source)!)!;
  for (const s of checker.getExportsOfModule(mod)) {
    const t = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    if (!(t.flags & ts.SymbolFlags.Function)) continue;
    if (seen.has(s.getName())) continue; seen.add(s.getName());
    const decls = (t.declarations ?? []) as ts.FunctionDeclaration[];
    const d = decls[decls.length-1];
    for (const p of d.parameters ?? []) {
      const tn = p.type?.getText() ?? '';
      if (!(p.name.getText() === 'options' || /Options\b/.test(tn) || (p.type !== undefined && ts.isTypeLiteralNode(p.type)) || ['wait','given','worker','mode','creator'].includes(p.name.getText()))) continue;
      const pt = checker.getNonNullableType(checker.getTypeAtLocation(p));
      console.log(`${s.getName()} ${p.name.getText()}:`);
      for (const m of checker.getPropertiesOfType(pt)) console.log(`   ${m.getName()}: ${checker.typeToString(checker.getTypeOfSymbol(m)).slice(0,90)}`);
    }
  }
}
