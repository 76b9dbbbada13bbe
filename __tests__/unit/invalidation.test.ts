/**
 * The post step's logic, against the emulator, with the reporter and the sleep injected: what it sends,
 * what it says, and that nothing but one warning line comes of a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type Fault, ImsEmulator } from '../../emulator/ims-emulator.js'
import { makeOAuthCredential, type OAuthCredential } from '../../emulator/throwaway-credentials.js'
import type { InputName } from '../../src/lib/action-inputs.js'
import { networkFingerprint } from '../../src/lib/environment.js'
import { INVALIDATE_PATH, invalidateSavedToken, type PostOutcome, STATE, stateToSave } from '../../src/lib/invalidation.js'
import { RecordingReporter } from '../support/recording-reporter.js'

let emulator: ImsEmulator
let oauth: OAuthCredential
beforeAll(async () => {
  oauth = makeOAuthCredential(['openid'])
  emulator = await ImsEmulator.start({ oauthClients: [oauth.client] })
})
afterAll(() => emulator.close())

/** A token the emulator issued to the OAuth client, as the main step would have got it. */
async function issuedToken(): Promise<string> {
  const response = await fetch(`${emulator.origin}/ims/token/v3`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: oauth.client.clientId,
      client_secret: oauth.client.clientSecret,
      scope: 'openid',
    }),
  })
  return ((await response.json()) as { access_token: string }).access_token
}

const EXPIRES_AT = '2026-11-27T09:30:00Z'

