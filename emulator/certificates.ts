/**
 * Just enough X.509 to make the certificates the tests and the emulator need at run time (an integration's
 * self-signed certificate, a test CA and a TLS server certificate), with node:crypto and no dependency.
 * Nothing here is used by the action itself.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size])
  const bytes: number[] = []
  for (let rest = size; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents)
  return Buffer.concat([Buffer.from([tag]), length(body.length), body])
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items)
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items)
const explicit = (tagNumber: number, item: Buffer): Buffer => tlv(0xa0 + tagNumber, item)
const octetString = (content: Buffer): Buffer => tlv(0x04, content)
const bitString = (content: Buffer): Buffer => tlv(0x03, Buffer.from([0]), content)
const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'))
const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0]))

/** A positive DER INTEGER in its shortest form: DER refuses leading zero bytes (OpenSSL: "illegal padding"). */
function integer(bytes: Buffer): Buffer {
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0) start++
  const shortest = bytes.subarray(start)
  return tlv(0x02, (shortest[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), shortest]) : shortest)
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number)
  const bytes = [first * 40 + second]
  for (const arc of rest) {
    const chunk = [arc & 0x7f]
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift((value & 0x7f) | 0x80)
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  // UTCTime up to 2049, GeneralizedTime after, as RFC 5280 asks.
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`))
}

const name = (commonName: string): Buffer => sequence(set(sequence(oid('2.5.4.3'), utf8String(commonName))))
const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value))
const sha256WithRsa = sequence(oid('1.2.840.113549.1.1.11'), tlv(0x05))

export interface CertificateOptions {
  readonly commonName: string
  /** The key the certificate certifies. */
  readonly publicKey: KeyObject
  /** Who signs: the CA's name and RSA key; omitted for a self-signed certificate. */
  readonly issuer?: { readonly commonName: string; readonly privateKey: KeyObject }
  /** Private key of a self-signed certificate. */
  readonly selfSignKey?: KeyObject
  readonly notBefore?: Date
  readonly notAfter: Date
  readonly isCa?: boolean
  /** Host names (and IPv4 addresses) for a TLS server certificate. */
  readonly dnsNames?: readonly string[]
}

/** Makes an X.509 v3 certificate signed with SHA-256 and RSA; returns it as PEM. */
export function makeCertificate(options: CertificateOptions): string {
  const signingKey = options.issuer?.privateKey ?? options.selfSignKey
  if (!signingKey) throw new Error('makeCertificate needs issuer or selfSignKey')
  const extensions: Buffer[] = []
  if (options.isCa) {
    extensions.push(extension('2.5.29.19', true, sequence(boolean(true))))
    extensions.push(extension('2.5.29.15', true, tlv(0x03, Buffer.from([1, 0x06])))) // keyCertSign, cRLSign
  }
  if (options.dnsNames?.length) {
    const altName = (name: string): Buffer =>
      /^\d+\.\d+\.\d+\.\d+$/.test(name) ? tlv(0x87, Buffer.from(name.split('.').map(Number))) : tlv(0x82, Buffer.from(name))
    extensions.push(extension('2.5.29.17', false, sequence(...options.dnsNames.map(altName))))
  }
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(randomBytes(12)),
    sha256WithRsa,
    name(options.issuer?.commonName ?? options.commonName),
    sequence(time(options.notBefore ?? new Date(Date.now() - 60_000)), time(options.notAfter)),
    name(options.commonName),
    (options.publicKey.type === 'private' ? createPublicKey(options.publicKey) : options.publicKey).export({ type: 'spki', format: 'der' }),
    ...(extensions.length ? [explicit(3, sequence(...extensions))] : []),
  )
  const der = sequence(tbs, sha256WithRsa, bitString(sign('sha256', tbs, signingKey)))
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

export interface TlsAuthority {
  /** The test CA's certificate, for NODE_EXTRA_CA_CERTS. */
  readonly caPem: string
  /** Key and certificate for a TLS server of `hostnames`, signed by the CA. */
  readonly serverKeyPem: string
  readonly serverCertPem: string
}

/** A throwaway CA and a server certificate it signed, as a TLS-inspecting network would have. */
export function makeTlsAuthority(hostnames: readonly string[]): TlsAuthority {
  const ca = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const server = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const notAfter = new Date(Date.now() + 24 * 3600 * 1000)
  const caName = 'IMS emulator test CA'
  return {
    caPem: makeCertificate({ commonName: caName, publicKey: ca.publicKey, selfSignKey: ca.privateKey, notAfter, isCa: true }),
    serverKeyPem: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    serverCertPem: makeCertificate({
      commonName: hostnames[0] ?? 'localhost',
      publicKey: server.publicKey,
      issuer: { commonName: caName, privateKey: ca.privateKey },
      notAfter,
      dnsNames: hostnames,
    }),
  }
}
