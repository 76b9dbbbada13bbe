import { FIELD_NAMES, INPUTS, type JsonFields, type Sourced } from './action-inputs.js'
import { InputError } from './errors.js'
import { capitalized, oneLine, splitList } from './log-text.js'

/**
 * What a `credentials` JSON supplies: the fields that stand in for inputs (named in the input table),
 * each undefined when the JSON does not carry it, and what only the JSON has.
 */
export interface CredentialsJson extends JsonFields {
  /** Which of the accepted shapes the JSON was. */
  readonly shape: string
  /** How the input held it: JSON as it is, or base64 of it. */
  readonly encoding: 'json' | 'base64'
  /** The integration's certificate (AEM service credentials), to check its expiry. */
  readonly certificate: Sourced<string> | undefined
  /** Every secret value the JSON holds (all client secrets, the key), to be masked at once. */
  readonly secretValues: readonly string[]
}

/** Every field absent; each shape's reader fills in what it finds. */
const NO_FIELDS = {
  ...(Object.fromEntries(FIELD_NAMES.map((name) => [INPUTS[name].credentialsField, undefined])) as { [K in keyof JsonFields]: undefined }),
  certificate: undefined,
  encoding: 'json',
} as const

type JsonObject = Readonly<Record<string, unknown>>

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fieldName(path: readonly string[]): string {
  return `credentials field ${path
    .map((key) => (/^\d+$/.test(key) ? `[${key}]` : `.${key}`))
    .join('')
    .slice(1)}`
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root
  for (const key of path) value = Array.isArray(value) ? (value as unknown[])[Number(key)] : isObject(value) ? value[key] : undefined
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
    throw new InputError(
      `${capitalized(fieldName(path))} must be a comma-separated string or a list of strings, not ${describeType(value)}.`,
    )
  }
  return items.length === 0 ? undefined : { value: items, from: fieldName(path) }
}

