/**
 * action.yml's `inputs` and `outputs` sections and the README's tables, made from the tables in
 * src/lib/action-inputs.ts and src/lib/action-outputs.ts so that none can drift, and mock-ims/action.yml's
 * from the mock's table (mock-ims/src/settings.ts). `npm run docs` writes them; __tests__/repo/ fails when
 * an action.yml or README.md is not what this makes.
 */
import { INPUTS } from '../src/lib/action-inputs.js'
import { OUTPUTS } from '../src/lib/action-outputs.js'

const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')

/** An action's inputs and outputs as its table describes them, in action.yml's order. */
export interface ActionTable {
  readonly inputs: Readonly<Record<string, { readonly description: string; readonly default?: string }>>
  readonly outputs: Readonly<Record<string, { readonly description: string }>>
}

/** The token action's tables: src/lib/action-inputs.ts and src/lib/action-outputs.ts. */
export const TOKEN_ACTION: ActionTable = { inputs: INPUTS, outputs: OUTPUTS }

function inputsTable(): string {
  const rows = Object.entries(TOKEN_ACTION.inputs).map(
    ([name, row]) => `| \`${name}\` | ${row.default === undefined ? '' : `\`${row.default}\``} | ${cell(row.description)} |`,
  )
  return ['| input | default | description |', '|---|---|---|', ...rows].join('\n')
}

function outputsTable(): string {
  const rows = Object.entries(TOKEN_ACTION.outputs).map(([name, row]) => `| \`${name}\` | ${cell(row.description)} |`)
  return ['| output | description |', '|---|---|', ...rows].join('\n')
}

/** `readme` with the text between each `<!-- NAME:start -->` and `<!-- NAME:end -->` replaced. */
export function withGeneratedTables(readme: string): string {
  let text = readme
  for (const [name, table] of [
    ['inputs', inputsTable()],
    ['outputs', outputsTable()],
  ] as const) {
    const start = `<!-- ${name}:start (made by npm run docs from src/lib/action-${name}.ts) -->`
    const end = `<!-- ${name}:end -->`
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${start} and ${end}`)
    text = `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`
  }
  return text
}

/** Words of `text` on lines of at most `width` characters, each starting with `indent`. */
function wrapped(text: string, indent: string, width = 105): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(indent + line)
  return lines
}

/** A description: on the key's line when it fits and needs no quoting, else folded (`>-`). */
function descriptionLines(description: string): string[] {
  const single = `    description: ${description}`
  const plain = !/: | #|^[`'"[\]{}>|*&!%@,?-]/.test(description)
  return plain && single.length <= 112 ? [single] : ['    description: >-', ...wrapped(description, '      ')]
}

/** A default as YAML: quoted when it would otherwise read as a number or a boolean. */
const yamlScalar = (value: string): string => (/^(\d+|true|false|yes|no|on|off|null|~)$/i.test(value) ? `'${value}'` : value)

function actionYmlSections({ inputs, outputs }: ActionTable): string {
  const inputLines = Object.entries(inputs).flatMap(([name, row]) => [
    `  ${name}:`,
    ...descriptionLines(row.description),
    ...(row.default === undefined ? [] : [`    default: ${yamlScalar(row.default)}`]),
  ])
  const outputLines = Object.entries(outputs).flatMap(([name, row]) => [`  ${name}:`, ...descriptionLines(row.description)])
  return ['inputs:', ...inputLines, '', 'outputs:', ...outputLines, ''].join('\n')
}

/** `actionYml` with everything from `inputs:` up to `runs:` made from `table`. */
export function withGeneratedSections(actionYml: string, table: ActionTable = TOKEN_ACTION): string {
  const from = actionYml.indexOf('\ninputs:\n')
  const to = actionYml.indexOf('\nruns:\n')
  if (from < 0 || to < from) throw new Error('action.yml must have its inputs: and outputs: sections before runs:')
  return `${actionYml.slice(0, from + 1)}${actionYmlSections(table)}${actionYml.slice(to)}`
}
