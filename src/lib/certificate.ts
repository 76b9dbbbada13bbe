import { type KeyObject, X509Certificate } from 'node:crypto'
import type { Sourced } from './action-inputs.js'
import { InputError } from './errors.js'
import type { Reporter } from './reporter.js'
import { capitalized } from './log-text.js'

/** Warn this long before the integration's certificate expires. */
const EXPIRY_WARNING_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000

const RENEW =
  'Make a new key pair and certificate for the integration in the AEM Developer Console (or upload a new certificate), then update the secret.'

/**
 * Checks the integration's certificate that `credentials` carries: fails when it has expired (IMS refuses
 * JWTs signed with its key), warns when it expires within 30 days or does not match the private key.
 * Gives when it expires (for the certificate-expires-at output), or undefined when it cannot be read.
 */
export function checkCertificate(certificate: Sourced<string>, privateKey: KeyObject, now: number, reporter: Reporter): Date | undefined {
  let parsed: X509Certificate
  try {
    parsed = new X509Certificate(certificate.value.replace(/\\r\\n|\\n/g, '\n'))
  } catch {
    reporter.warning(`${capitalized(certificate.from)} could not be read as an X.509 certificate, so its expiry was not checked.`)
    return undefined
  }
  const expiresAt = Date.parse(parsed.validTo)
  const date = new Date(expiresAt).toISOString().slice(0, 10)
  if (expiresAt <= now) {
    throw new InputError(
      `The integration's certificate (${certificate.from}) expired on ${date}: IMS refuses JWTs signed with its key. ${RENEW}`,
    )
  }
  const daysLeft = Math.floor((expiresAt - now) / DAY_MS)
  if (expiresAt - now <= EXPIRY_WARNING_DAYS * DAY_MS) {
    reporter.warning(
      `The integration's certificate (${certificate.from}) expires on ${date}, in ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'}. ${RENEW}`,
    )
  }
  if (!parsed.checkPrivateKey(privateKey)) {
    reporter.warning(
      `The private key does not match the integration's certificate (${certificate.from}): IMS will refuse the JWT unless the key belongs to another certificate of the integration. Check that private-key and credentials belong together.`,
    )
  }
  return new Date(expiresAt)
}
