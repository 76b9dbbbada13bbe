// The floor: the same JWT exchange with nothing but Node.js. Reads BENCH_CREDENTIALS, signs the JWT with
// node:crypto, posts it with node:http (node:https for an https endpoint, as IMS is), and writes the
// token to GITHUB_OUTPUT.
import { createPrivateKey, sign } from 'node:crypto'
import { appendFileSync } from 'node:fs'

const credentials = JSON.parse(process.env.BENCH_CREDENTIALS)
const { request } = credentials.imsOrigin.startsWith('https:') ? await import('node:https') : await import('node:http')
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
