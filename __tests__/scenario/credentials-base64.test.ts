/**
 * `credentials` given as base64 of the JSON, as some teams store it: the bundled action decodes it, gets a
 * token, and masks the base64 text and every secret it holds before anything could print them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { expectMaskedBeforeAnyUse } from '../support/expectations.js'
import { expectNoSecretFragments } from '../support/leak-search.js'
import { emulatorWithIntegration, type ImsEmulator, type ServiceCredentials } from '../support/fixtures.js'
import { runAction } from '../../emulator/runner.js'

let emulator: ImsEmulator
let service: ServiceCredentials

beforeAll(async () => {
  ;({ emulator, service } = await emulatorWithIntegration())
})
afterAll(() => emulator.close())

describe('credentials as base64', () => {
  it.each([
    ['standard base64 on one line', (json: string) => Buffer.from(json).toString('base64')],
    [
      'URL-safe base64 wrapped over lines',
      (json: string) =>
        (
          Buffer.from(json)
            .toString('base64url')
            .match(/.{1,76}/g) ?? []
        ).join('\n'),
    ],
  ])('gets a token from %s, with every secret masked first', async (_form, encode) => {
    const encoded = encode(service.json)
    const run = await runAction({ credentials: encoded, 'ims-endpoint': emulator.origin, summary: 'false' }, { env: { RUNNER_DEBUG: '1' } })
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain('Read credentials as base64 of AEM service credentials.')
    expect(run.outputs['access-token']).toBe(emulator.requests.at(-1)?.accessToken)
    expectMaskedBeforeAnyUse(run, {
      'credentials (base64)': encoded,
      'client secret': service.integration.clientSecret,
      'access token': run.outputs['access-token'] ?? '(none)',
    })
    // Pieces of the base64 text are pieces of public fields too (the token's scope claim shares some): the
    // secrets it encodes are searched for instead, in every form.
    expectNoSecretFragments(run, {
      'client secret': service.integration.clientSecret,
      'private key': service.privateKeyPem,
    })
  })
})
