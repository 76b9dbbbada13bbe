/**
 * `npm run bench`: what one token step costs, beside what people would otherwise use. Each contender does
 * the same service-account JWT exchange against the IMS emulator on loopback, as a fresh process on the
 * Node.js that action.yml names, over https with a throwaway CA. Contenders take turns within each round
 * (the next one leads each round), `--rounds` times after a warm-up; ratios are taken round by round and
 * their medians reported. Prints wall time, CPU time and peak RSS, the ratios, the size of dist/, and the
 * targets of issue 12, met or missed.
 *
 *   npm run bench                      Node.js of action.yml (from the npm registry when it is not this one), https
 *   npm run bench -- --node 20         another Node.js major (or a path to a node binary)
 *   npm run bench -- --http            the emulator on plain http
 *   npm run bench -- --rounds 60       more rounds (default 20)
 *   npm run bench -- --probe           measure CPU time and peak RSS inside each contender, not with GNU time
 *   npm run bench -- --write           also rewrite the measured section of BENCHMARKS.md (defaults only)
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { makeTlsAuthority } from '../emulator/certificates.js'
import { ImsEmulator } from '../emulator/ims-emulator.js'
import { actionYml, DIST, makeStepFiles, ROOT, stepEnv, type StepFiles } from '../emulator/runner.js'
import { makeServiceCredentials, type ServiceCredentials } from '../emulator/throwaway-credentials.js'
import { readScriptFlags } from '../scripts/cli.js'

interface Contender {
  readonly name: string
  /** Script to start with `node`. */
  readonly script: string
  /** The step's environment for one run. */
  env(files: StepFiles, service: ServiceCredentials, origin: string): Record<string, string>
}

interface Sample {
  readonly wallMs: number
  readonly cpuMs: number
  readonly peakRssKiB: number
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

/** The Node.js major action.yml runs the action on (`runs.using: node24`). */
const ACTION_NODE = /^node(\d+)$/.exec(actionYml.runs.using)?.[1]
if (!ACTION_NODE) throw new Error(`action.yml runs.using is ${actionYml.runs.using}, not nodeNN`)
const wantedNode = options.node ?? ACTION_NODE
// BENCHMARKS.md holds the run that counts: on the runtime action.yml names, over https as IMS serves.
if (options.write && (wantedNode !== ACTION_NODE || options.http))
  throw new Error(`--write records runs on Node.js ${ACTION_NODE} over https only`)

/** This Node.js for its own major, a path as given, else that major from the npm registry through npx. */
function findNode(wanted: string): string {
  if (!/^\d+$/.test(wanted)) return wanted
  if (process.versions.node.split('.')[0] === wanted) return process.execPath
  process.stderr.write(`Finding Node.js ${wanted} through npx -p node@${wanted} ...\n`)
  const found = spawnSync('npx', ['-y', '-p', `node@${wanted}`, '--', 'node', '-p', 'process.execPath'], {
    encoding: 'utf8',
    // npx is a .cmd script on Windows, which only a shell starts.
    shell: platform() === 'win32',
  })
  const path = found.stdout?.trim().split(/\r?\n/).at(-1)
  if (found.status !== 0 || !path) throw new Error(`npx could not provide Node.js ${wanted}: ${found.stderr ?? found.error?.message}`)
  return path
}

const node = findNode(wantedNode)
const nodeVersion = spawnSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).stdout?.trim() ?? ''
if (!nodeVersion.startsWith('v') || (/^\d+$/.test(wantedNode) && !nodeVersion.startsWith(`v${wantedNode}.`))) {
  throw new Error(`${node} is not Node.js ${wantedNode} (it says ${nodeVersion || 'nothing'})`)
}

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
const ACTION = 'this action (dist/index.js)'
const JWT_AUTH = '@adobe/jwt-auth'
const AIO = '@adobe/aio-lib-ims'

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

const CONTENDERS: readonly Contender[] = [
  {
    name: ACTION,
    script: DIST,
    // As the runner starts it: INPUT_* from action.yml defaults and `with`, the step files, stdout read.
    env: (files, service, origin) => stepEnv(files, { credentials: service.json, 'ims-endpoint': origin }),
  },
  { name: JWT_AUTH, script: join(ROOT, 'bench/contenders/adobe-jwt-auth.mjs'), env: benchCredentials },
  { name: AIO, script: join(ROOT, 'bench/contenders/adobe-aio-lib-ims.mjs'), env: benchCredentials },
  { name: FLOOR, script: join(ROOT, 'bench/contenders/floor.mjs'), env: benchCredentials },
]

