#!/usr/bin/env node
'use strict';
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
cli.main(process.argv);
