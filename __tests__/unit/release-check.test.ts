/**
 * The release workflow's check (`npm run release:check -- vX.Y.Z`): the tag, package.json,
 * package-lock.json and the CHANGELOG's top entry must all name one version, whose entry becomes the
 * release notes; and the CHANGELOG edit that `npm run release` makes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { changelogEntries, changelogForRelease, checkReleaseTag, compareVersions, parseVersion } from '../../scripts/release-steps.js'

const CHANGELOG = `# Changelog

Intro text.

## [Unreleased]

## [1.2.0] - 2026-11-26

### Fixed

- A thing.

## [1.1.0]

- Older.
`

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function sources(files: { version?: string; lockVersions?: [string, string] | undefined; changelog?: string }): string {
  const root = mkdtempSync(join(tmpdir(), 'release-check-'))
  folders.push(root)
  const [lockVersion, selfVersion] = files.lockVersions ?? [files.version ?? '1.2.0', files.version ?? '1.2.0']
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'a', version: files.version ?? '1.2.0' }))
  writeFileSync(
    join(root, 'package-lock.json'),
    JSON.stringify({ name: 'a', version: lockVersion, packages: { '': { version: selfVersion } } }),
  )
  writeFileSync(join(root, 'CHANGELOG.md'), files.changelog ?? CHANGELOG)
  return root
}

describe('checkReleaseTag', () => {
  it('passes when all name the tag, and gives the top entry as the release notes', () => {
    expect(checkReleaseTag(sources({}), 'v1.2.0')).toEqual({ version: '1.2.0', notes: '### Fixed\n\n- A thing.' })
  })

  it.each(['1.2.0', 'v1.2', 'v1.2.0-rc.1', 'v01.2.0', 'release-1.2.0'])('refuses the tag %s, which is not vX.Y.Z', (tag) => {
    expect(() => checkReleaseTag(sources({}), tag)).toThrow(`The tag "${tag}" is not vX.Y.Z (for example v1.2.3).`)
  })

  it('names every source that disagrees with the tag, in one line', () => {
    const root = sources({ version: '1.1.0', lockVersions: ['1.1.0', '1.2.0'] })
    expect(() => checkReleaseTag(root, 'v1.2.0')).toThrow(
      "The tag v1.2.0 does not match the sources: package.json's version is 1.1.0; package-lock.json's version is 1.1.0 and 1.2.0. Make releases with npm run release.",
    )
  })

  it("refuses when the CHANGELOG's top entry is another version, is empty, or is missing", () => {
    expect(() => checkReleaseTag(sources({ version: '1.3.0' }), 'v1.3.0')).toThrow("CHANGELOG.md's top entry is 1.2.0")
    const empty = CHANGELOG.replace('### Fixed\n\n- A thing.\n', '')
    expect(() => checkReleaseTag(sources({ changelog: empty }), 'v1.2.0')).toThrow("CHANGELOG.md's entry for 1.2.0 is empty")
    expect(() => checkReleaseTag(sources({ changelog: '# Changelog\n\n## [Unreleased]\n\n- Soon.\n' }), 'v1.2.0')).toThrow(
      'CHANGELOG.md has no released entry',
    )
  })
})

describe('the CHANGELOG', () => {
  it('reads entries with and without a date, skipping other level-2 headings', () => {
    expect(changelogEntries(`${CHANGELOG}\n## Notes\n\nNot an entry.\n`).map(({ name, date }) => [name, date])).toEqual([
      ['Unreleased', undefined],
      ['1.2.0', '2026-11-26'],
      ['1.1.0', undefined],
    ])
  })

  it('moves the Unreleased notes under the new version and leaves Unreleased empty', () => {
    const before = CHANGELOG.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Added\n\n- New input.\n')
    const after = changelogForRelease(before, '1.3.0', '2026-12-01')
    expect(after).toBe(CHANGELOG.replace('## [Unreleased]\n', '## [Unreleased]\n\n## [1.3.0] - 2026-12-01\n\n### Added\n\n- New input.\n'))
    expect(changelogEntries(after)[1]).toEqual({ name: '1.3.0', date: '2026-12-01', body: '### Added\n\n- New input.' })
  })

  it('releases notes that are the last section of the file', () => {
    expect(changelogForRelease('# Changelog\n\n## [Unreleased]\n\n- First.\n', '0.1.0', '2026-12-01')).toBe(
      '# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-12-01\n\n- First.\n',
    )
  })

  it('refuses a CHANGELOG without an Unreleased section', () => {
    expect(() => changelogForRelease('# Changelog\n\n## [1.0.0]\n', '1.1.0', '2026-12-01')).toThrow(
      'CHANGELOG.md has no "## [Unreleased]" section',
    )
  })
})

describe('versions', () => {
  it('reads X.Y.Z only and orders by major, minor, patch', () => {
    expect(parseVersion('10.0.3')).toEqual([10, 0, 3])
    for (const text of ['1.0', '1.0.0.0', '01.0.0', '1.0.0-beta', 'v1.0.0', ' 1.0.0']) expect(parseVersion(text)).toBeUndefined()
    const sorted = ['1.10.0', '1.2.0', '2.0.0', '1.2.10', '1.2.9'].sort((a, b) =>
      compareVersions(parseVersion(a) ?? [0, 0, 0], parseVersion(b) ?? [0, 0, 0]),
    )
    expect(sorted).toEqual(['1.2.0', '1.2.9', '1.2.10', '1.10.0', '2.0.0'])
  })
})
