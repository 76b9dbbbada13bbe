/**
 * The mock IMS's folder (under the runner's temporary directory) and what the main step, the emulator
 * process and the post step keep there; the post step deletes it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The argument that starts the bundle as the emulator process rather than as a step. */
export const EMULATOR_FLAG = '--mock-ims-emulator'

export const folderFiles = (dir: string) =>
  ({
    /** MockImsSettings, written by the main step. */
    settings: join(dir, 'settings.json'),
    /** The emulator process's own output. */
    log: join(dir, 'emulator.log'),
    /** Ready, written whole (renamed into place) once it listens: the throwaway credentials, which the main step reads and deletes. */
    ready: join(dir, 'ready.json'),
    /** One JournalEntry per line, appended as each request arrives. */
    journal: join(dir, 'requests.jsonl'),
  }) as const

/** What the emulator process hands the main step once it listens. */
export interface Ready {
  readonly origin: string
  readonly serviceCredentials: string
  readonly oauthCredentials: string
  readonly serviceClientId: string
  readonly oauthClientId: string
  readonly orgId: string
  /** The secrets in the credentials above, for the main step to mask: the private key's PEM and both client secrets. */
  readonly secrets: readonly string[]
}

/** A file's text, or '' when there is none. */
export function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/**
 * Whether process `pid` still runs. A zombie (it has exited; its parent, which on Linux becomes the init
 * process once the main step has ended, has not read its exit status yet) does not.
 */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    // No /proc (Windows, macOS): kill(pid, 0) said it runs.
    return true
  }
}
