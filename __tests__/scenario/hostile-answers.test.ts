/**
 * The bundled action against a hostile server in IMS's place: answers built to smuggle a piece of what
 * was sent into the log (in a JSON key, the status text, the x-debug-id, a redirect's target, IMS's error
 * description, the content type), 2xx answers holding a token the action cannot read, and 1 MiB answers
 * built to make a backtracking regex run for minutes. The leak search looks for any 12 characters of each
 * secret in the forms an echo takes (lower- and upper-cased, percent-, form-, JSON-encoded, base64), with
 * debug logging on.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Fault } from '../../emulator/ims-emulator.js'
import { runAction, type ActionRun } from '../../emulator/runner.js'
import { expectMaskedBeforeAnyUse, expectNoSecretAnywhere, expectOneErrorLine } from '../support/expectations.js'
import { emulatorWithIntegration, type ImsEmulator, separateInputs, type ServiceCredentials } from '../support/fixtures.js'
import { expectNoSecretFragments } from '../support/leak-search.js'

let emulator: ImsEmulator
let service: ServiceCredentials

beforeAll(async () => {
  ;({ emulator, service } = await emulatorWithIntegration())
})
afterAll(() => emulator.close())

/**
 * A client secret with the characters that each encoding changes (`~` and `+` and `/` for form- and
 * percent-encoding, `"` and `\` for JSON) and a long alphanumeric run that looks like an id.
 */
const SECRET = 'p8e-Q3vYk2Lm9Rt7ZpXw4Nc8Hq~Jf5+Wd2/Bx"6\\Ty0'
/** 20 characters of the secret that pass for a host name, a debug id or a media type. */
const PIECE = SECRET.slice(4, 24)

const formEncoded = (text: string): string => new URLSearchParams({ s: text }).toString().slice(2)
const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1)
const json = { 'content-type': 'application/json;charset=utf-8' }

/** A JWT-shaped access token, as IMS hands them out; the action never got it in a form it could read. */
const TOKEN = [
  Buffer.from('{"alg":"RS256","x5u":"ims_na1-key-at-1.cer","kid":"ims_na1-key-at-1"}').toString('base64url'),
  Buffer.from(JSON.stringify({ type: 'access_token', client_id: 'hostile', expires_in: '86400000', nonce: Math.random() })).toString(
    'base64url',
  ),
  Buffer.from('a signature of two hundred and fifty-six bytes, more or less, as RS256 has').toString('base64url'),
].join('.')

/**
 * Queues `faults` (exactly as many as the run will meet), runs the action with the hostile secret and
 * debug logging, and searches every readable place for any piece of the secret, each JWT sent and the token.
 */
async function runAgainst(faults: Fault[], inputs: Record<string, string> = {}): Promise<ActionRun> {
  emulator.injectFaults(...faults)
  const before = emulator.requests.length
  const run = await runAction({ ...separateInputs(service, emulator), 'client-secret': SECRET, ...inputs }, { env: { RUNNER_DEBUG: '1' } })
  const requests = emulator.requests.slice(before)
  expect(requests).toHaveLength(faults.length)
  const secrets = {
    'client secret': SECRET,
    token: TOKEN,
    ...Object.fromEntries(requests.map((request, index) => [`JWT ${index}`, request.fields['jwt_token'] ?? ''])),
  }
  expectNoSecretAnywhere(run, secrets)
  expectNoSecretFragments(run, secrets)
  return run
}

describe('a hostile answer cannot put a piece of a secret into the log', () => {
  it.each([
    [
      'a JSON key',
      { kind: 'answer', status: 400, headers: json, body: JSON.stringify({ [`client_secret=${SECRET}`]: 1 }) },
      'IMS answered the JWT exchange with 400 Bad Request (application/json): JSON without a usable access_token or error field',
    ],
    [
      'the status text, lower-cased',
      { kind: 'answer', status: 400, statusText: `Bad ${SECRET.toLowerCase()}`, headers: {}, body: '' },
      'IMS answered the JWT exchange with 400 Bad Request (no content type): an empty body',
    ],
    [
      'the status text, cut inside the secret',
      { kind: 'answer', status: 403, statusText: `${'Forbidden '.repeat(5)}${SECRET}`, headers: {}, body: '' },
      'IMS answered the JWT exchange with 403 Forbidden (no content type): an empty body',
    ],
    [
      'the x-debug-id',
      { kind: 'answer', status: 404, headers: { 'x-debug-id': `dbg-${PIECE}` }, body: '' },
      'IMS answered the JWT exchange with 404 Not Found (no content type): an empty body.',
    ],
    [
      'the host of a redirect, lower-cased by URL parsing',
      { kind: 'answer', status: 302, headers: { location: `https://${PIECE}.example.net/next` }, body: '' },
      'IMS answered the JWT exchange with a redirect (302) (x-debug-id ',
    ],
    [
      'the content type',
      { kind: 'answer', status: 400, headers: { 'content-type': `application/x-${PIECE}` }, body: '' },
      'IMS answered the JWT exchange with 400 Bad Request (an unusual content type): an empty body',
    ],
    [
      'an HTML title, lower-cased',
      {
        kind: 'answer',
        status: 403,
        headers: { 'content-type': 'text/html' },
        body: `<html><title>Denied ${SECRET.toLowerCase()}</title>`,
      },
      'IMS answered the JWT exchange with 403 Forbidden (text/html): an HTML page titled "Denied ***"',
    ],
    [
      'a text body that echoes the form, form-encoded',
      { kind: 'answer', status: 400, headers: { 'content-type': 'text/plain' }, body: `echo: client_secret=${formEncoded(SECRET)}&x=1` },
      'IMS answered the JWT exchange with 400 Bad Request (text/plain): "echo: client_secret=***&x=1"',
    ],
  ] as [string, Fault, string][])('in %s', async (_piece, fault, error) => {
    const run = await runAgainst([fault])
    expect(expectOneErrorLine(run)).toContain(`Error: ${error}`)
  })

  it.each([
    ['form-encoded', formEncoded(SECRET)],
    ['percent-encoded and lower-cased', encodeURIComponent(SECRET).toLowerCase()],
    ['lower-cased', SECRET.toLowerCase()],
    ['JSON-escaped', jsonEscaped(SECRET)],
    ['cut to its first 24 characters', SECRET.slice(0, 24)],
    ['upper-cased, at the place where the description is cut', `${'x'.repeat(160)} ${SECRET.toUpperCase()}`],
  ])('in IMS’s error_description, with the secret %s', async (_form, echoed) => {
    const body = JSON.stringify({ error: 'invalid_client', error_description: `no client_secret ${echoed} here` })
    const run = await runAgainst([{ kind: 'answer', status: 400, headers: json, body }])
    expect(expectOneErrorLine(run)).toMatch(/^Error: IMS rejected the JWT exchange \(400 invalid_client\): no client_secret (x+ )?\*\*\*/)
  })

  it('in IMS’s error, which is quoted only when it is one short word', async () => {
    const body = JSON.stringify({ error: `${'e'.repeat(50)}${SECRET}`, error_description: 'bad' })
    const run = await runAgainst([{ kind: 'answer', status: 400, headers: json, body }])
    expect(expectOneErrorLine(run)).toContain('(400 an unusual error code): bad')
  })
})

