// No two files of src/ import each other, directly or round a longer loop (issue 15 item 7): a cycle makes the
// load order decide what a module sees, and hides which of two capabilities is beneath the other. Type-only
// imports count too: they are where a cycle starts. Imports are read and resolved by the TypeScript compiler.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

const SRC = join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Each file of `files` and the files of `files` it imports, `import type` and `export ... from` included. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, resolveJsonModule: true };
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const imported = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles;
      const targets = imported.map((i) => ts.resolveModuleName(i.fileName, file, options, ts.sys).resolvedModule?.resolvedFileName).filter((f): f is string => f !== undefined && known.has(f));
      return [file, [...new Set(targets)]];
    }),
  );
}

/** The strongly connected components of more than one file, or of a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const named = (files: string[]) => files.map((f) => relative(SRC, f).split(sep).join('/'));

describe('imports in src/', () => {
  it('form no cycle', () => {
    const graph = importGraph(sourceFiles(SRC));
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph).map(named)).toEqual([]);
  });

  it('are read so that a cycle would be found: one round three files, and one through a type-only import', () => {
    const a = join(SRC, 'a.ts');
    const b = join(SRC, 'b.ts');
    const c = join(SRC, 'c.ts');
    const d = join(SRC, 'd.ts');
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, [a]], [d, [a]]])).map(named)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    // The real graph: judgement/answer.ts imports the answer's problem type (`import type`); were that file to
    // import answer.ts back, the loop (with graph-model.ts, header-credentials.ts and resource-identity.ts, which all use) is found.
    const graph = importGraph(sourceFiles(SRC));
    const answer = join(SRC, 'judgement', 'answer.ts');
    const problem = join(SRC, 'judgement', 'answer-problem.ts');
    expect(graph.get(answer)).toContain(problem);
    graph.set(problem, [...graph.get(problem)!, answer]);
    expect(cycles(graph).map(named)).toEqual([['judgement/answer-problem.ts', 'judgement/answer.ts', 'judgement/graph-model.ts', 'judgement/header-credentials.ts', 'judgement/resource-identity.ts']]);
  });
});
