/**
 * The emulator's certificates are ones OpenSSL accepts, every time: a serial number that is not a
 * positive INTEGER in its shortest DER form ("illegal padding") once failed about 1 run in 20.
 */
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { makeCertificate, makeTlsAuthority } from '../../emulator/certificates.js'

// One key pair for all: what is under test is the encoding, chiefly of the random serial numbers. 1024
// bits keeps several thousand signatures quick; the emulator's own keys are 2048 bits.
const ca = generateKeyPairSync('rsa', { modulusLength: 1024 })
const server = generateKeyPairSync('rsa', { modulusLength: 1024 })
const notAfter = new Date(Date.now() + 24 * 3600 * 1000)

const selfSigned = (serialNumber?: string): Promise<string> =>
  makeCertificate({
    commonName: 'cm-p1234-e5678-integration-abc123',
    publicKey: ca.publicKey,
    selfSignKey: ca.privateKey,
    notAfter,
    ...(serialNumber === undefined ? {} : { serialNumber }),
  })
const serverCertificate = (): Promise<string> =>
  makeCertificate({
    commonName: 'ims-na1.adobelogin.com',
    publicKey: server.publicKey,
    issuer: { commonName: 'IMS emulator test CA', privateKey: ca.privateKey },
    notAfter,
    dnsNames: ['ims-na1.adobelogin.com', '127.0.0.1'],
  })

describe('makeCertificate', () => {
  it.each([
    ['0005', '05'],
    ['007f', '7F'],
    ['0080', '80'],
    ['00ff', 'FF'],
    ['0000ab', 'AB'],
    ['80', '80'],
    ['01', '01'],
  ])('encodes the serial number %s as OpenSSL wants it (%s)', async (given, read) => {
    const certificate = new X509Certificate(await selfSigned(given))
    expect(certificate.serialNumber).toBe(read)
  })

  // The fault it guards against struck 1 certificate in 20: 400 in a row all pass with a chance of
  // (19/20)^400, about 1 in 800 million, were it back. The encodings at its edges are the cases above.
  it('makes 400 certificates in a row, as the emulator does, that node:crypto reads and verifies', async () => {
    const serials = new Set<string>()
    const unreadable: string[] = []
    for (let index = 0; index < 400; index++) {
      const pem = index % 2 ? await serverCertificate() : await selfSigned()
      try {
        const certificate = new X509Certificate(pem)
        if (!certificate.verify(ca.publicKey)) unreadable.push(`signature does not verify:\n${pem}`)
        serials.add(certificate.serialNumber)
      } catch (error) {
        unreadable.push(`${String(error)}\n${pem}`)
      }
    }
    expect(unreadable).toEqual([])
    expect(serials.size).toBe(400)
  }, 120_000)

  it('says what a self-signed certificate and a server certificate say', async () => {
    const integration = new X509Certificate(await selfSigned())
    expect(integration.subject).toBe('CN=cm-p1234-e5678-integration-abc123')
    expect(integration.issuer).toBe(integration.subject)
    expect(integration.ca).toBe(false)
    expect(integration.publicKey.export({ type: 'spki', format: 'pem' })).toBe(ca.publicKey.export({ type: 'spki', format: 'pem' }))
    expect(new Date(integration.validTo).getTime()).toBe(Math.floor(notAfter.getTime() / 1000) * 1000)

    const tls = new X509Certificate(await serverCertificate())
    expect(tls.subject).toBe('CN=ims-na1.adobelogin.com')
    expect(tls.issuer).toBe('CN=IMS emulator test CA')
    expect(tls.subjectAltName).toBe('DNS:ims-na1.adobelogin.com, IP Address:127.0.0.1')
    expect(tls.checkHost('ims-na1.adobelogin.com')).toBe('ims-na1.adobelogin.com')
    expect(tls.checkIP('127.0.0.1')).toBe('127.0.0.1')
  })
})

describe('makeTlsAuthority', () => {
  it('makes a CA that signed the server certificate for the host names', async () => {
    const authority = await makeTlsAuthority(['ims-na1.adobelogin.com'])
    const caCertificate = new X509Certificate(authority.caPem)
    const serverCert = new X509Certificate(authority.serverCertPem)
    expect(caCertificate.ca).toBe(true)
    expect(serverCert.checkIssued(caCertificate)).toBe(true)
    expect(serverCert.verify(caCertificate.publicKey)).toBe(true)
    expect(serverCert.checkHost('ims-na1.adobelogin.com')).toBe('ims-na1.adobelogin.com')
    expect(serverCert.checkPrivateKey(createPrivateKey(authority.serverKeyPem))).toBe(true)
  })
})
