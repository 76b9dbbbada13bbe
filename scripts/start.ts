/**
 * `npm start`: builds the action from src/, runs it as the runner would, and explains what happened.
 *
 *   npm start                                   throwaway credentials against the built-in IMS emulator
 *   npm start -- path/to/credentials.json       your credentials (any shape `credentials` takes) against the IMS they name
 *   npm start -- --help                         the flags: one for each input of the input table, of the same name
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { decodeJwt } from 'jose'
import { ImsEmulator } from '../emulator/ims-emulator.js'
import { type ActionRun, ROOT, runActionWithPost } from '../emulator/runner.js'
import { makeServiceCredentials } from '../emulator/throwaway-credentials.js'
import { INPUT_NAMES, INPUTS, type InputName } from '../src/lib/action-inputs.js'
import { readCredentialsJson } from '../src/lib/credentials-json.js'
import { imsOriginOfField } from '../src/lib/endpoint.js'
import { CliError, readScriptFlags, runScript } from './cli.js'

/** Inputs given as flags, by input name. */
type InputFlags = Partial<Record<InputName, string>>

/** A flag for each input of the input table, so a new input is a flag at once; --credentials takes a file. */
const inputOptions = Object.fromEntries(INPUT_NAMES.map((name) => [name, { type: 'string' }])) as Record<InputName, { type: 'string' }>

const firstSentence = (text: string): string => /^.*?\.(?=\s|$)/s.exec(text.replace(/\s+/g, ' ').trim())?.[0] ?? text

/** `text` after `head`, in lines of at most `width` characters, the later ones indented as far as `head`. */
function hanging(head: string, text: string, width = 110): string {
  const lines: string[] = []
  let line = head
  for (const word of text.split(' ')) {
    if (line.length > head.length && line.length + 1 + word.length > width) {
      lines.push(line)
      line = `${' '.repeat(head.length)}${word}`
    } else line = line.length > head.length ? `${line} ${word}` : `${line}${word}`
  }
  return [...lines, line].join('\n')
}

/** What a flag sets: its input's first sentence, its default, and a word of caution for a secret. */
function flagHelp(name: InputName): string {
  const row: { description: string; default?: string; secret?: true } = INPUTS[name]
  const what =
    name === 'credentials'
      ? 'A credentials JSON file, the same as giving the file on its own.'
      : `${firstSentence(row.description)}${row.default === undefined ? '' : ` Default: ${row.default}.`}`
  return hanging(`  --${name.padEnd(24)}`, `${what}${row.secret ? ' Secret: a credentials file keeps it out of the shell history.' : ''}`)
}

const HELP = [
  'Usage: npm start -- [credentials.json] [flags]',
  '',
  'Builds the action from src/ and runs it as the runner would: the main step, then the post step. Without a',
  'file, it uses throwaway AEM service credentials against the built-in IMS emulator; with one (the AEM service',
  'credentials JSON, a Developer Console project JSON, ...), it runs with those credentials against the IMS',
  'they name.',
  '',
  "Each flag sets the action's input of the same name (README, Inputs), as `with:` does in a workflow:",
  ...INPUT_NAMES.map(flagHelp),
  `  --${'help'.padEnd(24)}This text.`,
  '',
  'Examples:',
  '  npm start -- --max-attempts 1 --summary false',
  "  npm start -- path/to/project.json --client-id <the credential's client id> --scopes openid,AdobeID",
].join('\n')

const rule = (title: string): string => `── ${title} ${'─'.repeat(Math.max(3, 72 - title.length))}`

/** No piece of a token is shown, not even of a throwaway one: a cut piece is what no mask can catch. */
function describeToken(token: string): string {
  return `*** (${token.length} characters; masked in the log)`
}

function printRun(run: ActionRun): void {
  console.log(rule("the step's log, as GitHub shows it (masked values are ***)"))
  console.log(run.log.trim() || '(empty)')
  console.log(rule('end of log'))
  console.log(`\nExit code: ${run.exitCode ?? 'none'} (${run.exitCode === 0 ? 'the step passed' : 'the step failed'})`)
  if (run.exitCode !== 0) return
  console.log('\nStep outputs, written to the GITHUB_OUTPUT file (use them as steps.<id>.outputs.<name>):')
  const width = Math.max(...Object.keys(run.outputs).map((name) => name.length))
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`  ${name.padEnd(width)} ${name === 'access-token' ? describeToken(value) : value}`)
  }
  const rows = [...run.files.summary.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)]
  if (rows.length > 0) {
    console.log("\nJob summary, written to the GITHUB_STEP_SUMMARY file (shown on the run's page; summary: false turns it off):")
    for (const [, item = '', value = ''] of rows) console.log(`  ${item.padEnd(16)} ${value}`)
  }
  const exported = Object.keys(run.exportedEnv)
  console.log(
    exported.length === 0
      ? '\nNothing was written to GITHUB_ENV: the token reaches later steps as a variable only when export-env names one.'
      : `\nWritten to GITHUB_ENV for the later steps of the job: ${exported.map((name) => `${name}=*** (the token, masked)`).join(', ')}.`,
  )
}

