/**
 * The places a trusted action must not bend, from an independent security review: names `export-env`
 * refuses, TLS that cannot be switched off from outside, proxy URLs as curl reads them, a refused
 * endpoint echoed only as given, a job summary that holds no markup from IMS, and IMS on [::1]. Each
 * runs the bundle as the runner does against local servers, hostile where that is the point.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ConnectProxy } from '../../emulator/connect-proxy.js'
import { runAction } from '../../emulator/runner.js'
import { expectOneErrorLine } from '../support/expectations.js'
import {
  ImsEmulator,
  makeServiceCredentials,
  REVIEWED_CONFIGURATION_NAMES,
  separateInputs,
  type ServiceCredentials,
  IMS_HOST,
  imsBehindProxy,
  RESOLVE_TO_LOOPBACK,
} from '../support/fixtures.js'
import { expectNoSecretFragments } from '../support/leak-search.js'

/** Whether this machine can listen on IPv6 loopback (some containers and CI hosts have IPv4 only). */
const ipv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = createServer()
  probe.once('error', () => resolve(false))
  probe.listen(0, '::1', () => probe.close(() => resolve(true)))
})

let service: ServiceCredentials
/** IMS at its real host name, with a certificate from a CA the tests trust through NODE_EXTRA_CA_CERTS. */
let trusted: ImsEmulator
let trustedProxy: ConnectProxy
/** A server that answers as IMS would, with a certificate from a CA nobody trusts. */
let hostile: ImsEmulator
let hostileProxy: ConnectProxy
/** Plain http, for the checks made before any request. */
let plain: ImsEmulator
let dir: string
let caFile: string

beforeAll(async () => {
  service = await makeServiceCredentials()
  const integrations = [service.integration]
  dir = mkdtempSync(join(tmpdir(), 'ims-hardening-'))
  ;({ ims: trusted, proxy: trustedProxy, caFile } = await imsBehindProxy('trusted', dir, integrations))
  // Its CA's file is left unused: nobody trusts it.
  ;({ ims: hostile, proxy: hostileProxy } = await imsBehindProxy('hostile', dir, integrations))
  plain = await ImsEmulator.start({ integrations })
})
afterAll(async () => {
  await Promise.all([trustedProxy.close(), hostileProxy.close()])
  await Promise.all([trusted.close(), hostile.close(), plain.close()])
  rmSync(dir, { recursive: true, force: true })
})

const secretsOf = (service: ServiceCredentials): Record<string, string> => ({
  'client secret': service.integration.clientSecret,
  'private key': service.privateKeyPem,
})

describe('export-env', () => {
  const SHAPE_ERROR =
    "Error: Input export-env must be a name that ends in _TOKEN (letters, digits and _, starting with a letter), such as IMS_ACCESS_TOKEN or AEM_ACCESS_TOKEN: a name of another shape may be one that a later step's tools read as configuration. Names under the prefixes the runner and common tools own are refused too (listed in the input's description)."

  it.each(REVIEWED_CONFIGURATION_NAMES)('refuses %s by its shape, before any request, exporting nothing', async (name) => {
    const requests = plain.requests.length
    const run = await runAction({ credentials: service.json, 'ims-endpoint': plain.origin, 'export-env': name })
    expect(expectOneErrorLine(run)).toBe(SHAPE_ERROR)
    expect(plain.requests.length).toBe(requests)
    expect(run.files.env).toBe('')
    expect(run.outputs).toEqual({})
  })

  it.each([
    ['NODE_AUTH_TOKEN', 'NODE_', 'a language runtime or package manager'],
    ['GITHUB_TOKEN', 'GITHUB_', 'the runner and actions'],
    ['aws_session_token', 'AWS_', 'a cloud or service CLI'],
  ])('refuses %s, under the prefix %s that a tool owns', async (name, prefix, readBy) => {
    const requests = plain.requests.length
    const run = await runAction({ credentials: service.json, 'ims-endpoint': plain.origin, 'export-env': name })
    expect(expectOneErrorLine(run)).toBe(
      `Error: Input export-env names a variable under ${prefix} (read by ${readBy}): the token there would change how later steps run. Choose another name that ends in _TOKEN, such as IMS_ACCESS_TOKEN or AEM_ACCESS_TOKEN.`,
    )
    expect(plain.requests.length).toBe(requests)
    expect(run.files.env).toBe('')
  })

  it.each(['AEM_ACCESS_TOKEN', 'IMS_TOKEN', 'IMS_ACCESS_TOKEN'])('exports the token as %s', async (name) => {
    const run = await runAction({ credentials: service.json, 'ims-endpoint': plain.origin, 'export-env': name })
    expect(run.exitCode).toBe(0)
    expect(run.exportedEnv).toEqual({ [name]: run.outputs['access-token'] })
  })
})

