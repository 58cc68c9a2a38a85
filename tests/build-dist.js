// The build of dist/ the CLI tests and verify's worker run (tests run the source in-process; a spawned `vppkit`
// and the worker run the built code): built when any source is newer than dist/.build-stamp, one `tsc -b` per run.
// Used by jest's global setup (so `npx jest` never tests stale code) and by `npm test`'s first step, which runs
// it beside the type check (scripts/test-prepare.js).
const { spawn } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
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

/** Whether dist/ is older than a source or a tsconfig (or was never built). */
function distIsStale() {
  const sources = Math.max(newestSource(join(root, 'src')), statSync(join(root, 'tsconfig.build.json')).mtimeMs, statSync(join(root, 'tsconfig.json')).mtimeMs);
  return !existsSync(stamp) || statSync(stamp).mtimeMs < sources;
}

/**
 * Builds dist/ when it is stale; resolves to tsc's exit code (0 when nothing was to do). tsc's output goes to
 * `out` (stderr by default: `npm test` drops jest's stdout).
 */
function buildDist(out = process.stderr) {
  if (!distIsStale()) return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const tsc = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    tsc.stdout.pipe(out, { end: false });
    tsc.stderr.pipe(out, { end: false });
    tsc.on('error', reject);
    tsc.on('close', (code) => {
      if (code === 0) writeFileSync(stamp, '');
      resolve(code ?? 1);
    });
  });
}

module.exports = { buildDist, distIsStale };
