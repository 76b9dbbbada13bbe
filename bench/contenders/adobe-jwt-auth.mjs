// @adobe/jwt-auth, Adobe's JWT exchange library, doing the same exchange.
// node:fs through createRequire, as the floor loads its built-ins (see floor.mjs).
import { createRequire } from 'node:module'
import auth from '@adobe/jwt-auth'

const { appendFileSync } = createRequire(import.meta.url)('node:fs')

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
