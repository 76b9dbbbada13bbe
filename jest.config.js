/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  resolver: 'ts-jest-resolver',
  // tsconfig has isolatedModules, so ts-jest only transpiles; `npm run typecheck` checks the types.
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  // Scenario tests start the bundled action as a child process, several at once on a small machine.
  testTimeout: 30_000,
  // Coverage of the sources run in-process (unit tests); scenario tests run the bundle in child processes.
  collectCoverageFrom: ['src/**/*.ts', '!src/left-out/**'],
}
