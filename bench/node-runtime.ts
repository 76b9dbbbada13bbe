/** What the benchmarks share: the Node.js to run contenders on, and the credentials the peers' glue reads. */
import { spawnSync } from 'node:child_process'
import { platform } from 'node:os'
import { actionYml } from '../emulator/runner.js'

/** The Node.js major action.yml runs the action on (`runs.using: node24`). */
export function actionNodeMajor(): string {
  const major = /^node(\d+)$/.exec(actionYml.runs.using)?.[1]
  if (!major) throw new Error(`action.yml runs.using is ${actionYml.runs.using}, not nodeNN`)
  return major
}

/**
 * A node binary for `wanted`: this Node.js for its own major, a path as given, else that major from the
 * npm registry through npx; with the version it reports, checked against what was asked for.
 */
export function findNode(wanted: string): { readonly node: string; readonly version: string } {
  let node = wanted
  if (/^\d+$/.test(wanted)) {
    if (process.versions.node.split('.')[0] === wanted) node = process.execPath
    else {
      process.stderr.write(`Finding Node.js ${wanted} through npx -p node@${wanted} ...\n`)
      const found = spawnSync('npx', ['-y', '-p', `node@${wanted}`, '--', 'node', '-p', 'process.execPath'], {
        encoding: 'utf8',
        // npx is a .cmd script on Windows, which only a shell starts.
        shell: platform() === 'win32',
      })
      const path = found.stdout?.trim().split(/\r?\n/).at(-1)
      if (found.status !== 0 || !path) throw new Error(`npx could not provide Node.js ${wanted}: ${found.stderr ?? found.error?.message}`)
      node = path
    }
  }
  const version = spawnSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).stdout?.trim() ?? ''
  if (!version.startsWith('v') || (/^\d+$/.test(wanted) && !version.startsWith(`v${wanted}.`))) {
    throw new Error(`${node} is not Node.js ${wanted} (it says ${version || 'nothing'})`)
  }
  return { node, version }
}

/** What bench/contenders/*.mjs read from BENCH_CREDENTIALS: a service-account integration and its IMS. */
export interface BenchCredentials {
  readonly clientId: string
  readonly clientSecret: string
  readonly technicalAccountId: string
  readonly orgId: string
  readonly privateKey: string
  readonly metascopes: readonly string[]
  readonly imsOrigin: string
}
