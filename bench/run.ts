/**
 * `npm run bench`: what a job pays for its token, beside what people would otherwise use. Each contender does
 * the same service-account JWT exchange against the IMS emulator on loopback, as a fresh process on the
 * Node.js that action.yml names, over https with a throwaway CA. The action's job has two steps: the main
 * step, and the post step that invalidates the token at the end of the job (dist/post.js, with STATE_* from
 * the main step's GITHUB_STATE, as the runner runs it); the peers have no post step. Contenders take turns
 * within each round (the next one leads each round), `--rounds` times after a warm-up; ratios are taken
 * round by round and their medians reported. Prints wall time, CPU time and peak RSS, the ratios, the size
 * of dist/, and the targets of issues 12 and 22, met or missed.
 *
 *   npm run bench                      Node.js of action.yml (from the npm registry when it is not this one), https
 *   npm run bench -- --node 20         another Node.js major (or a path to a node binary)
 *   npm run bench -- --http            the emulator on plain http
 *   npm run bench -- --rounds 60       more rounds (default 20)
 *   npm run bench -- --probe           measure CPU time and peak RSS inside each contender, not with GNU time
 *   npm run bench -- --write           also rewrite the measured section of BENCHMARKS.md (defaults only)
 *   npm run bench -- --baseline DIR    A/B: the action in dist/ against the one built in DIR (index.js, post.js),
 *                                      both steps, paired, without the peers; `--action DIR` replaces dist/
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { makeTlsAuthority } from '../emulator/certificates.js'
import { ImsEmulator } from '../emulator/ims-emulator.js'
import { makeStepFiles, parseFileCommands, ROOT, stepEnv, type StepFiles } from '../emulator/runner.js'
import { makeServiceCredentials, type ServiceCredentials } from '../emulator/throwaway-credentials.js'
import { readScriptFlags } from '../scripts/cli.js'
import { actionNodeMajor, findNode } from './node-runtime.js'

interface Contender {
  readonly name: string
  /** Script to start with `node`. */
  readonly script: string
  /** The post step's script (action.yml's `runs.post`), run after the main step as the runner runs it; the peers have none. */
  readonly postScript?: string
  /** The step's environment for one run. */
  env(files: StepFiles, service: ServiceCredentials, origin: string): Record<string, string>
}

interface Sample {
  readonly wallMs: number
  readonly cpuMs: number
  readonly peakRssKiB: number
}

/** One run of a contender: its main step and, for the action, its post step. */
interface JobSample {
  readonly main: Sample
  readonly post?: Sample
}

const { values: options } = readScriptFlags(
  'npm run bench --',
  {
    options: {
      node: { type: 'string' },
      http: { type: 'boolean', default: false },
      rounds: { type: 'string', default: '20' },
      probe: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
      action: { type: 'string' },
      baseline: { type: 'string' },
    },
  },
  // The usage lines of this file's opening comment, so that the two cannot disagree.
  [
    'Usage:',
    ...readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => /^ \* {3}npm run bench/.test(line))
      .map((line) => line.slice(2)),
  ].join('\n'),
)

const ACTION_NODE = actionNodeMajor()
const wantedNode = options.node ?? ACTION_NODE
// BENCHMARKS.md holds the run that counts: on the runtime action.yml names, over https as IMS serves.
if (options.write && (wantedNode !== ACTION_NODE || options.http))
  throw new Error(`--write records runs on Node.js ${ACTION_NODE} over https only`)

const { node, version: nodeVersion } = findNode(wantedNode)

/**
 * How CPU time and peak RSS are measured. GNU time (`/usr/bin/time -f`) reads them from the kernel when the
 * contender exits, and starts it from its own small process, leaving the contender as it is. Without it, a
 * probe preloaded into every contender alike reports them at exit. Its peak RSS on Linux is VmHWM, the
 * high-water mark of the process's own memory: getrusage's maxRSS there also counts the memory of the
 * process it was forked from, here this script with the emulator (a contender started from a 440 MB
 * parent reports 410 MB through maxRSS, 43 MB through GNU time).
 */
