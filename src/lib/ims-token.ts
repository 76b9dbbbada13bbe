import { getProxyUrl } from '@actions/http-client/lib/proxy'
import { ImsRequestError } from './errors.js'
import { type HttpAnswer, postForm, TransportFault } from './http-form.js'
import { contentTypeOf, describeBody, headerValue, type ImsErrorBody, imsErrorOf, jsonObjectOf } from './ims-answer.js'
import type { Reporter } from './reporter.js'
import { backoffDelayMs, RETRY_AFTER_CAP_MS, RETRYABLE_STATUSES, retryAfterMs, type Sleep } from './retry.js'
import { oneLine } from './text.js'

export interface ImsToken {
  readonly accessToken: string
  readonly tokenType: string
  /** Whole seconds, rounded down, whatever unit IMS answered in. */
  readonly expiresInSeconds: number
  readonly expiresAt: Date
  /** How many requests it took. */
  readonly attempts: number
}

/** One token request: where it goes, what it sends and how to read the answer. */
export interface TokenRequest {
  readonly url: string
  /**
   * The form of one attempt. It is made afresh for each attempt, so that a signed JWT is never older
   * than its short lifetime, however long the retries take.
   */
  readonly form: () => Promise<Readonly<Record<string, string>>>
  /** The form fields that hold secrets: blanked out of anything of the answer that is quoted. */
  readonly secretFields: readonly string[]
  /** What the request is, for messages: "the JWT exchange". */
  readonly operation: string
  /** The JWT exchange answers `expires_in` in milliseconds, /ims/token/v3 in seconds. */
  readonly expiresInUnit: 'milliseconds' | 'seconds'
  /** Advice for a known IMS error. */
  readonly hint: (error: ImsErrorBody, status: number) => string | undefined
}

export interface RequestSettings {
  /** Limit for one attempt, from connect to the last byte of the answer. */
  readonly timeoutMs: number
  /** Requests in all, the first included. */
  readonly maxAttempts: number
  readonly now: () => number
  readonly sleep: Sleep
  /** In [0, 1), for the backoff's jitter. */
  readonly random: () => number
}

/** An attempt that did not end in a token. */
export interface Failure {
  /** The whole story, for the step's error. */
  readonly message: string
  /** What the attempt got, in a few words, for the retry line. */
  readonly summary: string
  readonly retryable: boolean
  /** What the answer's Retry-After asks for, in milliseconds. */
  readonly retryAfterMs: number | undefined
}

/** Reading an answer gives a token or a failure. */
export type AnswerReading = { readonly token: Omit<ImsToken, 'attempts'> } | { readonly failure: Failure }

/** Advice for errors on IMS's side, which either flow can meet. */
export function serverSideHint(status: number): string | undefined {
  return status >= 500
    ? 'IMS had a problem on its side: try again later, and quote the x-debug-id to Adobe support if it persists.'
    : undefined
}

function debugIdNote(answer: HttpAnswer): string {
  const debugId = headerValue(answer, 'x-debug-id')
  return debugId ? ` (x-debug-id ${oneLine(debugId, 100)})` : ''
}

/** Longer than any lifetime IMS gives (a day); a larger expires_in is a broken answer, not a token. */
const LONGEST_LIFETIME_MS = 366 * 24 * 60 * 60 * 1000

function expiresInMilliseconds(value: unknown, unit: TokenRequest['expiresInUnit']): number | undefined {
  const amount = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN
  if (!Number.isFinite(amount) || amount < 0) return undefined
  const milliseconds = unit === 'milliseconds' ? amount : amount * 1000
  return milliseconds <= LONGEST_LIFETIME_MS ? milliseconds : undefined
}

/** What one attempt sent, and when. */
export interface Attempt {
  /** The form sent; its secret fields are blanked out of anything quoted from the answer. */
  readonly sent: Readonly<Record<string, string>>
  readonly sentAt: number
  readonly answeredAt: number
}

/**
 * Reads a token out of an answer, masking it at once; otherwise says what IMS answered, without any
 * secret, and whether another attempt could help.
 */
