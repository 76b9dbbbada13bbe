/**
 * `npm run release:check -- vX.Y.Z [--notes FILE]`: the release workflow's check that package.json,
 * package-lock.json and the CHANGELOG's top entry name the tag; --notes writes that entry, the release
 * notes, to FILE.
 */
import { writeFileSync } from 'node:fs'
import { ROOT } from '../emulator/runner.js'
import { CliError, readScriptFlags, runScript } from './cli.js'
import { checkReleaseTag } from './release-steps.js'

const USAGE = 'Usage: npm run release:check -- vX.Y.Z [--notes FILE]'
const HELP = `${USAGE}

The release workflow's check: package.json, package-lock.json and the CHANGELOG's top entry name the tag.

  --notes FILE   Also write that CHANGELOG entry, the release notes, to FILE.
  --help         This text.`

await runScript(() => {
  const { values, positionals } = readScriptFlags(
    'npm run release:check --',
    { options: { notes: { type: 'string' } }, allowPositionals: true },
    HELP,
  )
  const [tag, ...extra] = positionals
  if (!tag || extra.length > 0) throw new CliError(`Give one tag. ${USAGE}`)
  const { notes } = checkReleaseTag(ROOT, tag)
  if (values.notes) writeFileSync(values.notes, `${notes}\n`)
  console.log(`package.json, package-lock.json and CHANGELOG.md name ${tag}.`)
  return 0
})
