/**
 * The token's end: the main step and then the post step, run as the runner runs them (the state the main
 * step wrote to GITHUB_STATE reaches the post step as STATE_*), against the emulator, which invalidates a
 * token as IMS does and reports it invalid from then on.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type ActionRun, parseFileCommands, runActionWithPost } from '../../emulator/runner.js'
import { type Fault } from '../../emulator/ims-emulator.js'
import { makeOAuthCredential, type OAuthCredential } from '../../emulator/throwaway-credentials.js'
import { expectMaskedBeforeAnyUse, expectNoSecretAnywhere } from '../support/expectations.js'
import { ImsEmulator, makeServiceCredentials, type ServiceCredentials } from '../support/fixtures.js'
import { expectNoSecretFragments } from '../support/leak-search.js'
import { htmlEscaped } from '../../src/lib/summary.js'

let emulator: ImsEmulator
let service: ServiceCredentials
let oauth: OAuthCredential

beforeAll(async () => {
  service = await makeServiceCredentials()
  oauth = makeOAuthCredential(['openid', 'AdobeID'])
  emulator = await ImsEmulator.start({ integrations: [service.integration], oauthClients: [oauth.client] })
})
afterAll(() => emulator.close())

const DEBUG = { env: { RUNNER_DEBUG: '1' } }
const INVALIDATE = '/ims/invalidate_token/v2'
const row = (item: string, value: string): string => `<tr><td>${item}</td><td>${value}</td></tr>`

/** What IMS says of a token now, asked as a client asks: /ims/validate_token/v1. */
async function validity(token: string, clientId: string): Promise<unknown> {
  const response = await fetch(`${emulator.origin}/ims/validate_token/v1`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: new URLSearchParams({ type: 'access_token', client_id: clientId }),
  })
  return response.json()
}

/** Main and post, with the requests each step sent and what IMS said of the token between the two. */
async function mainAndPost(inputs: Record<string, string>, faultsForPost: Fault[] = []) {
  const before = emulator.requests.length
  let afterMain = 0
  let validAfterMain: unknown
  const { main, post } = await runActionWithPost(inputs, {
    ...DEBUG,
    betweenSteps: (run) => {
      afterMain = emulator.requests.length
      validAfterMain = emulator.tokenStatus(run.outputs['access-token'] ?? '')
      emulator.injectFaults(...faultsForPost)
    },
  })
  return {
    main,
    post,
    validAfterMain,
    mainRequests: emulator.requests.slice(before, afterMain),
    postRequests: emulator.requests.slice(afterMain),
  }
}

const visibleLines = (run: ActionRun): string[] => run.log.split('\n').filter((line) => line !== '' && !line.startsWith('##[debug]'))

