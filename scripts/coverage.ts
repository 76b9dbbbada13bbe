/**
 * `npm run coverage`: how much of src/ the tests run, wherever it runs, checked against .c8rc.json.
 *
 *   npm run coverage                      all tests; reports in coverage/, fails under the thresholds
 *   npm run coverage -- __tests__/x.ts    some tests only (jest arguments); the check still applies
 *
 * src/ runs in two places: unit tests import it into jest's workers, and scenario tests start the action
 * as child processes, where jest cannot see. So:
 *  1. (npm script) tsc compiles src/ with exact source maps into COVERAGE_BUILD (tsconfig.coverage.json),
 *     and scripts/write-post-entry.mjs writes the post step's entry next to it, as in dist/.
 *     ncc's maps (`ncc build --source-map`) give lines only, too coarse to place V8's ranges: through
 *     them no branch or function would count. What the bundle adds is the bundler's glue and the
 *     stand-ins of src/bundle-stand-ins/; `npm test` runs the scenario tests against dist/index.js itself.
 *  2. Run jest with V8 coverage of its workers, mapped to src/ through ts-jest's source maps, and with
 *     ACTION_V8_COVERAGE set, so that runAction starts COVERAGE_BUILD and every run of the action
 *     writes Node's raw V8 coverage there (NODE_V8_COVERAGE).
 *  3. c8 maps those raw files through the source maps to src/ (which files: .c8rc.json).
 *  4. Merge the two istanbul coverage maps, report them in coverage/ and check each file, and the total,
 *     against the thresholds; a file of src/ with code that no test loaded fails too.
 * Both halves come from tsc's output through V8 and v8-to-istanbul, so istanbul merges like ranges with
 * like. c8 cannot read jest's half itself: jest's workers run src/ as ts-jest output inside `vm`
 * modules, which c8 would take for the .ts files on disk; so NODE_V8_COVERAGE reaches the action only.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, sep } from 'node:path'
import libCoverage, { type CoverageMap } from 'istanbul-lib-coverage'
import libReport from 'istanbul-lib-report'
import reports from 'istanbul-reports'
import { COVERAGE_BUILD, COVERAGE_POST_BUILD, ROOT } from '../emulator/runner.js'

interface CoverageConfig {
  readonly include: readonly string[]
  readonly exclude: readonly string[]
  /** Minimum percentages, for each included file on its own (`per-file`), and for all of them together. */
  readonly 'per-file': boolean
  readonly lines: number
  readonly branches: number
  readonly functions: number
}

const MEASURES = ['lines', 'branches', 'functions'] as const

/** Whether tsc made any code of a .ts file (one of types only compiles to `export {};`). */
function hasCode(file: string): boolean {
  const compiled = join(dirname(COVERAGE_BUILD), relative('src', file).replace(/\.ts$/, '.js'))
  return (
    readFileSync(compiled, 'utf8')
      .replace(/^export \{\};$|^\/\/# sourceMappingURL=.*$/gm, '')
      .trim() !== ''
  )
}

/** A file's path from the repository root, with `/` on every system, as .c8rc.json and the messages name it. */
const repoPath = (file: string): string => relative(ROOT, file).split(sep).join('/')

/** The .ts files with code under src/ that .c8rc.json includes: each must show up in the coverage. */
function sourcesToCover(): string[] {
  const excluded = config.exclude.map((glob) => glob.replace(/\/\*\*$/, ''))
  return readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .map((file) => repoPath(join(ROOT, 'src', file)))
    .filter((file) => file.endsWith('.ts') && !excluded.some((folder) => file.startsWith(`${folder}/`)) && hasCode(file))
    .sort()
}

/** What falls short of .c8rc.json: each file that never loaded, and each file (or the total) under a threshold. */
function shortfalls(merged: CoverageMap): string[] {
  const problems: string[] = []
  const covered = new Set(merged.files().map(repoPath))
  for (const file of sourcesToCover()) if (!covered.has(file)) problems.push(`${file}: never loaded by any test.`)
  const check = (name: string, summary: libCoverage.CoverageSummary): void => {
    for (const measure of MEASURES) {
      const { pct, covered: hit, total } = summary[measure]
      if (total > 0 && pct < config[measure])
        problems.push(`${name}: ${measure} ${pct.toFixed(2)} % (${hit} of ${total}), under the ${config[measure]} % .c8rc.json asks for.`)
    }
  }
  if (config['per-file']) for (const file of merged.files().sort()) check(repoPath(file), merged.fileCoverageFor(file).toSummary())
  check('All of src/', merged.getCoverageSummary())
  return problems
}

const config = JSON.parse(readFileSync(join(ROOT, '.c8rc.json'), 'utf8')) as CoverageConfig
const REPORTS = join(ROOT, 'coverage')
const WORK = join(ROOT, '.build', 'coverage')
const parts = { v8: join(WORK, 'v8'), jest: join(WORK, 'jest'), action: join(WORK, 'action') }
const require = createRequire(import.meta.url)

function runNode(args: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const { status } = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' })
  return status === 0
}

function readCoverage(file: string): CoverageMap {
  return libCoverage.createCoverageMap(existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as libCoverage.CoverageMapData) : {})
}

