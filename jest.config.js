/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFiles: ['reflect-metadata'],
  // PGlite instances take seconds to start and ~0.8 GB each: keep workers few.
  maxWorkers: 2,
  testTimeout: 60000,
};
