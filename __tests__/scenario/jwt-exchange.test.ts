/**
 * Service-account (JWT) flow, end to end: the bundled action against the IMS emulator, which verifies the
 * JWT's signature against the integration's certificate, its claims, and the client id and secret.
 */
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { expectMaskedBeforeAnyUse, expectNoSecretAnywhere, pemBodyLines } from '../support/expectations.js'
import {
  emulatorWithIntegration,
  type ImsEmulator,
  makeServiceCredentials,
  separateInputs,
  type ServiceCredentials,
} from '../support/fixtures.js'
import { runAction } from '../../emulator/runner.js'

let emulator: ImsEmulator
let service: ServiceCredentials

beforeAll(async () => {
  ;({ emulator, service } = await emulatorWithIntegration({ metascopes: ['ent_aem_cloud_api', 'ent_cloudmgr_sdk'] }))
})
afterAll(() => emulator.close())

/** Secrets of a run: what the workflow passed, and what the action derived (the JWT and the token). */
function secretsOf(
  run: { outputs: Record<string, string> },
  jwt: string | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'client secret': service.integration.clientSecret,
    'private key': pemBodyLines(service.privateKeyPem).join('\n'),
    'signed JWT': jwt ?? '(no JWT was sent)',
    'access token': run.outputs['access-token'] ?? '(no token)',
    ...extra,
  }
}

describe('with the service credentials JSON as one secret', () => {
  it('exchanges a signed JWT for a token and sets the four outputs', async () => {
    const before = emulator.requests.length
    const started = Date.now()
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin })
    const finished = Date.now()

    expect(run.exitCode).toBe(0)
    const requests = emulator.requests.slice(before)
    expect(requests).toHaveLength(1)
    const [request] = requests
    expect(request).toMatchObject({
      method: 'POST',
      path: '/ims/exchange/jwt',
      contentType: 'application/x-www-form-urlencoded',
      status: 200,
    })
    expect(Object.keys(request?.fields ?? {}).sort()).toEqual(['client_id', 'client_secret', 'jwt_token'])
    expect(run.outputs['access-token']).toBe(request?.accessToken)
    expect(run.outputs['token-type']).toBe('bearer')
    // The exchange answers 86399999 ms: whole seconds, rounded down.
    expect(run.outputs['expires-in']).toBe('86399')
    const expiresAt = Date.parse(run.outputs['expires-at'] ?? '')
    expect(run.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000 + 86_399_000)
    expect(expiresAt).toBeLessThanOrEqual(finished + 86_400_000)
    expect(run.exportedEnv).toEqual({})
    expect(run.log).toContain(
      `Getting an IMS access token for client ${service.integration.clientId} from ${emulator.origin} with the service-account (JWT) flow.`,
    )
    expectMaskedBeforeAnyUse(run, secretsOf(run, request?.fields['jwt_token']))
    expectNoSecretAnywhere(run, secretsOf(run, request?.fields['jwt_token']), true)
  })

  it('masks each secret before it could be printed, also with step debug logging on', async () => {
    const before = emulator.requests.length
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin }, { env: { RUNNER_DEBUG: '1' } })
    expect(run.exitCode).toBe(0)
    const jwt = emulator.requests[before]?.fields['jwt_token']
    const secrets = secretsOf(run, jwt)
    expect(run.log).toContain(`##[debug]POST ${emulator.origin}/ims/exchange/jwt with the form fields client_id, client_secret, jwt_token`)
    expectMaskedBeforeAnyUse(run, secrets)
    expectNoSecretAnywhere(run, secrets, true)
    // The commands in order, with the secrets replaced by their names: proves the masks come first.
    let commands = run.stdout
    for (const [name, secret] of Object.entries({ ...secrets, 'client id': service.integration.clientId, origin: emulator.origin })) {
      for (const piece of name === 'private key' ? secret.split('\n') : [secret]) commands = commands.split(piece).join(`<${name}>`)
    }
    commands = commands
      .replace(/ghadelimiter_[0-9a-f-]+/g, '<delimiter>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>')
      .replace(/x-debug-id [0-9a-f-]+/g, 'x-debug-id <id>')
      // One mask per line of the key; their number depends on the key's length.
      .replace(/(::add-mask::<private key>\n)+/g, '::add-mask::<private key, each line>\n')
    expect(commands).toMatchSnapshot()
  })

  it('exports the token under the name export-env gives, and only then', async () => {
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin, 'export-env': 'AEM_TOKEN' })
    expect(run.exitCode).toBe(0)
    expect(run.exportedEnv).toEqual({ AEM_TOKEN: run.outputs['access-token'] })
    expect(run.log).toContain('The token is exported to later steps of this job as AEM_TOKEN.')
  })

  it('takes the IMS endpoint from integration.imsEndpoint when ims-endpoint is not given', async () => {
    const local = await makeServiceCredentials({ imsEndpoint: emulator.origin })
    emulator.addIntegration(local.integration)
    const run = await runAction({ credentials: local.json })
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain(`from ${emulator.origin} with the service-account (JWT) flow`)
  })

  it('lets an input override the matching field of credentials', async () => {
    const stale = JSON.parse(service.json) as { integration: { technicalAccount: { clientSecret: string }; metascopes: string } }
    stale.integration.technicalAccount.clientSecret = 'p8e-rotated-away-long-ago'
    stale.integration.metascopes = 'ent_not_in_the_binding'
    const run = await runAction({
      credentials: JSON.stringify(stale),
      'client-secret': service.integration.clientSecret,
      metascopes: 'ent_cloudmgr_sdk',
      'ims-endpoint': emulator.origin,
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['access-token']).toMatch(/^eyJ/)
  })
})

