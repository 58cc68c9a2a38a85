// `node -r ./tests/support/swc-register.js script.ts`: runs one of scripts/ in a child process with its TypeScript
// transpiled by swc, file by file, as jest's transform does (decision 0932). ts-node's transpile-only mode, which
// `npm run generate` uses, runs TypeScript's own compiler on each file: about 3 s more of CPU for generate --check.
// Without @swc/core (a node_modules from before it was a dev dependency) it is ts-node, as before.
const { readFileSync } = require('node:fs');

let transformSync;
try {
  ({ transformSync } = require('@swc/core'));
} catch {
  transformSync = undefined;
}
if (transformSync === undefined) {
  require('ts-node/register/transpile-only');
} else {
  const options = require('./swc-options');
  require.extensions['.ts'] = (module, filename) => {
    const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
    module._compile(code, filename);
  };
}
