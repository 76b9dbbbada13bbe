/**
 * The action's inputs: one row each, the single source of truth for action.yml's `inputs` (names, order,
 * descriptions, defaults), the README table, masking, defaults in the code, and which field of a
 * `credentials` JSON can stand in for an input. `npm run docs` writes action.yml and README.md from it;
 * __tests__/repo/action-table.test.ts fails when they disagree.
 */
import { exportEnvRuleText } from './configuration-variables.js'
import { InputError } from './errors.js'

interface InputRow {
  /** action.yml's description, also the README's. */
  readonly description: string
  /** Registered with the masker, every line of it, before anything else happens. */
  readonly secret?: true
  /** action.yml's default; the code uses the same when the input is empty. */
  readonly default?: string
  /** The field of a parsed `credentials` JSON (credentials.ts) that supplies this input when it is not given. */
  readonly credentialsField?: string
  /** A comma- or newline-separated list. */
  readonly list?: true
}

export const INPUTS = {
  credentials: {
    // Not masked whole: as it is read, every secret in it is masked one by one (plan.ts).
    description:
      'A credentials JSON, whole, from a secret: the AEM Developer Console "service credentials" JSON (service-account JWT flow), the Adobe Developer Console project JSON ("Download JSON") with an OAuth Server-to-Server credential, that credential\'s `oauth_server_to_server` object on its own, or the aio CLI\'s flat context. Supplies the fields below; each input given on its own overrides the matching field.',
  },
  'client-id': {
    description:
      'Client id (API key) of the integration or credential. From `credentials` when not given. A project JSON with several OAuth credentials uses the one with this client id.',
    credentialsField: 'clientId',
  },
  'client-secret': {
    description: 'Client secret of the integration or credential. From `credentials` when not given.',
    secret: true,
    credentialsField: 'clientSecret',
  },
  'technical-account-id': {
    description:
      "JWT flow: technical account id, `…@techacct.adobe.com` (the JWT's `sub`). From `credentials` (`integration.id`) when not given.",
    credentialsField: 'technicalAccountId',
  },
  'org-id': {
    description:
      "IMS organization id, `…@AdobeOrg` (the JWT's `iss`; shown in the summary for OAuth). From `credentials` (`integration.org`, `project.org.ims_org_id` or `ims_org_id`) when not given.",
    credentialsField: 'orgId',
  },
  'private-key': {
    description:
      "JWT flow: the integration's private key, PEM as PKCS#8, PKCS#1 or encrypted PKCS#8, with LF or CRLF line ends, on one line with literal `\\n`, or base64 of the whole PEM. From `credentials` (`integration.privateKey`) when not given. A private key means the JWT flow under `auth-type: auto`.",
    secret: true,
    credentialsField: 'privateKey',
  },
  'private-key-passphrase': {
    description: 'JWT flow: passphrase of an encrypted private key. Not needed for an unencrypted key.',
    secret: true,
  },
  metascopes: {
    description:
      'JWT flow: metascopes, comma- or newline-separated, such as `ent_aem_cloud_api` or `ent_cloudmgr_sdk`. A short name becomes `https://<ims host>/s/<name>`; a full URL is used as given. From `credentials` (`integration.metascopes`) when not given.',
    credentialsField: 'metascopes',
    list: true,
  },
  scopes: {
    description:
      "OAuth Server-to-Server flow: scopes, comma- or newline-separated, such as `openid,AdobeID,read_organizations`; they must be the credential's. From `credentials` when not given.",
    credentialsField: 'scopes',
    list: true,
  },
  'auth-type': {
    description:
      'Which flow: `auto`, `jwt` or `oauth`. `auto` takes the service-account (JWT) flow when a private key is given and OAuth Server-to-Server when a client id and secret come without one; inputs of both flows at once fail. With `jwt` or `oauth`, inputs of the other flow are ignored with a warning.',
    default: 'auto',
  },
  'ims-endpoint': {
    description:
      'Host or https URL of IMS, such as `ims-na1-stg1.adobelogin.com`. Default: `integration.imsEndpoint` from `credentials`, else `ims-na1.adobelogin.com`. Only https hosts under `adobelogin.com` are accepted, and http or https to 127.0.0.1, [::1] or localhost for local tests.',
    credentialsField: 'imsEndpoint',
  },
  'export-env': {
    description: `A variable name, such as \`IMS_ACCESS_TOKEN\`. When set, the token is also exported to the later steps of this job under that name. Default: not exported. ${exportEnvRuleText()}`,
  },
  'max-attempts': {
    description:
      'Token requests in all, the first included, 1 to 50: a bound on the load one job puts on IMS. Connection faults, timeouts, 429, 500, 502, 503 and 504 are retried with exponential backoff and full jitter, after at least what a Retry-After asks, until `retry-budget` or this count ends them; 1 turns retries off.',
    default: '20',
  },
  'retry-budget': {
    description:
      'Seconds the token request may go on retrying, from the first request, 0 to 3600: no retry starts later, and a Retry-After that asks for longer than is left fails the step at once, saying so. The knob for a crowd of jobs against a throttling IMS; the step takes at most this plus one `request-timeout`. The post step that invalidates the token has a budget of its own, 15 s, since it only warns.',
    default: '120',
  },
  'request-timeout': {
    description:
      'Seconds one token request may take, from connecting to the last byte of the answer, 1 to 300. After an attempt that runs out of it, the next may take twice as long, up to what is left of `retry-budget`.',
    default: '30',
  },
  'invalidate-token': {
    description:
      'Invalidate the token at IMS at the end of the job (a post step, `POST /ims/invalidate_token/v2`), `true` or `false`. When true, the token is kept in the step state for the post step only; a failed invalidation is a warning, never a failed job. `false` leaves the token valid until it expires (about 24 hours).',
    default: 'true',
  },
  summary: {
    description: 'Write a job summary table (flow, client id, org, scopes, expiry, attempts; never a secret), `true` or `false`.',
    default: 'true',
  },
} as const satisfies Readonly<Record<string, InputRow>>

