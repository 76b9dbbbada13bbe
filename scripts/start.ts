/**
 * `npm start`: runs the bundled action as the runner would, and explains what happened.
 *
 *   npm start                                   throwaway credentials against the built-in IMS emulator
 *   npm start -- path/to/credentials.json       your real credentials (any shape `credentials` takes) against Adobe IMS
 */
import { readFileSync } from 'node:fs'
import { decodeJwt } from 'jose'
import { ImsEmulator } from '../emulator/ims-emulator.js'
import { type ActionRun, runAction } from '../emulator/runner.js'
import { makeServiceCredentials } from '../emulator/throwaway-credentials.js'

const rule = (title: string): string => `── ${title} ${'─'.repeat(Math.max(3, 72 - title.length))}`

/** A throwaway token is shown in part; a real one not at all. */
function describeToken(token: string, real: boolean): string {
  if (real || token.length <= 24) return `*** (${token.length} characters; masked in a real log)`
  return `${token.slice(0, 12)}…${token.slice(-6)} (${token.length} characters; *** in a real log)`
}

function printRun(run: ActionRun, real: boolean): void {
  console.log(rule("the step's log, as GitHub shows it (masked values are ***)"))
  console.log(run.log.trim() || '(empty)')
  console.log(rule('end of log'))
  console.log(`\nExit code: ${run.exitCode ?? 'none'} (${run.exitCode === 0 ? 'the step passed' : 'the step failed'})`)
  if (run.exitCode !== 0) return
  console.log('\nStep outputs, written to the GITHUB_OUTPUT file (use them as steps.<id>.outputs.<name>):')
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`  ${name.padEnd(13)} ${name === 'access-token' ? describeToken(value, real) : value}`)
  }
  const rows = [...run.files.summary.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)]
  if (rows.length > 0) {
    console.log("\nJob summary, written to the GITHUB_STEP_SUMMARY file (shown on the run's page; summary: false turns it off):")
    for (const [, item = '', value = ''] of rows) console.log(`  ${item.padEnd(16)} ${value}`)
  }
  console.log('\nNothing was written to GITHUB_ENV: the token reaches later steps as a variable only when export-env names one.')
}

async function runWithEmulator(): Promise<number> {
  const service = await makeServiceCredentials()
  const emulator = await ImsEmulator.start({ integrations: [service.integration] })
  try {
    console.log('No credentials file given: using throwaway AEM service credentials, made just now, and the')
    console.log(`built-in IMS emulator at ${emulator.origin}, which checks what Adobe IMS checks`)
    console.log("(the JWT's signature against the integration's certificate, its claims, the client secret).\n")
    console.log('Running dist/index.js as the runner would, with these inputs:')
    console.log(`  credentials:  the service credentials JSON (${service.json.length} characters, kept in a secret in a workflow)`)
    console.log(`  ims-endpoint: ${emulator.origin}\n`)
    const run = await runAction({ credentials: service.json, 'ims-endpoint': emulator.origin })
    const request = emulator.requests[0]
    if (request) {
      console.log(rule('what the action sent to IMS'))
      console.log(`POST ${request.path}  (${request.contentType})`)
      for (const [name, value] of Object.entries(request.fields)) {
        console.log(`  ${name.padEnd(13)} ${name === 'client_id' ? value : '*** (secret)'}`)
      }
      const claims = decodeJwt(request.fields['jwt_token'] ?? '')
      console.log('  The JWT (signed RS256 with the private key) carries these claims:')
      for (const [name, value] of Object.entries(claims)) {
        const note = name === 'exp' || name === 'iat' ? `  (${new Date(Number(value) * 1000).toISOString()})` : ''
        console.log(`    ${name} = ${JSON.stringify(value)}${note}`)
      }
      console.log(
        `IMS answered ${request.status}${request.accessToken ? ': a bearer token, with expires_in in milliseconds (86399999)' : ''}.\n`,
      )
    }
    printRun(run, false)
    console.log('\nTo run it against Adobe IMS with real credentials (the AEM Developer Console service credentials')
    console.log('JSON, or an Adobe Developer Console project JSON with an OAuth Server-to-Server credential):')
    console.log('  npm start -- path/to/credentials.json')
    return run.exitCode ?? 1
  } finally {
    await emulator.close()
  }
}

async function runWithFile(path: string): Promise<number> {
  console.log(`Running dist/index.js as the runner would, with credentials from ${path}, against Adobe IMS.\n`)
  const run = await runAction({ credentials: readFileSync(path, 'utf8') })
  printRun(run, true)
  return run.exitCode ?? 1
}

const file = process.argv[2]
process.exitCode = file ? await runWithFile(file) : await runWithEmulator()
