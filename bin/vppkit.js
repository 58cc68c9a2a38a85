#!/usr/bin/env node
'use strict';
// The one place that touches the process: its argv, streams, environment, signals and exit. The CLI itself is
// `main(argv, io)` (dist/cli/main.js), which runs in-process and resolves to the exit code.
let cli;
try {
  cli = require('../dist/cli/main.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && /dist[\\/]cli[\\/]main/.test(error.message)) {
    process.stderr.write('vppkit: not built yet: run `npm run build` (npm ci and npm install build it for you)\n');
    process.exit(2);
  }
  throw error;
}

// Pact's native core sends usage telemetry unless told not to; there may be no network.
process.env.PACT_DO_NOT_TRACK ??= 'true';

const argv = process.argv.slice(2);
const debug = cli.wantsDebug(argv);

// Ctrl-C or SIGTERM: the first aborts `signal` (the command finishes what it must, then exits 130; a command with
// nothing to finish ends at once), the second aborts `abandon` (seed drops its requests in flight), a third quits.
const interrupt = new AbortController();
const abandon = new AbortController();
for (const name of ['SIGINT', 'SIGTERM']) {
  process.on(name, () => {
    if (!interrupt.signal.aborted) interrupt.abort(name);
    else if (!abandon.signal.aborted) abandon.abort(name);
    else process.exit(130);
  });
}
// Errors outside any promise (stdout failing asynchronously, a library's stray throw) are one line, exit 2.
process.on('uncaughtException', (error) => process.exit(cli.reportFailure(error, debug, process.stderr)));
// Output that fails after the run (the reader went away) is dropped.
process.stdout.on('error', () => undefined);

cli
  .main(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, signal: interrupt.signal, abandon: abandon.signal })
  .then((code) => {
    // Exit once what was written has been flushed: nothing a command left behind (an idle socket, a library's
    // timer) keeps vppkit running after its verdict.
    process.exitCode = code;
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });
