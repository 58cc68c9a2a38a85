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

/** swc's options for the kit's TypeScript, as tsconfig.json compiles it (shared with tests/support/swc-register.js). */
const SWC = require('./tests/support/swc-options');
/** `jest --coverage` (npm run coverage). */
const coverage = process.argv.some((arg) => /^--(coverage|collectCoverage)(=true)?$/.test(arg));
/** A node_modules installed before @swc/jest was a dev dependency (run `npm ci`) still runs the suite, with ts-jest. */
const swcInstalled = (() => {
  try {
    return Boolean(require.resolve('@swc/jest'));
  } catch {
    return false;
  }
})();

/** @type {import('jest').Config} */
module.exports = {
  // jest's Node environment; its workers end by process.exit() once nothing holds them (tests/environment.js, 1070).
  testEnvironment: '<rootDir>/tests/environment.js',
  roots: ['<rootDir>/tests', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `tsc --noEmit` in `npm test`; jest only transpiles each file on its own (tsconfig's
  // isolatedModules), with swc: ts-jest's TypeScript cost about twice the CPU on a cold cache, which CI's fresh
  // clones always have. The options are tsconfig's: ES2022 classes and fields, CommonJS. A coverage run keeps
  // ts-jest: istanbul counts the statements and branches of the transpiled code, which swc writes differently,
  // so the report stays comparable with every earlier one (decision 0162).
  transform: { '^.+\\.ts$': coverage || !swcInstalled ? ['ts-jest', { diagnostics: false }] : ['@swc/jest', SWC] },
  moduleNameMapper: moduleNameMapper(),
  setupFiles: ['<rootDir>/tests/setup-env.js'],
  // The CLI tests run the built dist/: build it first, so `npx jest` never tests stale code; clean up after.
  globalSetup: '<rootDir>/tests/global-setup.js',
  globalTeardown: '<rootDir>/tests/global-teardown.js',
  // Without jest's own timings (a fresh clone), the costliest files start first (decision 0187).
  testSequencer: '<rootDir>/tests/sequencer.js',
  testTimeout: 30000,
  // Most suites wait on child processes and sockets, not the CPU: three workers finish sooner even on two cores
  // (idle machine, whole suite: 2 workers 112 s, 3 workers 97 s, 4 workers 96 s; decision 0228).
  maxWorkers: 3,
};
