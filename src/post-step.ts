import { appendFileSync } from 'node:fs'
import * as core from '@actions/core'
import { defaultOf } from './lib/action-inputs.js'
import { booleanOf } from './lib/input-checks.js'
import { invalidateSavedToken, type PostOutcome, STATE } from './lib/invalidation.js'
import { isoSeconds } from './lib/log-text.js'
import { runnerReporter } from './lib/reporter.js'
import { realSleep } from './lib/retry.js'
import { postSummaryLine } from './lib/summary.js'

/**
 * The post step, at the end of the job: invalidates the token the main step kept in the step state. It
 * never fails the job; what goes wrong is a warning (src/lib/invalidation.ts).
 */
export async function runPost(): Promise<void> {
  const runner = runnerReporter(core)
  // The last warning: when the invalidation fails, the one that says why, for the job summary too.
  let lastWarning: string | undefined
  const reporter = {
    ...runner,
    warning: (message: string) => {
      lastWarning = message
      runner.warning(message)
    },
  }
  const state = Object.fromEntries(Object.values(STATE).map((name) => [name, core.getState(name)]))
  // invalidateSavedToken masks the token before it does anything else.
  const outcome = await invalidateSavedToken(state, (name) => core.getInput(name), process.env, reporter, {
    now: Date.now,
    sleep: realSleep,
    random: Math.random,
  })
  writePostSummary(outcome, state[STATE.expiresAt] ?? '', lastWarning)
}

/**
 * Adds to the job summary what happened to the token, below the main step's table, which could only say
 * what would; nothing when there was nothing to invalidate, or with `summary: false`.
 */
function writePostSummary(outcome: PostOutcome, expiresAt: string, failure: string | undefined): void {
  const file = process.env['GITHUB_STEP_SUMMARY']
  if (outcome === 'not-asked' || !file) return
  // The main step got a token with these inputs, so summary is well formed; if not, no summary.
  let summary: boolean
  try {
    summary = booleanOf(core.getInput('summary'), 'summary', defaultOf('summary') === 'true')
  } catch {
    return
  }
  if (!summary) return
  const result =
    outcome === 'invalidated'
      ? { invalidatedAt: isoSeconds(new Date()) }
      : { failure: failure ?? `The access token could not be invalidated at IMS; it stays valid until ${expiresAt}.` }
  try {
    appendFileSync(file, postSummaryLine(result, expiresAt, process.env['GITHUB_ACTION']))
  } catch (error) {
    // The post step never fails the job, least of all over its summary line.
    core.warning(`The post step could not add its line to the job summary: ${error instanceof Error ? error.message : String(error)}`)
  }
}
