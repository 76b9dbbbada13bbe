import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ImsEmulator, type Fault } from '../../emulator/ims-emulator.js'
import { makeOAuthCredential } from '../../emulator/throwaway-credentials.js'
import { ImsRequestError } from '../../src/lib/errors.js'
import { oauthServerToServer } from '../../src/lib/flows/oauth-server-to-server.js'
import { serviceAccount } from '../../src/lib/flows/service-account.js'
import type { HttpAnswer } from '../../src/lib/http-form.js'
import { type AccessToken, type AnswerReading, failureOfAnswer, readTokenAnswer } from '../../src/lib/ims-answer.js'
import { type ImsRequest, requestImsToken, sendImsRequest, type TokenRequest } from '../../src/lib/ims-request.js'
import { RecordingReporter } from '../support/recording-reporter.js'

const SENT = { client_id: 'cm-p1', client_secret: 'p8e-very-secret', jwt_token: 'eyJ.the.jwt' }
const request: TokenRequest = {
  url: 'https://ims-na1.adobelogin.com/ims/exchange/jwt',
  form: () => Promise.resolve(SENT),
  secretFields: ['client_secret', 'jwt_token'],
  operation: 'the JWT exchange',
  expiresInUnit: 'milliseconds',
  hint: serviceAccount.hint,
}
const SENT_AT = Date.UTC(2026, 10, 25, 12, 0, 0)

function answer(status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): HttpAnswer {
  return { status, statusText: '', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }
}

function read(reply: HttpAnswer, req: TokenRequest = request, reporter = new RecordingReporter()): AnswerReading<AccessToken> {
  return readTokenAnswer(reply, req, { sent: SENT, sentAt: SENT_AT, answeredAt: SENT_AT + 100 }, reporter)
}

function failureOf(reply: HttpAnswer): { message: string; retryable: boolean } {
  const reading = read(reply)
  if (!('failure' in reading)) throw new Error('expected a failure')
  return { message: reading.failure.message, retryable: reading.failure.retryable }
}

