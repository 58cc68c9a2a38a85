// Runs once before jest's workers start.
// 1. The CLI tests run the built dist/: rebuild it when any source is newer, so `npx jest` never tests stale code.
//    This is `npm test`'s build too (one `tsc -b` per run): its errors go to stderr, as `npm test` drops stdout.
// 2. Every temp file of the run (tests, the CLI's children, Pact) goes to one folder, removed by global-teardown.js.
const { execFileSync } = require('node:child_process');
const { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

module.exports = async function globalSetup() {
  const sources = Math.max(newestSource(join(root, 'src')), statSync(join(root, 'tsconfig.build.json')).mtimeMs, statSync(join(root, 'tsconfig.json')).mtimeMs);
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
    writeFileSync(stamp, '');
  }
  const runTemp = mkdtempSync(join(tmpdir(), 'vppkit-jest-'));
  process.env.VPPKIT_JEST_TEMP = runTemp;
  process.env.TMPDIR = runTemp;
};
