import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { oauthEntry, projectJson } from '../../emulator/throwaway-credentials.js'
import { INPUT_NAMES, type InputName, type RawInputs, SECRET_INPUTS } from '../../src/lib/action-inputs.js'
import { InputError } from '../../src/lib/errors.js'
import { maskSecretInputs, multiLineCredentialsWarning, type Plan, planFromInputs } from '../../src/lib/plan.js'
import { RecordingReporter } from '../support/recording-reporter.js'

const privateKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const NOW = Date.UTC(2026, 10, 26)

/** Every input as the code reads it: '' unless given. */
function inputs(given: Partial<Record<InputName, string>>): RawInputs {
  return Object.fromEntries(INPUT_NAMES.map((name) => [name, given[name] ?? ''])) as RawInputs
}

const OAUTH = { 'client-id': 'cm-oauth-1', 'client-secret': 'p8e-oauth-secret', scopes: 'openid, AdobeID' }
const JWT = {
  'client-id': 'cm-p1-e2',
  'client-secret': 'p8e-jwt-secret',
  'technical-account-id': 'ABC@techacct.adobe.com',
  'org-id': 'DEF@AdobeOrg',
  'private-key': privateKeyPem,
  metascopes: 'ent_aem_cloud_api',
}

function plan(given: Partial<Record<InputName, string>>, reporter = new RecordingReporter()): Plan {
  return planFromInputs(inputs(given), reporter, NOW)
}

describe('planFromInputs: settings', () => {
  it('uses the defaults of the input table for empty inputs', () => {
    expect(plan(OAUTH)).toMatchObject({
      maxAttempts: 20,
      retryBudgetMs: 120_000,
      requestTimeoutMs: 30_000,
      summary: true,
      invalidateToken: true,
      exportEnv: undefined,
    })
  })

  it('reads the settings that are given', () => {
    const given = {
      ...OAUTH,
      'max-attempts': '1',
      'retry-budget': '7',
      'request-timeout': '5',
      summary: 'false',
      'invalidate-token': 'false',
      'export-env': 'IMS_TOKEN',
    }
    expect(plan(given)).toMatchObject({
      maxAttempts: 1,
      retryBudgetMs: 7000,
      requestTimeoutMs: 5000,
      summary: false,
      invalidateToken: false,
      exportEnv: 'IMS_TOKEN',
    })
  })
})

describe('planFromInputs: a setting out of range', () => {
  it.each([
    ['max-attempts', '0', 'Input max-attempts must be a whole number from 1 to 50 (default 20).'],
    ['retry-budget', '3601', 'Input retry-budget must be a whole number from 0 to 3600 (default 120).'],
    ['request-timeout', '0', 'Input request-timeout must be a whole number from 1 to 300 (default 30).'],
    ['summary', 'yes', 'Input summary must be true or false (default true).'],
    ['invalidate-token', 'no', 'Input invalidate-token must be true or false (default true).'],
  ])('names %s, its range and its default', (name, value, message) => {
    expect(() => plan({ ...OAUTH, [name]: value })).toThrow(new InputError(message))
  })
})

