import { describe, expect, it } from '@jest/globals'
import { grantedScopes, htmlEscaped } from '../../src/lib/summary.js'

const jwt = (payload: unknown): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`

describe('grantedScopes', () => {
  it('reads the scope claim of a JWT access token', () => {
    expect(grantedScopes(jwt({ scope: 'openid,AdobeID' }))).toBe('openid, AdobeID')
  })

  it.each([
    ['an opaque token', 'abc'],
    ['a JWT without scope', jwt({ client_id: 'x' })],
    ['a payload that is not JSON', 'a.b.c'],
    ['a scope that is not a string', jwt({ scope: ['a'] })],
  ])('gives nothing for %s', (_case, token) => {
    expect(grantedScopes(token)).toBeUndefined()
  })
})

describe('htmlEscaped', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    expect(htmlEscaped(`<img src=x onerror="a('b')"> & </table>`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; &lt;/table&gt;',
    )
    expect(htmlEscaped('openid, AdobeID')).toBe('openid, AdobeID')
  })
})
