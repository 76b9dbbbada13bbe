// The floor: the same JWT exchange with nothing but Node.js. Reads BENCH_CREDENTIALS, signs the JWT with
// node:crypto, posts it with node:https (node:http for an http endpoint), and writes the token to
// GITHUB_OUTPUT.
//
// Built-ins come through createRequire, as in ncc's output, not `import`: an ES module namespace of a
// built-in reads every export, lazy getters included, so `import 'node:http'` on Node 24 loads undici's
// WebSocket (`http.WebSocket`, about 35 ms and 8 MiB) and `import 'node:crypto'` loads WebCrypto.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { createPrivateKey, sign } = require('node:crypto')
const { appendFileSync } = require('node:fs')

const credentials = JSON.parse(process.env.BENCH_CREDENTIALS)
const { request } = require(credentials.imsOrigin.startsWith('https:') ? 'node:https' : 'node:http')
const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')
const now = Math.floor(Date.now() / 1000)
const claims = {
  exp: now + 300,
  iss: credentials.orgId,
  sub: credentials.technicalAccountId,
  aud: `${credentials.imsOrigin}/c/${credentials.clientId}`,
}
for (const metascope of credentials.metascopes) claims[`${credentials.imsOrigin}/s/${metascope}`] = true
const signingInput = `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims)}`
const signature = sign('sha256', Buffer.from(signingInput), createPrivateKey(credentials.privateKey)).toString('base64url')
const body = new URLSearchParams({
  client_id: credentials.clientId,
  client_secret: credentials.clientSecret,
  jwt_token: `${signingInput}.${signature}`,
}).toString()

const exchange = request(
  `${credentials.imsOrigin}/ims/exchange/jwt`,
  { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
  (response) => {
    let text = ''
    response.on('data', (chunk) => (text += chunk))
    response.on('end', () => {
      const { access_token: token } = JSON.parse(text)
      if (!token) process.exit(1)
      appendFileSync(process.env.GITHUB_OUTPUT, `access-token=${token}\n`)
    })
  },
)
exchange.end(body)