describe('TLS verification', () => {
  const TLS_WARNING =
    "Warning: NODE_TLS_REJECT_UNAUTHORIZED is set in this step's environment and ignored: this action always verifies IMS's TLS certificate."

  it('stays on with NODE_TLS_REJECT_UNAUTHORIZED=0: nothing reaches a server nobody trusts', async () => {
    const requests = hostile.requests.length
    const run = await runAction(
      { credentials: service.json, 'ims-endpoint': `https://${IMS_HOST}:${hostile.port}` },
      { env: { NODE_TLS_REJECT_UNAUTHORIZED: '0', NODE_OPTIONS: `--import=${RESOLVE_TO_LOOPBACK}` } },
    )
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: Could not get an answer from IMS for the JWT exchange at ims-na1\.adobelogin\.com:\d+: the TLS certificate was not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE: /,
    )
    expect(run.log.split('\n').filter((line) => line.startsWith('Warning: '))).toEqual([TLS_WARNING])
    // Node's own warning about the variable would mean it was still in force.
    expect(run.stderr).not.toContain('NODE_TLS_REJECT_UNAUTHORIZED')
    expect(hostile.requests.length).toBe(requests)
    expect(run.outputs).toEqual({})
    expectNoSecretFragments(run, secretsOf(service))
  })

  it('stays on through a proxy, whose tunnel builds TLS options of its own', async () => {
    const [tunnels, requests] = [hostileProxy.tunnels.length, hostile.requests.length]
    const run = await runAction(
      { credentials: service.json },
      { env: { NODE_TLS_REJECT_UNAUTHORIZED: '0', HTTPS_PROXY: hostileProxy.url } },
    )
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: Could not get an answer from IMS for the JWT exchange at ims-na1\.adobelogin\.com: the TLS certificate was not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE: /,
    )
    expect(run.log.split('\n').filter((line) => line.startsWith('Warning: '))).toEqual([TLS_WARNING])
    expect(run.stderr).not.toContain('NODE_TLS_REJECT_UNAUTHORIZED')
    expect(hostileProxy.tunnels.slice(tunnels)).toEqual([`${IMS_HOST}:443`])
    expect(hostile.requests.length).toBe(requests)
    expectNoSecretFragments(run, secretsOf(service))
  })
})

describe('proxy URLs', () => {
  const PASSWORD = 'Pr0xy-Pa55w0rd_Zq9Lm'

  it('reads one without a scheme as http://, uses it, says so, and shows no piece of its password', async () => {
    const [tunnels, requests] = [trustedProxy.tunnels.length, trusted.requests.length]
    const address = trustedProxy.url.replace('http://', '')
    const run = await runAction(
      { credentials: service.json },
      { env: { HTTPS_PROXY: `builder:${PASSWORD}@${address}`, NODE_EXTRA_CA_CERTS: caFile, RUNNER_DEBUG: '1' } },
    )
    expect(run.log).not.toContain('Error')
    expect(run.exitCode).toBe(0)
    expect(trustedProxy.tunnels.slice(tunnels)).toEqual([`${IMS_HOST}:443`])
    expect(trusted.requests.slice(requests)).toMatchObject([{ path: '/ims/exchange/jwt', status: 200 }])
    expect(run.log).toContain(`Connecting through the proxy ${address} (from the environment's proxy settings).`)
    expectNoSecretFragments(run, { 'proxy password': PASSWORD, ...secretsOf(service) })
  })

  it.each([
    ['HTTPS_PROXY', `socks5://builder:${PASSWORD}@proxy.example:1080`, 'uses a scheme other than http or https'],
    ['https_proxy', `http://builder:${PASSWORD}@[proxy.example`, 'is not a URL'],
  ])('fails on %s=%s, naming the variable, before any request', async (variable, value, why) => {
    const requests = trusted.requests.length
    const run = await runAction({ credentials: service.json }, { env: { [variable]: value, NODE_EXTRA_CA_CERTS: caFile } })
    expect(expectOneErrorLine(run)).toBe(
      `Error: The proxy in ${variable} ${why}. Give it as http://host:port (a user and password may come before the host: http://user:password@host:port).`,
    )
    expect(run.log).not.toContain('Connecting through the proxy')
    expect(trusted.requests.length).toBe(requests)
    expectNoSecretFragments(run, { 'proxy password': PASSWORD })
  })
})

