/**
 * Throwaway credentials of the shapes Adobe hands out, made fresh at run time (no key is ever committed),
 * plus the matching registrations for the emulator.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto'
import { makeCertificate } from './certificates.js'
import type { JwtIntegration } from './ims-emulator.js'

const hex = (bytes: number): string => randomBytes(bytes).toString('hex').toUpperCase()

export interface ServiceCredentials {
  /** What to register with the emulator. */
  readonly integration: JwtIntegration
  readonly privateKey: KeyObject
  /** PKCS#1 PEM with CRLF line ends, as the AEM Developer Console writes it. */
  readonly privateKeyPem: string
  /** The AEM Developer Console "service credentials" JSON, as people store it in one secret. */
  readonly json: string
}

export interface ServiceCredentialsOptions {
  readonly imsEndpoint?: string
  readonly metascopes?: readonly string[]
  readonly certificateNotAfter?: Date
  readonly modulusLength?: number
  /** Use this RSA key instead of making one. */
  readonly privateKey?: KeyObject
}

export function makeServiceCredentials(options: ServiceCredentialsOptions = {}): ServiceCredentials {
  const privateKey = options.privateKey ?? generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 }).privateKey
  const publicKey = createPublicKey(privateKey)
  const clientId = `cm-p${randomBytes(3).readUIntBE(0, 3)}-e${randomBytes(3).readUIntBE(0, 3)}-integration-${hex(3).toLowerCase()}`
  const technicalAccountId = `${hex(12)}@techacct.adobe.com`
  const certificate = makeCertificate({
    commonName: clientId,
    publicKey,
    selfSignKey: privateKey,
    notAfter: options.certificateNotAfter ?? new Date(Date.now() + 365 * 24 * 3600 * 1000),
  })
  const integration: JwtIntegration = {
    clientId,
    clientSecret: `p8e-${randomBytes(24).toString('base64url')}`,
    orgId: `${hex(12)}@AdobeOrg`,
    technicalAccountId,
    certificate,
    metascopes: options.metascopes ?? ['ent_aem_cloud_api'],
  }
  const crlf = (pem: string): string => pem.trim().replace(/\n/g, '\r\n') + '\r\n'
  const privateKeyPem = crlf(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString())
  const json = JSON.stringify({
    ok: true,
    integration: {
      imsEndpoint: options.imsEndpoint ?? 'ims-na1.adobelogin.com',
      metascopes: integration.metascopes.join(','),
      technicalAccount: { clientId, clientSecret: integration.clientSecret },
      email: technicalAccountId,
      id: technicalAccountId,
      org: integration.orgId,
      privateKey: privateKeyPem,
      publicKey: crlf(certificate),
    },
    statusCode: 200,
  })
  return { integration, privateKey, privateKeyPem, json }
}
