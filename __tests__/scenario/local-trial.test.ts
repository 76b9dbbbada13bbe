/**
 * `npm start`, as a newcomer meets it: the start script run as `npm start` runs it (tsx, no build of the
 * scripts first) as a child process, with its flags,
 * its one-line refusals, and runs against the IMS emulator with credentials files made in a temporary
 * folder. It builds the action from src/ into .build/action/ before a run, so the first run here may build.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ImsEmulator } from '../../emulator/ims-emulator.js'
import { baseEnv, ROOT } from '../../emulator/runner.js'
import { INPUT_NAMES } from '../../src/lib/action-inputs.js'
import {
  makeOAuthCredential,
  makeServiceCredentials,
  type OAuthCredential,
  oauthEntry,
  projectJson,
  type ServiceCredentials,
} from '../../emulator/throwaway-credentials.js'

/** tsx, as package.json's tool scripts run it. */
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const START = join(ROOT, 'scripts', 'start.ts')
/** A run may build the action first: ncc takes a while on a busy machine. */
const RUN_TIMEOUT = 240_000

let emulator: ImsEmulator
let oauth: OAuthCredential
let service: ServiceCredentials
let folder: string

beforeAll(async () => {
  oauth = makeOAuthCredential()
  emulator = await ImsEmulator.start({ oauthClients: [oauth.client] })
  service = await makeServiceCredentials({ imsEndpoint: emulator.origin })
  emulator.addIntegration(service.integration)
  folder = mkdtempSync(join(tmpdir(), 'local-trial-'))
}, 120_000)
afterAll(async () => {
  await emulator.close()
  rmSync(folder, { recursive: true, force: true })
})

interface Started {
  readonly exitCode: number | null
  readonly stdout: string
  readonly stderr: string
}

