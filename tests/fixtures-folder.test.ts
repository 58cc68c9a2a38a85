// One runner for every file in fixtures/: adding a case is adding a file (superstruct-style).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem, validate } from 'vpptokens-contract-kit';
import { fixtureFolders, renderFixtureFiles } from '../scripts/fixture-catalog';

const root = join(__dirname, '..', 'fixtures');

describe.each(Object.entries(fixtureFolders))('fixtures/%s', (folder, kind) => {
  const files = readdirSync(join(root, folder)).filter((f) => f.endsWith('.json')).sort();
  const read = (file: string) => JSON.parse(readFileSync(join(root, folder, file), 'utf8'));

  it('has valid and invalid cases', () => {
    expect(files.some((f) => f.startsWith('valid-'))).toBe(true);
    expect(files.some((f) => f.startsWith('invalid-'))).toBe(true);
    expect(files.filter((f) => !/^(valid|invalid)-/.test(f))).toEqual([]);
  });

  it.each(files.filter((f) => f.startsWith('valid-')))('%s is a valid ' + kind, (file) => {
    expect(validate(kind, read(file)).problems.map(formatProblem)).toEqual([]);
  });

  it.each(files.filter((f) => f.startsWith('invalid-')))('%s produces exactly its problems', (file) => {
    const { payload, problems } = read(file) as { payload: unknown; problems: string[] };
    expect(validate(kind, payload).problems.map(formatProblem).sort()).toEqual([...problems].sort());
  });
});

describe('fixtures/ drift', () => {
  it('matches what npm run generate:fixtures writes', () => {
    for (const [path, text] of renderFixtureFiles()) {
      expect({ path, text: readFileSync(join(root, path), 'utf8') }).toEqual({ path, text });
    }
  });
});
