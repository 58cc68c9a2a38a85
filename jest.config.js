/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `tsc --noEmit` in `npm test`; jest only transpiles, which keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper: { '^vpptokens-contract-kit$': '<rootDir>/src/index.ts', '^vpptokens-contract-kit/jest$': '<rootDir>/src/jest/index.ts' },
  setupFiles: ['<rootDir>/tests/setup-env.js'],
  testTimeout: 30000,
};
