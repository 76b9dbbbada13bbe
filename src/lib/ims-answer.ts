import type { HttpAnswer } from './http-form.js'
import { oneLine } from './text.js'

/** An IMS error body: `{"error": "...", "error_description": "..."}`. */
export interface ImsErrorBody {
  readonly error: string
  readonly description: string
}

export function headerValue(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name]
  return Array.isArray(value) ? value[0] : value
}

export function contentTypeOf(answer: HttpAnswer): string {
  return headerValue(answer, 'content-type')?.split(';')[0]?.trim() || 'no content type'
}

/** The body as a JSON object, or undefined when it is not one. */
export function jsonObjectOf(answer: HttpAnswer): Record<string, unknown> | undefined {
  const text = answer.body.trim()
  if (!text.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** IMS's error and description, on one line each, with every value in `secrets` blanked out. */
export function imsErrorOf(body: Record<string, unknown> | undefined, secrets: readonly string[]): ImsErrorBody | undefined {
  if (!body || typeof body['error'] !== 'string') return undefined
  const description = typeof body['error_description'] === 'string' ? body['error_description'] : ''
  return { error: oneLine(redact(body['error'], secrets), 60), description: oneLine(redact(description, secrets)) }
}

/**
 * A short, secret-free account of a body that was not the expected JSON: its kind, an HTML page's title,
 * or at most a short excerpt with every value in `secrets` blanked out.
 */
export function describeBody(answer: HttpAnswer, secrets: readonly string[]): string {
  const text = answer.body.trim()
  if (text === '') return 'an empty body'
  const json = jsonObjectOf(answer)
  if (json) {
    const keys = Object.keys(json).slice(0, 10)
    return keys.length === 0 ? 'an empty JSON object' : `JSON with the fields ${keys.map((key) => oneLine(key, 40)).join(', ')}`
  }
  if (/html/i.test(contentTypeOf(answer)) || /^<(!doctype|html|head|body)/i.test(text)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1]
    return title ? `an HTML page titled "${oneLine(redact(title, secrets), 80)}"` : 'an HTML page'
  }
  return `"${oneLine(redact(text, secrets), 100)}"`
}

function redact(text: string, secrets: readonly string[]): string {
  let redacted = text
  for (const secret of secrets) if (secret.length >= 4) redacted = redacted.split(secret).join('***')
  return redacted
}
