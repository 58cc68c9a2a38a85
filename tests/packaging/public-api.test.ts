// The public API report (docs/public-api.txt) lists what each entry point exports. It is committed, so a change to
// what users can import shows in review; this test fails when the sources and the report disagree.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    // git grep exits 1 when nothing matches: that is the pass.
    const found = spawnSync('git', ['grep', '-l', '-E', '^export (type )?\\* from', '--', 'src'], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
    expect([found.status, found.stdout]).toEqual([1, '']);
  });
});
