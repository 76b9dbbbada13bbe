/**
 * `npm run bench:fleet`: many jobs at once against a throttling IMS. Starts `--jobs` copies of each
 * contender together, as a matrix build starts its jobs, each a fresh process on the Node.js action.yml names,
 * against the IMS emulator on loopback with a token bucket (emulator/throttle.ts), one contender's fleet
 * after the other, each against a fresh bucket. Reports, for each: the jobs that got a token, requests per
 * job, the time to the last token against the best a server of that rate could do for the arrivals seen,
 * and the failures by cause. Bounded: at most 500 jobs, each stopped after `--limit` seconds.
 *
 *   npm run bench:fleet                                40 jobs, 5 tokens a second (burst 5), 429 with Retry-After: 1
 *   npm run bench:fleet -- --jobs 200 --rate 20        another crowd and rate
 *   npm run bench:fleet -- --retry-after=              429 without Retry-After
 *   npm run bench:fleet -- --outage-for 30             also 503 for the first 30 s (--outage-from to start later)
 *   npm run bench:fleet -- --only action               only this action (action, jwt-auth, aio-lib-ims)
 *   npm run bench:fleet -- --inputs max-attempts=5     inputs for the action's jobs, as `with:` gives them
 *   npm run bench:fleet -- --write                     also rewrite the fleet section of BENCHMARKS.md
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, platform, release, tmpdir } from 'node:os'
import { join } from 'node:path'
import { ImsEmulator, type JwtIntegration, type RecordedRequest } from '../emulator/ims-emulator.js'
import { DIST, makeStepFiles, ROOT, stepEnv, type StepFiles } from '../emulator/runner.js'
import { THROTTLE_FLAGS, THROTTLE_USAGE, throttleFromFlags, throttleText, type ThrottleOptions } from '../emulator/throttle.js'
import { makeServiceCredentials, type ServiceCredentials } from '../emulator/throwaway-credentials.js'
import { CliError, readScriptFlags, runScript } from '../scripts/cli.js'
import { actionNodeMajor, type BenchCredentials, findNode } from './node-runtime.js'

const MAX_JOBS = 500

interface Contender {
  readonly key: string
  readonly name: string
  readonly script: string
  /** The step's environment for job `index`, whose integration is `integration`. */
  env(files: StepFiles, integration: JwtIntegration, origin: string): Record<string, string>
  /** Why a job failed, from what it printed: one line, with ids and numbers blurred so that like failures count together. */
  cause(stdout: string, stderr: string): string
}

interface Job {
  readonly clientId: string
  readonly exitCode: number | null
  readonly stopped: boolean
  readonly gotToken: boolean
  readonly cause: string | undefined
}

/** Ids and numbers out (but HTTP statuses), so that the same failure in 40 jobs is one cause. */
const blurred = (line: string): string =>
  line
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<id>')
    .replace(/\d+(\.\d+)?/g, (number) => (/^[1-5]\d\d$/.test(number) ? number : 'N'))
    .slice(0, 220)

/** A peer's failure: the line of stderr that names the error (`Error: ...`), else the first that says something went wrong. */
function peerCause(_stdout: string, stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim())
  const named = lines.find((line) => /^[A-Za-z]*Error\b[^:]*:/.test(line))
  const other = lines.find((line) => /error|fail|invalid|refused|reset/i.test(line) && !line.startsWith('at '))
  return blurred(named ?? other ?? (lines.find(Boolean) || 'no message'))
}