async function runOnce(
  contender: Contender,
  service: ServiceCredentials,
  emulator: ImsEmulator,
  dir: string,
  extraEnv: Record<string, string>,
): Promise<Sample> {
  const files = makeStepFiles(dir)
  const usageFile = join(dir, 'usage')
  const [command, args] = gnuTime
    ? [GNU_TIME, ['-f', '%M %U %S', '-o', usageFile, node, contender.script]]
    : [node, [`--import=${PROBE}`, contender.script]]
  const before = emulator.requests.length
  const started = process.hrtime.bigint()
  const child = spawn(command, args, {
    cwd: dir,
    env: { ...contender.env(files, service, emulator.origin), ...extraEnv },
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
  // A run counts only if the exchange really happened and the token reached GITHUB_OUTPUT.
  const answered = emulator.requests.slice(before)
  const token = answered[0]?.accessToken
  if (exitCode !== 0 || answered.length !== 1 || !token || !readFileSync(files.output, 'utf8').includes(token)) {
    throw new Error(`${contender.name} did not get a token (exit ${exitCode}, ${answered.length} requests): ${stderr.slice(0, 500)}`)
  }
  if (gnuTime) {
    // %M is in KiB, %U and %S in seconds (to 10 ms).
    const [peakRssKiB = NaN, user = NaN, system = NaN] = readFileSync(usageFile, 'utf8').trim().split(/\s+/).map(Number)
    return { wallMs, cpuMs: (user + system) * 1000, peakRssKiB }
  }
  const [peakRssKiB = NaN, cpuMs = NaN] = usage.split(' ').map(Number)
  return { wallMs, cpuMs, peakRssKiB }
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
const samples: Sample[][] = []
try {
  for (let round = -warmUp; round < rounds; round++) {
    const offset = ((round % CONTENDERS.length) + CONTENDERS.length) % CONTENDERS.length
    const results: Sample[] = []
    for (let turn = 0; turn < CONTENDERS.length; turn++) {
      const index = (offset + turn) % CONTENDERS.length
      const contender = CONTENDERS[index]
      if (contender) results[index] = await runOnce(contender, service, emulator, dir, extraEnv)
    }
    if (round >= 0) samples.push(results)
    process.stderr.write(round < 0 ? 'w' : '.')
  }
  process.stderr.write('\n')
} finally {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
}
const loadAfter = loadavg()[0] ?? 0

type Measure = keyof Sample
const indexOf = (name: string): number => CONTENDERS.findIndex((contender) => contender.name === name)
const valuesOf = (name: string, measure: Measure): number[] => samples.map((round) => round[indexOf(name)]?.[measure] ?? NaN)
/** Ratios of a to b, round by round: each pair ran back to back, under the same load. */
const pairedRatios = (a: string, b: string, measure: Measure): number[] => {
  const bValues = valuesOf(b, measure)
  return valuesOf(a, measure).map((value, round) => value / (bValues[round] ?? NaN))
}
const pairedRatio = (a: string, b: string, measure: Measure): number => median(pairedRatios(a, b, measure))
const times = (value: number): string => `${value.toFixed(2)}×`

function distBytes(dirPath: string): number {
  return readdirSync(dirPath, { withFileTypes: true }).reduce(
    (total, entry) => total + (entry.isDirectory() ? distBytes(join(dirPath, entry.name)) : statSync(join(dirPath, entry.name)).size),
    0,
  )
}
const distSize = distBytes(join(ROOT, 'dist'))

const table = [
  '| contender | wall time | × floor | CPU time | × floor | peak RSS | × floor |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...CONTENDERS.map(
    ({ name }) =>
      `| ${name} | ${median(valuesOf(name, 'wallMs')).toFixed(0)} ms | ${times(pairedRatio(name, FLOOR, 'wallMs'))} | ` +
      `${median(valuesOf(name, 'cpuMs')).toFixed(0)} ms | ${times(pairedRatio(name, FLOOR, 'cpuMs'))} | ` +
      `${(median(valuesOf(name, 'peakRssKiB')) / 1024).toFixed(1)} MiB | ${times(pairedRatio(name, FLOOR, 'peakRssKiB'))} |`,
  ),
].join('\n')

const peers = [JWT_AUTH, AIO].map(
  (peer) =>
    `- this action ÷ ${peer}: wall time ${times(pairedRatio(ACTION, peer, 'wallMs'))}, CPU time ${times(pairedRatio(ACTION, peer, 'cpuMs'))}, ` +
    `peak RSS ${times(pairedRatio(ACTION, peer, 'peakRssKiB'))}`,
)
const actionToFloor = pairedRatios(ACTION, FLOOR, 'wallMs')
const spread =
  `- spread: this action ÷ the floor, wall time, was ${times(quantile(actionToFloor, 0.25))} to ${times(quantile(actionToFloor, 0.75))} ` +
  `in the middle half of the rounds (${times(Math.min(...actionToFloor))} to ${times(Math.max(...actionToFloor))} in all); ` +
  `1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${cpus().length} CPUs`

const [toFloor, toJwtAuth, rssToFloor] = [
  pairedRatio(ACTION, FLOOR, 'wallMs'),
  pairedRatio(ACTION, JWT_AUTH, 'wallMs'),
  pairedRatio(ACTION, FLOOR, 'peakRssKiB'),
]
const targets: readonly (readonly [target: string, value: string, met: boolean])[] = [
  ['wall time ≤ 1.25× the floor', times(toFloor), toFloor <= 1.25],
  [`wall time ≤ 0.65× ${JWT_AUTH}`, times(toJwtAuth), toJwtAuth <= 0.65],
  ['peak RSS ≤ 1.1× the floor', times(rssToFloor), rssToFloor <= 1.1],
  ['dist/ ≤ 200 KiB in all', `${(distSize / 1024).toFixed(1)} KiB`, distSize <= 200 * 1024],
]
const targetLines = targets.map(([target, value, met]) => `| ${target} | ${value} | ${met ? 'met' : 'missed'} |`)

const cpu = cpus()
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}`
const measuredBy = gnuTime
  ? 'GNU time (CPU time to 10 ms)'
  : `a probe preloaded into every contender (peak RSS: ${platform() === 'linux' ? 'VmHWM' : 'maxRSS'})`
const report = [
  table,
  '',
  ...peers,
  spread,
  '',
  '| target | this run | |',
  '|---|---:|---|',
  ...targetLines,
  '',
  `Node.js ${nodeVersion} for every contender; the emulator over ${https ? 'https, its throwaway CA in NODE_EXTRA_CA_CERTS for every contender' : 'plain http'}. ` +
    `${rounds} round${rounds === 1 ? '' : 's'} after ${warmUp} warm-up rounds, each run a fresh process; times and sizes are medians, ratios the medians of the ` +
    `ratios within each round. CPU time and peak RSS measured by ${measuredBy}. Machine: ${machine}.`,
].join('\n')
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