/** The post step's log, which the runner runs at the end of the job. */
function printPost(post: ActionRun): void {
  console.log(`\n${rule("the post step's log, at the end of the job (invalidate-token: false skips it)")}`)
  console.log(post.log.trim() || '(empty)')
  console.log(rule('end of log'))
  console.log(`Exit code: ${post.exitCode ?? 'none'} (the post step never fails the job: a failed invalidation is a warning)`)
  const line = post.files.summary.replace(/<[^>]*>/g, '').trim()
  if (line !== '') console.log(`Added to the job summary, below the main step's table: ${line}`)
}

/** Everything a build reads besides node_modules: the sources, the compiler settings and the lock file. */
function sourcesDigest(): string {
  const hash = createHash('sha256')
  const add = (path: string): void => {
    if (statSync(join(ROOT, path)).isDirectory()) {
      for (const entry of readdirSync(join(ROOT, path)).sort()) add(join(path, entry))
      return
    }
    hash.update(`${path.split('\\').join('/')}\n`).update(readFileSync(join(ROOT, path)))
  }
  for (const path of [
    'src',
    join('scripts', 'bundle.mjs'),
    join('scripts', 'write-post-entry.mjs'),
    'tsconfig.json',
    'package.json',
    'package-lock.json',
  ])
    add(path)
  return hash.digest('hex')
}

/**
 * The action built from the sources as they are now, in the git-ignored .build/action/ (the committed
 * dist/ is left alone); built again only when the sources changed since the last build.
 */
function freshBundle(): string {
  const folder = join(ROOT, '.build', 'action')
  const bundle = join(folder, 'index.js')
  const stampPath = join(folder, 'sources.sha256')
  const digest = sourcesDigest()
  const shown = relative(process.cwd(), bundle) || bundle
  if (existsSync(bundle) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === digest) {
    console.log(`src/ has not changed since the last build: running ${shown}.\n`)
    return bundle
  }
  console.log(`Building the action from src/ into ${relative(process.cwd(), folder) || folder} (as npm run bundle builds dist/)...`)
  const building = join(ROOT, '.build', `action-${process.pid}`)
  // The same build as npm run bundle, into another folder.
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), building, '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (build.status !== 0) {
    rmSync(building, { recursive: true, force: true })
    throw new CliError('The build of src/ failed (its errors are above): fix them, or run npm run bundle to see them again.')
  }
  writeFileSync(join(building, 'sources.sha256'), digest)
  rmSync(folder, { recursive: true, force: true })
  mkdirSync(join(ROOT, '.build'), { recursive: true })
  renameSync(building, folder)
  console.log(`Built. Running ${shown}.\n`)
  return bundle
}

/** The credentials file's text, or a one-line refusal saying what is wrong with the path. */
function readCredentialsFile(path: string): string {
  let isFolder: boolean
  try {
    isFolder = statSync(path).isDirectory()
  } catch {
    throw new CliError(
      `No file ${path}: give the path of a credentials JSON (AEM service credentials, or a Developer Console project JSON).`,
    )
  }
  if (isFolder) {
    const candidates = readdirSync(path).filter((name) => name.endsWith('.json'))
    const hint = candidates.length > 0 ? `, such as ${candidates.map((name) => join(path, name)).join(' or ')}` : ''
    throw new CliError(`${path} is a folder: give the credentials JSON file in it${hint}.`)
  }
  const text = readFileSync(path, 'utf8')
  if (text.trim() === '') {
    throw new CliError(
      `${path} is empty: save into it the credentials JSON the AEM Developer Console or the Adobe Developer Console gives.`,
    )
  }
  return text
}

/** The IMS origin the action will use, worked out as it does (--ims-endpoint, else the JSON's, else the default); undefined when the inputs are wrong, which the action then says. */
function imsOriginFor(credentials: string, flags: InputFlags): string | undefined {
  try {
    return imsOriginOfField(
      flags['ims-endpoint'] !== undefined
        ? { value: flags['ims-endpoint'], from: '--ims-endpoint' }
        : readCredentialsJson(credentials, flags['client-id']).imsEndpoint,
    )
  } catch {
    return undefined
  }
}

