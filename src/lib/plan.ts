import { checkCertificate } from './certificate.js'
import { type CredentialFields, parseCredentials, type Sourced } from './credentials.js'
import { DEFAULT_IMS_HOST, imsOriginOf } from './endpoint.js'
import { InputError } from './errors.js'
import type { OAuthServerToServerCredentials } from './flows/oauth-server-to-server.js'
import type { ServiceAccountCredentials } from './flows/service-account.js'
import {
  booleanOf,
  clientIdOf,
  clientSecretOf,
  exportEnvNameOf,
  metascopesOf,
  orgIdOf,
  scopesOf,
  technicalAccountIdOf,
  wholeNumberOf,
} from './input-checks.js'
import type { InputName, RawInputs } from './inputs.js'
import { loadRsaPrivateKey, normalizePrivateKeyPem } from './private-key.js'
import { maskSecretText, type Reporter } from './reporter.js'
import { capitalized, listOf, splitList } from './log-text.js'

export type Flow = 'jwt' | 'oauth'

export const FLOW_NAMES: Readonly<Record<Flow, string>> = {
  jwt: 'service-account (JWT)',
  oauth: 'OAuth Server-to-Server',
}

/** Token requests in all, and seconds for one, unless the inputs say otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 3
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30

interface Settings {
  /** Name of the variable to export the token to, when `export-env` asks for it. */
  readonly exportEnv: string | undefined
  readonly maxAttempts: number
  readonly requestTimeoutMs: number
  /** Write the job summary table. */
  readonly summary: boolean
}

function settingsOf(inputs: RawInputs): Settings {
  return {
    exportEnv: exportEnvNameOf(inputs['export-env']),
    maxAttempts: wholeNumberOf(inputs['max-attempts'], 'max-attempts', DEFAULT_MAX_ATTEMPTS, 1, 10),
    requestTimeoutMs: wholeNumberOf(inputs['request-timeout'], 'request-timeout', DEFAULT_REQUEST_TIMEOUT_SECONDS, 1, 300) * 1000,
    summary: booleanOf(inputs.summary, 'summary', true),
  }
}

export interface ServiceAccountPlan extends Settings {
  readonly flow: 'jwt'
  readonly credentials: ServiceAccountCredentials
}

export interface OAuthPlan extends Settings {
  readonly flow: 'oauth'
  readonly credentials: OAuthServerToServerCredentials
  /** Shown, not sent: the client-credentials request does not carry the org. */
  readonly orgId: string | undefined
}

/** What the action will do, worked out from the inputs before any request is made. */
export type Plan = ServiceAccountPlan | OAuthPlan

export const FORK_NOTE =
  'If they come from secrets: secrets are empty in workflows triggered by pull requests from forks and by Dependabot.'

/** What each flow needs, by input name; each can also come from `credentials`. */
const REQUIRED = {
  jwt: ['client-id', 'client-secret', 'technical-account-id', 'org-id', 'private-key', 'metascopes'],
  oauth: ['client-id', 'client-secret', 'scopes'],
} as const satisfies Readonly<Record<Flow, readonly FieldName[]>>

/** Inputs only one flow uses. */
const ONLY_FOR: Readonly<Record<Flow, readonly InputName[]>> = {
  jwt: ['private-key', 'private-key-passphrase', 'metascopes', 'technical-account-id'],
  oauth: ['scopes'],
}

type FieldName = 'client-id' | 'client-secret' | 'technical-account-id' | 'org-id' | 'private-key' | 'metascopes' | 'scopes'

interface Fields {
  readonly 'client-id': Sourced<string> | undefined
  readonly 'client-secret': Sourced<string> | undefined
  readonly 'technical-account-id': Sourced<string> | undefined
  readonly 'org-id': Sourced<string> | undefined
  readonly 'private-key': Sourced<string> | undefined
  readonly metascopes: Sourced<string[]> | undefined
  readonly scopes: Sourced<string[]> | undefined
}

function fromInput(inputs: RawInputs, name: InputName): Sourced<string> | undefined {
  return inputs[name] === '' ? undefined : { value: inputs[name], from: `input ${name}` }
}

function listFromInput(inputs: RawInputs, name: InputName): Sourced<string[]> | undefined {
  const items = splitList(inputs[name])
  return items.length === 0 ? undefined : { value: items, from: `input ${name}` }
}

