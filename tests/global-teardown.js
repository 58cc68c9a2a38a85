// Removes the run's temp folder (see global-setup.js): test folders, the CLI's children's files, Pact's.
const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  const runTemp = process.env.VPPKIT_JEST_TEMP;
  if (runTemp) rmSync(runTemp, { recursive: true, force: true });
};
