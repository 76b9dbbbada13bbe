/**
 * Sends a request to IMS and retries what may pass: one place for the timeout, the retries, refusing
 * redirects, proxies and keeping secrets out of the log, whatever the answer is read into.
 */
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import { ImsRequestError } from './errors.js'
import { postForm, TransportFault } from './http-form.js'
import {
  type AccessToken,
  type AnsweredRequest,
  type AnswerReader,
  type AnswerReading,
  answerOutline,
  type ExpiresInUnit,
  type Failure,
  maskTokenLookalikes,
  readTokenAnswer,
  secretsSent,
} from './ims-answer.js'
import type { Reporter } from './reporter.js'
import { longerTimeoutMs, secondsText, type Sleep, waitBefore } from './retry.js'

/** One request to IMS: where it goes, what it sends and how to read the answer into a `T`. */
export interface ImsRequest<T> extends AnsweredRequest {
  /**
   * The form of one attempt. It is made afresh for each attempt, so that a signed JWT is never older
   * than its short lifetime, however long the retries take.
   */
  readonly form: () => Promise<Readonly<Record<string, string>>>
  readonly read: AnswerReader<T>
}

export interface RequestSettings {
  /** Limit for one attempt, from connect to the last byte of the answer; longer after an attempt that ran out of it. */
  readonly timeoutMs: number
  /** Requests in all, the first included. */
  readonly maxAttempts: number
  /**
   * Time for retrying, from the first request: no retry starts later, and a Retry-After that would end
   * later fails the request at once. The last attempt may still take its timeout.
   */
  readonly budgetMs: number
  /** The budget's name in messages when it is not the input `retry-budget`, which they then do not advise raising. */
  readonly budgetName?: string
  readonly now: () => number
  readonly sleep: Sleep
  /** In [0, 1), for the backoff's jitter. */
  readonly random: () => number
}

function failureOfFault(fault: TransportFault, request: AnsweredRequest): Failure {
  return {
    message: `Could not get an answer from IMS for ${request.operation} at ${new URL(request.url).host}: ${fault.message}.`,
    summary: fault.message,
    retryable: fault.transient,
    retryAfterMs: undefined,
  }
}

/** A timer may fire this much early, as Date.now() sees it: an attempt that lasted its timeout less this ran out of time. */
const TIMER_SLACK_MS = 20

/** `2 s`, `0.3 s`: a timeout as request-timeout gives it. */
const timeoutText = (milliseconds: number): string => `${milliseconds / 1000} s`

/** `1 attempt over 0.4 s`, `3 attempts over 12.5 s`. */
const attemptsText = (attempts: number, milliseconds: number): string =>
  `${attempts} ${attempts === 1 ? 'attempt' : 'attempts'} over ${secondsText(milliseconds)}`

/**
 * Sends `request`, retrying what may pass (connection faults, timeouts, 429 and 5xx gateway errors) up to
 * `maxAttempts` in all and within `budgetMs`, and gives what the answer was read into, with the number of
 * attempts it took.
 */
