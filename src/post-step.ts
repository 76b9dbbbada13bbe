import * as core from '@actions/core'
import { invalidateSavedToken, STATE } from './lib/invalidation.js'
import { runnerReporter } from './lib/reporter.js'
import { realSleep } from './lib/retry.js'

/**
 * The post step, at the end of the job: invalidates the token the main step kept in the step state. It
 * never fails the job; what goes wrong is a warning (src/lib/invalidation.ts).
 */
export async function runPost(): Promise<void> {
  const reporter = runnerReporter(core)
  const state = Object.fromEntries(Object.values(STATE).map((name) => [name, core.getState(name)]))
  // invalidateSavedToken masks the token before it does anything else.
  await invalidateSavedToken(state, (name) => core.getInput(name), process.env, reporter, {
    now: Date.now,
    sleep: realSleep,
    random: Math.random,
  })
}
