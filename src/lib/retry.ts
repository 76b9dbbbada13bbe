/**
 * When and how long to wait before another request to IMS, within a time budget. Exponential backoff with
 * full jitter (AWS's "full jitter": a uniform wait between 0 and the exponential bound) keeps many jobs that
 * hit the same IMS hiccup from retrying in lockstep. A Retry-After is a floor, never shortened: the wait is
 * what it asks plus a jittered share of the same bound, so that a crowd refused together does not come back
 * together.
 */

/** First retry waits up to this long; each later one up to twice the last bound. */
const BACKOFF_BASE_MS = 1_000
/**
 * The backoff bound stops growing at this share of the budget (15 s for the default 120 s), so that
 * `max-attempts` requests spread over about the budget: a longer budget, not more requests, waits longer.
 */
const BACKOFF_CAP_SHARE_OF_BUDGET = 1 / 8
const MIN_BACKOFF_CAP_MS = 1_000
const MAX_BACKOFF_CAP_MS = 60_000

/**
 * On top of a Retry-After, a uniform wait up to this share of the backoff bound: enough to spread a crowd
 * refused together, little enough not to leave IMS idle (in a crowd of 100 jobs at 5 tokens a second, the
 * whole bound made the last token about 40 % later than half of it, for 15 % fewer requests).
 */
const RETRY_AFTER_JITTER_SHARE = 0.5

/** Statuses that say "try again": throttling and IMS or gateway trouble. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])

export type Sleep = (milliseconds: number) => Promise<void>

export const realSleep: Sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds))

/** The longest backoff wait within a retry budget of `budgetMs`. */
export function backoffCapMs(budgetMs: number): number {
  return Math.min(MAX_BACKOFF_CAP_MS, Math.max(MIN_BACKOFF_CAP_MS, Math.floor(budgetMs * BACKOFF_CAP_SHARE_OF_BUDGET)))
}

/** The bound of the wait before retry number `retry` (1 for the first retry). */
export function backoffBoundMs(retry: number, budgetMs: number): number {
  return Math.min(backoffCapMs(budgetMs), BACKOFF_BASE_MS * 2 ** (retry - 1))
}

/** The wait before retry number `retry` (1 for the first retry), `random` in [0, 1). */
export function backoffDelayMs(retry: number, budgetMs: number, random: () => number): number {
  return Math.floor(random() * backoffBoundMs(retry, budgetMs))
}

/**
 * A Retry-After header in milliseconds: delay-seconds or an HTTP date. Undefined when absent or
 * unreadable; never negative.
 */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  const value = header?.trim()
  if (!value) return undefined
  if (/^\d+$/.test(value)) return Number(value) * 1000
  // An HTTP date names a day or month; anything else Date.parse might read as a year.
  if (!/[a-z]/i.test(value)) return undefined
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** `1.5 s`, for the retry line. */
export function secondsText(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`
}

/** A wait before the next attempt, and why, for the retry line. */
export interface Wait {
  readonly milliseconds: number
  readonly why: string
}

/**
 * The wait before retry number `retry`: Retry-After (when the answer has one) plus a jittered share of the
 * backoff bound, else the backoff alone (full jitter). No wait ends past the budget, `leftMs` from now: the jitter is cut
 * to fit. A Retry-After that does not fit is not for this function (sendImsRequest gives up instead).
 */
export function waitBefore(retry: number, retryAfter: number | undefined, leftMs: number, budgetMs: number, random: () => number): Wait {
  const wanted =
    retryAfter === undefined
      ? backoffDelayMs(retry, budgetMs, random)
      : retryAfter + Math.floor(random() * RETRY_AFTER_JITTER_SHARE * backoffBoundMs(retry, budgetMs))
  const milliseconds = Math.max(0, Math.min(wanted, leftMs))
  const cut = milliseconds < wanted ? ', cut to what is left of retry-budget' : ''
  if (retryAfter === undefined) return { milliseconds, why: `backoff with jitter${cut}` }
  return { milliseconds, why: `Retry-After asks for ${secondsText(retryAfter)}, plus ${secondsText(milliseconds - retryAfter)} of jitter` }
}

/**
 * The time the next attempt may take when the last one ran out of time: twice as long, growing towards what
 * will be left of the budget when it starts, and never less than `request-timeout`.
 */
export function longerTimeoutMs(lastTimeoutMs: number, requestTimeoutMs: number, leftAtStartMs: number): number {
  return Math.max(requestTimeoutMs, Math.min(2 * lastTimeoutMs, leftAtStartMs))
}
