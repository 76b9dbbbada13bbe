/**
 * The bad-input suite: missing, malformed and oversized inputs fail before any request, with one error
 * line that names the input and says how to fix it, no stack trace, and nothing of the secret material.
 */
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { expectNoSecretAnywhere, expectOneErrorLine, pemBodyLines } from '../support/expectations.js'
import { emulatorWithIntegration, type ImsEmulator, separateInputs, type ServiceCredentials } from '../support/fixtures.js'
import { type ActionRun, actionYml, runAction } from '../../emulator/runner.js'

let emulator: ImsEmulator
let service: ServiceCredentials

beforeAll(async () => {
  ;({ emulator, service } = await emulatorWithIntegration())
})
afterAll(() => emulator.close())

/** Runs the action and checks that it failed before sending anything, without showing `secrets`. */
async function failsBeforeAnyRequest(
  inputs: Record<string, string>,
  secrets: Record<string, string> = {},
): Promise<{ error: string; run: ActionRun }> {
  const before = emulator.requests.length
  const run = await runAction(inputs)
  const error = expectOneErrorLine(run)
  expect(emulator.requests.length).toBe(before)
  expect(run.outputs).toEqual({})
  expectNoSecretAnywhere(run, {
    'client secret': service.integration.clientSecret,
    'private key': pemBodyLines(service.privateKeyPem).join('\n'),
    ...secrets,
  })
  return { error, run }
}

describe('missing inputs', () => {
  it('lists every missing input by name, with the note on forks and Dependabot', async () => {
    const { error } = await failsBeforeAnyRequest({ 'auth-type': 'jwt' })
    expect(error).toBe(
      'Error: Missing inputs for the service-account (JWT) flow: client-id, client-secret, technical-account-id, org-id, private-key and metascopes. Pass each as an input or in the credentials JSON. If they come from secrets: secrets are empty in workflows triggered by pull requests from forks and by Dependabot.',
    )
  })

  it('says what each flow needs when nothing at all is given', async () => {
    const { error } = await failsBeforeAnyRequest({})
    expect(error).toBe(
      'Error: Missing inputs: no flow has what it needs. The service-account (JWT) flow needs client-id, client-secret, technical-account-id, org-id, private-key and metascopes; the OAuth Server-to-Server flow needs client-id, client-secret and scopes. Each can be an input or come from credentials. If they come from secrets: secrets are empty in workflows triggered by pull requests from forks and by Dependabot.',
    )
  })

  it('names only what neither the inputs nor credentials supply', async () => {
    const json = JSON.parse(service.json) as { integration: Record<string, unknown> }
    delete json.integration['privateKey']
    const { error } = await failsBeforeAnyRequest({ credentials: JSON.stringify(json), 'ims-endpoint': emulator.origin })
    expect(error).toMatch(
      /^Error: Missing input for the service-account \(JWT\) flow \(auth-type auto chose it because credentials field integration\.metascopes belongs to it\): private-key\. Pass it as an input or in the credentials JSON\./,
    )
  })
})

describe('private-key', () => {
  const cases: [string, string, string][] = [
    ['text that is no key', 'not a key at all', 'Error: Input private-key is not a PEM private key. It accepts a PEM private key (PKCS#8'],
    [
      'a PEM cut short',
      service0Key().slice(0, 400),
      'Error: Input private-key is cut short: its -----END PRIVATE KEY----- line is missing.',
    ],
    [
      'a damaged key body',
      service0Key().replace(/\n[A-Za-z0-9+/]{64}\n/, '\nAAAA\n'),
      'Error: Input private-key could not be read: it may be cut short or damaged.',
    ],
    [
      'the certificate instead of the key',
      '',
      'Error: Input private-key holds a certificate, not a private key. Pass the private key that goes with it.',
    ],
  ]
  it.each(cases)('rejects %s, naming private-key and the accepted forms', async (_case, key, message) => {
    const given = key === '' ? service.integration.certificate : key
    const { error } = await failsBeforeAnyRequest({ ...separateInputs(service, emulator), 'private-key': given }, { 'given key': given })
    expect(error.startsWith(message)).toBe(true)
  })

  it('asks for the passphrase of an encrypted key', async () => {
    const encrypted = service.privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' })
      .toString()
    const { error } = await failsBeforeAnyRequest({ ...separateInputs(service, emulator), 'private-key': encrypted })
    expect(error).toBe('Error: Input private-key is encrypted. Set private-key-passphrase to its passphrase.')
  })

  it('says when the passphrase does not open the key, without showing either', async () => {
    const encrypted = service.privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' })
      .toString()
    const { error } = await failsBeforeAnyRequest(
      { ...separateInputs(service, emulator), 'private-key': encrypted, 'private-key-passphrase': 'close sesame' },
      { passphrase: 'close sesame', 'encrypted key': encrypted },
    )
    expect(error).toBe('Error: Input private-key could not be decrypted. Check private-key-passphrase: it does not open this key.')
  })

  it('refuses an EC key: IMS needs RSA for RS256', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const { error } = await failsBeforeAnyRequest({ ...separateInputs(service, emulator), 'private-key': ec }, { 'EC key': ec })
    expect(error).toBe(
      'Error: Input private-key is an EC key. IMS signs service-account JWTs with RS256, which needs an RSA key of 2048 bits or more.',
    )
  })

  it('names the credentials field when the key in credentials is bad', async () => {
    const json = JSON.parse(service.json) as { integration: Record<string, unknown> }
    json.integration['privateKey'] = 'garbage'
    const { error } = await failsBeforeAnyRequest({ credentials: JSON.stringify(json), 'ims-endpoint': emulator.origin })
    expect(error).toMatch(/^Error: Credentials field integration\.privateKey is not a PEM private key\./)
  })
})

