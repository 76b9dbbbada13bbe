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
import { secondsText, type Sleep, waitAfter } from './retry.js'

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
  /** Limit for one attempt, from connect to the last byte of the answer. */
  readonly timeoutMs: number
  /** Requests in all, the first included. */
  readonly maxAttempts: number
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

/**
 * Sends `request`, retrying what may pass (connection faults, timeouts, 429 and 5xx gateway errors) up to
 * `maxAttempts` in all, and gives what the answer was read into, with the number of attempts it took.
 */
export async function sendImsRequest<T>(
  request: ImsRequest<T>,
  reporter: Reporter,
  settings: RequestSettings,
): Promise<{ readonly result: T; readonly attempts: number }> {
  const proxy = getProxyUrl(new URL(request.url))
  if (proxy) reporter.info(`Connecting through the proxy ${proxy.host} (from the environment's proxy settings).`)
  for (let attempt = 1; ; attempt++) {
    const sent = await request.form()
    reporter.debug(
      `POST ${request.url} with the form fields ${Object.keys(sent).join(', ')} (attempt ${attempt} of ${settings.maxAttempts})`,
    )
    const sentAt = settings.now()
    let reading: AnswerReading<T>
    try {
      const answer = await postForm(request.url, sent, settings.timeoutMs)
      // Masked first: whatever the answer holds that looks like a token must not reach even the debug log.
      maskTokenLookalikes(answer, reporter)
      reporter.debug(`IMS answered ${answerOutline(answer, secretsSent(request, sent))}`)
      reading = request.read(answer, { sent, sentAt, answeredAt: settings.now() }, reporter)
    } catch (error) {
      if (!(error instanceof TransportFault)) throw error
      reading = { failure: failureOfFault(error, request) }
    }
    if ('result' in reading) return { result: reading.result, attempts: attempt }
    const { failure } = reading
    if (!failure.retryable || attempt >= settings.maxAttempts) {
      throw new ImsRequestError(
        failure.retryable
          ? `${failure.message} Gave up after ${attempt} ${attempt === 1 ? 'attempt (max-attempts is 1)' : 'attempts'}.`
          : `${failure.message}${attempt > 1 ? ` This was attempt ${attempt} of ${settings.maxAttempts}.` : ''}`,
      )
    }
    const wait = waitAfter(failure.retryAfterMs, attempt, settings.random)
    reporter.info(
      `Attempt ${attempt} of ${settings.maxAttempts} failed: ${failure.summary}; retrying in ${secondsText(wait.milliseconds)}${wait.why}.`,
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
