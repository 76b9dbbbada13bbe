/**
 * What a team trips on the first time: the credentials JSON stored as downloaded, on many lines (a warning
 * with the one-line fix, and a token all the same), and an auth-type that is not the credentials' flow
 * (an error that says which auth-type to set, not the advice about empty secrets).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction } from '../../emulator/runner.js'
import { makeOAuthCredential, type OAuthCredential } from '../../emulator/throwaway-credentials.js'
import { expectOneErrorLine } from '../support/expectations.js'
import { emulatorWithIntegration, type ImsEmulator, type ServiceCredentials } from '../support/fixtures.js'

let emulator: ImsEmulator
let service: ServiceCredentials
let oauth: OAuthCredential
beforeAll(async () => {
  ;({ emulator, service } = await emulatorWithIntegration())
  oauth = makeOAuthCredential()
  emulator.addOAuthClient(oauth.client)
})
afterAll(() => emulator.close())

const warnings = (log: string): string[] => log.split('\n').filter((line) => line.startsWith('Warning: '))

describe('a pretty-printed credentials JSON', () => {
  it('gets a token, with one warning that names the fix: compact, on one line', async () => {
    const pretty = JSON.stringify(JSON.parse(service.json), null, 2)
    const lines = pretty.split('\n').length
    const run = await runAction({ credentials: pretty, 'ims-endpoint': emulator.origin, summary: 'false' })
    expect(run.exitCode).toBe(0)
    expect(warnings(run.log)).toEqual([
      `Warning: Input credentials is JSON on ${lines} lines. The runner masks a secret of several lines line by line, so each of its lines ("{", "}", "ok": true, ...) is a mask of its own and every { and } in this job's later logs prints as ***. Store it compact, on one line: jq -c . credentials.json | gh secret set SECRET_NAME (or base64 of it).`,
    ])
  })

  it('is not warned about on one line, nor as base64 wrapped over lines', async () => {
    const wrapped = (
      Buffer.from(JSON.stringify(JSON.parse(service.json), null, 2))
        .toString('base64')
        .match(/.{1,76}/g) ?? []
    ).join('\n')
    for (const credentials of [service.json, wrapped]) {
      const run = await runAction({ credentials, 'ims-endpoint': emulator.origin, summary: 'false' })
      expect(run.exitCode).toBe(0)
      expect(warnings(run.log)).toEqual([])
    }
  })
})

describe('an auth-type that is not the credentials flow', () => {
  it('auth-type oauth with AEM service credentials: set auth-type to jwt or auto', async () => {
    const before = emulator.requests.length
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin, 'auth-type': 'oauth' })
    expect(expectOneErrorLine(run)).toBe(
      'Error: Missing input for the OAuth Server-to-Server flow: scopes. Pass it as an input or in the credentials JSON. Input credentials, read as AEM service credentials, is for the service-account (JWT) flow: set auth-type to jwt, or to auto (the default).',
    )
    expect(run.log).not.toMatch(/fork|Dependabot/)
    expect(emulator.requests.length).toBe(before)
  })

  it('auth-type jwt with a Developer Console OAuth project: set auth-type to oauth or auto', async () => {
    const before = emulator.requests.length
    const run = await runAction({ credentials: oauth.projectJson, 'ims-endpoint': emulator.origin, 'auth-type': 'jwt' })
    expect(expectOneErrorLine(run)).toBe(
      'Error: Missing inputs for the service-account (JWT) flow: private-key and metascopes. Pass each as an input or in the credentials JSON. Input credentials, read as Developer Console project, is for the OAuth Server-to-Server flow: set auth-type to oauth, or to auto (the default).',
    )
    expect(emulator.requests.length).toBe(before)
  })

  it('auth-type oauth with AEM service credentials and scopes: IMS refuses, and the hint names auth-type jwt', async () => {
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin, 'auth-type': 'oauth', scopes: 'openid' })
    expect(expectOneErrorLine(run)).toMatch(/set auth-type to jwt or auto \(the default\)\.$/)
  })
})
