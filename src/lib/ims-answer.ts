/**
 * Reads what IMS answered: a token, or a failure that says in one line what IMS said, without any
 * secret, whether another attempt could help and what to do about it. The IMS facts it relies on (fields,
 * units, the error table) are in docs/ims-protocol.md.
 */
import { STATUS_CODES } from 'node:http'
import {
  htmlTitleOf,
  LONGEST_TOKEN,
  quotableDebugId,
  quotableErrorCode,
  quotableMediaType,
  quotableTokenType,
  Redactor,
  tokenLookalikes,
} from './answer-text.js'
import type { HttpAnswer } from './http-form.js'
import { maskSecretText, type Reporter } from './reporter.js'
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

/** The values of the request's secret fields in one attempt: what is blanked out of anything quoted. */
export function secretsSent(request: AnsweredRequest, sent: Readonly<Record<string, string>>): string[] {
  return Object.entries(sent)
    .filter(([name]) => request.secretFields.includes(name))
    .map(([, value]) => value)
}

/**
 * Registers every value of the answer that looks like an access token with the masker, whatever the
 * status and whether the body parses: called before anything of the answer is printed, at any level.
 */
export function maskTokenLookalikes(answer: HttpAnswer, reporter: Reporter): void {
  for (const token of tokensOf(answer)) maskSecretText(reporter, token)
}

/** The token lookalikes of each answer, found once: the body is scanned whole. */
const TOKENS_OF_ANSWER = new WeakMap<HttpAnswer, readonly string[]>()

function tokensOf(answer: HttpAnswer): readonly string[] {
  let tokens = TOKENS_OF_ANSWER.get(answer)
  if (!tokens) TOKENS_OF_ANSWER.set(answer, (tokens = tokenLookalikes(answer.body)))
  return tokens
}

/** The redactor of each answer, made once: every quote of an answer blanks the same secrets. */
const REDACTOR_OF_ANSWER = new WeakMap<HttpAnswer, Redactor>()

/** What may be quoted of an answer: the request's secrets and the answer's token lookalikes blanked out. */
function redactorFor(answer: HttpAnswer, secrets: readonly string[]): Redactor {
  let redactor = REDACTOR_OF_ANSWER.get(answer)
  if (!redactor) REDACTOR_OF_ANSWER.set(answer, (redactor = new Redactor([...secrets, ...tokensOf(answer)])))
  return redactor
}

/** The answer's media type, when it is a plausible one that holds no secret. */
function contentTypeOf(answer: HttpAnswer, redactor: Redactor): string {
  return quotableMediaType(headerValue(answer, 'content-type'), redactor)
}

/** ` (x-debug-id …)` when IMS sent a plausible one that holds no secret: what Adobe support asks for. */
function debugIdNote(answer: HttpAnswer, redactor: Redactor): string {
  const debugId = quotableDebugId(headerValue(answer, 'x-debug-id'), redactor)
  return debugId ? ` (x-debug-id ${debugId})` : ''
}

/** `502 (text/html) (x-debug-id …)`: an answer in a few words, safe for the debug log. */
export function answerOutline(answer: HttpAnswer, secrets: readonly string[]): string {
  const redactor = redactorFor(answer, secrets)
  return `${answer.status} (${contentTypeOf(answer, redactor)})${debugIdNote(answer, redactor)}`
}

