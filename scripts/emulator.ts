/**
 * `npm run emulator -- [--port 8181] [--out DIR] [throttle flags]` (--port 0 takes any free port): the IMS emulator as a process of its own, for trying
 * the action by hand and for testing a workflow without Adobe credentials (the e2e workflow). It
 * registers throwaway credentials of both flows and writes them to DIR (service-credentials.json,
 * oauth-project.json), then DIR/origin once it listens. Without --out, DIR is a new temporary folder, so
 * that no private key lands in the repository. It runs until stopped, logging each request without secrets.
 * The throttle flags (emulator/throttle.ts) make it a throttling IMS: `--rate 5 --retry-after 2` passes five
 * token requests a second and answers the rest 429 with Retry-After: 2; `--outage-for 30` answers 503 for
 * the first 30 s; `--latency 1500` answers every token request after 1.5 s.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ImsEmulator } from '../emulator/ims-emulator.js'
import { THROTTLE_FLAGS, THROTTLE_USAGE, throttleFromFlags, throttleText } from '../emulator/throttle.js'
import { makeOAuthCredential, makeServiceCredentials } from '../emulator/throwaway-credentials.js'
import { CliError, readScriptFlags, runScript } from './cli.js'

const HELP = `Usage: npm run emulator -- [--port 8181] [--out DIR] ${THROTTLE_USAGE}

Starts the IMS emulator on 127.0.0.1: a real server that answers IMS's token, invalidation and validation
requests as Adobe IMS does, checking what IMS checks. It makes throwaway credentials of both flows and
writes them to DIR, readable by you alone, then logs each request (without secrets) until Ctrl+C:
  service-credentials.json  AEM service credentials (JWT flow) that name the emulator as their IMS
  oauth-project.json        a Developer Console project with an OAuth Server-to-Server credential
  origin                    the emulator's address, such as http://127.0.0.1:8181

  --port N     The port to listen on, 0 for any free one. Default: 8181.
  --out DIR    Where to write the credentials, kept after Ctrl+C. Default: a new temporary folder,
               deleted on Ctrl+C, so that no private key lands in your clone.
  --rate N, --burst N, --retry-after S
               A throttling IMS (a token bucket): N token requests a second, a burst of N, the rest
               answered 429 with Retry-After: S.
  --outage-for S [--outage-from S]
               Token requests answered 503 for S seconds (from S seconds after the first request).
  --latency MS Every token request answered after MS milliseconds.
  --help       This text.

Then, in another terminal: npm start -- DIR/service-credentials.json`

await runScript(async () => {
  const { values: options } = readScriptFlags(
    'npm run emulator --',
    { options: { port: { type: 'string', default: '8181' }, out: { type: 'string' }, ...THROTTLE_FLAGS } },
    HELP,
  )
  const throttle = throttleFromFlags(options, (message) => new CliError(message))
  const port = Number(options.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port ${options.port} is not a port number (0 to 65535; 0 takes any free port).`)
  const out = options.out ?? mkdtempSync(join(tmpdir(), 'ims-emulator-'))
  const oauth = makeOAuthCredential()
  const emulator = await ImsEmulator.start({ port, oauthClients: [oauth.client], ...(throttle ? { throttle } : {}) })
  // Made once the emulator listens, so that they name its origin also with --port 0 (any free port).
  const service = await makeServiceCredentials({ imsEndpoint: emulator.origin })
  emulator.addIntegration(service.integration)

  mkdirSync(out, { recursive: true })
  const serviceFile = join(out, 'service-credentials.json')
  const oauthFile = join(out, 'oauth-project.json')
  // Secrets, though throwaway ones (a private key among them): readable by their owner alone, as ssh-keygen
  // writes a key, also when --out names a folder that has them already (a mode applies to a new file only).
  // Windows keeps only the read-only bit of a mode; a folder of one's own is what guards them there.
  for (const [file, text] of [
    [serviceFile, service.json],
    [oauthFile, oauth.projectJson],
  ] as const) {
    writeFileSync(file, text, { mode: 0o600 })
    chmodSync(file, 0o600)
  }
  writeFileSync(join(out, 'origin'), emulator.origin)
  console.log(`IMS emulator listening at ${emulator.origin}; throwaway credentials in ${out}:`)
  if (throttle) console.log(`  throttled: ${throttleText(throttle)}`)
  console.log(`  ${serviceFile}   AEM service credentials (JWT flow), naming this emulator as their IMS`)
  console.log(`  ${oauthFile}   a Developer Console project with an OAuth Server-to-Server credential`)
  console.log('Try them in another terminal:')
  console.log(`  npm start -- ${serviceFile}`)
  console.log(`  npm start -- ${oauthFile} --ims-endpoint ${emulator.origin}`)
  console.log(`Stop it with Ctrl+C${options.out === undefined ? `, which also deletes ${out}` : ''}.`)

  let logged = 0
  const timer = setInterval(() => {
    for (const request of emulator.requests.slice(logged))
      console.log(`${request.method} ${request.path} -> ${request.status || 'no answer'}`)
    logged = emulator.requests.length
  }, 200)

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      clearInterval(timer)
      // The keys are worth nothing once this emulator stops; a folder it made itself goes with them.
      if (options.out === undefined) rmSync(out, { recursive: true, force: true })
      void emulator.close().then(() => process.exit(0))
    })
  }
  return 0
})
