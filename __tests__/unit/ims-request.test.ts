import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ImsEmulator, type Fault } from '../../emulator/ims-emulator.js'
import { makeOAuthCredential } from '../../emulator/throwaway-credentials.js'
import { ImsRequestError } from '../../src/lib/errors.js'
import { oauthServerToServer } from '../../src/lib/flows/oauth-server-to-server.js'
import { failureOfAnswer } from '../../src/lib/ims-answer.js'
import { type ImsRequest, requestImsToken, sendImsRequest } from '../../src/lib/ims-request.js'
import { RecordingReporter } from '../support/recording-reporter.js'

const oauth = makeOAuthCredential(['openid'])
let emulator: ImsEmulator
beforeAll(async () => {
  emulator = await ImsEmulator.start({ oauthClients: [oauth.client] })
})
afterAll(() => emulator.close())

describe('requestImsToken: retries against the emulator, with the sleep injected', () => {
  /**
   * Runs one token request after queuing `faults`; returns the outcome, the waits asked for and the log.
   * The injected sleep returns at once and moves the injected clock on by what it was asked to wait.
   */
  async function withFaults(
    faults: Fault[],
    settings: { maxAttempts?: number; timeoutMs?: number; budgetMs?: number; random?: () => number } = {},
  ) {
    emulator.injectFaults(...faults)
    let forms = 0
    let slept = 0
    const waits: number[] = []
    const reporter = new RecordingReporter()
    const before = emulator.requests.length
    const outcome = await requestImsToken(
      {
        url: `${emulator.origin}/ims/token/v3`,
        form: () => {
          forms++
          return Promise.resolve({
            grant_type: 'client_credentials',
            client_id: oauth.client.clientId,
            client_secret: oauth.client.clientSecret,
            scope: 'openid',
          })
        },
        secretFields: ['client_secret'],
        operation: 'the client-credentials request',
        expiresInUnit: 'seconds',
        hint: oauthServerToServer.hint,
      },
      reporter,
      {
        timeoutMs: settings.timeoutMs ?? 5000,
        maxAttempts: settings.maxAttempts ?? 3,
        budgetMs: settings.budgetMs ?? 120_000,
        now: () => Date.now() + slept,
        random: settings.random ?? (() => 0.5),
        sleep: (milliseconds) => {
          waits.push(milliseconds)
          slept += milliseconds
          return Promise.resolve()
        },
      },
    ).then(
      (token) => ({ token }),
      (error: unknown) => ({ error }),
    )
    return {
      outcome,
      waits,
      forms,
      lines: reporter.lines.filter((line) => line.startsWith('info')),
      debug: reporter.lines.filter((line) => line.startsWith('debug: POST')),
      requests: emulator.requests.length - before,
    }
  }

  const json503 = {
    kind: 'answer',
    status: 503,
    headers: { 'content-type': 'application/json' },
    body: '{"error":"internal_error","error_description":"Please try again later"}',
  } as const

  it.each([
    ['a 429', { kind: 'answer', status: 429, body: '' } as const],
    [
      'a 500',
      { kind: 'answer', status: 500, headers: { 'content-type': 'application/json' }, body: '{"error":"internal_error"}' } as const,
    ],
    ['a 502', { kind: 'answer', status: 502, headers: { 'content-type': 'text/html' }, body: '<title>Bad Gateway</title>' } as const],
    ['a 503', json503],
    ['a 504', { kind: 'answer', status: 504, body: '' } as const],
    ['a reset connection', { kind: 'reset' } as const],
    ['a body cut short', { kind: 'cut-short' } as const],
  ])('retries after %s and then gets the token', async (_fault, fault) => {
    const { outcome, waits, lines, requests } = await withFaults([fault])
    expect(outcome).toMatchObject({ token: { attempts: 2, tokenType: 'bearer', expiresInSeconds: 86_399 } })
    expect(requests).toBe(2)
    // Full jitter: with random() = 0.5 the first retry waits half of the 1 s bound.
    expect(waits).toEqual([500])
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^info: Attempt 1 of 3 failed: .+; retrying in 0\.5 s \(backoff with jitter\)\.$/)
  })

  it('retries an attempt that passes the timeout, giving the next twice the time', async () => {
    const { outcome, lines, debug, requests } = await withFaults([{ kind: 'hang' }, { kind: 'hang' }], { timeoutMs: 300 })
    expect(outcome).toMatchObject({ token: { attempts: 3 } })
    expect(requests).toBe(3)
    expect(lines).toEqual([
      'info: Attempt 1 of 3 failed: no whole answer within 0.3 s; retrying in 0.5 s (backoff with jitter), and allowing 0.6 s for the next attempt instead of 0.3 s.',
      'info: Attempt 2 of 3 failed: no whole answer within 0.6 s; retrying in 1.0 s (backoff with jitter), and allowing 1.2 s for the next attempt instead of 0.6 s.',
    ])
    expect(debug.map((line) => /time limit (.+)\)$/.exec(line)?.[1])).toEqual(['0.3 s', '0.6 s', '1.2 s'])
  })

  it('shrinks a grown time limit again to what the budget leaves, never below request-timeout', async () => {
    // 0.3 s runs out; the second attempt may take 0.6 s but gets a 503 at once; by the third, 0.2 s is left of the budget.
    const { outcome, debug } = await withFaults([{ kind: 'hang' }, json503], { timeoutMs: 300, budgetMs: 1500 })
    expect(outcome).toMatchObject({ token: { attempts: 3 } })
    expect(debug.map((line) => /time limit (.+)\)$/.exec(line)?.[1])).toEqual(['0.3 s', '0.6 s', '0.3 s'])
  })

  it('backs off exponentially with full jitter, and stops after max-attempts requests', async () => {
    const { outcome, waits, lines, requests } = await withFaults([json503, json503, json503, json503], {
      maxAttempts: 4,
      random: () => 0.999,
    })
    expect(requests).toBe(4)
    expect(waits).toEqual([999, 1998, 3996])
    expect(lines).toEqual([
      'info: Attempt 1 of 4 failed: IMS answered 503 internal_error (application/json); retrying in 1.0 s (backoff with jitter).',
      'info: Attempt 2 of 4 failed: IMS answered 503 internal_error (application/json); retrying in 2.0 s (backoff with jitter).',
      'info: Attempt 3 of 4 failed: IMS answered 503 internal_error (application/json); retrying in 4.0 s (backoff with jitter).',
    ])
    expect(outcome).toEqual({ error: expect.any(ImsRequestError) })
    expect((outcome as { error: Error }).error.message).toMatch(
      /^IMS rejected the client-credentials request \(503 internal_error\): Please try again later \(x-debug-id [0-9a-f-]+\)\. IMS had a problem on its side: .+ Gave up after 4 attempts over 7\.\d s \(max-attempts is 4\)\.$/,
    )
  })

  it('waits at least what Retry-After asks, in seconds and as a date, plus jitter', async () => {
    const later = new Date(Date.now() + 5000).toUTCString()
    const { waits, lines } = await withFaults(
      [
        { kind: 'answer', status: 429, headers: { 'retry-after': '2' }, body: '' },
        { kind: 'answer', status: 503, headers: { 'retry-after': later }, body: '' },
      ],
      { maxAttempts: 4 },
    )
    // random() = 0.5: a quarter of the backoff bound (1 s, then 2 s) on top of what Retry-After asks.
    expect(waits[0]).toBe(2250)
    // The date is 5 s (to the second) after the first request, 2.25 s of which the injected clock has slept.
    expect(waits[1]).toBeGreaterThan(1750 - 250 + 500)
    expect(waits[1]).toBeLessThanOrEqual(2750 + 500)
    expect(lines[0]).toBe(
      'info: Attempt 1 of 4 failed: IMS answered 429 Too Many Requests (no content type); retrying in 2.3 s (Retry-After asks for 2.0 s, plus 0.3 s of jitter).',
    )
  })

  it('waits out a Retry-After of 75 s in full within the budget, and then gets the token', async () => {
    const { outcome, waits, lines } = await withFaults([{ kind: 'answer', status: 429, headers: { 'retry-after': '75' }, body: '' }])
    expect(outcome).toMatchObject({ token: { attempts: 2 } })
    expect(waits).toEqual([75_250])
    expect(lines[0]).toMatch(/retrying in 75\.3 s \(Retry-After asks for 75\.0 s, plus 0\.3 s of jitter\)\.$/)
  })

  it('fails at once when Retry-After asks for more than the budget leaves, saying how to raise it', async () => {
    const { outcome, waits, requests } = await withFaults([{ kind: 'answer', status: 429, headers: { 'retry-after': '3600' }, body: '' }])
    expect(requests).toBe(1)
    expect(waits).toEqual([])
    expect((outcome as { error: Error }).error.message).toMatch(
      /^IMS answered the client-credentials request with 429 Too Many Requests .* IMS asked to wait 3600\.0 s \(Retry-After\), more than the 1[12]\d\.\d s left of retry-budget \(120 s\), so the step gave up at once after 1 attempt over 0\.\d s\. To wait it out, set retry-budget to 3610 or more\.$/,
    )
  })

  it('stops when the budget is spent, cutting the last wait to fit', async () => {
    const { outcome, waits, requests, lines } = await withFaults([json503, json503, json503, json503], {
      maxAttempts: 10,
      budgetMs: 2500,
      random: () => 0.999,
    })
    // A budget of 2.5 s caps the backoff bound at 1 s (the least cap): 1.0 s, 1.0 s, then the 0.5 s left.
    expect(requests).toBe(4)
    expect(waits.slice(0, 2)).toEqual([999, 999])
    expect(waits[2]).toBeLessThanOrEqual(502)
    expect(waits[2]).toBeGreaterThan(200)
    expect(lines[2]).toMatch(/; retrying in 0\.\d s \(backoff with jitter, cut to what is left of retry-budget\)\.$/)
    expect((outcome as { error: Error }).error.message).toMatch(
      / Gave up after 4 attempts over 2\.\d s: retry-budget \(2\.5 s\) is spent\.$/,
    )
  })

  it.each([
    ['a 400', { kind: 'answer', status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_scope"}' } as const],
    [
      'a 401',
      { kind: 'answer', status: 401, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_client"}' } as const,
    ],
    ['a 404', { kind: 'answer', status: 404, body: 'not here' } as const],
    [
      'an HTML 200',
      { kind: 'answer', status: 200, headers: { 'content-type': 'text/html' }, body: '<html><title>Portal</title></html>' } as const,
    ],
    ['a redirect', { kind: 'answer', status: 307, headers: { location: 'https://elsewhere.example/ims/token/v3' }, body: '' } as const],
  ])('does not retry %s: exactly one request', async (_fault, fault) => {
    const { outcome, waits, requests } = await withFaults([fault])
    expect(requests).toBe(1)
    expect(waits).toEqual([])
    expect(outcome).toEqual({ error: expect.any(ImsRequestError) })
  })

  it('says when max-attempts 1 stopped a retry', async () => {
    const { outcome, requests } = await withFaults([json503], { maxAttempts: 1 })
    expect(requests).toBe(1)
    expect((outcome as { error: Error }).error.message).toMatch(/Gave up after 1 attempt over 0\.\d s \(max-attempts is 1\)\.$/)
  })

  it('says on which attempt a permanent error came', async () => {
    const { outcome } = await withFaults([
      json503,
      {
        kind: 'answer',
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: '{"error":"invalid_scope","error_description":"nope"}',
      },
    ])
    expect((outcome as { error: Error }).error.message).toMatch(
      /^IMS rejected the client-credentials request \(400 invalid_scope\): nope \(x-debug-id [0-9a-f-]+\)\. The scopes are not those .+ This was attempt 2 of 3\.$/,
    )
  })

  it('retries a refused connection, and reports it in plain words', async () => {
    const closed = await ImsEmulator.start()
    const url = `${closed.origin}/ims/token/v3`
    await closed.close()
    const waits: number[] = []
    const error = await requestImsToken(
      {
        url,
        form: () => Promise.resolve({ grant_type: 'client_credentials' }),
        secretFields: [],
        operation: 'the client-credentials request',
        expiresInUnit: 'seconds',
        hint: oauthServerToServer.hint,
      },
      new RecordingReporter(),
      {
        timeoutMs: 2000,
        maxAttempts: 2,
        budgetMs: 120_000,
        now: Date.now,
        random: () => 0,
        sleep: (ms) => (waits.push(ms), Promise.resolve()),
      },
    ).catch((caught: unknown) => caught)
    expect(waits).toEqual([0])
    expect((error as Error).message).toMatch(
      /^Could not get an answer from IMS for the client-credentials request at 127\.0\.0\.1:\d+: the connection was refused \(ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+\)\. Gave up after 2 attempts over 0\.\d s \(max-attempts is 2\)\.$/,
    )
  })
})

describe('sendImsRequest: any kind of answer, with the same retries', () => {
  /** A request whose answer is read into something other than a token: here, just the token type. */
  function tokenTypeRequest(clientSecret: string): ImsRequest<string> {
    const request: ImsRequest<string> = {
      url: `${emulator.origin}/ims/token/v3`,
      form: () =>
        Promise.resolve({
          grant_type: 'client_credentials',
          client_id: oauth.client.clientId,
          client_secret: clientSecret,
          scope: 'openid',
        }),
      secretFields: ['client_secret'],
      operation: 'the token-type request',
      hint: () => 'A hint of this request.',
      read: (reply, attempt) => {
        const type: unknown = reply.status === 200 ? (JSON.parse(reply.body) as { token_type?: unknown }).token_type : undefined
        return typeof type === 'string' ? { result: type } : { failure: failureOfAnswer(reply, request, attempt, ' without a token type') }
      },
    }
    return request
  }
  const settings = { timeoutMs: 5000, maxAttempts: 3, budgetMs: 120_000, now: Date.now, random: () => 0, sleep: () => Promise.resolve() }

  it('retries a 503 and gives what the reader read, with the attempts it took', async () => {
    emulator.injectFaults({ kind: 'answer', status: 503, headers: { 'retry-after': '0' }, body: '' })
    const reporter = new RecordingReporter()
    expect(await sendImsRequest(tokenTypeRequest(oauth.client.clientSecret), reporter, settings)).toEqual({ result: 'bearer', attempts: 2 })
    expect(reporter.lines).toContainEqual(
      expect.stringMatching(
        /^info: Attempt 1 of 3 failed: IMS answered 503 .+; retrying in 0\.0 s \(Retry-After asks for 0\.0 s, plus 0\.0 s of jitter\)\.$/,
      ),
    )
  })

  it('fails with what IMS said, the request’s hint, and no secret', async () => {
    const wrongSecret = 'p8e-not-the-secret-at-all'
    const error = await sendImsRequest(tokenTypeRequest(wrongSecret), new RecordingReporter(), settings).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ImsRequestError)
    expect((error as Error).message).toMatch(/^IMS rejected the token-type request \(401 invalid_client\): .+ A hint of this request\.$/)
    expect((error as Error).message).not.toContain(wrongSecret)
  })
})
