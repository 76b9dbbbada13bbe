import type { KeyObject } from 'node:crypto'
import { SignJWT } from 'jose'

/** How long the signed JWT is valid. IMS only needs it for the one exchange; Adobe advises "a few minutes". */
const JWT_LIFETIME_SECONDS = 5 * 60

export interface ServiceAccountIdentity {
  /** Scheme and host of IMS, e.g. `https://ims-na1.adobelogin.com`. */
  readonly imsOrigin: string
  readonly clientId: string
  readonly technicalAccountId: string
  readonly orgId: string
  /** Short names (`ent_aem_cloud_sdk`) or full metascope URLs. */
  readonly metascopes: readonly string[]
}

/** A short metascope name becomes `<origin>/s/<name>`; a full URL is used as given. */
export function metascopeClaimName(imsOrigin: string, metascope: string): string {
  return /^https?:\/\//i.test(metascope) ? metascope : `${imsOrigin}/s/${metascope}`
}

/** The claims IMS expects in a service-account JWT, `exp` `lifetimeSeconds` after `nowSeconds`. */
export function serviceAccountClaims(
  identity: ServiceAccountIdentity,
  nowSeconds: number,
  lifetimeSeconds = JWT_LIFETIME_SECONDS,
): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    exp: nowSeconds + lifetimeSeconds,
    iat: nowSeconds,
    iss: identity.orgId,
    sub: identity.technicalAccountId,
    aud: `${identity.imsOrigin}/c/${identity.clientId}`,
  }
  for (const metascope of identity.metascopes) claims[metascopeClaimName(identity.imsOrigin, metascope)] = true
  return claims
}

/** Signs the service-account JWT with RS256. */
export async function signServiceAccountJwt(identity: ServiceAccountIdentity, key: KeyObject, nowSeconds: number): Promise<string> {
  return new SignJWT(serviceAccountClaims(identity, nowSeconds)).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(key)
}
