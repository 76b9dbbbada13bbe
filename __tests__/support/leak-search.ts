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
