/**
 * The certificates the tests and the emulator need at run time (an integration's self-signed certificate,
 * a test CA and a TLS server certificate), made with @peculiar/x509 over node:crypto's WebCrypto. The
 * library does the DER, serial numbers included (a positive INTEGER in its shortest form, as OpenSSL
 * insists). Nothing here is used by the action itself.
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata'
import { createPublicKey, generateKeyPairSync, type KeyObject, webcrypto } from 'node:crypto'
import {
  BasicConstraintsExtension,
  type Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  Name,
  SubjectAlternativeNameExtension,
  X509CertificateGenerator,
} from '@peculiar/x509'

const SHA256_WITH_RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const

/** One WebCrypto import per signing key, so that making many certificates with one key stays quick. */
const signingKeys = new WeakMap<KeyObject, Promise<webcrypto.CryptoKey>>()
function signingKey(privateKey: KeyObject): Promise<webcrypto.CryptoKey> {
  let key = signingKeys.get(privateKey)
  if (!key) {
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' })
    key = webcrypto.subtle.importKey('pkcs8', pkcs8, SHA256_WITH_RSA, false, ['sign'])
    signingKeys.set(privateKey, key)
  }
  return key
}

/** A distinguished name of just a common name (the library's JSON form: no escaping, no parsing). */
const commonNameOnly = (commonName: string): Name => new Name([{ CN: [commonName] }])

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
  /** Serial number in hex, for tests of the encoding; default: random, made by the library. */
  readonly serialNumber?: string
}

/** Makes an X.509 v3 certificate signed with SHA-256 and RSA; returns it as PEM. */
export async function makeCertificate(options: CertificateOptions): Promise<string> {
  const privateKey = options.issuer?.privateKey ?? options.selfSignKey
  if (!privateKey) throw new Error('makeCertificate needs issuer or selfSignKey')
  const extensions: Extension[] = []
  if (options.isCa) {
    extensions.push(new BasicConstraintsExtension(true, undefined, true))
    extensions.push(new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true))
  }
  if (options.dnsNames?.length) {
    const altName = (name: string): { type: 'ip' | 'dns'; value: string } => ({
      type: /^\d+\.\d+\.\d+\.\d+$/.test(name) ? 'ip' : 'dns',
      value: name,
    })
    extensions.push(new SubjectAlternativeNameExtension(options.dnsNames.map(altName)))
  }
  const publicKey = options.publicKey.type === 'private' ? createPublicKey(options.publicKey) : options.publicKey
  const certificate = await X509CertificateGenerator.create(
    {
      ...(options.serialNumber === undefined ? {} : { serialNumber: options.serialNumber }),
      subject: commonNameOnly(options.commonName),
      issuer: commonNameOnly(options.issuer?.commonName ?? options.commonName),
      notBefore: options.notBefore ?? new Date(Date.now() - 60_000),
      notAfter: options.notAfter,
      publicKey: publicKey.export({ type: 'spki', format: 'der' }),
      signingKey: await signingKey(privateKey),
      signingAlgorithm: SHA256_WITH_RSA,
      extensions,
    },
    webcrypto,
  )
  return `${certificate.toString('pem').replace(/\r\n/g, '\n').trim()}\n`
}

export interface TlsAuthority {
  /** The test CA's certificate, for NODE_EXTRA_CA_CERTS. */
  readonly caPem: string
  /** Key and certificate for a TLS server of `hostnames`, signed by the CA. */
  readonly serverKeyPem: string
  readonly serverCertPem: string
}

/** A throwaway CA and a server certificate it signed, as a TLS-inspecting network would have. */
export async function makeTlsAuthority(hostnames: readonly string[]): Promise<TlsAuthority> {
  const ca = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const server = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const notAfter = new Date(Date.now() + 24 * 3600 * 1000)
  const caName = 'IMS emulator test CA'
  return {
    caPem: await makeCertificate({ commonName: caName, publicKey: ca.publicKey, selfSignKey: ca.privateKey, notAfter, isCa: true }),
    serverKeyPem: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    serverCertPem: await makeCertificate({
      commonName: hostnames[0] ?? 'localhost',
      publicKey: server.publicKey,
      issuer: { commonName: caName, privateKey: ca.privateKey },
      notAfter,
      dnsNames: hostnames,
    }),
  }
}
