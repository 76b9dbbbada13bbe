/**
 * The emulator process the main step starts in the background (`node index.js --mock-ims-emulator DIR`):
 * the IMS emulator on 127.0.0.1 with throwaway credentials made for this run, marked as the mock's.
 * It runs until the post step stops it, or at most a day (should a self-hosted runner never stop it).
 */
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { ImsEmulator } from '../../emulator/ims-emulator.js'
import { makeOAuthCredential, makeServiceCredentials } from '../../emulator/throwaway-credentials.js'
import { folderFiles, type Ready } from './files.js'
import { Journal } from './journal.js'
import { emulatorOptions, failureAnswer, type MockImsSettings } from './settings.js'

/** Starts every id and secret of the throwaway credentials: no Adobe id or secret has this form. */
export const MARKER = 'mock-ims'
const LONGEST_LIFE_MS = 24 * 60 * 60 * 1000

export async function serveMockIms(dir: string): Promise<void> {
  const files = folderFiles(dir)
  const settings = JSON.parse(readFileSync(files.settings, 'utf8')) as MockImsSettings
  const journal = new Journal()
  // Its own request to check that it answers is not reported.
  let reporting = false
  const emulator = await ImsEmulator.start({
    ...emulatorOptions(settings),
    onRequest: (request) => {
      if (!reporting) return
      const entry = journal.entryOf(request)
      appendFileSync(files.journal, `${JSON.stringify(entry)}\n`)
      console.log(`${new Date().toISOString()} ${entry.operation} ${entry.clientId || '(no client id)'} -> ${entry.status || 'no answer'}`)
    },
  })
  // Made once it listens, so that the service credentials name its origin as their IMS.
  const service = await makeServiceCredentials({ imsEndpoint: emulator.origin, metascopes: settings.metascopes, marker: MARKER })
  const orgId = service.integration.orgId
  const oauth = makeOAuthCredential(settings.scopes, { marker: MARKER, orgId })
  emulator.addIntegration(service.integration)
  emulator.addOAuthClient(oauth.client)
  // Ready once it answers HTTP (any answer).
  await fetch(`${emulator.origin}/`, { signal: AbortSignal.timeout(10_000) }).then((answer) => answer.arrayBuffer())
  reporting = true
  for (let count = 0; count < settings.failTokenRequests; count++) emulator.injectFaults(failureAnswer(settings))

  const ready: Ready = {
    origin: emulator.origin,
    serviceCredentials: service.json,
    oauthCredentials: oauth.projectJson,
    serviceClientId: service.integration.clientId,
    oauthClientId: oauth.client.clientId,
    orgId,
    secrets: [service.privateKeyPem, service.integration.clientSecret, oauth.client.clientSecret],
  }
  // Written whole, then renamed: the main step never reads half a file.
  writeFileSync(`${files.ready}.partial`, JSON.stringify(ready), { mode: 0o600 })
  renameSync(`${files.ready}.partial`, files.ready)
  console.log(`Mock IMS (process ${process.pid}) listening at ${emulator.origin}`)
  setTimeout(() => process.exit(0), LONGEST_LIFE_MS).unref()
}
