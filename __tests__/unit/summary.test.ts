import { describe, expect, it } from '@jest/globals'
import { durationText, grantedScopes, htmlEscaped, postSummaryLine } from '../../src/lib/summary.js'

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

describe('durationText', () => {
  it.each([
    [0, '0 s'],
    [119, '119 s'],
    [120, '2 min'],
    [3599, '60 min'],
    [7199, '120 min'],
    [7200, '2 h'],
    [86399, '24 h'],
  ])('reads %i seconds as %s', (seconds, text) => {
    expect(durationText(seconds)).toBe(text)
  })
})

describe('postSummaryLine', () => {
  it('escapes what IMS may have said in the reason', () => {
    expect(postSummaryLine({ failure: 'IMS said <b>no</b> & more.' }, '2026-11-29T10:00:00Z', 'ims')).toBe(
      '<p><strong>Adobe IMS access token (step ims, expiring at 2026-11-29T10:00:00Z)</strong>: <strong>not invalidated</strong>. IMS said &lt;b&gt;no&lt;/b&gt; &amp; more.</p>\n',
    )
  })
})
