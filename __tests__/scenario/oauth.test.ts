/**
 * OAuth Server-to-Server, end to end: the bundled action against the emulator's /ims/token/v3, which
 * checks the grant type, the client id and secret, and that the scopes are the credential's.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { expectMaskedBeforeAnyUse, expectNoSecretAnywhere, expectOneErrorLine } from '../support/expectations.js'
import { ImsEmulator, makeServiceCredentials, type ServiceCredentials } from '../support/fixtures.js'
import { runAction } from '../../emulator/runner.js'
import { makeOAuthCredential, type OAuthCredential, oauthEntry, projectJson } from '../../emulator/throwaway-credentials.js'

let emulator: ImsEmulator
let oauth: OAuthCredential
let service: ServiceCredentials

beforeAll(async () => {
  oauth = makeOAuthCredential(['openid', 'AdobeID', 'read_organizations', 'additional_info.projectedProductContext'])
  service = await makeServiceCredentials()
  emulator = await ImsEmulator.start({ oauthClients: [oauth.client], integrations: [service.integration] })
})
afterAll(() => emulator.close())

const secrets = (token: string | undefined): Record<string, string> => ({
  'client secret': oauth.client.clientSecret,
  'access token': token ?? '(none)',
})

describe('with separate inputs', () => {
  it('posts the client-credentials form and sets the outputs, expires-in already in seconds', async () => {
    const before = emulator.requests.length
    const started = Date.now()
    const run = await runAction({
      'client-id': oauth.client.clientId,
      'client-secret': oauth.client.clientSecret,
      scopes: ' openid, AdobeID\nread_organizations \n',
      'ims-endpoint': emulator.origin,
    })
    expect(run.exitCode).toBe(0)
    const requests = emulator.requests.slice(before)
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: '/ims/token/v3',
      contentType: 'application/x-www-form-urlencoded',
      status: 200,
      fields: {
        grant_type: 'client_credentials',
        client_id: oauth.client.clientId,
        client_secret: oauth.client.clientSecret,
        scope: 'openid,AdobeID,read_organizations',
      },
    })
    expect(run.outputs).toEqual({
      'access-token': requests[0]?.accessToken,
      'token-type': 'bearer',
      'expires-in': '86399',
      'expires-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      'client-id': oauth.client.clientId,
      'org-id': '',
      // An OAuth Server-to-Server credential carries no certificate.
      'certificate-expires-at': '',
    })
    expect(Date.parse(run.outputs['expires-at'] ?? '')).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000 + 86_399_000)
    expect(run.log).toContain(
      `Getting an IMS access token for client ${oauth.client.clientId} from ${emulator.origin} with the OAuth Server-to-Server flow.`,
    )
    expectMaskedBeforeAnyUse(run, secrets(run.outputs['access-token']))
    expectNoSecretAnywhere(run, secrets(run.outputs['access-token']), true)
  })
})

describe('credentials JSON shapes', () => {
  it.each([
    ['the Developer Console project JSON', () => oauth.projectJson],
    ['the oauth_server_to_server object alone', () => JSON.stringify(oauth.credential)],
    ["the aio CLI's flat context", () => oauth.aioJson],
  ])('gets a token from %s as one secret, with no other input', async (_shape, json) => {
    const before = emulator.requests.length
    const run = await runAction({ credentials: json(), 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    expect(emulator.requests[before]?.fields['scope']).toBe('openid,AdobeID,read_organizations,additional_info.projectedProductContext')
    expect(run.log).toContain('with the OAuth Server-to-Server flow.')
    expectMaskedBeforeAnyUse(run, secrets(run.outputs['access-token']))
  })

  it('lets scopes narrow the credential’s scopes', async () => {
    const before = emulator.requests.length
    const run = await runAction({ credentials: oauth.projectJson, scopes: 'openid', 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    expect(emulator.requests[before]?.fields['scope']).toBe('openid')
  })

  it('masks every client secret of a credential that holds two during a rotation', async () => {
    const rotated = { ...oauth.credential, client_secrets: [oauth.client.clientSecret, 'p8e-the-next-secret-0123456789'] }
    const run = await runAction({ credentials: JSON.stringify(rotated), 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    expectMaskedBeforeAnyUse(run, { 'first secret': oauth.client.clientSecret, 'second secret': 'p8e-the-next-secret-0123456789' })
  })

  describe('a project JSON with several OAuth credentials', () => {
    const other = makeOAuthCredential()
    const several = (): string =>
      projectJson(oauth.orgId, [
        oauthEntry('Deployments', oauth.credential),
        oauthEntry('Reporting', other.credential),
        { id: '9', name: 'Legacy', integration_type: 'service', jwt: { client_id: 'legacy-id' } },
      ])

    it('says which were found and asks for client-id', async () => {
      const before = emulator.requests.length
      const run = await runAction({ credentials: several(), 'ims-endpoint': emulator.origin })
      expect(expectOneErrorLine(run)).toBe(
        `Error: Input credentials is a Developer Console project JSON with 2 OAuth Server-to-Server credentials: "Deployments" (oauth_server_to_server, client id ${oauth.client.clientId}), "Reporting" (oauth_server_to_server, client id ${other.client.clientId}). Set client-id to the one to use.`,
      )
      expect(emulator.requests.length).toBe(before)
    })

    it('uses the one client-id names', async () => {
      const run = await runAction({ credentials: several(), 'client-id': oauth.client.clientId, 'ims-endpoint': emulator.origin })
      expect(run.exitCode).toBe(0)
    })
  })

  it('says what a project JSON holds when it has no OAuth credential', async () => {
    const run = await runAction({
      credentials: projectJson(oauth.orgId, [
        { id: '1', name: 'Legacy JWT', integration_type: 'service', jwt: { client_id: 'abc' } },
        { id: '2', name: 'Browser', integration_type: 'apikey' },
      ]),
    })
    expect(expectOneErrorLine(run)).toBe(
      'Error: Input credentials is a Developer Console project JSON without an OAuth Server-to-Server credential: it holds only "Legacy JWT" (service, client id abc), "Browser" (apikey). Add an OAuth Server-to-Server credential to the project\'s workspace and download the JSON again.',
    )
  })
})

describe('choosing the flow', () => {
  const oauthInputs = (): Record<string, string> => ({
    'client-id': oauth.client.clientId,
    'client-secret': oauth.client.clientSecret,
    scopes: 'openid',
    'ims-endpoint': emulator.origin,
  })

  it('auto picks JWT for AEM service credentials and OAuth for a project JSON', async () => {
    const [jwt, s2s] = await Promise.all([
      runAction({ credentials: service.json, 'ims-endpoint': emulator.origin }),
      runAction({ credentials: oauth.projectJson, 'ims-endpoint': emulator.origin }),
    ])
    expect(jwt.log).toContain('with the service-account (JWT) flow.')
    expect(s2s.log).toContain('with the OAuth Server-to-Server flow.')
    expect([jwt.exitCode, s2s.exitCode]).toEqual([0, 0])
  })

  it('auto refuses inputs of both flows, naming them', async () => {
    const before = emulator.requests.length
    const run = await runAction({ credentials: service.json, scopes: 'openid', 'ims-endpoint': emulator.origin })
    expect(expectOneErrorLine(run)).toBe(
      'Error: auth-type auto cannot choose: inputs of both flows are given, credentials field integration.privateKey and credentials field integration.metascopes (service-account (JWT)) and scopes (OAuth Server-to-Server). Set auth-type to jwt or oauth, or remove the inputs of the flow you do not use.',
    )
    expect(emulator.requests.length).toBe(before)
  })

  it('auto says what each flow needs when neither is complete', async () => {
    const run = await runAction({ 'client-id': oauth.client.clientId })
    expect(expectOneErrorLine(run)).toBe(
      'Error: Missing inputs: no flow has what it needs. The service-account (JWT) flow needs client-id, client-secret, technical-account-id, org-id, private-key and metascopes, and lacks client-secret, technical-account-id, org-id, private-key and metascopes; the OAuth Server-to-Server flow needs client-id, client-secret and scopes, and lacks client-secret and scopes. Each can be an input or come from credentials. If they come from secrets: secrets are empty in workflows triggered by pull requests from forks and by Dependabot.',
    )
  })

  it('auto takes a client id and secret without a key as OAuth, and names what OAuth still lacks', async () => {
    const run = await runAction({ 'client-id': oauth.client.clientId, 'client-secret': oauth.client.clientSecret })
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: Missing input for the OAuth Server-to-Server flow \(auth-type auto chose it because a client id and secret are given without a private key\): scopes\./,
    )
  })

  it('explicit oauth wins, with a warning that the JWT inputs are ignored', async () => {
    const run = await runAction({
      ...oauthInputs(),
      'auth-type': 'oauth',
      'private-key': service.privateKeyPem,
      metascopes: 'ent_aem_cloud_api',
    })
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain(
      'Warning: auth-type is oauth, so private-key and metascopes are ignored: they belong to the service-account (JWT) flow.',
    )
    expect(run.log).toContain('with the OAuth Server-to-Server flow.')
    expectNoSecretAnywhere(run, { 'private key': service.privateKeyPem }, true)
  })

  it('explicit jwt wins, with a warning that scopes are ignored', async () => {
    const run = await runAction({ credentials: service.json, scopes: 'openid', 'auth-type': 'jwt', 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain('Warning: auth-type is jwt, so scopes is ignored: it belongs to the OAuth Server-to-Server flow.')
  })

  it('explicit jwt names what JWT lacks', async () => {
    const run = await runAction({ ...oauthInputs(), 'auth-type': 'jwt' })
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: Missing inputs for the service-account \(JWT\) flow: technical-account-id, org-id, private-key and metascopes\./,
    )
  })

  it('refuses an auth-type it does not know', async () => {
    const run = await runAction({ ...oauthInputs(), 'auth-type': 'saml' })
    expect(expectOneErrorLine(run)).toBe('Error: Input auth-type must be auto, jwt or oauth.')
  })
})

describe('IMS rejects the client-credentials request', () => {
  it.each([
    [
      'scopes that are not the credential’s',
      { scopes: 'openid,cloudmanager_api' },
      '400 invalid_scope): Invalid scope(s): cloudmanager_api',
      'The scopes are not those of the credential',
    ],
    [
      'a wrong secret',
      { 'client-secret': 'p8e-wrong-secret-000' },
      '401 invalid_client): invalid client_secret parameter',
      'Check client-secret',
    ],
    ['an unknown client id', { 'client-id': 'f00dbabe' }, '400 invalid_client): invalid client_id parameter', 'Check client-id'],
  ])('for %s, in one line with the debug id and a hint', async (_case, override, rejection, hint) => {
    const run = await runAction({
      'client-id': oauth.client.clientId,
      'client-secret': oauth.client.clientSecret,
      scopes: 'openid',
      'ims-endpoint': emulator.origin,
      ...override,
    })
    const error = expectOneErrorLine(run)
    expect(error).toContain(`Error: IMS rejected the client-credentials request (${rejection} (x-debug-id `)
    expect(error).toContain(hint)
    expectNoSecretAnywhere(run, { 'client secret': oauth.client.clientSecret })
  })

  it('says when the client is not set up for OAuth Server-to-Server', async () => {
    const { clientId, clientSecret } = service.integration
    const run = await runAction({
      'client-id': clientId,
      'client-secret': clientSecret,
      scopes: 'openid',
      'auth-type': 'oauth',
      'ims-endpoint': emulator.origin,
    })
    const error = expectOneErrorLine(run)
    expect(error).toContain(
      'Error: IMS rejected the client-credentials request (400 unauthorized_client): Client not authorized for the client_credentials grant',
    )
    expect(error).toContain('This client is not set up for OAuth Server-to-Server')
  })
})
