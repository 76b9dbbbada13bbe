import { generateKeyPairSync } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeTlsAuthority } from '../../emulator/certificates.js'
import { ConnectProxy } from '../../emulator/connect-proxy.js'
import { ImsEmulator, type JwtIntegration } from '../../emulator/ims-emulator.js'
import { makeServiceCredentials, type ServiceCredentials, type ServiceCredentialsOptions } from '../../emulator/throwaway-credentials.js'

export { ImsEmulator, makeServiceCredentials, type ServiceCredentials }

/** IMS's real host name, which the emulators below answer for on loopback. */
export const IMS_HOST = 'ims-na1.adobelogin.com'

/**
 * Preloaded with `--import` to resolve IMS_HOST to loopback in the action's process. A file:// URL, not a
 * path: Node's ESM loader takes no drive-letter path (C:\...) in --import.
 */
export const RESOLVE_TO_LOOPBACK = new URL('./resolve-ims-to-loopback.mjs', import.meta.url).href

/** Preloaded with `--import` to list, on stderr at exit, the Node.js built-ins a process loaded. */
export const LIST_BUILTINS = `data:text/javascript,${encodeURIComponent("process.on('exit', () => process.stderr.write(process.moduleLoadList.join('\\n')))")}`

/**
 * IMS at its real host name, as a runner behind a corporate proxy reaches it: TLS with a certificate from
 * a CA of its own, made now (its PEM written to `<dir>/<name>-ca.pem`), behind a CONNECT proxy on loopback.
 */
export async function imsBehindProxy(
  name: string,
  dir: string,
  integrations: readonly JwtIntegration[],
): Promise<{ ims: ImsEmulator; proxy: ConnectProxy; caFile: string }> {
  const authority = await makeTlsAuthority([IMS_HOST])
  const ims = await ImsEmulator.start({ integrations, tls: { key: authority.serverKeyPem, cert: authority.serverCertPem } })
  const proxy = await ConnectProxy.start({ host: '127.0.0.1', port: ims.port })
  const caFile = join(dir, `${name}-ca.pem`)
  writeFileSync(caFile, authority.caPem)
  return { ims, proxy, caFile }
}

/** An emulator with one registered service-account integration. */
export async function emulatorWithIntegration(
  options: ServiceCredentialsOptions = {},
): Promise<{ emulator: ImsEmulator; service: ServiceCredentials }> {
  const service = await makeServiceCredentials(options)
  const emulator = await ImsEmulator.start({ integrations: [service.integration] })
  return { emulator, service }
}

/** The separate inputs for a service credential, as a workflow would pass them one by one. */
export function separateInputs(service: ServiceCredentials, emulator: ImsEmulator): Record<string, string> {
  const { integration } = service
  return {
    'client-id': integration.clientId,
    'client-secret': integration.clientSecret,
    'technical-account-id': integration.technicalAccountId,
    'org-id': integration.orgId,
    'private-key': service.privateKeyPem,
    metascopes: integration.metascopes.join(','),
    'ims-endpoint': emulator.origin,
  }
}

/** An RSA key that belongs to no integration. */
export function strangerKeyPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
}

/**
 * Variable names the two security reviews found export-env accepting, each one a tool reads as configuration
 * (the second review's, MAKEFLAGS to GO111MODULE, got through the deny-list the name's shape replaced).
 */
export const REVIEWED_CONFIGURATION_NAMES = [
  'BASH_ENV',
  'ENV',
  'LD_PRELOAD',
  'DYLD_INSERT_LIBRARIES',
  'NODE_EXTRA_CA_CERTS',
  'HTTPS_PROXY',
  'GIT_SSH_COMMAND',
  'PROMPT_COMMAND',
  'ld_preload',
  'MAKEFLAGS',
  'CFLAGS',
  'CC',
  'GLIBC_TUNABLES',
  'GCONV_PATH',
  'SUDO_ASKPASS',
  'TF_CLI_ARGS',
  'KUBECONFIG',
  'AWS_CA_BUNDLE',
  'SSLKEYLOGFILE',
  'GO111MODULE',
] as const
