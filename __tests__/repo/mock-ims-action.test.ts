/**
 * mock-ims/action.yml, the second action of this repository, agrees with its code, and its bundle
 * (mock-ims/dist, built by `npm run bundle` and covered by the dist check) is what action.yml runs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import * as acorn from 'acorn'
import { MOCK_IMS, readActionYml, ROOT } from '../../emulator/runner.js'
import { MOCK_INPUTS, MOCK_OUTPUTS } from '../../mock-ims/src/settings.js'
import { withGeneratedSections } from '../../scripts/readme-tables.js'

const action = readActionYml(MOCK_IMS) as ReturnType<typeof readActionYml> & {
  description: string
  outputs: Record<string, { description: string }>
}
const dist = join(MOCK_IMS, 'dist')

describe('mock-ims/action.yml', () => {
  it("is, from inputs: to runs:, what npm run docs makes of the mock's table: the inputs the code reads, their defaults, the outputs it sets", () => {
    const text = readFileSync(join(MOCK_IMS, 'action.yml'), 'utf8')
    expect(withGeneratedSections(text, { inputs: MOCK_INPUTS, outputs: MOCK_OUTPUTS })).toBe(text)
    expect(Object.keys(action.inputs)).toEqual(Object.keys(MOCK_INPUTS))
    expect(Object.keys(action.outputs)).toEqual(Object.keys(MOCK_OUTPUTS))
  })

  it('says how its credentials differ from real ones, within the Marketplace limit', () => {
    expect(action.description.length).toBeLessThanOrEqual(300)
    expect(action.description).toContain('127.0.0.1')
    expect(action.description).toContain('mock-ims-')
  })

  it('runs its bundle on node24, the main step and the post step', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post.js' })
  })
})

describe('mock-ims/dist', () => {
  it('is built by npm run bundle, with the main action', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
    expect(scripts['bundle']).toContain('node scripts/bundle.mjs mock-ims/dist --entry=mock-ims/src/index.ts')
  })

  it('is one ES module bundle without comments that both steps run, and post.js only imports it', () => {
    expect(JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'))).toEqual({ type: 'module' })
    expect(readFileSync(join(dist, 'post.js'), 'utf8')).toBe("import './index.js'\n")
    const comments: acorn.Comment[] = []
    acorn.parse(readFileSync(join(dist, 'index.js'), 'utf8'), { ecmaVersion: 'latest', sourceType: 'module', onComment: comments })
    expect(comments).toEqual([])
  })

  it('stays within 1 MiB in all (most of it @peculiar/x509, which makes the throwaway certificate)', () => {
    const total = readdirSync(dist).reduce((sum, name) => sum + statSync(join(dist, name)).size, 0)
    expect(total).toBeLessThanOrEqual(1024 * 1024)
  })
})
