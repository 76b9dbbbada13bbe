import {
  defaultOf,
  FIELD_NAMES,
  type FieldName,
  type Fields,
  INPUTS,
  type InputName,
  type RawInputs,
  SECRET_INPUTS,
  type Sourced,
} from './action-inputs.js'
import { type CredentialsJson, readCredentialsJson } from './credentials-json.js'
import { InputError } from './errors.js'
import { type Flow, type FlowCredentials, FLOW_KEYS, FLOWS } from './flows/index.js'
import type { FieldsWith } from './flows/flow.js'
import { booleanOf, exportEnvNameOf, wholeNumberOf } from './input-checks.js'
import { capitalized, listOf, splitList } from './log-text.js'
import { maskSecretText, type Reporter } from './reporter.js'

interface Settings {
  /** Name of the variable to export the token to, when `export-env` asks for it. */
  readonly exportEnv: string | undefined
  readonly maxAttempts: number
  /** Time for retrying the token request, from its first attempt. */
  readonly retryBudgetMs: number
  readonly requestTimeoutMs: number
  /** Write the job summary table. */
  readonly summary: boolean
  /** Keep the token in the step state for the post step, which invalidates it at the end of the job. */
  readonly invalidateToken: boolean
}

function settingsOf(inputs: RawInputs): Settings {
  return {
    exportEnv: exportEnvNameOf(inputs['export-env']),
    maxAttempts: wholeNumberOf(inputs['max-attempts'], 'max-attempts', Number(defaultOf('max-attempts')), 1, 50),
    retryBudgetMs: wholeNumberOf(inputs['retry-budget'], 'retry-budget', Number(defaultOf('retry-budget')), 0, 3600) * 1000,
    requestTimeoutMs: wholeNumberOf(inputs['request-timeout'], 'request-timeout', Number(defaultOf('request-timeout')), 1, 300) * 1000,
    summary: booleanOf(inputs.summary, 'summary', defaultOf('summary') === 'true'),
    invalidateToken: booleanOf(inputs['invalidate-token'], 'invalidate-token', defaultOf('invalidate-token') === 'true'),
  }
}

/** The plan for one flow: its checked credentials and the settings. */
type PlanFor<F extends Flow> = Settings & { readonly flow: F; readonly credentials: FlowCredentials[F] }

/** What the action will do, worked out from the inputs before any request is made. */
export type Plan = PlanFor<Flow>

const FORK_NOTE = 'If they come from secrets: secrets are empty in workflows triggered by pull requests from forks and by Dependabot.'

/** Registers the secret inputs as masks. Call first, before anything could print them. */
export function maskSecretInputs(inputs: RawInputs, reporter: Reporter): void {
  for (const name of SECRET_INPUTS) if (inputs[name] !== '') maskSecretText(reporter, inputs[name])
}

/**
 * The warning for a credentials JSON on several lines, as downloaded: the runner masks a multi-line secret
 * line by line, so its short lines become masks that blank out every brace of the job's later logs.
 */
export function multiLineCredentialsWarning(lines: number): string {
  return `Input credentials is JSON on ${lines} lines. The runner masks a secret of several lines line by line, so each of its lines ("{", "}", "ok": true, ...) is a mask of its own and every { and } in this job's later logs prints as ***. Store it compact, on one line: jq -c . credentials.json | gh secret set SECRET_NAME (or base64 of it).`
}

/** Reads `credentials` and registers every secret in it as a mask straight away. */
function credentialsJsonOf(inputs: RawInputs, reporter: Reporter): CredentialsJson | undefined {
  if (inputs.credentials === '') return undefined
  const json = readCredentialsJson(inputs.credentials, inputs['client-id'])
  for (const secret of json.secretValues) maskSecretText(reporter, secret)
  reporter.info(`Read credentials as ${json.shape}.`)
  // Wrapped base64 makes masks of long random lines only, which blank out nothing else.
  const lines = inputs.credentials.split(/\r\n|\r|\n/).length
  if (json.encoding === 'json' && lines > 1) reporter.warning(multiLineCredentialsWarning(lines))
  return json
}

function fromInput(inputs: RawInputs, name: FieldName): Sourced<string> | Sourced<string[]> | undefined {
  const from = `input ${name}`
  if (!('list' in INPUTS[name])) return inputs[name] === '' ? undefined : { value: inputs[name], from }
  const items = splitList(inputs[name])
  return items.length === 0 ? undefined : { value: items, from }
}

/** The field of a `credentials` JSON that stands in for input `name`. */
function fromJsonField(json: CredentialsJson | undefined, name: FieldName): Sourced<string> | Sourced<string[]> | undefined {
  return json?.[INPUTS[name].credentialsField]
}

/** Each field from its input when given, else from `credentials`. */
function gatherFields(inputs: RawInputs, json: CredentialsJson | undefined): Fields {
  // Each input's kind (text or list) is its JSON field's kind, as the table says; fromInput reads it so.
  return Object.fromEntries(FIELD_NAMES.map((name) => [name, fromInput(inputs, name) ?? fromJsonField(json, name)])) as Fields
}

const missingFor = (flow: Flow, fields: Fields): FieldName[] => FLOWS[flow].needs.filter((name) => fields[name] === undefined)

function authTypeOf(value: string): Flow | 'auto' {
  const type = value.toLowerCase() || defaultOf('auth-type')
  if (type === 'auto') return 'auto'
  if ((FLOW_KEYS as readonly string[]).includes(type)) return type as Flow
  throw new InputError(`Input auth-type must be auto, ${listOf(FLOW_KEYS, 'or')}.`)
}