function service0Key(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
}

describe('ims-endpoint', () => {
  it.each([
    ['http://ims-na1.adobelogin.com', 'must use https'],
    ['https://evil.example.com', 'names a host that is not an Adobe IMS host (https://evil.example.com).'],
    [
      'https://ims-na1.adobelogin.com.evil.example.com',
      'names a host that is not an Adobe IMS host (https://ims-na1.adobelogin.com.evil.example.com).',
    ],
    ['https://user:pass@ims-na1.adobelogin.com', 'must not carry a user name or password'],
    ['ftp://ims-na1.adobelogin.com', 'uses a scheme other than https (ftp://ims-na1.adobelogin.com).'],
    ['https://ims-na1.adobelogin.com/ims/exchange/jwt', 'must name only the scheme, host and port, without a path, query or fragment'],
  ])('refuses %s before any request', async (endpoint, why) => {
    const { error } = await failsBeforeAnyRequest({ ...separateInputs(service, emulator), 'ims-endpoint': endpoint })
    expect(error).toContain(`Error: Input ims-endpoint ${why}`)
  })
})

describe('credentials', () => {
  it('says the value is not JSON, without repeating it', async () => {
    const notJson = `{"integration": ${service.integration.clientSecret}`
    const { error } = await failsBeforeAnyRequest({ credentials: notJson }, { 'broken JSON': notJson })
    expect(error).toBe(
      'Error: Input credentials is not valid JSON. Store the JSON file as one secret, compact on one line (jq -c . file.json), or base64 of it (base64 -w0 file.json).',
    )
  })

  it('names the shapes it accepts when the JSON is of another shape', async () => {
    const { error } = await failsBeforeAnyRequest({ credentials: JSON.stringify({ secret: service.integration.clientSecret }) })
    expect(error).toMatch(
      /^Error: Input credentials is JSON of a shape this action does not know \(an object\)\. It accepts the AEM Developer Console service credentials JSON/,
    )
  })

  it('names a field of the wrong type', async () => {
    const json = JSON.parse(service.json) as { integration: Record<string, unknown> }
    json.integration['metascopes'] = { ent_aem_cloud_api: true }
    const { error } = await failsBeforeAnyRequest({ credentials: JSON.stringify(json) })
    expect(error).toBe(
      'Error: Credentials field integration.metascopes must be a comma-separated string or a list of strings, not an object.',
    )
  })
})

describe('identifiers and export-env', () => {
  it.each([
    ['org-id', 'not-an-org', 'Error: Input org-id does not look like an IMS organization id (…@AdobeOrg).'],
    [
      'technical-account-id',
      'someone@example.com',
      'Error: Input technical-account-id does not look like a technical account id (…@techacct.adobe.com).',
    ],
    ['client-id', 'has spaces in it', 'Error: Input client-id does not look like a client id'],
    ['metascopes', 'ent aem', 'Error: Input metascopes does not look like a list of metascopes'],
    ['export-env', '1TOKEN', 'Error: Input export-env must be a name that ends in _TOKEN'],
    ['export-env', 'GITHUB_TOKEN', 'Error: Input export-env names a variable under GITHUB_ (read by the runner and actions)'],
  ])('refuses a malformed %s', async (input, value, message) => {
    const { error } = await failsBeforeAnyRequest({ ...separateInputs(service, emulator), [input]: value })
    expect(error.startsWith(message)).toBe(true)
  })
})

