// `npm run mutation`: Stryker changes the security-critical and logic-heavy modules one small edit at a
// time and runs their unit tests against each change; a change no test notices is a test that is missing.
// Stryker 10 needs Node.js >= 22, so the script runs it on Node.js 24 from the npm registry.
// Scores and the survivors accepted on purpose: docs/mutation-testing.md.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  // The project is ESM; jest runs it through ts-jest inside vm modules.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: {
    configFile: 'jest.config.js',
    // Unit tests only: the scenario tests run dist/, which Stryker does not rebuild per mutant.
    config: { testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'], collectCoverageFrom: undefined },
    enableFindRelatedTests: false,
  },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/lib/answer-text.ts',
    'src/lib/ims-answer.ts',
    'src/lib/ims-request.ts',
    'src/lib/endpoint.ts',
    'src/lib/environment.ts',
    'src/lib/invalidation.ts',
    'src/lib/retry.ts',
    'src/lib/plan.ts',
    'src/lib/private-key.ts',
    'src/lib/credentials-json.ts',
    'src/lib/input-checks.ts',
    'src/lib/summary.ts',
  ],
  // Only what the unit tests need, copied into Stryker's sandbox.
  ignorePatterns: ['dist', 'coverage', '.build', 'reports', 'bench', 'docs'],
  // A rerun tests only the mutants whose code or tests changed since the committed result.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: 85 },
  concurrency: 2,
  // A mutant's tests take a few seconds on a busy machine; a timeout restarts jest, which costs far more than
  // waiting. Only a mutant that loops for ever (a scan whose index no longer moves) should meet this.
  timeoutMS: 30_000,
  // Module-level constants (static mutants) would rerun every test for each one: half the time for few mutants.
  ignoreStatic: true,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
