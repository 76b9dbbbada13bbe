import { describe, expect, it } from '@jest/globals'
import { BACKOFF_CAP_MS, backoffDelayMs, retryAfterMs } from '../../src/lib/retry.js'

describe('backoffDelayMs', () => {
  it('draws from [0, base * 2^(retry-1)), capped', () => {
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(retry, () => 0.999999))).toEqual([999, 1999, 3999, 7999])
    expect(backoffDelayMs(1, () => 0)).toBe(0)
    expect(backoffDelayMs(20, () => 0.999999)).toBe(BACKOFF_CAP_MS - 1)
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
    ['-1', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %p as %p ms', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected)
  })
})
