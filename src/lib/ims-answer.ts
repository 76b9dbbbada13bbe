/**
 * Reads what IMS answered: a token, or a failure that says in one line what IMS said, without any
 * secret, whether another attempt could help and what to do about it. The IMS facts it relies on (fields,
 * units, the error table) are in docs/ims-protocol.md.
 */
import type { HttpAnswer } from './http-form.js'
import { oneLine } from './log-text.js'
import type { Reporter } from './reporter.js'
import { RETRYABLE_STATUSES, retryAfterMs } from './retry.js'

/** An IMS error body: `{"error": "...", "error_description": "..."}`. */
interface ImsErrorBody {
  readonly error: string
  readonly description: string
}

/** Advice for an IMS error, by the flow that met it. */
export type ErrorHint = (error: ImsErrorBody, status: number) => string | undefined

/** What reading an answer needs to know of the request it answers. */
export interface AnsweredRequest {
  readonly url: string
  /** What the request is, for messages: "the JWT exchange". */
  readonly operation: string
  /** The form fields that hold secrets: blanked out of anything of the answer that is quoted. */
  readonly secretFields: readonly string[]
  /** Advice for a known IMS error. */
  readonly hint: ErrorHint
}

/** What one attempt sent, and when. */
export interface Attempt {
  /** The form sent; its secret fields are blanked out of anything quoted from the answer. */
  readonly sent: Readonly<Record<string, string>>
  readonly sentAt: number
  readonly answeredAt: number
}

/** An attempt that did not end in what was asked for. */
export interface Failure {
  /** The whole story, for the step's error. */
  readonly message: string
  /** What the attempt got, in a few words, for the retry line. */
  readonly summary: string
  readonly retryable: boolean
  /** What the answer's Retry-After asks for, in milliseconds. */
  readonly retryAfterMs: number | undefined
}

/** Reading an answer gives what was asked for, or a failure. */
export type AnswerReading<T> = { readonly result: T } | { readonly failure: Failure }

/** Reads one kind of answer; `sendImsRequest` calls it with each answer that arrives whole. */
export type AnswerReader<T> = (answer: HttpAnswer, attempt: Attempt, reporter: Reporter) => AnswerReading<T>

function headerValue(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name]
  return Array.isArray(value) ? value[0] : value
}

export function contentTypeOf(answer: HttpAnswer): string {
  return headerValue(answer, 'content-type')?.split(';')[0]?.trim() || 'no content type'
}

/** ` (x-debug-id …)` when IMS sent one: what Adobe support asks for. */
export function debugIdNote(answer: HttpAnswer): string {
  const debugId = headerValue(answer, 'x-debug-id')
  return debugId ? ` (x-debug-id ${oneLine(debugId, 100)})` : ''
}