function main(): number {
  rmSync(WORK, { recursive: true, force: true })
  rmSync(REPORTS, { recursive: true, force: true })
  // Unit tests alone start no action: c8 still wants the folder.
  mkdirSync(parts.v8, { recursive: true })

  const jestPassed = runNode(
    [
      '--experimental-vm-modules',
      join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--coverage',
      '--coverageProvider=v8',
      '--coverageReporters=json',
      `--coverageDirectory=${parts.jest}`,
      ...process.argv.slice(2),
    ],
    { ...process.env, ACTION_V8_COVERAGE: parts.v8 },
  )
  const c8 = join(dirname(require.resolve('c8/package.json')), 'bin', 'c8.js')
  if (!runNode([c8, 'report', `--temp-directory=${parts.v8}`, `--reports-dir=${parts.action}`, '--reporter=json'])) return 1

  const inJest = readCoverage(join(parts.jest, 'coverage-final.json'))
  const inAction = readCoverage(join(parts.action, 'coverage-final.json'))
  const merged = libCoverage.createCoverageMap({})
  merged.merge(inJest)
  merged.merge(inAction)

  const context = libReport.createContext({ dir: REPORTS, coverageMap: merged, defaultSummarizer: 'nested' })
  reports.create('text').execute(context)
  reports.create('text', { file: 'coverage.txt' }).execute(context)
  reports.create('json-summary').execute(context)
  reports.create('json').execute(context)
  reports.create('html').execute(context)

  const problems: string[] = []
  if (!jestPassed) problems.push('Some tests failed (see above).')
  // Without this, a runner that stopped starting COVERAGE_BUILD would only show as a lower number.
  if (!inAction.files().includes(join(ROOT, 'src', 'main.ts')))
    problems.push(`The action's runs left no coverage of src/main.ts: did runAction start ${relative(ROOT, COVERAGE_BUILD)}?`)
  if (!inAction.files().includes(join(ROOT, 'src', 'post-step.ts')))
    problems.push(
      `The post step's runs left no coverage of src/post-step.ts: did runActionWithPost start ${relative(ROOT, COVERAGE_POST_BUILD)}?`,
    )
  problems.push(...shortfalls(merged))
  const total = merged.getCoverageSummary()
  console.log(
    `\nCoverage of src/ by unit and scenario tests: ${MEASURES.map((measure) => `${total[measure].pct.toFixed(2)} % of ${measure}`).join(', ')}; reports in coverage/.`,
  )
  for (const problem of problems) console.error(problem)
  return problems.length === 0 ? 0 : 1
}

process.exitCode = main()
