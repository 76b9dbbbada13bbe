import { type ImsErrorBody, serverSideHint } from '../ims-answer.js'
import { type ImsToken, requestImsToken, type RequestSettings } from '../ims-request.js'
import type { Reporter } from '../reporter.js'

/** Everything the OAuth Server-to-Server flow needs, checked. */
export interface OAuthServerToServerCredentials {
  /** Scheme and host of IMS, e.g. `https://ims-na1.adobelogin.com`. */
  readonly imsOrigin: string
  readonly clientId: string
  readonly clientSecret: string
  readonly scopes: readonly string[]
}

/** Advice for the errors IMS gives to a client-credentials request. */
export function clientCredentialsHint({ error, description }: ImsErrorBody, status: number): string | undefined {
  const text = description.toLowerCase()
  switch (error) {
    case 'invalid_client':
      if (text.includes('client_secret') || status === 401) return 'Check client-secret: it is not a secret of this client id.'
      return 'Check client-id: IMS knows no OAuth Server-to-Server credential with this client id.'
    case 'unauthorized_client':
      return 'This client is not set up for OAuth Server-to-Server: use the client id and secret of an OAuth Server-to-Server credential (AEM service credentials use auth-type jwt).'
    case 'invalid_scope':
      return "The scopes are not those of the credential: compare scopes with the credential's scopes in the Developer Console project."
    default:
      return serverSideHint(status)
  }
}

/** OAuth Server-to-Server flow: client credentials at /ims/token/v3, which answers `expires_in` in seconds. */
export function getOAuthServerToServerToken(
  credentials: OAuthServerToServerCredentials,
  reporter: Reporter,
  settings: RequestSettings,
): Promise<ImsToken> {
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
}