export function readTokenAnswer(answer: HttpAnswer, request: TokenRequest, attempt: Attempt, reporter: Reporter): AnswerReading {
  const json = jsonObjectOf(answer)
  const ok = answer.status >= 200 && answer.status < 300
  const accessToken = ok ? json?.['access_token'] : undefined
  if (typeof accessToken === 'string' && accessToken !== '') {
    reporter.maskSecret(accessToken)
    const expiresInMs = expiresInMilliseconds(json?.['expires_in'], request.expiresInUnit)
    if (expiresInMs === undefined) {
      const message = `IMS answered ${request.operation} with an access token but without a usable expires_in${debugIdNote(answer)}.`
      return { failure: { message, summary: message, retryable: false, retryAfterMs: undefined } }
    }
    const tokenType = json?.['token_type']
    return {
      token: {
        accessToken,
        tokenType: typeof tokenType === 'string' && tokenType !== '' ? oneLine(tokenType, 40) : 'bearer',
        expiresInSeconds: Math.floor(expiresInMs / 1000),
        expiresAt: new Date(attempt.sentAt + expiresInMs),
      },
    }
  }
  const secrets = request.secretFields.flatMap((name) => attempt.sent[name] ?? [])
  const imsError = imsErrorOf(json, secrets)
  const statusText = answer.statusText ? ` ${oneLine(answer.statusText, 60)}` : ''
  const retryable = RETRYABLE_STATUSES.has(answer.status)
  return {
    failure: {
      message: failureMessage(answer, request, imsError, statusText, secrets),
      summary: `IMS answered ${answer.status}${imsError ? ` ${imsError.error}` : statusText} (${contentTypeOf(answer)})`,
      retryable,
      retryAfterMs: retryable ? retryAfterMs(headerValue(answer, 'retry-after'), attempt.answeredAt) : undefined,
    },
  }
}

function failureMessage(
  answer: HttpAnswer,
  request: TokenRequest,
  imsError: ImsErrorBody | undefined,
  statusText: string,
  secrets: readonly string[],
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
  const without = status >= 200 && status < 300 ? ' without an access token' : ''
  const hint = serverSideHint(status)
  return `IMS answered ${request.operation} with ${status}${statusText} (${contentTypeOf(answer)})${without}: ${describeBody(answer, secrets)}${debugIdNote(answer)}.${hint ? ` ${hint}` : ''}`
}

function failureOfFault(fault: TransportFault, request: TokenRequest): Failure {
  return {
    message: `Could not get an answer from IMS for ${request.operation} at ${new URL(request.url).host}: ${fault.message}.`,
    summary: fault.message,
    retryable: fault.transient,
    retryAfterMs: undefined,
  }
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`
}

/** The wait before the next attempt, and why, from the failure's Retry-After or the backoff. */
function waitAfter(failure: Failure, attempt: number, random: () => number): { milliseconds: number; why: string } {
  if (failure.retryAfterMs === undefined) return { milliseconds: backoffDelayMs(attempt, random), why: '' }
  if (failure.retryAfterMs > RETRY_AFTER_CAP_MS) {
    return {
      milliseconds: RETRY_AFTER_CAP_MS,
      why: ` (Retry-After asks for ${seconds(failure.retryAfterMs)}; waiting at most ${seconds(RETRY_AFTER_CAP_MS)})`,
    }
  }
  return { milliseconds: failure.retryAfterMs, why: ' (as Retry-After asks)' }
}

/**
 * Sends the token request, retrying what may pass (connection faults, timeouts, 429 and 5xx gateway
 * errors) up to `maxAttempts` in all, and reads the token out of the answer.
 */
export async function requestImsToken(request: TokenRequest, reporter: Reporter, settings: RequestSettings): Promise<ImsToken> {
  const proxy = getProxyUrl(new URL(request.url))
  if (proxy) reporter.info(`Connecting through the proxy ${proxy.host} (from the environment's proxy settings).`)
  for (let attempt = 1; ; attempt++) {
    const sent = await request.form()
    reporter.debug(
      `POST ${request.url} with the form fields ${Object.keys(sent).join(', ')} (attempt ${attempt} of ${settings.maxAttempts})`,
    )
    const sentAt = settings.now()
    let reading: AnswerReading
    try {
      const answer = await postForm(request.url, sent, settings.timeoutMs)
      reporter.debug(`IMS answered ${answer.status} (${contentTypeOf(answer)})${debugIdNote(answer)}`)
      reading = readTokenAnswer(answer, request, { sent, sentAt, answeredAt: settings.now() }, reporter)
    } catch (error) {
      if (!(error instanceof TransportFault)) throw error
      reading = { failure: failureOfFault(error, request) }
    }
    if ('token' in reading) return { ...reading.token, attempts: attempt }
    const { failure } = reading
    if (!failure.retryable || attempt >= settings.maxAttempts) {
      throw new ImsRequestError(
        failure.retryable
          ? `${failure.message} Gave up after ${attempt} ${attempt === 1 ? 'attempt (max-attempts is 1)' : 'attempts'}.`
          : `${failure.message}${attempt > 1 ? ` This was attempt ${attempt} of ${settings.maxAttempts}.` : ''}`,
      )
    }
    const wait = waitAfter(failure, attempt, settings.random)
    reporter.info(
      `Attempt ${attempt} of ${settings.maxAttempts} failed: ${failure.summary}; retrying in ${seconds(wait.milliseconds)}${wait.why}.`,
    )
    await settings.sleep(wait.milliseconds)
  }
}