const GNU_TIME = '/usr/bin/time'
function hasGnuTime(): boolean {
  const check = spawnSync(GNU_TIME, ['-f', '%M', process.execPath, '-e', '0'], { encoding: 'utf8' })
  return check.status === 0 && /^\d+$/.test(check.stderr?.trim() ?? '')
}
const gnuTime = !options.probe && hasGnuTime()
const PROBE = `data:text/javascript,${encodeURIComponent(`
  const { readFileSync, writeSync } = process.getBuiltinModule('fs')
  process.on('exit', () => {
    const usage = process.resourceUsage()
    const peakRss = process.platform === 'linux' ? Number(/VmHWM:\\s*(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) : usage.maxRSS
    writeSync(3, peakRss + ' ' + (usage.userCPUTime + usage.systemCPUTime) / 1000)
  })`)}`

const https = !options.http
const FLOOR = `floor (node:crypto + ${https ? 'node:https' : 'node:http'})`
const JWT_AUTH = '@adobe/jwt-auth'
const AIO = '@adobe/aio-lib-ims'
const LIBRARIES = "libraries' floor (@actions/core + @actions/http-client + jose)"

/** A folder holding a built action (index.js and post.js, as dist/), from the command line or dist/. */
const actionFolder = (given: string | undefined): string => resolve(given ?? join(ROOT, 'dist'))
const actionDir = actionFolder(options.action)
const baselineDir = options.baseline === undefined ? undefined : actionFolder(options.baseline)
const label = (dir: string): string => (dir === join(ROOT, 'dist') ? 'dist' : basename(dir))
const ACTION = `this action (${label(actionDir)}/index.js)`
const BASELINE = `baseline (${baselineDir ? label(baselineDir) : ''}/index.js)`
// BENCHMARKS.md holds the run of the committed dist/ beside the peers.
if (options.write && (baselineDir || options.action)) throw new Error('--write records the run of dist/ beside the peers only')

const benchCredentials = (files: StepFiles, service: ServiceCredentials, origin: string): Record<string, string> => ({
  ...stepEnv(files, {}),
  BENCH_CREDENTIALS: JSON.stringify({
    clientId: service.integration.clientId,
    clientSecret: service.integration.clientSecret,
    technicalAccountId: service.integration.technicalAccountId,
    orgId: service.integration.orgId,
    privateKey: service.privateKeyPem,
    metascopes: service.integration.metascopes,
    imsOrigin: origin,
  }),
})

/** The action built in `dir`, both steps, started as the runner starts them: INPUT_* from action.yml defaults and `with`, the step files, stdout read. */
const actionContender = (name: string, dir: string): Contender => ({
  name,
  script: join(dir, 'index.js'),
  postScript: join(dir, 'post.js'),
  env: (files, service, origin) => stepEnv(files, { credentials: service.json, 'ims-endpoint': origin }),
})

/**
 * bench/contenders/libraries-floor.ts bundled as dist/ is: ncc with the project's tsconfig (so the same
 * stand-ins), then the same steps after ncc as `npm run bundle` (scripts/bundle.mjs).
 */
async function buildLibrariesFloor(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'ims-bench-libraries-'))
  process.stderr.write("Bundling the libraries' floor with ncc ...\n")
  const ncc = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
  const build = spawnSync(process.execPath, [ncc, 'build', 'bench/contenders/libraries-floor.ts', '--out', out, '--quiet'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  if (build.status !== 0) throw new Error(`ncc could not bundle bench/contenders/libraries-floor.ts (exit ${build.status})`)
  const steps = (await import(pathToFileURL(join(ROOT, 'scripts', 'bundle.mjs')).href)) as {
    withoutComments(code: string): string
    withLazyFsPromises(code: string): string
  }
  const bundle = join(out, 'index.js')
  writeFileSync(bundle, steps.withLazyFsPromises(steps.withoutComments(readFileSync(bundle, 'utf8'))))
  return out
}
const librariesFloorDir = baselineDir ? undefined : await buildLibrariesFloor()

const CONTENDERS: readonly Contender[] = baselineDir
  ? [actionContender(ACTION, actionDir), actionContender(BASELINE, baselineDir)]
  : [
      actionContender(ACTION, actionDir),
      { name: JWT_AUTH, script: join(ROOT, 'bench/contenders/adobe-jwt-auth.mjs'), env: benchCredentials },
      { name: AIO, script: join(ROOT, 'bench/contenders/adobe-aio-lib-ims.mjs'), env: benchCredentials },
      { name: LIBRARIES, script: join(librariesFloorDir ?? '', 'index.js'), env: benchCredentials },
      { name: FLOOR, script: join(ROOT, 'bench/contenders/floor.mjs'), env: benchCredentials },
    ]

/** Runs one step as a fresh process and measures it; a step that fails stops the benchmark. */
async function runProcess(
  script: string,
  env: Record<string, string>,
  dir: string,
  what: string,
): Promise<{ sample: Sample; stderr: string }> {
  const usageFile = join(dir, 'usage')
  const [command, args] = gnuTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', usageFile, node, script]] : [node, [`--import=${PROBE}`, script]]
  const started = process.hrtime.bigint()
  const child = spawn(command, args, {
    cwd: dir,
    env,
    // stdout is a pipe that is read, as the runner reads a step's workflow commands.
    stdio: ['ignore', 'pipe', 'pipe', gnuTime ? 'ignore' : 'pipe'],
  })
  let stderr = ''
  let usage = ''
  child.stdout?.on('data', () => undefined)
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdio[3]?.on('data', (chunk: Buffer) => (usage += chunk.toString()))
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6
  if (exitCode !== 0) throw new Error(`${what} exited with ${exitCode}: ${stderr.slice(0, 500)}`)
  if (gnuTime) {
    // %M is in KiB, %U and %S in seconds (to 10 ms).
    const [peakRssKiB = NaN, user = NaN, system = NaN] = readFileSync(usageFile, 'utf8').trim().split(/\s+/).map(Number)
    return { sample: { wallMs, cpuMs: (user + system) * 1000, peakRssKiB }, stderr }
  }
  const [peakRssKiB = NaN, cpuMs = NaN] = usage.split(' ').map(Number)
  return { sample: { wallMs, cpuMs, peakRssKiB }, stderr }
}

/**
 * One job of a contender: the main step, then for the action the post step, as the runner runs it at the
 * end of the job (`node post.js`, the same inputs, STATE_<name> for each value of the main step's
 * GITHUB_STATE). A run counts only if the emulator issued a token that reached GITHUB_OUTPUT, and the post
 * step had the emulator invalidate that token.
 */
async function runJob(
  contender: Contender,
  service: ServiceCredentials,
  emulator: ImsEmulator,
  dir: string,
  extraEnv: Record<string, string>,
): Promise<JobSample> {
  const files = makeStepFiles(dir)
  const before = emulator.requests.length
  const main = await runProcess(contender.script, { ...contender.env(files, service, emulator.origin), ...extraEnv }, dir, contender.name)
  const answered = emulator.requests.slice(before)
  const token = answered[0]?.accessToken
  if (answered.length !== 1 || !token || !readFileSync(files.output, 'utf8').includes(token)) {
    throw new Error(`${contender.name} did not get a token (${answered.length} requests): ${main.stderr.slice(0, 500)}`)
  }
  if (!contender.postScript) return { main: main.sample }
  const state = parseFileCommands(readFileSync(files.state, 'utf8'))
  const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]))
  const postFiles = makeStepFiles(dir)
  const postBefore = emulator.requests.length
  const post = await runProcess(
    contender.postScript,
    { ...contender.env(postFiles, service, emulator.origin), ...stateEnv, ...extraEnv },
    dir,
    `${contender.name}, post step`,
  )
  const invalidations = emulator.requests.slice(postBefore)
  if (
    invalidations.length !== 1 ||
    invalidations[0]?.path !== '/ims/invalidate_token/v2' ||
    invalidations[0].status !== 200 ||
    invalidations[0].fields['token'] !== token
  ) {
    throw new Error(
      `${contender.name}'s post step did not invalidate the token (${invalidations.length} requests): ${post.stderr.slice(0, 500)}`,
    )
  }
  return { main: main.sample, post: post.sample }
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const position = (sorted.length - 1) * q
  const low = sorted[Math.floor(position)] ?? NaN
  const high = sorted[Math.ceil(position)] ?? NaN
  return low + (high - low) * (position - Math.floor(position))
}
const median = (values: readonly number[]): number => quantile(values, 0.5)

