// The order of the test files (tests/sequencer.js, docs/decisions/0187): without jest's own timings the costliest
// files start first; with them jest's order (longest first) stands.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const CostliestFirst = require('../sequencer') as (new () => { sort(tests: FakeTest[]): FakeTest[]; time(test: FakeTest): number | undefined }) & { COSTLIEST: string[] };
const root = join(__dirname, '..', '..');

interface FakeTest {
  path: string;
  duration?: number;
  context: { config: { rootDir: string; cache: boolean }; hasteFS: { getSize(path: string): number } };
}

/** Test files as jest hands them to a sequencer: each with its size (jest's order without timings is the largest first). */
function files(sizes: Record<string, number>): FakeTest[] {
  const context = { config: { rootDir: root, cache: false }, hasteFS: { getSize: (path: string) => sizes[path.slice(root.length + 1)] } };
  return Object.keys(sizes).map((file) => ({ path: join(root, file), context }));
}
const names = (tests: FakeTest[]) => tests.map((t) => t.path.slice(root.length + 1));

it('starts the costliest files first, costliest first, and the rest by size, when jest has no timings (a fresh clone)', () => {
  const tests = files({ 'tests/big.test.ts': 9000, 'tests/verification/broken-providers.test.ts': 100, 'tests/small.test.ts': 50, 'tests/conform/conform.test.ts': 500, 'tests/mid.test.ts': 1000 });
  expect(names(new CostliestFirst().sort(tests))).toEqual(['tests/conform/conform.test.ts', 'tests/verification/broken-providers.test.ts', 'tests/big.test.ts', 'tests/mid.test.ts', 'tests/small.test.ts']);
});

it("keeps jest's order, longest first, when jest has timings of an earlier run", () => {
  const timings: Record<string, number> = { 'tests/big.test.ts': 1, 'tests/verification/broken-providers.test.ts': 5, 'tests/conform/conform.test.ts': 3 };
  class Timed extends CostliestFirst {
    override time(test: FakeTest) {
      return timings[test.path.slice(root.length + 1)];
    }
  }
  const tests = files({ 'tests/big.test.ts': 9000, 'tests/verification/broken-providers.test.ts': 100, 'tests/conform/conform.test.ts': 500 });
  expect(names(new Timed().sort(tests))).toEqual(['tests/verification/broken-providers.test.ts', 'tests/conform/conform.test.ts', 'tests/big.test.ts']);
});

it('names only test files that exist (a renamed file would fall back to its size)', () => {
  expect(CostliestFirst.COSTLIEST.length).toBeGreaterThan(5);
  for (const file of CostliestFirst.COSTLIEST) expect([file, existsSync(join(root, file))]).toEqual([file, true]);
});
