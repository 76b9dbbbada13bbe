/** `npm run docs`: rewrites the inputs and outputs tables in README.md from action.yml. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../emulator/runner.js'
import { withGeneratedTables } from './readme-tables.js'

const readmePath = join(ROOT, 'README.md')
const readme = readFileSync(readmePath, 'utf8')
const updated = withGeneratedTables(readme, readFileSync(join(ROOT, 'action.yml'), 'utf8'))
writeFileSync(readmePath, updated)
console.log(updated === readme ? 'README.md tables were up to date.' : 'README.md tables rewritten from action.yml.')
