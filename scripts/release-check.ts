/**
 * `npm run release:check -- vX.Y.Z [--notes FILE]`: the release workflow's check that package.json,
 * package-lock.json and the CHANGELOG's top entry name the tag; --notes writes that entry, the release
 * notes, to FILE.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ROOT } from '../emulator/runner.js'
import { CliError, readFlags, runScript } from './cli.js'
import { checkReleaseTag } from './release-steps.js'

const USAGE = 'Usage: npm run release:check -- vX.Y.Z [--notes FILE]'

await runScript(() => {
  const { values, positionals } = readFlags(() => parseArgs({ options: { notes: { type: 'string' } }, allowPositionals: true }), USAGE)
  const [tag, ...extra] = positionals
  if (!tag || extra.length > 0) throw new CliError(`Give one tag. ${USAGE}`)
  const { notes } = checkReleaseTag(ROOT, tag)
  if (values.notes) writeFileSync(values.notes, `${notes}\n`)
  console.log(`package.json, package-lock.json and CHANGELOG.md name ${tag}.`)
  return 0
})