await runScript(async () => {
  const usage = `Usage: npm run bench:fleet -- [--jobs 40] ${THROTTLE_USAGE} [--limit 180] [--only action,jwt-auth,aio-lib-ims] [--inputs NAME=VALUE,...] [--node 24] [--write]`
  const { values: flags } = readScriptFlags(
    'npm run bench:fleet --',
    {
      options: {
        ...THROTTLE_FLAGS,
        rate: { type: 'string', default: '5' },
        'retry-after': { type: 'string', default: '1' },
        jobs: { type: 'string', default: '40' },
        limit: { type: 'string', default: '180' },
        only: { type: 'string', default: 'action,jwt-auth,aio-lib-ims' },
        inputs: { type: 'string', default: '' },
        node: { type: 'string' },
        write: { type: 'boolean', default: false },
      },
    },
    // The usage line, then the examples of this file's opening comment, so that the two cannot disagree.
    [
      usage,
      ...readFileSync(new URL(import.meta.url), 'utf8')
        .split('\n')
        .filter((line) => /^ \* {3}npm run bench:fleet/.test(line))
        .map((line) => line.slice(2)),
    ].join('\n'),
  )
  const jobs = Number(flags.jobs)
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS)
    throw new CliError(`--jobs ${flags.jobs} is not a whole number from 1 to ${MAX_JOBS}.`)
  const limitMs = Number(flags.limit) * 1000
  if (!Number.isFinite(limitMs) || limitMs <= 0 || limitMs > 3_600_000)
    throw new CliError(`--limit ${flags.limit} is not a number of seconds from 1 to 3600.`)
  const throttle = throttleFromFlags({ ...flags, 'retry-after': flags['retry-after'] || undefined }, (message) => new CliError(message))
  if (!throttle) throw new CliError(`The fleet needs a throttle. ${usage}`)
  const actionInputs = Object.fromEntries(
    flags.inputs
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [name = '', ...value] = pair.split('=')
        return [name.trim(), value.join('=').trim()]
      }),
  )
  const { node, version } = findNode(flags.node ?? actionNodeMajor())
  if (flags.write && (flags.node !== undefined || flags.inputs !== ''))
    throw new CliError('--write records runs on the defaults only: no --node, no --inputs.')

  const credentialsOf = (integration: JwtIntegration, service: ServiceCredentials, origin: string): BenchCredentials => ({
    clientId: integration.clientId,
    clientSecret: integration.clientSecret,
    technicalAccountId: integration.technicalAccountId,
    orgId: integration.orgId,
    privateKey: service.privateKeyPem,
    metascopes: integration.metascopes,
    imsOrigin: origin,
  })
  const service = await makeServiceCredentials()
  const peerEnv = (files: StepFiles, integration: JwtIntegration, origin: string): Record<string, string> => ({
    ...stepEnv(files, {}),
    BENCH_CREDENTIALS: JSON.stringify(credentialsOf(integration, service, origin)),
  })
  const all: readonly Contender[] = [
    {
      key: 'action',
      name: 'this action (dist/index.js)',
      script: DIST,
      // As the runner starts it: INPUT_* from action.yml defaults and `with`, the step files, stdout read.
      env: (files, integration, origin) =>
        stepEnv(files, {
          'client-id': integration.clientId,
          'client-secret': integration.clientSecret,
          'technical-account-id': integration.technicalAccountId,
          'org-id': integration.orgId,
          'private-key': service.privateKeyPem,
          metascopes: integration.metascopes.join(','),
          'ims-endpoint': origin,
          ...actionInputs,
        }),
      cause: (stdout) => blurred(/^::error::(.*)$/m.exec(stdout)?.[1]?.replace(/%0A/g, ' ') ?? 'no error line'),
    },
    { key: 'jwt-auth', name: '@adobe/jwt-auth', script: join(ROOT, 'bench/contenders/adobe-jwt-auth.mjs'), env: peerEnv, cause: peerCause },
    {
      key: 'aio-lib-ims',
      name: '@adobe/aio-lib-ims',
      script: join(ROOT, 'bench/contenders/adobe-aio-lib-ims.mjs'),
      env: peerEnv,
      cause: peerCause,
    },
  ]
  const chosen = flags.only.split(',').map((key) => key.trim())
  const unknown = chosen.filter((key) => !all.some((contender) => contender.key === key))
  if (unknown.length > 0) throw new CliError(`--only ${unknown.join(',')}: the contenders are ${all.map(({ key }) => key).join(', ')}.`)
  const contenders = all.filter((contender) => chosen.includes(contender.key))

  // Loopback only, plain http: the crowd, not TLS, is what is measured here.
  const emulator = await ImsEmulator.start({ host: '127.0.0.1' })
  const dir = mkdtempSync(join(tmpdir(), 'ims-fleet-'))
  const sections: string[] = []
  try {
    for (const contender of contenders) {
      // A client id of its own for each job (one integration, one key), so that each request is the job's.
      const integrations = Array.from({ length: jobs }, (_, index) => ({
        ...service.integration,
        clientId: `${service.integration.clientId}-${contender.key}-${index}`,
      }))
      for (const integration of integrations) emulator.addIntegration(integration)
      emulator.throttleWith(throttle)
      const before = emulator.requests.length
      process.stderr.write(`${contender.name}: ${jobs} jobs ...`)
      const started = Date.now()
      const results = await Promise.all(
        integrations.map((integration, index) => runJob(contender, integration, join(dir, `${contender.key}-${index}`))),
      )
      process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
      sections.push(report(contender, results, emulator.requests.slice(before), throttle))
    }
  } finally {
    await emulator.close()
    rmSync(dir, { recursive: true, force: true })
  }

  async function runJob(contender: Contender, integration: JwtIntegration, jobDir: string): Promise<Job> {
    mkdirSync(jobDir)
    const files = makeStepFiles(jobDir)
    const child = spawn(node, [contender.script], {
      cwd: jobDir,
      env: contender.env(files, integration, emulator.origin),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    let stopped = false
    const timer = setTimeout(() => {
      stopped = true
      child.kill('SIGKILL')
    }, limitMs)
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve))
    clearTimeout(timer)
    const issued = emulator.requests.filter((request) => request.fields['client_id'] === integration.clientId && request.accessToken)
    const output = readFileSync(files.output, 'utf8')
    const gotToken = exitCode === 0 && issued.some((request) => request.accessToken && output.includes(request.accessToken))
    const cause = gotToken
      ? undefined
      : stopped
        ? `no token within the ${limitMs / 1000} s limit: still running, stopped`
        : exitCode === 0
          ? 'exit 0 without a token'
          : contender.cause(stdout, stderr)
    return { clientId: integration.clientId, exitCode, stopped, gotToken, cause }
  }

  const header =
    `${jobs} jobs of each contender started at once, each a fresh process on Node.js ${version}, against the IMS emulator on loopback (http): ` +
    `${throttleText(throttle)}. Each contender's fleet meets a fresh bucket; each job is stopped after ${limitMs / 1000} s. ` +
    `The action runs with its defaults${Object.keys(actionInputs).length > 0 ? ` and ${JSON.stringify(actionInputs)}` : ''}. ` +
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${platform()} ${release()}.`
  const text = [
    '| contender | got a token | requests per job (mean, max) | first requests spread over | last token | ideal for those arrivals | failures by cause |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...sections,
    '',
    header,
  ].join('\n')
  console.log(text)
  if (flags.write) {
    const path = join(ROOT, 'BENCHMARKS.md')
    const markdown = readFileSync(path, 'utf8')
    const [start, end] = ['<!-- fleet:start -->', '<!-- fleet:end -->']
    if (!markdown.includes(start) || !markdown.includes(end)) throw new CliError(`BENCHMARKS.md lacks the markers ${start} and ${end}.`)
    const command = `npm run bench:fleet -- ${process.argv.slice(2).join(' ')}`.trim()
    writeFileSync(
      path,
      `${markdown.slice(0, markdown.indexOf(start) + start.length)}\nRun on ${new Date().toISOString().slice(0, 10)} with \`${command}\`.\n\n${text}\n${markdown.slice(markdown.indexOf(end))}`,
    )
    console.log('\nBENCHMARKS.md updated.')
  }
  return 0
})

