import { type CredentialFields, parseCredentials, type Sourced } from './credentials.js'
import { DEFAULT_IMS_HOST, imsOriginOf } from './endpoint.js'
import { InputError } from './errors.js'
import type { ServiceAccountCredentials } from './flows/service-account.js'
import { clientIdOf, clientSecretOf, exportEnvNameOf, metascopesOf, orgIdOf, technicalAccountIdOf } from './formats.js'
import type { InputName, RawInputs } from './inputs.js'
import { loadRsaPrivateKey, normalizePrivateKeyPem } from './private-key.js'
import { maskSecretText, type Reporter } from './reporter.js'
import { listOf, splitList } from './text.js'

/** What the action will do, worked out from the inputs before any request is made. */
export interface ServiceAccountPlan {
  readonly flow: 'jwt'
  readonly credentials: ServiceAccountCredentials
  /** Name of the variable to export the token to, when `export-env` asks for it. */
  readonly exportEnv: string | undefined
}

export type Plan = ServiceAccountPlan

export const FORK_NOTE =
  'If they come from secrets: secrets are empty in workflows triggered by pull requests from forks and by Dependabot.'

function fromInput(inputs: RawInputs, name: InputName): Sourced<string> | undefined {
  return inputs[name] === '' ? undefined : { value: inputs[name], from: `input ${name}` }
}

function listFromInput(inputs: RawInputs, name: InputName): Sourced<string[]> | undefined {
  const items = splitList(inputs[name])
  return items.length === 0 ? undefined : { value: items, from: `input ${name}` }
}

/**
 * Reads `credentials` and registers its secrets as masks straight away. The raw secret inputs are masked
 * by the caller before this runs.
 */
function credentialsOf(inputs: RawInputs, reporter: Reporter): CredentialFields | undefined {
  if (inputs.credentials === '') return undefined
  const fields = parseCredentials(inputs.credentials)
  if (fields.clientSecret) reporter.maskSecret(fields.clientSecret.value)
  if (fields.privateKey) maskSecretText(reporter, fields.privateKey.value)
  return fields
}

/** Registers the secret inputs as masks. Call first, before anything could print them. */
export function maskSecretInputs(inputs: RawInputs, reporter: Reporter): void {
  for (const name of ['client-secret', 'private-key', 'private-key-passphrase'] as const) {
    if (inputs[name] !== '') maskSecretText(reporter, inputs[name])
  }
}

/** Returns `fields` when every one is present; otherwise fails, naming each missing input. */
function requireAll<T extends Record<string, Sourced<unknown> | undefined>>(
  flowName: string,
  fields: T,
): { [K in keyof T]: NonNullable<T[K]> } {
  const missing = Object.keys(fields).filter((name) => fields[name] === undefined)
  if (missing.length > 0) {
    throw new InputError(
      `Missing ${missing.length === 1 ? 'input' : 'inputs'} for the ${flowName} flow: ${listOf(missing)}. Pass ${missing.length === 1 ? 'it' : 'each'} as an input or in the credentials JSON. ${FORK_NOTE}`,
    )
  }
  return fields as { [K in keyof T]: NonNullable<T[K]> }
}

/**
 * Works out the plan from the inputs: which fields come from where, that each is present and well
 * formed, the IMS origin, and the loaded private key. Every secret met on the way is masked at once.
 */
export function planFromInputs(inputs: RawInputs, reporter: Reporter): Plan {
  const exportEnv = exportEnvNameOf(inputs['export-env'])
  const fromJson = credentialsOf(inputs, reporter)
  const fields = requireAll('service-account (JWT)', {
    'client-id': fromInput(inputs, 'client-id') ?? fromJson?.clientId,
    'client-secret': fromInput(inputs, 'client-secret') ?? fromJson?.clientSecret,
    'technical-account-id': fromInput(inputs, 'technical-account-id') ?? fromJson?.technicalAccountId,
    'org-id': fromInput(inputs, 'org-id') ?? fromJson?.orgId,
    'private-key': fromInput(inputs, 'private-key') ?? fromJson?.privateKey,
    metascopes: listFromInput(inputs, 'metascopes') ?? fromJson?.metascopes,
  })
  const endpoint = fromInput(inputs, 'ims-endpoint') ?? fromJson?.imsEndpoint ?? { value: DEFAULT_IMS_HOST, from: 'the default IMS host' }
  const privateKey = fields['private-key']
  const normalized = normalizePrivateKeyPem(privateKey.value, privateKey.from)
  maskSecretText(reporter, normalized.pem)
  return {
    flow: 'jwt',
    exportEnv,
    credentials: {
      imsOrigin: imsOriginOf(endpoint.value, endpoint.from),
      clientId: clientIdOf(fields['client-id']),
      clientSecret: clientSecretOf(fields['client-secret']),
      technicalAccountId: technicalAccountIdOf(fields['technical-account-id']),
      orgId: orgIdOf(fields['org-id']),
      metascopes: metascopesOf(fields.metascopes),
      privateKey: loadRsaPrivateKey(normalized, inputs['private-key-passphrase'], privateKey.from),
    },
  }
}
