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

/** Undoes what pasting into a secret does to a PEM: base64 of it, quotes, literal `\n`, CRLF or CR line ends. */
function unwrapPemText(text: string): string {
  // Base64 of the whole PEM, wrapped or quoted: Node's decoder skips what is not base64. A PEM itself
  // decodes to bytes without "-----BEGIN", so it is kept as it is.
  const decoded = Buffer.from(text, 'base64').toString('utf8')
  const pem = decoded.includes('-----BEGIN') ? decoded : text
  // A PEM never holds a backslash, so literal escapes can only be line ends that were flattened.
  return pem.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n')
}

/** A PEM header line, such as the "Proc-Type:" and "DEK-Info:" of legacy OpenSSL encryption. */
const isHeaderLine = (line: string): boolean => /^[A-Za-z-]+:/.test(line)

/**
 * Finds the private key in `text` and rebuilds it as a clean PEM. Fails with an error that names `from`,
 * says which forms are accepted, and shows none of the key.
 */
export function normalizePrivateKeyPem(text: string, from: string): NormalizedPem {
  const unwrapped = unwrapPemText(text)
  const blocks = [...unwrapped.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)]
  // Stryker disable next-line StringLiteral: group 1 takes part in every match, so the fallback is never used
  const block = blocks.find((match) => PRIVATE_KEY_LABELS.has(match[1] ?? ''))
  if (!block) {
    const first = blocks[0]?.[1] ?? /-----BEGIN ([A-Z0-9 ]+)-----/.exec(unwrapped)?.[1]
    if (first === undefined) throw keyError(from, 'is not a PEM private key')
    if (first === 'OPENSSH PRIVATE KEY') return failOpenSsh(from)
    if (PRIVATE_KEY_LABELS.has(first)) throw keyError(from, `is cut short: its -----END ${first}----- line is missing`)
    if (NOT_PRIVATE_LABELS.has(first)) {
      throw keyError(from, `holds a ${first.toLowerCase()}, not a private key`, 'Pass the private key that goes with it.')
    }
    throw keyError(from, `holds a PEM block of a kind it cannot use (${first})`)
  }
  // Stryker disable next-line StringLiteral: groups 1 and 2 take part in every match
  const [label, content] = [block[1] ?? '', block[2] ?? '']
  const lines = content.split('\n').map((line) => line.trim())
  const headers = lines.filter(isHeaderLine)
  const body = lines
    .filter((line) => !isHeaderLine(line))
    .join('')
    .replace(/\s/g, '')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw keyError(from, 'is not a readable PEM private key: its body is not base64')
  // Stryker disable next-line ArrayDeclaration: a body that passed the check above is never empty, so it always matches
  const wrapped = body.match(/.{1,64}/g) ?? []
  const head = headers.length > 0 ? `${headers.join('\n')}\n\n` : ''
  return {
    pem: `-----BEGIN ${label}-----\n${head}${wrapped.join('\n')}\n-----END ${label}-----\n`,
    encrypted: label === 'ENCRYPTED PRIVATE KEY' || headers.some((line) => /Proc-Type:.*ENCRYPTED/i.test(line)),
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
  // Stryker disable next-line StringLiteral: a private KeyObject always has a type
  const type = key.asymmetricKeyType ?? 'unknown'
  if (type !== 'rsa') {
    throw keyError(
      from,
      `is an ${type.toUpperCase()} key`,
      `IMS signs service-account JWTs with RS256, which needs an RSA key of ${MIN_RSA_BITS} bits or more.`,
    )
  }
  // Stryker disable next-line OptionalChaining: an RSA KeyObject always has its details
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < MIN_RSA_BITS) {
    throw keyError(from, `is an RSA key of ${bits} bits`, `IMS needs RSA keys of ${MIN_RSA_BITS} bits or more for RS256.`)
  }
  return key
}
