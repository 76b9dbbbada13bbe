/**
 * `npm run emulator -- --port 8181 --out DIR`: the IMS emulator as a process of its own, for the e2e
 * workflow and for trying the action by hand. It registers throwaway credentials of both flows and
 * writes them to DIR (service-credentials.json, oauth-project.json, both naming this emulator as their
 * IMS), then DIR/origin once it listens. It runs until stopped, logging each request without secrets.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ImsEmulator } from '../emulator/ims-emulator.js'
import { makeOAuthCredential, makeServiceCredentials } from '../emulator/throwaway-credentials.js'

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '8181' },
    out: { type: 'string', default: 'emulator-credentials' },
  },
})
const port = Number(options.port)
const out = options.out
const oauth = makeOAuthCredential()
const origin = `http://127.0.0.1:${port}`
const service = await makeServiceCredentials({ imsEndpoint: origin })
const emulator = await ImsEmulator.start({ port, integrations: [service.integration], oauthClients: [oauth.client] })

mkdirSync(out, { recursive: true })
writeFileSync(join(out, 'service-credentials.json'), service.json)
writeFileSync(join(out, 'oauth-project.json'), oauth.projectJson)
writeFileSync(join(out, 'origin'), emulator.origin)
console.log(`IMS emulator listening at ${emulator.origin}; throwaway credentials in ${out}/`)

let logged = 0
const timer = setInterval(() => {
  for (const request of emulator.requests.slice(logged))
    console.log(`${request.method} ${request.path} -> ${request.status || 'no answer'}`)
  logged = emulator.requests.length
}, 200)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    clearInterval(timer)
    void emulator.close().then(() => process.exit(0))
  })
}
