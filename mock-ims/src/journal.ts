/**
 * What the mock IMS received, as the post step reports it: one entry per request (operation, client id,
 * status, and which issued token it concerned, by number), never a secret or a token. The emulator
 * process appends each entry to a file as the request arrives; the post step reads them back.
 */
import type { RecordedRequest } from '../../emulator/ims-emulator.js'

export interface JournalEntry {
  readonly operation: string
  /** The client id the request named, or '' when it named none or one not fit to show. */
  readonly clientId: string
  /** The HTTP status of the answer; 0 when none was sent. */
  readonly status: number
  /** The number of the token this request was issued (token requests that got one). */
  readonly issued?: number
  /** The number of the token this request invalidated (invalidation requests that succeeded). */
  readonly invalidated?: number
  /** The number of the token this request checked (validate_token). */
  readonly checked?: number
}

const OPERATIONS: Readonly<Record<string, string>> = {
  '/ims/exchange/jwt': 'JWT exchange',
  '/ims/token/v3': 'OAuth client credentials',
  '/ims/invalidate_token/v2': 'invalidate token',
  '/ims/validate_token/v1': 'validate token',
}

/** A client id as IMS issues them; anything else (a pasted secret, markup) is not shown. */
const showable = (clientId: string | undefined): string => (/^[A-Za-z0-9._-]{1,100}$/.test(clientId ?? '') ? (clientId ?? '') : '')

/** Numbers the tokens the emulator issues, in order, and turns each request into a journal entry. */
export class Journal {
  private readonly numbers = new Map<string, number>()

  entryOf(request: RecordedRequest): JournalEntry {
    const path = request.path.split('?')[0]?.replace(/(.)\/$/, '$1') ?? ''
    const entry: { -readonly [K in keyof JournalEntry]: JournalEntry[K] } = {
      operation: Object.hasOwn(OPERATIONS, path) ? (OPERATIONS[path] ?? path) : `${request.method} (other path)`,
      clientId: showable(request.fields['client_id']),
      status: request.status,
    }
    if (request.accessToken !== undefined) {
      entry.issued = this.numbers.size + 1
      this.numbers.set(request.accessToken, entry.issued)
    }
    const invalidated = this.numbers.get(request.fields['token'] ?? '')
    if (path === '/ims/invalidate_token/v2' && request.status === 200 && invalidated !== undefined) entry.invalidated = invalidated
    const checked = this.numbers.get(/^Bearer (.+)$/i.exec(request.authorization ?? '')?.[1] ?? '')
    if (path === '/ims/validate_token/v1' && checked !== undefined) entry.checked = checked
    return entry
  }
}

/** Reads the journal file's lines; a line cut short (the process stopped mid-write) is skipped. */
export function readJournal(text: string): JournalEntry[] {
  const entries: JournalEntry[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      entries.push(JSON.parse(line) as JournalEntry)
    } catch {
      // Only the last line can be cut short.
    }
  }
  return entries
}

const statusText = (entry: JournalEntry): string => {
  const status = entry.status === 0 ? 'no answer' : String(entry.status)
  if (entry.issued !== undefined) return `${status}, token ${entry.issued}`
  if (entry.invalidated !== undefined) return `${status}, token ${entry.invalidated} invalidated`
  if (entry.checked !== undefined) return `${status}, token ${entry.checked} checked`
  return status
}

/** The rows of the request table: operation, client id, status. */
export function requestRows(entries: readonly JournalEntry[]): [string, string, string][] {
  return entries.map((entry) => [entry.operation, entry.clientId || '(none)', statusText(entry)])
}

/** One line per issued token: whether it was invalidated before the mock IMS stopped. */
export function tokenLines(entries: readonly JournalEntry[]): string[] {
  const invalidated = new Set(entries.flatMap((entry) => (entry.invalidated === undefined ? [] : [entry.invalidated])))
  return entries.flatMap((entry) => {
    if (entry.issued === undefined) return []
    const what = `Token ${entry.issued} (${entry.operation}, ${entry.clientId || 'no client id'})`
    return [
      invalidated.has(entry.issued)
        ? `${what} was invalidated.`
        : `${what} was not invalidated: it stays valid until it expires (invalidate-token: false, or the invalidation failed).`,
    ]
  })
}

/** The request table as plain text for the log, columns padded. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)))
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)]
}
