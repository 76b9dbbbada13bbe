/**
 * The mock IMS action's main step: starts the emulator process in the background, detached, with its
 * output in a file (so that this step can end while it serves the later steps), waits until it answers,
 * masks the throwaway secrets like real ones and sets the outputs.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import * as core from '@actions/core'
import { maskSecretText, runnerReporter } from '../../src/lib/reporter.js'
import { MARKER } from './emulator-process.js'
import { EMULATOR_FLAG, folderFiles, type Ready, readIfThere } from './files.js'
import { MOCK_OUTPUT_NAMES, MockInputError, type MockImsSettings, type MockOutputName, readSettings } from './settings.js'

const START_TIMEOUT_MS = 60_000

/** Waits for the emulator process's ready file, which it writes once it answers HTTP; throws with its log if it does not come. */
async function whenReady(dir: string, child: ChildProcess): Promise<Ready> {
  const files = folderFiles(dir)
  let exited = false
  child.once('exit', () => (exited = true))
  const started = Date.now()
  while (!existsSync(files.ready)) {
    if (exited || Date.now() - started > START_TIMEOUT_MS) {
      const log = readIfThere(files.log).trim()
      const what = exited ? 'its process ended' : `it did not answer within ${START_TIMEOUT_MS / 1000} s`
      throw new Error(`${what}.${log ? ` Its log:\n${log}` : ''}`)
    }
    await sleep(50)
  }
  const ready = JSON.parse(readFileSync(files.ready, 'utf8')) as Ready
  // The emulator holds the credentials; the only copy on disk goes now.
  rmSync(files.ready, { force: true })
  return ready
}

function describeRehearsal(settings: MockImsSettings): string | undefined {
  if (settings.failTokenRequests === 0) return undefined
  const answer = {
    invalid_client: '400 invalid_client (invalid client_secret parameter)',
    '429': `429 Too Many Requests with Retry-After: ${settings.retryAfterSeconds}`,
    '503': '503 internal_error (Please try again later)',
  }[settings.failWith]
  const requests = settings.failTokenRequests === 1 ? 'token request' : `${settings.failTokenRequests} token requests`
  return `Rehearsal: the next ${requests} will be answered ${answer}.`
}

export async function run(): Promise<void> {
  try {
    const settings = readSettings((name) => core.getInput(name))
    const dir = mkdtempSync(join(process.env['RUNNER_TEMP'] || tmpdir(), 'mock-ims-'))
    // Saved first, so that the post step cleans up whatever happens next.
    core.saveState('dir', dir)
    const files = folderFiles(dir)
    writeFileSync(files.settings, JSON.stringify(settings))
    const log = openSync(files.log, 'w')
    const child = spawn(process.execPath, [process.argv[1] ?? '', EMULATOR_FLAG, dir], {
      detached: true,
      stdio: ['ignore', log, log],
      windowsHide: true,
    })
    closeSync(log)
    child.unref()
    if (child.pid !== undefined) core.saveState('pid', String(child.pid))
    const ready = await whenReady(dir, child)

    const reporter = runnerReporter(core)
    for (const secret of ready.secrets) maskSecretText(reporter, secret)
    // Whole, too, as a secret holding one is masked: a later step that prints it shows ***.
    reporter.maskSecret(ready.serviceCredentials)
    reporter.maskSecret(ready.oauthCredentials)

    const outputs: Record<MockOutputName, string> = {
      'ims-endpoint': ready.origin,
      'service-credentials': ready.serviceCredentials,
      'oauth-credentials': ready.oauthCredentials,
      'service-client-id': ready.serviceClientId,
      'oauth-client-id': ready.oauthClientId,
      'org-id': ready.orgId,
      'validate-token-url': `${ready.origin}/ims/validate_token/v1`,
    }
    for (const name of MOCK_OUTPUT_NAMES) core.setOutput(name, outputs[name])

    core.info(`Mock IMS listening at ${ready.origin} (process ${child.pid ?? '?'}), on loopback only, until the end of the job.`)
    core.info(
      `Its credentials are throwaway: made for this run, every id and secret starting with ${MARKER}-, and known to no IMS but this one.`,
    )
    const rehearsal = describeRehearsal(settings)
    if (rehearsal) core.info(rehearsal)
  } catch (error) {
    core.setFailed(error instanceof MockInputError ? error.message : `Could not start the mock IMS: ${(error as Error).message}`)
  }
}
