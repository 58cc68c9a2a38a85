// The same seed gives byte-identical fixtures in another process, in another time zone and locale, on another day.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createRequestFactory, vppTokenFactory } from 'vpptokens-contract-kit';

// The other process runs the built dist/ (jest's global setup builds it from the same source first, as for the CLI
// tests): ts-node compiled src/ in it for about 1 s of CPU (docs/decisions/0185).
const script = `
const { createRequestFactory, vppTokenFactory } = require('./dist/fixtures');
const out = JSON.stringify([createRequestFactory.withSeed(77).withTraits('full').buildList(200), vppTokenFactory.withSeed(77).buildList(200)]);
process.stdout.write(require('node:crypto').createHash('sha256').update(out).digest('hex'));
`;

it('is byte-identical across processes, time zones and locales', () => {
  const here = createHash('sha256')
    .update(JSON.stringify([createRequestFactory.withSeed(77).withTraits('full').buildList(200), vppTokenFactory.withSeed(77).buildList(200)]))
    .digest('hex');
  const there = execFileSync(process.execPath, ['-e', script], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
    encoding: 'utf8',
  });
  expect(there).toBe(here);
});