/** `npm start -- ...args`, from the repository root. Asynchronous, so that the emulator in this process can answer. */
async function start(...args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [TSX, START, ...args], { cwd: ROOT, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { exitCode, stdout, stderr }
}

function file(name: string, text: string): string {
  const path = join(folder, name)
  writeFileSync(path, text)
  return path
}

/** Refused before anything is built or run: one line on stderr, no stack trace, nothing on stdout. */
function expectRefusal(started: Started, line: string): void {
  expect(started).toEqual({ exitCode: 1, stdout: '', stderr: `${line}\n` })
}

describe('npm start flags', () => {
  it('--help lists a flag for every input of the input table, each with what the input does, and its default', async () => {
    const started = await start('--help')
    expect(started).toEqual({
      exitCode: 0,
      stdout: expect.stringMatching(/^Usage: npm start -- \[credentials\.json\] \[flags\]\n/),
      stderr: '',
    })
    for (const flag of [...INPUT_NAMES, 'help']) expect(started.stdout).toMatch(new RegExp(`^  --${flag} +\\S`, 'm'))
    expect(started.stdout).toContain('Client id (API key) of the integration or credential.')
    expect(started.stdout).toMatch(
      /^ {2}--max-attempts +Token requests in all, the first included, 1 to 50: a bound on the load one job\n +puts on IMS\. Default: 20\.$/m,
    )
  })

  it('--help wins over a flag it does not know', async () => {
    const started = await start('--round', '2', '--help')
    expect(started.exitCode).toBe(0)
    expect(started.stdout).toMatch(/^Usage: npm start/)
  })

  it('refuses an unknown flag, a flag without its value and a second file, each with one line', async () => {
    expectRefusal(await start('--round', '2'), "Unknown option '--round'. npm start -- --help lists the flags.")
    expectRefusal(await start('--client-id'), "Option '--client-id <value>' argument missing. npm start -- --help lists the flags.")
    expectRefusal(await start('a.json', 'b.json'), 'Give at most one credentials file, not 2. npm start -- --help lists the flags.')
    expectRefusal(
      await start('a.json', '--credentials', 'b.json'),
      'Give at most one credentials file, not 2. npm start -- --help lists the flags.',
    )
  })

  it('refuses --ims-endpoint without a file, since the built-in emulator is the IMS then', async () => {
    expectRefusal(
      await start('--ims-endpoint', 'ims-na1-stg1.adobelogin.com'),
      '--ims-endpoint needs a credentials file: without one, npm start runs against its own IMS emulator.',
    )
  })
})

describe('npm start -- file: what is wrong with the file, in one line', () => {
  it('a file that does not exist', async () => {
    const missing = join(folder, 'no-such-file.json')
    expectRefusal(
      await start(missing),
      `No file ${missing}: give the path of a credentials JSON (AEM service credentials, or a Developer Console project JSON).`,
    )
  })

  it('a folder, naming the JSON files in it', async () => {
    const credentialsFolder = join(folder, 'credentials')
    mkdirSync(credentialsFolder)
    writeFileSync(join(credentialsFolder, 'oauth-project.json'), oauth.projectJson)
    expectRefusal(
      await start(credentialsFolder),
      `${credentialsFolder} is a folder: give the credentials JSON file in it, such as ${join(credentialsFolder, 'oauth-project.json')}.`,
    )
  })

  it('an empty file, without the advice about forks and Dependabot meant for empty secrets in CI', async () => {
    const empty = file('empty.json', ' \n')
    const started = await start(empty)
    expectRefusal(
      started,
      `${empty} is empty: save into it the credentials JSON the AEM Developer Console or the Adobe Developer Console gives.`,
    )
    expect(started.stderr).not.toMatch(/fork|Dependabot/i)
  })
})

describe('npm start runs the action built from src/', () => {
  it(
    "runs the emulator's own OAuth project JSON with --ims-endpoint, naming that IMS in the banner",
    async () => {
      const before = emulator.requests.length
      const started = await start(file('oauth-project.json', oauth.projectJson), '--ims-endpoint', emulator.origin)
      expect(started.stderr).toBe('')
      expect(started.stdout).toMatch(/^(Building the action from src\/ into \.build[\\/]action|src\/ has not changed since the last build)/)
      expect(started.stdout).toMatch(/[Rr]unning \.build[\\/]action[\\/]index\.js\.\n/)
      expect(started.stdout).toContain(`, against IMS at ${emulator.origin}.\n`)
      expect(started.stdout).toContain(`  ims-endpoint: ${emulator.origin}\n`)
      expect(started.stdout).toContain('Got a bearer token')
      expect(started.exitCode).toBe(0)
      // The token, then the post step's invalidation of it.
      expect(emulator.requests.slice(before)).toEqual([
        expect.objectContaining({ path: '/ims/token/v3', status: 200 }),
        expect.objectContaining({ path: '/ims/invalidate_token/v2', status: 200 }),
      ])
      expect(started.stdout).toContain("── the post step's log")
      expect(started.stdout).toContain('The access token was invalidated at IMS.')
      // Not a piece of the token, though it is a throwaway one: a cut piece is what no mask catches.
      const token = emulator.requests.slice(before)[0]?.accessToken ?? '(no token)'
      expect(started.stdout).toMatch(/access-token +\*\*\* \(\d+ characters; masked in the log\)/)
      expect(started.stdout).not.toContain(token.slice(0, 12))
      expect(started.stdout).not.toContain(token.slice(-6))
    },
    RUN_TIMEOUT,
  )

  it(
    'uses --client-id to pick one of two OAuth credentials in a project',
    async () => {
      const other = makeOAuthCredential()
      const project = projectJson(oauth.orgId, [oauthEntry('Other', other.credential), oauthEntry('Deployments', oauth.credential)])
      const before = emulator.requests.length
      const started = await start(
        file('two-credentials.json', project),
        '--client-id',
        oauth.client.clientId,
        '--ims-endpoint',
        emulator.origin,
      )
      expect(started.exitCode).toBe(0)
      expect(emulator.requests.slice(before)).toEqual([
        expect.objectContaining({ status: 200, fields: expect.objectContaining({ client_id: oauth.client.clientId }) }),
        expect.objectContaining({
          path: '/ims/invalidate_token/v2',
          fields: expect.objectContaining({ client_id: oauth.client.clientId }),
        }),
      ])
    },
    RUN_TIMEOUT,
  )

  it(
    'names the IMS the credentials JSON names, and passes --auth-type, --metascopes and --scopes on to the action',
    async () => {
      const credentials = file('service-credentials.json', service.json)
      const before = emulator.requests.length
      const started = await start(credentials, '--auth-type', 'jwt', '--metascopes', 'ent_cloudmgr_sdk', '--scopes', 'openid')
      expect(started.stdout).toContain(`Credentials from ${credentials}, against IMS at ${emulator.origin}.\n`)
      // The integration has ent_aem_cloud_api only, so IMS refuses the metascope the flag asked for.
      expect(started.stdout).toContain('invalid_scope')
      expect(started.stdout).toMatch(/Warning: .*scopes/)
      expect(started.exitCode).toBe(1)
      expect(emulator.requests.slice(before)).toEqual([expect.objectContaining({ path: '/ims/exchange/jwt', status: 400 })])
    },
    RUN_TIMEOUT,
  )

  it(
    'names the default Adobe IMS host when neither the flag nor the JSON names one (here the inputs fail before any request)',
    async () => {
      const withoutScopes = projectJson(oauth.orgId, [oauthEntry('No scopes', { ...oauth.credential, scopes: [] })])
      const before = emulator.requests.length
      const started = await start(file('no-scopes.json', withoutScopes), '--auth-type', 'oauth')
      expect(started.stdout).toContain(', against IMS at https://ims-na1.adobelogin.com (Adobe IMS).\n')
      expect(started.stdout).toContain('  auth-type:    oauth\n')
      expect(started.stdout).toMatch(/Error: Missing input .*scopes/)
      expect(started.exitCode).toBe(1)
      expect(emulator.requests.length).toBe(before)
    },
    RUN_TIMEOUT,
  )

  it(
    'passes any input of the table on as a flag: --max-attempts, --export-env, --summary, --invalidate-token',
    async () => {
      const started = await start(
        '--credentials',
        file('service-credentials-flags.json', service.json),
        '--max-attempts',
        '2',
        '--export-env',
        'AEM_TOKEN',
        '--summary',
        'false',
        '--invalidate-token',
        'false',
      )
      expect(started.stderr).toBe('')
      expect(started.stdout).toContain('  max-attempts: 2\n')
      expect(started.stdout).toContain('The token is exported to later steps of this job as AEM_TOKEN.')
      expect(started.stdout).toContain('Written to GITHUB_ENV for the later steps of the job: AEM_TOKEN=*** (the token, masked).')
      expect(started.stdout).not.toContain('Job summary, written to the GITHUB_STEP_SUMMARY file')
      expect(started.exitCode).toBe(0)
    },
    RUN_TIMEOUT,
  )

  it(
    '--max-attempts 2 is the number of requests the action makes when IMS keeps failing',
    async () => {
      const unavailable = { kind: 'answer', status: 503, headers: { 'retry-after': '0' }, body: '' } as const
      emulator.injectFaults(unavailable, unavailable)
      const before = emulator.requests.length
      const started = await start(file('service-credentials-retry.json', service.json), '--max-attempts', '2')
      expect(started.stdout).toContain('Attempt 1 of 2 failed: IMS answered 503')
      expect(started.stdout).toMatch(/Error: .*Gave up after 2 attempts over \d+\.\d s \(max-attempts is 2\)\./)
      expect(started.exitCode).toBe(1)
      expect(emulator.requests.slice(before).map((request) => request.status)).toEqual([503, 503])
    },
    RUN_TIMEOUT,
  )

  it(
    'without a file, runs throwaway credentials against its own emulator',
    async () => {
      const started = await start()
      expect(started.stdout).toContain('No credentials file given: using throwaway AEM service credentials')
      expect(started.stdout).toContain('The JWT (signed RS256 with the private key) carries these claims:')
      expect(started.stdout).toContain('Exit code: 0 (the step passed)')
      expect(started.stdout).toContain('The access token was invalidated at IMS.')
      expect(started.stdout).toContain('The emulator now reports the token invalid (invalidated)')
      expect(started.exitCode).toBe(0)
    },
    RUN_TIMEOUT,
  )
})

describe('npm run emulator, then npm start with what it wrote', () => {
  it(
    'writes throwaway credentials to a new temporary folder, says where, and npm start runs both files',
    async () => {
      const child = spawn(process.execPath, [TSX, join(ROOT, 'scripts', 'emulator.ts'), '--port', '0'], {
        cwd: ROOT,
        env: baseEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve))
      let out: string
      try {
        const banner = await new Promise<string>((resolve, reject) => {
          let text = ''
          child.stdout.on('data', (chunk: Buffer) => {
            text += chunk.toString()
            if (text.includes('Stop it with Ctrl+C')) resolve(text)
          })
          void closed.then((code) => reject(new Error(`The emulator ended (${code}) before it was ready: ${text}`)))
        })
        const [, origin = '', folder = ''] = /^IMS emulator listening at (\S+); throwaway credentials in (.+):$/m.exec(banner) ?? []
        out = folder
        expect(dirname(out)).toBe(tmpdir())
        expect(basename(out)).toMatch(/^ims-emulator-/)
        expect(readdirSync(out).sort()).toEqual(['oauth-project.json', 'origin', 'service-credentials.json'])
        // The credentials hold a private key and a client secret: readable by their owner alone (POSIX modes).
        if (process.platform !== 'win32') {
          for (const file of ['oauth-project.json', 'service-credentials.json']) expect(statSync(join(out, file)).mode & 0o777).toBe(0o600)
        }
        expect(banner).toContain(`npm start -- ${join(out, 'oauth-project.json')} --ims-endpoint ${origin}\n`)

        const oauthRun = await start(join(out, 'oauth-project.json'), '--ims-endpoint', origin)
        expect(oauthRun.stdout).toContain(`, against IMS at ${origin}.\n`)
        expect(oauthRun.exitCode).toBe(0)
        const jwtRun = await start(join(out, 'service-credentials.json'))
        expect(jwtRun.stdout).toContain(`, against IMS at ${origin}.\n`)
        expect(jwtRun.exitCode).toBe(0)
      } finally {
        child.kill('SIGTERM')
        await closed
      }
      // Windows has no SIGTERM handler to run: the process just ends, and the folder stays.
      if (process.platform !== 'win32') expect(existsSync(out)).toBe(false)
      rmSync(out, { recursive: true, force: true })
    },
    RUN_TIMEOUT,
  )
})
