/**
 * `npm run docs`: writes action.yml's inputs and outputs sections and README.md's tables from the input
 * and output tables in src/lib/action-inputs.ts and src/lib/action-outputs.ts, and mock-ims/action.yml's
 * from the mock IMS action's table in mock-ims/src/settings.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../emulator/runner.js'
import { readScriptFlags } from './cli.js'
import { MOCK_INPUTS, MOCK_OUTPUTS } from '../mock-ims/src/settings.js'
import { withGeneratedSections, withGeneratedTables } from './readme-tables.js'

readScriptFlags(
  'npm run docs --',
  { options: {} },
  `Usage: npm run docs

Rewrites action.yml's inputs and outputs sections and README.md's inputs and outputs tables from the input
table (src/lib/action-inputs.ts) and the output table (src/lib/action-outputs.ts), and mock-ims/action.yml's
from the mock IMS action's table (mock-ims/src/settings.ts). npm test fails until they match. No flags but
--help.`,
)

for (const [file, rewrite] of [
  ['action.yml', (text: string) => withGeneratedSections(text)],
  ['mock-ims/action.yml', (text: string) => withGeneratedSections(text, { inputs: MOCK_INPUTS, outputs: MOCK_OUTPUTS })],
  ['README.md', withGeneratedTables],
] as const) {
  const path = join(ROOT, file)
  const text = readFileSync(path, 'utf8')
  const updated = rewrite(text)
  writeFileSync(path, updated)
  console.log(updated === text ? `${file} was up to date.` : `${file} rewritten from the tables.`)
}
