/**
 * A leak search as a security reviewer runs it: not only the whole secret, but every piece of it long
 * enough to matter (any 12 characters) in the forms a secret takes when something transforms it on the
 * way to a log: lower- and upper-cased, percent-encoded, form-encoded, JSON-escaped and base64.
 */
import { expect } from '@jest/globals'
import type { ActionRun } from '../../emulator/runner.js'
import { stateBesidesToken } from './expectations.js'

/** Shorter pieces than this are too common to mean anything (and would match ordinary text). */
export const FRAGMENT_LENGTH = 12

/** The forms a secret takes when quoted through common transformations. */
export function transformedForms(secret: string): string[] {
  return [
    ...new Set([
      secret,
      secret.toLowerCase(),
      secret.toUpperCase(),
      encodeURIComponent(secret),
      new URLSearchParams({ x: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
    ]),
  ]
}

/** Every `FRAGMENT_LENGTH`-character piece of each form of `secret` (the whole form when shorter). */
export function fragmentsOf(secret: string): string[] {
  const fragments = new Set<string>()
  for (const line of secret.split(/\r?\n/)) {
    for (const form of transformedForms(line.trim())) {
      if (form.length < FRAGMENT_LENGTH) continue
      for (let start = 0; start + FRAGMENT_LENGTH <= form.length; start++) fragments.add(form.slice(start, start + FRAGMENT_LENGTH))
    }
  }
  // PEM armour lines are public and would match every key.
  return [...fragments].filter((fragment) => !/^-+(BEGIN|END)?[ A-Z-]*$/.test(fragment))
}

/** Where a person or a later step could read: the log as shown, stderr, and every file the step writes (the state but the token kept for the post step). */
function readablePlaces(run: ActionRun, allowInOutputs: boolean): Record<string, string> {
  return {
    log: run.log,
    stderr: run.stderr,
    env: run.files.env,
    state: stateBesidesToken(run),
    summary: run.files.summary,
    ...(allowInOutputs ? {} : { outputs: run.files.output }),
  }
}

/** Every `FRAGMENT_LENGTH`-character window of `text`, for set look-ups instead of a scan per fragment. */
function windowsOf(text: string): Set<string> {
  const windows = new Set<string>()
  for (let start = 0; start + FRAGMENT_LENGTH <= text.length; start++) windows.add(text.slice(start, start + FRAGMENT_LENGTH))
  return windows
}

/** No piece of any secret, in any of its forms, is readable anywhere; names each piece found, and where. */
export function expectNoSecretFragments(run: ActionRun, secrets: Readonly<Record<string, string>>, allowInOutputs = false): void {
  const places = Object.entries(readablePlaces(run, allowInOutputs)).map(([place, text]) => [place, windowsOf(text)] as const)
  const found: string[] = []
  for (const [name, secret] of Object.entries(secrets)) {
    for (const fragment of fragmentsOf(secret)) {
      for (const [place, windows] of places) if (windows.has(fragment)) found.push(`${name} in ${place}: ${fragment}`)
    }
  }
  expect(found).toEqual([])
}

/** Shorter pieces of a secret's letters and digits than this are not looked for in disguise: they would match by chance. */
export const DISGUISED_FRAGMENT_LENGTH = 10

/**
 * Text with the disguises a hostile server can put on a secret taken off: compatibility forms folded
 * (full-width letters), `%XX` decoded, case ignored, and everything but letters and digits dropped (zero-width
 * and other invisible characters, separators between pieces).
 */
export function undisguised(text: string): string {
  return text
    .replace(/%([0-9a-f]{2})/gi, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
}

/**
 * No run of `DISGUISED_FRAGMENT_LENGTH` letters and digits of any secret, forwards or reversed, is readable
 * anywhere once the disguises are taken off (`undisguised`): pieces joined by `:` or by zero-width spaces,
 * full-width, every character percent-encoded, reversed.
 */
export function expectNoSecretInDisguise(run: ActionRun, secrets: Readonly<Record<string, string>>, allowInOutputs = false): void {
  const places = Object.entries(readablePlaces(run, allowInOutputs)).map(([place, text]) => [place, undisguised(text)] as const)
  const found: string[] = []
  for (const [name, secret] of Object.entries(secrets)) {
    const bare = undisguised(secret)
    for (const form of [bare, [...bare].reverse().join('')]) {
      for (let start = 0; start + DISGUISED_FRAGMENT_LENGTH <= form.length; start++) {
        const fragment = form.slice(start, start + DISGUISED_FRAGMENT_LENGTH)
        for (const [place, text] of places) if (text.includes(fragment)) found.push(`${name} in ${place}: ${fragment}`)
      }
    }
  }
  expect(found).toEqual([])
}
