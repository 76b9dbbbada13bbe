/**
 * The mock IMS action (mock-ims/) in a job, as the runner runs one: its main step, then the action's main
 * step against it, then the post steps in reverse order (the action's, which invalidates the token, then
 * the mock's, which reports what it received and stops). Both bundles run as the runner runs them; the
 * emulator process the mock starts must be gone afterwards, and its folder under RUNNER_TEMP deleted.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { type ActionRun, MOCK_IMS, parseFileCommands, ROOT, runAction, runPostStep, visibleLog } from '../../emulator/runner.js'
import { processRunning } from '../../mock-ims/src/files.js'
import { expectMaskedBeforeAnyUse, expectNoSecretAnywhere, expectOneErrorLine, pemBodyLines } from '../support/expectations.js'

interface Job {
  readonly mock: ActionRun
  readonly action: ActionRun
  readonly actionPost: ActionRun
  readonly mockPost: ActionRun
  /** What validate-token-url said of the token between the main and the post steps. */
  readonly validity: unknown
  readonly runnerTemp: string
  readonly pid: number
}

const runnerTemps: string[] = []
const pids: number[] = []

afterEach(() => {
  // A failed test must not leave an emulator running or files behind.
  for (const pid of pids.splice(0)) if (processRunning(pid)) process.kill(pid)
  for (const dir of runnerTemps.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** The job: mock IMS, the action with `actionInputs(mock outputs)`, the post steps in the runner's order. */
async function job(
  mockInputs: Record<string, string>,
  actionInputs: (outputs: Record<string, string>) => Record<string, string>,
): Promise<Job> {
  const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'))
  runnerTemps.push(runnerTemp)
  const mockOptions = { action: MOCK_IMS, env: { RUNNER_TEMP: runnerTemp } }
  const mock = await runAction(mockInputs, mockOptions)
  const pid = Number(parseFileCommands(mock.files.state)['pid'])
  if (pid) pids.push(pid)
  const inputs = actionInputs(mock.outputs)
  const action = await runAction(inputs)
  const token = action.outputs['access-token']
  const validity = token
    ? await fetch(mock.outputs['validate-token-url'] ?? '', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: new URLSearchParams({ type: 'access_token', client_id: action.outputs['client-id'] ?? '' }),
      }).then((answer) => answer.json())
    : undefined
  const actionPost = await runPostStep(inputs, action)
  const mockPost = await runPostStep(mockInputs, mock, mockOptions)
  return { mock, action, actionPost, mockPost, validity, runnerTemp, pid }
}

/** Nothing of the mock is left: its process has gone, its port is closed and RUNNER_TEMP is empty again. */
async function expectNothingLeft(run: Job): Promise<void> {
  expect(run.pid).toBeGreaterThan(0)
  expect(processRunning(run.pid)).toBe(false)
  await expect(fetch(`${run.mock.outputs['ims-endpoint']}/`)).rejects.toThrow()
  expect(readdirSync(run.runnerTemp)).toEqual([])
  expect(run.mockPost.log).toContain('Stopped the mock IMS and deleted its files.')
}

/** The secrets in the mock's credentials, which its main step must mask like real ones. */
function mockSecrets(mock: ActionRun): Record<string, string> {
  const service = JSON.parse(mock.outputs['service-credentials'] ?? '') as {
    integration: { privateKey: string; technicalAccount: { clientSecret: string } }
  }
  const project = JSON.parse(mock.outputs['oauth-credentials'] ?? '') as {
    project: { workspace: { details: { credentials: { oauth_server_to_server: { client_secrets: string[] } }[] } } }
  }
  const keyLines = Object.fromEntries(
    pemBodyLines(service.integration.privateKey).map((line, index) => [`private key line ${index}`, line]),
  )
  return {
    'service client secret': service.integration.technicalAccount.clientSecret,
    'OAuth client secret': project.project.workspace.details.credentials[0]?.oauth_server_to_server.client_secrets[0] ?? '',
    ...keyLines,
  }
}

/** The lines of the mock post step's request table, spaces squeezed. */
const tableLines = (post: ActionRun): string[] =>
  post.log
    .split('\n')
    .filter((line) => line.startsWith('  '))
    .map((line) => line.trim().replace(/ {2,}/g, ' | '))

describe('the mock IMS action, then the action against it', () => {
  it('JWT flow: outputs, masking, a token that validates, the request table and its invalidation, nothing left behind', async () => {
    const run = await job({}, (outputs) => ({ credentials: outputs['service-credentials'] ?? '' }))
    const { mock, action, mockPost } = run

    expect(mock.exitCode).toBe(0)
    const endpoint = mock.outputs['ims-endpoint'] ?? ''
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(mock.outputs['validate-token-url']).toBe(`${endpoint}/ims/validate_token/v1`)
    const clientId = mock.outputs['service-client-id'] ?? ''
    const orgId = mock.outputs['org-id'] ?? ''
    expect(clientId).toMatch(/^mock-ims-cm-p\d+-e\d+-integration-[0-9a-f]{6}$/)
    expect(mock.outputs['oauth-client-id']).toMatch(/^mock-ims-[0-9a-f]{32}$/)
    expect(orgId).toMatch(/^mock-ims-[0-9A-F]{24}@AdobeOrg$/)
    const service = JSON.parse(mock.outputs['service-credentials'] ?? '') as { integration: Record<string, unknown> }
    expect(service.integration).toMatchObject({ imsEndpoint: endpoint, org: orgId, technicalAccount: { clientId } })
    expect(mock.log).toMatch(
      /^Mock IMS listening at http:\/\/127\.0\.0\.1:\d+ \(process \d+\), on loopback only, until the end of the job\.$/m,
    )
    expect(mock.log).toContain('every id and secret starting with mock-ims-')

    // Masked like real secrets: each secret, each line of the key, and each credentials JSON whole.
    const secrets = mockSecrets(mock)
    expectMaskedBeforeAnyUse(mock, secrets)
    for (const output of ['service-credentials', 'oauth-credentials']) {
      const json = mock.outputs[output] ?? ''
      expect({ output, shown: visibleLog(`${mock.stdout}\n${json}`).split('\n').at(-1) }).toEqual({ output, shown: '***' })
    }

    expect(action.exitCode).toBe(0)
    expect(action.outputs).toMatchObject({ 'client-id': clientId, 'org-id': orgId, 'token-type': 'bearer', 'expires-in': '86399' })
    expect(run.validity).toEqual({ valid: true })
    expect(run.actionPost.log).toContain('The access token was invalidated at IMS.')

    expect(mockPost.exitCode).toBe(0)
    expect(mockPost.log).toContain('The mock IMS received 3 requests:')
    expect(tableLines(mockPost)).toEqual([
      'operation | client id | status',
      `JWT exchange | ${clientId} | 200, token 1`,
      `validate token | ${clientId} | 200, token 1 checked`,
      `invalidate token | ${clientId} | 200, token 1 invalidated`,
    ])
    expect(mockPost.log).toContain(`Token 1 (JWT exchange, ${clientId}) was invalidated.`)
    expect(mockPost.files.summary).toContain('<h3>Mock IMS</h3>')
    expect(mockPost.files.summary).toContain(`<tr><td>JWT exchange</td><td>${clientId}</td><td>200, token 1</td></tr>`)
    expect(mockPost.files.summary).toContain(`<li>Token 1 (JWT exchange, ${clientId}) was invalidated.</li>`)
    // Neither a secret nor the token in the report.
    expectNoSecretAnywhere(mockPost, { ...secrets, token: action.outputs['access-token'] ?? '' })
    await expectNothingLeft(run)
  })

  it('OAuth flow with ims-endpoint; without invalidation the report says the token stays valid', async () => {
    const run = await job({ 'token-lifetime': '600', scopes: 'openid,AdobeID' }, (outputs) => ({
      credentials: outputs['oauth-credentials'] ?? '',
      'ims-endpoint': outputs['ims-endpoint'] ?? '',
      'invalidate-token': 'false',
    }))
    const clientId = run.mock.outputs['oauth-client-id'] ?? ''
    expect(run.action.exitCode).toBe(0)
    expect(run.action.outputs).toMatchObject({ 'client-id': clientId, 'org-id': run.mock.outputs['org-id'], 'expires-in': '600' })
    expect(tableLines(run.mockPost)).toEqual([
      'operation | client id | status',
      `OAuth client credentials | ${clientId} | 200, token 1`,
      `validate token | ${clientId} | 200, token 1 checked`,
    ])
    expect(run.mockPost.log).toContain(
      `Token 1 (OAuth client credentials, ${clientId}) was not invalidated: it stays valid until it expires (invalidate-token: false, or the invalidation failed).`,
    )
    await expectNothingLeft(run)
  })
})

describe("the README's workflow", () => {
  it('fails the rehearsed step, gets a token in both flows, and ends with the table the README shows', async () => {
    const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'))
    runnerTemps.push(runnerTemp)
    const env = { RUNNER_TEMP: runnerTemp }
    const mockInputs = { 'fail-token-requests': '1', 'fail-with': 'invalid_client' }
    const mock = await runAction(mockInputs, { action: MOCK_IMS, env })
    pids.push(Number(parseFileCommands(mock.files.state)['pid']))
    const ims = mock.outputs
    const refusedInputs = { credentials: ims['service-credentials'] ?? '' }
    const refused = await runAction(refusedInputs)
    const jwtInputs = { credentials: ims['service-credentials'] ?? '', 'export-env': 'AEM_TOKEN' }
    const jwt = await runAction(jwtInputs)
    // The curl line: POST type and client_id, the token as Authorization: Bearer.
    const validity = await fetch(ims['validate-token-url'] ?? '', {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt.exportedEnv['AEM_TOKEN']}` },
      body: new URLSearchParams({ type: 'access_token', client_id: jwt.outputs['client-id'] ?? '' }),
    }).then((answer) => answer.text())
    const oauthInputs = { credentials: ims['oauth-credentials'] ?? '', 'ims-endpoint': ims['ims-endpoint'] ?? '' }
    const oauth = await runAction(oauthInputs)
    // The post steps, in reverse order.
    await runPostStep(oauthInputs, oauth)
    await runPostStep(jwtInputs, jwt)
    await runPostStep(refusedInputs, refused)
    const mockPost = await runPostStep(mockInputs, mock, { action: MOCK_IMS, env })

    expect(refused.exitCode).toBe(1)
    expect(jwt.exitCode).toBe(0)
    expect(validity).toBe('{"valid":true}')
    expect(oauth.exitCode).toBe(0)
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const shown = /```text\n(The mock IMS received [^`]*)```/.exec(readme)?.[1] ?? ''
    const [serviceId = '', oauthId = ''] = [ims['service-client-id'], ims['oauth-client-id']]
    const ours = mockPost.log
      .split('\n')
      .filter((line) => !/^(::|Mock IMS \(process|\d{4}-\d\d-\d\dT)/.test(line))
      .join('\n')
      .replaceAll(serviceId, 'mock-ims-cm-p11653348-e1435628-integration-462611')
      .replaceAll(oauthId, 'mock-ims-51c15b95f5cdf539d7662dfb82da5b6a')
      .replace(/ +$/gm, '')
    expect(ours.replace(/ {2,}/g, '  ')).toBe(shown.replace(/ {2,}/g, '  '))
    expect(processRunning(Number(parseFileCommands(mock.files.state)['pid']))).toBe(false)
    expect(readdirSync(runnerTemp)).toEqual([])
  })
})

describe('rehearsed failures', () => {
  it('invalid_client fails the action with its usual error, then the mock reports the refused request', async () => {
    const run = await job({ 'fail-token-requests': '1' }, (outputs) => ({ credentials: outputs['service-credentials'] ?? '' }))
    const clientId = run.mock.outputs['service-client-id'] ?? ''
    expect(run.mock.log).toContain(
      'Rehearsal: the next token request will be answered 400 invalid_client (invalid client_secret parameter).',
    )
    expect(expectOneErrorLine(run.action)).toMatch(
      /^Error: IMS rejected the JWT exchange \(400 invalid_client\): invalid client_secret parameter \(x-debug-id [0-9a-f-]{36}\)\. Check client-secret: it is not the secret of this client id\.$/,
    )
    expect(run.action.outputs['access-token']).toBeUndefined()
    expect(tableLines(run.mockPost)).toEqual(['operation | client id | status', `JWT exchange | ${clientId} | 400`])
    expect(run.mockPost.log).toContain('The mock IMS received 1 request:')
    await expectNothingLeft(run)
  })

  it('429 with Retry-After: the action waits as asked and gets the token on its next attempt', async () => {
    const run = await job({ 'fail-token-requests': '1', 'fail-with': '429', 'retry-after': '1' }, (outputs) => ({
      credentials: outputs['service-credentials'] ?? '',
    }))
    const clientId = run.mock.outputs['service-client-id'] ?? ''
    expect(run.action.exitCode).toBe(0)
    // At least the second Retry-After asks for, plus a share of jitter that spreads a refused crowd.
    expect(run.action.log).toMatch(
      /^Attempt 1 of 20 failed: IMS answered 429 too_many_requests \(application\/json\); retrying in 1\.\d s \(Retry-After asks for 1\.0 s, plus 0\.\d s of jitter\)\.$/m,
    )
    expect(tableLines(run.mockPost)).toEqual([
      'operation | client id | status',
      `JWT exchange | ${clientId} | 429`,
      `JWT exchange | ${clientId} | 200, token 1`,
      `validate token | ${clientId} | 200, token 1 checked`,
      `invalidate token | ${clientId} | 200, token 1 invalidated`,
    ])
    await expectNothingLeft(run)
  })

  it('a port in use fails the mock with the reason, and its post step still deletes its files', async () => {
    const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'))
    runnerTemps.push(runnerTemp)
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = String((taken.address() as AddressInfo).port)
    try {
      const options = { action: MOCK_IMS, env: { RUNNER_TEMP: runnerTemp } }
      const mock = await runAction({ port }, options)
      expect(expectOneErrorLine(mock)).toBe('Error: Could not start the mock IMS: its process ended. Its log:')
      expect(mock.log).toContain(`listen EADDRINUSE: address already in use 127.0.0.1:${port}`)
      const post = await runPostStep({ port }, mock, options)
      expect(post.exitCode).toBe(0)
      expect(post.log).toContain('The mock IMS received 0 requests.')
      expect(readdirSync(runnerTemp)).toEqual([])
    } finally {
      taken.close()
    }
  })

  it('a bad input fails the mock naming it, and starts nothing', async () => {
    const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'))
    runnerTemps.push(runnerTemp)
    const run = await runAction({ 'fail-with': '418' }, { action: MOCK_IMS, env: { RUNNER_TEMP: runnerTemp } })
    expect(expectOneErrorLine(run)).toBe('Error: Input fail-with must be one of invalid_client, 429, 503.')
    expect(run.files.state).toBe('')
    expect(readdirSync(runnerTemp)).toEqual([])
  })
})