const rounds = Number(options.rounds)
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds takes a whole number of rounds, not ${options.rounds}`)
const warmUp = 2
const service = await makeServiceCredentials()
const dir = mkdtempSync(join(tmpdir(), 'ims-bench-'))
// Every contender trusts the emulator's throwaway CA the same way, as a runner behind TLS inspection would.
const extraEnv: Record<string, string> = {}
let serverTls: { key: string; cert: string } | undefined
if (https) {
  const authority = await makeTlsAuthority(['127.0.0.1'])
  writeFileSync(join(dir, 'ca.pem'), authority.caPem)
  extraEnv['NODE_EXTRA_CA_CERTS'] = join(dir, 'ca.pem')
  serverTls = { key: authority.serverKeyPem, cert: authority.serverCertPem }
}
const loadBefore = loadavg()[0] ?? 0
const emulator = await ImsEmulator.start({ integrations: [service.integration], ...(serverTls ? { tls: serverTls } : {}) })
/** samples[round][contender index] */
const samples: JobSample[][] = []
try {
  for (let round = -warmUp; round < rounds; round++) {
    const offset = ((round % CONTENDERS.length) + CONTENDERS.length) % CONTENDERS.length
    const results: JobSample[] = []
    for (let turn = 0; turn < CONTENDERS.length; turn++) {
      const index = (offset + turn) % CONTENDERS.length
      const contender = CONTENDERS[index]
      if (contender) results[index] = await runJob(contender, service, emulator, dir, extraEnv)
    }
    if (round >= 0) samples.push(results)
    process.stderr.write(round < 0 ? 'w' : '.')
  }
  process.stderr.write('\n')
} finally {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
  if (librariesFloorDir) rmSync(librariesFloorDir, { recursive: true, force: true })
}
const loadAfter = loadavg()[0] ?? 0

type Measure = keyof Sample
/** Which part of a job: its main step, its post step, or the whole job (times added, the larger peak RSS). */
type Part = 'main' | 'post' | 'job'
const partOf = (job: JobSample | undefined, part: Part): Sample | undefined => {
  if (!job || part === 'main') return job?.main
  if (part === 'post') return job.post
  const { main, post } = job
  if (!post) return main
  return { wallMs: main.wallMs + post.wallMs, cpuMs: main.cpuMs + post.cpuMs, peakRssKiB: Math.max(main.peakRssKiB, post.peakRssKiB) }
}
const indexOf = (name: string): number => CONTENDERS.findIndex((contender) => contender.name === name)
const valuesOf = (name: string, measure: Measure, part: Part = 'main'): number[] =>
  samples.map((round) => partOf(round[indexOf(name)], part)?.[measure] ?? NaN)
/** Ratios of a to b, round by round: each pair ran back to back, under the same load. */
const pairedRatios = (a: string, b: string, measure: Measure, partA: Part = 'main', partB: Part = partA): number[] => {
  const bValues = valuesOf(b, measure, partB)
  return valuesOf(a, measure, partA).map((value, round) => value / (bValues[round] ?? NaN))
}
const pairedRatio = (a: string, b: string, measure: Measure, partA: Part = 'main', partB: Part = partA): number =>
  median(pairedRatios(a, b, measure, partA, partB))
/** A ratio as printed; a target is judged on this, so that the verdict agrees with the number shown. */
const times = (value: number): string => `${value.toFixed(2)}×`
const shown = (value: number): number => Number(value.toFixed(2))

function distBytes(dirPath: string): number {
  return readdirSync(dirPath, { withFileTypes: true }).reduce(
    (total, entry) => total + (entry.isDirectory() ? distBytes(join(dirPath, entry.name)) : statSync(join(dirPath, entry.name)).size),
    0,
  )
}
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`
const distSize = distBytes(actionDir)

