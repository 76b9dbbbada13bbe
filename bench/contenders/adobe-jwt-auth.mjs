// @adobe/jwt-auth, Adobe's JWT exchange library, doing the same exchange.
import { appendFileSync } from 'node:fs'
import auth from '@adobe/jwt-auth'

const credentials = JSON.parse(process.env.BENCH_CREDENTIALS)
const { access_token: token } = await auth({
  clientId: credentials.clientId,
  clientSecret: credentials.clientSecret,
  technicalAccountId: credentials.technicalAccountId,
  orgId: credentials.orgId,
  privateKey: credentials.privateKey,
  metaScopes: credentials.metascopes,
  ims: credentials.imsOrigin,
})
appendFileSync(process.env.GITHUB_OUTPUT, `access-token=${token}\n`)