describe('the post step invalidates the token', () => {
  it('JWT flow: the token is valid after the main step and invalid after the post step', async () => {
    const { main, post, validAfterMain, postRequests } = await mainAndPost({ credentials: service.json, 'ims-endpoint': emulator.origin })
    expect(main.exitCode).toBe(0)
    const token = main.outputs['access-token'] ?? ''
    expect(validAfterMain).toEqual({ valid: true })
    // The state carries the token, its expiry and a hash of the network settings, nothing else.
    expect(parseFileCommands(main.files.state)).toEqual({
      token,
      'expires-at': main.outputs['expires-at'],
      network: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    // The main step can only say what will happen; the post step says what did.
    expect(main.files.summary).toContain(
      row('After the job', 'To be invalidated at IMS by the post step when the job ends; its result is added at the end of the summary'),
    )
    expect({ clientId: main.outputs['client-id'], orgId: main.outputs['org-id'] }).toEqual({
      clientId: service.integration.clientId,
      orgId: service.integration.orgId,
    })

    expect(post.exitCode).toBe(0)
    expect(postRequests).toHaveLength(1)
    expect(postRequests[0]).toMatchObject({
      method: 'POST',
      path: INVALIDATE,
      contentType: 'application/x-www-form-urlencoded',
      status: 200,
      authorization: undefined,
    })
    expect(postRequests[0]?.fields).toEqual({
      token_type: 'access_token',
      token,
      client_id: service.integration.clientId,
      client_secret: service.integration.clientSecret,
    })
    expect(visibleLines(post)).toEqual(['The access token was invalidated at IMS.'])
    expect(await validity(token, service.integration.clientId)).toEqual({ valid: false, reason: 'invalidated' })

    const secrets = { token, 'client secret': service.integration.clientSecret }
    expectMaskedBeforeAnyUse(post, secrets)
    expectNoSecretAnywhere(post, { ...secrets, 'private key': service.privateKeyPem })
    expectNoSecretFragments(post, { ...secrets, 'private key': service.privateKeyPem })
    // The post step wrote nothing for later steps, and one line for the job summary.
    expect(post.files).toMatchObject({ output: '', env: '', state: '' })
    expect(post.files.summary).toMatch(
      new RegExp(
        `^<p><strong>Adobe IMS access token \\(expiring at ${main.outputs['expires-at'] ?? ''}\\)</strong>: invalidated at IMS by the post step at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\.</p>\n$`,
      ),
    )
  })

  it('OAuth flow without an org: client-id set, org-id empty, and the token invalidated', async () => {
    const { main, post, postRequests } = await mainAndPost({
      'client-id': oauth.client.clientId,
      'client-secret': oauth.client.clientSecret,
      scopes: 'openid,AdobeID',
      'ims-endpoint': emulator.origin,
    })
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ 'client-id': oauth.client.clientId, 'org-id': '' })
    expect(main.stdout).not.toContain(`::add-mask::${oauth.client.clientId}`)
    const token = main.outputs['access-token'] ?? ''
    expect(post.exitCode).toBe(0)
    expect(postRequests.map((request) => [request.path, request.fields['client_id'], request.status])).toEqual([
      [INVALIDATE, oauth.client.clientId, 200],
    ])
    expect(visibleLines(post)).toEqual(['The access token was invalidated at IMS.'])
    expect(await validity(token, oauth.client.clientId)).toEqual({ valid: false, reason: 'invalidated' })
    const secrets = { token, 'client secret': oauth.client.clientSecret }
    expectMaskedBeforeAnyUse(post, secrets)
    expectNoSecretFragments(post, secrets)
  })

  it('OAuth flow with a project JSON: org-id from the JSON', async () => {
    const { main, post } = await mainAndPost({ credentials: oauth.projectJson, 'ims-endpoint': emulator.origin })
    expect(main.outputs).toMatchObject({ 'client-id': oauth.client.clientId, 'org-id': oauth.orgId })
    expect(visibleLines(post)).toEqual(['The access token was invalidated at IMS.'])
  })
  it('summary: false: the token is invalidated, and neither step writes to the job summary', async () => {
    const { main, post, postRequests } = await mainAndPost({ credentials: service.json, 'ims-endpoint': emulator.origin, summary: 'false' })
    expect(main.exitCode).toBe(0)
    expect(postRequests.map((request) => request.status)).toEqual([200])
    expect(visibleLines(post)).toEqual(['The access token was invalidated at IMS.'])
    expect({ main: main.files.summary, post: post.files.summary }).toEqual({ main: '', post: '' })
  })

  it('a summary file the post step cannot write to is a warning, never a failed job; the token is invalidated all the same', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'summary-folder-'))
    try {
      // A folder where the summary file should be: appending to it fails.
      const { main, post } = await runActionWithPost(
        { credentials: service.json, 'ims-endpoint': emulator.origin },
        { postEnv: { GITHUB_STEP_SUMMARY: folder } },
      )
      expect([main.exitCode, post.exitCode]).toEqual([0, 0])
      expect(visibleLines(post)).toEqual([
        'The access token was invalidated at IMS.',
        expect.stringMatching(/^Warning: The post step could not add its line to the job summary: EISDIR/),
      ])
      expect(await validity(main.outputs['access-token'] ?? '', service.integration.clientId)).toEqual({
        valid: false,
        reason: 'invalidated',
      })
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('a summary input the post step cannot read: a warning with the expiry, nothing sent, no summary line, exit 0', async () => {
    // The runner hands both steps the same inputs; this one differs only to reach the post step's own guards.
    const before = emulator.requests.length
    const { main, post } = await runActionWithPost(
      { credentials: service.json, 'ims-endpoint': emulator.origin },
      { postEnv: { INPUT_SUMMARY: 'sometimes' } },
    )
    expect([main.exitCode, post.exitCode]).toEqual([0, 0])
    expect(emulator.requests.slice(before).map((request) => request.path)).toEqual(['/ims/exchange/jwt'])
    expect(visibleLines(post)).toEqual([
      `Warning: The access token could not be invalidated at IMS; it stays valid until ${main.outputs['expires-at'] ?? ''}. Input summary must be true or false (default true).`,
    ])
    expect(post.files.summary).toBe('')
  })
})

