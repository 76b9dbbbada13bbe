import { generateKeyPairSync } from 'node:crypto'
import { ImsEmulator } from '../../emulator/ims-emulator.js'
import { makeServiceCredentials, type ServiceCredentials, type ServiceCredentialsOptions } from '../../emulator/throwaway-credentials.js'

export { ImsEmulator, makeServiceCredentials, type ServiceCredentials }

/** An emulator with one registered service-account integration. */
export async function emulatorWithIntegration(
  options: ServiceCredentialsOptions = {},
): Promise<{ emulator: ImsEmulator; service: ServiceCredentials }> {
  const service = await makeServiceCredentials(options)
  const emulator = await ImsEmulator.start({ integrations: [service.integration] })
  return { emulator, service }
}

/** The separate inputs for a service credential, as a workflow would pass them one by one. */
export function separateInputs(service: ServiceCredentials, emulator: ImsEmulator): Record<string, string> {
  const { integration } = service
  return {
    'client-id': integration.clientId,
    'client-secret': integration.clientSecret,
    'technical-account-id': integration.technicalAccountId,
    'org-id': integration.orgId,
    'private-key': service.privateKeyPem,
    metascopes: integration.metascopes.join(','),
    'ims-endpoint': emulator.origin,
  }
}

/** An RSA key that belongs to no integration. */
export function strangerKeyPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
}
