/**
 * The integration's certificate, when credentials carries it (integration.publicKey): expired fails
 * before any request, close to expiry warns, and a key that does not match it warns.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction } from '../../emulator/runner.js'
import { expectOneErrorLine } from '../support/expectations.js'
import { ImsEmulator, makeServiceCredentials } from '../support/fixtures.js'

const DAY = 24 * 3600 * 1000
let emulator: ImsEmulator

beforeAll(async () => {
  emulator = await ImsEmulator.start()
})
afterAll(() => emulator.close())

async function registered(options: Parameters<typeof makeServiceCredentials>[0]): ReturnType<typeof makeServiceCredentials> {
  const service = await makeServiceCredentials(options)
  emulator.addIntegration(service.integration)
  return service
}

describe('the certificate in credentials', () => {
  it('gives its expiry as the certificate-expires-at output, ISO 8601 in UTC to the second', async () => {
    const notAfter = new Date(Math.floor((Date.now() + 200 * DAY) / 1000) * 1000)
    const service = await registered({ certificateNotAfter: notAfter })
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['certificate-expires-at']).toBe(notAfter.toISOString().replace('.000Z', 'Z'))
  })

  it('leaves certificate-expires-at empty when the credentials carry no certificate', async () => {
    const service = await registered({})
    const json = JSON.parse(service.json) as { integration: Record<string, unknown> }
    delete json.integration['publicKey']
    const run = await runAction({ credentials: JSON.stringify(json), 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toEqual(expect.objectContaining({ 'certificate-expires-at': '' }))
  })

  it('warns, as an annotation, when it expires within 30 days, and still gets the token', async () => {
    const notAfter = new Date(Date.now() + 10 * DAY + 3600_000)
    const service = await registered({ certificateNotAfter: notAfter })
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    const date = notAfter.toISOString().slice(0, 10)
    expect(run.stdout).toContain(
      `::warning::The integration's certificate (credentials field integration.publicKey) expires on ${date}, in 10 days.`,
    )
  })

  it('says nothing when it has more than 30 days left', async () => {
    const service = await registered({ certificateNotAfter: new Date(Date.now() + 31 * DAY) })
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).not.toContain('::warning::')
  })

  it('fails before any request when it has expired', async () => {
    const notAfter = new Date(Date.now() - 2 * DAY)
    const service = await registered({ certificateNotAfter: notAfter })
    const before = emulator.requests.length
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin })
    const date = notAfter.toISOString().slice(0, 10)
    expect(expectOneErrorLine(run)).toBe(
      `Error: The integration's certificate (credentials field integration.publicKey) expired on ${date}: IMS refuses JWTs signed with its key. Make a new key pair and certificate for the integration in the AEM Developer Console (or upload a new certificate), then update the secret.`,
    )
    expect(emulator.requests.length).toBe(before)
  })

  it('warns when the private key does not match it', async () => {
    const service = await registered({})
    const json = JSON.parse(service.json) as { integration: { publicKey: string } }
    json.integration.publicKey = (await makeServiceCredentials()).integration.certificate
    const run = await runAction({ credentials: JSON.stringify(json), 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain(
      "Warning: The private key does not match the integration's certificate (credentials field integration.publicKey)",
    )
  })

  it('warns when it cannot be read, without failing', async () => {
    const service = await registered({})
    const json = JSON.parse(service.json) as { integration: { publicKey: string } }
    json.integration.publicKey = '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----'
    const run = await runAction({ credentials: JSON.stringify(json), 'ims-endpoint': emulator.origin })
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain(
      'Warning: Credentials field integration.publicKey could not be read as an X.509 certificate, so its expiry was not checked.',
    )
  })
})
