import { describe, expect, it } from '@jest/globals'
import { proxyPasswords } from '../../src/lib/http-form.js'

describe('proxyPasswords', () => {
  it('finds the password of each proxy variable, decoded, with or without a scheme', () => {
    expect(
      proxyPasswords({
        HTTPS_PROXY: 'http://builder:s3cr%40t@proxy:3128',
        https_proxy: 'svc_user:plain-pass@proxy:3128',
        HTTP_PROXY: 'http://proxy:3128',
        http_proxy: 'not a url at all',
      }),
    ).toEqual(['plain-pass', 's3cr@t'])
  })

  it('finds nothing when no proxy is set', () => {
    expect(proxyPasswords({})).toEqual([])
  })
})
