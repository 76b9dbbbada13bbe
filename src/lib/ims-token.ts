import { ImsRequestError } from './errors.js'
import { type HttpAnswer, postForm, TransportFault } from './http-form.js'
import { contentTypeOf, describeBody, headerValue, type ImsErrorBody, imsErrorOf, jsonObjectOf } from './ims-answer.js'
import type { Reporter } from './reporter.js'
import { oneLine } from './text.js'

export interface ImsToken {
  readonly accessToken: string
  readonly tokenType: string
  /** Whole seconds, rounded down, whatever unit IMS answered in. */
  readonly expiresInSeconds: number
  readonly expiresAt: Date
}

/** One token request: where it goes, what it sends and how to read the answer. */
export interface TokenRequest {
  readonly url: string
  readonly fields: Readonly<Record<string, string>>
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
  readonly now: () => number
}

/** Advice for errors on IMS's side, which either flow can meet. */
export function serverSideHint(status: number): string | undefined {
  return status >= 500 ? 'IMS had a problem on its side: try again later, and quote the x-debug-id to Adobe support if it persists.' : undefined
}

function debugIdNote(answer: HttpAnswer): string {
  const debugId = headerValue(answer, 'x-debug-id')
  return debugId ? ` (x-debug-id ${oneLine(debugId, 100)})` : ''
}

function expiresInMilliseconds(value: unknown, unit: TokenRequest['expiresInUnit']): number | undefined {
  const amount = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN
  if (!Number.isFinite(amount) || amount < 0) return undefined
  return unit === 'milliseconds' ? amount : amount * 1000
}

/** Reads a token out of an answer, or throws an error that says what IMS answered, without any secret. */
export function tokenFromAnswer(answer: HttpAnswer, request: TokenRequest, reporter: Reporter, sentAt: number): ImsToken {
  const json = jsonObjectOf(answer)
  const accessToken = answer.status >= 200 && answer.status < 300 ? json?.['access_token'] : undefined
  if (typeof accessToken === 'string' && accessToken !== '') {
    reporter.maskSecret(accessToken)
    const expiresInMs = expiresInMilliseconds(json?.['expires_in'], request.expiresInUnit)
    if (expiresInMs === undefined) {
      throw new ImsRequestError(`IMS answered ${request.operation} with an access token but without a usable expires_in${debugIdNote(answer)}.`)
    }
    const tokenType = json?.['token_type']
    return {
      accessToken,
      tokenType: typeof tokenType === 'string' && tokenType !== '' ? oneLine(tokenType, 40) : 'bearer',
      expiresInSeconds: Math.floor(expiresInMs / 1000),
      expiresAt: new Date(sentAt + expiresInMs),
    }
  }
  throw new ImsRequestError(failureMessage(answer, request))
}

function failureMessage(answer: HttpAnswer, request: TokenRequest): string {
  const { status } = answer
  const secrets = Object.values(request.fields)
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
  const imsError = imsErrorOf(jsonObjectOf(answer))
  if (imsError && status >= 400) {
    const hint = request.hint(imsError, status)
    return `IMS rejected ${request.operation} (${status} ${imsError.error}): ${imsError.description || 'no description'}${debugIdNote(answer)}.${hint ? ` ${hint}` : ''}`
  }
  const statusText = answer.statusText ? ` ${oneLine(answer.statusText, 60)}` : ''
  const without = status >= 200 && status < 300 ? ' without an access token' : ''
  return `IMS answered ${request.operation} with ${status}${statusText} (${contentTypeOf(answer)})${without}: ${describeBody(answer, secrets)}${debugIdNote(answer)}.`
}

/** Sends the token request and reads the token out of the answer. */
export async function requestImsToken(request: TokenRequest, reporter: Reporter, settings: RequestSettings): Promise<ImsToken> {
  reporter.debug(`POST ${request.url} with the form fields ${Object.keys(request.fields).join(', ')}`)
  const sentAt = settings.now()
  let answer: HttpAnswer
  try {
    answer = await postForm(request.url, request.fields, settings.timeoutMs)
  } catch (error) {
    if (!(error instanceof TransportFault)) throw error
    throw new ImsRequestError(`Could not get an answer from IMS for ${request.operation} at ${new URL(request.url).host}: ${error.message}.`)
  }
  reporter.debug(`IMS answered ${answer.status} (${contentTypeOf(answer)})${debugIdNote(answer)}`)
  return tokenFromAnswer(answer, request, reporter, sentAt)
}