function printInputs(inputs: Readonly<Record<string, string>>, credentialsAre: string): void {
  console.log('Running the action as the runner would, with these inputs:')
  for (const [name, value] of Object.entries(inputs))
    console.log(`  ${`${name}:`.padEnd(14)}${name === 'credentials' ? credentialsAre : value}`)
  console.log('')
}

async function runWithEmulator(flags: InputFlags): Promise<number> {
  if (flags['ims-endpoint'] !== undefined) {
    throw new CliError('--ims-endpoint needs a credentials file: without one, npm start runs against its own IMS emulator.')
  }
  const service = await makeServiceCredentials()
  const emulator = await ImsEmulator.start({ integrations: [service.integration] })
  try {
    const bundle = freshBundle()
    console.log('No credentials file given: using throwaway AEM service credentials, made just now, and the')
    console.log(`built-in IMS emulator at ${emulator.origin}, which checks what Adobe IMS checks`)
    console.log("(the JWT's signature against the integration's certificate, its claims, the client secret).\n")
    const inputs = { credentials: service.json, 'ims-endpoint': emulator.origin, ...flags }
    printInputs(inputs, `the service credentials JSON (${service.json.length} characters, kept in a secret in a workflow)`)
    const { main: run, post } = await runActionWithPost(inputs, { bundle })
    const request = emulator.requests[0]
    if (request) {
      console.log(rule('what the action sent to IMS'))
      console.log(`POST ${request.path}  (${request.contentType})`)
      for (const [name, value] of Object.entries(request.fields)) {
        console.log(`  ${name.padEnd(13)} ${name === 'client_id' ? value : '*** (secret)'}`)
      }
      const jwt = request.fields['jwt_token']
      if (jwt) {
        console.log('  The JWT (signed RS256 with the private key) carries these claims:')
        for (const [name, value] of Object.entries(decodeJwt(jwt))) {
          const note = name === 'exp' || name === 'iat' ? `  (${new Date(Number(value) * 1000).toISOString()})` : ''
          console.log(`    ${name} = ${JSON.stringify(value)}${note}`)
        }
      }
      console.log(
        `IMS answered ${request.status}${request.accessToken ? ': a bearer token, with expires_in in milliseconds (86399999)' : ''}.\n`,
      )
    }
    printRun(run)
    printPost(post)
    const invalidation = emulator.requests.find((sent) => sent.path === '/ims/invalidate_token/v2')
    const token = run.outputs['access-token']
    if (invalidation && token) {
      console.log(`\nThe post step sent POST ${invalidation.path} (${invalidation.contentType}) with the form fields`)
      console.log(`${Object.keys(invalidation.fields).join(', ')}; IMS answered ${invalidation.status}.`)
      const status = emulator.tokenStatus(token)
      console.log(
        `The emulator now reports the token ${status.valid ? 'VALID: it was not invalidated' : `invalid (${status.reason}): it is of no use to anyone after the job`}.`,
      )
    }
    console.log('\nTo run it with real credentials (the AEM Developer Console service credentials JSON, or an Adobe')
    console.log('Developer Console project JSON with an OAuth Server-to-Server credential):')
    console.log('  npm start -- path/to/credentials.json [--client-id ID] [--scopes LIST] ...   (--help lists the flags)')
    return run.exitCode ?? 1
  } finally {
    await emulator.close()
  }
}

async function runWithFile(path: string, flags: InputFlags): Promise<number> {
  const credentials = readCredentialsFile(path)
  const bundle = freshBundle()
  const origin = imsOriginFor(credentials, flags)
  const against = origin
    ? `IMS at ${origin}${new URL(origin).hostname.endsWith('.adobelogin.com') ? ' (Adobe IMS)' : ''}`
    : 'the IMS its inputs name (the log below says what is wrong with them)'
  console.log(`Credentials from ${path}, against ${against}.`)
  printInputs({ credentials, ...flags }, `the JSON in ${path} (${credentials.length} characters)`)
  const { main: run, post } = await runActionWithPost({ credentials, ...flags }, { bundle })
  printRun(run)
  printPost(post)
  return run.exitCode ?? 1
}

await runScript(async () => {
  const { values, positionals } = readScriptFlags('npm start --', { options: inputOptions, allowPositionals: true }, HELP)
  const flags: InputFlags = {}
  for (const name of INPUT_NAMES) {
    const value = values[name]
    if (value !== undefined && name !== 'credentials') flags[name] = value
  }
  const files = [...positionals, ...(values.credentials === undefined ? [] : [values.credentials])]
  const [file, ...extra] = files
  if (extra.length > 0) throw new CliError(`Give at most one credentials file, not ${files.length}. npm start -- --help lists the flags.`)
  return file === undefined ? runWithEmulator(flags) : runWithFile(file, flags)
})
