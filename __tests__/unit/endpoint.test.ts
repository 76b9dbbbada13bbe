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
