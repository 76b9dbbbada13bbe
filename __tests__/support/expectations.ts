import { expect } from '@jest/globals'
import { type ActionRun, parseFileCommands } from '../../emulator/runner.js'

/**
 * The step state file without the token the main step keeps there for the post step (`invalidate-token`,
 * SECURITY.md): nothing else secret may be in it, and the token nowhere else in it.
 */
export function stateBesidesToken(run: ActionRun): string {
  const token = parseFileCommands(run.files.state)['token']
  return token ? run.files.state.split(token).join('') : run.files.state
}

/** The pieces the runner can match for a secret: the whole, and each line of a multi-line one. */
export function secretPieces(secret: string): string[] {
  const pieces = secret
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 4 && !/^-----(BEGIN|END) /.test(line))
  return secret.includes('\n') ? pieces : [secret]
}

/** Base64 lines of a PEM: the parts of a key the runner must mask. */
export function pemBodyLines(pem: string): string[] {
  return secretPieces(pem.replace(/\r\n/g, '\n'))
}

/**
 * Where `piece` first occurs on stdout before its own mask, outside `::add-mask::` lines (a mask of a
 * longer value may contain it); undefined when it does not.
 */
function firstUseOutsideMasks(stdout: string, piece: string): number | undefined {
  const maskAt = stdout.indexOf(`::add-mask::${piece}\n`)
  let offset = 0
  for (const line of stdout.split('\n')) {
    if (offset >= maskAt) return undefined
    if (!line.startsWith('::add-mask::') && line.includes(piece)) return offset + line.indexOf(piece)
    offset += line.length + 1
  }
  return undefined
}

/**
 * Each secret is registered with `::add-mask::` before it occurs anywhere else on stdout, never reaches
 * stderr, the state (but the token kept for the post step) or the step summary, and is not in the log a person sees.
 */
export function expectMaskedBeforeAnyUse(run: ActionRun, secrets: Readonly<Record<string, string>>): void {
  for (const [name, secret] of Object.entries(secrets)) {
    for (const piece of secretPieces(secret)) {
      const maskAt = run.stdout.indexOf(`::add-mask::${piece}\n`)
      expect({ secret: name, masked: maskAt >= 0 }).toEqual({ secret: name, masked: true })
      expect({ secret: name, firstUsedAt: firstUseOutsideMasks(run.stdout, piece) }).not.toEqual({
        secret: name,
        firstUsedAt: expect.any(Number),
      })
      expect({ secret: name, inLog: run.log.includes(piece) }).toEqual({ secret: name, inLog: false })
      expect({ secret: name, inStderr: run.stderr.includes(piece) }).toEqual({ secret: name, inStderr: false })
      expect({ secret: name, inState: stateBesidesToken(run).includes(piece) }).toEqual({ secret: name, inState: false })
      expect({ secret: name, inSummary: run.files.summary.includes(piece) }).toEqual({ secret: name, inSummary: false })
    }
  }
}

/** None of the secrets shows anywhere a person could read: stdout (masked or not), stderr, files. */
export function expectNoSecretAnywhere(run: ActionRun, secrets: Readonly<Record<string, string>>, allowInOutputs = false): void {
  for (const [name, secret] of Object.entries(secrets)) {
    for (const piece of secretPieces(secret)) {
      const places = {
        log: run.log.includes(piece),
        stderr: run.stderr.includes(piece),
        env: run.files.env.includes(piece),
        state: stateBesidesToken(run).includes(piece),
        summary: run.files.summary.includes(piece),
        outputs: !allowInOutputs && run.files.output.includes(piece),
      }
      expect({ secret: name, ...places }).toEqual({
        secret: name,
        log: false,
        stderr: false,
        env: false,
        state: false,
        summary: false,
        outputs: false,
      })
    }
  }
}

/** The step failed with exactly one error line, and no stack trace anywhere. */
export function expectOneErrorLine(run: ActionRun): string {
  expect(run.exitCode).toBe(1)
  const errors = run.log.split('\n').filter((line) => line.startsWith('Error: '))
  expect(errors).toHaveLength(1)
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  return errors[0] ?? ''
}
