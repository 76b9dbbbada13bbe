/**
 * postForm's own TLS verification, the layer under environment.ts: even where NODE_TLS_REJECT_UNAUTHORIZED=0
 * is still in the process's environment (environment.ts removes it at the entry, so no scenario can show
 * this layer alone), a certificate the process does not trust stops the request, directly and through a
 * proxy.
 */
import { runInThisContext } from 'node:vm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { makeTlsAuthority } from '../../emulator/certificates.js'
import { ConnectProxy } from '../../emulator/connect-proxy.js'
import { ImsEmulator } from '../../emulator/ims-emulator.js'
import { postForm } from '../../src/lib/http-form.js'

const IMS_HOST = 'ims-na1.adobelogin.com'
const UNTRUSTED =
  /^the TLS certificate was not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY): /
/**
 * The worker's own environment, which Node's TLS code reads at each connection. Jest gives each test file a
 * copy of it as `process.env`, which Node never reads; @actions/http-client reads the proxy from whichever
 * of the two its loader gave it, so the proxy goes in both.
 */
const nodeEnv = (runInThisContext('process') as NodeJS.Process).env
const TLS_SWITCH = 'NODE_TLS_REJECT_UNAUTHORIZED'
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const
const envs = [nodeEnv, process.env]
const saved = envs.map((env) => Object.fromEntries([TLS_SWITCH, ...PROXY_VARIABLES].map((name) => [name, env[name]])))

let emulator: ImsEmulator
let proxy: ConnectProxy
beforeAll(async () => {
  // The CA is never handed to this process: the emulator's certificate is untrusted here.
  const authority = await makeTlsAuthority([IMS_HOST])
  emulator = await ImsEmulator.start({ tls: { key: authority.serverKeyPem, cert: authority.serverCertPem } })
  proxy = await ConnectProxy.start({ host: '127.0.0.1', port: emulator.port })
  nodeEnv[TLS_SWITCH] = '0'
})
beforeEach(() => {
  for (const env of envs) for (const name of PROXY_VARIABLES) delete env[name]
})
afterAll(async () => {
  envs.forEach((env, index) => {
    for (const [name, value] of Object.entries(saved[index] ?? {})) {
      if (value === undefined) delete env[name]
      else env[name] = value
    }
  })
  await proxy.close()
  await emulator.close()
})

describe('postForm with NODE_TLS_REJECT_UNAUTHORIZED=0 left in the environment', () => {
  it('refuses an untrusted certificate on a direct connection', async () => {
    const requests = emulator.requests.length
    await expect(postForm(`https://127.0.0.1:${emulator.port}/ims/token/v3`, { grant_type: 'client_credentials' }, 5000)).rejects.toThrow(
      UNTRUSTED,
    )
    expect(emulator.requests.length).toBe(requests)
  })

  it('refuses an untrusted certificate through a proxy', async () => {
    for (const env of envs) env['HTTPS_PROXY'] = proxy.url
    const [tunnels, requests] = [proxy.tunnels.length, emulator.requests.length]
    await expect(postForm(`https://${IMS_HOST}/ims/token/v3`, { grant_type: 'client_credentials' }, 5000)).rejects.toThrow(UNTRUSTED)
    expect(proxy.tunnels.slice(tunnels)).toEqual([`${IMS_HOST}:443`])
    expect(emulator.requests.length).toBe(requests)
  })
})