/** Registers the secret inputs as masks. Call first, before anything could print them. */
export function maskSecretInputs(inputs: RawInputs, reporter: Reporter): void {
  for (const name of ['client-secret', 'private-key', 'private-key-passphrase'] as const) {
    if (inputs[name] !== '') maskSecretText(reporter, inputs[name])
  }
}

/** Reads `credentials` and registers every secret in it as a mask straight away. */
function credentialsOf(inputs: RawInputs, reporter: Reporter): CredentialFields | undefined {
  if (inputs.credentials === '') return undefined
  const fields = parseCredentials(inputs.credentials, inputs['client-id'])
  for (const secret of fields.secretValues) maskSecretText(reporter, secret)
  reporter.info(`Read credentials as ${fields.shape}.`)
  return fields
}

/** Each field from its input when given, else from `credentials`. */
function gatherFields(inputs: RawInputs, fromJson: CredentialFields | undefined): Fields {
  return {
    'client-id': fromInput(inputs, 'client-id') ?? fromJson?.clientId,
    'client-secret': fromInput(inputs, 'client-secret') ?? fromJson?.clientSecret,
    'technical-account-id': fromInput(inputs, 'technical-account-id') ?? fromJson?.technicalAccountId,
    'org-id': fromInput(inputs, 'org-id') ?? fromJson?.orgId,
    'private-key': fromInput(inputs, 'private-key') ?? fromJson?.privateKey,
    metascopes: listFromInput(inputs, 'metascopes') ?? fromJson?.metascopes,
    scopes: listFromInput(inputs, 'scopes') ?? fromJson?.scopes,
  }
}

const missingFor = (flow: Flow, fields: Fields): FieldName[] => REQUIRED[flow].filter((name) => fields[name] === undefined)

/** The fields, with those `flow` needs known to be present. */
type FieldsFor<F extends Flow> = Fields & { readonly [K in (typeof REQUIRED)[F][number]]: NonNullable<Fields[K]> }

function authTypeOf(value: string): Flow | 'auto' {
  const type = value.toLowerCase()
  if (type === '' || type === 'auto') return 'auto'
  if (type === 'jwt' || type === 'oauth') return type
  throw new InputError('Input auth-type must be auto, jwt or oauth.')
}

/** What signals a flow: its own inputs, or in `credentials` a private key or metascopes (JWT) or scopes (OAuth). */
function signalsOf(flow: Flow, inputs: RawInputs, fromJson: CredentialFields | undefined): string[] {
  const signals: string[] = ONLY_FOR[flow].filter((name) => inputs[name] !== '')
  const inJson = flow === 'jwt' ? [fromJson?.privateKey, fromJson?.metascopes] : [fromJson?.scopes]
  for (const field of inJson) if (field) signals.push(field.from)
  return signals
}

/**
 * Picks the flow. An explicit `auth-type` wins, with a warning for inputs only the other flow uses. Under
 * `auto`, a private key (or another JWT-only input) means JWT, otherwise a client id and secret mean OAuth;
 * inputs of both flows, or nothing that points to either, fail with one message that says what each
 * flow needs.
 */
