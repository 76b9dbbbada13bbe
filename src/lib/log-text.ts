// Control characters are exactly what this pattern is for.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g

/**
 * Makes text from outside (an IMS answer, a status line) safe for one log line: control characters
 * become spaces, so it cannot start a workflow command on a line of its own, and it is cut to `maxLength`.
 */
export function oneLine(text: string, maxLength = 200): string {
  const flat = text.replace(CONTROL_CHARACTERS, ' ').replace(/ {2,}/g, ' ').trim()
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat
}

/** `a, b and c` (or `a, b or c`) */
export function listOf(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1] ?? ''}`
}

/** Splits a comma- or newline-separated list, trimming items and dropping empty ones. */
export function splitList(text: string): string[] {
  return text
    .split(/[,\r\n]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** Upper-cases the first letter, for a source label such as `input client-id` at the start of a sentence. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** ISO 8601 in UTC, to the second, as the outputs, the state and the summary give times. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}
