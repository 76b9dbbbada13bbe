/**
 * Throwaway credentials of the shapes Adobe hands out, made fresh at run time (no key is ever committed),
 * plus the matching registrations for the emulator.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto'
import { makeCertificate } from './certificates.js'
import type { JwtIntegration, OAuthClient } from './ims-emulator.js'

const hex = (bytes: number): string => randomBytes(bytes).toString('hex').toUpperCase()

/** What both kinds of throwaway credentials can be told. */
export interface ThrowawayOptions {
  /**
   * Starts every id and secret made (client id, client secret, org id, technical account id), so that they
   * cannot pass for Adobe's: the mock IMS action hands its credentials to users' workflows.
   */
  readonly marker?: string
  /** Use this org id instead of making one (both credentials of one organization). */
  readonly orgId?: string
}

const markedWith =
  (marker: string | undefined) =>
  (value: string): string =>
    marker === undefined ? value : `${marker}-${value}`

export interface ServiceCredentials {
  /** What to register with the emulator. */
  readonly integration: JwtIntegration
  readonly privateKey: KeyObject
  /** PKCS#1 PEM with CRLF line ends, as the AEM Developer Console writes it. */
  readonly privateKeyPem: string
  /** The AEM Developer Console "service credentials" JSON, as people store it in one secret. */
  readonly json: string
}

export interface ServiceCredentialsOptions extends ThrowawayOptions {
  readonly imsEndpoint?: string
  readonly metascopes?: readonly string[]
  readonly certificateNotAfter?: Date
  readonly modulusLength?: number
  /** Use this RSA key instead of making one. */
  readonly privateKey?: KeyObject
}

export async function makeServiceCredentials(options: ServiceCredentialsOptions = {}): Promise<ServiceCredentials> {
  const privateKey = options.privateKey ?? generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 }).privateKey
  const publicKey = createPublicKey(privateKey)
  const marked = markedWith(options.marker)
  const clientId = marked(`cm-p${randomBytes(3).readUIntBE(0, 3)}-e${randomBytes(3).readUIntBE(0, 3)}-integration-${hex(3).toLowerCase()}`)
  const technicalAccountId = `${marked(hex(12))}@techacct.adobe.com`
  const certificate = await makeCertificate({
    commonName: clientId,
    publicKey,
    selfSignKey: privateKey,
    notAfter: options.certificateNotAfter ?? new Date(Date.now() + 365 * 24 * 3600 * 1000),
  })
  const integration: JwtIntegration = {
    clientId,
    clientSecret: marked(`p8e-${randomBytes(24).toString('base64url')}`),
    orgId: options.orgId ?? `${marked(hex(12))}@AdobeOrg`,
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

export interface OAuthCredential {
  /** What to register with the emulator. */
  readonly client: OAuthClient
  readonly orgId: string
  /** The `oauth_server_to_server` object of a Developer Console project. */
  readonly credential: Readonly<Record<string, unknown>>
  /** The Adobe Developer Console project JSON ("Download JSON") holding this credential. */
  readonly projectJson: string
  /** The aio CLI's flat context: the credential's fields plus `ims_org_id`. */
  readonly aioJson: string
}

export function makeOAuthCredential(
  scopes: readonly string[] = ['openid', 'AdobeID', 'read_organizations'],
  options: ThrowawayOptions = {},
): OAuthCredential {
  const marked = markedWith(options.marker)
  const clientId = marked(randomBytes(16).toString('hex'))
  const orgId = options.orgId ?? `${marked(hex(12))}@AdobeOrg`
  const technicalAccountId = `${marked(hex(12))}@techacct.adobe.com`
  const client: OAuthClient = { clientId, clientSecret: marked(`p8e-${randomBytes(24).toString('base64url')}`), scopes }
  const credential = {
    client_id: clientId,
    client_secrets: [client.clientSecret],
    technical_account_email: `${marked(randomBytes(8).toString('hex'))}@techacct.adobe.com`,
    technical_account_id: technicalAccountId,
    scopes: [...scopes],
  }
  return {
    client,
    orgId,
    credential,
    projectJson: projectJson(orgId, [oauthEntry('OAuth Server-to-Server', credential)]),
    aioJson: JSON.stringify({ ...credential, ims_org_id: orgId }),
  }
}

/** One entry of a project's `credentials` list, holding an OAuth Server-to-Server credential. */
export function oauthEntry(name: string, credential: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    id: String(randomBytes(4).readUInt32BE(0)),
    name,
    integration_type: 'oauth_server_to_server',
    oauth_server_to_server: credential,
  }
}

/** A Developer Console project JSON with these credential entries. */
export function projectJson(orgId: string, credentials: readonly Readonly<Record<string, unknown>>[]): string {
  return JSON.stringify({
    project: {
      id: '4566206088344794932',
      name: 'aem-deployments',
      title: 'AEM deployments',
      org: { id: '1234', name: 'Example Org', ims_org_id: orgId },
      workspace: { id: '4566206088344795043', name: 'Production', details: { credentials, services: [], runtime: {} } },
    },
  })
}
