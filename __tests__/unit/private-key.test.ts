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
    ['a certificate before the key', `-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n${pkcs8}`, pkcs8],
  ])('rebuilds %s as a clean PEM', (_form, given, expected) => {
    expect(normalizePrivateKeyPem(given, FROM).pem).toBe(expected)
  })

  it('keeps the headers of a legacy encrypted PKCS#1 key and marks it encrypted', () => {
    const legacy = rsa.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw' }).toString()
    const normalized = normalizePrivateKeyPem(legacy.replace(/\n/g, '\r\n'), FROM)
    expect(normalized).toEqual({ pem: legacy, encrypted: true })
    expect(load(legacy, 'pw').asymmetricKeyType).toBe('rsa')
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

  it.each([
    [
      'an RSA key under 2048 bits',
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'is an RSA key of 1024 bits. IMS needs RSA keys of 2048 bits or more for RS256.',
    ],
    [
      'an EC key',
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
      'is an EC key.',
    ],
    ['an Ed25519 key', generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'is an ED25519 key.'],
    [
      'a public key',
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      'holds a public key, not a private key.',
    ],
    [
      'an OpenSSH key',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
      'is an OpenSSH private key, which this action cannot read.',
    ],
    [
      'a body that is not base64',
      '-----BEGIN PRIVATE KEY-----\nnot*base64!\n-----END PRIVATE KEY-----',
      'is not a readable PEM private key: its body is not base64.',
    ],
    [
      'an encrypted key without its passphrase',
      rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(),
      'is encrypted. Set private-key-passphrase to its passphrase.',
    ],
  ])('refuses %s, saying why', (_kind, text, why) => {
    const error = failure(() => load(text))
    expect(error.message.startsWith(`Input private-key ${why}`)).toBe(true)
  })

  it('never shows any part of the key in an error', () => {
    const damaged = pkcs8.replace(/\n([A-Za-z0-9+/]{64})\n/, (_line, body: string) => `\n${body.slice(0, 60)}\n`)
    const error = failure(() => load(damaged))
    for (const line of pkcs8.split('\n').filter((line) => line.length > 8 && !line.startsWith('-----'))) {
      expect(error.message).not.toContain(line.slice(0, 16))
    }
  })
})
