/**
 * Property tests: thousands of random values thrown at input parsing and key loading. The only outcomes
 * allowed are a result or an InputError; never another error, and never a secret in a message.
 */
import { generateKeyPairSync } from 'node:crypto'
import { beforeEach, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { InputError } from '../../src/lib/errors.js'
import { type InputName, readInputs } from '../../src/lib/action-inputs.js'
import { maskSecretInputs, planFromInputs } from '../../src/lib/plan.js'
import { loadRsaPrivateKey, normalizePrivateKeyPem } from '../../src/lib/private-key.js'
import { RecordingReporter } from '../support/recording-reporter.js'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
const PEMS = [
  rsa.export({ type: 'pkcs8', format: 'pem' }).toString(),
  rsa.export({ type: 'pkcs1', format: 'pem' }).toString(),
  rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'right' }).toString(),
]
/** Every 16-character window of each key's base64 body: none may show up in a message. */
const KEY_FRAGMENTS = PEMS.flatMap((pem) => {
  const body = pem
    .split('\n')
    .filter((line) => !line.startsWith('-----') && !line.includes(':'))
    .join('')
  const windows: string[] = []
  for (let start = 0; start + 16 <= body.length; start += 8) windows.push(body.slice(start, start + 16))
  return windows
})

/** A real key, mangled the ways copying into secrets and bit rot mangle keys. */
const mangledKey = fc
  .tuple(
    fc.constantFrom(...PEMS),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 4 })), { maxLength: 4 }),
    fc.constantFrom('lf', 'crlf', 'literal', 'spaces', 'base64', 'cut'),
  )
  .map(([pem, edits, form]) => {
    let text = pem
    for (const [position, deleted, inserted] of edits) {
      const at = position % (text.length + 1)
      text = text.slice(0, at) + inserted + text.slice(at + deleted)
    }
    if (form === 'crlf') text = text.replace(/\n/g, '\r\n')
    if (form === 'literal') text = text.replace(/\n/g, '\\n')
    if (form === 'spaces') text = text.replace(/\n/g, ' ')
    if (form === 'base64') text = Buffer.from(text).toString('base64')
    if (form === 'cut') text = text.slice(0, (edits[0]?.[0] ?? 0) % text.length)
    return text
  })

/** Secret-looking values that cannot turn up in a message by chance. */
const secret = fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/).map((value) => `p8e-${value}`)

const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'auto',
    'jwt',
    'oauth',
    '3',
    '0',
    '-1',
    'ims-na1.adobelogin.com',
    'http://127.0.0.1:1',
    'ABC@AdobeOrg',
    'X@techacct.adobe.com',
    'openid,AdobeID',
    'ent_aem_cloud_api',
  ),
)

const jsonValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 2 }),
)

