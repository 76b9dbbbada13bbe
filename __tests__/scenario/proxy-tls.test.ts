/**
 * Proxies and TLS-inspecting networks, end to end: the emulator serves TLS with a certificate for
 * ims-na1.adobelogin.com from a CA made at test time, a CONNECT proxy on loopback tunnels to it, and the
 * action runs with the default endpoint, HTTPS_PROXY and NODE_EXTRA_CA_CERTS.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ConnectProxy } from '../../emulator/connect-proxy.js'
import { DIST, runAction, runActionWithPost } from '../../emulator/runner.js'
import { expectMaskedBeforeAnyUse, expectOneErrorLine } from '../support/expectations.js'
import {
  type ImsEmulator,
  makeServiceCredentials,
  type ServiceCredentials,
  IMS_HOST,
  imsBehindProxy,
  LIST_BUILTINS,
  RESOLVE_TO_LOOPBACK,
} from '../support/fixtures.js'

/**
 * NODE_USE_SYSTEM_CA=1 came with Node.js 24.6 (and 22.19). On Linux, Node then reads the store OpenSSL
 * reads, which SSL_CERT_FILE can point at the test CA; on Windows and macOS the store is the system's own,
 * which a test must not change.
 */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
const systemCaTestable = process.platform === 'linux' && (major > 24 || (major === 24 && minor >= 6) || (major === 22 && minor >= 19))

let emulator: ImsEmulator
let proxy: ConnectProxy
let service: ServiceCredentials
let dir: string
let caFile: string

beforeAll(async () => {
  service = await makeServiceCredentials()
  dir = mkdtempSync(join(tmpdir(), 'ims-ca-'))
  ;({ ims: emulator, proxy, caFile } = await imsBehindProxy('test', dir, [service.integration]))
})
afterAll(async () => {
  await proxy.close()
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('through an https proxy', () => {
  it('reaches IMS at its real host name through the proxy, trusting the extra CA', async () => {
    const [tunnels, requests] = [proxy.tunnels.length, emulator.requests.length]
    // The service credentials name ims-na1.adobelogin.com; no ims-endpoint is given.
    const run = await runAction({ credentials: service.json }, { env: { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile } })
    expect(run.log).not.toContain('Error')
    expect(run.exitCode).toBe(0)
    expect(proxy.tunnels.slice(tunnels)).toEqual([`${IMS_HOST}:443`])
    expect(emulator.requests.slice(requests)).toMatchObject([{ path: '/ims/exchange/jwt', status: 200 }])
    expect(run.log).toContain(
      `Getting an IMS access token for client ${service.integration.clientId} from https://${IMS_HOST} with the service-account (JWT) flow.`,
    )
    expect(run.log).toContain(`Connecting through the proxy ${proxy.url.replace('http://', '')} (from the environment's proxy settings).`)
    expectMaskedBeforeAnyUse(run, { token: run.outputs['access-token'] ?? 'missing', 'client secret': service.integration.clientSecret })
  })

  it('takes https_proxy in lower case too, and masks a password in it', async () => {
    const tunnels = proxy.tunnels.length
    const withLogin = proxy.url.replace('http://', 'http://builder:s3cret-proxy-pass@')
    const run = await runAction({ credentials: service.json }, { env: { https_proxy: withLogin, NODE_EXTRA_CA_CERTS: caFile } })
    expect(run.exitCode).toBe(0)
    expect(proxy.tunnels.length).toBe(tunnels + 1)
    expectMaskedBeforeAnyUse(run, { 'proxy password': 's3cret-proxy-pass' })
  })

  it('fails at once, without retrying, when the network’s CA is not trusted, and says how to trust it', async () => {
    const [tunnels, requests] = [proxy.tunnels.length, emulator.requests.length]
    const run = await runAction({ credentials: service.json }, { env: { HTTPS_PROXY: proxy.url } })
    const error = expectOneErrorLine(run)
    // Between the parentheses is Node's own wording, which changes between versions (24 adds advice).
    expect(error).toMatch(
      /^Error: Could not get an answer from IMS for the JWT exchange at ims-na1\.adobelogin\.com: the TLS certificate was not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE: [^\n]*\)\. /,
    )
    expect(error).toContain(
      "If your network inspects TLS, set NODE_EXTRA_CA_CERTS in the step's env to a file holding its CA certificate, or, where that CA is installed in the operating system's certificate store, NODE_USE_SYSTEM_CA=1 (Node.js 24) to trust that store",
    )
    expect(error).not.toContain('Gave up after')
    expect(run.log).not.toContain('retrying')
    expect(proxy.tunnels.length).toBe(tunnels + 1)
    expect(emulator.requests.length).toBe(requests)
  })

  const itWithSystemCa = systemCaTestable ? it : it.skip
  itWithSystemCa('trusts the operating system’s certificate store with NODE_USE_SYSTEM_CA=1 (Linux, Node.js 24.6 and later)', async () => {
    // The test CA stands in for a corporate CA installed in the system store: Node reads it from
    // SSL_CERT_FILE only when NODE_USE_SYSTEM_CA asks for the system store.
    const store = { HTTPS_PROXY: proxy.url, SSL_CERT_FILE: caFile }
    const untrusted = await runAction({ credentials: service.json }, { env: store })
    expect(expectOneErrorLine(untrusted)).toContain('the TLS certificate was not trusted')

    const [tunnels, requests] = [proxy.tunnels.length, emulator.requests.length]
    const run = await runAction({ credentials: service.json }, { env: { ...store, NODE_USE_SYSTEM_CA: '1' } })
    expect(run.log).not.toContain('Error')
    expect(run.exitCode).toBe(0)
    expect(proxy.tunnels.slice(tunnels)).toEqual([`${IMS_HOST}:443`])
    expect(emulator.requests.slice(requests)).toMatchObject([{ path: '/ims/exchange/jwt', status: 200 }])
    expect(run.outputs['access-token']).toBeTruthy()
  })

  it('keeps to request-timeout when a proxy never answers CONNECT, and exits', async () => {
    const silent = createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = silent.address() as AddressInfo
      const run = await runAction(
        { credentials: service.json, 'request-timeout': '1', 'max-attempts': '2' },
        { env: { HTTPS_PROXY: `http://127.0.0.1:${port}`, NODE_EXTRA_CA_CERTS: caFile } },
      )
      // The second attempt gets twice the time of the first, which ran out of it.
      expect(expectOneErrorLine(run)).toMatch(
        /^Error: Could not get an answer from IMS for the JWT exchange at ims-na1\.adobelogin\.com: no whole answer within 2 s\. Gave up after 2 attempts over [34]\.\d s \(max-attempts is 2\)\.$/,
      )
      expect(run.log).toMatch(
        /^Attempt 1 of 2 failed: no whole answer within 1 s; retrying in [01]\.\d s \(backoff with jitter\), and allowing 2 s for the next attempt instead of 1 s\.$/m,
      )
    } finally {
      silent.close()
    }
  })

  it('goes straight to IMS when NO_PROXY names its domain', async () => {
    const [tunnels, requests] = [proxy.tunnels.length, emulator.requests.length]
    const run = await runAction(
      { credentials: service.json, 'ims-endpoint': `https://${IMS_HOST}:${emulator.port}` },
      {
        env: {
          HTTPS_PROXY: proxy.url,
          NO_PROXY: 'example.com,adobelogin.com',
          NODE_EXTRA_CA_CERTS: caFile,
          NODE_OPTIONS: `--import=${RESOLVE_TO_LOOPBACK}`,
        },
      },
    )
    expect(run.log).not.toContain('Error')
    expect(run.exitCode).toBe(0)
    expect(proxy.tunnels.length).toBe(tunnels)
    expect(emulator.requests.length).toBe(requests + 1)
    expect(run.log).not.toContain('Connecting through the proxy')
  })
})

