/**
 * `npm run release -- X.Y.Z [--dry-run]`: makes release X.Y.Z on main (version, CHANGELOG, dist/, a
 * commit and the tag vX.Y.Z) and prints the push that starts the release workflow. --dry-run only says
 * what it would do.
 */
import { ROOT } from '../emulator/runner.js'
import { CliError, readScriptFlags, runScript } from './cli.js'
import { makeRelease, npmRunBundle } from './release-steps.js'

const USAGE = 'Usage: npm run release -- X.Y.Z [--dry-run]'
const HELP = `${USAGE}

Makes release X.Y.Z on main: sets the version in package.json and package-lock.json, moves the CHANGELOG's
Unreleased notes under the new version, rebuilds dist/, commits, tags vX.Y.Z, and prints the push that
starts the release workflow. Refuses a dirty tree, another branch, a version not above the current one and
a tag that exists.

  --dry-run   Only say what it would do, the push included; nothing is changed.
  --help      This text.`

await runScript(() => {
  const { values, positionals } = readScriptFlags(
    'npm run release --',
    { options: { 'dry-run': { type: 'boolean', default: false } }, allowPositionals: true },
    HELP,
  )
  const [version, ...extra] = positionals
  if (!version || extra.length > 0) throw new CliError(`Give one version. ${USAGE}`)
  makeRelease({
    root: ROOT,
    version,
    dryRun: values['dry-run'],
    bundle: npmRunBundle(),
    date: new Date().toISOString().slice(0, 10),
    log: (line) => console.log(line),
  })
  return 0
})