async function post(
  state: Record<string, string>,
  given: Partial<Record<InputName, string>> = {},
  faults: Fault[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<{ outcome: PostOutcome; reporter: RecordingReporter; sent: typeof emulator.requests; waits: number[] }> {
  const inputs: Partial<Record<InputName, string>> = {
    'client-id': oauth.client.clientId,
    'client-secret': oauth.client.clientSecret,
    scopes: 'openid',
    'ims-endpoint': emulator.origin,
    ...given,
  }
  emulator.injectFaults(...faults)
  const before = emulator.requests.length
  const reporter = new RecordingReporter()
  const waits: number[] = []
  // The network the main step used: the same environment, unless a test says otherwise.
  const saved = { [STATE.network]: networkFingerprint({}), ...state }
  const outcome = await invalidateSavedToken(saved, (name) => inputs[name] ?? '', { ...env }, reporter, {
    now: Date.now,
    random: () => 0.5,
    sleep: (milliseconds) => {
      waits.push(milliseconds)
      return Promise.resolve()
    },
  })
  return { outcome, reporter, sent: emulator.requests.slice(before), waits }
}

describe('stateToSave', () => {
  it('keeps the token and its expiry when invalidation is on, nothing when off', () => {
    expect(stateToSave(true, 'tok', EXPIRES_AT, 'f1')).toEqual({ token: 'tok', 'expires-at': EXPIRES_AT, network: 'f1' })
    expect(stateToSave(false, 'tok', EXPIRES_AT, 'f1')).toBeUndefined()
  })
})

describe('invalidateSavedToken', () => {
  it('masks the token first, posts the invalidation form and says so in one info line', async () => {
    const token = await issuedToken()
    const { outcome, reporter, sent } = await post({ [STATE.token]: token, [STATE.expiresAt]: EXPIRES_AT })
    expect(outcome).toBe('invalidated')
    expect(reporter.events[0]).toEqual({ kind: 'maskSecret', text: token })
    expect(reporter.masks).toContain(oauth.client.clientSecret)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      path: INVALIDATE_PATH,
      contentType: 'application/x-www-form-urlencoded',
      fields: { token_type: 'access_token', token, client_id: oauth.client.clientId, client_secret: oauth.client.clientSecret },
      status: 200,
    })
    expect(emulator.tokenStatus(token)).toEqual({ valid: false, reason: 'invalidated' })
    expect(reporter.lines.filter((line) => !line.startsWith('debug: '))).toEqual(['info: The access token was invalidated at IMS.'])
  })

  it('reads the inputs quietly: what the main step warned about becomes a debug line', async () => {
    const token = await issuedToken()
    // auth-type oauth with a JWT-only input given: the main step warns that it is ignored.
    const { outcome, reporter } = await post(
      { [STATE.token]: token, [STATE.expiresAt]: EXPIRES_AT },
      { 'auth-type': 'oauth', 'technical-account-id': 'ABC@techacct.adobe.com' },
    )
    expect(outcome).toBe('invalidated')
    expect(reporter.lines.filter((line) => line.startsWith('warning: '))).toEqual([])
    expect(reporter.lines).toContainEqual(expect.stringMatching(/^debug: auth-type is oauth, so technical-account-id is ignored/))
  })

  it.each([
    ['invalidate-token is false', { [STATE.token]: 'some-token-value' }, { 'invalidate-token': 'false' }, 'invalidate-token is false'],
    ['there is no token in the state', {}, {}, 'No token in the step state'],
  ])('does nothing but a debug line when %s', async (_case, state, given, said) => {
    const { outcome, reporter, sent } = await post(state, given)
    expect(outcome).toBe('not-asked')
    expect(sent).toEqual([])
    expect(reporter.lines).toEqual([expect.stringContaining(`debug: ${said}`)])
  })

  it('turns a 400 invalid_token into one warning with the expiry, the error and the x-debug-id', async () => {
    const { outcome, reporter, sent } = await post({ [STATE.token]: 'a-token-IMS-never-issued', [STATE.expiresAt]: EXPIRES_AT })
    expect(outcome).toBe('failed')
    expect(sent).toHaveLength(1)
    const warnings = reporter.lines.filter((line) => line.startsWith('warning: '))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      new RegExp(
        `^warning: The access token could not be invalidated at IMS; it stays valid until ${EXPIRES_AT}\\. IMS rejected the token invalidation \\(400 invalid_token\\): token was not issued to this client \\(x-debug-id [0-9a-f-]{36}\\)\\. IMS does not know this token`,
      ),
    )
  })

  it('retries 5xx up to max-attempts, then warns once', async () => {
    const token = await issuedToken()
    const fault: Fault = {
      kind: 'answer',
      status: 503,
      headers: { 'content-type': 'application/json', 'x-debug-id': '0000000000000503' },
      body: '{"error":"server_error"}',
    }
    const { outcome, reporter, sent, waits } = await post(
      { [STATE.token]: token, [STATE.expiresAt]: EXPIRES_AT },
      { 'max-attempts': '2' },
      [fault, fault],
    )
    expect(outcome).toBe('failed')
    expect(sent.map((request) => request.status)).toEqual([503, 503])
    expect(waits).toHaveLength(1)
    const warnings = reporter.lines.filter((line) => line.startsWith('warning: '))
    expect(warnings).toEqual([expect.stringContaining('(x-debug-id 0000000000000503). IMS had a problem on its side')])
    expect(warnings[0]).toMatch(/Gave up after 2 attempts over \d+\.\d s \(max-attempts is 2\)\.$/)
    expect(emulator.tokenStatus(token)).toEqual({ valid: true })
  })

  it('keeps a short budget of its own: a Retry-After past 15 s is a warning at once, whatever retry-budget says', async () => {
    const token = await issuedToken()
    const busy: Fault = { kind: 'answer', status: 429, headers: { 'retry-after': '20' }, body: '' }
    const { outcome, reporter, sent, waits } = await post(
      { [STATE.token]: token, [STATE.expiresAt]: EXPIRES_AT },
      { 'retry-budget': '600' },
      [busy],
    )
    expect(outcome).toBe('failed')
    expect(sent).toHaveLength(1)
    expect(waits).toEqual([])
    expect(reporter.lines.filter((line) => line.startsWith('warning: '))).toEqual([
      expect.stringMatching(
        /IMS asked to wait 20\.0 s \(Retry-After\), more than the 1\d\.\d s left of the post step's retry budget \(15 s\), so the step gave up at once after 1 attempt over \d\.\d s\.$/,
      ),
    ])
    expect(emulator.tokenStatus(token)).toEqual({ valid: true })
  })

  it('warns, naming the client, when IMS refuses the client secret', async () => {
    const token = await issuedToken()
    const { reporter } = await post(
      { [STATE.token]: token, [STATE.expiresAt]: EXPIRES_AT },
      { 'client-secret': 'p8e-a-wrong-secret-of-some-length' },
    )
    expect(reporter.lines.filter((line) => line.startsWith('warning: '))).toEqual([
      expect.stringMatching(/\(401 invalid_client\).*IMS did not accept the client id and secret/),
    ])
  })

  it('warns when the inputs cannot be read again, and says until when the token stays valid', async () => {
    const { outcome, reporter, sent } = await post({ [STATE.token]: 'some-token-value' }, { 'max-attempts': 'many' })
    expect(outcome).toBe('failed')
    expect(sent).toEqual([])
    expect(reporter.lines.filter((line) => !line.startsWith('debug: '))).toEqual([
      'warning: The access token could not be invalidated at IMS; it stays valid until it expires. Input max-attempts must be a whole number from 1 to 50 (default 20).',
    ])
  })
  it('sends nothing when the network settings differ from the main step’s, and warns with the expiry', async () => {
    const token = await issuedToken()
    const { outcome, reporter, sent } = await post({ [STATE.token]: token, [STATE.expiresAt]: EXPIRES_AT, [STATE.network]: 'f'.repeat(64) })
    expect(outcome).toBe('network-changed')
    expect(sent).toEqual([])
    expect(reporter.lines.filter((line) => !line.startsWith('debug: '))).toEqual([
      expect.stringMatching(
        /^warning: The access token was not invalidated at IMS; it stays valid until 2026-11-27T09:30:00Z\. The network settings /,
      ),
    ])
  })

  it('makes the environment safe as the main step does: a broken proxy is a warning, and nothing is sent', async () => {
    const token = await issuedToken()
    const env = { HTTPS_PROXY: 'socks5://user:hunter2-proxy-secret@127.0.0.1:1080', NODE_TLS_REJECT_UNAUTHORIZED: '0' }
    const { outcome, reporter, sent } = await post({ [STATE.token]: token, [STATE.expiresAt]: EXPIRES_AT }, {}, [], env)
    expect(outcome).toBe('failed')
    expect(sent).toEqual([])
    expect(reporter.masks).toContain('hunter2-proxy-secret')
    const warnings = reporter.lines.filter((line) => line.startsWith('warning: '))
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toContain('NODE_TLS_REJECT_UNAUTHORIZED')
    expect(warnings[1]).toMatch(
      /^warning: The access token could not be invalidated at IMS; it stays valid until 2026-11-27T09:30:00Z\. The proxy in HTTPS_PROXY uses a scheme other than http or https/,
    )
  })
})

