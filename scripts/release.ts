/**
 * `npm run release -- X.Y.Z [--dry-run]`: makes release X.Y.Z on main (version, CHANGELOG, dist/, a
 * commit and the tag vX.Y.Z) and prints the push that starts the release workflow. --dry-run only says
 * what it would do.
 */
import { parseArgs } from 'node:util'
import { ROOT } from '../emulator/runner.js'
import { CliError, readFlags, runScript } from './cli.js'
import { makeRelease, npmRunBundle } from './release-steps.js'

const USAGE = 'Usage: npm run release -- X.Y.Z [--dry-run]'

await runScript(() => {
  const { values, positionals } = readFlags(
    () =>
      parseArgs({
        options: { 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
        allowPositionals: true,
      }),
    USAGE,
  )
  if (values.help) {
    console.log(USAGE)
    return 0
  }
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
