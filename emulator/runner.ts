/**
 * The parts of the GitHub Actions runner the action meets, for the tests, `npm start` and the benchmark.
 * Runs the bundled action the way the runner does: a fresh `node dist/index.js` with its inputs as
 * INPUT_* variables (action.yml defaults, then `with`), GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE /
 * GITHUB_STEP_SUMMARY files, and workflow commands read from stdout.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

/** The repository root, one folder up from emulator/. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url))
export const DIST = join(ROOT, 'dist', 'index.js')
/** The post step's entry (action.yml's `runs.post`): it imports index.js next to it. */
export const DIST_POST = join(ROOT, 'dist', 'post.js')
/**
 * The action compiled with exact source maps (tsconfig.coverage.json), for `npm run coverage`: when it
 * sets ACTION_V8_COVERAGE to a directory, runAction starts this instead of the bundle, and each run
 * writes its V8 coverage there (NODE_V8_COVERAGE) for c8 to map back to src/. See scripts/coverage.ts.
 */
export const COVERAGE_BUILD = join(ROOT, '.build', 'coverage-action', 'index.js')
/** The post entry next to COVERAGE_BUILD (written by `npm run coverage`, as `npm run bundle` writes dist/post.js). */
export const COVERAGE_POST_BUILD = join(dirname(COVERAGE_BUILD), 'post.js')
const v8CoverageDir = process.env['ACTION_V8_COVERAGE']

interface ActionYml {
  readonly inputs: Record<string, { readonly description?: string; readonly default?: string | number | boolean }>
  /** `using` names the runtime, such as node24; `main` and `post` the scripts, relative to action.yml. */
  readonly runs: { readonly using: string; readonly main: string; readonly post?: string }
}

/** The action.yml in `folder`. */
export const readActionYml = (folder: string): ActionYml => parse(readFileSync(join(folder, 'action.yml'), 'utf8')) as ActionYml

export const actionYml = readActionYml(ROOT)
/** The mock IMS action (mock-ims/action.yml), a second action of this repository. */
export const MOCK_IMS = join(ROOT, 'mock-ims')

export interface ActionRun {
  readonly exitCode: number | null
  /** With LF line ends, whatever the system's. */
  readonly stdout: string
  readonly stderr: string
  /** Step outputs, from the GITHUB_OUTPUT file. */
  readonly outputs: Record<string, string>
  /** Variables exported to later steps, from the GITHUB_ENV file. */
  readonly exportedEnv: Record<string, string>
  /** Raw text of the files a person or a later step could read. */
  readonly files: { readonly output: string; readonly env: string; readonly state: string; readonly summary: string }
  /** The log as the runner shows it: masks applied, `::add-mask::` lines hidden, commands rendered. */
  readonly log: string
}

export interface RunOptions {
  /** More environment for the process (proxy settings, RUNNER_DEBUG, ...). */
  readonly env?: Readonly<Record<string, string>>
  /** The bundle to run instead of DIST (`npm start` runs a fresh build of the sources); its post.js is next to it. */
  readonly bundle?: string
  /** The folder of another action.yml to run (such as MOCK_IMS): its inputs' defaults, its `runs.main` and `runs.post`. */
  readonly action?: string
}

/** A run of the main step and then, as the runner does at the end of the job, the post step. */
export interface ActionRunWithPost {
  readonly main: ActionRun
  readonly post: ActionRun
}

/** Reads a GITHUB_OUTPUT / GITHUB_ENV file: `name<<delimiter` heredocs, as @actions/core writes them. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let index = 0; index < lines.length; index++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[index] ?? '')
    if (!heredoc) continue
    const [, name = '', delimiter = ''] = heredoc
    const end = lines.indexOf(delimiter, index + 1)
    if (end < 0) throw new Error(`${name}<<${delimiter} is never closed by its delimiter`)
    values[name] = lines.slice(index + 1, end).join('\n')
    index = end
  }
  return values
}

function unescapeCommandData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/**
 * What a person sees in the step's log: like the runner, masks apply to every line printed after they
 * are registered, `::add-mask::` lines are hidden, annotations are shown by their level, and debug
 * lines only with step debug logging on.
 */
export function visibleLog(stdout: string, debug = false): string {
  const masks: string[] = []
  const shown: string[] = []
  for (const line of stdout.split(/\r?\n/)) {
    if (line.startsWith('::add-mask::')) {
      masks.push(unescapeCommandData(line.slice('::add-mask::'.length)))
      continue
    }
    let text = line
    const command = /^::(error|warning|notice|debug)(?: [^:]*)?::(.*)$/.exec(line)
    if (command) {
      const [, level = '', message = ''] = command
      if (level === 'debug' && !debug) continue
      text = `${level === 'debug' ? '##[debug]' : `${level[0]?.toUpperCase()}${level.slice(1)}: `}${unescapeCommandData(message)}`
    }
    for (const mask of [...masks].sort((a, b) => b.length - a.length)) text = text.split(mask).join('***')
    shown.push(text)
  }
  return shown.join('\n')
}

/** INPUT_* variables as the runner sets them: action.yml defaults, then `with`. */
export function inputEnv(withInputs: Readonly<Record<string, string>>, action: ActionYml = actionYml): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.default !== undefined) env[`INPUT_${name.toUpperCase()}`] = String(spec.default)
  }
  for (const [name, value] of Object.entries(withInputs)) {
    if (!(name in action.inputs)) throw new Error(`action.yml has no input ${name}`)
    env[`INPUT_${name.toUpperCase()}`] = value
  }
  return env
}

