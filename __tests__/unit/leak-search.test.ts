import { describe, expect, it } from '@jest/globals'
import type { ActionRun } from '../../emulator/runner.js'
import { expectNoSecretFragments, fragmentsOf } from '../support/leak-search.js'

const secret = 'p8e-Q3vYk2_Lm9-Rt7ZpXw4Nc~a b'

function runWithLog(log: string): ActionRun {
  const files = { output: '', env: '', state: '', summary: '' }
  return { exitCode: 0, stdout: log, stderr: '', outputs: {}, exportedEnv: {}, files, log }
}

describe('the leak search', () => {
  it.each([
    ['a 12-character cut', `JSON with the fields client_secret=${secret.slice(0, 14)}…`],
    ['a lower-cased copy', `names ${secret.toLowerCase()}, which is not`],
    ['a form-encoded echo', `client_secret=${new URLSearchParams({ s: secret }).toString().slice(2)}`],
    ['a JSON-escaped copy', JSON.stringify({ s: `${secret}"` })],
    ['base64 of it', Buffer.from(secret).toString('base64')],
  ])('finds %s', (_what, log) => {
    expect(() => expectNoSecretFragments(runWithLog(log), { secret })).toThrow()
  })

  it('passes a log that holds only masks and other text', () => {
    expectNoSecretFragments(runWithLog('Error: IMS rejected the request (400 invalid_client): *** (x-debug-id 1234)'), { secret })
    expect(fragmentsOf('short')).toEqual([])
  })
})
