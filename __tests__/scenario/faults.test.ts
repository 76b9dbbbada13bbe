/**
 * The fault suite: the bundled action against the emulator misbehaving the way IMS and the networks in
 * front of it do. Real waits stay short: faults send Retry-After: 0 (a wait of the jitter alone, under
 * 1 s), and one test honours a real Retry-After: 1. Crowds and budgets are in many-jobs.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Fault } from '../../emulator/ims-emulator.js'
import { runAction, type ActionRun } from '../../emulator/runner.js'
import { expectMaskedBeforeAnyUse, expectNoSecretAnywhere, expectOneErrorLine } from '../support/expectations.js'
import { emulatorWithIntegration, type ImsEmulator, separateInputs, type ServiceCredentials } from '../support/fixtures.js'

let emulator: ImsEmulator
let service: ServiceCredentials

beforeAll(async () => {
  ;({ emulator, service } = await emulatorWithIntegration())
})
afterAll(() => emulator.close())

/** Queues `faults`, runs the action, and returns the run with the requests it made. */
async function runWithFaults(
  faults: Fault[],
  inputs: Record<string, string> = {},
): Promise<{ run: ActionRun; requests: typeof emulator.requests }> {
  emulator.injectFaults(...faults)
  const before = emulator.requests.length
  const run = await runAction({ ...separateInputs(service, emulator), ...inputs })
  const requests = emulator.requests.slice(before)
  expectNoSecretAnywhere(
    run,
    {
      'client secret': service.integration.clientSecret,
      ...Object.fromEntries(requests.map((request, index) => [`JWT ${index}`, request.fields['jwt_token'] ?? ''])),
    },
    true,
  )
  return { run, requests }
}

const noWait = { 'retry-after': '0' }

