/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  testTimeout: 30000,
  // No test writes to the user's own cache folder (the content cache's default).
  setupFiles: ['<rootDir>/test/helpers/contentCacheDir.ts'],
};
