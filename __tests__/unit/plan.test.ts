import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { INPUT_NAMES, type InputName, type RawInputs, SECRET_INPUTS } from '../../src/lib/action-inputs.js'
import { InputError } from '../../src/lib/errors.js'
import { maskSecretInputs, type Plan, planFromInputs } from '../../src/lib/plan.js'
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
      'export-env': 'IMS_TOKEN',
    }
    expect(plan(given)).toMatchObject({
      maxAttempts: 1,
      retryBudgetMs: 7000,
      requestTimeoutMs: 5000,
      summary: false,
      exportEnv: 'IMS_TOKEN',
    })
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

  it('warns about inputs of the other flow when auth-type names one', () => {
    const reporter = new RecordingReporter()
    expect(plan({ ...OAUTH, 'auth-type': 'oauth', 'private-key-passphrase': 'pass-phrase' }, reporter).flow).toBe('oauth')
    expect(reporter.events).toContainEqual({
      kind: 'warning',
      text: 'auth-type is oauth, so private-key-passphrase is ignored: it belongs to the service-account (JWT) flow.',
    })
  })

  it.each([
    [
      'inputs of both flows under auto',
      { ...JWT, scopes: 'openid' },
      'auth-type auto cannot choose: inputs of both flows are given, private-key, metascopes and technical-account-id (service-account (JWT)) and scopes (OAuth Server-to-Server).',
    ],
    [
      'nothing that points to a flow',
      { 'client-id': 'cm-1' },
      'Missing inputs: no flow has what it needs. The service-account (JWT) flow needs client-id, client-secret, technical-account-id, org-id, private-key and metascopes, and lacks client-secret, technical-account-id, org-id, private-key and metascopes; the OAuth Server-to-Server flow needs client-id, client-secret and scopes, and lacks client-secret and scopes.',
    ],
    [
      'a missing input of the chosen flow',
      { ...OAUTH, scopes: '', 'auth-type': 'oauth' },
      'Missing input for the OAuth Server-to-Server flow: scopes.',
    ],
    ['an unknown auth-type', { ...OAUTH, 'auth-type': 'constructor' }, 'Input auth-type must be auto, jwt or oauth.'],
    [
      'auth-type oauth with the inputs of the JWT flow, all given',
      { ...JWT, 'auth-type': 'oauth' },
      'Missing input for the OAuth Server-to-Server flow: scopes. Pass it as an input or in the credentials JSON. The inputs given are for the service-account (JWT) flow: set auth-type to jwt, or to auto (the default).',
    ],
  ])('fails before any request for %s', (_case, given, message) => {
    expect(() => plan(given)).toThrow(InputError)
    expect(() => plan(given)).toThrow(message)
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
})