type Inputs = typeof INPUTS
export type InputName = keyof Inputs
export type RawInputs = Readonly<Record<InputName, string>>

/** Every input, in action.yml's order. The names are the public contract. */
export const INPUT_NAMES = Object.keys(INPUTS) as InputName[]

/** The inputs whose value is a secret. */
export type SecretInputName = { [K in InputName]: Inputs[K] extends { readonly secret: true } ? K : never }[InputName]
export const SECRET_INPUTS = INPUT_NAMES.filter((name): name is SecretInputName => 'secret' in INPUTS[name])

/** Inputs that a field of a `credentials` JSON can supply. */
export type FieldName = { [K in InputName]: Inputs[K] extends { readonly credentialsField: string } ? K : never }[InputName]
export const FIELD_NAMES = INPUT_NAMES.filter((name): name is FieldName => 'credentialsField' in INPUTS[name])

/** A value with the place it came from, so that an error can name what a person has to fix. */
export interface Sourced<T> {
  readonly value: T
  readonly from: string
}

type ValueOf<K extends InputName> = Inputs[K] extends { readonly list: true } ? string[] : string

/** Each field as given, by input name; undefined when neither the input nor `credentials` gives it. */
export type Fields = { readonly [K in FieldName]: Sourced<ValueOf<K>> | undefined }

/** The same fields as a `credentials` JSON holds them, by the names credentials.ts gives them. */
export type JsonFields = { readonly [K in FieldName as Inputs[K]['credentialsField']]: Sourced<ValueOf<K>> | undefined }

/** The default of an input that has one, as action.yml gives it. */
export function defaultOf(name: { [K in InputName]: Inputs[K] extends { readonly default: string } ? K : never }[InputName]): string {
  return INPUTS[name].default
}

/** Far above any real value (a service credentials JSON is about 5 KB); stops a wrong secret of megabytes early. */
export const MAX_INPUT_LENGTH = 64 * 1024

/** Reads every input, trimmed, '' when not given. */
export function readInputs(getInput: (name: InputName) => string): RawInputs {
  const inputs = {} as Record<InputName, string>
  for (const name of INPUT_NAMES) {
    const value = getInput(name).trim()
    if (value.length > MAX_INPUT_LENGTH) {
      throw new InputError(
        `Input ${name} is ${value.length} characters long; the most this action accepts is ${MAX_INPUT_LENGTH}. Check that the secret or value passed as ${name} is the right one.`,
      )
    }
    inputs[name] = value
  }
  return inputs
}
