/**
 * `npm run release` against a throwaway git repository made in the system's temporary folder, with a
 * stand-in for `npm run bundle` that writes dist/index.js: the dry run changes nothing, the real run
 * commits and tags what the release workflow then checks, and every refusal leaves the repository as it was.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { checkReleaseTag, makeRelease, type NamedCommand } from '../../scripts/release-steps.js'

const CHANGELOG = `# Changelog

## [Unreleased]

### Added

- A release workflow.

## [1.0.0] - 2026-01-05

### Added

- The action.
`

/** Writes dist/index.js from package.json's version, as a real build would differ from the last one. */
const STAND_IN_BUNDLE: NamedCommand = {
  command: [
    process.execPath,
    '-e',
    "const fs = require('fs'); fs.writeFileSync('dist/index.js', 'built ' + JSON.parse(fs.readFileSync('package.json', 'utf8')).version + '\\n')",
  ],
  name: 'the stand-in build',
}

const repos: string[] = []
afterEach(() => {
  for (const repo of repos.splice(0)) rmSync(repo, { recursive: true, force: true })
})

function git(repo: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd: repo, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
  return result.stdout.trim()
}

/** A repository on main, shaped like this one where the release touches it, at 1.0.0 with unreleased notes. */
function throwawayRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), 'release-test-'))
  repos.push(repo)
  git(repo, 'init', '--quiet')
  git(repo, 'symbolic-ref', 'HEAD', 'refs/heads/main')
  for (const [key, value] of [
    ['user.name', 'Release Test'],
    ['user.email', 'release-test@example.com'],
    ['commit.gpgsign', 'false'],
    ['tag.gpgsign', 'false'],
    ['core.autocrlf', 'false'],
  ] as const)
    git(repo, 'config', key, value)
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`
  writeFileSync(join(repo, 'package.json'), json({ name: 'some-action', version: '1.0.0', private: true }))
  writeFileSync(
    join(repo, 'package-lock.json'),
    json({
      name: 'some-action',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: 'some-action', version: '1.0.0' } },
    }),
  )
  writeFileSync(join(repo, 'CHANGELOG.md'), CHANGELOG)
  mkdirSync(join(repo, 'dist'))
  writeFileSync(join(repo, 'dist', 'index.js'), 'built 1.0.0\n')
  git(repo, 'add', '.')
  git(repo, 'commit', '--quiet', '-m', 'Initial')
  git(repo, 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0')
  return repo
}

/** Everything that could change: HEAD, branch, tags, status and every tracked file's content. */
function state(repo: string): Record<string, string> {
  const files = git(repo, 'ls-files').split('\n')
  return {
    head: git(repo, 'rev-parse', 'HEAD'),
    branch: git(repo, 'branch', '--show-current'),
    tags: git(repo, 'tag', '--list'),
    status: git(repo, 'status', '--porcelain'),
    ...Object.fromEntries(files.map((file) => [file, readFileSync(join(repo, file), 'utf8')])),
  }
}

function release(repo: string, version: string, dryRun: boolean): string[] {
  const lines: string[] = []
  makeRelease({ root: repo, version, dryRun, bundle: STAND_IN_BUNDLE, date: '2026-11-26', log: (line) => lines.push(line) })
  return lines
}

describe('npm run release', () => {
  it('--dry-run says what it would do and changes nothing: same HEAD, files and tags', () => {
    const repo = throwawayRepo()
    const before = state(repo)
    const lines = release(repo, '1.1.0', true)
    expect(state(repo)).toEqual(before)
    expect(lines.join('\n')).toContain('Dry run: nothing is changed. A release of v1.1.0 from main would:')
    expect(lines.join('\n')).toContain('set the version in package.json and package-lock.json: 1.0.0 -> 1.1.0')
    expect(lines.join('\n')).toContain('rebuild dist/: the stand-in build')
    expect(lines.join('\n')).toContain('tag that commit v1.1.0')
    expect(lines.at(-1)).toBe('Then you would publish it (the release workflow runs on the tag): git push --atomic origin main v1.1.0')
  })

  it('sets the version, releases the Unreleased notes, rebuilds dist/, commits and tags, then says how to push', () => {
    const repo = throwawayRepo()
    const before = git(repo, 'rev-parse', 'HEAD')
    const lines = release(repo, '1.1.0', false)

    expect(git(repo, 'rev-parse', 'HEAD~1')).toBe(before)
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('Release v1.1.0')
    expect(git(repo, 'rev-parse', 'v1.1.0^{commit}')).toBe(git(repo, 'rev-parse', 'HEAD'))
    expect(git(repo, 'cat-file', '-t', 'v1.1.0')).toBe('tag')
    expect(git(repo, 'status', '--porcelain')).toBe('')
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'CHANGELOG.md',
      'dist/index.js',
      'package-lock.json',
      'package.json',
    ])

    const read = (file: string): string => readFileSync(join(repo, file), 'utf8')
    expect((JSON.parse(read('package.json')) as { version: string }).version).toBe('1.1.0')
    const lock = JSON.parse(read('package-lock.json')) as { version: string; packages: Record<string, { version: string }> }
    expect([lock.version, lock.packages['']?.version]).toEqual(['1.1.0', '1.1.0'])
    expect(read('dist/index.js')).toBe('built 1.1.0\n')
    expect(read('CHANGELOG.md')).toBe(CHANGELOG.replace('## [Unreleased]\n', '## [Unreleased]\n\n## [1.1.0] - 2026-11-26\n'))
    expect(lines.at(-1)).toBe('\nTo publish it (the release workflow runs on the tag): git push --atomic origin main v1.1.0')

    // What the release workflow checks on that tag holds.
    expect(checkReleaseTag(repo, 'v1.1.0')).toEqual({ version: '1.1.0', notes: '### Added\n\n- A release workflow.' })
  })

  it.each([
    ['a version that is not X.Y.Z', 'v1.1.0', /"v1\.1\.0" is not a version X\.Y\.Z/],
    ['a version with two parts', '1.1', /"1\.1" is not a version X\.Y\.Z/],
    ['the current version', '1.0.0', /1\.0\.0 is not greater than the current version, 1\.0\.0\./],
    ['an older version', '0.9.9', /0\.9\.9 is not greater than the current version/],
  ])('refuses %s and changes nothing', (_what, version, message) => {
    const repo = throwawayRepo()
    const before = state(repo)
    expect(() => release(repo, version, false)).toThrow(message)
    expect(state(repo)).toEqual(before)
  })

  it('refuses a tree with uncommitted changes, also in a dry run', () => {
    const repo = throwawayRepo()
    writeFileSync(join(repo, 'notes.txt'), 'not committed\n')
    const before = state(repo)
    for (const dryRun of [true, false]) {
      expect(() => release(repo, '1.1.0', dryRun)).toThrow('The working tree has uncommitted changes: commit or stash them first')
    }
    expect(state(repo)).toEqual(before)
  })

  it('refuses to release from a branch other than main', () => {
    const repo = throwawayRepo()
    git(repo, 'switch', '--quiet', '-c', 'feature')
    const before = state(repo)
    expect(() => release(repo, '1.1.0', false)).toThrow('On branch feature, not main: releases are made from main.')
    expect(state(repo)).toEqual(before)
  })

  it('refuses a release with nothing under Unreleased, and a tag that exists', () => {
    const repo = throwawayRepo()
    writeFileSync(join(repo, 'CHANGELOG.md'), CHANGELOG.replace('### Added\n\n- A release workflow.\n\n', ''))
    git(repo, 'commit', '--quiet', '-am', 'Nothing to release')
    const before = state(repo)
    expect(() => release(repo, '1.1.0', false)).toThrow('CHANGELOG.md has nothing under "## [Unreleased]"')
    expect(state(repo)).toEqual(before)

    const tagged = throwawayRepo()
    git(tagged, 'tag', 'v1.1.0')
    expect(() => release(tagged, '1.1.0', true)).toThrow('The tag v1.1.0 exists already.')
  })

  it('stops when the build fails, with its last line, and undoes its changes', () => {
    const repo = throwawayRepo()
    const before = state(repo)
    expect(() =>
      makeRelease({
        root: repo,
        version: '1.1.0',
        dryRun: false,
        bundle: {
          command: [process.execPath, '-e', "console.error('src/index.ts: error TS2304'); process.exit(2)"],
          name: 'the failing build',
        },
        date: '2026-11-26',
        log: () => undefined,
      }),
    ).toThrow(/^the failing build failed: src\/index\.ts: error TS2304 \(the version and CHANGELOG changes were undone\)$/)
    expect(state(repo)).toEqual(before)
  })
})
