/**
 * dist/index.js leaves out the libraries the action never runs (src/bundle-stand-ins/README.md) and is the ESM
 * bundle action.yml points at.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { DIST, ROOT } from '../../emulator/runner.js'

const bundle = readFileSync(DIST, 'utf8')

describe('dist/index.js', () => {
  it('holds no code of undici, @actions/exec or @actions/io', () => {
    expect(bundle).not.toMatch(/node_modules\/(undici|@actions\/exec|@actions\/io)\//)
    expect(bundle).toContain('undici is left out of this bundle')
  })

  it('is an ES module, as dist/package.json says', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'dist', 'package.json'), 'utf8'))).toEqual({ type: 'module' })
    expect(bundle).toMatch(/^import /)
  })

  it('keeps tunnel, which carries requests through proxies, behind a stand-in that loads it on first use', () => {
    expect(bundle).toContain('function TunnelingAgent(options)')
    expect(bundle).toContain('CONCATENATED MODULE: ./src/bundle-stand-ins/tunnel.ts')
  })
})
