import type { Sourced } from './action-inputs.js'
import { InputError } from './errors.js'
import { capitalized } from './log-text.js'

const DEFAULT_IMS_HOST = 'ims-na1.adobelogin.com'

/** Hosts a plain-http endpoint may name: the test emulator and local runs. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost'])

/** IMS lives on hosts under adobelogin.com, such as ims-na1.adobelogin.com. */
function isAdobeImsHost(hostname: string): boolean {
  return hostname.endsWith('.adobelogin.com')
}

/**
 * The value, quoted whole and exactly as given, when it is short and of plain characters; nothing
 * otherwise. A secret pasted here by mistake must show only in the form the runner masks: never a piece
 * of it, nor a lower-cased or otherwise parsed copy.
 */
function asGiven(text: string): string {
  return /^[\x21-\x7e]{1,100}$/.test(text) ? ` (${text})` : ''
}

/**
 * Turns an `ims-endpoint` value (a bare host or an https URL) into the origin the requests go to and the
 * JWT's `aud` and metascope claims name. The credentials travel in the request body, so anything but
 * https to an Adobe IMS host, or a loopback address, is refused before a request is made.
 */
export function imsOriginOf(endpoint: string, from: string): string {
  const text = endpoint.trim()
  const refuse = (why: string): InputError =>
    new InputError(
      `${capitalized(from)} ${why}. Give a host such as ${DEFAULT_IMS_HOST} or an https URL under adobelogin.com (http is accepted for 127.0.0.1, [::1] and localhost only).`,
    )
  let url: URL
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`)
  } catch {
    throw refuse('is neither a host name nor a URL')
  }
  if (url.username !== '' || url.password !== '') throw refuse('must not carry a user name or password')
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse(`uses a scheme other than https${asGiven(text)}`)
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw refuse('must name only the scheme, host and port, without a path, query or fragment')
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname)
  if (!loopback && !isAdobeImsHost(url.hostname)) throw refuse(`names a host that is not an Adobe IMS host${asGiven(text)}`)
  if (!loopback && url.protocol !== 'https:') throw refuse('must use https')
  return url.origin
}

/** The origin of IMS from the `ims-endpoint` field (its input, else `credentials`), else the default host. */
export function imsOriginOfField(endpoint: Sourced<string> | undefined): string {
  const { value, from } = endpoint ?? { value: DEFAULT_IMS_HOST, from: 'the default IMS host' }
  return imsOriginOf(value, from)
}