describe('planFromInputs: the flow', () => {
  it('takes OAuth Server-to-Server for a client id and secret without a private key', () => {
    expect(plan(OAUTH)).toMatchObject({
      flow: 'oauth',
      credentials: {
        imsOrigin: 'https://ims-na1.adobelogin.com',
        clientId: 'cm-oauth-1',
        clientSecret: 'p8e-oauth-secret',
        scopes: ['openid', 'AdobeID'],
        orgId: undefined,
      },
    })
  })

  it('takes the JWT flow for a private key, with the key loaded', () => {
    const { flow, credentials } = plan(JWT)
    expect(flow).toBe('jwt')
    expect(credentials).toMatchObject({
      clientId: 'cm-p1-e2',
      orgId: 'DEF@AdobeOrg',
      technicalAccountId: 'ABC@techacct.adobe.com',
      metascopes: ['ent_aem_cloud_api'],
      privateKey: expect.objectContaining({ asymmetricKeyType: 'rsa' }),
    })
  })

  it('takes fields from credentials, an input overriding its field', () => {
    const credentials = JSON.stringify({
      client_id: 'cm-json',
      client_secrets: ['p8e-json-secret'],
      scopes: ['openid'],
      ims_org_id: 'O@AdobeOrg',
    })
    const reporter = new RecordingReporter()
    expect(plan({ credentials, 'client-id': 'cm-input', 'ims-endpoint': 'ims-na1-stg1.adobelogin.com' }, reporter)).toMatchObject({
      flow: 'oauth',
      credentials: { clientId: 'cm-input', clientSecret: 'p8e-json-secret', scopes: ['openid'], orgId: 'O@AdobeOrg' },
    })
    expect(reporter.events).toContainEqual({ kind: 'maskSecret', text: 'p8e-json-secret' })
  })

  const FORK_NOTE = 'If they come from secrets: secrets are empty in workflows triggered by pull requests from forks and by Dependabot.'
  const OAUTH_JSON = JSON.stringify({ client_id: 'cm-json', client_secrets: ['p8e-json-secret'], scopes: ['openid'] })

  it.each([
    [
      'inputs of both flows under auto',
      { ...JWT, scopes: 'openid' },
      'auth-type auto cannot choose: inputs of both flows are given, private-key, metascopes and technical-account-id (service-account (JWT)) and scopes (OAuth Server-to-Server). Set auth-type to jwt or oauth, or remove the inputs of the flow you do not use.',
    ],
    [
      'a client id that points to no flow',
      { 'client-id': 'cm-1' },
      `Missing inputs: no flow has what it needs. The service-account (JWT) flow needs client-id, client-secret, technical-account-id, org-id, private-key and metascopes, and lacks client-secret, technical-account-id, org-id, private-key and metascopes; the OAuth Server-to-Server flow needs client-id, client-secret and scopes, and lacks client-secret and scopes. Each can be an input or come from credentials. ${FORK_NOTE}`,
    ],
    [
      'no input at all (each flow lacks all it needs, so the message says what each needs once)',
      {},
      `Missing inputs: no flow has what it needs. The service-account (JWT) flow needs client-id, client-secret, technical-account-id, org-id, private-key and metascopes; the OAuth Server-to-Server flow needs client-id, client-secret and scopes. Each can be an input or come from credentials. ${FORK_NOTE}`,
    ],
    [
      'a missing input of the chosen flow',
      { ...OAUTH, scopes: '', 'auth-type': 'oauth' },
      `Missing input for the OAuth Server-to-Server flow: scopes. Pass it as an input or in the credentials JSON. ${FORK_NOTE}`,
    ],
    [
      'two missing inputs of the chosen flow',
      { 'client-id': 'cm-1', 'auth-type': 'oauth' },
      `Missing inputs for the OAuth Server-to-Server flow: client-secret and scopes. Pass each as an input or in the credentials JSON. ${FORK_NOTE}`,
    ],
    [
      'the missing inputs of the flow auto chose, with why it chose it',
      { 'client-id': 'cm-1', metascopes: 'ent_aem_cloud_api' },
      `Missing inputs for the service-account (JWT) flow (auth-type auto chose it because metascopes belongs to it): client-secret, technical-account-id, org-id and private-key. Pass each as an input or in the credentials JSON. ${FORK_NOTE}`,
    ],
    ['an unknown auth-type', { ...OAUTH, 'auth-type': 'constructor' }, 'Input auth-type must be auto, jwt or oauth.'],
    [
      'auth-type oauth with the inputs of the JWT flow, all given',
      { ...JWT, 'auth-type': 'oauth' },
      'Missing input for the OAuth Server-to-Server flow: scopes. Pass it as an input or in the credentials JSON. The inputs given are for the service-account (JWT) flow: set auth-type to jwt, or to auto (the default).',
    ],
    [
      'auth-type jwt with an OAuth credentials JSON',
      { credentials: OAUTH_JSON, 'auth-type': 'jwt' },
      'Missing inputs for the service-account (JWT) flow: technical-account-id, org-id, private-key and metascopes. Pass each as an input or in the credentials JSON. Input credentials, read as OAuth Server-to-Server credential, is for the OAuth Server-to-Server flow: set auth-type to oauth, or to auto (the default).',
    ],
  ])('fails before any request for %s, saying what to do', (_case, given, message) => {
    expect(() => plan(given)).toThrow(InputError)
    expect(() => plan(given)).toThrow(new InputError(message))
  })

  it.each([
    [
      'one input',
      { ...OAUTH, 'auth-type': 'oauth', 'private-key-passphrase': 'pass-phrase' },
      'auth-type is oauth, so private-key-passphrase is ignored: it belongs to the service-account (JWT) flow.',
    ],
    [
      'two inputs',
      { ...OAUTH, 'auth-type': 'oauth', 'private-key-passphrase': 'pass-phrase', metascopes: 'ent_aem_cloud_api' },
      'auth-type is oauth, so private-key-passphrase and metascopes are ignored: they belong to the service-account (JWT) flow.',
    ],
    [
      'a field of credentials',
      { ...JWT, credentials: OAUTH_JSON, 'auth-type': 'jwt' },
      'auth-type is jwt, so credentials field scopes is ignored: it belongs to the OAuth Server-to-Server flow.',
    ],
  ])('warns once about %s of the other flow when auth-type names one', (_case, given, warning) => {
    const reporter = new RecordingReporter()
    plan(given, reporter)
    expect(reporter.events.filter(({ kind }) => kind === 'warning')).toEqual([{ kind: 'warning', text: warning }])
  })

  it('warns about nothing when auth-type names a flow and no input of the other is given', () => {
    const reporter = new RecordingReporter()
    plan({ ...OAUTH, 'auth-type': 'oauth' }, reporter)
    expect(reporter.events).toEqual([])
  })

  it('names the input a field came from when it is refused', () => {
    expect(() => plan({ ...JWT, 'private-key': 'hello world' })).toThrow(/^Input private-key is not a PEM private key\. /)
  })

  it('takes client-id to choose among the OAuth credentials of a project JSON', () => {
    const project = projectJson(
      'O@AdobeOrg',
      ['cm-a', 'cm-b'].map((id) => oauthEntry(id, { client_id: id, client_secrets: [`p8e-${id}`], scopes: ['openid'] })),
    )
    expect(plan({ credentials: project, 'client-id': 'cm-b' }).credentials).toMatchObject({ clientId: 'cm-b', clientSecret: 'p8e-cm-b' })
  })

  it('reads auth-type in any case', () => {
    expect(plan({ ...OAUTH, 'auth-type': 'OAuth' }).flow).toBe('oauth')
  })

  it('takes the fields of credentials, masked as soon as read, and says which shape it read', () => {
    const reporter = new RecordingReporter()
    expect(plan({ credentials: OAUTH_JSON, scopes: ' , ' }, reporter)).toMatchObject({
      flow: 'oauth',
      credentials: { clientId: 'cm-json', clientSecret: 'p8e-json-secret', scopes: ['openid'] },
    })
    expect(reporter.events).toEqual([
      { kind: 'maskSecret', text: 'p8e-json-secret' },
      { kind: 'info', text: 'Read credentials as OAuth Server-to-Server credential.' },
    ])
  })

  it('warns about a credentials JSON on several lines, but not about base64 of it on several lines', () => {
    const pretty = JSON.stringify(JSON.parse(OAUTH_JSON), null, 2)
    const lines = pretty.split('\n').length
    const reporter = new RecordingReporter()
    plan({ credentials: pretty }, reporter)
    expect(reporter.events.filter(({ kind }) => kind === 'warning')).toEqual([
      { kind: 'warning', text: multiLineCredentialsWarning(lines) },
    ])
    expect(multiLineCredentialsWarning(lines)).toMatch(
      new RegExp(`^Input credentials is JSON on ${lines} lines\\. .* jq -c \\. credentials\\.json \\|`),
    )
    const wrappedBase64 = (
      Buffer.from(OAUTH_JSON)
        .toString('base64')
        .match(/.{1,20}/g) ?? []
    ).join('\n')
    const quiet = new RecordingReporter()
    plan({ credentials: wrappedBase64 }, quiet)
    expect(quiet.events.filter(({ kind }) => kind === 'warning')).toEqual([])
  })
})

describe('maskSecretInputs', () => {
  it('masks every secret input of the input table, and nothing else', () => {
    const given = Object.fromEntries(INPUT_NAMES.map((name) => [name, `value-of-${name}`]))
    const reporter = new RecordingReporter()
    maskSecretInputs(inputs(given), reporter)
    expect(reporter.events).toEqual(SECRET_INPUTS.map((name) => ({ kind: 'maskSecret', text: `value-of-${name}` })))
    expect(SECRET_INPUTS).toEqual(['client-secret', 'private-key', 'private-key-passphrase'])
  })

  it('masks the secret inputs given, and none left empty', () => {
    const reporter = new RecordingReporter()
    maskSecretInputs(inputs({ 'client-secret': 'p8e-secret' }), reporter)
    expect(reporter.events).toEqual([{ kind: 'maskSecret', text: 'p8e-secret' }])
  })
})