describe('with separate inputs', () => {
  it('gets a token with each field given on its own', async () => {
    const run = await runAction(separateInputs(service, emulator))
    expect(run.exitCode).toBe(0)
    expect(run.outputs['token-type']).toBe('bearer')
  })

  it('reads metascopes given one per line, and full metascope URLs as given', async () => {
    const run = await runAction({
      ...separateInputs(service, emulator),
      metascopes: `\n ent_aem_cloud_api \n${emulator.origin}/s/ent_cloudmgr_sdk\n`,
    })
    expect(run.exitCode).toBe(0)
  })
})

describe('private key forms', () => {
  type Key = ReturnType<typeof generateKeyPairSync>['privateKey']
  const pkcs8 = (key: Key): string => key.export({ type: 'pkcs8', format: 'pem' }).toString()
  const pkcs1 = (key: Key): string => key.export({ type: 'pkcs1', format: 'pem' }).toString()
  /** Each form: what the workflow passes, and the PEM whose lines the action must mask once it has read it. */
  const forms: [string, (key: Key) => { given: string; pem: string; passphrase?: string }][] = [
    ['PKCS#8 with LF', (key) => ({ given: pkcs8(key), pem: pkcs8(key) })],
    ['PKCS#1 with LF', (key) => ({ given: pkcs1(key), pem: pkcs1(key) })],
    ['PKCS#1 with CRLF', (key) => ({ given: pkcs1(key).replace(/\n/g, '\r\n'), pem: pkcs1(key) })],
    ['surrounded by blank space', (key) => ({ given: `\n\n   ${pkcs8(key)}   \n\n`, pem: pkcs8(key) })],
    ['on one line with literal \\n', (key) => ({ given: pkcs1(key).trim().replace(/\n/g, '\\n'), pem: pkcs1(key) })],
    ['as base64 of the whole PEM', (key) => ({ given: Buffer.from(pkcs8(key)).toString('base64'), pem: pkcs8(key) })],
    ['with its line breaks turned into spaces', (key) => ({ given: pkcs8(key).trim().replace(/\n/g, ' '), pem: pkcs8(key) })],
    [
      'encrypted PKCS#8 with a passphrase',
      (key) => {
        const encrypted = key
          .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse battery' })
          .toString()
        return { given: encrypted, pem: encrypted, passphrase: 'correct horse battery' }
      },
    ],
  ]

  it.each(forms)('accepts a key %s, and masks it as given and as read', async (_form, make) => {
    const keyed = await makeServiceCredentials({ privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey })
    emulator.addIntegration(keyed.integration)
    const { given, pem, passphrase } = make(keyed.privateKey)
    const before = emulator.requests.length
    const run = await runAction({
      ...separateInputs(keyed, emulator),
      'private-key': given,
      ...(passphrase ? { 'private-key-passphrase': passphrase } : {}),
    })
    expect(run.log).not.toContain('Error')
    expect(run.exitCode).toBe(0)
    expectMaskedBeforeAnyUse(run, {
      'private key as given': given,
      'private key as read': pemBodyLines(pem).join('\n'),
      'signed JWT': emulator.requests[before]?.fields['jwt_token'] ?? 'missing',
      ...(passphrase ? { passphrase } : {}),
    })
  })
})
