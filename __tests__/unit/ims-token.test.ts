import { describe, expect, it } from '@jest/globals'
import { ImsRequestError } from '../../src/lib/errors.js'
import { serviceAccountHint } from '../../src/lib/flows/service-account.js'
import type { HttpAnswer } from '../../src/lib/http-form.js'
import { type TokenRequest, tokenFromAnswer } from '../../src/lib/ims-token.js'
import { RecordingReporter } from '../support/recording-reporter.js'

const request: TokenRequest = {
  url: 'https://ims-na1.adobelogin.com/ims/exchange/jwt',
  fields: { client_id: 'cm-p1', client_secret: 'p8e-very-secret', jwt_token: 'eyJ.the.jwt' },
  operation: 'the JWT exchange',
  expiresInUnit: 'milliseconds',
  hint: serviceAccountHint,
}
const SENT_AT = Date.UTC(2026, 10, 25, 12, 0, 0)

function answer(status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): HttpAnswer {
  return { status, statusText: '', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }
}

function failureOf(reply: HttpAnswer, req: TokenRequest = request): string {
  try {
    tokenFromAnswer(reply, req, new RecordingReporter(), SENT_AT)
  } catch (error) {
    expect(error).toBeInstanceOf(ImsRequestError)
    return (error as Error).message
  }
  throw new Error('expected a failure')
}

describe('tokenFromAnswer', () => {
  it('converts the JWT exchange’s milliseconds to whole seconds, rounded down', () => {
    const token = tokenFromAnswer(answer(200, { token_type: 'bearer', access_token: 'tok', expires_in: 86_399_999 }), request, new RecordingReporter(), SENT_AT)
    expect(token).toEqual({ accessToken: 'tok', tokenType: 'bearer', expiresInSeconds: 86_399, expiresAt: new Date(SENT_AT + 86_399_999) })
  })

  it('takes seconds as seconds for /ims/token/v3, also as a numeric string', () => {
    const token = tokenFromAnswer(answer(200, { access_token: 'tok', token_type: 'bearer', expires_in: '86399' }), { ...request, expiresInUnit: 'seconds' }, new RecordingReporter(), SENT_AT)
    expect(token.expiresInSeconds).toBe(86_399)
    expect(token.expiresAt).toEqual(new Date(SENT_AT + 86_399_000))
  })

  it('masks the token before anything else is reported', () => {
    const reporter = new RecordingReporter()
    tokenFromAnswer(answer(200, { access_token: 'tok-123', expires_in: 5 }), request, reporter, SENT_AT)
    expect(reporter.events[0]).toEqual({ kind: 'maskSecret', text: 'tok-123' })
  })

  it('masks a token even when the rest of the answer is unusable', () => {
    const reporter = new RecordingReporter()
    expect(() => tokenFromAnswer(answer(200, { access_token: 'tok-123' }), request, reporter, SENT_AT)).toThrow(
      'IMS answered the JWT exchange with an access token but without a usable expires_in.',
    )
    expect(reporter.masks).toEqual(['tok-123'])
  })

  it('turns an IMS error into one line with the debug id and a hint', () => {
    const message = failureOf(answer(400, { error: 'invalid_scope', error_description: 'The metascopes in the JWT are not a subset of the metascopes in the binding.' }, { 'content-type': 'application/json', 'x-debug-id': 'abc-123' }))
    expect(message).toBe(
      "IMS rejected the JWT exchange (400 invalid_scope): The metascopes in the JWT are not a subset of the metascopes in the binding. (x-debug-id abc-123). Check metascopes: they must be a subset of the integration's metascopes (for AEM: ent_aem_cloud_api or ent_cloudmgr_sdk).",
    )
  })

  it.each([
    ['an HTML page', answer(502, '<html><head><title>502 Bad Gateway</title></head></html>', { 'content-type': 'text/html' }), 'IMS answered the JWT exchange with 502 (text/html): an HTML page titled "502 Bad Gateway".'],
    ['an empty 200', answer(200, ''), 'IMS answered the JWT exchange with 200 (application/json) without an access token: an empty body.'],
    ['JSON without access_token', answer(200, { token_type: 'bearer', expires_in: 1 }), 'IMS answered the JWT exchange with 200 (application/json) without an access token: JSON with the fields token_type, expires_in.'],
    ['a text body that repeats the request', answer(503, 'echo: client_secret=p8e-very-secret&jwt_token=eyJ.the.jwt', { 'content-type': 'text/plain' }), 'IMS answered the JWT exchange with 503 (text/plain): "echo: client_secret=***&jwt_token=***".'],
    ['a redirect', answer(302, '', { location: 'https://login.example.com/somewhere' }), 'IMS answered the JWT exchange with a redirect (302) to login.example.com, which this action does not follow: the request carries secrets. Check ims-endpoint; it must name IMS itself.'],
  ])('describes %s without any secret', (_case, reply, message) => {
    expect(failureOf(reply)).toBe(message)
  })

  it('cuts a long excerpt short and keeps it on one line', () => {
    const message = failureOf(answer(500, `line one\n::error::injected\n${'x'.repeat(500)}`, { 'content-type': 'text/plain' }))
    expect(message).not.toContain('\n')
    expect(message.length).toBeLessThan(200)
  })
})
