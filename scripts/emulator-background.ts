/**
 * `node .build/scripts/emulator-background.js [--port 8181]`, after `tsc -p tsconfig.tools.json`: starts
 * the IMS emulator (scripts/emulator.ts) as a detached process that outlives this one, waits until it
 * listens, and hands the later steps of a job IMS_ORIGIN, SERVICE_CREDENTIALS and OAUTH_PROJECT through
 * GITHUB_ENV. For the e2e workflow: only Node.js, so it runs alike in every runner's shell (bash, PowerShell)
 * on Linux, Windows and macOS, with no nohup, openssl or seq. Its files go to RUNNER_TEMP/ims-emulator
 * (the system's temporary directory outside a runner): credentials/ and emulator.log.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values: options } = parseArgs({ options: { port: { type: 'string', default: '8181' } } })
const dir = join(process.env['RUNNER_TEMP'] ?? tmpdir(), 'ims-emulator')
const out = join(dir, 'credentials')
const log = join(dir, 'emulator.log')
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })

// Output to a file, not to this process's pipes, and a process group of its own: the step can end while the
// emulator serves the later steps (the runner stops it when the job ends).
const logFile = openSync(log, 'w')
const emulator = spawn(process.execPath, [fileURLToPath(new URL('./emulator.js', import.meta.url)), '--port', options.port, '--out', out], {
  detached: true,
  stdio: ['ignore', logFile, logFile],
  windowsHide: true,
})
emulator.unref()
closeSync(logFile)

const origin = join(out, 'origin')
for (let waited = 0; !existsSync(origin); waited += 250) {
  if (emulator.exitCode !== null || waited >= 60_000) {
    console.error(`The IMS emulator did not start${emulator.exitCode === null ? ' within 60 s' : ''}. Its log:`)
    console.error(readFileSync(log, 'utf8'))
    process.exit(1)
  }
  await sleep(250)
}
console.log(readFileSync(log, 'utf8').trim())
console.log(`Its log: ${log}`)

const variables = {
  IMS_ORIGIN: readFileSync(origin, 'utf8'),
  SERVICE_CREDENTIALS: readFileSync(join(out, 'service-credentials.json'), 'utf8'),
  OAUTH_PROJECT: readFileSync(join(out, 'oauth-project.json'), 'utf8'),
}
const githubEnv = process.env['GITHUB_ENV']
if (githubEnv) {
  // The heredoc form @actions/core writes, with a delimiter no value can hold.
  const delimiter = `ghadelimiter_${randomUUID()}`
  for (const [name, value] of Object.entries(variables)) appendFileSync(githubEnv, `${name}<<${delimiter}\n${value}\n${delimiter}\n`)
  console.log(`Set ${Object.keys(variables).join(', ')} for the later steps.`)
} else {
  console.log(`No GITHUB_ENV (not on a runner): the credentials are in ${out}`)
}
