import { createPrivateKey, type KeyObject } from 'node:crypto'
import { InputError } from './errors.js'
import { capitalized } from './log-text.js'

/** IMS verifies service-account JWTs as RS256, which needs an RSA key of at least this size. */
const MIN_RSA_BITS = 2048

const PRIVATE_KEY_LABELS = new Set(['RSA PRIVATE KEY', 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'EC PRIVATE KEY'])
const NOT_PRIVATE_LABELS = new Set(['CERTIFICATE', 'PUBLIC KEY', 'RSA PUBLIC KEY'])

const ACCEPTED_FORMS =
  'It accepts a PEM private key (PKCS#8 "BEGIN PRIVATE KEY", PKCS#1 "BEGIN RSA PRIVATE KEY", or encrypted PKCS#8 "BEGIN ENCRYPTED PRIVATE KEY" with private-key-passphrase), with LF or CRLF line ends, on one line with literal \\n, or base64 of the whole PEM.'

interface NormalizedPem {
  /** The PEM rebuilt with LF line ends and 64-column lines. */
  readonly pem: string
  readonly encrypted: boolean
}

function keyError(from: string, problem: string, advice = ACCEPTED_FORMS): InputError {
  return new InputError(`${capitalized(from)} ${problem}. ${advice}`)
}

/** Undoes what pasting into a secret does to a PEM: base64 wrapping, literal `\n`, CRLF, lost line breaks. */
function unwrapPemText(text: string): string {
  let unwrapped = text.trim().replace(/^"([\s\S]*)"$/, '$1')
  if (!unwrapped.includes('-----BEGIN')) {
    const compact = unwrapped.replace(/\s+/g, '')
    if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
      const decoded = Buffer.from(compact, 'base64').toString('utf8')
      if (decoded.includes('-----BEGIN')) unwrapped = decoded
    }
  }
  // A PEM never holds a backslash, so literal escapes can only be line ends that were flattened.
  return unwrapped.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n')
}

/**
 * Finds the private key in `text` and rebuilds it as a clean PEM. Fails with an error that names `from`,
 * says which forms are accepted, and shows none of the key.
 */
export function normalizePrivateKeyPem(text: string, from: string): NormalizedPem {
  const unwrapped = unwrapPemText(text)
  const blocks = [...unwrapped.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)]
  const block = blocks.find((match) => PRIVATE_KEY_LABELS.has(match[1] ?? ''))
  if (!block) {
    const first = blocks[0]?.[1] ?? (/-----BEGIN ([A-Z0-9 ]+)-----/.exec(unwrapped)?.[1] || undefined)
    if (first === 'OPENSSH PRIVATE KEY') {
      return failOpenSsh(from)
    }
    if (first !== undefined && PRIVATE_KEY_LABELS.has(first)) {
      throw keyError(from, `is cut short: its -----END ${first}----- line is missing`)
    }
    if (first !== undefined && NOT_PRIVATE_LABELS.has(first)) {
      throw keyError(from, `holds a ${first.toLowerCase()}, not a private key`, 'Pass the private key that goes with it.')
    }
    throw keyError(from, first === undefined ? 'is not a PEM private key' : `holds a PEM block of a kind it cannot use (${first})`)
  }
  const label = block[1] ?? ''
  const lines = (block[2] ?? '').split('\n').map((line) => line.trim())
  // Legacy OpenSSL encryption puts "Proc-Type:" and "DEK-Info:" headers before the base64 body.
  const headers = lines.filter((line) => /^[A-Za-z-]+:/.test(line))
  const body = lines
    .filter((line) => !/^[A-Za-z-]+:/.test(line))
    .join('')
    .replace(/\s+/g, '')
  if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw keyError(from, 'is not a readable PEM private key: its body is not base64')
  const wrapped = body.match(/.{1,64}/g) ?? []
  const head = headers.length > 0 ? `${headers.join('\n')}\n\n` : ''
  return {
    pem: `-----BEGIN ${label}-----\n${head}${wrapped.join('\n')}\n-----END ${label}-----\n`,
    encrypted: label === 'ENCRYPTED PRIVATE KEY' || headers.some((line) => /^Proc-Type:.*ENCRYPTED/i.test(line)),
  }
}

function failOpenSsh(from: string): never {
  throw keyError(
    from,
    'is an OpenSSH private key, which this action cannot read',
    'Convert it to PEM: ssh-keygen -p -m PKCS8 -f <file>, or use the private.key the Developer Console made.',
  )
}

/**
 * Loads a normalized PEM as a key for RS256 signing. The passphrase is used only for encrypted keys.
 */
export function loadRsaPrivateKey(normalized: NormalizedPem, passphrase: string, from: string): KeyObject {
  if (normalized.encrypted && passphrase === '') {
    throw keyError(from, 'is encrypted', 'Set private-key-passphrase to its passphrase.')
  }
  let key: KeyObject
  try {
    key = createPrivateKey({ key: normalized.pem, format: 'pem', ...(normalized.encrypted ? { passphrase } : {}) })
  } catch {
    // OpenSSL's own messages say nothing a person can act on; say what is likely instead.
    if (normalized.encrypted) {
      throw keyError(from, 'could not be decrypted', 'Check private-key-passphrase: it does not open this key.')
    }
    throw keyError(from, 'could not be read: it may be cut short or damaged')
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw keyError(
      from,
      `is an ${(key.asymmetricKeyType ?? 'unknown').toUpperCase()} key`,
      `IMS signs service-account JWTs with RS256, which needs an RSA key of ${MIN_RSA_BITS} bits or more.`,
    )
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < MIN_RSA_BITS) {
    throw keyError(from, `is an RSA key of ${bits} bits`, `IMS needs RSA keys of ${MIN_RSA_BITS} bits or more for RS256.`)
  }
  return key
}
