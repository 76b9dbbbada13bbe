import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { networkFingerprint, prepareEnvironment, proxyUrlOf } from '../../src/lib/environment.js'
import { InputError } from '../../src/lib/errors.js'
import { RecordingReporter } from '../support/recording-reporter.js'

describe('proxyUrlOf', () => {
  it.each([
    ['http://proxy.example:3128', 'http://proxy.example:3128/', []],
    ['HTTPS://proxy.example', 'https://proxy.example/', []],
    // As curl reads them: no scheme means http.
    ['proxy.example:3128', 'http://proxy.example:3128/', []],
    ['user:pa55-word@proxy.example:3128', 'http://user:pa55-word@proxy.example:3128/', ['pa55-word']],
    ['http://builder:s3cr%40t-pass@proxy:3128', 'http://builder:s3cr%40t-pass@proxy:3128/', ['s3cr%40t-pass', 's3cr@t-pass']],
    // The parser takes the last @; both pieces and the whole are masked.
    ['http://builder:pass@word@proxy:3128', 'http://builder:pass%40word@proxy:3128/', ['pass@word', 'pass%40word']],
    ['http://only-user@proxy:3128', 'http://only-user@proxy:3128/', []],
  ])('reads %s as %s, masking %j', (value, href, masks) => {
    const reporter = new RecordingReporter()
    expect(proxyUrlOf('HTTPS_PROXY', value, reporter).href).toBe(href)
    expect(new Set(reporter.masks)).toEqual(new Set(masks))
    expect(reporter.lines).toEqual([])
  })

  it.each([
    ['http://', 'is not a URL'],
    ['http://user:pa55-w0rd@[bad', 'is not a URL'],
    ['socks5://user:pa55-w0rd@proxy:1080', 'uses a scheme other than http or https'],
    // @actions/http-client cannot decode it, drops the proxy and goes direct.
    ['http://user:100%pure-pa55@proxy:3128', 'has a user or password that is not valid percent-encoding (write % itself as %25)'],
  ])('refuses %s, naming the variable, without quoting it, its password masked', (value, why) => {
    const reporter = new RecordingReporter()
    const refuse = (): URL => proxyUrlOf('https_proxy', value, reporter)
    expect(refuse).toThrow(InputError)
    expect(refuse).toThrow(
      `The proxy in https_proxy ${why}. Give it as http://host:port (a user and password may come before the host: http://user:password@host:port).`,
    )
    if (value.includes('pa55-w0rd')) expect(reporter.masks).toContain('pa55-w0rd')
  })
})

describe('prepareEnvironment', () => {
  it('removes NODE_TLS_REJECT_UNAUTHORIZED with one warning, whatever its value', () => {
    for (const value of ['0', '1', '']) {
      const env: Record<string, string | undefined> = { NODE_TLS_REJECT_UNAUTHORIZED: value, OTHER: 'x' }
      const reporter = new RecordingReporter()
      prepareEnvironment(env, reporter)
      expect(env).toEqual({ OTHER: 'x' })
      expect(reporter.lines).toEqual([
        "warning: NODE_TLS_REJECT_UNAUTHORIZED is set in this step's environment and ignored: this action always verifies IMS's TLS certificate.",
      ])
    }
  })

  it('writes each proxy variable back as the URL it was read as, and leaves empty ones and NO_PROXY alone', () => {
    const env: Record<string, string | undefined> = {
      https_proxy: ' user:secret-pass@proxy.example:3128 ',
      HTTPS_PROXY: 'http://proxy.example:3128',
      http_proxy: '',
      NO_PROXY: 'example.com',
    }
    const reporter = new RecordingReporter()
    prepareEnvironment(env, reporter)
    expect(env).toEqual({
      https_proxy: 'http://user:secret-pass@proxy.example:3128/',
      HTTPS_PROXY: 'http://proxy.example:3128/',
      http_proxy: '',
      NO_PROXY: 'example.com',
    })
    expect(new Set(reporter.masks)).toEqual(new Set(['secret-pass']))
    expect(reporter.lines).toEqual([])
  })

  it('fails on a proxy variable it cannot read', () => {
    expect(() => prepareEnvironment({ HTTP_PROXY: 'ftp://proxy:21' }, new RecordingReporter())).toThrow(
      /^The proxy in HTTP_PROXY uses a scheme other than http or https\./,
    )
  })
})

describe('networkFingerprint', () => {
  const base = { HTTPS_PROXY: 'http://user:pa55-w0rd@proxy.example:3128/', NO_PROXY: 'example.com', PATH: '/bin' }

  it('is a SHA-256 that holds none of the values', () => {
    expect(networkFingerprint(base)).toMatch(/^[0-9a-f]{64}$/)
    expect(networkFingerprint(base)).toBe(networkFingerprint({ ...base }))
  })

  it.each([
    ['another proxy', { https_proxy: 'http://other.example:3128/' }],
    ['a proxy for http', { HTTP_PROXY: 'http://other.example:3128/' }],
    ['another NO_PROXY', { NO_PROXY: '*' }],
    ['a CA file', { NODE_EXTRA_CA_CERTS: 'ca.pem' }],
    ['the system store', { NODE_USE_SYSTEM_CA: '1' }],
    ['OpenSSL’s CA file', { SSL_CERT_FILE: 'ca.pem' }],
    ['a certificate option', { NODE_OPTIONS: '--max-old-space-size=4096 --use-openssl-ca' }],
  ])('changes with %s', (_change, change) => {
    expect(networkFingerprint({ ...base, ...change })).not.toBe(networkFingerprint(base))
  })

  it('does not change with other variables or NODE_OPTIONS that trust nothing', () => {
    expect(networkFingerprint({ ...base, PATH: '/usr/bin', NODE_OPTIONS: '--max-old-space-size=4096' })).toBe(networkFingerprint(base))
  })

  it('changes when the CA file is rewritten in place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'network-fingerprint-'))
    try {
      const file = join(dir, 'ca.pem')
      writeFileSync(file, 'one CA')
      const before = networkFingerprint({ ...base, NODE_EXTRA_CA_CERTS: file })
      writeFileSync(file, 'another CA')
      expect(networkFingerprint({ ...base, NODE_EXTRA_CA_CERTS: file })).not.toBe(before)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('proxyUrlOf, where a scheme counts', () => {
  it('takes a scheme only at the start: a proxy without one is http, whatever its query holds', () => {
    const reporter = new RecordingReporter()
    expect(proxyUrlOf('HTTPS_PROXY', 'proxy.example:3128/?next=https://elsewhere', reporter).href).toBe(
      'http://proxy.example:3128/?next=https://elsewhere',
    )
    expect(reporter.events).toEqual([])
  })
})
