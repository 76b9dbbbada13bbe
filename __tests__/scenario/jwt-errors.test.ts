/**
 * What a person sees when IMS rejects the JWT exchange: one line with the status, IMS's error and
 * description, the x-debug-id, and a hint; no stack trace and no secret.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { expectNoSecretAnywhere, expectOneErrorLine, pemBodyLines } from '../support/expectations.js'
import { emulatorWithIntegration, type ImsEmulator, separateInputs, type ServiceCredentials, strangerKeyPem } from '../support/fixtures.js'
import { runAction } from '../../emulator/runner.js'

let emulator: ImsEmulator
let service: ServiceCredentials

beforeAll(async () => {
  ;({ emulator, service } = await emulatorWithIntegration())
})
afterAll(() => emulator.close())

const DEBUG_ID = /\(x-debug-id [0-9a-f-]{36}\)/

describe('IMS rejects the exchange', () => {
  const stranger = strangerKeyPem()
  const cases: [string, () => Record<string, string>, RegExp, string][] = [
    [
      'a client secret that is not the client id’s',
      () => ({ 'client-secret': 'p8e-not-the-right-secret' }),
      /^Error: IMS rejected the JWT exchange \(400 invalid_client\): invalid client_secret parameter/,
      'Check client-secret',
    ],
    [
      'a client id IMS does not know',
      () => ({ 'client-id': 'cm-p1-e1-unknown' }),
      /^Error: IMS rejected the JWT exchange \(400 invalid_client\): invalid client_id parameter/,
      'Check client-id',
    ],
    [
      'a private key that is not the certificate’s',
      () => ({ 'private-key': stranger }),
      /^Error: IMS rejected the JWT exchange \(400 invalid_token\): Could not match JWT signature to any of the bindings/,
      "The private key does not belong to this integration's certificate",
    ],
    [
      'metascopes the integration does not hold',
      () => ({ metascopes: 'ent_aem_cloud_api,ent_analytics_bulk_ingest_sdk' }),
      /^Error: IMS rejected the JWT exchange \(400 invalid_scope\): The metascopes in the JWT are not a subset of the metascopes in the binding\./,
      'Check metascopes',
    ],
  ]

  it.each(cases)('for %s, in one line with the debug id and a hint', async (_case, override, line, hint) => {
    const inputs = { ...separateInputs(service, emulator), ...override() }
    const before = emulator.requests.length
    const run = await runAction(inputs)
    const error = expectOneErrorLine(run)
    expect(error).toMatch(line)
    expect(error).toMatch(DEBUG_ID)
    expect(error).toContain(hint)
    expect(emulator.requests.length - before).toBe(1)
    expect(run.outputs).toEqual({})
    expectNoSecretAnywhere(run, {
      'client secret': inputs['client-secret'] ?? '',
      'private key': pemBodyLines(inputs['private-key'] ?? '').join('\n'),
      'signed JWT': emulator.requests[before]?.fields['jwt_token'] ?? 'missing',
    })
  })

  it('says what IMS answered when the error is not JSON', async () => {
    emulator.injectFaults({
      kind: 'answer',
      status: 404,
      headers: { 'content-type': 'text/html' },
      body: '<html><head><title>Not Found</title></head></html>',
    })
    const run = await runAction(separateInputs(service, emulator))
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: IMS answered the JWT exchange with 404 Not Found \(text\/html\): an HTML page titled "Not Found" \(x-debug-id [0-9a-f-]+\)\.$/,
    )
  })
})
