/**
 * Driven by the tables in src/: every input marked secret is masked before anything could print it, and a
 * run sets exactly the outputs the output table names. A new secret input makes this file ask for a value.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction } from '../../emulator/runner.js'
import { SECRET_INPUTS, type SecretInputName } from '../../src/lib/action-inputs.js'
import { OUTPUT_NAMES } from '../../src/lib/action-outputs.js'
import { expectMaskedBeforeAnyUse } from '../support/expectations.js'
import { emulatorWithIntegration, type ImsEmulator, separateInputs, type ServiceCredentials } from '../support/fixtures.js'

let emulator: ImsEmulator
let service: ServiceCredentials
beforeAll(async () => ({ emulator, service } = await emulatorWithIntegration()))
afterAll(() => emulator.close())

describe('the secret inputs of the input table', () => {
  it('are each masked before any use, in a run that uses them all', async () => {
    const passphrase = 'open sesame, said the runner'
    const secrets: Record<SecretInputName, string> = {
      'client-secret': service.integration.clientSecret,
      'private-key': service.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString(),
      'private-key-passphrase': passphrase,
    }
    const run = await runAction({ ...separateInputs(service, emulator), ...secrets })
    expect(run.exitCode).toBe(0)
    expect(SECRET_INPUTS).toEqual(Object.keys(secrets))
    expectMaskedBeforeAnyUse(run, secrets)
    expect(Object.keys(run.outputs)).toEqual(OUTPUT_NAMES)
  })
})