export async function sendImsRequest<T>(
  request: ImsRequest<T>,
  reporter: Reporter,
  settings: RequestSettings,
): Promise<{ readonly result: T; readonly attempts: number }> {
  const proxy = getProxyUrl(new URL(request.url))
  if (proxy) reporter.info(`Connecting through the proxy ${proxy.host} (from the environment's proxy settings).`)
  const { maxAttempts, budgetMs } = settings
  const budgetText = `${settings.budgetName ?? 'retry-budget'} (${budgetMs / 1000} s)`
  const startedAt = settings.now()
  let timeoutMs = settings.timeoutMs
  for (let attempt = 1; ; attempt++) {
    const sent = await request.form()
    reporter.debug(
      `POST ${request.url} with the form fields ${Object.keys(sent).join(', ')} (attempt ${attempt} of ${maxAttempts}, time limit ${timeoutText(timeoutMs)})`,
    )
    const sentAt = settings.now()
    let reading: AnswerReading<T>
    /** No whole answer came: a fault of the connection, or the attempt ran out of time. */
    let faulted = false
    try {
      const answer = await postForm(request.url, sent, timeoutMs)
      // Masked first: whatever the answer holds that looks like a token must not reach even the debug log.
      maskTokenLookalikes(answer, reporter)
      reporter.debug(`IMS answered ${answerOutline(answer, secretsSent(request, sent))}`)
      reading = request.read(answer, { sent, sentAt, answeredAt: settings.now() }, reporter)
    } catch (error) {
      if (!(error instanceof TransportFault)) throw error
      faulted = true
      reading = { failure: failureOfFault(error, request) }
    }
    if ('result' in reading) return { result: reading.result, attempts: attempt }
    const { failure } = reading
    const now = settings.now()
    const spent = attemptsText(attempt, now - startedAt)
    if (!failure.retryable)
      throw new ImsRequestError(`${failure.message}${attempt > 1 ? ` This was attempt ${attempt} of ${maxAttempts}.` : ''}`)
    if (attempt >= maxAttempts) throw new ImsRequestError(`${failure.message} Gave up after ${spent} (max-attempts is ${maxAttempts}).`)
    const leftMs = budgetMs - (now - startedAt)
    if (leftMs <= 0) throw new ImsRequestError(`${failure.message} Gave up after ${spent}: ${budgetText} is spent.`)
    const { retryAfterMs } = failure
    if (retryAfterMs !== undefined && retryAfterMs > leftMs) {
      // In whole tens of seconds, and at least a second more than the wait would end at.
      const enough = Math.ceil(((budgetMs - leftMs + retryAfterMs) / 1000 + 1) / 10) * 10
      const advice = settings.budgetName === undefined ? ` To wait it out, set retry-budget to ${enough} or more.` : ''
      throw new ImsRequestError(
        `${failure.message} IMS asked to wait ${secondsText(retryAfterMs)} (Retry-After), more than the ${secondsText(leftMs)} left of ${budgetText}, so the step gave up at once after ${spent}.${advice}`,
      )
    }
    const wait = waitBefore(attempt, retryAfterMs, leftMs, budgetMs, settings.random)
    let longer = ''
    const leftAtNextMs = leftMs - wait.milliseconds
    if (faulted && now - sentAt >= timeoutMs - TIMER_SLACK_MS) {
      const next = longerTimeoutMs(timeoutMs, settings.timeoutMs, leftAtNextMs)
      if (next > timeoutMs) longer = `, and allowing ${timeoutText(next)} for the next attempt instead of ${timeoutText(timeoutMs)}`
      timeoutMs = next
    } else {
      // A time limit grown earlier ends with the budget too: no attempt ends past it by more than request-timeout.
      timeoutMs = Math.max(settings.timeoutMs, Math.min(timeoutMs, leftAtNextMs))
    }
    reporter.info(
      `Attempt ${attempt} of ${maxAttempts} failed: ${failure.summary}; retrying in ${secondsText(wait.milliseconds)} (${wait.why})${longer}.`,
    )
    await settings.sleep(wait.milliseconds)
  }
}

/** A token, and how many requests it took. */
export interface ImsToken extends AccessToken {
  readonly attempts: number
}

/** A request for an access token: the JWT exchange or client credentials. */
export interface TokenRequest extends Omit<ImsRequest<AccessToken>, 'read'> {
  readonly expiresInUnit: ExpiresInUnit
}

/** Sends a token request and reads the token out of the answer. */
export async function requestImsToken(request: TokenRequest, reporter: Reporter, settings: RequestSettings): Promise<ImsToken> {
  const read: AnswerReader<AccessToken> = (answer, attempt, masker) => readTokenAnswer(answer, request, attempt, masker)
  const { result, attempts } = await sendImsRequest({ ...request, read }, reporter, settings)
  return { ...result, attempts }
}
