/**
 * The second security review's findings, each run against the bundle as the runner runs it: a secret
 * echoed in disguise, a token-shaped answer built to cost a minute, a proxy URL @actions/http-client would
 * drop, proxies that answer for themselves, TLS spoken to plain http, a later step that changes the network
 * before the post step, and Markdown in the job summary.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { HtmlRenderer, Parser } from 'commonmark'
import type { ConnectProxy } from '../../emulator/connect-proxy.js'
import type { Fault } from '../../emulator/ims-emulator.js'
import { type ActionRun, runAction, runActionWithPost } from '../../emulator/runner.js'
import { expectOneErrorLine } from '../support/expectations.js'
import {
  ImsEmulator,
  makeServiceCredentials,
  separateInputs,
  type ServiceCredentials,
  IMS_HOST,
  imsBehindProxy,
  RESOLVE_TO_LOOPBACK,
} from '../support/fixtures.js'
import { expectNoSecretFragments, expectNoSecretInDisguise } from '../support/leak-search.js'

let service: ServiceCredentials
/** Plain http IMS on loopback. */
let plain: ImsEmulator
/** IMS at its real host name behind `proxy`, with a certificate from the CA in `caFile`. */
let trusted: ImsEmulator
let proxy: ConnectProxy
/** What a later step of the job could point the post step at: its own proxy, its own IMS, its own CA. */
let intruder: ImsEmulator
let intruderProxy: ConnectProxy
let dir: string
let caFile: string
let intruderCaFile: string

beforeAll(async () => {
  service = await makeServiceCredentials()
  const integrations = [service.integration]
  dir = mkdtempSync(join(tmpdir(), 'ims-second-review-'))
  plain = await ImsEmulator.start({ integrations })
  ;({ ims: trusted, proxy, caFile } = await imsBehindProxy('trusted', dir, integrations))
  ;({ ims: intruder, proxy: intruderProxy, caFile: intruderCaFile } = await imsBehindProxy('intruder', dir, integrations))
})
afterAll(async () => {
  await Promise.all([proxy.close(), intruderProxy.close()])
  await Promise.all([plain.close(), trusted.close(), intruder.close()])
  rmSync(dir, { recursive: true, force: true })
})

/** A client secret as Adobe issues them: letters, digits and dashes. */
const SECRET = 'p8e-Q3vYk2Lm9Rt7ZpXw4Nc8HqJf5Wd2Bx6Ty0'
const reversed = (text: string): string => [...text].reverse().join('')
const piecesOf = (text: string, length: number): string[] => text.match(new RegExp(`.{1,${length}}`, 'g')) ?? []
const fullWidth = (text: string): string => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
const everyCharacterPercentEncoded = (text: string): string =>
  [...text].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('')
const json = { 'content-type': 'application/json' }

/** Runs the action with SECRET against `plain`, which answers `faults`, with debug logging, and searches for the secret in every disguise. */
async function runWithSecret(faults: Fault[], inputs: Record<string, string> = {}): Promise<ActionRun> {
  plain.injectFaults(...faults)
  const run = await runAction({ ...separateInputs(service, plain), 'client-secret': SECRET, ...inputs }, { env: { RUNNER_DEBUG: '1' } })
  expectNoSecretFragments(run, { 'client secret': SECRET })
  expectNoSecretInDisguise(run, { 'client secret': SECRET })
  return run
}

