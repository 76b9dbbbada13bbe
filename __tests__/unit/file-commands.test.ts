/** Reading GITHUB_OUTPUT / GITHUB_ENV files as the runner does: LF or CRLF, and never scanning past the end. */
import { describe, expect, it } from '@jest/globals'
import { parseFileCommands } from '../../emulator/runner.js'

describe('parseFileCommands', () => {
  it('reads heredocs with LF and CRLF line ends', () => {
    const text = 'token<<ghadelimiter_1\nabc\nghadelimiter_1\nexpires-in<<ghadelimiter_2\n86399\nghadelimiter_2\n'
    const expected = { token: 'abc', 'expires-in': '86399' }
    expect(parseFileCommands(text)).toEqual(expected)
    expect(parseFileCommands(text.replace(/\n/g, '\r\n'))).toEqual(expected)
  })

  it('says which heredoc is never closed', () => {
    expect(() => parseFileCommands('token<<ghadelimiter_1\nabc\n')).toThrow('token<<ghadelimiter_1 is never closed by its delimiter')
  })
})
