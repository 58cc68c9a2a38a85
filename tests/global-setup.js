// Runs once before jest's workers start.
// 1. The CLI tests run the built dist/: rebuild it when any source is newer (tests/build-dist.js), so `npx jest`
//    never tests stale code. `npm test` builds it first, beside the type check (scripts/test-prepare.js): then
//    there is nothing left to build here.
// 2. Every temp file of the run (tests, the CLI's children, Pact) goes to one folder, removed by global-teardown.js.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { buildDist } = require('./build-dist');

module.exports = async function globalSetup() {
  const code = await buildDist();
  if (code !== 0) throw new Error(`the build of dist/ failed (tsc -b tsconfig.build.json exited ${code}): its errors are above`);
  const runTemp = mkdtempSync(join(tmpdir(), 'vppkit-jest-'));
  process.env.VPPKIT_JEST_TEMP = runTemp;
  process.env.TMPDIR = runTemp;
};