describe('invalidateSavedToken, when the invalidation endpoint echoes what it was sent', () => {
  it('blanks the token and the client secret out of the warning, in the forms an echo takes', async () => {
    const token = await issuedToken()
    const secret = oauth.client.clientSecret
    const echoes = [
      Buffer.from(secret).toString('base64'),
      encodeURIComponent(token).toUpperCase(),
      Buffer.from(token).toString('base64url'),
    ]
    const fault: Fault = {
      kind: 'answer',
      status: 400,
      headers: { 'content-type': 'application/json', 'x-debug-id': '0000000000000ec0' },
      body: JSON.stringify({ error: 'invalid_request', error_description: `refused ${echoes.join(' and ')}` }),
    }
    const { outcome, reporter } = await post({ [STATE.token]: token, [STATE.expiresAt]: EXPIRES_AT }, {}, [fault])
    expect(outcome).toBe('failed')
    expect(reporter.lines.filter((line) => line.startsWith('warning: '))).toEqual([
      `warning: The access token could not be invalidated at IMS; it stays valid until ${EXPIRES_AT}. IMS rejected the token invalidation (400 invalid_request): refused *** and *** and *** (x-debug-id 0000000000000ec0).`,
    ])
  })
})

describe('invalidateSavedToken, what it masks and names', () => {
  it('masks no empty token when the main step saved none', async () => {
    const { outcome, reporter } = await post({})
    expect(outcome).toBe('not-asked')
    expect(reporter.masks).not.toContain('')
    expect(reporter.masks).toContain(oauth.client.clientSecret)
  })

  it('names invalidate-token when its value is neither true nor false', async () => {
    const { outcome, reporter, sent } = await post({ [STATE.token]: 'some-token-value' }, { 'invalidate-token': 'maybe' })
    expect(outcome).toBe('failed')
    expect(sent).toEqual([])
    expect(reporter.lines.filter((line) => line.startsWith('warning: '))).toEqual([
      expect.stringMatching(
        /^warning: The access token could not be invalidated at IMS; it stays valid until it expires\. Input invalidate-token /,
      ),
    ])
  })
})
