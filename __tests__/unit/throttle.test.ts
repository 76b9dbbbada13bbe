import { describe, expect, it } from '@jest/globals'
import { Throttle, throttleFromFlags } from '../../emulator/throttle.js'

/** A throttle on an injected clock, and what each request at `times` gets: 200 (let through) or the refusal's status and Retry-After. */
async function answers(
  throttle: ConstructorParameters<typeof Throttle>[0],
  times: number[],
  path = '/ims/exchange/jwt',
): Promise<string[]> {
  let now = 0
  const subject = new Throttle(throttle, () => now)
  const seen: string[] = []
  for (const time of times) {
    now = time
    const refusal = await subject.admit(path)
    seen.push(refusal?.kind === 'answer' ? `${refusal.status} ${refusal.headers?.['retry-after'] ?? '-'}` : '200')
  }
  return seen
}

describe('the emulator throttle', () => {
  it('lets a burst through, then one request per 1/rate seconds, and refuses the rest with 429 and Retry-After', async () => {
    expect(await answers({ rate: 2, burst: 2, retryAfterSeconds: 1 }, [0, 0, 0, 400, 500, 500, 1000, 1000])).toEqual([
      '200',
      '200',
      '429 1',
      '429 1',
      '200',
      '429 1',
      '200',
      '429 1',
    ])
  })

  it('answers 503 through the outage window, counted from the first token request', async () => {
    expect(await answers({ outage: { fromMs: 1000, forMs: 2000 } }, [5000, 5500, 6000, 7999, 8000])).toEqual([
      '200',
      '200',
      '503 -',
      '503 -',
      '200',
    ])
  })

  it('leaves requests other than token requests alone', async () => {
    expect(await answers({ rate: 1, burst: 1 }, [0, 0, 0], '/ims/invalidate_token/v2')).toEqual(['200', '200', '200'])
    expect(await answers({ rate: 1, burst: 1 }, [0, 0], '/ims/token/v3?x=1')).toEqual(['200', '429 -'])
  })

  it('reads its flags, and refuses what cannot work', () => {
    const refuse = (message: string): Error => new Error(message)
    expect(throttleFromFlags({}, refuse)).toBeUndefined()
    expect(throttleFromFlags({ rate: '2.5', 'retry-after': '3', 'outage-for': '30', latency: '100' }, refuse)).toEqual({
      rate: 2.5,
      retryAfterSeconds: 3,
      outage: { forMs: 30_000, fromMs: 0, retryAfterSeconds: 3 },
      latencyMs: 100,
    })
    expect(() => throttleFromFlags({ rate: '0' }, refuse)).toThrow('--rate 0 would refuse every request')
    expect(() => throttleFromFlags({ burst: '1.5' }, refuse)).toThrow('--burst 1.5 is not a whole number ≥ 0.')
    expect(() => throttleFromFlags({ 'outage-from': '5' }, refuse)).toThrow('--outage-from needs --outage-for.')
  })
})
