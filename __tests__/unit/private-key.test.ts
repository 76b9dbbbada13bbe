import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/lib/errors.js'
import { loadRsaPrivateKey, normalizePrivateKeyPem } from '../../src/lib/private-key.js'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
const pkcs8 = rsa.export({ type: 'pkcs8', format: 'pem' }).toString()
const pkcs1 = rsa.export({ type: 'pkcs1', format: 'pem' }).toString()
const FROM = 'input private-key'

function load(text: string, passphrase = ''): KeyObject {
  return loadRsaPrivateKey(normalizePrivateKeyPem(text, FROM), passphrase, FROM)
}

function failure(run: () => unknown): InputError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('normalizePrivateKeyPem', () => {
  it.each([
    ['PKCS#8', pkcs8, pkcs8],
    ['PKCS#1', pkcs1, pkcs1],
    ['CRLF line ends', pkcs1.replace(/\n/g, '\r\n'), pkcs1],
    ['blank space around it', `  \n${pkcs8}\n\n  `, pkcs8],
    ['literal \\n on one line', pkcs8.trim().replace(/\n/g, '\\n'), pkcs8],
    ['literal \\r\\n on one line', pkcs8.trim().replace(/\n/g, '\\r\\n'), pkcs8],
    ['base64 of the PEM', Buffer.from(pkcs1).toString('base64'), pkcs1],
    [
      'base64 of the PEM, wrapped',
      (
        Buffer.from(pkcs1)
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\n'),
      pkcs1,
    ],
    ['line breaks lost to spaces', pkcs8.trim().replace(/\n/g, ' '), pkcs8],
    ['line breaks lost entirely', pkcs8.trim().replace(/\n/g, ''), pkcs8],
    ['a JSON string in quotes', JSON.stringify(pkcs8).replace(/^"|"$/g, '"'), pkcs8],
    [
      'base64 of the PEM, wrapped and in quotes, with space around',
      `  "${(
        Buffer.from(pkcs1)
          .toString('base64')
          .match(/.{1,64}/g) ?? []
      ).join('\n')}"\n`,
      pkcs1,
    ],
    ['a certificate before the key', `-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n${pkcs8}`, pkcs8],
  ])('rebuilds %s as a clean PEM', (_form, given, expected) => {
    expect(normalizePrivateKeyPem(given, FROM).pem).toBe(expected)
  })

  const legacy = rsa.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw' }).toString()

  it.each([
    ['CRLF line ends', legacy.replace(/\n/g, '\r\n')],
    ['CR line ends', legacy.replace(/\n/g, '\r')],
    ['literal \\n on one line', legacy.trim().replace(/\n/g, '\\n')],
    ['every line indented', legacy.replace(/^/gm, '    ')],
  ])('keeps the headers of a legacy encrypted PKCS#1 key with %s and marks it encrypted', (_form, given) => {
    expect(normalizePrivateKeyPem(given, FROM)).toEqual({ pem: legacy, encrypted: true })
    expect(load(given, 'pw').asymmetricKeyType).toBe('rsa')
  })

  it('marks encrypted PKCS#8', () => {
    const encrypted = rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString()
    expect(normalizePrivateKeyPem(encrypted, FROM).encrypted).toBe(true)
  })
})

describe('loadRsaPrivateKey', () => {
  it('loads every accepted form to the same key', () => {
    const encrypted = rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString()
    const reference = rsa.export({ type: 'pkcs8', format: 'der' })
    for (const key of [load(pkcs8), load(pkcs1), load(encrypted, 'pw'), load(Buffer.from(pkcs8).toString('base64'))]) {
      expect(key.export({ type: 'pkcs8', format: 'der' }).equals(reference)).toBe(true)
    }
  })

  const ACCEPTED =
    'It accepts a PEM private key (PKCS#8 "BEGIN PRIVATE KEY", PKCS#1 "BEGIN RSA PRIVATE KEY", or encrypted PKCS#8 "BEGIN ENCRYPTED PRIVATE KEY" with private-key-passphrase), with LF or CRLF line ends, on one line with literal \\n, or base64 of the whole PEM.'
  const encrypted = rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString()
  const RS256 = 'IMS signs service-account JWTs with RS256, which needs an RSA key of 2048 bits or more.'

  it.each([
    [
      'an RSA key under 2048 bits',
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      '',
      'is an RSA key of 1024 bits. IMS needs RSA keys of 2048 bits or more for RS256.',
    ],
    [
      'an EC key',
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
      '',
      `is an EC key. ${RS256}`,
    ],
    [
      'an Ed25519 key',
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      '',
      `is an ED25519 key. ${RS256}`,
    ],
    [
      'a public key',
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      '',
      'holds a public key, not a private key. Pass the private key that goes with it.',
    ],
    [
      'a certificate alone',
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      '',
      'holds a certificate, not a private key. Pass the private key that goes with it.',
    ],
    [
      'an OpenSSH key',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
      '',
      'is an OpenSSH private key, which this action cannot read. Convert it to PEM: ssh-keygen -p -m PKCS8 -f <file>, or use the private.key the Developer Console made.',
    ],
    [
      'an OpenSSH key cut short',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl',
      '',
      'is an OpenSSH private key, which this action cannot read. Convert it to PEM: ssh-keygen -p -m PKCS8 -f <file>, or use the private.key the Developer Console made.',
    ],
    ['a key cut short', pkcs8.split('-----END')[0] ?? '', '', `is cut short: its -----END PRIVATE KEY----- line is missing. ${ACCEPTED}`],
    [
      'a PEM block of another kind',
      '-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----',
      '',
      `holds a PEM block of a kind it cannot use (X509 CRL). ${ACCEPTED}`,
    ],
    ['text that is no PEM', 'hello world', '', `is not a PEM private key. ${ACCEPTED}`],
    [
      'a body that is not base64',
      '-----BEGIN PRIVATE KEY-----\nnot*base64!\n-----END PRIVATE KEY-----',
      '',
      `is not a readable PEM private key: its body is not base64. ${ACCEPTED}`,
    ],
    [
      'a body that starts with what is not base64',
      '-----BEGIN PRIVATE KEY-----\n*MIIB\n-----END PRIVATE KEY-----',
      '',
      `is not a readable PEM private key: its body is not base64. ${ACCEPTED}`,
    ],
    [
      'an empty body',
      '-----BEGIN PRIVATE KEY-----\n\n-----END PRIVATE KEY-----',
      '',
      `is not a readable PEM private key: its body is not base64. ${ACCEPTED}`,
    ],
    [
      'a damaged body',
      pkcs8.replace(/\n([A-Za-z0-9+/]{64})\n/, (_line, body: string) => `\n${body.slice(0, 60)}\n`),
      '',
      `could not be read: it may be cut short or damaged. ${ACCEPTED}`,
    ],
    ['an encrypted key without its passphrase', encrypted, '', 'is encrypted. Set private-key-passphrase to its passphrase.'],
    [
      'an encrypted key with a wrong passphrase',
      encrypted,
      'not-the-passphrase',
      'could not be decrypted. Check private-key-passphrase: it does not open this key.',
    ],
  ])('refuses %s, saying why and what to do', (_kind, text, passphrase, why) => {
    expect(failure(() => load(text, passphrase)).message).toBe(`Input private-key ${why}`)
  })

  it('leaves a passphrase given for a key that is not encrypted unused', () => {
    expect(load(pkcs8, 'unused-passphrase').asymmetricKeyType).toBe('rsa')
  })

  it('never shows any part of the key in an error', () => {
    const damaged = pkcs8.replace(/\n([A-Za-z0-9+/]{64})\n/, (_line, body: string) => `\n${body.slice(0, 60)}\n`)
    const error = failure(() => load(damaged))
    for (const line of pkcs8.split('\n').filter((line) => line.length > 8 && !line.startsWith('-----'))) {
      expect(error.message).not.toContain(line.slice(0, 16))
    }
  })
})
