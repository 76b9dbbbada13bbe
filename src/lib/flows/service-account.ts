import type { KeyObject } from 'node:crypto'
import { checkCertificate } from '../certificate.js'
import { imsOriginOfField } from '../endpoint.js'
import { type ErrorHint, serverSideHint } from '../ims-answer.js'
import { requestImsToken } from '../ims-request.js'
import { clientIdOf, clientSecretOf, metascopesOf, orgIdOf, technicalAccountIdOf } from '../input-checks.js'
import { listOf } from '../log-text.js'
import { type ServiceAccountIdentity, signServiceAccountJwt } from '../jwt.js'
import { loadRsaPrivateKey, normalizePrivateKeyPem } from '../private-key.js'
import { maskSecretText } from '../reporter.js'
import type { FlowModule } from './flow.js'

/** Everything the service-account (JWT) flow needs, checked and loaded. */
export interface ServiceAccountCredentials extends ServiceAccountIdentity {
  readonly clientSecret: string
  readonly privateKey: KeyObject
  /** When the integration's certificate (`integration.publicKey` of AEM service credentials) expires. */
  readonly certificateExpiresAt: Date | undefined
}

/** Advice for the errors IMS gives to a JWT exchange; see docs/ims-protocol.md. */
const serviceAccountHint: ErrorHint = ({ error, description }, status) => {
  const text = description.toLowerCase()
  switch (error) {
    case 'invalid_client':
      if (text.includes('client_secret')) return 'Check client-secret: it is not the secret of this client id.'
      if (text.includes('client_id')) return 'Check client-id: IMS knows no integration with this client id.'
      if (status === 401) return 'Check that client-id and client-secret belong together and that the integration may exchange JWTs.'
      return 'Check client-id and client-secret, and that the JWT audience names the same client id.'
    case 'invalid_token':
    case 'invalid_signature':
      if (text.includes('signature') || error === 'invalid_signature') {
        return "The private key does not belong to this integration's certificate: use the private key made with the certificate uploaded for this integration."
      }
      if (text.includes('expired')) return "The JWT had expired when IMS read it: check the runner's clock."
      return 'IMS could not read the JWT: check private-key, org-id and technical-account-id.'
    case 'invalid_scope':
      return "Check metascopes: they must be a subset of the integration's metascopes (for AEM: ent_aem_cloud_api or ent_cloudmgr_sdk)."
    case 'bad_request':
      return 'A JWT claim is badly formed: check technical-account-id (…@techacct.adobe.com) and org-id (…@AdobeOrg).'
    default:
      return serverSideHint(status)
  }
}

const NEEDS = ['client-id', 'client-secret', 'technical-account-id', 'org-id', 'private-key', 'metascopes'] as const

/**
 * Service-account (JWT) flow: sign a JWT with the account's key and exchange it at /ims/exchange/jwt,
 * which answers `expires_in` in milliseconds. Each JWT is masked before it goes anywhere.
 */
export const serviceAccount: FlowModule<ServiceAccountCredentials, (typeof NEEDS)[number]> = {
  name: 'service-account (JWT)',
  needs: NEEDS,
  ownInputs: ['private-key', 'private-key-passphrase', 'metascopes', 'technical-account-id'],
  ownJsonFields: ['private-key', 'metascopes'],
  autoChoice(fields, signals) {
    if (fields['private-key']) return 'a private key is given'
    return signals.length > 0 ? `${listOf(signals)} ${signals.length === 1 ? 'belongs' : 'belong'} to it` : undefined
  },
  credentialsFrom(fields, { inputs, certificate, reporter, now }) {
    const imsOrigin = imsOriginOfField(fields['ims-endpoint'])
    const clientId = clientIdOf(fields['client-id'])
    const clientSecret = clientSecretOf(fields['client-secret'])
    const privateKey = fields['private-key']
    const normalized = normalizePrivateKeyPem(privateKey.value, privateKey.from)
    maskSecretText(reporter, normalized.pem)
    const key = loadRsaPrivateKey(normalized, inputs['private-key-passphrase'], privateKey.from)
    const certificateExpiresAt = certificate && checkCertificate(certificate, key, now, reporter)
    return {
      imsOrigin,
      clientId,
      clientSecret,
      technicalAccountId: technicalAccountIdOf(fields['technical-account-id']),
      orgId: orgIdOf(fields['org-id']),
      metascopes: metascopesOf(fields.metascopes),
      privateKey: key,
      certificateExpiresAt,
    }
  },
  getToken(credentials, reporter, settings) {
    return requestImsToken(
      {
        url: `${credentials.imsOrigin}/ims/exchange/jwt`,
        // A JWT signed for each attempt, so a retry never sends one past its five minutes.
        form: async () => {
          const jwt = await signServiceAccountJwt(credentials, credentials.privateKey, Math.floor(settings.now() / 1000))
          reporter.maskSecret(jwt)
          return { client_id: credentials.clientId, client_secret: credentials.clientSecret, jwt_token: jwt }
        },
        secretFields: ['client_secret', 'jwt_token'],
        operation: 'the JWT exchange',
        expiresInUnit: 'milliseconds',
        hint: serviceAccountHint,
      },
      reporter,
      settings,
    )
  },
  hint: serviceAccountHint,
  requestedScopes: (credentials) => credentials.metascopes,
}