const cpu = cpus()
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}`
const measuredBy = gnuTime
  ? 'GNU time (CPU time to 10 ms)'
  : `a probe preloaded into every contender (peak RSS: ${platform() === 'linux' ? 'VmHWM' : 'maxRSS'})`
const load = `1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${cpu.length} CPUs`
const conditions =
  `Node.js ${nodeVersion} for every contender; the emulator over ${https ? 'https, its throwaway CA in NODE_EXTRA_CA_CERTS for every contender' : 'plain http'}. ` +
  `${rounds} round${rounds === 1 ? '' : 's'} after ${warmUp} warm-up rounds, each run a fresh process; times and sizes are medians, ratios the medians of the ` +
  `ratios within each round. CPU time and peak RSS measured by ${measuredBy}. Machine: ${machine}.`

const row = (title: string, name: string, part: Part, against: string, againstPart: Part = 'main'): string =>
  `| ${title} | ${median(valuesOf(name, 'wallMs', part)).toFixed(0)} ms | ${times(pairedRatio(name, against, 'wallMs', part, againstPart))} | ` +
  `${median(valuesOf(name, 'cpuMs', part)).toFixed(0)} ms | ${times(pairedRatio(name, against, 'cpuMs', part, againstPart))} | ` +
  `${(median(valuesOf(name, 'peakRssKiB', part)) / 1024).toFixed(1)} MiB | ${times(pairedRatio(name, against, 'peakRssKiB', part, againstPart))} |`

function comparisonReport(): string {
  const baseline = BASELINE
  const parts: readonly (readonly [Part, string])[] = [
    ['main', 'main step'],
    ['post', 'post step'],
    ['job', 'main + post'],
  ]
  return [
    `| ${ACTION} ÷ ${baseline} | wall time | CPU time | peak RSS | middle half of the rounds, wall / CPU |`,
    '|---|---:|---:|---:|---|',
    ...parts.map(([part, title]) => {
      const quartiles = (measure: Measure): string => {
        const ratios = pairedRatios(ACTION, baseline, measure, part)
        return `${quantile(ratios, 0.25).toFixed(3)} to ${quantile(ratios, 0.75).toFixed(3)}`
      }
      return (
        `| ${title} | ${pairedRatio(ACTION, baseline, 'wallMs', part).toFixed(3)}× | ${pairedRatio(ACTION, baseline, 'cpuMs', part).toFixed(3)}× | ` +
        `${pairedRatio(ACTION, baseline, 'peakRssKiB', part).toFixed(3)}× | ${quartiles('wallMs')} / ${quartiles('cpuMs')} |`
      )
    }),
    '',
    ...[ACTION, baseline].map(
      (name) =>
        `- ${name}: main step ${median(valuesOf(name, 'wallMs')).toFixed(0)} ms wall, ${median(valuesOf(name, 'cpuMs')).toFixed(1)} ms CPU; ` +
        `post step ${median(valuesOf(name, 'wallMs', 'post')).toFixed(0)} ms wall, ${median(valuesOf(name, 'cpuMs', 'post')).toFixed(1)} ms CPU; ` +
        `folder ${kib(distBytes(name === ACTION ? actionDir : (baselineDir ?? '')))}`,
    ),
    `- ${load}`,
    '',
    conditions,
  ].join('\n')
}

function peersReport(): string {
  const table = [
    '| contender | wall time | × floor | CPU time | × floor | peak RSS | × floor |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row(`${ACTION}: main step`, ACTION, 'main', FLOOR),
    row(`${ACTION}: main + post step, the whole job`, ACTION, 'job', FLOOR),
    ...[JWT_AUTH, AIO, LIBRARIES, FLOOR].map((name) => row(`${name}: its one step (no post step)`, name, 'main', FLOOR)),
  ].join('\n')
  const post =
    `- the post step alone (dist/post.js: load the bundle, invalidate the token): ${median(valuesOf(ACTION, 'wallMs', 'post')).toFixed(0)} ms wall time, ` +
    `${times(pairedRatio(ACTION, FLOOR, 'wallMs', 'post', 'main'))} the floor's token step; ${median(valuesOf(ACTION, 'cpuMs', 'post')).toFixed(0)} ms CPU time`
  const peers = [JWT_AUTH, AIO, LIBRARIES].map(
    (peer) =>
      `- this action's main step ÷ ${peer}: wall time ${times(pairedRatio(ACTION, peer, 'wallMs'))}, CPU time ${times(pairedRatio(ACTION, peer, 'cpuMs'))}, ` +
      `peak RSS ${times(pairedRatio(ACTION, peer, 'peakRssKiB'))}; main + post ÷ ${peer}: wall time ${times(pairedRatio(ACTION, peer, 'wallMs', 'job', 'main'))}`,
  )
  const actionToFloor = pairedRatios(ACTION, FLOOR, 'wallMs')
  const spread =
    `- spread: this action's main step ÷ the floor, wall time, was ${times(quantile(actionToFloor, 0.25))} to ${times(quantile(actionToFloor, 0.75))} ` +
    `in the middle half of the rounds (${times(Math.min(...actionToFloor))} to ${times(Math.max(...actionToFloor))} in all); ${load}`

  const [toFloor, toJwtAuth, rssToFloor] = [
    pairedRatio(ACTION, FLOOR, 'wallMs'),
    pairedRatio(ACTION, JWT_AUTH, 'wallMs'),
    pairedRatio(ACTION, FLOOR, 'peakRssKiB'),
  ]
  const targets: readonly (readonly [target: string, value: string, met: boolean])[] = [
    ['main step wall time ≤ 1.25× the floor', times(toFloor), shown(toFloor) <= 1.25],
    [`main step wall time ≤ 0.65× ${JWT_AUTH}`, times(toJwtAuth), shown(toJwtAuth) <= 0.65],
    ['main step peak RSS ≤ 1.1× the floor', times(rssToFloor), shown(rssToFloor) <= 1.1],
    ['dist/ ≤ 200 KiB in all (both steps)', kib(distSize), distSize <= 200 * 1024],
  ]
  const librariesLimit =
    `- the mandated libraries alone (the libraries' floor) take ${times(pairedRatio(LIBRARIES, FLOOR, 'wallMs'))} the floor's wall time, ` +
    `${times(pairedRatio(LIBRARIES, FLOOR, 'cpuMs'))} its CPU time and ${times(pairedRatio(LIBRARIES, FLOOR, 'peakRssKiB'))} its peak RSS, ` +
    `and ${times(pairedRatio(LIBRARIES, JWT_AUTH, 'wallMs'))} the wall time of ${JWT_AUTH}: no action built on them gets below that`
  return [
    table,
    '',
    post,
    ...peers,
    spread,
    '',
    '| target | this run | |',
    '|---|---:|---|',
    ...targets.map(([target, value, met]) => `| ${target} | ${value} | ${met ? 'met' : 'missed'} |`),
    '',
    librariesLimit,
    '',
    conditions,
  ].join('\n')
}

const report = baselineDir ? comparisonReport() : peersReport()
console.log(report)

if (options.write) {
  const path = join(ROOT, 'BENCHMARKS.md')
  const text = readFileSync(path, 'utf8')
  const [start, end] = ['<!-- bench:start -->', '<!-- bench:end -->']
  if (!text.includes(start) || !text.includes(end)) throw new Error(`BENCHMARKS.md lacks the markers ${start} and ${end}`)
  const before = text.slice(0, text.indexOf(start) + start.length)
  const after = text.slice(text.indexOf(end))
  const command = `npm run bench -- ${options.rounds === '20' ? '' : `--rounds ${options.rounds} `}--write`
  writeFileSync(path, `${before}\nRun on ${new Date().toISOString().slice(0, 10)} with \`${command}\`.\n\n${report}\n${after}`)
  console.log('\nBENCHMARKS.md updated.')
}
