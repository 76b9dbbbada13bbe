import { readFileSync } from 'node:fs'

// Which sources coverage counts, and the thresholds: .c8rc.json, for `npm run coverage` (scripts/coverage.ts).
const coverage = JSON.parse(readFileSync(new URL('.c8rc.json', import.meta.url), 'utf8'))

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
  // Coverage of the sources run in-process (unit tests); `npm run coverage` adds the action's own processes.
  collectCoverageFrom: [...coverage.include, ...coverage.exclude.map((glob) => `!${glob}`)],
}
