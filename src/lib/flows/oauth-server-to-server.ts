import { imsOriginOfField } from '../endpoint.js'
import { type ErrorHint, serverSideHint } from '../ims-answer.js'
import { requestImsToken } from '../ims-request.js'
import { clientIdOf, clientSecretOf, orgIdOf, scopesOf } from '../input-checks.js'
import type { CommonCredentials, FlowModule } from './flow.js'

/** Everything the OAuth Server-to-Server flow needs, checked. */
export interface OAuthServerToServerCredentials extends CommonCredentials {
  readonly clientSecret: string
  readonly scopes: readonly string[]
}

/** Advice for the errors IMS gives to a client-credentials request; see docs/ims-protocol.md. */
const clientCredentialsHint: ErrorHint = ({ error, description }, status) => {
  const text = description.toLowerCase()
  switch (error) {
    case 'invalid_client':
      if (text.includes('client_secret') || status === 401) return 'Check client-secret: it is not a secret of this client id.'
      return 'Check client-id: IMS knows no OAuth Server-to-Server credential with this client id.'
    case 'unauthorized_client':
      return 'This client is not set up for OAuth Server-to-Server: use the client id and secret of an OAuth Server-to-Server credential, or, for AEM service credentials, set auth-type to jwt or auto (the default).'
    case 'invalid_scope':
      return "The scopes are not those of the credential: compare scopes with the credential's scopes in the Developer Console project."
    default:
      return serverSideHint(status)
  }
}

const NEEDS = ['client-id', 'client-secret', 'scopes'] as const

/** OAuth Server-to-Server flow: client credentials at /ims/token/v3, which answers `expires_in` in seconds. */
export const oauthServerToServer: FlowModule<OAuthServerToServerCredentials, (typeof NEEDS)[number]> = {
  name: 'OAuth Server-to-Server',
  needs: NEEDS,
  ownInputs: ['scopes'],
  ownJsonFields: ['scopes'],
  autoChoice: (fields, signals) =>
    signals.length > 0 || (fields['client-id'] && fields['client-secret'])
      ? 'a client id and secret are given without a private key'
      : undefined,
  credentialsFrom(fields) {
    // Shown, not sent: the client-credentials request does not carry the org.
    const orgId = fields['org-id'] && orgIdOf(fields['org-id'])
    return {
      imsOrigin: imsOriginOfField(fields['ims-endpoint']),
      clientId: clientIdOf(fields['client-id']),
      clientSecret: clientSecretOf(fields['client-secret']),
      scopes: scopesOf(fields.scopes),
      orgId,
      // OAuth Server-to-Server credentials have no certificate: a client secret is all they carry.
      certificateExpiresAt: undefined,
    }
  },
  getToken(credentials, reporter, settings) {
    return requestImsToken(
      {
        url: `${credentials.imsOrigin}/ims/token/v3`,
        form: () =>
          Promise.resolve({
            grant_type: 'client_credentials',
            client_id: credentials.clientId,
            client_secret: credentials.clientSecret,
            scope: credentials.scopes.join(','),
          }),
        secretFields: ['client_secret'],
        operation: 'the client-credentials request',
        expiresInUnit: 'seconds',
        hint: clientCredentialsHint,
      },
      reporter,
      settings,
    )
  },
  hint: clientCredentialsHint,
  requestedScopes: (credentials) => credentials.scopes,
}
