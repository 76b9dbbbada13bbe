/**
 * The README's inputs and outputs tables, made from action.yml so the two cannot drift. `npm run docs`
 * writes them; __tests__/docs.test.ts fails when README.md is not what this makes.
 */
import { parse } from 'yaml'

interface ActionSpec {
  readonly inputs: Readonly<Record<string, { readonly description: string; readonly default?: string | number | boolean }>>
  readonly outputs: Readonly<Record<string, { readonly description: string }>>
}

const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')

export function inputsTable(actionYml: string): string {
  const { inputs } = parse(actionYml) as ActionSpec
  const rows = Object.entries(inputs).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.default === undefined ? '' : `\`${String(input.default)}\``} | ${cell(input.description)} |`,
  )
  return ['| input | default | description |', '|---|---|---|', ...rows].join('\n')
}

export function outputsTable(actionYml: string): string {
  const { outputs } = parse(actionYml) as ActionSpec
  const rows = Object.entries(outputs).map(([name, output]) => `| \`${name}\` | ${cell(output.description)} |`)
  return ['| output | description |', '|---|---|', ...rows].join('\n')
}

/** `readme` with the text between each `<!-- NAME:start -->` and `<!-- NAME:end -->` replaced. */
export function withGeneratedTables(readme: string, actionYml: string): string {
  let text = readme
  for (const [name, table] of [
    ['inputs', inputsTable(actionYml)],
    ['outputs', outputsTable(actionYml)],
  ] as const) {
    const start = `<!-- ${name}:start (made by npm run docs from action.yml) -->`
    const end = `<!-- ${name}:end -->`
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${start} and ${end}`)
    text = `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`
  }
  return text
}
