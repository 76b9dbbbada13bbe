/**
 * `npm run bench`: what one token step costs, beside what people would otherwise use. Each contender does
 * the same service-account JWT exchange against the IMS emulator on loopback, as a fresh process, in
 * alternating order, `--rounds` times (default 20) after a warm-up. Prints median wall time, CPU time and peak RSS,
 * the ratios to the floor and to each peer, the size of dist/index.js, and the targets of issue 5.
 *
 *   npm run bench                      print the table (emulator on plain http, as issue 5 sets it)
 *   npm run bench -- --tls             the emulator serves https, as IMS does; every contender trusts its
 *                                      test CA through NODE_EXTRA_CA_CERTS and the floor uses node:https
 *   npm run bench -- --rounds 40       more rounds
 *   npm run bench -- --write           also rewrite this mode's section of BENCHMARKS.md
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, platform, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { makeTlsAuthority } from '../emulator/certificates.js'
import { ImsEmulator } from '../emulator/ims-emulator.js'
import { baseEnv, DIST, inputEnv, ROOT } from '../emulator/runner.js'
import { makeServiceCredentials, type ServiceCredentials } from '../emulator/throwaway-credentials.js'

interface Contender {
  readonly name: string
  /** Script to start with `node`. */
  readonly script: string
  /** Environment for one run. */
  env(service: ServiceCredentials, origin: string): Record<string, string>
}

interface Sample {
  readonly wallMs: number
  readonly cpuMs: number
  readonly peakRssKb: number
}

/**
 * Reports the process's peak RSS and CPU time (user + system) on fd 3 as it exits; loaded into every
 * contender alike. CPU time shows the work done, steadier than wall time on a busy or virtual machine.
 */
const EXIT_PROBE =
  "data:text/javascript,import{writeSync}from'node:fs';process.on('exit',()=>{const u=process.resourceUsage();writeSync(3,u.maxRSS+' '+(u.userCPUTime+u.systemCPUTime)/1000)})"

