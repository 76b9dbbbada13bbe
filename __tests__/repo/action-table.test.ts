/**
 * action.yml says what the tables of inputs and outputs in src/ say: the same names in the same order,
 * the same descriptions and defaults, and it is what `npm run docs` writes from them.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ROOT } from '../../emulator/runner.js'
import { withGeneratedSections, withGeneratedTables } from '../../scripts/readme-tables.js'
import { INPUT_NAMES, INPUTS } from '../../src/lib/action-inputs.js'
import { OUTPUT_NAMES, OUTPUTS } from '../../src/lib/action-outputs.js'

const actionYmlText = readFileSync(join(ROOT, 'action.yml'), 'utf8')
const action = parse(actionYmlText) as {
  inputs: Record<string, { description: string; default?: unknown }>
  outputs: Record<string, { description: string }>
}
const words = (text: string): string => text.replace(/\s+/g, ' ').trim()

describe('action.yml and the input table', () => {
  it('name the same inputs in the same order', () => {
    expect(Object.keys(action.inputs)).toEqual(INPUT_NAMES)
  })

  it.each(INPUT_NAMES)('agree on the description and default of %s', (name) => {
    const row: { description: string; default?: string } = INPUTS[name]
    const declared = action.inputs[name]
    expect({ description: words(declared?.description ?? ''), default: declared?.default }).toEqual({
      description: words(row.description),
      default: row.default,
    })
  })

  it('describe every input at some length', () => {
    for (const name of INPUT_NAMES) expect({ name, described: INPUTS[name].description.length > 30 }).toEqual({ name, described: true })
  })
})

describe('action.yml and the output table', () => {
  it('name the same outputs in the same order, with the same descriptions', () => {
    expect(Object.entries(action.outputs).map(([name, output]) => [name, words(output.description)])).toEqual(
      OUTPUT_NAMES.map((name) => [name, words(OUTPUTS[name].description)]),
    )
  })
})

describe('npm run docs', () => {
  it('would leave action.yml as it is', () => {
    expect(withGeneratedSections(actionYmlText)).toBe(actionYmlText)
  })

  it('would leave the README tables as they are', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(withGeneratedTables(readme)).toBe(readme)
  })

  it('notices a description that drifted', () => {
    const drifted = actionYmlText.replace('Client secret of the integration', 'The client secret of the integration')
    expect(drifted).not.toBe(actionYmlText)
    expect(withGeneratedSections(drifted)).not.toBe(drifted)
  })
})
