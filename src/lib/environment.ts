/**
 * The step's environment as the requests to IMS read it, made safe at the entry before any request:
 * TLS verification cannot be switched off from outside, and proxy URLs are read the one way curl reads
 * them, so the proxy the log names is the proxy the request uses. @actions/http-client and Node read
 * these variables themselves at request time, so the fix is made in the environment itself.
 */
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
  }
}