/** The body as a JSON object, or undefined when it is not one. */
function jsonObjectOf(answer: HttpAnswer): Record<string, unknown> | undefined {
  const text = answer.body.trim()
  if (!text.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function redact(text: string, secrets: readonly string[]): string {
  let redacted = text
  for (const secret of secrets) if (secret.length >= 4) redacted = redacted.split(secret).join('***')
  return redacted
}

/** IMS's error and description, on one line each, with every value in `secrets` blanked out. */
function imsErrorOf(body: Record<string, unknown> | undefined, secrets: readonly string[]): ImsErrorBody | undefined {
  if (!body || typeof body['error'] !== 'string') return undefined
  const description = typeof body['error_description'] === 'string' ? body['error_description'] : ''
  return { error: oneLine(redact(body['error'], secrets), 60), description: oneLine(redact(description, secrets)) }
}

/**
 * A short, secret-free account of a body that was not the expected JSON: its kind, an HTML page's title,
 * or at most a short excerpt with every value in `secrets` blanked out.
 */
function describeBody(answer: HttpAnswer, secrets: readonly string[]): string {
  const text = answer.body.trim()
  if (text === '') return 'an empty body'
  const json = jsonObjectOf(answer)
  if (json) {
    const keys = Object.keys(json).slice(0, 10)
    return keys.length === 0 ? 'an empty JSON object' : `JSON with the fields ${keys.map((key) => oneLine(key, 40)).join(', ')}`
  }
  if (/html/i.test(contentTypeOf(answer)) || /^<(!doctype|html|head|body)/i.test(text)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1]
    return title ? `an HTML page titled "${oneLine(redact(title, secrets), 80)}"` : 'an HTML page'
  }
  return `"${oneLine(redact(text, secrets), 100)}"`
}

/** Advice for errors on IMS's side, which any request can meet. */
export function serverSideHint(status: number): string | undefined {
  return status >= 500
    ? 'IMS had a problem on its side: try again later, and quote the x-debug-id to Adobe support if it persists.'
    : undefined
}

/**
 * Reads an answer that is not what was asked for: what IMS said, without any secret of the request, and
 * whether another attempt could help. `without` says what a 2xx answer lacked (" without an access token").
 */
export function failureOfAnswer(answer: HttpAnswer, request: AnsweredRequest, attempt: Attempt, without: string): Failure {
  const secrets = request.secretFields.flatMap((name) => attempt.sent[name] ?? [])
  const imsError = imsErrorOf(jsonObjectOf(answer), secrets)
  const statusText = answer.statusText ? ` ${oneLine(answer.statusText, 60)}` : ''
  const retryable = RETRYABLE_STATUSES.has(answer.status)
  return {
    message: failureMessage(answer, request, imsError, statusText, secrets, without),
    summary: `IMS answered ${answer.status}${imsError ? ` ${imsError.error}` : statusText} (${contentTypeOf(answer)})`,
    retryable,
    retryAfterMs: retryable ? retryAfterMs(headerValue(answer, 'retry-after'), attempt.answeredAt) : undefined,
  }
}

function failureMessage(
  answer: HttpAnswer,
  request: AnsweredRequest,
  imsError: ImsErrorBody | undefined,
  statusText: string,
  secrets: readonly string[],
  without: string,
): string {
  const { status } = answer
  if (status >= 300 && status < 400) {
    const location = headerValue(answer, 'location')
    let target = 'no Location'
    if (location) {
      try {
        target = new URL(location, request.url).host
      } catch {
        target = 'an unreadable Location'
      }
    }
    return `IMS answered ${request.operation} with a redirect (${status}) to ${oneLine(target, 100)}, which this action does not follow: the request carries secrets. Check ims-endpoint; it must name IMS itself.`
  }
  if (imsError && status >= 400) {
    const hint = request.hint(imsError, status)
    return `IMS rejected ${request.operation} (${status} ${imsError.error}): ${imsError.description || 'no description'}${debugIdNote(answer)}.${hint ? ` ${hint}` : ''}`
  }
  const lacking = status >= 200 && status < 300 ? without : ''
  const hint = serverSideHint(status)
  return `IMS answered ${request.operation} with ${status}${statusText} (${contentTypeOf(answer)})${lacking}: ${describeBody(answer, secrets)}${debugIdNote(answer)}.${hint ? ` ${hint}` : ''}`
}

/** An access token as IMS hands it out. */
export interface AccessToken {
  readonly accessToken: string
  readonly tokenType: string
  /** Whole seconds, rounded down, whatever unit IMS answered in. */
  readonly expiresInSeconds: number
  readonly expiresAt: Date
}

/** The JWT exchange answers `expires_in` in milliseconds, /ims/token/v3 in seconds. */
export type ExpiresInUnit = 'milliseconds' | 'seconds'

/** Longer than any lifetime IMS gives (a day); a larger expires_in is a broken answer, not a token. */
const LONGEST_LIFETIME_MS = 366 * 24 * 60 * 60 * 1000

function expiresInMilliseconds(value: unknown, unit: ExpiresInUnit): number | undefined {
  const amount = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN
  if (!Number.isFinite(amount) || amount < 0) return undefined
  const milliseconds = unit === 'milliseconds' ? amount : amount * 1000
  return milliseconds <= LONGEST_LIFETIME_MS ? milliseconds : undefined
}

/**
 * Reads a token out of an answer, masking it at once; otherwise says what IMS answered, without any
 * secret, and whether another attempt could help.
 */
export function readTokenAnswer(
  answer: HttpAnswer,
  request: AnsweredRequest & { readonly expiresInUnit: ExpiresInUnit },
  attempt: Attempt,
  reporter: Reporter,
): AnswerReading<AccessToken> {
  const json = answer.status >= 200 && answer.status < 300 ? jsonObjectOf(answer) : undefined
  const accessToken = json?.['access_token']
  if (typeof accessToken !== 'string' || accessToken === '')
    return { failure: failureOfAnswer(answer, request, attempt, ' without an access token') }
  reporter.maskSecret(accessToken)
  const expiresInMs = expiresInMilliseconds(json?.['expires_in'], request.expiresInUnit)
  if (expiresInMs === undefined) {
    const message = `IMS answered ${request.operation} with an access token but without a usable expires_in${debugIdNote(answer)}.`
    return { failure: { message, summary: message, retryable: false, retryAfterMs: undefined } }
  }
  const tokenType = json?.['token_type']
  return {
    result: {
      accessToken,
      tokenType: typeof tokenType === 'string' && tokenType !== '' ? oneLine(tokenType, 40) : 'bearer',
      expiresInSeconds: Math.floor(expiresInMs / 1000),
      expiresAt: new Date(attempt.sentAt + expiresInMs),
    },
  }
}

/**
 * Reads the answer to a token invalidation (`/ims/invalidate_token/v2`): 200 means done, whatever the body
 * (IMS sends an empty one); anything else is a failure read as any other answer.
 */
export function readInvalidationAnswer(answer: HttpAnswer, request: AnsweredRequest, attempt: Attempt): AnswerReading<true> {
  if (answer.status === 200) return { result: true }
  return { failure: failureOfAnswer(answer, request, attempt, ' instead of 200') }
}
