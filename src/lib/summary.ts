import { FLOWS, requestedScopes } from './flows/index.js'
import type { ImsToken } from './ims-request.js'
import type { Plan } from './plan.js'

/** Text for a cell of the summary's HTML table: values come from IMS's answer, which may hold markup. */
export function htmlEscaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/**
 * The scopes the token carries, read from its payload for display only (the answer, not the token, is
 * the contract); undefined when the token is not a JWT with a `scope` claim.
 */
export function grantedScopes(accessToken: string): string | undefined {
  try {
    const payload: unknown = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'))
    const scope = (payload as { scope?: unknown }).scope
    return typeof scope === 'string' && scope !== '' ? scope.split(',').join(', ') : undefined
  } catch {
    return undefined
  }
}

/** What happens to the token when the job ends, for the summary. */
export function endOfJobText(invalidateToken: boolean): string {
  return invalidateToken ? 'Invalidated at IMS by the post step' : 'Stays valid until it expires (invalidate-token: false)'
}

/** The job summary's rows: what was asked for and what came back, nothing secret. */
export function summaryRows(plan: Plan, token: ImsToken, expiresAt: string): [string, string][] {
  const granted = grantedScopes(token.accessToken)
  return [
    ['Flow', FLOWS[plan.flow].name],
    ['Client id', plan.credentials.clientId],
    ['Organization', plan.credentials.orgId ?? 'not given'],
    [granted ? 'Scopes granted' : 'Scopes requested', granted ?? requestedScopes(plan.flow, plan.credentials).join(', ')],
    ['IMS', plan.credentials.imsOrigin],
    ['Expires at', `${expiresAt} (in ${token.expiresInSeconds} s)`],
    ['Attempts', String(token.attempts)],
    ['After the job', endOfJobText(plan.invalidateToken)],
  ]
}