describe('every input', () => {
  /** Over the 64 KiB limit, under Linux's 128 KiB cap on one environment string (the runner passes inputs as env). */
  const OVERSIZED = 'A'.repeat(100_000)
  const names = Object.keys(actionYml.inputs)

  it.each(names)('refuses an oversized %s, naming it', async (name) => {
    const { error } = await failsBeforeAnyRequest({ ...separateInputs(service, emulator), [name]: OVERSIZED })
    expect(error).toBe(
      `Error: Input ${name} is 100000 characters long; the most this action accepts is 65536. Check that the secret or value passed as ${name} is the right one.`,
    )
  })

  const encrypted = (): string =>
    service.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }).toString()
  const malformed: Record<string, [() => Record<string, string>, string]> = {
    credentials: [() => ({ credentials: 'integration: yes' }), 'Error: Input credentials is neither JSON nor base64 of JSON.'],
    'client-id': [() => ({ 'client-id': 'cm p1 e2' }), 'Error: Input client-id does not look like a client id'],
    'client-secret': [
      () => ({ 'client-secret': 'p8e secret with spaces' }),
      'Error: Input client-secret does not look like a client secret',
    ],
    'technical-account-id': [
      () => ({ 'technical-account-id': 'robot@example.com' }),
      'Error: Input technical-account-id does not look like a technical account id',
    ],
    'org-id': [() => ({ 'org-id': 'ACME' }), 'Error: Input org-id does not look like an IMS organization id'],
    'private-key': [
      () => ({ 'private-key': '-----BEGIN PRIVATE KEY-----\n%%%\n-----END PRIVATE KEY-----' }),
      'Error: Input private-key is not a readable PEM private key: its body is not base64.',
    ],
    'private-key-passphrase': [
      () => ({ 'private-key': encrypted(), 'private-key-passphrase': 'wrong' }),
      'Error: Input private-key could not be decrypted. Check private-key-passphrase: it does not open this key.',
    ],
    metascopes: [
      () => ({ metascopes: 'ent_aem_cloud_api;ent_cloudmgr_sdk' }),
      'Error: Input metascopes does not look like a list of metascopes',
    ],
    scopes: [() => ({ 'auth-type': 'oauth', scopes: 'openid AdobeID' }), 'Error: Input scopes does not look like a list of OAuth scopes'],
    'auth-type': [() => ({ 'auth-type': 'JWT-please' }), 'Error: Input auth-type must be auto, jwt or oauth.'],
    'ims-endpoint': [
      () => ({ 'ims-endpoint': 'https://ims-na1.adobelogin.com:443@evil.example' }),
      'Error: Input ims-endpoint must not carry a user name or password.',
    ],
    'export-env': [() => ({ 'export-env': 'IMS-TOKEN' }), 'Error: Input export-env must be a name that ends in _TOKEN'],
    'max-attempts': [() => ({ 'max-attempts': 'three' }), 'Error: Input max-attempts must be a whole number from 1 to 50 (default 20).'],
    'retry-budget': [() => ({ 'retry-budget': '2m' }), 'Error: Input retry-budget must be a whole number from 0 to 3600 (default 120).'],
    'request-timeout': [
      () => ({ 'request-timeout': '2.5' }),
      'Error: Input request-timeout must be a whole number from 1 to 300 (default 30).',
    ],
    'invalidate-token': [() => ({ 'invalidate-token': 'no' }), 'Error: Input invalidate-token must be true or false (default true).'],
    summary: [() => ({ summary: 'yes' }), 'Error: Input summary must be true or false (default true).'],
  }

  it('has a malformed case for each input', () => {
    expect(Object.keys(malformed).sort()).toEqual([...names].sort())
  })

  it.each(Object.entries(malformed))('refuses a malformed %s, naming it', async (_name, [override, message]) => {
    const { error } = await failsBeforeAnyRequest({ ...separateInputs(service, emulator), ...override() }, { passphrase: 'wrong' })
    expect(error.startsWith(message)).toBe(true)
  })

  it.each(['client-id', 'client-secret', 'technical-account-id', 'org-id', 'private-key', 'metascopes'])(
    'names %s when it is empty',
    async (name) => {
      const { error } = await failsBeforeAnyRequest({ ...separateInputs(service, emulator), [name]: '' })
      expect(error).toMatch(
        new RegExp(
          `^Error: Missing input for the service-account \\(JWT\\) flow( \\(auth-type auto chose it because [^)]+\\))?: ${name}\\.`,
        ),
      )
    },
  )

  it('names scopes when it is empty for OAuth', async () => {
    const { error } = await failsBeforeAnyRequest({ 'client-id': 'abc', 'client-secret': 'p8e-x', 'auth-type': 'oauth', scopes: '  \n ' })
    expect(error).toMatch(/^Error: Missing input for the OAuth Server-to-Server flow: scopes\./)
  })

  it.each([
    ['max-attempts', '0'],
    ['max-attempts', '51'],
    ['retry-budget', '3601'],
    ['retry-budget', '1.5'],
    ['request-timeout', '0'],
    ['request-timeout', '301'],
    ['request-timeout', '-5'],
  ])('refuses %s %s, out of range', async (name, value) => {
    const { error } = await failsBeforeAnyRequest({ ...separateInputs(service, emulator), [name]: value })
    expect(error).toMatch(new RegExp(`^Error: Input ${name} must be a whole number from [01] to \\d+ \\(default \\d+\\)\\.$`))
  })

  it('refuses an RSA key under 2048 bits: IMS needs RS256 with 2048 or more', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    const { error } = await failsBeforeAnyRequest({ ...separateInputs(service, emulator), 'private-key': small }, { 'small key': small })
    expect(error).toBe('Error: Input private-key is an RSA key of 1024 bits. IMS needs RSA keys of 2048 bits or more for RS256.')
  })
})
