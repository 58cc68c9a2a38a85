#!/usr/bin/env node
// `npm test`'s first step: the type check (`npm run typecheck`: src, tests, scripts, examples, bench) and the build
// of dist/ (tests/build-dist.js), side by side. Each is one single-threaded tsc, and in a fresh clone each takes
// 10-20 s of CPU: one after the other they kept a core idle for the shorter one (docs/decisions/0161). The type
// check's output is shown once both have ended, and the build's when the type check passed (a build's type errors
// are the type check's too); the exit code is the first failure's.
const { spawn } = require('node:child_process');
const { PassThrough } = require('node:stream');
const { join } = require('node:path');
const { buildDist } = require('../tests/build-dist');

const root = join(__dirname, '..');
const collect = (stream) => {
  let text = '';
  stream.on('data', (chunk) => (text += chunk));
  return () => text;
};

/** `npm run typecheck` (package.json says what it runs), through the npm that runs this script when there is one. */
function typecheck() {
  const npm = process.env.npm_execpath;
  const args = ['run', '--silent', 'typecheck'];
  const tsc = npm ? spawn(process.execPath, [npm, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }) : spawn('npm', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
  const out = collect(tsc.stdout);
  const err = collect(tsc.stderr);
  return new Promise((resolve, reject) => {
    tsc.on('error', reject);
    tsc.on('close', (code) => resolve({ code: code ?? 1, stdout: out(), stderr: err() }));
  });
}

(async () => {
  const buildOutput = new PassThrough();
  const buildText = collect(buildOutput);
  const [checked, built] = await Promise.all([typecheck(), buildDist(buildOutput)]);
  process.stdout.write(checked.stdout);
  process.stderr.write(checked.stderr);
  if (checked.code !== 0) process.exitCode = checked.code;
  else {
    process.stderr.write(buildText());
    if (built !== 0) process.exitCode = built;
  }
})().catch((error) => {
  process.stderr.write(`test-prepare: ${error.message}\n`);
  process.exitCode = 2;
});
