/**
 * Many jobs at once against a throttling IMS, and the retry budget: the bundle run as the runner runs it,
 * against the emulator's throttle (emulator/throttle.ts), with real waits kept to seconds by small rates,
 * short Retry-After values and a small `retry-budget` where a test needs the budget to end.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction, type ActionRun } from '../../emulator/runner.js'
import { expectNoSecretAnywhere, expectOneErrorLine } from '../support/expectations.js'
import { emulatorWithIntegration, type ImsEmulator, separateInputs, type ServiceCredentials } from '../support/fixtures.js'

let emulator: ImsEmulator
let service: ServiceCredentials

beforeAll(async () => {
  ;({ emulator, service } = await emulatorWithIntegration())
})
afterEach(() => emulator.throttleWith(undefined))
afterAll(() => emulator.close())

/** Runs `jobs` copies of the main step at once; returns their runs and the requests they made. */
async function runJobs(
  jobs: number,
  inputs: Record<string, string> = {},
): Promise<{ runs: ActionRun[]; requests: typeof emulator.requests }> {
  const before = emulator.requests.length
  const runs = await Promise.all(Array.from({ length: jobs }, () => runAction({ ...separateInputs(service, emulator), ...inputs })))
  const requests = emulator.requests.slice(before)
  for (const run of runs) {
    expectNoSecretAnywhere(
      run,
      {
        'client secret': service.integration.clientSecret,
        ...Object.fromEntries(requests.map((request, index) => [`JWT ${index}`, request.fields['jwt_token'] ?? ''])),
      },
      true,
    )
  }
  return { runs, requests }
}

const retryLines = (run: ActionRun): string[] => run.log.split('\n').filter((line) => line.startsWith('Attempt '))

describe('a crowd of jobs against a throttling IMS', () => {
  it('every job gets its token with the defaults, waiting at least Retry-After, spread by jitter', async () => {
    // Two tokens a second for ten jobs started together: most are refused at first, with Retry-After: 1.
    emulator.throttleWith({ rate: 2, burst: 1, retryAfterSeconds: 1 })
    const { runs, requests } = await runJobs(10)
    expect(runs.map((run) => run.exitCode)).toEqual(Array(10).fill(0))
    expect(new Set(runs.map((run) => run.outputs['access-token'])).size).toBe(10)
    const refused = requests.filter((request) => request.status === 429)
    expect(refused.length).toBeGreaterThan(0)
    expect(requests.filter((request) => request.status === 200)).toHaveLength(10)
    // Each job's requests are its failed attempts and the last one; none reaches max-attempts.
    const perJob = runs.map((run) => retryLines(run).length + 1)
    expect(perJob.reduce((sum, count) => sum + count, 0)).toBe(requests.length)
    expect(Math.max(...perJob)).toBeLessThan(10)
    const waits = runs.flatMap(retryLines).map((line) => {
      const retry =
        /^Attempt \d+ of 20 failed: IMS answered 429 too_many_requests \(application\/json\); retrying in (\d+\.\d) s \(Retry-After asks for 1\.0 s, plus (\d+\.\d) s of jitter\)\.$/.exec(
          line,
        )
      expect(retry).not.toBeNull()
      return Number(retry?.[1])
    })
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(1)
    // Refused together, they do not come back together: the waits differ (all alike is 1 in 10^5 or less).
    expect(new Set(waits).size).toBeGreaterThan(1)
  }, 90_000)
})

describe('the retry budget', () => {
  it('fails at once when Retry-After asks for longer than the budget leaves, saying how to raise it', async () => {
    emulator.injectFaults({ kind: 'answer', status: 429, headers: { 'retry-after': '30' }, body: '' })
    const { runs, requests } = await runJobs(1, { 'retry-budget': '5' })
    expect(requests).toHaveLength(1)
    expect(retryLines(runs[0] as ActionRun)).toEqual([])
    expect(expectOneErrorLine(runs[0] as ActionRun)).toMatch(
      /^Error: IMS answered the JWT exchange with 429 Too Many Requests \(no content type\): an empty body \(x-debug-id [0-9a-f-]{36}\)\. .*IMS asked to wait 30\.0 s \(Retry-After\), more than the [0-5]\.\d s left of retry-budget \(5 s\), so the step gave up at once after 1 attempt over \d\.\d s\. To wait it out, set retry-budget to 40 or more\.$/,
    )
  })

  it('ends during a 503 outage, saying how many attempts over how long', async () => {
    emulator.throttleWith({ outage: { forMs: 60_000 } })
    // max-attempts far above what 3 s of backoffs under 1 s hold, so that the budget ends the retries.
    const { runs, requests } = await runJobs(1, { 'retry-budget': '3', 'max-attempts': '50' })
    const run = runs[0] as ActionRun
    expect(requests.length).toBeGreaterThanOrEqual(3)
    expect(requests.every((request) => request.status === 503)).toBe(true)
    expect(retryLines(run)).toHaveLength(requests.length - 1)
    expect(retryLines(run).at(-1)).toMatch(/retrying in \d\.\d s \(backoff with jitter(, cut to what is left of retry-budget)?\)\.$/)
    expect(expectOneErrorLine(run)).toBe(
      `Error: IMS rejected the JWT exchange (503 service_unavailable): IMS is temporarily unavailable (x-debug-id ${/x-debug-id ([0-9a-f-]{36})/.exec(run.log)?.[1]}). IMS had a problem on its side: try again later, and quote the x-debug-id to Adobe support if it persists. Gave up after ${requests.length} attempts over ${/over (\d+\.\d s)/.exec(run.log)?.[1]}: retry-budget (3 s) is spent.`,
    )
    expect(Number(/over (\d+\.\d) s/.exec(run.log)?.[1])).toBeGreaterThanOrEqual(3)
  })

  it('gives the attempt after a timeout more time, and gets the token from a slow IMS', async () => {
    // Every token answer takes 1.1 s: the first attempt (1 s) runs out, the second (2 s) does not.
    emulator.throttleWith({ latencyMs: 1100 })
    const { runs, requests } = await runJobs(1, { 'request-timeout': '1' })
    const run = runs[0] as ActionRun
    expect(run.exitCode).toBe(0)
    expect(requests).toHaveLength(2)
    expect(retryLines(run)).toEqual([
      expect.stringMatching(
        /^Attempt 1 of 20 failed: no whole answer within 1 s; retrying in [01]\.\d s \(backoff with jitter\), and allowing 2 s for the next attempt instead of 1 s\.$/,
      ),
    ])
    expect(run.outputs['access-token']).toBe(requests[1]?.accessToken)
  })
})
