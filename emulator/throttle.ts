/**
 * A throttling IMS, for the emulator: a token bucket over the token requests (the JWT exchange and client
 * credentials), as a service limits one client id, with an optional outage and a slow answer. The fleet
 * benchmark (bench/fleet.ts), the crowd tests and `npm run emulator -- --rate ...` use it.
 *
 *   rate, burst      the bucket refills `rate` tokens a second up to `burst`; a request that finds it
 *                    empty gets 429 (with Retry-After when `retryAfterSeconds` is set)
 *   outage           503 to every token request for `forMs`, starting `fromMs` after the first one
 *                    (on the command line, --retry-after goes on these 503s too)
 *   latencyMs        every token request waits this long before it is decided and answered
 */
import type { Fault } from './ims-emulator.js'

export interface ThrottleOptions {
  /** Token requests a second that pass, on average; no limit when absent. */
  readonly rate?: number
  /** How many pass at once after a quiet spell (the bucket's size). Default: `rate`, at least 1. */
  readonly burst?: number
  /** Retry-After of a 429, in whole seconds; no header when absent. */
  readonly retryAfterSeconds?: number
  /** A window of 503s, from the first token request on. */
  readonly outage?: {
    readonly fromMs?: number
    readonly forMs: number
    /** Retry-After of a 503, in whole seconds; no header when absent. */
    readonly retryAfterSeconds?: number
  }
  /** Milliseconds before each token request is decided and answered. */
  readonly latencyMs?: number
}

/** The paths whose requests are throttled: the ones that issue tokens. */
const TOKEN_PATHS = /^\/ims\/(exchange\/jwt|token\/v3)\/?(\?|$)/

/** A JSON error answer as IMS gives one, with Retry-After when asked for. */
function refusal(status: number, error: string, description: string, retryAfterSeconds: number | undefined): Fault {
  return {
    kind: 'answer',
    status,
    headers: {
      'content-type': 'application/json;charset=utf-8',
      ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
    },
    body: JSON.stringify({ error, error_description: description }),
  }
}

/** The bucket's size: `burst`, else `rate` rounded down, at least 1. */
const burstOf = (options: ThrottleOptions): number => Math.max(1, options.burst ?? Math.floor(options.rate ?? 1))

const delay = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds))

export class Throttle {
  private tokens: number
  private refilledAt: number | undefined
  private firstAt: number | undefined
  private readonly burst: number

  constructor(
    private readonly options: ThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {
    for (const [name, value] of Object.entries({
      rate: options.rate,
      burst: options.burst,
      retryAfterSeconds: options.retryAfterSeconds,
      'outage.fromMs': options.outage?.fromMs,
      'outage.forMs': options.outage?.forMs,
      'outage.retryAfterSeconds': options.outage?.retryAfterSeconds,
      latencyMs: options.latencyMs,
    })) {
      if (value !== undefined && !(Number.isFinite(value) && value >= 0))
        throw new Error(`throttle ${name} must be a number ≥ 0, not ${value}`)
    }
    if (options.rate === 0) throw new Error('throttle rate must be above 0 (leave it out for no limit)')
    this.burst = burstOf(options)
    this.tokens = this.burst
  }

  /**
   * What a request to `path` gets instead of IMS's own answer: a 429 or a 503, or undefined to let it
   * through. Token requests first wait `latencyMs`.
   */
  async admit(path: string): Promise<Fault | undefined> {
    if (!TOKEN_PATHS.test(path)) return undefined
    if (this.options.latencyMs) await delay(this.options.latencyMs)
    const now = this.now()
    this.firstAt ??= now
    const { outage, rate } = this.options
    const sinceFirst = now - this.firstAt
    if (outage && sinceFirst >= (outage.fromMs ?? 0) && sinceFirst < (outage.fromMs ?? 0) + outage.forMs) {
      return refusal(503, 'service_unavailable', 'IMS is temporarily unavailable', outage.retryAfterSeconds)
    }
    if (rate === undefined) return undefined
    this.tokens = Math.min(this.burst, this.tokens + ((now - (this.refilledAt ?? now)) * rate) / 1000)
    this.refilledAt = now
    if (this.tokens >= 1) {
      this.tokens -= 1
      return undefined
    }
    return refusal(429, 'too_many_requests', 'Too many requests for this client; slow down', this.options.retryAfterSeconds)
  }
}

/** The throttle's command-line flags, for node:util parseArgs (`npm run emulator`, `npm run bench:fleet`). */
export const THROTTLE_FLAGS = {
  rate: { type: 'string' },
  burst: { type: 'string' },
  'retry-after': { type: 'string' },
  'outage-from': { type: 'string' },
  'outage-for': { type: 'string' },
  latency: { type: 'string' },
} as const

export const THROTTLE_USAGE =
  '[--rate TOKENS_A_SECOND] [--burst N] [--retry-after SECONDS] [--outage-for SECONDS [--outage-from SECONDS]] [--latency MS]'

type ThrottleFlags = { readonly [K in keyof typeof THROTTLE_FLAGS]?: string | undefined }

/** The throttle the flags ask for, or undefined when they ask for none; `refuse` makes the error for a bad value. */
export function throttleFromFlags(flags: ThrottleFlags, refuse: (message: string) => Error): ThrottleOptions | undefined {
  const number = (name: keyof ThrottleFlags, whole: boolean): number | undefined => {
    const text = flags[name]
    if (text === undefined) return undefined
    const value = Number(text)
    if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value)))
      throw refuse(`--${name} ${text} is not ${whole ? 'a whole number' : 'a number'} ≥ 0.`)
    return value
  }
  const rate = number('rate', false)
  if (rate === 0) throw refuse('--rate 0 would refuse every request; leave --rate out for no limit.')
  const outageFor = number('outage-for', false)
  const outageFrom = number('outage-from', false)
  if (outageFrom !== undefined && outageFor === undefined) throw refuse('--outage-from needs --outage-for.')
  const options: ThrottleOptions = {
    ...(rate === undefined ? {} : { rate }),
    ...optional('burst', number('burst', true)),
    ...optional('retryAfterSeconds', number('retry-after', true)),
    ...(outageFor === undefined
      ? {}
      : {
          outage: {
            forMs: outageFor * 1000,
            fromMs: (outageFrom ?? 0) * 1000,
            ...optional('retryAfterSeconds', number('retry-after', true)),
          },
        }),
    ...optional('latencyMs', number('latency', false)),
  }
  return Object.keys(options).length === 0 ? undefined : options
}

const optional = <K extends string>(key: K, value: number | undefined): { [P in K]?: number } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: number }

/** The throttle in a few words, for a log line. */
export function throttleText(options: ThrottleOptions): string {
  const parts: string[] = []
  if (options.rate !== undefined)
    parts.push(
      `${options.rate} token requests a second (burst ${burstOf(options)}), then 429${options.retryAfterSeconds === undefined ? '' : ` with Retry-After: ${options.retryAfterSeconds}`}`,
    )
  if (options.outage)
    parts.push(`503 for ${options.outage.forMs / 1000} s from ${(options.outage.fromMs ?? 0) / 1000} s after the first token request`)
  if (options.latencyMs) parts.push(`every token answer after ${options.latencyMs} ms`)
  return parts.join('; ')
}
