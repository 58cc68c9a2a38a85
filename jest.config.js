const { exports: entries } = require('./package.json');

/** Tests import the kit by its package name; each subpath maps to the source its `exports` entry is built from. */
function moduleNameMapper() {
  const mapper = {};
  for (const [subpath, target] of Object.entries(entries)) {
    if (typeof target !== 'object') continue; // files (schemas, pacts, package.json) resolve as they are
    const name = `vpptokens-contract-kit${subpath.slice(1)}`.replace(/[/.]/g, '\\$&');
    mapper[`^${name}$`] = `<rootDir>/${target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')}`;
  }
  return mapper;
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `tsc --noEmit` in `npm test`; jest only transpiles, which keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper: moduleNameMapper(),
  setupFiles: ['<rootDir>/tests/setup-env.js'],
  // The CLI tests run the built dist/: build it first, so `npx jest` never tests stale code; clean up after.
  globalSetup: '<rootDir>/tests/global-setup.js',
  globalTeardown: '<rootDir>/tests/global-teardown.js',
  testTimeout: 30000,
  // Most suites wait on child processes and sockets, not the CPU: two workers finish sooner even on two cores.
  maxWorkers: 2,
};