describe('a secret echoed in disguise is not quoted', () => {
  it.each([
    ['with a zero-width space between its characters', [...SECRET].join('\u200b')],
    ['reversed', reversed(SECRET)],
    ['full-width', fullWidth(SECRET)],
    ['with every character percent-encoded', everyCharacterPercentEncoded(SECRET)],
    ['in pieces of 7 characters joined by ":"', piecesOf(SECRET, 7).join(':')],
    ['in pieces of 7 characters joined by spaces, upper-cased', piecesOf(SECRET.toUpperCase(), 7).join(' ')],
  ])('in IMS’s error_description, %s', async (_disguise, echoed) => {
    const body = JSON.stringify({ error: 'invalid_client', error_description: `client_secret ${echoed} is wrong` })
    const run = await runWithSecret([{ kind: 'answer', status: 401, headers: json, body }])
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: IMS rejected the JWT exchange \(401 invalid_client\): client_secret \*\*\* is wrong \(x-debug-id [0-9a-f-]{36}\)\./,
    )
  })

  it.each([
    ['pieces of 7 joined by ":"', piecesOf(SECRET, 7).join(':')],
    ['reversed', reversed(SECRET)],
  ])('in the x-debug-id, as %s', async (_disguise, debugId) => {
    const run = await runWithSecret([{ kind: 'answer', status: 403, headers: { 'x-debug-id': debugId }, body: '' }])
    expect(expectOneErrorLine(run)).toBe('Error: IMS answered the JWT exchange with 403 Forbidden (no content type): an empty body.')
  })

  it.each([
    ['pieces of 7 joined by "."', `application/${piecesOf(SECRET, 7).join('.')}`],
    ['reversed', `text/x-${reversed(SECRET)}`],
  ])('in the content type, as %s', async (_disguise, contentType) => {
    const run = await runWithSecret([{ kind: 'answer', status: 400, headers: { 'content-type': contentType }, body: '' }])
    expect(expectOneErrorLine(run)).toMatch(
      /^Error: IMS answered the JWT exchange with 400 Bad Request \(an unusual content type\): an empty body/,
    )
  })

  it.each([
    ['reversed', reversed(SECRET)],
    ['cut to 7 characters', SECRET.slice(4, 11)],
    ['an ordinary word with a zero-width space', 'bea\u200brer'],
  ])('in token_type, %s: the token is taken as bearer, in the log and the token-type output', async (_disguise, tokenType) => {
    const token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('{"type":"access_token"}').toString('base64url')}.c2ln`
    const body = JSON.stringify({ access_token: token, token_type: tokenType, expires_in: 86_399_999 })
    const run = await runWithSecret([{ kind: 'answer', status: 200, headers: json, body }])
    expect(run.exitCode).toBe(0)
    expect(run.outputs['token-type']).toBe('bearer')
    expect(run.log).toMatch(/^Got a bearer token; it expires at /m)
    expect(run.log).toContain('##[debug]IMS answered a token_type that is not one short word free of secrets: not quoted, taken as bearer.')
  })
})

describe('a 1 MiB token-shaped answer costs well under a second', () => {
  const base64url = (bytes: number): string => randomBytes(bytes).toString('base64url')
  /** Just under the 1 MiB read, so the dots at the end arrive. */
  const RUN = 1024 * 1024 - 4096
  it.each([
    ['one run with dots', `eyJ${base64url((RUN * 3) / 4)}.eyJ${base64url(600)}.sig`],
    ['one run without dots', `eyJ${base64url((RUN * 3) / 4)}`],
    ['many token-sized runs', Array.from({ length: 80 }, () => `eyJ${base64url(9_000)}.eyJ${base64url(300)}.${base64url(256)}`).join(' ')],
    ['runs just over a token’s length', Array.from({ length: 50 }, () => `eyJ${base64url(15_000)}.eyJ${base64url(200)}.sig`).join('\n')],
  ])(
    'a 502 whose body is %s, three attempts, within the request timeout, and no huge mask',
    async (_shape, body) => {
      const gateway: Fault = { kind: 'answer', status: 502, headers: { 'content-type': 'text/plain', 'retry-after': '0' }, body }
      // Before candidates were capped, one attempt took about a minute of CPU: jest's timeout fails it.
      const run = await runWithSecret([gateway, gateway, gateway], { 'max-attempts': '3', 'request-timeout': '5' })
      expect(expectOneErrorLine(run)).toMatch(
        /^Error: IMS answered the JWT exchange with 502 Bad Gateway \(text\/plain\): "\*\*\*.*\(x-debug-id [0-9a-f-]{36}\)\. IMS had a problem on its side: .* Gave up after 3 attempts over \d+\.\d s \(max-attempts is 3\)\.$/,
      )
      const masks = run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'))
      expect(masks.filter((line) => line.length > 16_384 + 20)).toEqual([])
    },
    30_000,
  )
})

describe('proxies', () => {
  const PASSWORD = 'Pr0xy-Pa55w0rd_Zq9Lm'

  it('refuses a proxy URL whose password @actions/http-client cannot decode, naming the variable, before any request', async () => {
    const requests = trusted.requests.length
    const run = await runAction(
      { credentials: service.json, 'ims-endpoint': `https://${IMS_HOST}:${trusted.port}` },
      {
        // Were the proxy dropped, the request would go direct: the loader sends it to `trusted`, not the internet.
        env: {
          HTTPS_PROXY: `http://bob:${PASSWORD}%zz@${proxy.url.slice(7)}`,
          NODE_EXTRA_CA_CERTS: caFile,
          NODE_OPTIONS: `--import=${RESOLVE_TO_LOOPBACK}`,
        },
      },
    )
    expect(expectOneErrorLine(run)).toBe(
      'Error: The proxy in HTTPS_PROXY has a user or password that is not valid percent-encoding (write % itself as %25). Give it as http://host:port (a user and password may come before the host: http://user:password@host:port).',
    )
    expect(trusted.requests.length).toBe(requests)
    expectNoSecretFragments(run, { 'proxy password': PASSWORD })
  })

  it('goes through a proxy with a password, with no deprecation warning in the step log', async () => {
    const run = await runAction(
      { credentials: service.json },
      { env: { HTTPS_PROXY: `http://builder:${PASSWORD}@${proxy.url.slice(7)}`, NODE_EXTRA_CA_CERTS: caFile } },
    )
    expect(run.exitCode).toBe(0)
    expect(run.stderr).not.toMatch(/DeprecationWarning|DEP0005/)
    expect(run.log).not.toMatch(/DeprecationWarning|DEP0005/)
  })

  /** A proxy that answers every CONNECT with `status`, and what it was sent as Proxy-Authorization. */
  async function answeringProxy(status: number): Promise<{ server: Server; url: string; authorizations: (string | undefined)[] }> {
    const authorizations: (string | undefined)[] = []
    const server = createServer()
    server.on('connect', (request, socket) => {
      authorizations.push(request.headers['proxy-authorization'])
      socket.end(`HTTP/1.1 ${status} Proxy Says No\r\nContent-Length: 0\r\n\r\n`)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, authorizations }
  }

  it('says to check the proxy’s user and password when it answers 407, having sent them as the URL gives them', async () => {
    const refusing = await answeringProxy(407)
    try {
      const run = await runAction(
        { credentials: service.json },
        { env: { HTTPS_PROXY: `http://builder:${encodeURIComponent('pa55@word')}@${refusing.url.slice(7)}` } },
      )
      expect(expectOneErrorLine(run)).toBe(
        'Error: Could not get an answer from IMS for the JWT exchange at ims-na1.adobelogin.com: the proxy wants credentials it did not get or did not accept (407 Proxy Authentication Required): check the user and password in the proxy variable (http://user:password@host:port, with special characters percent-encoded). Gave up: another attempt would fail the same way.',
      )
      expect(refusing.authorizations).toEqual([`Basic ${Buffer.from('builder:pa55@word').toString('base64')}`])
      expect(run.stderr).not.toMatch(/DeprecationWarning|DEP0005/)
    } finally {
      refusing.server.close()
    }
  })

  it('tells a proxy’s own 502 from a reset connection', async () => {
    const failing = await answeringProxy(502)
    try {
      const run = await runAction({ credentials: service.json, 'max-attempts': '1' }, { env: { HTTPS_PROXY: failing.url } })
      expect(expectOneErrorLine(run)).toMatch(
        /^Error: Could not get an answer from IMS for the JWT exchange at ims-na1\.adobelogin\.com: the proxy answered 502 Bad Gateway instead of connecting to IMS: it could not reach IMS\. Gave up after 1 attempt over \d+\.\d s \(max-attempts is 1\)\.$/,
      )
    } finally {
      failing.server.close()
    }
  })
})