describe('readTokenAnswer', () => {
  it('converts the JWT exchange’s milliseconds to whole seconds, rounded down', () => {
    expect(read(answer(200, { token_type: 'bearer', access_token: 'tok', expires_in: 86_399_999 }))).toEqual({
      result: { accessToken: 'tok', tokenType: 'bearer', expiresInSeconds: 86_399, expiresAt: new Date(SENT_AT + 86_399_999) },
    })
  })

  it('takes seconds as seconds for /ims/token/v3, also as a numeric string', () => {
    const reading = read(answer(200, { access_token: 'tok', token_type: 'bearer', expires_in: '86399' }), {
      ...request,
      expiresInUnit: 'seconds',
    })
    expect(reading).toEqual({
      result: { accessToken: 'tok', tokenType: 'bearer', expiresInSeconds: 86_399, expiresAt: new Date(SENT_AT + 86_399_000) },
    })
  })

  it('masks the token before anything else is reported, even when the rest is unusable', () => {
    const reporter = new RecordingReporter()
    const reading = read(answer(200, { access_token: 'tok-123' }), request, reporter)
    expect(reporter.events).toEqual([{ kind: 'maskSecret', text: 'tok-123' }])
    expect(reading).toMatchObject({
      failure: { message: 'IMS answered the JWT exchange with an access token but without a usable expires_in.', retryable: false },
    })
  })

  it('turns an IMS error into one line with the debug id and a hint', () => {
    expect(
      failureOf(
        answer(
          400,
          { error: 'invalid_scope', error_description: 'The metascopes in the JWT are not a subset of the metascopes in the binding.' },
          { 'content-type': 'application/json', 'x-debug-id': 'abc-123' },
        ),
      ),
    ).toEqual({
      message:
        "IMS rejected the JWT exchange (400 invalid_scope): The metascopes in the JWT are not a subset of the metascopes in the binding. (x-debug-id abc-123). Check metascopes: they must be a subset of the integration's metascopes (for AEM: ent_aem_cloud_api or ent_cloudmgr_sdk).",
      retryable: false,
    })
  })

  it.each([
    [
      'an HTML 502',
      answer(502, '<html><head><title>502 Bad Gateway</title></head></html>', { 'content-type': 'text/html' }),
      'IMS answered the JWT exchange with 502 (text/html): an HTML page titled "502 Bad Gateway". IMS had a problem on its side: try again later, and quote the x-debug-id to Adobe support if it persists.',
      true,
    ],
    [
      'an empty 200',
      answer(200, ''),
      'IMS answered the JWT exchange with 200 (application/json) without an access token: an empty body.',
      false,
    ],
    [
      'an HTML 200',
      answer(200, '<!doctype html><title>Sign in</title>', { 'content-type': 'text/html; charset=utf-8' }),
      'IMS answered the JWT exchange with 200 (text/html) without an access token: an HTML page titled "Sign in".',
      false,
    ],
    [
      'JSON without access_token',
      answer(200, { token_type: 'bearer', expires_in: 1 }),
      'IMS answered the JWT exchange with 200 (application/json) without an access token: JSON with the fields token_type, expires_in.',
      false,
    ],
    [
      'a body that repeats the request',
      answer(400, 'echo: client_secret=p8e-very-secret&jwt_token=eyJ.the.jwt', { 'content-type': 'text/plain' }),
      'IMS answered the JWT exchange with 400 (text/plain): "echo: client_secret=***&jwt_token=***".',
      false,
    ],
    [
      'a redirect',
      answer(302, '', { location: 'https://login.example.com/somewhere' }),
      'IMS answered the JWT exchange with a redirect (302) to login.example.com, which this action does not follow: the request carries secrets. Check ims-endpoint; it must name IMS itself.',
      false,
    ],
    [
      'a 429',
      answer(429, { error: 'too_many_requests', error_description: 'slow down' }),
      'IMS rejected the JWT exchange (429 too_many_requests): slow down.',
      true,
    ],
    [
      'a 503 IMS error',
      answer(503, { error: 'internal_error', error_description: 'Please try again later' }),
      'IMS rejected the JWT exchange (503 internal_error): Please try again later. IMS had a problem on its side: try again later, and quote the x-debug-id to Adobe support if it persists.',
      true,
    ],
    [
      'a 401',
      answer(401, { error: 'invalid_client', error_description: 'bad pair' }),
      'IMS rejected the JWT exchange (401 invalid_client): bad pair. Check that client-id and client-secret belong together and that the integration may exchange JWTs.',
      false,
    ],
  ])('describes %s without any secret, and says whether to retry', (_case, reply, message, retryable) => {
    expect(failureOf(reply)).toEqual({ message, retryable })
  })

  it('blanks the values it sent out of IMS’s own error description', () => {
    expect(failureOf(answer(400, { error: 'invalid_client', error_description: 'no client p8e-very-secret for cm-p1 here' })).message).toBe(
      'IMS rejected the JWT exchange (400 invalid_client): no client *** for cm-p1 here. Check client-id and client-secret, and that the JWT audience names the same client id.',
    )
  })

  it.each([1e20, -1, 'soon', null, 366 * 24 * 3600 * 1000 + 1])('refuses expires_in %p as unusable', (expiresIn) => {
    expect(read(answer(200, { access_token: 'tok', expires_in: expiresIn }))).toMatchObject({ failure: { retryable: false } })
  })

  it('reads Retry-After of a retryable answer, in seconds or as an HTTP date', () => {
    const inSeconds = read(answer(429, '', { 'retry-after': '7' }))
    const asDate = read(answer(503, '', { 'retry-after': new Date(SENT_AT + 100 + 12_000).toUTCString() }))
    expect('failure' in inSeconds && inSeconds.failure.retryAfterMs).toBe(7000)
    // An HTTP date has whole seconds; `now` is 100 ms after SENT_AT.
    expect('failure' in asDate && asDate.failure.retryAfterMs).toBe(11_900)
  })

  it('cuts a long excerpt short and keeps it on one line', () => {
    const { message } = failureOf(answer(400, `line one\n::error::injected\n${'x'.repeat(500)}`, { 'content-type': 'text/plain' }))
    expect(message).not.toContain('\n')
    expect(message.length).toBeLessThan(200)
  })
})