/** Secrets given as one string or a list of strings; never split, since a secret may hold any character. */
function secretsAt(root: unknown, path: readonly string[]): Sourced<string[]> | undefined {
  const value = valueAt(root, path)
  if (value === undefined || value === null) return undefined
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined
  if (!items || !items.every((item) => typeof item === 'string')) {
    throw new InputError(`${capitalized(fieldName(path))} must be a string or a list of strings, not ${describeType(value)}.`)
  }
  const secrets = items.map((item: string) => item.trim()).filter((item) => item !== '')
  return secrets.length === 0 ? undefined : { value: secrets, from: fieldName(path) }
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
function readAemServiceCredentials(root: JsonObject): CredentialsJson {
  const base = isObject(root['integration']) ? ['integration'] : []
  const at = (...path: string[]): string[] => [...base, ...path]
  const clientSecret = stringAt(root, at('technicalAccount', 'clientSecret'))
  const privateKey = stringAt(root, at('privateKey'))
  return {
    ...NO_FIELDS,
    shape: 'AEM service credentials',
    clientId: stringAt(root, at('technicalAccount', 'clientId')),
    clientSecret,
    technicalAccountId: stringAt(root, at('id')),
    orgId: stringAt(root, at('org')),
    privateKey,
    certificate: stringAt(root, at('publicKey')),
    metascopes: listAt(root, at('metascopes')),
    imsEndpoint: stringAt(root, at('imsEndpoint')),
    secretValues: [clientSecret?.value, privateKey?.value].filter((value) => value !== undefined),
  }
}

function isAemServiceCredentials(root: JsonObject): boolean {
  const integration = isObject(root['integration']) ? root['integration'] : root
  return isObject(integration['technicalAccount'])
}

/**
 * An OAuth Server-to-Server credential: the `oauth_server_to_server` object of a Developer Console
 * project, or the aio CLI's flat context (the same fields plus `ims_org_id`). Of several client secrets
 * (Adobe lets a credential hold two while one is rotated) the first is used; all are masked.
 */
function readOAuthCredential(root: JsonObject, base: readonly string[], shape: string, orgId?: Sourced<string>): CredentialsJson {
  const at = (...path: string[]): string[] => [...base, ...path]
  const secrets = secretsAt(root, at('client_secrets')) ?? secretsAt(root, at('client_secret'))
  const first = secrets?.value[0]
  return {
    ...NO_FIELDS,
    shape,
    clientId: stringAt(root, at('client_id')),
    clientSecret: first === undefined || !secrets ? undefined : { value: first, from: secrets.from },
    technicalAccountId: stringAt(root, at('technical_account_id')),
    orgId: orgId ?? stringAt(root, at('ims_org_id')),
    scopes: listAt(root, at('scopes')),
    secretValues: secrets?.value ?? [],
  }
}

function isOAuthCredential(root: JsonObject): boolean {
  return typeof root['client_id'] === 'string' && ('client_secrets' in root || 'client_secret' in root)
}

interface ProjectCredential {
  readonly index: number
  readonly name: string
  readonly type: string
  readonly clientId: string | undefined
}

function describeProjectCredential(credential: ProjectCredential): string {
  return `"${oneLine(credential.name, 60)}" (${oneLine(credential.type, 40)}${credential.clientId ? `, client id ${oneLine(credential.clientId, 80)}` : ''})`
}

/**
 * The Adobe Developer Console project JSON ("Download JSON"): its one OAuth Server-to-Server credential,
 * or, when it has several, the one whose client id is `preferredClientId`.
 */
function readDeveloperConsoleProject(root: JsonObject, preferredClientId: string): CredentialsJson {
  const path = ['project', 'workspace', 'details', 'credentials']
  const list = valueAt(root, path)
  if (list !== undefined && !Array.isArray(list))
    throw new InputError(`${capitalized(fieldName(path))} must be a list, not ${describeType(list)}.`)
  const credentials: ProjectCredential[] = (list ?? []).map((item: unknown, index: number) => {
    const entry = isObject(item) ? item : {}
    const oauth = entry['oauth_server_to_server']
    const jwt = entry['jwt']
    const clientId = isObject(oauth) ? oauth['client_id'] : isObject(jwt) ? jwt['client_id'] : undefined
    return {
      index,
      name: typeof entry['name'] === 'string' ? entry['name'] : `#${index + 1}`,
      type: typeof entry['integration_type'] === 'string' ? entry['integration_type'] : 'unknown type',
      clientId: typeof clientId === 'string' ? clientId : undefined,
    }
  })
  const oauth = credentials.filter((credential) => isObject(valueAt(root, [...path, String(credential.index), 'oauth_server_to_server'])))
  const chosen =
    oauth.length === 1 ? oauth[0] : oauth.find((credential) => preferredClientId !== '' && credential.clientId === preferredClientId)
  if (!chosen) {
    const found = credentials.length === 0 ? 'no credentials at all' : `only ${credentials.map(describeProjectCredential).join(', ')}`
    throw new InputError(
      oauth.length === 0
        ? `Input credentials is a Developer Console project JSON without an OAuth Server-to-Server credential: it holds ${found}. Add an OAuth Server-to-Server credential to the project's workspace and download the JSON again.`
        : `Input credentials is a Developer Console project JSON with ${oauth.length} OAuth Server-to-Server credentials: ${oauth.map(describeProjectCredential).join(', ')}. Set client-id to the one to use.`,
    )
  }
  return readOAuthCredential(
    root,
    [...path, String(chosen.index), 'oauth_server_to_server'],
    'Developer Console project',
    stringAt(root, ['project', 'org', 'ims_org_id']),
  )
}

function isDeveloperConsoleProject(root: JsonObject): boolean {
  return isObject(root['project']) && isObject(valueAt(root, ['project', 'workspace']))
}

interface Shape {
  readonly description: string
  matches(root: JsonObject): boolean
  read(root: JsonObject, preferredClientId: string): CredentialsJson
}

const SHAPES: readonly Shape[] = [
  {
    description: 'the AEM Developer Console service credentials JSON ({"integration": {"technicalAccount": ...}})',
    matches: isAemServiceCredentials,
    read: readAemServiceCredentials,
  },
  {
    description: 'the Adobe Developer Console project JSON ({"project": {"workspace": ...}}) with an OAuth Server-to-Server credential',
    matches: isDeveloperConsoleProject,
    read: readDeveloperConsoleProject,
  },
  {
    description: 'an OAuth Server-to-Server credential on its own, or the aio CLI\'s ({"client_id", "client_secrets", "scopes", ...})',
    matches: isOAuthCredential,
    read: (root) => readOAuthCredential(root, [], 'OAuth Server-to-Server credential'),
  },
]

/** Accepted shapes, for error messages. */
const ACCEPTED_SHAPES = SHAPES.map((shape) => shape.description)

/** Standard or URL-safe base64, with or without padding, possibly wrapped over several lines. */
const BASE64_TEXT = /^[A-Za-z0-9+/_-]+={0,2}$/

/** As the README says it (Store a credentials JSON on one line). */
const STORE_COMPACT = 'Store the JSON file as one secret, compact on one line (jq -c . file.json), or base64 of it (base64 -w0 file.json).'

/**
 * Reads a `credentials` value given as JSON or as base64 of JSON. Nothing is guessed: JSON is tried
 * first, and base64 of a JSON object (which starts with "e") is never itself valid JSON.
 */
function credentialsRootOf(text: string): { root: unknown; base64: boolean } {
  const json = parsedJson(text)
  if (json.parsed) return { root: json.value, base64: false }
  const trimmed = text.trim()
  // JSON.parse's own message quotes the text around the fault, which may be secret: not repeated.
  if (/^[{["]/.test(trimmed)) throw new InputError(`Input credentials is not valid JSON. ${STORE_COMPACT}`)
  if (trimmed.includes('-----BEGIN')) {
    throw new InputError('Input credentials is not valid JSON. It looks like a PEM key: pass a key on its own as private-key.')
  }
  const compact = trimmed.replace(/\s/g, '')
  if (BASE64_TEXT.test(compact)) {
    // Node's base64 decoder takes the URL-safe alphabet too.
    const decoded = parsedJson(
      Buffer.from(compact, 'base64')
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    )
    if (decoded.parsed) return { root: decoded.value, base64: true }
    throw new InputError(`Input credentials looks like base64, but what it decodes to is not JSON. ${STORE_COMPACT}`)
  }
  throw new InputError(`Input credentials is neither JSON nor base64 of JSON. ${STORE_COMPACT}`)
}

function parsedJson(text: string): { parsed: true; value: unknown } | { parsed: false } {
  try {
    return { parsed: true, value: JSON.parse(text) }
  } catch {
    return { parsed: false }
  }
}

/**
 * Recognises which credentials JSON `text` is (as JSON, or base64 of it) and reads its fields. Never
 * guesses: an unknown shape is an error. No error repeats a secret; a project JSON's credential names and
 * client ids may be named. Base64 text is itself secret, so it joins `secretValues`.
 */
export function readCredentialsJson(text: string, preferredClientId = ''): CredentialsJson {
  const { root, base64 } = credentialsRootOf(text)
  const shape = isObject(root) ? SHAPES.find((candidate) => candidate.matches(root)) : undefined
  if (!shape || !isObject(root)) {
    // Not even the key names are repeated: they are part of a value that may be secret.
    throw new InputError(
      `Input credentials is ${base64 ? 'base64 of ' : ''}JSON of a shape this action does not know (${describeType(root)}). It accepts ${ACCEPTED_SHAPES.join('; ')}.`,
    )
  }
  const fields = shape.read(root, preferredClientId)
  return base64
    ? { ...fields, encoding: 'base64', shape: `base64 of ${fields.shape}`, secretValues: [text.trim(), ...fields.secretValues] }
    : fields
}
