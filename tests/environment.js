// jest's Node test environment, unchanged for the tests. Loaded by jest's own require, once per worker process: a
// worker, once jest has sent its end and nothing holds the worker's loop ('beforeExit'), ends by process.exit()
// rather than by Node's natural end, which frees the whole heap page by page first (decision 1070). Only then: a
// handle or request a test left open still holds the worker, and jest still force-exits it and says so.
const { TestEnvironment } = require('jest-environment-node');

const INSTALLED = Symbol.for('vppkit.jest-worker-ends-by-exit');
// A jest-worker child process (an IPC channel to jest, JEST_WORKER_ID set), not jest's own process in band.
if (typeof process.send === 'function' && process.env.JEST_WORKER_ID !== undefined && !process[INSTALLED]) {
  process[INSTALLED] = true;
  process.once('beforeExit', () => process.exit());
}

module.exports = TestEnvironment;