describe('a 2xx answer with a token the action cannot read is not quoted, and its token is masked first', () => {
  const tokenJson = JSON.stringify({ access_token: TOKEN, token_type: 'bearer', expires_in: 86_399_999 })
  it.each([
    ['trailing text', `${tokenJson} <!-- cached -->`, 'a body that is not a JSON object (not quoted: it may hold a token)'],
    ['an XSSI prefix', `)]}'\n${tokenJson}`, 'a body that is not a JSON object (not quoted: it may hold a token)'],
    [
      'a body over the size limit',
      JSON.stringify({ access_token: TOKEN, padding: 'x'.repeat(1_100_000) }),
      'a body that is not a JSON object (not quoted: it may hold a token)',
    ],
    ['an HTML page', `<html><title>${TOKEN}</title></html>`, 'an HTML page'],
  ])('%s', async (_case, body, described) => {
    const run = await runAgainst([{ kind: 'answer', status: 200, headers: json, body }])
    expect(expectOneErrorLine(run)).toMatch(
      new RegExp(
        `^Error: IMS answered the JWT exchange with 200 OK \\(application/json\\) without an access token: ${described.replace(/[()]/g, '\\$&')} \\(x-debug-id [0-9a-f-]{36}\\)\\.$`,
      ),
    )
    expectMaskedBeforeAnyUse(run, { token: TOKEN })
  })

  it('a token in an error answer is masked too, and blanked from the quote', async () => {
    const run = await runAgainst(
      [{ kind: 'answer', status: 500, headers: { 'content-type': 'text/plain', 'retry-after': '0' }, body: `oops ${tokenJson}` }],
      {
        'max-attempts': '1',
      },
    )
    expect(expectOneErrorLine(run)).toContain(
      'IMS answered the JWT exchange with 500 Internal Server Error (text/plain): "oops {"access_token":"***","token_type"',
    )
    expectMaskedBeforeAnyUse(run, { token: TOKEN })
  })
})

describe('a 1 MiB hostile answer costs milliseconds', () => {
  it('reads 1 MiB of unclosed <title> tags three times within the attempts', async () => {
    const gateway: Fault = {
      kind: 'answer',
      status: 502,
      headers: { 'content-type': 'text/html', 'retry-after': '0' },
      body: `<html>${'<title>'.repeat(150_000)}`,
    }
    // Before the scan was linear this took about 20 s of CPU per attempt: jest's timeout fails it.
    const run = await runAgainst([gateway, gateway, gateway], { 'max-attempts': '3', 'request-timeout': '3' })
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: IMS answered the JWT exchange with 502 Bad Gateway \(text\/html\): an HTML page \(x-debug-id [0-9a-f-]{36}\)\. IMS had a problem on its side: .* Gave up after 3 attempts over \d+\.\d s \(max-attempts is 3\)\.$/,
    )
  })

  it.each([
    ['JWT-shaped runs', 'text/plain', 'eyJ'.repeat(350_000)],
    ['unclosed access_token fields', 'text/plain', '"access_token":"'.repeat(65_000)],
    ['echoes of the secret', 'text/plain', `${SECRET} `.repeat(24_000)],
  ])('reads 1 MiB of %s', async (_case, contentType, body) => {
    const run = await runAgainst([{ kind: 'answer', status: 400, headers: { 'content-type': contentType }, body }], {
      'request-timeout': '3',
    })
    expect(expectOneErrorLine(run)).toMatch(/^Error: IMS answered the JWT exchange with 400 Bad Request \(text\/plain\): "/)
  })
})
