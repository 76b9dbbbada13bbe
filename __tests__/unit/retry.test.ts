import { describe, expect, it } from '@jest/globals'
import { backoffCapMs, backoffDelayMs, longerTimeoutMs, retryAfterMs, waitBefore } from '../../src/lib/retry.js'

const BUDGET = 120_000

describe('backoffDelayMs', () => {
  it('draws from [0, base * 2^(retry-1)), capped at an eighth of the budget', () => {
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(retry, BUDGET, () => 0.999999))).toEqual([999, 1999, 3999, 7999])
    expect(backoffDelayMs(1, BUDGET, () => 0)).toBe(0)
    expect(backoffDelayMs(20, BUDGET, () => 0.999999)).toBe(14_999)
  })

  it('grows its cap with the budget, within 1 s and 60 s', () => {
    expect([0, 3000, 120_000, 240_000, 3_600_000].map(backoffCapMs)).toEqual([1000, 1000, 15_000, 30_000, 60_000])
  })
})

describe('waitBefore', () => {
  it('waits the backoff alone without Retry-After', () => {
    expect(waitBefore(3, undefined, BUDGET, BUDGET, () => 0.5)).toEqual({ milliseconds: 2000, why: 'backoff with jitter' })
  })

  it('takes Retry-After as a floor and adds a jittered share of the backoff bound', () => {
    expect(waitBefore(1, 2000, BUDGET, BUDGET, () => 0)).toEqual({
      milliseconds: 2000,
      why: 'Retry-After asks for 2.0 s, plus 0.0 s of jitter',
    })
    // Half the bound (2 s on the second retry), times 0.75.
    expect(waitBefore(2, 2000, BUDGET, BUDGET, () => 0.75)).toEqual({
      milliseconds: 2750,
      why: 'Retry-After asks for 2.0 s, plus 0.8 s of jitter',
    })
  })

  it('waits out a Retry-After of minutes in full', () => {
    expect(waitBefore(1, 75_000, BUDGET, BUDGET, () => 0.5).milliseconds).toBe(75_250)
  })

  it('cuts the jitter, never Retry-After, to what is left of the budget', () => {
    expect(waitBefore(4, 1000, 3000, BUDGET, () => 0.9)).toEqual({
      milliseconds: 3000,
      why: 'Retry-After asks for 1.0 s, plus 2.0 s of jitter',
    })
    expect(waitBefore(4, undefined, 700, BUDGET, () => 0.9)).toEqual({
      milliseconds: 700,
      why: 'backoff with jitter, cut to what is left of retry-budget',
    })
  })
})

describe('longerTimeoutMs', () => {
  it('doubles after a timeout, up to what the budget leaves, never below request-timeout', () => {
    expect(longerTimeoutMs(30_000, 30_000, 100_000)).toBe(60_000)
    expect(longerTimeoutMs(60_000, 30_000, 80_000)).toBe(80_000)
    expect(longerTimeoutMs(60_000, 30_000, 10_000)).toBe(30_000)
  })
})

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 10, 25, 12, 0, 0)
  it.each([
    ['1', 1000],
    [' 120 ', 120_000],
    ['0', 0],
    [new Date(now + 4000).toUTCString(), 4000],
    [new Date(now - 4000).toUTCString(), 0],
    ['soon', undefined],
    // Seconds with a unit are neither delay-seconds nor an HTTP date.
    ['10s', undefined],
    ['-1', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %p as %p ms', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected)
  })
})
