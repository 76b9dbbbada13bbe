// @adobe/aio-lib-ims, the aio CLI's library: its JWT plugin signs, Ims.exchangeJwtToken exchanges.
// Built-ins through createRequire, as the floor loads them (see floor.mjs).
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { appendFileSync } = require('node:fs')
const { Ims } = require('@adobe/aio-lib-ims')
// The JWT plugin is aio-lib-ims's own dependency; load the copy it uses.
const { imsLogin } = createRequire(require.resolve('@adobe/aio-lib-ims'))('@adobe/aio-lib-ims-jwt')

const credentials = JSON.parse(process.env.BENCH_CREDENTIALS)
const ims = new Ims('prod')
ims.endpoint = credentials.imsOrigin
const { access_token: token } = await imsLogin(ims, {
  client_id: credentials.clientId,
  client_secret: credentials.clientSecret,
  technical_account_id: credentials.technicalAccountId,
  ims_org_id: credentials.orgId,
  meta_scopes: credentials.metascopes,
  private_key: credentials.privateKey,
})
appendFileSync(process.env.GITHUB_OUTPUT, `access-token=${token.token ?? token}\n`)
