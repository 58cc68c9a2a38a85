// Each src/ folder's index.ts only names what the folder offers (issue 15 item 7): the work is in files named for
// it, so a reader finds `checkClient` in check-client.ts, not behind an index that is half re-export, half code.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const SRC = join(__dirname, '..', '..', 'src');

/** The statements of `text` that are not `export ... from '...'` (comments are not statements). */
function ownCode(text: string): string[] {
  const file = ts.createSourceFile('index.ts', text, ts.ScriptTarget.Latest, true);
  return file.statements.filter((s) => !(ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined)).map((s) => s.getText(file).split('\n')[0]);
}

// The root's and every folder's that has one (cli/ is the program, entries/ the package's other entry points).
const indexFiles = [
  join(SRC, 'index.ts'),
  ...readdirSync(SRC, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(SRC, entry.name, 'index.ts'))
    .filter((file) => existsSync(file)),
];

describe('index files in src/', () => {
  it('only re-export', () => {
    expect(indexFiles.length).toBeGreaterThan(20);
    const offending = indexFiles.flatMap((file) => ownCode(readFileSync(file, 'utf8')).map((line) => `${file.slice(SRC.length + 1)}: ${line}`));
    expect(offending).toEqual([]);
  });

  it('are read so that code in one would be found: a function, a constant, an import, a side effect', () => {
    expect(ownCode("// a comment\nexport { a, type B } from './a';\nexport type { C } from './c';\n")).toEqual([]);
    expect(ownCode("export { a } from './a';\nexport function b() {}\nconst c = 1;\nimport { d } from './d';\nd();\nexport { c };\n")).toEqual([
      'export function b() {}',
      'const c = 1;',
      "import { d } from './d';",
      'd();',
      'export { c };',
    ]);
  });
});