const benchCredentials = (service: ServiceCredentials, origin: string): Record<string, string> => ({
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

const { values: options } = parseArgs({
  options: {
    tls: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '20' },
    write: { type: 'boolean', default: false },
  },
})
const tls = options.tls
const FLOOR = `floor (node:crypto + ${tls ? 'node:https' : 'node:http'})`
const ACTION = 'this action (dist/index.js)'
const JWT_AUTH = '@adobe/jwt-auth'
const AIO = '@adobe/aio-lib-ims'

const CONTENDERS: readonly Contender[] = [
  {
    name: ACTION,
    script: DIST,
    // As the runner starts it: INPUT_* from action.yml defaults and `with`.
    env: (service, origin) => inputEnv({ credentials: service.json, 'ims-endpoint': origin }),
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
  const output = join(dir, 'output')
  writeFileSync(output, '')
  const before = emulator.requests.length
  const started = process.hrtime.bigint()
  const child = spawn(process.execPath, [`--import=${EXIT_PROBE}`, contender.script], {
    cwd: dir,
    env: { ...baseEnv(), ...extraEnv, GITHUB_OUTPUT: output, ...contender.env(service, emulator.origin) },
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  let usage = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdio[3]?.on('data', (chunk: Buffer) => (usage += chunk.toString()))
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6
  // A run counts only if the exchange really happened and the token reached GITHUB_OUTPUT.
  const answered = emulator.requests.slice(before)
  const token = answered[0]?.accessToken
  if (exitCode !== 0 || answered.length !== 1 || !token || !readFileSync(output, 'utf8').includes(token)) {
    throw new Error(`${contender.name} did not get a token (exit ${exitCode}, ${answered.length} requests): ${stderr.slice(0, 500)}`)
  }
  const [peakRssKb = NaN, cpuMs = NaN] = usage.split(' ').map(Number)
  return { wallMs, cpuMs, peakRssKb }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

const rounds = Number(options.rounds)
const warmUp = 2
const service = await makeServiceCredentials()
const dir = mkdtempSync(join(tmpdir(), 'ims-bench-'))
const extraEnv: Record<string, string> = {}
let serverTls: { key: string; cert: string } | undefined
if (tls) {
  const authority = await makeTlsAuthority(['127.0.0.1'])
  writeFileSync(join(dir, 'ca.pem'), authority.caPem)
  extraEnv['NODE_EXTRA_CA_CERTS'] = join(dir, 'ca.pem')
  serverTls = { key: authority.serverKeyPem, cert: authority.serverCertPem }
}
const emulator = await ImsEmulator.start({ integrations: [service.integration], ...(serverTls ? { tls: serverTls } : {}) })
const samples = new Map<string, Sample[]>(CONTENDERS.map((contender) => [contender.name, []]))
try {
  for (let round = -warmUp; round < rounds; round++) {
    // Alternate: each round starts with the next contender, so none always runs first or last.
    const offset = ((round % CONTENDERS.length) + CONTENDERS.length) % CONTENDERS.length
    for (const contender of [...CONTENDERS.slice(offset), ...CONTENDERS.slice(0, offset)]) {
      const sample = await runOnce(contender, service, emulator, dir, extraEnv)
      if (round >= 0) samples.get(contender.name)?.push(sample)
    }
    process.stderr.write(round < 0 ? 'w' : '.')
  }
  process.stderr.write('\n')
} finally {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
}

const results = new Map(
  CONTENDERS.map(({ name }) => {
    const runs = samples.get(name) ?? []
    return [
      name,
      {
        wallMs: median(runs.map((run) => run.wallMs)),
        cpuMs: median(runs.map((run) => run.cpuMs)),
        peakRssMb: median(runs.map((run) => run.peakRssKb)) / 1024,
      },
    ]
  }),
)
const of = (name: string): { wallMs: number; cpuMs: number; peakRssMb: number } =>
  results.get(name) ?? { wallMs: NaN, cpuMs: NaN, peakRssMb: NaN }
const distBytes = statSync(DIST).size
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`

const table = [
  `| contender | median wall time | × floor | median CPU time | × floor | median peak RSS | × floor |`,
  `|---|---:|---:|---:|---:|---:|---:|`,
  ...CONTENDERS.map(({ name }) => {
    const { wallMs, cpuMs, peakRssMb } = of(name)
    const floor = of(FLOOR)
    return `| ${name} | ${wallMs.toFixed(0)} ms | ${ratio(wallMs, floor.wallMs)} | ${cpuMs.toFixed(0)} ms | ${ratio(cpuMs, floor.cpuMs)} | ${peakRssMb.toFixed(1)} MB | ${ratio(peakRssMb, floor.peakRssMb)} |`
  }),
].join('\n')

const action = of(ACTION)
const targets: [string, string, boolean][] = [
  ['wall time ≤ 1.2x the floor', ratio(action.wallMs, of(FLOOR).wallMs), action.wallMs <= 1.2 * of(FLOOR).wallMs],
  [`wall time ≤ 0.7x ${JWT_AUTH}`, ratio(action.wallMs, of(JWT_AUTH).wallMs), action.wallMs <= 0.7 * of(JWT_AUTH).wallMs],
  ['peak RSS ≤ 1.1x the floor', ratio(action.peakRssMb, of(FLOOR).peakRssMb), action.peakRssMb <= 1.1 * of(FLOOR).peakRssMb],
  ['dist/index.js ≤ 200 KiB', `${(distBytes / 1024).toFixed(1)} KiB`, distBytes <= 200 * 1024],
]
const peers = [JWT_AUTH, AIO].map(
  (peer) =>
    `this action vs ${peer}: wall time ${ratio(action.wallMs, of(peer).wallMs)}, CPU time ${ratio(action.cpuMs, of(peer).cpuMs)}, peak RSS ${ratio(action.peakRssMb, of(peer).peakRssMb)}`,
)
const targetLines = targets.map(([target, value, met]) => `| ${target} | ${value} | ${met ? 'met' : 'NOT met'} |`)

const cpu = cpus()
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node.js ${process.version}`
const report = [
  table,
  '',
  ...peers.map((line) => `- ${line}`),
  '',
  '| target | this run | |',
  '|---|---:|---|',
  ...targetLines,
  '',
  `Emulator over ${tls ? 'https (test CA in NODE_EXTRA_CA_CERTS; the floor uses node:https)' : 'plain http (the floor uses node:http)'}. ${rounds} rounds after ${warmUp} warm-up rounds; each run a fresh process. Machine: ${machine}.`,
].join('\n')
console.log(report)

if (options.write) {
  const path = join(ROOT, 'BENCHMARKS.md')
  const text = readFileSync(path, 'utf8')
  const start = `<!-- bench:${tls ? 'tls' : 'http'}:start -->`
  const end = `<!-- bench:${tls ? 'tls' : 'http'}:end -->`
  if (!text.includes(start) || !text.includes(end)) throw new Error(`BENCHMARKS.md lacks the markers ${start} and ${end}`)
  const before = text.slice(0, text.indexOf(start) + start.length)
  const after = text.slice(text.indexOf(end))
  writeFileSync(
    path,
    `${before}\nRun on ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- ${tls ? '--tls ' : ''}--write\`.\n\n${report}\n${after}`,
  )
  console.log(`\nBENCHMARKS.md updated.`)
}