/**
 * The time the last job could have had its token, from the first request, had the server handed out its
 * tokens to these arrivals as fast as the bucket and the outage allow: each job asking once, when it first did.
 */
function idealLastTokenMs(arrivals: readonly number[], throttle: ThrottleOptions): number {
  const sorted = [...arrivals].sort((a, b) => a - b)
  const first = sorted[0] ?? 0
  const burst = Math.max(1, throttle.burst ?? Math.floor(throttle.rate ?? 1))
  let tokens = burst
  let clock = first
  let last = first
  for (const arrival of sorted) {
    let time = Math.max(arrival, clock)
    const { outage } = throttle
    if (outage) {
      const [from, to] = [first + (outage.fromMs ?? 0), first + (outage.fromMs ?? 0) + outage.forMs]
      if (time >= from && time < to) time = to
    }
    if (throttle.rate !== undefined) {
      tokens = Math.min(burst, tokens + ((time - clock) * throttle.rate) / 1000)
      if (tokens < 1) {
        time += ((1 - tokens) * 1000) / throttle.rate
        tokens = 1
      }
      tokens -= 1
    }
    clock = time
    last = time
  }
  return last - first
}

function report(contender: Contender, results: readonly Job[], requests: readonly RecordedRequest[], throttle: ThrottleOptions): string {
  const perJob = results.map((job) => requests.filter((request) => request.fields['client_id'] === job.clientId))
  const counts = perJob.map((list) => list.length)
  const firsts = perJob.map((list) => list[0]?.receivedAt).filter((time): time is number => time !== undefined)
  const t0 = Math.min(...firsts)
  const tokens = requests.filter((request) => request.accessToken !== undefined).map((request) => request.receivedAt)
  const got = results.filter((job) => job.gotToken).length
  const causes = new Map<string, number>()
  for (const job of results) if (job.cause) causes.set(job.cause, (causes.get(job.cause) ?? 0) + 1)
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
  const mean = counts.reduce((sum, count) => sum + count, 0) / counts.length
  const failures = [...causes].map(([cause, count]) => `${count} × ${cause.replace(/\|/g, '\\|')}`).join('<br>') || 'none'
  return (
    `| ${contender.name} | ${got} of ${results.length} | ${mean.toFixed(2)}, ${Math.max(...counts)} | ${seconds(Math.max(...firsts) - t0)} | ` +
    `${tokens.length > 0 ? seconds(Math.max(...tokens) - t0) : '–'} | ${seconds(idealLastTokenMs(firsts, throttle))} | ${failures} |`
  )
}