describe('requestImsToken: retries against the emulator, with the sleep injected', () => {
  const oauth = makeOAuthCredential(['openid'])
  let emulator: ImsEmulator
  beforeAll(async () => {
    emulator = await ImsEmulator.start({ oauthClients: [oauth.client] })
  })
  afterAll(() => emulator.close())

  /** Runs one token request after queuing `faults`; returns the outcome, the waits asked for and the log. */
  async function withFaults(faults: Fault[], settings: { maxAttempts?: number; timeoutMs?: number; random?: () => number } = {}) {
    emulator.injectFaults(...faults)
    let forms = 0
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
        now: Date.now,
        random: settings.random ?? (() => 0.5),
        sleep: (milliseconds) => {
          waits.push(milliseconds)
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
    expect(lines[0]).toMatch(/^info: Attempt 1 of 3 failed: .+; retrying in 0\.5 s\.$/)
  })

  it('retries an attempt that passes the timeout', async () => {
    const { outcome, lines, requests } = await withFaults([{ kind: 'hang' }], { timeoutMs: 300 })
    expect(outcome).toMatchObject({ token: { attempts: 2 } })
    expect(requests).toBe(2)
    expect(lines).toEqual(['info: Attempt 1 of 3 failed: no whole answer within 0.3 s; retrying in 0.5 s.'])
  })

  it('backs off exponentially with full jitter, and stops after max-attempts requests', async () => {
    const { outcome, waits, lines, requests } = await withFaults([json503, json503, json503, json503], {
      maxAttempts: 4,
      random: () => 0.999,
    })
    expect(requests).toBe(4)
    expect(waits).toEqual([999, 1998, 3996])
    expect(lines).toEqual([
      'info: Attempt 1 of 4 failed: IMS answered 503 internal_error (application/json); retrying in 1.0 s.',
      'info: Attempt 2 of 4 failed: IMS answered 503 internal_error (application/json); retrying in 2.0 s.',
      'info: Attempt 3 of 4 failed: IMS answered 503 internal_error (application/json); retrying in 4.0 s.',
    ])
    expect(outcome).toEqual({ error: expect.any(ImsRequestError) })
    expect((outcome as { error: Error }).error.message).toMatch(
      /^IMS rejected the client-credentials request \(503 internal_error\): Please try again later \(x-debug-id [0-9a-f-]+\)\. IMS had a problem on its side: .+ Gave up after 4 attempts\.$/,
    )
  })

  it('honours Retry-After, in seconds and as a date, and caps it', async () => {
    const later = new Date(Date.now() + 5000).toUTCString()
    const { waits, lines } = await withFaults(
      [
        { kind: 'answer', status: 429, headers: { 'retry-after': '2' }, body: '' },
        { kind: 'answer', status: 503, headers: { 'retry-after': later }, body: '' },
        { kind: 'answer', status: 503, headers: { 'retry-after': '3600' }, body: '' },
      ],
      { maxAttempts: 4 },
    )
    expect(waits[0]).toBe(2000)
    expect(waits[1]).toBeGreaterThan(2000)
    expect(waits[1]).toBeLessThanOrEqual(5000)
    expect(waits[2]).toBe(30_000)
    expect(lines[0]).toBe(
      'info: Attempt 1 of 4 failed: IMS answered 429 Too Many Requests (no content type); retrying in 2.0 s (as Retry-After asks).',
    )
    expect(lines[2]).toBe(
      'info: Attempt 3 of 4 failed: IMS answered 503 Service Unavailable (no content type); retrying in 30.0 s (Retry-After asks for 3600.0 s; waiting at most 30.0 s).',
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
    expect((outcome as { error: Error }).error.message).toMatch(/Gave up after 1 attempt \(max-attempts is 1\)\.$/)
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
      { timeoutMs: 2000, maxAttempts: 2, now: Date.now, random: () => 0, sleep: (ms) => (waits.push(ms), Promise.resolve()) },
    ).catch((caught: unknown) => caught)
    expect(waits).toEqual([0])
    expect((error as Error).message).toMatch(
      /^Could not get an answer from IMS for the client-credentials request at 127\.0\.0\.1:\d+: the connection was refused \(ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+\)\. Gave up after 2 attempts\.$/,
    )
  })
})

describe('sendImsRequest: any kind of answer, with the same retries', () => {
  const oauth = makeOAuthCredential(['openid'])
  let emulator: ImsEmulator
  beforeAll(async () => {
    emulator = await ImsEmulator.start({ oauthClients: [oauth.client] })
  })
  afterAll(() => emulator.close())

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
  const settings = { timeoutMs: 5000, maxAttempts: 3, now: Date.now, random: () => 0, sleep: () => Promise.resolve() }

  it('retries a 503 and gives what the reader read, with the attempts it took', async () => {
    emulator.injectFaults({ kind: 'answer', status: 503, headers: { 'retry-after': '0' }, body: '' })
    const reporter = new RecordingReporter()
    expect(await sendImsRequest(tokenTypeRequest(oauth.client.clientSecret), reporter, settings)).toEqual({ result: 'bearer', attempts: 2 })
    expect(reporter.lines).toContainEqual(expect.stringMatching(/^info: Attempt 1 of 3 failed: IMS answered 503 .+; retrying in 0\.0 s/))
  })

  it('fails with what IMS said, the request’s hint, and no secret', async () => {
    const wrongSecret = 'p8e-not-the-secret-at-all'
    const error = await sendImsRequest(tokenTypeRequest(wrongSecret), new RecordingReporter(), settings).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ImsRequestError)
    expect((error as Error).message).toMatch(/^IMS rejected the token-type request \(401 invalid_client\): .+ A hint of this request\.$/)
    expect((error as Error).message).not.toContain(wrongSecret)
  })
})
