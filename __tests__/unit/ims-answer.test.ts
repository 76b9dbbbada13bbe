import { describe, expect, it } from '@jest/globals'
import { serviceAccount } from '../../src/lib/flows/service-account.js'
import type { HttpAnswer } from '../../src/lib/http-form.js'
import {
  type AccessToken,
  answerOutline,
  type AnswerReading,
  maskTokenLookalikes,
  readInvalidationAnswer,
  readTokenAnswer,
} from '../../src/lib/ims-answer.js'
import type { TokenRequest } from '../../src/lib/ims-request.js'
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
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) }
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
          { 'content-type': 'application/json', 'x-debug-id': '5f0c1a2e-7b3d-4e8f-9a6b-1c2d3e4f5a6b' },
        ),
      ),
    ).toEqual({
      message:
        "IMS rejected the JWT exchange (400 invalid_scope): The metascopes in the JWT are not a subset of the metascopes in the binding. (x-debug-id 5f0c1a2e-7b3d-4e8f-9a6b-1c2d3e4f5a6b). Check metascopes: they must be a subset of the integration's metascopes (for AEM: ent_aem_cloud_api or ent_cloudmgr_sdk).",
      retryable: false,
    })
  })

  it.each([
    [
      'an HTML 502',
      answer(502, '<html><head><title>502 Bad Gateway</title></head></html>', { 'content-type': 'text/html' }),
      'IMS answered the JWT exchange with 502 Bad Gateway (text/html): an HTML page titled "502 Bad Gateway". IMS had a problem on its side: try again later, and quote the x-debug-id to Adobe support if it persists.',
      true,
    ],
    [
      'an empty 200',
      answer(200, ''),
      'IMS answered the JWT exchange with 200 OK (application/json) without an access token: an empty body.',
      false,
    ],
    [
      'an HTML 200',
      answer(200, '<!doctype html><title>Sign in</title>', { 'content-type': 'text/html; charset=utf-8' }),
      // A 2xx answer may hold a token: not even its title is quoted.
      'IMS answered the JWT exchange with 200 OK (text/html) without an access token: an HTML page.',
      false,
    ],
    [
      'JSON without access_token',
      answer(200, { token_type: 'bearer', expires_in: 1 }),
      'IMS answered the JWT exchange with 200 OK (application/json) without an access token: JSON without a usable access_token or error field.',
      false,
    ],
    [
      'a body that repeats the request',
      answer(400, 'echo: client_secret=p8e-very-secret&jwt_token=eyJ.the.jwt', { 'content-type': 'text/plain' }),
      'IMS answered the JWT exchange with 400 Bad Request (text/plain): "echo: client_secret=***&jwt_token=***".',
      false,
    ],
    [
      'a redirect',
      answer(302, '', { location: 'https://login.example.com/somewhere' }),
      'IMS answered the JWT exchange with a redirect (302), which this action does not follow: the request carries secrets. Check ims-endpoint; it must name IMS itself.',
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

describe('readTokenAnswer: the retry line and the edges of an answer', () => {
  const SERVER_SIDE = 'IMS had a problem on its side: try again later, and quote the x-debug-id to Adobe support if it persists.'
  const DEBUG_ID = '5f0c1a2e-7b3d-4e8f-9a6b-1c2d3e4f5a6b'

  it.each([
    [
      'an error code that is not one short word',
      answer(400, { error: 'not one word!', error_description: 'x' }),
      'IMS rejected the JWT exchange (400 an unusual error code): x.',
      'IMS answered 400 an unusual error code (application/json)',
      false,
    ],
    [
      'an IMS error without a description',
      answer(400, { error: 'invalid_client' }),
      'IMS rejected the JWT exchange (400 invalid_client): no description. Check client-id and client-secret, and that the JWT audience names the same client id.',
      'IMS answered 400 invalid_client (application/json)',
      false,
    ],
    [
      'a JSON list from a 500',
      answer(500, '[1,2]'),
      `IMS answered the JWT exchange with 500 Internal Server Error (application/json): "[1,2]". ${SERVER_SIDE}`,
      'IMS answered 500 Internal Server Error (application/json)',
      true,
    ],
    [
      'broken JSON from a 500',
      answer(500, '{"error": '),
      `IMS answered the JWT exchange with 500 Internal Server Error (application/json): "{"error":". ${SERVER_SIDE}`,
      'IMS answered 500 Internal Server Error (application/json)',
      true,
    ],
    [
      'an HTML page without a content type',
      answer(502, '<html><body>down</body></html>', {}),
      `IMS answered the JWT exchange with 502 Bad Gateway (no content type): an HTML page. ${SERVER_SIDE}`,
      'IMS answered 502 Bad Gateway (no content type)',
      true,
    ],
    [
      'an HTML page with a blank title',
      answer(502, '<html><title> </title></html>', { 'content-type': 'text/html' }),
      `IMS answered the JWT exchange with 502 Bad Gateway (text/html): an HTML page. ${SERVER_SIDE}`,
      'IMS answered 502 Bad Gateway (text/html)',
      true,
    ],
    [
      'a status without a reason phrase',
      answer(599, 'odd', { 'content-type': 'text/plain' }),
      `IMS answered the JWT exchange with 599 (text/plain): "odd". ${SERVER_SIDE}`,
      'IMS answered 599 (text/plain)',
      false,
    ],
    [
      'a 200 that is not JSON',
      answer(200, 'tok=abc', { 'content-type': 'text/plain' }),
      'IMS answered the JWT exchange with 200 OK (text/plain) without an access token: a body that is not a JSON object (not quoted: it may hold a token).',
      'IMS answered 200 OK (text/plain)',
      false,
    ],
    [
      'a 200 that holds an IMS error',
      answer(200, { error: 'invalid_client', error_description: 'x' }),
      'IMS answered the JWT exchange with 200 OK (application/json) without an access token: JSON without a usable access_token or error field.',
      'IMS answered 200 invalid_client (application/json)',
      false,
    ],
    [
      'a 307 with its x-debug-id',
      answer(307, '', { 'x-debug-id': DEBUG_ID }),
      `IMS answered the JWT exchange with a redirect (307) (x-debug-id ${DEBUG_ID}), which this action does not follow: the request carries secrets. Check ims-endpoint; it must name IMS itself.`,
      'IMS answered 307 Temporary Redirect (no content type)',
      false,
    ],
    [
      'an access_token longer than any IMS token',
      answer(200, { access_token: 'x'.repeat(20_000), expires_in: 5 }),
      'IMS answered the JWT exchange with an access_token of 20000 characters, longer than any IMS token (16384): not used.',
      'IMS answered the JWT exchange with an access_token of 20000 characters, longer than any IMS token (16384): not used.',
      false,
    ],
  ])('says what %s was, and what the retry line says', (_case, reply, message, summary, retryable) => {
    expect(read(reply)).toEqual({ failure: { message, summary, retryable, retryAfterMs: undefined } })
  })

  it('reads no Retry-After of an answer it does not retry', () => {
    expect(read(answer(400, { error: 'invalid_request' }, { 'content-type': 'application/json', 'retry-after': '5' }))).toMatchObject({
      failure: { retryable: false, retryAfterMs: undefined },
    })
  })

  it('takes a token_type that is not one short word as bearer, saying so in the debug log only', () => {
    const reporter = new RecordingReporter()
    expect(read(answer(200, { access_token: 'tok', expires_in: 5000, token_type: 'two words' }), request, reporter)).toMatchObject({
      result: { tokenType: 'bearer' },
    })
    expect(reporter.events).toEqual([
      { kind: 'maskSecret', text: 'tok' },
      { kind: 'debug', text: 'IMS answered a token_type that is not one short word free of secrets: not quoted, taken as bearer.' },
    ])
  })

  it('reads expires_in as a numeric string with space around, and takes no token_type as bearer without a word', () => {
    const reporter = new RecordingReporter()
    expect(read(answer(200, { access_token: 'tok', expires_in: ' 86399000 ' }), request, reporter)).toEqual({
      result: { accessToken: 'tok', tokenType: 'bearer', expiresInSeconds: 86_399, expiresAt: new Date(SENT_AT + 86_399_000) },
    })
    expect(reporter.events).toEqual([{ kind: 'maskSecret', text: 'tok' }])
  })

  it('takes an expires_in of exactly a year and a day, and 0', () => {
    for (const expiresIn of [366 * 24 * 3600 * 1000, 0])
      expect(read(answer(200, { access_token: 'tok', expires_in: expiresIn }))).toMatchObject({
        result: { expiresInSeconds: expiresIn / 1000 },
      })
  })
})

describe('readTokenAnswer: the survivors of its mutation run', () => {
  it('reads JSON with space around it, and a token of exactly the longest length', () => {
    expect(read(answer(200, '\n  {"access_token": "tok", "expires_in": 5000}\n'))).toMatchObject({ result: { accessToken: 'tok' } })
    const longest = 'x'.repeat(16_384)
    expect(read(answer(200, { access_token: longest, expires_in: 5000 }))).toMatchObject({ result: { accessToken: longest } })
  })

  it('takes the token_type IMS gives, without a debug line', () => {
    const reporter = new RecordingReporter()
    expect(read(answer(200, { access_token: 'tok', expires_in: 5000, token_type: 'Bearer' }), request, reporter)).toMatchObject({
      result: { tokenType: 'Bearer' },
    })
    expect(reporter.events).toEqual([{ kind: 'maskSecret', text: 'tok' }])
  })

  it.each([
    ['a number', answer(500, '5'), '"5"'],
    ['blank space only', answer(500, ' \n ', { 'content-type': 'text/plain' }), 'an empty body'],
    ['an HTML page by its content type alone', answer(502, 'Service down', { 'content-type': 'text/html' }), 'an HTML page'],
    ['text with a tag inside', answer(502, 'see <html> here', { 'content-type': 'text/plain' }), '"see <html> here"'],
  ])('describes a body of %s as what it is', (_case, reply, description) => {
    expect(failureOf(reply).message).toContain(`: ${description}. IMS had a problem on its side`)
  })
})

describe('maskTokenLookalikes and answerOutline', () => {
  const JWT = `eyJhbGciOiJSUzI1NiJ9.${'A'.repeat(40)}.${'B'.repeat(40)}`

  it('masks what looks like a token in any answer, before anything of it is printed', () => {
    const reporter = new RecordingReporter()
    maskTokenLookalikes(answer(500, `upstream said ${JWT}`, { 'content-type': 'text/plain' }), reporter)
    expect(reporter.events).toEqual([{ kind: 'maskSecret', text: JWT }])
  })

  it('outlines an answer for the debug log: status, media type and x-debug-id, nothing of the body', () => {
    const reply = answer(502, `<html>${JWT}</html>`, { 'content-type': 'text/html', 'x-debug-id': '5f0c1a2e7b3d4e8f' })
    expect(answerOutline(reply, ['p8e-very-secret'])).toBe('502 (text/html) (x-debug-id 5f0c1a2e7b3d4e8f)')
    expect(answerOutline(answer(200, '', {}), [])).toBe('200 (no content type)')
  })
})

describe('readInvalidationAnswer', () => {
  const SENT_INVALIDATION = { token_type: 'access_token', token: 'eyJ.secret-token', client_id: 'cm-p1', client_secret: 'p8e-very-secret' }
  const invalidation = {
    url: 'https://ims-na1.adobelogin.com/ims/invalidate_token/v2',
    operation: 'the token invalidation',
    secretFields: ['token', 'client_secret'],
    hint: () => undefined,
  }
  const readIt = (reply: HttpAnswer): AnswerReading<true> =>
    readInvalidationAnswer(reply, invalidation, { sent: SENT_INVALIDATION, sentAt: SENT_AT, answeredAt: SENT_AT + 100 })

  it('takes 200 as done, whatever the body', () => {
    expect(readIt(answer(200, '', {}))).toEqual({ result: true })
  })

  it('reads an IMS error with its x-debug-id, never quoting the token or the secret', () => {
    const reading = readIt(
      answer(
        400,
        { error: 'invalid_token', error_description: 'token eyJ.secret-token of p8e-very-secret is unknown' },
        {
          'content-type': 'application/json',
          'x-debug-id': '0a1b2c3d4e5f6a7b',
        },
      ),
    )
    expect(reading).toEqual({
      failure: {
        message: 'IMS rejected the token invalidation (400 invalid_token): token *** of *** is unknown (x-debug-id 0a1b2c3d4e5f6a7b).',
        summary: 'IMS answered 400 invalid_token (application/json)',
        retryable: false,
        retryAfterMs: undefined,
      },
    })
  })

  it('retries a 503, takes any 2xx as done (IMS answers 200), and does not follow a redirect', () => {
    expect(readIt(answer(503, 'busy', { 'content-type': 'text/plain' }))).toMatchObject({ failure: { retryable: true } })
    expect(readIt(answer(204, '', {}))).toEqual({ result: true })
    expect(readIt(answer(302, '', { location: 'https://elsewhere.example/' }))).toMatchObject({
      failure: { message: expect.stringMatching(/^IMS answered the token invalidation with a redirect \(302\)/), retryable: false },
    })
  })
})

describe('readTokenAnswer takes a token only from a 2xx answer with a non-empty access_token', () => {
  const tokenBody = { access_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', token_type: 'bearer', expires_in: 86_399_999 }
  it.each([
    [400, 'IMS answered the JWT exchange with 400 Bad Request (application/json): JSON without a usable access_token or error field.'],
    [
      500,
      'IMS answered the JWT exchange with 500 Internal Server Error (application/json): JSON without a usable access_token or error field. IMS had a problem on its side: try again later, and quote the x-debug-id to Adobe support if it persists.',
    ],
    [
      300,
      'IMS answered the JWT exchange with a redirect (300), which this action does not follow: the request carries secrets. Check ims-endpoint; it must name IMS itself.',
    ],
    [199, 'IMS answered the JWT exchange with 199 (application/json): JSON without a usable access_token or error field.'],
  ])('refuses a token in a %i answer', (status, message) => {
    const reporter = new RecordingReporter()
    const reading = read(answer(status, tokenBody), request, reporter)
    expect(reading).toMatchObject({ failure: { message } })
    // Not taken, so not masked as the token (the request loop masks every answer's lookalikes first).
    expect(reporter.events).toEqual([])
  })

  it('refuses an empty access_token in a 200 answer', () => {
    expect(failureOf(answer(200, { ...tokenBody, access_token: '' }))).toEqual({
      message:
        'IMS answered the JWT exchange with 200 OK (application/json) without an access token: JSON without a usable access_token or error field.',
      retryable: false,
    })
  })

  it('takes the token of a 201 and a 299 answer', () => {
    for (const status of [201, 299])
      expect(read(answer(status, tokenBody))).toMatchObject({ result: { accessToken: tokenBody.access_token } })
  })
})
