import { describe, expect, it } from '@jest/globals'
import { imsOriginOf } from '../../src/lib/endpoint.js'
import { InputError } from '../../src/lib/errors.js'

describe('imsOriginOf', () => {
  it.each([
    ['ims-na1.adobelogin.com', 'https://ims-na1.adobelogin.com'],
    ['IMS-NA1.AdobeLogin.com', 'https://ims-na1.adobelogin.com'],
    ['https://ims-na1-stg1.adobelogin.com/', 'https://ims-na1-stg1.adobelogin.com'],
    ['https://ims-na1.adobelogin.com:443', 'https://ims-na1.adobelogin.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
    ['https://127.0.0.1:8443', 'https://127.0.0.1:8443'],
  ])('accepts %s as %s', (endpoint, origin) => {
    expect(imsOriginOf(endpoint, 'input ims-endpoint')).toBe(origin)
  })

  it.each([
    'http://ims-na1.adobelogin.com',
    'https://adobelogin.com',
    'https://adobelogin.com.evil.example',
    'https://evil-adobelogin.com',
    'https://ims-na1.adobelogin.com.',
    'https://ims-na1.adobelogin.com@evil.example',
    'https://evil.example\\.adobelogin.com',
    'https://evil.example#.adobelogin.com',
    'https://ims-na1.adobelogin.com?x=1',
    'http://127.0.0.2',
    'http://10.0.0.1',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ims na1',
    '',
  ])('refuses %s, naming the input', (endpoint) => {
    expect(() => imsOriginOf(endpoint, 'input ims-endpoint')).toThrow(InputError)
    expect(() => imsOriginOf(endpoint, 'input ims-endpoint')).toThrow(/^Input ims-endpoint /)
  })
})

describe('imsOriginOf, what a refusal says', () => {
  const advice =
    'Give a host such as ims-na1.adobelogin.com or an https URL under adobelogin.com (http is accepted for 127.0.0.1, [::1] and localhost only).'
  it.each([
    ['http://ims-na1.adobelogin.com', 'must use https'],
    ['https://adobelogin.com', 'names a host that is not an Adobe IMS host (https://adobelogin.com)'],
    ['https://evil-adobelogin.com', 'names a host that is not an Adobe IMS host (https://evil-adobelogin.com)'],
    ['http://10.0.0.1', 'names a host that is not an Adobe IMS host (http://10.0.0.1)'],
    ['https://user:pass@ims-na1.adobelogin.com', 'must not carry a user name or password'],
    ['https://user@ims-na1.adobelogin.com', 'must not carry a user name or password'],
    ['https://:pass@ims-na1.adobelogin.com', 'must not carry a user name or password'],
    // A scheme only at the start makes a URL: this is a host with a fragment.
    ['ims-na1.adobelogin.com#https://', 'must name only the scheme, host and port, without a path, query or fragment'],
    ['https://ims-na1.adobelogin.com/ims', 'must name only the scheme, host and port, without a path, query or fragment'],
    ['https://ims-na1.adobelogin.com?x=1', 'must name only the scheme, host and port, without a path, query or fragment'],
    ['https://ims-na1.adobelogin.com#x', 'must name only the scheme, host and port, without a path, query or fragment'],
    ['file:///etc/passwd', 'uses a scheme other than https (file:///etc/passwd)'],
    ['ims na1', 'is neither a host name nor a URL'],
    ['', 'is neither a host name nor a URL'],
    // Quoted only whole, on one line and of plain characters: never a value with a space or a line break,
    // which the parser would have changed, nor a long one (a pasted secret).
    ['file:///etc/pass wd', 'uses a scheme other than https'],
    ['https://evil.example\n.com', 'names a host that is not an Adobe IMS host'],
    ['https://evil.example\t.com', 'names a host that is not an Adobe IMS host'],
    [`https://${'a'.repeat(92)}.example`, 'names a host that is not an Adobe IMS host'],
  ])('refuses %j: it %s', (endpoint, reason) => {
    expect(() => imsOriginOf(endpoint, 'input ims-endpoint')).toThrow(new InputError(`Input ims-endpoint ${reason}. ${advice}`))
  })

  it('takes a value with blanks and a line break around it, as a credentials field may hold it', () => {
    expect(imsOriginOf(' \thttps://ims-na1.adobelogin.com \n', 'input ims-endpoint')).toBe('https://ims-na1.adobelogin.com')
  })

  it('quotes a value of exactly 100 plain characters, and names where it came from', () => {
    const endpoint = `https://${'a'.repeat(84)}.example`
    expect(endpoint).toHaveLength(100)
    expect(() => imsOriginOf(endpoint, 'the credentials field ims_endpoint')).toThrow(
      new InputError(`The credentials field ims_endpoint names a host that is not an Adobe IMS host (${endpoint}). ${advice}`),
    )
  })
})
