import { InputError } from './errors.js'
import { capitalized, splitList } from './text.js'

/** A value with the place it came from, so that an error can name what a person has to fix. */
export interface Sourced<T> {
  readonly value: T
  readonly from: string
}

/** The fields a `credentials` JSON can supply; each is undefined when the JSON does not carry it. */
export interface CredentialFields {
  /** Which of the accepted shapes the JSON was. */
  readonly shape: string
  readonly clientId: Sourced<string> | undefined
  readonly clientSecret: Sourced<string> | undefined
  readonly technicalAccountId: Sourced<string> | undefined
  readonly orgId: Sourced<string> | undefined
  readonly privateKey: Sourced<string> | undefined
  readonly certificate: Sourced<string> | undefined
  readonly metascopes: Sourced<string[]> | undefined
  readonly imsEndpoint: Sourced<string> | undefined
}

type JsonObject = Readonly<Record<string, unknown>>

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fieldName(path: readonly string[]): string {
  return `credentials field ${path.join('.')}`
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root
  for (const key of path) value = isObject(value) ? value[key] : undefined
  return value
}

/** A string field; absent, null and '' all mean "not given". Anything else fails, naming the field. */
function stringAt(root: unknown, path: readonly string[]): Sourced<string> | undefined {
  const value = valueAt(root, path)
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new InputError(`${capitalized(fieldName(path))} must be a string, not ${describeType(value)}.`)
  const trimmed = value.trim()
  return trimmed === '' ? undefined : { value: trimmed, from: fieldName(path) }
}

/** A list field given either as a comma-separated string or as an array of strings. */
function listAt(root: unknown, path: readonly string[]): Sourced<string[]> | undefined {
  const value = valueAt(root, path)
  if (value === undefined || value === null) return undefined
  let items: string[]
  if (typeof value === 'string') {
    items = splitList(value)
  } else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    items = value.flatMap((item: string) => splitList(item))
  } else {
    throw new InputError(`${capitalized(fieldName(path))} must be a comma-separated string or a list of strings, not ${describeType(value)}.`)
  }
  return items.length === 0 ? undefined : { value: items, from: fieldName(path) }
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (isObject(value)) return 'an object'
  return `a ${typeof value}`
}

/**
 * The AEM Developer Console "service credentials" JSON (`{"ok": true, "integration": {...}}`), or its
 * `integration` object alone.
 */
function readAemServiceCredentials(root: JsonObject): CredentialFields {
  const base = isObject(root['integration']) ? ['integration'] : []
  const at = (...path: string[]): string[] => [...base, ...path]
  return {
    shape: 'AEM service credentials',
    clientId: stringAt(root, at('technicalAccount', 'clientId')),
    clientSecret: stringAt(root, at('technicalAccount', 'clientSecret')),
    technicalAccountId: stringAt(root, at('id')),
    orgId: stringAt(root, at('org')),
    privateKey: stringAt(root, at('privateKey')),
    certificate: stringAt(root, at('publicKey')),
    metascopes: listAt(root, at('metascopes')),
    imsEndpoint: stringAt(root, at('imsEndpoint')),
  }
}

function isAemServiceCredentials(root: JsonObject): boolean {
  const integration = isObject(root['integration']) ? root['integration'] : root
  return isObject(integration['technicalAccount'])
}

interface Shape {
  readonly description: string
  matches(root: JsonObject): boolean
  read(root: JsonObject): CredentialFields
}

const SHAPES: readonly Shape[] = [
  {
    description: 'the AEM Developer Console service credentials JSON ({"integration": {"technicalAccount": ...}})',
    matches: isAemServiceCredentials,
    read: readAemServiceCredentials,
  },
]

/** Accepted shapes, for error messages. */
export const ACCEPTED_SHAPES = SHAPES.map((shape) => shape.description)

/**
 * Recognises which credentials JSON `text` is and reads its fields. Never guesses: an unknown shape is an
 * error. No error repeats any part of the value.
 */
export function parseCredentials(text: string): CredentialFields {
  let root: unknown
  try {
    root = JSON.parse(text)
  } catch {
    // JSON.parse's own message quotes the text around the fault, which may be secret: not repeated.
    const hint = text.includes('-----BEGIN')
      ? ' It looks like a PEM key: pass a key on its own as private-key.'
      : ' Store the whole JSON file as one secret, unchanged.'
    throw new InputError(`Input credentials is not valid JSON.${hint}`)
  }
  const shape = isObject(root) ? SHAPES.find((candidate) => candidate.matches(root)) : undefined
  if (!shape || !isObject(root)) {
    // Not even the key names are repeated: they are part of a value that may be secret.
    throw new InputError(
      `Input credentials is JSON of a shape this action does not know (${describeType(root)}). It accepts ${ACCEPTED_SHAPES.join('; ')}.`,
    )
  }
  return shape.read(root)
}