describe('tunnel, which carries requests through proxies', () => {
  // tunnel is the only code in dist/index.js that loads node:assert; the bundle loads tunnel on first use.
  // Always the bundle, also under `npm run coverage`: the stand-in that defers tunnel exists only there.
  it('is loaded only when a proxy is used', async () => {
    const endpoint = `https://${IMS_HOST}:${emulator.port}`
    const direct = await runAction(
      { credentials: service.json, 'ims-endpoint': endpoint },
      { bundle: DIST, env: { NODE_EXTRA_CA_CERTS: caFile, NODE_OPTIONS: `--import=${RESOLVE_TO_LOOPBACK} --import=${LIST_BUILTINS}` } },
    )
    const proxied = await runAction(
      { credentials: service.json },
      { bundle: DIST, env: { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile, NODE_OPTIONS: `--import=${LIST_BUILTINS}` } },
    )
    expect([direct.exitCode, proxied.exitCode]).toEqual([0, 0])
    expect(direct.stderr.split('\n')).toContain('NativeModule https')
    expect(direct.stderr.split('\n')).not.toContain('NativeModule assert')
    expect(proxied.stderr.split('\n')).toContain('NativeModule assert')
  })
})

describe('the post step through a proxy', () => {
  it('reads the proxy as the main step does: one without a scheme, with a password, carries the invalidation too', async () => {
    const [tunnels, requests] = [proxy.tunnels.length, emulator.requests.length]
    // As curl reads it: `user:password@host:port` is an http proxy, though a URL parser takes `builder:` for a scheme.
    const withoutScheme = proxy.url.replace('http://', 'builder:s3cret-post-pass@')
    const { main, post } = await runActionWithPost(
      { credentials: service.json, 'invalidate-token': 'true' },
      { env: { https_proxy: withoutScheme, NODE_EXTRA_CA_CERTS: caFile } },
    )
    expect([main.exitCode, post.exitCode]).toEqual([0, 0])
    expect(post.log).not.toContain('Warning')
    expect(post.log).toContain('The access token was invalidated at IMS.')
    expect(proxy.tunnels.slice(tunnels)).toEqual([`${IMS_HOST}:443`, `${IMS_HOST}:443`])
    expect(emulator.requests.slice(requests)).toMatchObject([
      { path: '/ims/exchange/jwt', status: 200 },
      { path: '/ims/invalidate_token/v2', status: 200 },
    ])
    expectMaskedBeforeAnyUse(post, { 'proxy password': 's3cret-post-pass' })
  })
})