describe('a retryable fault, then success', () => {
  it.each([
    [
      '429 Too Many Requests',
      { kind: 'answer', status: 429, headers: noWait, body: '' },
      'IMS answered 429 Too Many Requests (no content type)',
    ],
    [
      '500 internal_error',
      {
        kind: 'answer',
        status: 500,
        headers: { ...noWait, 'content-type': 'application/json' },
        body: '{"error":"internal_error","error_description":"Please try again later"}',
      },
      'IMS answered 500 internal_error (application/json)',
    ],
    [
      '502 from a gateway',
      {
        kind: 'answer',
        status: 502,
        headers: { ...noWait, 'content-type': 'text/html' },
        body: '<html><title>502 Bad Gateway</title></html>',
      },
      'IMS answered 502 Bad Gateway (text/html)',
    ],
    ['503', { kind: 'answer', status: 503, headers: noWait, body: '' }, 'IMS answered 503 Service Unavailable (no content type)'],
    ['504', { kind: 'answer', status: 504, headers: noWait, body: '' }, 'IMS answered 504 Gateway Timeout (no content type)'],
    ['a reset connection', { kind: 'reset' }, 'the connection was reset (ECONNRESET: socket hang up)'],
    ['a body cut short', { kind: 'cut-short' }, 'the connection closed before the whole answer arrived (status 200)'],
  ] as [string, Fault, string][])('%s: one retry line, then the token', async (_fault, fault, summary) => {
    const { run, requests } = await runWithFaults([fault])
    expect(run.exitCode).toBe(0)
    expect(requests).toHaveLength(2)
    expect(requests[1]?.status).toBe(200)
    const retries = run.log.split('\n').filter((line) => line.startsWith('Attempt '))
    expect(retries).toHaveLength(1)
    expect(retries[0]).toMatch(new RegExp(`^Attempt 1 of 20 failed: ${summary.replace(/[()]/g, '\\$&')}; retrying in \\d\\.\\d s \\(`))
    expect(run.outputs['access-token']).toBe(requests[1]?.accessToken)
    expectMaskedBeforeAnyUse(run, {
      'first JWT': requests[0]?.fields['jwt_token'] ?? '',
      'second JWT': requests[1]?.fields['jwt_token'] ?? '',
    })
  })

  it('an attempt that hangs past request-timeout, then the token', async () => {
    const { run, requests } = await runWithFaults([{ kind: 'hang' }], { 'request-timeout': '1' })
    expect(run.exitCode).toBe(0)
    expect(requests).toHaveLength(2)
    expect(run.log).toMatch(
      /^Attempt 1 of 20 failed: no whole answer within 1 s; retrying in [01]\.\d s \(backoff with jitter\), and allowing 2 s for the next attempt instead of 1 s\.$/m,
    )
  })

  it('honours Retry-After: 1 as a floor, with jitter on top', async () => {
    const { run, requests } = await runWithFaults([{ kind: 'answer', status: 429, headers: { 'retry-after': '1' }, body: '' }])
    expect(run.exitCode).toBe(0)
    expect(run.log).toMatch(
      /^Attempt 1 of 20 failed: IMS answered 429 Too Many Requests \(no content type\); retrying in 1\.\d s \(Retry-After asks for 1\.0 s, plus 0\.\d s of jitter\)\.$/m,
    )
    // The second request came no sooner than the second asked for (a lower bound; no upper one is asserted).
    expect((requests[1]?.receivedAt ?? 0) - (requests[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(990)
  })
})

describe('faults that end the step', () => {
  it('stops after exactly max-attempts requests and says what the last one got', async () => {
    const busy: Fault = {
      kind: 'answer',
      status: 503,
      headers: { ...noWait, 'content-type': 'application/json' },
      body: '{"error":"internal_error","error_description":"Please try again later"}',
    }
    // A fourth request would get a token: the count and the error show there was none.
    const { run, requests } = await runWithFaults([busy, busy, busy], { 'max-attempts': '3' })
    expect(requests).toHaveLength(3)
    expect(run.log.split('\n').filter((line) => line.startsWith('Attempt '))).toHaveLength(2)
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: IMS rejected the JWT exchange \(503 internal_error\): Please try again later \(x-debug-id [0-9a-f-]+\)\. IMS had a problem on its side: try again later, and quote the x-debug-id to Adobe support if it persists\. Gave up after 3 attempts over \d+\.\d s \(max-attempts is 3\)\.$/,
    )
  })

  it('sends exactly one request for a permanent 4xx', async () => {
    const { run, requests } = await runWithFaults([], { 'client-secret': 'p8e-wrong-wrong-wrong' })
    expect(requests).toHaveLength(1)
    expect(expectOneErrorLine(run)).toMatch(/^Error: IMS rejected the JWT exchange \(400 invalid_client\): invalid client_secret parameter/)
  })

  it('turns retries off with max-attempts 1', async () => {
    const { run, requests } = await runWithFaults([{ kind: 'answer', status: 503, headers: noWait, body: '' }], { 'max-attempts': '1' })
    expect(requests).toHaveLength(1)
    expect(expectOneErrorLine(run)).toMatch(/Gave up after 1 attempt over \d\.\d s \(max-attempts is 1\)\.$/)
  })

  it('gives up on a hang after request-timeout', async () => {
    const { run, requests } = await runWithFaults([{ kind: 'hang' }], { 'request-timeout': '1', 'max-attempts': '1' })
    expect(requests).toHaveLength(1)
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: Could not get an answer from IMS for the JWT exchange at 127\.0\.0\.1:\d+: no whole answer within 1 s\. Gave up after 1 attempt over [12]\.\d s \(max-attempts is 1\)\.$/,
    )
  })

  it('refuses a redirect, without quoting where it pointed', async () => {
    const { run, requests } = await runWithFaults([
      { kind: 'answer', status: 302, headers: { location: 'https://collector.example.net/steal' }, body: '' },
    ])
    expect(requests).toHaveLength(1)
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: IMS answered the JWT exchange with a redirect \(302\) \(x-debug-id [0-9a-f-]+\), which this action does not follow: the request carries secrets\. Check ims-endpoint; it must name IMS itself\.$/,
    )
  })

  it('does not retry an HTML 200, and says what it was without quoting it', async () => {
    const { run, requests } = await runWithFaults([
      {
        kind: 'answer',
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<html><head><title>Proxy login</title></head><body>...</body></html>',
      },
    ])
    expect(requests).toHaveLength(1)
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: IMS answered the JWT exchange with 200 OK \(text\/html\) without an access token: an HTML page \(x-debug-id [0-9a-f-]+\)\.$/,
    )
  })

  it('does not retry a TLS handshake that cannot work (https to a plain-http port)', async () => {
    const { run, requests } = await runWithFaults([], { 'ims-endpoint': emulator.origin.replace('http:', 'https:') })
    expect(requests).toHaveLength(0)
    expect(run.log).not.toContain('Attempt 1 of')
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: Could not get an answer from IMS for the JWT exchange at 127\.0\.0\.1:\d+: the server did not answer TLS \(EPROTO: .*wrong version number.*\): it may speak plain http\. Check the scheme of ims-endpoint: .* Gave up: another attempt would fail the same way\.$/,
    )
  })

  it('does not retry JSON without an access token', async () => {
    const { run, requests } = await runWithFaults([
      { kind: 'answer', status: 200, headers: { 'content-type': 'application/json' }, body: '{"token_type":"bearer"}' },
    ])
    expect(requests).toHaveLength(1)
    expect(expectOneErrorLine(run)).toMatch(/without an access token: JSON without a usable access_token or error field/)
  })
})
