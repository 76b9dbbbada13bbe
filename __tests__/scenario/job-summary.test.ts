/** The job summary: a short table of what was asked and what came back, never a secret; `summary: false` turns it off. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction } from '../../emulator/runner.js'
import { makeOAuthCredential, type OAuthCredential } from '../../emulator/throwaway-credentials.js'
import { expectNoSecretAnywhere } from '../support/expectations.js'
import { ImsEmulator, makeServiceCredentials, type ServiceCredentials } from '../support/fixtures.js'

let emulator: ImsEmulator
let service: ServiceCredentials
let oauth: OAuthCredential

beforeAll(async () => {
  service = await makeServiceCredentials({ metascopes: ['ent_aem_cloud_api', 'ent_cloudmgr_sdk'] })
  oauth = makeOAuthCredential(['openid', 'AdobeID'])
  emulator = await ImsEmulator.start({ integrations: [service.integration], oauthClients: [oauth.client] })
})
afterAll(() => emulator.close())

const row = (item: string, value: string): string => `<tr><td>${item}</td><td>${value}</td></tr>`

describe('job summary', () => {
  it('shows the JWT flow: client, org, the scopes the token carries, expiry and attempts', async () => {
    emulator.injectFaults({ kind: 'answer', status: 503, headers: { 'retry-after': '0' }, body: '' })
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    const summary = run.files.summary
    expect(summary).toContain(`<h3>Adobe IMS access token (client ${service.integration.clientId})</h3>`)
    expect(summary).toContain(row('Flow', 'service-account (JWT)'))
    expect(summary).toContain(row('Client id', service.integration.clientId))
    expect(summary).toContain(row('Organization', service.integration.orgId))
    expect(summary).toContain(row('Scopes granted', 'ent_aem_cloud_api, ent_cloudmgr_sdk'))
    expect(summary).toContain(row('IMS', emulator.origin))
    expect(summary).toContain(row('Expires at', `${run.outputs['expires-at'] ?? ''} (in 24 h)`))
    expect(summary).toContain(row('Attempts', '2'))
    expectNoSecretAnywhere(run, { 'client secret': service.integration.clientSecret, token: run.outputs['access-token'] ?? '' }, true)
  })

  it('shows the OAuth flow with the org from the project JSON', async () => {
    const run = await runAction({ credentials: oauth.projectJson, 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    expect(run.files.summary).toContain(row('Flow', 'OAuth Server-to-Server'))
    expect(run.files.summary).toContain(row('Organization', oauth.orgId))
    expect(run.files.summary).toContain(row('Scopes granted', 'openid, AdobeID'))
    expect(run.files.summary).toContain(row('Attempts', '1'))
  })

  it('gives two tokens of one job tables with titles of their own: the step id and the client', async () => {
    const aem = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin }, { env: { GITHUB_ACTION: 'aem' } })
    const cloudManager = await runAction(
      { credentials: oauth.projectJson, 'ims-endpoint': emulator.origin },
      { env: { GITHUB_ACTION: 'cloud-manager' } },
    )
    // A step without an id: the runner names it after the action, which says nothing to a reader.
    const unnamed = await runAction(
      { credentials: oauth.projectJson, 'ims-endpoint': emulator.origin },
      { env: { GITHUB_ACTION: '__OWNER_aem-ims-token-action' } },
    )
    const titles = [aem, cloudManager, unnamed].map((run) => /<h3>(.*)<\/h3>/.exec(run.files.summary)?.[1])
    expect(titles).toEqual([
      `Adobe IMS access token (step aem, client ${service.integration.clientId})`,
      `Adobe IMS access token (step cloud-manager, client ${oauth.client.clientId})`,
      `Adobe IMS access token (client ${oauth.client.clientId})`,
    ])
  })

  it('is not written with summary: false', async () => {
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin, summary: 'false' })
    expect(run.exitCode).toBe(0)
    expect(run.files.summary).toBe('')
  })
})