describe('a refused ims-endpoint', () => {
  it('is echoed only as given, so a secret pasted there stays masked, every piece of it', async () => {
    // A client secret pasted as ims-endpoint by mistake; the runner masks it as the secret it is.
    const secret = 'p8e-Q3vYk2_Lm9-Rt7ZpXw4NcB'
    const requests = plain.requests.length
    const run = await runAction({ ...separateInputs(service, plain), 'client-secret': secret, 'ims-endpoint': secret })
    expect(expectOneErrorLine(run)).toBe(
      'Error: Input ims-endpoint names a host that is not an Adobe IMS host (***). Give a host such as ims-na1.adobelogin.com or an https URL under adobelogin.com (http is accepted for 127.0.0.1, [::1] and localhost only).',
    )
    expect(plain.requests.length).toBe(requests)
    expectNoSecretFragments(run, { 'pasted secret': secret })
  })
})

describe('the job summary', () => {
  it('escapes markup that a hostile IMS put into the token’s scope claim', async () => {
    // An answer IMS never gives: a JWT-shaped token whose scope claim is HTML, which the summary shows.
    const scope = '<img src=x onerror=alert(1)>,</table><a href="https://evil.example">click</a>,it\'s & more'
    const payload = Buffer.from(JSON.stringify({ type: 'access_token', scope })).toString('base64url')
    const body = JSON.stringify({
      token_type: 'bearer',
      access_token: `eyJhbGciOiJSUzI1NiJ9.${payload}.c2lnbmF0dXJl`,
      expires_in: 86_399_999,
    })
    plain.injectFaults({ kind: 'answer', status: 200, headers: { 'content-type': 'application/json;charset=utf-8' }, body })
    const run = await runAction({ credentials: service.json, 'ims-endpoint': plain.origin })
    expect(run.exitCode).toBe(0)
    const summary = run.files.summary
    expect(summary).toContain(
      '&lt;img src=x onerror=alert(1)&gt;, &lt;/table&gt;&lt;a href=&quot;https://evil.example&quot;&gt;click&lt;/a&gt;, it&#39;s &amp; more',
    )
    expect(summary).not.toMatch(/<img|<a |"https:\/\/evil/)
    expect(summary.match(/<\/?table>/g)).toEqual(['<table>', '</table>'])
  })
})

describe('IMS on [::1]', () => {
  // Skipped only where the machine has no IPv6 loopback to listen on, which the documented address needs.
  const itWithIpv6 = ipv6Loopback ? it : it.skip
  itWithIpv6('is reached at http://[::1]:port, as documented', async () => {
    const emulator = await ImsEmulator.start({ integrations: [service.integration], host: '::1' })
    try {
      expect(emulator.origin).toBe(`http://[::1]:${emulator.port}`)
      const run = await runAction({ ...separateInputs(service, emulator) })
      expect(run.log).not.toContain('Error')
      expect(run.exitCode).toBe(0)
      expect(run.log).toContain(`from http://[::1]:${emulator.port} with the service-account (JWT) flow.`)
      expect(emulator.requests).toMatchObject([{ path: '/ims/exchange/jwt', status: 200 }])
      expect(run.outputs['access-token']).toBe(emulator.requests[0]?.accessToken)
    } finally {
      await emulator.close()
    }
  })
})
