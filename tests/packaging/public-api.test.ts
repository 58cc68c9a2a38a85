// The public API report (docs/public-api.txt) lists what each entry point exports. It is committed, so a change to
// what users can import shows in review; this test fails when the sources and the report disagree.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_FILE, apiReport } from '../../scripts/api-report';

describe('the public API report', () => {
  const report = apiReport();

  it('matches the sources: run `npm run api-report` and review the change when this fails', () => {
    expect(report).toBe(readFileSync(REPORT_FILE, 'utf8'));
  });

  it('keeps the CLI\'s option parsers and the old report reader out of the entry points', () => {
    const section = (name: string) => report.split(`## ${name} (`)[1]?.split('\n## ')[0] ?? '';
    for (const parser of ['parseFailRate', 'parseFailWith', 'parseLatency', 'parseRateLimit']) expect(section('vpptokens-contract-kit/provider')).not.toMatch(new RegExp(` ${parser}\\n`));
    expect(section('vpptokens-contract-kit/seed')).toMatch(/ readSeedReport\n/);
    expect(section('vpptokens-contract-kit/seed')).not.toMatch(/ readReport\n/);
  });

  it('names every export of every index file: no `export *`', () => {
    // Read from the files themselves, not git: CI's second run works in a copy without .git.
    const src = join(__dirname, '..', '..', 'src');
    const sources = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.filter((file) => /^export (type )?\* from/m.test(readFileSync(join(src, file), 'utf8')))).toEqual([]);
  });
});