/** Credentials JSON of every accepted shape, with fields missing, of the wrong type, or mangled. */
const credentialsJson = fc
  .oneof(
    fc.record(
      {
        ok: fc.boolean(),
        integration: fc.record(
          {
            imsEndpoint: fc.oneof(anyText, jsonValue),
            metascopes: fc.oneof(anyText, jsonValue),
            technicalAccount: fc.oneof(
              fc.record({ clientId: fc.oneof(anyText, jsonValue), clientSecret: fc.oneof(secret, jsonValue) }, { requiredKeys: [] }),
              jsonValue,
            ),
            id: fc.oneof(anyText, jsonValue),
            org: fc.oneof(anyText, jsonValue),
            privateKey: fc.oneof(mangledKey, jsonValue),
            publicKey: fc.oneof(anyText, jsonValue),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        client_id: fc.oneof(anyText, jsonValue),
        client_secrets: fc.oneof(fc.array(secret, { maxLength: 2 }), secret, jsonValue),
        scopes: fc.oneof(fc.array(anyText, { maxLength: 3 }), anyText, jsonValue),
        ims_org_id: fc.oneof(anyText, jsonValue),
      },
      { requiredKeys: [] },
    ),
    fc.record({
      project: fc.record(
        {
          org: fc.record({ ims_org_id: fc.oneof(anyText, jsonValue) }, { requiredKeys: [] }),
          workspace: fc.record({
            details: fc.record({
              credentials: fc.oneof(
                jsonValue,
                fc.array(
                  fc.record(
                    {
                      name: anyText,
                      integration_type: fc.constantFrom('oauth_server_to_server', 'service', 'apikey'),
                      oauth_server_to_server: fc.record(
                        {
                          client_id: fc.oneof(anyText, jsonValue),
                          client_secrets: fc.oneof(fc.array(secret, { maxLength: 2 }), jsonValue),
                          scopes: fc.oneof(fc.array(anyText, { maxLength: 3 }), jsonValue),
                        },
                        { requiredKeys: [] },
                      ),
                    },
                    { requiredKeys: [] },
                  ),
                  { maxLength: 3 },
                ),
              ),
            }),
          }),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.json(),
  )
  .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)))

/**
 * Secrets a message must never show: the values `secret` made, wherever they went (inputs or the
 * credentials JSON). Other random text may rightly turn up in a message, such as a host name.
 */
function secretsIn(inputs: Partial<Record<InputName, string>>): string[] {
  return Object.values(inputs).flatMap((value) => [...(value ?? '').matchAll(/p8e-[A-Za-z0-9_-]{16,40}/g)].map((match) => match[0]))
}

/** The first of `values` that `text` shows, if any. */
function leaked(text: string, values: readonly string[]): string | undefined {
  return values.find((value) => text.includes(value))
}

/** How often each outcome happened, so the test can show it reached both. */
const outcomes = { result: 0, inputError: 0 }

function expectOnlyInputErrors(run: () => unknown, secrets: readonly string[]): void {
  try {
    run()
    outcomes.result++
  } catch (error) {
    outcomes.inputError++
    if (!(error instanceof InputError)) throw error
    const shown = leaked(error.message, [...secrets, ...KEY_FRAGMENTS])
    if (shown !== undefined) throw new Error(`the message shows a secret: ${error.message}`, { cause: error })
  }
}

describe('properties', () => {
  beforeEach(() => {
    outcomes.result = 0
    outcomes.inputError = 0
  })

  it('input parsing gives a plan or an input error, and no message holds a secret', () => {
    /** Mostly a valid value, sometimes anything: so that whole plans happen as well as every kind of failure. */
    const mostly = <T>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<T>): fc.Arbitrary<T> =>
      fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: other })
    const inputs = fc.record(
      {
        credentials: mostly(fc.constant(''), credentialsJson),
        'client-id': mostly(fc.constantFrom('cm-p1-e2', 'f00dbabe'), anyText),
        'client-secret': mostly(secret, anyText),
        'technical-account-id': mostly(fc.constant('ABC123@techacct.adobe.com'), anyText),
        'org-id': mostly(fc.constant('DEF456@AdobeOrg'), anyText),
        'private-key': mostly(fc.constantFrom(PEMS[0] ?? '', PEMS[1] ?? ''), fc.oneof(mangledKey, anyText)),
        'private-key-passphrase': fc.oneof(fc.constant(''), fc.constant('right'), secret),
        metascopes: mostly(fc.constantFrom('ent_aem_cloud_api', 'ent_aem_cloud_api,ent_cloudmgr_sdk'), anyText),
        scopes: mostly(fc.constant(''), anyText),
        'auth-type': mostly(fc.constantFrom('', 'auto', 'jwt'), anyText),
        'ims-endpoint': mostly(fc.constantFrom('', 'ims-na1.adobelogin.com', 'http://127.0.0.1:8080'), anyText),
        'export-env': mostly(fc.constantFrom('', 'IMS_TOKEN'), anyText),
        'max-attempts': mostly(fc.constantFrom('', '3'), anyText),
        'retry-budget': mostly(fc.constantFrom('', '120'), anyText),
        'request-timeout': mostly(fc.constantFrom('', '30'), anyText),
        'invalidate-token': mostly(fc.constantFrom('', 'true', 'false'), anyText),
        summary: mostly(fc.constantFrom('', 'true', 'false'), anyText),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(inputs, (given) => {
        const reporter = new RecordingReporter()
        expectOnlyInputErrors(() => {
          const raw = readInputs((name) => given[name] ?? '')
          maskSecretInputs(raw, reporter)
          planFromInputs(raw, reporter, Date.now())
        }, secretsIn(given))
        const shown = reporter.lines.find((line) => leaked(line, [...secretsIn(given), ...KEY_FRAGMENTS]) !== undefined)
        if (shown !== undefined) throw new Error(`a log line shows a secret: ${shown}`)
      }),
      { numRuns: 2500 },
    )
    // The generators reach both ends: some random inputs make a whole plan, most fail as input errors.
    expect(outcomes.result).toBeGreaterThan(0)
    expect(outcomes.inputError).toBeGreaterThan(outcomes.result)
  })

  it('key loading gives a key or an input error, and no message holds a piece of the key', () => {
    fc.assert(
      fc.property(fc.oneof(mangledKey, fc.string({ maxLength: 200 })), fc.constantFrom('', 'right', 'wrong'), (text, passphrase) => {
        expectOnlyInputErrors(() => {
          const key = loadRsaPrivateKey(normalizePrivateKeyPem(text, 'input private-key'), passphrase, 'input private-key')
          if (key.asymmetricKeyType !== 'rsa') throw new Error(`loaded a ${String(key.asymmetricKeyType)} key`)
        }, [])
      }),
      { numRuns: 2500 },
    )
    expect(outcomes.result).toBeGreaterThan(100)
    expect(outcomes.inputError).toBeGreaterThan(100)
  })
})
