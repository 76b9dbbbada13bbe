import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { metascopeClaimName, serviceAccountClaims, signServiceAccountJwt } from '../../src/lib/jwt.js'

const identity = {
  imsOrigin: 'https://ims-na1.adobelogin.com',
  clientId: 'cm-p1-e2',
  technicalAccountId: 'ABC@techacct.adobe.com',
  orgId: 'DEF@AdobeOrg',
  metascopes: ['ent_aem_cloud_api', 'https://ims-na1.adobelogin.com/s/ent_cloudmgr_sdk'],
}

describe('service-account JWT', () => {
  it('names metascopes under the IMS origin unless given as a URL', () => {
    expect(metascopeClaimName('https://ims-na1.adobelogin.com', 'ent_aem_cloud_api')).toBe(
      'https://ims-na1.adobelogin.com/s/ent_aem_cloud_api',
    )
    expect(metascopeClaimName('http://127.0.0.1:1', 'https://other/s/x')).toBe('https://other/s/x')
  })

  it('carries exactly the claims IMS expects, exp five minutes ahead', () => {
    expect(serviceAccountClaims(identity, 1_800_000_000)).toEqual({
      exp: 1_800_000_300,
      iat: 1_800_000_000,
      iss: 'DEF@AdobeOrg',
      sub: 'ABC@techacct.adobe.com',
      aud: 'https://ims-na1.adobelogin.com/c/cm-p1-e2',
      'https://ims-na1.adobelogin.com/s/ent_aem_cloud_api': true,
      'https://ims-na1.adobelogin.com/s/ent_cloudmgr_sdk': true,
    })
  })

  it('is signed RS256 with the account key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const now = Math.floor(Date.now() / 1000)
    const jwt = await signServiceAccountJwt(identity, privateKey, now)
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT' })
    const { payload } = await jwtVerify(jwt, publicKey, { algorithms: ['RS256'], audience: 'https://ims-na1.adobelogin.com/c/cm-p1-e2' })
    expect(payload).toEqual(serviceAccountClaims(identity, now))
  })
})