describe('when the post step has nothing to do', () => {
  it('invalidate-token: false keeps nothing in the state, sends nothing, and the token stays valid', async () => {
    const { main, post, postRequests } = await mainAndPost({
      credentials: service.json,
      'ims-endpoint': emulator.origin,
      'invalidate-token': 'false',
    })
    expect(main.exitCode).toBe(0)
    expect(main.files.state).toBe('')
    expect(main.files.summary).toContain(row('After the job', 'Stays valid until it expires (invalidate-token: false)'))
    expect(post.exitCode).toBe(0)
    expect(postRequests).toEqual([])
    expect(visibleLines(post)).toEqual([])
    expect(post.files.summary).toBe('')
    expect(post.log).toContain('##[debug]invalidate-token is false: the token is left valid until it expires.')
    expect(emulator.tokenStatus(main.outputs['access-token'] ?? '')).toEqual({ valid: true })
  })

  it('a failed main step leaves no token, and the post step only says so at debug level', async () => {
    const { main, post, mainRequests, postRequests } = await mainAndPost({
      credentials: service.json,
      'client-secret': 'p8e-not-the-secret-of-this-integration',
      'ims-endpoint': emulator.origin,
    })
    expect(main.exitCode).toBe(1)
    expect(mainRequests).toHaveLength(1)
    expect(main.files.state).toBe('')
    expect(post.exitCode).toBe(0)
    expect(postRequests).toEqual([])
    expect(visibleLines(post)).toEqual([])
    expect(post.files.summary).toBe('')
    expect(post.log).toContain('##[debug]No token in the step state (the main step failed or was skipped): nothing to invalidate.')
  })
})

describe('a failing invalidation only warns', () => {
  const WARNING = /^Warning: The access token could not be invalidated at IMS; it stays valid until (\S+)\. (.*)$/

  it.each([
    [
      '500 until the attempts run out',
      { 'max-attempts': '2' },
      [1, 2].map((): Fault => ({ kind: 'answer', status: 500, headers: { 'retry-after': '0' }, body: '' })),
      /^IMS answered the token invalidation with 500 Internal Server Error \(no content type\): an empty body \(x-debug-id [0-9a-f-]{36}\)\. IMS had a problem on its side: .* Gave up after 2 attempts over \d+\.\d s \(max-attempts is 2\)\.$/,
      2,
    ],
    [
      'a hang past request-timeout',
      { 'request-timeout': '1', 'max-attempts': '1' },
      [{ kind: 'hang' }],
      /^Could not get an answer from IMS for the token invalidation at 127\.0\.0\.1:\d+: no whole answer within 1 s\. Gave up after 1 attempt over [12]\.\d s \(max-attempts is 1\)\.$/,
      1,
    ],
    [
      '400 invalid_token',
      {},
      [
        {
          kind: 'answer',
          status: 400,
          headers: { 'content-type': 'application/json;charset=utf-8' },
          body: '{"error":"invalid_token","error_description":"token is invalid"}',
        },
      ],
      /^IMS rejected the token invalidation \(400 invalid_token\): token is invalid \(x-debug-id [0-9a-f-]{36}\)\. IMS does not know this token for this client: .*$/,
      1,
    ],
  ] as [string, Record<string, string>, Fault[], RegExp, number][])(
    '%s: one warning line with expires-at and the reason, exit code 0',
    async (_case, inputs, faults, reason, attempts) => {
      const { main, post, postRequests } = await mainAndPost(
        { credentials: service.json, 'ims-endpoint': emulator.origin, ...inputs },
        faults,
      )
      expect(main.exitCode).toBe(0)
      expect(post.exitCode).toBe(0)
      expect(postRequests.map((request) => request.path)).toEqual(Array(attempts).fill(INVALIDATE))
      const warnings = post.log.split('\n').filter((line) => line.startsWith('Warning: '))
      expect(warnings).toHaveLength(1)
      const [, expiresAt, why] = WARNING.exec(warnings[0] ?? '') ?? []
      expect(expiresAt).toBe(main.outputs['expires-at'])
      expect(why).toMatch(reason)
      // The job summary says it too: the main step's table could only say it would be invalidated.
      expect(post.files.summary).toBe(
        `<p><strong>Adobe IMS access token (expiring at ${expiresAt ?? ''})</strong>: <strong>not invalidated</strong>. ${htmlEscaped(warnings[0]?.slice('Warning: '.length) ?? '')}</p>\n`,
      )
      expect(post.log).not.toMatch(/^Error/m)
      const token = main.outputs['access-token'] ?? ''
      expect(emulator.tokenStatus(token)).toEqual({ valid: true })
      expectMaskedBeforeAnyUse(post, { token, 'client secret': service.integration.clientSecret })
      expectNoSecretFragments(post, { token, 'client secret': service.integration.clientSecret, 'private key': service.privateKeyPem })
    },
  )
})