describe('TLS spoken to a plain-http IMS', () => {
  it('says to check the scheme of ims-endpoint', async () => {
    const run = await runAction({ ...separateInputs(service, plain), 'ims-endpoint': `127.0.0.1:${plain.port}` })
    expect(expectOneErrorLine(run)).toMatch(
      new RegExp(
        `^Error: Could not get an answer from IMS for the JWT exchange at 127\\.0\\.0\\.1:${plain.port}: the server did not answer TLS \\(EPROTO: .*\\): it may speak plain http\\. Check the scheme of ims-endpoint: a host without a scheme means https; give http://host:port for a local emulator\\. Gave up: another attempt would fail the same way\\.$`,
      ),
    )
  })
})

describe('the post step and the network of later steps', () => {
  const mainEnv = (): Record<string, string> => ({ HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile })

  it('sends nothing through a proxy and CA a later step wrote to GITHUB_ENV, and says until when the token stays valid', async () => {
    const [tunnels, requests] = [intruderProxy.tunnels.length, intruder.requests.length]
    const { main, post } = await runActionWithPost(
      { credentials: service.json },
      { env: mainEnv(), postEnv: { HTTPS_PROXY: intruderProxy.url, NODE_EXTRA_CA_CERTS: intruderCaFile } },
    )
    expect(main.exitCode).toBe(0)
    expect(post.exitCode).toBe(0)
    expect(intruderProxy.tunnels.length).toBe(tunnels)
    expect(intruder.requests.length).toBe(requests)
    expect(post.log.split('\n').filter((line) => line.startsWith('Warning: '))).toEqual([
      `Warning: The access token was not invalidated at IMS; it stays valid until ${main.outputs['expires-at'] ?? ''}. The network settings (proxy variables, NO_PROXY or the CA certificates: NODE_EXTRA_CA_CERTS, SSL_CERT_FILE and the like) changed after the main step, probably through GITHUB_ENV in a later step, so nothing was sent through them.`,
    ])
    // A hash, never the proxy's URL.
    expect(main.files.state).not.toContain(proxy.url)
  })

  it('invalidates through the same proxy when nothing changed', async () => {
    const { main, post } = await runActionWithPost({ credentials: service.json }, { env: mainEnv() })
    expect(main.exitCode).toBe(0)
    expect(post.log).toContain('The access token was invalidated at IMS.')
    expect(trusted.requests.at(-1)).toMatchObject({ path: '/ims/invalidate_token/v2', status: 200 })
  })
})

describe('the job summary', () => {
  it('renders no link or image from Markdown that a hostile IMS put into the token’s scope claim', async () => {
    const scope =
      'openid,\n\n[click here](https://evil.example/phish)\n\n![tracker](https://evil.example/pixel.png)\n\n<https://evil.example/auto>,*bold* `code`'
    const payload = Buffer.from(JSON.stringify({ type: 'access_token', scope })).toString('base64url')
    const body = JSON.stringify({
      token_type: 'bearer',
      access_token: `eyJhbGciOiJSUzI1NiJ9.${payload}.c2lnbmF0dXJl`,
      expires_in: 86_399_999,
    })
    plain.injectFaults({ kind: 'answer', status: 200, headers: json, body })
    const run = await runAction({ credentials: service.json, 'ims-endpoint': plain.origin })
    expect(run.exitCode).toBe(0)
    const html = new HtmlRenderer().render(new Parser().parse(run.files.summary))
    expect(html).not.toMatch(/<a[\s>]|<img[\s>]|<em>|<strong>|<code>/)
    expect(html).toContain('click here')
  })
})