function chooseFlow(
  inputs: RawInputs,
  fields: Fields,
  fromJson: CredentialFields | undefined,
  reporter: Reporter,
): { flow: Flow; why: string } {
  const authType = authTypeOf(inputs['auth-type'])
  if (authType !== 'auto') {
    const other: Flow = authType === 'jwt' ? 'oauth' : 'jwt'
    const ignored = signalsOf(other, inputs, fromJson)
    if (ignored.length > 0) {
      reporter.warning(
        `auth-type is ${authType}, so ${listOf(ignored)} ${ignored.length === 1 ? 'is' : 'are'} ignored: ${ignored.length === 1 ? 'it belongs' : 'they belong'} to the ${FLOW_NAMES[other]} flow.`,
      )
    }
    return { flow: authType, why: '' }
  }
  const jwtSignals = signalsOf('jwt', inputs, fromJson)
  const oauthSignals = signalsOf('oauth', inputs, fromJson)
  if (jwtSignals.length > 0 && oauthSignals.length > 0) {
    throw new InputError(
      `auth-type auto cannot choose: inputs of both flows are given, ${listOf(jwtSignals)} (${FLOW_NAMES.jwt}) and ${listOf(oauthSignals)} (${FLOW_NAMES.oauth}). Set auth-type to jwt or oauth, or remove the inputs of the flow you do not use.`,
    )
  }
  if (fields['private-key'] || jwtSignals.length > 0) {
    const because = fields['private-key']
      ? 'a private key is given'
      : `${listOf(jwtSignals)} ${jwtSignals.length === 1 ? 'belongs' : 'belong'} to it`
    return { flow: 'jwt', why: ` (auth-type auto chose it because ${because})` }
  }
  if (oauthSignals.length > 0 || (fields['client-id'] && fields['client-secret'])) {
    return { flow: 'oauth', why: ' (auth-type auto chose it because a client id and secret are given without a private key)' }
  }
  const needs = (flow: Flow): string => {
    const missing = missingFor(flow, fields)
    return `the ${FLOW_NAMES[flow]} flow needs ${listOf(REQUIRED[flow])}${missing.length < REQUIRED[flow].length ? `, and lacks ${listOf(missing)}` : ''}`
  }
  throw new InputError(
    `Missing inputs: no flow has what it needs. ${capitalized(needs('jwt'))}; ${needs('oauth')}. Each can be an input or come from credentials. ${FORK_NOTE}`,
  )
}

/** The fields when every one `flow` needs is present; otherwise fails, naming each missing input. */
function requireAll<F extends Flow>(flow: F, fields: Fields, why: string): FieldsFor<F> {
  const missing = missingFor(flow, fields)
  if (missing.length === 0) return fields as FieldsFor<F>
  throw new InputError(
    `Missing ${missing.length === 1 ? 'input' : 'inputs'} for the ${FLOW_NAMES[flow]} flow${why}: ${listOf(missing)}. Pass ${missing.length === 1 ? 'it' : 'each'} as an input or in the credentials JSON. ${FORK_NOTE}`,
  )
}

/** The origin of IMS: `ims-endpoint`, else the one `credentials` names, else the default host. */
function imsOriginFrom(inputs: RawInputs, fromJson: CredentialFields | undefined): string {
  const endpoint = fromInput(inputs, 'ims-endpoint') ?? fromJson?.imsEndpoint ?? { value: DEFAULT_IMS_HOST, from: 'the default IMS host' }
  return imsOriginOf(endpoint.value, endpoint.from)
}

/**
 * Works out the plan from the inputs: the flow, which fields come from where, that each is present and
 * well formed, the IMS origin, and the loaded private key. Every secret met on the way is masked at once.
 */
export function planFromInputs(inputs: RawInputs, reporter: Reporter, now: number): Plan {
  const settings = settingsOf(inputs)
  const fromJson = credentialsOf(inputs, reporter)
  const fields = gatherFields(inputs, fromJson)
  const { flow, why } = chooseFlow(inputs, fields, fromJson, reporter)
  if (flow === 'oauth') {
    const present = requireAll(flow, fields, why)
    const orgId = present['org-id'] && orgIdOf(present['org-id'])
    const credentials = {
      imsOrigin: imsOriginFrom(inputs, fromJson),
      clientId: clientIdOf(present['client-id']),
      clientSecret: clientSecretOf(present['client-secret']),
      scopes: scopesOf(present.scopes),
    }
    return { flow, ...settings, orgId, credentials }
  }
  const present = requireAll(flow, fields, why)
  const imsOrigin = imsOriginFrom(inputs, fromJson)
  const clientId = clientIdOf(present['client-id'])
  const clientSecret = clientSecretOf(present['client-secret'])
  const privateKey = present['private-key']
  const normalized = normalizePrivateKeyPem(privateKey.value, privateKey.from)
  maskSecretText(reporter, normalized.pem)
  const key = loadRsaPrivateKey(normalized, inputs['private-key-passphrase'], privateKey.from)
  if (fromJson?.certificate) checkCertificate(fromJson.certificate, key, now, reporter)
  return {
    flow,
    ...settings,
    credentials: {
      imsOrigin,
      clientId,
      clientSecret,
      technicalAccountId: technicalAccountIdOf(present['technical-account-id']),
      orgId: orgIdOf(present['org-id']),
      metascopes: metascopesOf(present.metascopes),
      privateKey: key,
    },
  }
}