/** The body as a JSON object, or undefined when it is not one. */
function jsonObjectOf(answer: HttpAnswer): Record<string, unknown> | undefined {
  try {
    // JSON.parse takes space around the value, and fails at once on the first character of an HTML page.
    const value: unknown = JSON.parse(answer.body)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * IMS's error, only when it is one short word (`invalid_client`), and its description on one line, with
 * every secret blanked out before it is cut.
 */
function imsErrorOf(body: Record<string, unknown> | undefined, redactor: Redactor): ImsErrorBody | undefined {
  if (!body || typeof body['error'] !== 'string') return undefined
  const description = typeof body['error_description'] === 'string' ? body['error_description'] : ''
  return { error: quotableErrorCode(body['error'], redactor) ?? 'an unusual error code', description: redactor.quote(description, 200) }
}

const isSuccess = (status: number): boolean => status >= 200 && status < 300

/**
 * A short, secret-free account of a body that was not the expected JSON. Only its kind for a 2xx answer
 * (which may hold a token) and for JSON (whose keys are the server's choice); otherwise an HTML page's
 * title or a short excerpt, with every secret blanked out before it is cut.
 */
function describeBody(answer: HttpAnswer, json: Record<string, unknown> | undefined, redactor: Redactor): string {
  const text = answer.body.trim()
  if (text === '') return 'an empty body'
  if (json) return 'JSON without a usable access_token or error field'
  const html = /html/i.test(headerValue(answer, 'content-type') ?? '') || /^<(!doctype|html|head|body)/i.test(text)
  if (isSuccess(answer.status)) return html ? 'an HTML page' : 'a body that is not a JSON object (not quoted: it may hold a token)'
  if (html) {
    const title = htmlTitleOf(text)
    return title?.trim() ? `an HTML page titled "${redactor.quote(title, 80)}"` : 'an HTML page'
  }
  return `"${redactor.quote(text, 100)}"`
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
  const redactor = redactorFor(answer, secretsSent(request, attempt.sent))
  const json = jsonObjectOf(answer)
  const imsError = imsErrorOf(json, redactor)
  // Node's reason phrase for the status, never the server's own: it could say anything.
  const statusText = STATUS_CODES[answer.status] ? ` ${STATUS_CODES[answer.status]}` : ''
  const retryable = RETRYABLE_STATUSES.has(answer.status)
  const contentType = contentTypeOf(answer, redactor)
  return {
    message: failureMessage(answer, request, { imsError, statusText, contentType, without }, json, redactor),
    summary: `IMS answered ${answer.status}${imsError ? ` ${imsError.error}` : statusText} (${contentType})`,
    retryable,
    retryAfterMs: retryable ? retryAfterMs(headerValue(answer, 'retry-after'), attempt.answeredAt) : undefined,
  }
}

/** What a failure message says of an answer, each piece already safe to quote. */
interface AnswerPieces {
  readonly imsError: ImsErrorBody | undefined
  readonly statusText: string
  readonly contentType: string
  readonly without: string
}

function failureMessage(
  answer: HttpAnswer,
  request: AnsweredRequest,
  { imsError, statusText, contentType, without }: AnswerPieces,
  json: Record<string, unknown> | undefined,
  redactor: Redactor,
): string {
  const { status } = answer
  const debugId = debugIdNote(answer, redactor)
  if (status >= 300 && status < 400) {
    // Where it pointed is not quoted: a hostile server chooses it, and it may echo what was sent.
    return `IMS answered ${request.operation} with a redirect (${status})${debugId}, which this action does not follow: the request carries secrets. Check ims-endpoint; it must name IMS itself.`
  }
  if (imsError && status >= 400) {
    const hint = request.hint(imsError, status)
    return `IMS rejected ${request.operation} (${status} ${imsError.error}): ${imsError.description || 'no description'}${debugId}.${hint ? ` ${hint}` : ''}`
  }
  const lacking = isSuccess(status) ? without : ''
  const hint = serverSideHint(status)
  return `IMS answered ${request.operation} with ${status}${statusText} (${contentType})${lacking}: ${describeBody(answer, json, redactor)}${debugId}.${hint ? ` ${hint}` : ''}`
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
  const json = (isSuccess(answer.status) ? jsonObjectOf(answer) : undefined) ?? {}
  const accessToken = json['access_token']
  if (typeof accessToken !== 'string' || accessToken === '')
    return { failure: failureOfAnswer(answer, request, attempt, ' without an access token') }
  if (accessToken.length > LONGEST_TOKEN) {
    // Not a token IMS gives: neither masked whole (a line the size of the answer) nor used.
    const message = `IMS answered ${request.operation} with an access_token of ${accessToken.length} characters, longer than any IMS token (${LONGEST_TOKEN}): not used.`
    return { failure: { message, summary: message, retryable: false, retryAfterMs: undefined } }
  }
  reporter.maskSecret(accessToken)
  const expiresInMs = expiresInMilliseconds(json['expires_in'], request.expiresInUnit)
  if (expiresInMs === undefined) {
    const redactor = redactorFor(answer, secretsSent(request, attempt.sent))
    const message = `IMS answered ${request.operation} with an access token but without a usable expires_in${debugIdNote(answer, redactor)}.`
    return { failure: { message, summary: message, retryable: false, retryAfterMs: undefined } }
  }
  const tokenType = quotableTokenType(json['token_type'], redactorFor(answer, secretsSent(request, attempt.sent)))
  if (tokenType === undefined && json['token_type'] !== undefined)
    reporter.debug('IMS answered a token_type that is not one short word free of secrets: not quoted, taken as bearer.')
  return {
    result: {
      accessToken,
      tokenType: tokenType ?? 'bearer',
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
  // IMS answers 200 with an empty body; any 2xx says the same, and its body is never read.
  if (isSuccess(answer.status)) return { result: true }
  return { failure: failureOfAnswer(answer, request, attempt, '') }
}
