import { describe, expect, it } from '@jest/globals'
import { phaseOf } from '../../src/lib/phase.js'

describe('phaseOf', () => {
  it.each([
    ['/home/runner/work/_actions/o/a/v1/dist/post.js', 'post'],
    ['D:\\a\\_actions\\o\\a\\v1\\dist\\post.js', 'post'],
    ['C:\\ACTIONS\\DIST\\POST.JS', 'post'],
    ['/home/runner/work/_actions/o/a/v1/dist/index.js', 'main'],
    ['D:\\a\\_actions\\o\\a\\v1\\dist\\index.js', 'main'],
    ['/somewhere/post.js.map', 'main'],
    ['/somewhere/post/index.js', 'main'],
    [undefined, 'main'],
  ])('reads %s as the %s step', (path, phase) => {
    expect(phaseOf(path)).toBe(phase)
  })
})
