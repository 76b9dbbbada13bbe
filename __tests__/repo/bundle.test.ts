/**
 * dist/index.js leaves out the libraries the action never runs (src/bundle-stand-ins/README.md) and is the ESM
 * bundle action.yml points at, for both steps: dist/post.js, the post step's entry, only imports it.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import * as acorn from 'acorn'
import { parse } from 'yaml'
import { DIST, DIST_POST, ROOT, runActionWithPost } from '../../emulator/runner.js'
import { withLazyFsPromises } from '../../scripts/bundle.mjs'
import { emulatorWithIntegration, LIST_BUILTINS } from '../support/fixtures.js'

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

describe("@actions/core's summary module in dist/index.js", () => {
  it('takes fs.promises only on first use: neither step loads node:fs/promises unless an empty ES module file does', async () => {
    const FS_PROMISES = 'NativeModule internal/fs/promises'
    // Node.js 20's loader of ES module files loads it itself; Node.js 24's does not.
    const dir = mkdtempSync(join(tmpdir(), 'empty-module-'))
    writeFileSync(join(dir, 'empty.mjs'), '')
    const empty = spawnSync(process.execPath, [`--import=${LIST_BUILTINS}`, join(dir, 'empty.mjs')], { encoding: 'utf8' })
    rmSync(dir, { recursive: true, force: true })
    const loadedAnyway = empty.stderr.split('\n').includes(FS_PROMISES)
    const { emulator, service } = await emulatorWithIntegration()
    try {
      const { main, post } = await runActionWithPost(
        { credentials: service.json, 'ims-endpoint': emulator.origin },
        // The bundle, also in the coverage pass (which otherwise runs a tsc build with the real libraries).
        { bundle: DIST, env: { NODE_OPTIONS: `--import=${LIST_BUILTINS}` } },
      )
      expect([main.exitCode, post.exitCode]).toEqual([0, 0])
      // The summary was written, without fs.promises.
      expect(main.files.summary).toContain('Adobe IMS access token')
      expect(emulator.requests.map(({ path }) => path)).toEqual(['/ims/exchange/jwt', '/ims/invalidate_token/v2'])
      for (const step of [main, post]) expect(step.stderr.split('\n').includes(FS_PROMISES)).toBe(loadedAnyway)
    } finally {
      await emulator.close()
    }
  })

  it('fails the build, naming the change, when the module no longer reads fs.promises as the bundle step expects', () => {
    expect(() => withLazyFsPromises('const { access } = fs.promises;\n')).toThrow(
      "@actions/core's summary module changed: the bundle has 0 lines `const { access, appendFile, writeFile } = fs.promises;`",
    )
    expect(withLazyFsPromises('a\nconst { access, appendFile, writeFile } = external_fs.promises;\nb')).toBe(
      'a\nconst access = (...args) => external_fs.promises.access(...args), appendFile = (...args) => external_fs.promises.appendFile(...args), ' +
        'writeFile = (...args) => external_fs.promises.writeFile(...args);\nb',
    )
  })
})