/** This machine's inputs, runner variables, jest's options, CA trust settings and proxies: a test sets its own. */
const NOT_PASSED_ON =
  /^(INPUT_|STATE_|GITHUB_|RUNNER_|NODE_OPTIONS$|NODE_EXTRA_CA_CERTS$|NODE_USE_SYSTEM_CA$|SSL_CERT_(FILE|DIR)$|(HTTPS?|NO|ALL)_PROXY$)/i

/** The environment of a runner's node process: this machine's, without what NOT_PASSED_ON names. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || NOT_PASSED_ON.test(name)) continue
    env[name] = value
  }
  return env
}

/** The files the runner gives a step: GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, GITHUB_STEP_SUMMARY. */
export interface StepFiles {
  readonly output: string
  readonly env: string
  readonly state: string
  readonly summary: string
}

/** Empty step files in `dir`, as the runner makes them before a step. */
export function makeStepFiles(dir: string): StepFiles {
  const files = { output: join(dir, 'output'), env: join(dir, 'env'), state: join(dir, 'state'), summary: join(dir, 'summary') }
  for (const file of Object.values(files)) writeFileSync(file, '')
  return files
}

/** A step's environment as the runner sets it: the machine's, the step files, GITHUB_ACTIONS and the inputs. */
export function stepEnv(
  files: StepFiles,
  withInputs: Readonly<Record<string, string>>,
  action: ActionYml = actionYml,
): Record<string, string> {
  return {
    ...baseEnv(),
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ACTIONS: 'true',
    ...inputEnv(withInputs, action),
  }
}

/** Runs one step of the action, `script`, as the runner does, with `extraEnv` on top of the step's environment. */
async function runStep(
  script: string,
  withInputs: Readonly<Record<string, string>>,
  options: RunOptions,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ims-action-'))
  const files = makeStepFiles(dir)
  try {
    const child = spawn(process.execPath, [script], {
      cwd: dir,
      env: {
        ...stepEnv(files, withInputs, options.action === undefined ? actionYml : readActionYml(options.action)),
        ...(v8CoverageDir ? { NODE_V8_COVERAGE: v8CoverageDir } : {}),
        ...extraEnv,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve))
    const text = {
      output: readFileSync(files.output, 'utf8'),
      env: readFileSync(files.env, 'utf8'),
      state: readFileSync(files.state, 'utf8'),
      summary: readFileSync(files.summary, 'utf8'),
    }
    return {
      exitCode,
      // @actions/core ends each command with os.EOL, CRLF on Windows; the runner reads lines either way.
      stdout: stdout.replace(/\r\n/g, '\n'),
      stderr,
      outputs: parseFileCommands(text.output),
      exportedEnv: parseFileCommands(text.env),
      files: text,
      log: visibleLog(stdout, options.env?.['RUNNER_DEBUG'] === '1'),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The script of `runs.main` or `runs.post` of the action.yml in `folder`. */
function scriptOf(folder: string, phase: 'main' | 'post'): string {
  const script = readActionYml(folder).runs[phase]
  if (script === undefined) throw new Error(`${join(folder, 'action.yml')} has no runs.${phase}`)
  return join(folder, script)
}
const mainScript = (options: RunOptions): string =>
  options.action !== undefined ? scriptOf(options.action, 'main') : (options.bundle ?? (v8CoverageDir ? COVERAGE_BUILD : DIST))
const postScript = (options: RunOptions): string =>
  options.action !== undefined
    ? scriptOf(options.action, 'post')
    : options.bundle
      ? join(dirname(options.bundle), 'post.js')
      : v8CoverageDir
        ? COVERAGE_POST_BUILD
        : DIST_POST

/** Runs the main step of the action as the runner does. */
export async function runAction(withInputs: Readonly<Record<string, string>>, options: RunOptions = {}): Promise<ActionRun> {
  return runStep(mainScript(options), withInputs, options)
}

/**
 * Runs the main step, then the post step as the runner does at the end of the job (runPostStep). The post
 * step runs whether the main step passed or failed, as `runs.post` does (its default `post-if` is `always()`).
 */
export async function runActionWithPost(
  withInputs: Readonly<Record<string, string>>,
  options: RunOptions & {
    /** What happens between the two steps, where the job's other steps run (a test queues IMS faults for the post step). */
    readonly betweenSteps?: (main: ActionRun) => void
    /** What the job's later steps wrote to GITHUB_ENV: in the post step's environment, not the main step's. */
    readonly postEnv?: Readonly<Record<string, string>>
  } = {},
): Promise<ActionRunWithPost> {
  const main = await runAction(withInputs, options)
  options.betweenSteps?.(main)
  const post = await runPostStep(withInputs, main, { ...options, env: { ...options.env, ...options.postEnv } })
  return { main, post }
}

/**
 * Runs the post step of the action whose main step ran as `main`, as the runner does at the end of the job:
 * `node post.js` with the same inputs, and STATE_<name> for each value the main step wrote to its
 * GITHUB_STATE file. A job of several actions runs their post steps in the reverse order of their main steps.
 */
export async function runPostStep(
  withInputs: Readonly<Record<string, string>>,
  main: ActionRun,
  options: RunOptions = {},
): Promise<ActionRun> {
  const state = parseFileCommands(main.files.state)
  const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]))
  return runStep(postScript(options), withInputs, options, stateEnv)
}
