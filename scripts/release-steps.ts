/**
 * Making a release, for `npm run release` (the maintainer's side) and `npm run release:check` (the release
 * workflow's side). The repository root and the commands run are options, so that the tests can run it
 * against a throwaway repository.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CliError } from './cli.js'

export type Version = readonly [major: number, minor: number, patch: number]

/** Released versions are plain X.Y.Z: no pre-release or build parts, no leading zeros. */
const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/

export function parseVersion(text: string): Version | undefined {
  const match = VERSION.exec(text)
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

/** A `## [name]` or `## [name] - YYYY-MM-DD` section of CHANGELOG.md. */
export interface ChangelogEntry {
  readonly name: string
  readonly date: string | undefined
  /** The section's text without its heading, trimmed. */
  readonly body: string
}

const ENTRY_HEADING = /^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?\s*$/

/** The entries in the order they appear, newest first by Keep a Changelog's convention. */
export function changelogEntries(changelog: string): ChangelogEntry[] {
  const lines = changelog.split(/\r?\n/)
  const starts = lines.flatMap((line, index) => (line.startsWith('## ') ? [index] : []))
  return starts.flatMap((start, n) => {
    const heading = ENTRY_HEADING.exec(lines[start] ?? '')
    if (!heading) return []
    const body = lines
      .slice(start + 1, starts[n + 1] ?? lines.length)
      .join('\n')
      .trim()
    return [{ name: heading[1] ?? '', date: heading[2], body }]
  })
}

/** The newest released entry: the first one after `## [Unreleased]`. */
export function topRelease(changelog: string): ChangelogEntry | undefined {
  return changelogEntries(changelog).find((entry) => entry.name !== 'Unreleased')
}

/** CHANGELOG.md with what was under `## [Unreleased]` moved under `## [version] - date`, Unreleased left empty. */
export function changelogForRelease(changelog: string, version: string, date: string): string {
  const lines = changelog.split('\n')
  const start = lines.findIndex((line) => /^## \[Unreleased\]\s*$/.test(line))
  if (start < 0) throw new CliError('CHANGELOG.md has no "## [Unreleased]" section to release.')
  const next = lines.findIndex((line, index) => index > start && line.startsWith('## '))
  const end = next < 0 ? lines.length : next
  const notes = lines
    .slice(start + 1, end)
    .join('\n')
    .trim()
  if (notes === '') {
    throw new CliError('CHANGELOG.md has nothing under "## [Unreleased]": say what this release changes there first.')
  }
  const rest = lines.slice(end).join('\n')
  const released = ['## [Unreleased]', '', `## [${version}] - ${date}`, '', notes, ''].join('\n')
  return [...lines.slice(0, start), released + (rest === '' ? '' : `\n${rest}`)].join('\n')
}

interface PackageJson {
  version?: unknown
  packages?: Record<string, { version?: unknown }>
}

const readJson = (path: string): PackageJson => JSON.parse(readFileSync(path, 'utf8')) as PackageJson

/**
 * What the release workflow checks before it publishes tag `tag`: the tag is vX.Y.Z, and package.json,
 * package-lock.json and the CHANGELOG's top entry all name X.Y.Z. Returns the version and the entry's
 * text, the release notes; fails with every mismatch in one line.
 */
export function checkReleaseTag(root: string, tag: string): { version: string; notes: string } {
  const version = /^v(.*)$/.exec(tag)?.[1] ?? ''
  if (!parseVersion(version)) throw new CliError(`The tag "${tag}" is not vX.Y.Z (for example v1.2.3).`)
  const problems: string[] = []
  const packageVersion = readJson(join(root, 'package.json')).version
  if (packageVersion !== version) problems.push(`package.json's version is ${String(packageVersion)}`)
  const lockPath = join(root, 'package-lock.json')
  if (existsSync(lockPath)) {
    const lock = readJson(lockPath)
    const lockVersions = new Set([lock.version, lock.packages?.['']?.version])
    if (lockVersions.size !== 1 || !lockVersions.has(version))
      problems.push(`package-lock.json's version is ${[...lockVersions].join(' and ')}`)
  }
  const entry = topRelease(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'))
  if (!entry) problems.push('CHANGELOG.md has no released entry')
  else if (entry.name !== version) problems.push(`CHANGELOG.md's top entry is ${entry.name}`)
  else if (entry.body === '') problems.push(`CHANGELOG.md's entry for ${version} is empty`)
  if (problems.length > 0) {
    throw new CliError(`The tag ${tag} does not match the sources: ${problems.join('; ')}. Make releases with npm run release.`)
  }
  return { version, notes: entry?.body ?? '' }
}

export type Command = readonly [string, ...string[]]

/** A command to run, and how to name it to a person. */
export interface NamedCommand {
  readonly command: Command
  readonly name: string
}

export interface ReleaseOptions {
  /** The repository to release. */
  readonly root: string
  /** The new version, X.Y.Z. */
  readonly version: string
  /** Only say what would be done. */
  readonly dryRun: boolean
  /** What rebuilds dist/ from the sources, run in `root`. */
  readonly bundle: NamedCommand
  /** The release date for the CHANGELOG, YYYY-MM-DD. */
  readonly date: string
  readonly log: (line: string) => void
}

/** `npm run bundle`, with the npm running this script, on any system. */
export function npmRunBundle(): NamedCommand {
  const npm = process.env['npm_execpath']
  return { command: npm ? [process.execPath, npm, 'run', 'bundle'] : ['npm', 'run', 'bundle'], name: 'npm run bundle' }
}

function run(root: string, command: Command, name = command.join(' ')): string {
  const [file, ...args] = command
  const result = spawnSync(file, args, { cwd: root, encoding: 'utf8' })
  if (result.status !== 0) {
    const why = result.error?.message ?? (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-1)[0]
    throw new CliError(`${name} failed: ${why ?? `exit code ${result.status}`}`)
  }
  return result.stdout.trim()
}

/** Checks that a release can be made from `root`, then sets the version, updates the CHANGELOG, rebuilds dist/, commits and tags. */
export function makeRelease(options: ReleaseOptions): void {
  const { root, version, log } = options
  const git = (...args: string[]): string => run(root, ['git', ...args])
  const next = parseVersion(version)
  if (!next) throw new CliError(`"${version}" is not a version X.Y.Z (for example 1.2.3, without a leading v).`)
  if (git('status', '--porcelain') !== '') {
    throw new CliError('The working tree has uncommitted changes: commit or stash them first (git status shows them).')
  }
  const branch = git('branch', '--show-current')
  if (branch !== 'main') throw new CliError(`On ${branch ? `branch ${branch}` : 'a detached HEAD'}, not main: releases are made from main.`)
  const packagePath = join(root, 'package.json')
  const current = String(readJson(packagePath).version)
  const currentVersion = parseVersion(current)
  if (currentVersion && compareVersions(next, currentVersion) <= 0) {
    throw new CliError(`${version} is not greater than the current version, ${current}.`)
  }
  const tag = `v${version}`
  if (git('tag', '--list', tag) !== '') throw new CliError(`The tag ${tag} exists already.`)
  const changelogPath = join(root, 'CHANGELOG.md')
  const changelog = changelogForRelease(readFileSync(changelogPath, 'utf8'), version, options.date)
  const lockPath = join(root, 'package-lock.json')
  const hasLock = existsSync(lockPath)

  // The mock IMS action (mock-ims/action.yml) is released with the token action, its bundle built beside dist/.
  const bundles = ['dist', ...(existsSync(join(root, 'mock-ims', 'dist')) ? ['mock-ims/dist'] : [])]
  const files = ['package.json', ...(hasLock ? ['package-lock.json'] : []), 'CHANGELOG.md', ...bundles]
  const steps = [
    `set the version in ${hasLock ? 'package.json and package-lock.json' : 'package.json'}: ${current} -> ${version}`,
    `move the CHANGELOG's Unreleased notes under "## [${version}] - ${options.date}"`,
    `rebuild ${bundles.map((folder) => `${folder}/`).join(' and ')}: ${options.bundle.name}`,
    `commit ${files.join(', ')}: "Release ${tag}"`,
    `tag that commit ${tag}`,
  ]
  const push = `git push --atomic origin main ${tag}`
  if (options.dryRun) {
    log(`Dry run: nothing is changed. A release of ${tag} from ${branch} would:`)
    for (const step of steps) log(`  ${step}`)
    log(`Then you would publish it (the release workflow runs on the tag): ${push}`)
    return
  }

  const setVersion = (path: string, set: (json: PackageJson) => void): void => {
    const json = readJson(path)
    set(json)
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`)
  }
  setVersion(packagePath, (json) => (json.version = version))
  if (hasLock) {
    setVersion(lockPath, (json) => {
      json.version = version
      const self = json.packages?.['']
      if (self) self.version = version
    })
  }
  writeFileSync(changelogPath, changelog)
  try {
    run(root, options.bundle.command, options.bundle.name)
  } catch (error) {
    git('checkout', '--', ...files)
    throw error instanceof CliError ? new CliError(`${error.message} (the version and CHANGELOG changes were undone)`) : error
  }
  git('add', '--', ...files)
  git('commit', '--quiet', '-m', `Release ${tag}`)
  git('tag', '-a', tag, '-m', tag)
  for (const step of steps) log(`Done: ${step}`)
  log(`\nTo publish it (the release workflow runs on the tag): ${push}`)
}
