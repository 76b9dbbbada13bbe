import { appendFileSync } from 'node:fs'
import * as core from '@actions/core'
import { ActionError } from './lib/errors.js'
import { readInputs } from './lib/action-inputs.js'
import { networkFingerprint, prepareEnvironment } from './lib/environment.js'
import { OUTPUT_NAMES, type OutputName } from './lib/action-outputs.js'
import { FLOWS, getToken } from './lib/flows/index.js'
import { isoSeconds } from './lib/log-text.js'
import type { ImsToken } from './lib/ims-request.js'
import { stateToSave } from './lib/invalidation.js'
import { maskSecretInputs, type Plan, planFromInputs } from './lib/plan.js'
import { runnerReporter } from './lib/reporter.js'
import { realSleep } from './lib/retry.js'
import { durationText, htmlEscaped, summaryRows, summaryTitle } from './lib/summary.js'

const reporter = runnerReporter(core)

function setOutputs(token: ImsToken, expiresAt: string, plan: Plan): void {
  const outputs: Record<OutputName, string> = {
    'access-token': token.accessToken,
    'token-type': token.tokenType,
    'expires-in': String(token.expiresInSeconds),
    'expires-at': expiresAt,
    'client-id': plan.credentials.clientId,
    'org-id': plan.credentials.orgId ?? '',
    'certificate-expires-at': plan.credentials.certificateExpiresAt ? isoSeconds(plan.credentials.certificateExpiresAt) : '',
  }
  for (const name of OUTPUT_NAMES) core.setOutput(name, outputs[name])
  if (plan.exportEnv !== undefined) {
    core.exportVariable(plan.exportEnv, token.accessToken)
    core.info(`The token is exported to later steps of this job as ${plan.exportEnv}.`)
  }
}

/** The job summary table; only where the runner gives a summary file (not in local runs). */
function writeSummary(token: ImsToken, expiresAt: string, plan: Plan): void {
  const file = process.env['GITHUB_STEP_SUMMARY']
  if (!plan.summary || !file) return
  const rows = summaryRows(plan, token, expiresAt)
  const html = core.summary
    .addHeading(htmlEscaped(summaryTitle(plan.credentials.clientId, process.env['GITHUB_ACTION'])), 3)
    .addTable([
      [
        { data: 'Item', header: true },
        { data: 'Value', header: true },
      ],
      ...rows.map((row) => row.map(htmlEscaped)),
    ])
    .stringify()
  core.summary.emptyBuffer()
  // One synchronous append, as the outputs are written: core.summary.write() would check the file with
  // fs.promises.access first, two trips through libuv's thread pool at the end of the step.
  appendFileSync(file, html)
}

/** The action: inputs in, token out as masked step outputs; any failure is one line, without a stack trace. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name))
    maskSecretInputs(inputs, reporter)
    prepareEnvironment(process.env, reporter)
    const plan = planFromInputs(inputs, reporter, Date.now())
    const { clientId, imsOrigin } = plan.credentials
    core.info(`Getting an IMS access token for client ${clientId} from ${imsOrigin} with the ${FLOWS[plan.flow].name} flow.`)
    const settings = {
      timeoutMs: plan.requestTimeoutMs,
      maxAttempts: plan.maxAttempts,
      budgetMs: plan.retryBudgetMs,
      now: Date.now,
      sleep: realSleep,
      random: Math.random,
    }
    const token = await getToken(plan.flow, plan.credentials, reporter, settings)
    const expiresAt = isoSeconds(token.expiresAt)
    // Kept for the post step before anything else can fail, so a token that arrived is always invalidated.
    const state = stateToSave(plan.invalidateToken, token.accessToken, expiresAt, networkFingerprint(process.env))
    for (const [name, value] of Object.entries(state ?? {})) core.saveState(name, value)
    setOutputs(token, expiresAt, plan)
    writeSummary(token, expiresAt, plan)
    core.info(`Got a ${token.tokenType} token; it expires at ${expiresAt}, in ${durationText(token.expiresInSeconds)}.`)
  } catch (error) {
    core.setFailed(
      error instanceof ActionError
        ? error.message
        : `Unexpected error while getting the IMS token: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}
