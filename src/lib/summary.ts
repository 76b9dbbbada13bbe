import { FLOWS, requestedScopes } from './flows/index.js'
import type { ImsToken } from './ims-request.js'
import type { Plan } from './plan.js'

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Characters that start HTML, or Markdown that links, shows an image, quotes code, emphasises or makes a table. */
const MARKUP_CHARACTERS = /[&<>"'[\]!`*~|\\#]/g

/** Whitespace of any kind, line breaks and control characters included. */
// eslint-disable-next-line no-control-regex -- control characters are what it is for
const ANY_SPACE = /[\s\u0000-\u001f\u007f-\u009f]+/g

/**
 * Text for a cell of the summary's HTML table: values come from IMS's answer or the token, which may hold
 * markup. On one line, so the table stays one HTML block (a blank line would end it, and Markdown after it
 * would render), and with every character that starts HTML or Markdown written as an entity.
 */
export function htmlEscaped(text: string): string {
  return text
    .replace(ANY_SPACE, ' ')
    .replace(MARKUP_CHARACTERS, (character) => HTML_ENTITIES[character] ?? `&#${character.codePointAt(0) ?? 0};`)
}

/** The payload of a JWT (any JSON value), or undefined when the text is not one (an opaque token, say). */
function jwtPayloadOf(token: string): { readonly scope?: unknown } | null | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { readonly scope?: unknown } | null
  } catch {
    return undefined
  }
}

/**
 * The scopes the token carries, read from its payload for display only (the answer, not the token, is
 * the contract); undefined when the token is not a JWT with a non-empty `scope` claim.
 */
export function grantedScopes(accessToken: string): string | undefined {
  const scope = jwtPayloadOf(accessToken)?.scope
  return typeof scope === 'string' && scope !== '' ? scope.split(',').join(', ') : undefined
}

/** What will happen to the token when the job ends, for the summary; the post step adds what did happen. */
export function endOfJobText(invalidateToken: boolean): string {
  return invalidateToken
    ? 'To be invalidated at IMS by the post step when the job ends; its result is added at the end of the summary'
    : 'Stays valid until it expires (invalidate-token: false)'
}

/** A time span as a person reads it: `45 s`, `12 min`, `24 h` (86399 s). */
export function durationText(seconds: number): string {
  if (seconds < 120) return `${seconds} s`
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`
  return `${Math.round(seconds / 3600)} h`
}

/** `step <id>, ` for a step with an id (GITHUB_ACTION); the runner names a step without one `__…`. */
const stepPart = (stepId: string | undefined): string => (stepId && !stepId.startsWith('__') ? `step ${stepId}, ` : '')

/**
 * The summary's title: several tokens in one job (AEM and Cloud Manager, say) each get a table, told apart
 * by the step's id when it has one and the client id.
 */
export function summaryTitle(clientId: string, stepId: string | undefined): string {
  return `Adobe IMS access token (${stepPart(stepId)}client ${clientId})`
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
    ['Expires at', `${expiresAt} (in ${durationText(token.expiresInSeconds)})`],
    ['Attempts', String(token.attempts)],
    ['After the job', endOfJobText(plan.invalidateToken)],
  ]
}

/**
 * The post step's line of the job summary, saying what happened to the token: invalidated, or not and why
 * (`failure`, the post step's warning, which says until when it stays valid). HTML, every value escaped.
 */
export function postSummaryLine(
  result: { readonly invalidatedAt: string } | { readonly failure: string },
  expiresAt: string,
  stepId: string | undefined,
): string {
  const title = `<strong>${htmlEscaped(`Adobe IMS access token (${stepPart(stepId)}expiring at ${expiresAt})`)}</strong>`
  const what =
    'invalidatedAt' in result
      ? `invalidated at IMS by the post step at ${htmlEscaped(result.invalidatedAt)}.`
      : `<strong>not invalidated</strong>. ${htmlEscaped(result.failure)}`
  return `<p>${title}: ${what}</p>\n`
}