/** What signals a flow: its own inputs, or fields of `credentials` only it uses. */
function signalsOf(flow: Flow, inputs: RawInputs, json: CredentialsJson | undefined): string[] {
  const signals: string[] = FLOWS[flow].ownInputs.filter((name: InputName) => inputs[name] !== '')
  for (const name of FLOWS[flow].ownJsonFields) {
    const field = fromJsonField(json, name)
    if (field) signals.push(field.from)
  }
  return signals
}

/**
 * Picks the flow. An explicit `auth-type` wins, with a warning for inputs only another flow uses. Under
 * `auto`, inputs of more than one flow fail; otherwise the first flow (in FLOWS' order) whose `autoChoice`
 * gives a reason is taken, and with none, one message says what each flow needs.
 */
function chooseFlow(inputs: RawInputs, fields: Fields, json: CredentialsJson | undefined, reporter: Reporter): { flow: Flow; why: string } {
  const authType = authTypeOf(inputs['auth-type'])
  if (authType !== 'auto') {
    for (const other of FLOW_KEYS.filter((flow) => flow !== authType)) {
      const ignored = signalsOf(other, inputs, json)
      if (ignored.length > 0) {
        reporter.warning(
          `auth-type is ${authType}, so ${listOf(ignored)} ${ignored.length === 1 ? 'is' : 'are'} ignored: ${ignored.length === 1 ? 'it belongs' : 'they belong'} to the ${FLOWS[other].name} flow.`,
        )
      }
    }
    return { flow: authType, why: '' }
  }
  const signalled = FLOW_KEYS.map((flow) => ({ flow, signals: signalsOf(flow, inputs, json) })).filter(({ signals }) => signals.length > 0)
  if (signalled.length > 1) {
    const given = signalled.map(({ flow, signals }) => `${listOf(signals)} (${FLOWS[flow].name})`)
    throw new InputError(
      `auth-type auto cannot choose: inputs of ${signalled.length === 2 ? 'both flows' : 'several flows'} are given, ${listOf(given)}. Set auth-type to ${listOf(FLOW_KEYS, 'or')}, or remove the inputs of the flow you do not use.`,
    )
  }
  for (const flow of FLOW_KEYS) {
    const because = FLOWS[flow].autoChoice(fields, signalled.find((entry) => entry.flow === flow)?.signals ?? [])
    if (because !== undefined) return { flow, why: ` (auth-type auto chose it because ${because})` }
  }
  const needs = (flow: Flow): string => {
    const { name, needs: required } = FLOWS[flow]
    const missing = missingFor(flow, fields)
    return `the ${name} flow needs ${listOf(required)}${missing.length < required.length ? `, and lacks ${listOf(missing)}` : ''}`
  }
  throw new InputError(
    `Missing inputs: no flow has what it needs. ${capitalized(FLOW_KEYS.map(needs).join('; '))}. Each can be an input or come from credentials. ${FORK_NOTE}`,
  )
}

/**
 * What to do about missing fields: when `auth-type` names a flow and another flow has all it needs (AEM
 * service credentials with `auth-type: oauth`, or the reverse), take that flow; else, they may be empty
 * secrets.
 */
function missingFieldsAdvice(fields: Fields, json: CredentialsJson | undefined, inputs: RawInputs): string {
  // Asked only when the chosen flow lacks fields, so a complete flow is another one.
  const complete = FLOW_KEYS.find((flow) => missingFor(flow, fields).length === 0)
  if (authTypeOf(inputs['auth-type']) === 'auto' || complete === undefined) return FORK_NOTE
  const these = json ? `Input credentials, read as ${json.shape}, is for` : 'The inputs given are for'
  return `${these} the ${FLOWS[complete].name} flow: set auth-type to ${complete}, or to auto (the default).`
}

/** The fields when every one `flow` needs is present; otherwise fails, naming each missing input. */
function requireAll(flow: Flow, fields: Fields, why: string, advice: () => string): FieldsWith<FieldName> {
  const missing = missingFor(flow, fields)
  // The flow's own type says which fields it may take as present: those in its `needs`, checked here.
  if (missing.length === 0) return fields as FieldsWith<FieldName>
  throw new InputError(
    `Missing ${missing.length === 1 ? 'input' : 'inputs'} for the ${FLOWS[flow].name} flow${why}: ${listOf(missing)}. Pass ${missing.length === 1 ? 'it' : 'each'} as an input or in the credentials JSON. ${advice()}`,
  )
}

function planFor<F extends Flow>(flow: F, settings: Settings, credentials: FlowCredentials[F]): PlanFor<F> {
  return { ...settings, flow, credentials }
}

/**
 * Works out the plan from the inputs: the flow, which fields come from where, that each is present and
 * well formed, the IMS origin, and the loaded private key. Every secret met on the way is masked at once.
 */
export function planFromInputs(inputs: RawInputs, reporter: Reporter, now: number): Plan {
  const settings = settingsOf(inputs)
  const json = credentialsJsonOf(inputs, reporter)
  const fields = gatherFields(inputs, json)
  const { flow, why } = chooseFlow(inputs, fields, json, reporter)
  const present = requireAll(flow, fields, why, () => missingFieldsAdvice(fields, json, inputs))
  const credentials = FLOWS[flow].credentialsFrom(present, { inputs, certificate: json?.certificate, reporter, now })
  return planFor(flow, settings, credentials)
}
