/**
 * action.yml's `inputs` and `outputs` sections and the README's tables, made from the tables in
 * src/lib/action-inputs.ts and src/lib/action-outputs.ts so that none can drift. `npm run docs` writes
 * them; __tests__/repo/ fails when action.yml or README.md is not what this makes.
 */
import { INPUT_NAMES, INPUTS } from '../src/lib/action-inputs.js'
import { OUTPUT_NAMES, OUTPUTS } from '../src/lib/action-outputs.js'

const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')

const defaultOfRow = (name: (typeof INPUT_NAMES)[number]): string | undefined => {
  const row = INPUTS[name]
  return 'default' in row ? row.default : undefined
}

function inputsTable(): string {
  const rows = INPUT_NAMES.map((name) => {
    const fallback = defaultOfRow(name)
    return `| \`${name}\` | ${fallback === undefined ? '' : `\`${fallback}\``} | ${cell(INPUTS[name].description)} |`
  })
  return ['| input | default | description |', '|---|---|---|', ...rows].join('\n')
}

function outputsTable(): string {
  const rows = OUTPUT_NAMES.map((name) => `| \`${name}\` | ${cell(OUTPUTS[name].description)} |`)
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

function actionYmlSections(): string {
  const inputs = INPUT_NAMES.flatMap((name) => {
    const fallback = defaultOfRow(name)
    return [
      `  ${name}:`,
      ...descriptionLines(INPUTS[name].description),
      ...(fallback === undefined ? [] : [`    default: ${yamlScalar(fallback)}`]),
    ]
  })
  const outputs = OUTPUT_NAMES.flatMap((name) => [`  ${name}:`, ...descriptionLines(OUTPUTS[name].description)])
  return ['inputs:', ...inputs, '', 'outputs:', ...outputs, ''].join('\n')
}

/** `actionYml` with everything from `inputs:` up to `runs:` made from the tables. */
export function withGeneratedSections(actionYml: string): string {
  const from = actionYml.indexOf('\ninputs:\n')
  const to = actionYml.indexOf('\nruns:\n')
  if (from < 0 || to < from) throw new Error('action.yml must have its inputs: and outputs: sections before runs:')
  return `${actionYml.slice(0, from + 1)}${actionYmlSections()}${actionYml.slice(to)}`
}
