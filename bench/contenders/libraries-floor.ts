/**
 * The libraries' floor: the same JWT exchange with nothing but the three libraries the action must use,
 * bundled by ncc as dist/ is (the same stand-ins, no comments): @actions/core for the output, jose to sign,
 * @actions/http-client to post. What the action costs above this is its own work (reading and checking
 * the inputs, masking, the summary, the retry loop), not its libraries. `npm run bench` builds it.
 */
import { createPrivateKey } from 'node:crypto'
import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'
import { SignJWT } from 'jose'

interface BenchCredentials {
  readonly clientId: string
  readonly clientSecret: string
  readonly technicalAccountId: string
  readonly orgId: string
  readonly privateKey: string
  readonly metascopes: readonly string[]
  readonly imsOrigin: string
}

const credentials = JSON.parse(process.env['BENCH_CREDENTIALS'] ?? '') as BenchCredentials
const origin = credentials.imsOrigin
const claims: Record<string, unknown> = {
  iss: credentials.orgId,
  sub: credentials.technicalAccountId,
  aud: `${origin}/c/${credentials.clientId}`,
}
for (const metascope of credentials.metascopes) claims[`${origin}/s/${metascope}`] = true
const jwt = await new SignJWT(claims)
  .setProtectedHeader({ alg: 'RS256' })
  .setExpirationTime('5m')
  .sign(createPrivateKey(credentials.privateKey))
const form = new URLSearchParams({ client_id: credentials.clientId, client_secret: credentials.clientSecret, jwt_token: jwt })
const response = await new HttpClient('libraries-floor').post(`${origin}/ims/exchange/jwt`, form.toString(), {
  'content-type': 'application/x-www-form-urlencoded',
})
const { access_token: token } = JSON.parse(await response.readBody()) as { access_token: string }
core.setSecret(token)
core.setOutput('access-token', token)
// As dist/index.js ends.
process.stdout.write('', () => process.exit())
