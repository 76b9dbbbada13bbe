/**
 * When and how long to wait before another request to IMS. Exponential backoff with full jitter (AWS's
 * "full jitter": a uniform wait between 0 and the exponential bound) keeps many jobs that hit the same
 * IMS hiccup from retrying in lockstep; an explicit Retry-After wins, within a cap.
 */

/** First retry waits up to this long; each later one up to twice the last bound. */
const BACKOFF_BASE_MS = 1_000
/** No backoff wait is longer than this. */
export const BACKOFF_CAP_MS = 15_000
/** A Retry-After longer than this is cut to it: a token step should not sit for minutes. */
const RETRY_AFTER_CAP_MS = 30_000

/** Statuses that say "try again": throttling and IMS or gateway trouble. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])

export type Sleep = (milliseconds: number) => Promise<void>

export const realSleep: Sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds))

/** The wait before retry number `retry` (1 for the first retry), `random` in [0, 1). */
export function backoffDelayMs(retry: number, random: () => number): number {
  const bound = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1))
  return Math.floor(random() * bound)
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

/** The wait before the next attempt, and why: the answer's Retry-After (within a cap), else the backoff. */
export function waitAfter(retryAfter: number | undefined, attempt: number, random: () => number): { milliseconds: number; why: string } {
  if (retryAfter === undefined) return { milliseconds: backoffDelayMs(attempt, random), why: '' }
  if (retryAfter > RETRY_AFTER_CAP_MS) {
    return {
      milliseconds: RETRY_AFTER_CAP_MS,
      why: ` (Retry-After asks for ${secondsText(retryAfter)}; waiting at most ${secondsText(RETRY_AFTER_CAP_MS)})`,
    }
  }
  return { milliseconds: retryAfter, why: ' (as Retry-After asks)' }
}
