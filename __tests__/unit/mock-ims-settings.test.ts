import { describe, expect, it } from '@jest/globals'
import type { RecordedRequest } from '../../emulator/ims-emulator.js'
import { Journal, requestRows, tokenLines } from '../../mock-ims/src/journal.js'
import { emulatorOptions, failureAnswer, MOCK_INPUTS, type MockInputName, readSettings } from '../../mock-ims/src/settings.js'

const settingsWith = (inputs: Partial<Record<MockInputName, string>>) => readSettings((name) => inputs[name] ?? '')

describe('readSettings', () => {
  it('takes the defaults of empty inputs', () => {
    expect(settingsWith({})).toEqual({
      port: 0,
      tokenLifetimeSeconds: 86399,
      metascopes: ['ent_aem_cloud_api'],
      scopes: ['openid', 'AdobeID', 'read_organizations'],
      failTokenRequests: 0,
      failWith: 'invalid_client',
      retryAfterSeconds: 1,
      throttleRate: 0,
    })
    expect(Object.keys(MOCK_INPUTS)).toHaveLength(8)
  })

  it.each([
    ['port', '70000', 'Input port must be a whole number from 0 to 65535.'],
    ['token-lifetime', '0', 'Input token-lifetime must be a whole number from 1 to 86399.'],
    ['fail-token-requests', '-1', 'Input fail-token-requests must be a whole number from 0 to 1000.'],
    ['retry-after', '1.5', 'Input retry-after must be a whole number from 0 to 30.'],
    ['throttle-rate', '2.5', 'Input throttle-rate must be a whole number from 0 to 1000.'],
    ['fail-with', 'invalid_grant', 'Input fail-with must be one of invalid_client, 429, 503.'],
    ['scopes', 'openid AdobeID', 'Input scopes must be a comma-separated list of names (letters, digits, ".", "_", ":" and "-").'],
  ] as const)('refuses %s: %s, naming the input', (name, value, message) => {
    expect(() => settingsWith({ [name]: value })).toThrow(message)
  })

  it('starts the emulator on loopback, with the rehearsed failures for token requests only', () => {
    expect(emulatorOptions(settingsWith({ 'token-lifetime': '600', port: '8181' }))).toEqual({
      host: '127.0.0.1',
      port: 8181,
      jwtTokenLifetimeMs: 600_000,
      oauthTokenLifetimeSeconds: 600,
      faultPaths: ['/ims/exchange/jwt', '/ims/token/v3'],
    })
  })

  it('throttles token requests when asked, with the Retry-After of a rehearsed 429', () => {
    expect(emulatorOptions(settingsWith({ 'throttle-rate': '2', 'retry-after': '3' }))).toMatchObject({
      throttle: { rate: 2, retryAfterSeconds: 3 },
    })
    expect(emulatorOptions(settingsWith({}))).not.toHaveProperty('throttle')
  })

  it('answers a rehearsed 429 with Retry-After, as asked', () => {
    expect(failureAnswer({ failWith: '429', retryAfterSeconds: 7 })).toMatchObject({
      status: 429,
      headers: { 'retry-after': '7' },
    })
  })
})

describe('Journal', () => {
  const request = (path: string, fields: Record<string, string>, extra: Partial<RecordedRequest> = {}): RecordedRequest => ({
    method: 'POST',
    path,
    contentType: 'application/x-www-form-urlencoded',
    userAgent: '',
    fields,
    status: 200,
    accessToken: undefined,
    authorization: undefined,
    receivedAt: 0,
    ...extra,
  })

  it('numbers the tokens it issued and reports each invalidation by number, never the token', () => {
    const journal = new Journal()
    const entries = [
      journal.entryOf(request('/ims/token/v3', { client_id: 'abc', client_secret: 's3cret' }, { accessToken: 'token-one' })),
      journal.entryOf(request('/ims/exchange/jwt/', { client_id: 'def' }, { accessToken: 'token-two' })),
      journal.entryOf(request('/ims/invalidate_token/v2', { client_id: 'def', token: 'token-two' })),
      journal.entryOf(request('/ims/invalidate_token/v2', { client_id: 'abc', token: 'token-one' }, { status: 400 })),
    ]
    expect(requestRows(entries)).toEqual([
      ['OAuth client credentials', 'abc', '200, token 1'],
      ['JWT exchange', 'def', '200, token 2'],
      ['invalidate token', 'def', '200, token 2 invalidated'],
      ['invalidate token', 'abc', '400'],
    ])
    expect(tokenLines(entries)[0]).toMatch(/^Token 1 \(OAuth client credentials, abc\) was not invalidated/)
    expect(tokenLines(entries)[1]).toBe('Token 2 (JWT exchange, def) was invalidated.')
    expect(JSON.stringify(entries)).not.toMatch(/token-one|token-two|s3cret/)
  })

  it('does not show a client id that is not one (a pasted secret, markup)', () => {
    const journal = new Journal()
    expect(journal.entryOf(request('/ims/token/v3', { client_id: '<img src=x> p8e-secret' })).clientId).toBe('')
    expect(journal.entryOf(request('/constructor', {}, { method: 'GET', status: 404 })).operation).toBe('GET (other path)')
  })
})
