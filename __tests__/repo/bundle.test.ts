/**
 * dist/index.js leaves out the libraries the action never runs (src/bundle-stand-ins/README.md) and is the ESM
 * bundle action.yml points at, for both steps: dist/post.js, the post step's entry, only imports it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import * as acorn from 'acorn'
import { parse } from 'yaml'
import { DIST, DIST_POST, ROOT } from '../../emulator/runner.js'

const bundle = readFileSync(DIST, 'utf8')

describe('dist/index.js', () => {
  it('holds no code of undici, @actions/exec or @actions/io, only the stand-in for undici', () => {
    // A piece of each library's own code: its dispatcher, its tool runner, its rmRF.
    for (const code of ['DispatcherBase', 'class ToolRunner', 'function rmRF'])
      expect({ code, found: bundle.includes(code) }).toEqual({ code, found: false })
    expect(bundle).toContain('undici is left out of this bundle')
  })

  it('is an ES module, as dist/package.json says', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'dist', 'package.json'), 'utf8'))).toEqual({ type: 'module' })
    expect(bundle).toMatch(/^import /)
  })
})

describe('dist/post.js', () => {
  it("is action.yml's post entry and only runs the same bundle, which tells the step from the script's name", () => {
    const runs = (parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { main: string; post: string } }).runs
    expect(join(ROOT, runs.main)).toBe(DIST)
    expect(join(ROOT, runs.post)).toBe(DIST_POST)
    expect(readFileSync(DIST_POST, 'utf8')).toBe("import './index.js'\n")
  })

  it('keeps dist/ within 200 KiB in all: one bundle serves both steps, without comments', () => {
    const total = readdirSync(join(ROOT, 'dist')).reduce((sum, name) => sum + statSync(join(ROOT, 'dist', name)).size, 0)
    expect(total).toBeLessThanOrEqual(200 * 1024)
    const comments: acorn.Comment[] = []
    acorn.parse(readFileSync(DIST, 'utf8'), { ecmaVersion: 'latest', sourceType: 'module', onComment: comments })
    expect(comments).toEqual([])
  })
})
