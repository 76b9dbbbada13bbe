/**
 * The step's environment as the requests to IMS read it, made safe at the entry before any request:
 * TLS verification cannot be switched off from outside, and proxy URLs are read the one way curl reads
 * them, so the proxy the log names is the proxy the request uses. @actions/http-client and Node read
 * these variables themselves at request time, so the fix is made in the environment itself.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { InputError } from './errors.js'
import { maskSecretText, type Reporter } from './reporter.js'

/** The variables @actions/http-client takes a proxy from, in the order it looks (lower case first). */
export const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const

/** Node reads it at each TLS connection; '0' would send the credentials to any server at all. */
const TLS_SWITCH = 'NODE_TLS_REJECT_UNAUTHORIZED'

function maskPassword(password: string, reporter: Reporter): void {
  if (password === '') return
  maskSecretText(reporter, password)
  try {
    maskSecretText(reporter, decodeURIComponent(password))
  } catch {
    // Not valid percent-encoding: masked as written.
  }
}

/**
 * Reads a proxy URL as curl does: without a scheme it is http. Masks its password (decoded, and as
 * written) before anything else; fails naming the variable, never quoting it, when it is no http or
 * https URL.
 */
export function proxyUrlOf(variable: string, value: string, reporter: Reporter): URL {
  // `user:pass@proxy:3128` would otherwise parse as the scheme `user:` and no host at all.
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
  // Masked before it is parsed, as written and decoded: what the parser cannot take apart is still a secret.
  const login = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(text)?.[1]
  if (login?.includes(':')) maskPassword(login.slice(login.indexOf(':') + 1), reporter)
  const refuse = (why: string): InputError =>
    new InputError(
      `The proxy in ${variable} ${why}. Give it as http://host:port (a user and password may come before the host: http://user:password@host:port).`,
    )
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw refuse('is not a URL')
  }
  // http and https URLs always have a host: the parser refuses them without one.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('uses a scheme other than http or https')
  // As the URL holds it, percent-encoded where the text was not.
  maskPassword(url.password, reporter)
  // @actions/http-client decodes the user and password (its DecodedURL) and, when that fails, drops the
  // proxy without a word and goes direct: refused here instead, so the request never leaves without it.
  try {
    decodeURIComponent(url.username)
    decodeURIComponent(url.password)
  } catch {
    throw refuse('has a user or password that is not valid percent-encoding (write % itself as %25)')
  }
  return url
}

/**
 * Prepares `env` (process.env at the entry) for the requests: removes NODE_TLS_REJECT_UNAUTHORIZED with
 * one warning, and writes each proxy variable back as the http(s) URL it was read as.
 */
export function prepareEnvironment(env: Record<string, string | undefined>, reporter: Reporter): void {
  if (env[TLS_SWITCH] !== undefined) {
    delete env[TLS_SWITCH]
    reporter.warning(`${TLS_SWITCH} is set in this step's environment and ignored: this action always verifies IMS's TLS certificate.`)
  }
  for (const variable of PROXY_VARIABLES) {
    const value = env[variable]?.trim()
    if (value) env[variable] = proxyUrlOf(variable, value, reporter).href
    // Blanks are no proxy, as the log says; @actions/http-client would take "  " for one and fail to parse it.
    else if (env[variable]) delete env[variable]
  }
}

/**
 * The variables that choose where a request to IMS goes and whom it trusts there: proxies (in either case),
 * the hosts that bypass them, and the CA certificates Node and OpenSSL add or use.
 */
const NETWORK_VARIABLES = [
  ...PROXY_VARIABLES,
  'no_proxy',
  'NO_PROXY',
  'all_proxy',
  'ALL_PROXY',
  'NODE_EXTRA_CA_CERTS',
  'NODE_USE_SYSTEM_CA',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'OPENSSL_CONF',
] as const

/** Files named by the variables above whose contents are trusted: a later step could rewrite one in place. */
const CERTIFICATE_FILES = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE'] as const

/** Options of NODE_OPTIONS that change which certificates Node trusts (other options, such as a heap size, do not count). */
const TRUST_OPTIONS = /^--(use-openssl-ca|use-bundled-ca|use-system-ca|openssl-config|openssl-shared-config|tls-)/

/**
 * A SHA-256 of the network settings a request to IMS uses (`env` after `prepareEnvironment`): the main step
 * keeps it in the step state, and the post step sends nothing when its own differs. Only the hash is kept,
 * never the values: a proxy URL may hold a password.
 */
export function networkFingerprint(env: Readonly<Record<string, string | undefined>>): string {
  const settings: [string, string][] = NETWORK_VARIABLES.map((name) => [name, env[name] ?? ''])
  for (const name of CERTIFICATE_FILES) {
    const file = env[name]
    if (!file) continue
    let contents: string
    try {
      contents = createHash('sha256').update(readFileSync(file)).digest('hex')
    } catch {
      contents = 'unreadable'
    }
    settings.push([`contents of ${name}`, contents])
  }
  const trustOptions = (env['NODE_OPTIONS'] ?? '').split(/\s+/).filter((option) => TRUST_OPTIONS.test(option))
  settings.push(['NODE_OPTIONS', trustOptions.join(' ')])
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex')
}
