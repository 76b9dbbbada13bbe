/**
 * The mock IMS action's inputs (mock-ims/action.yml), read and checked into the settings the emulator
 * process starts with. Pure: the entry passes `core.getInput`.
 */
import type { EmulatorOptions, Fault } from '../../emulator/ims-emulator.js'

/**
 * The mock IMS action's inputs and outputs, with their defaults and descriptions: mock-ims/action.yml's
 * `inputs` and `outputs` sections are made from these by `npm run docs`, and a test fails when they differ.
 */
export const MOCK_INPUTS = {
  port: {
    default: '0',
    description: 'Port on 127.0.0.1 to listen on; 0 takes any free port. The `ims-endpoint` output names the one taken.',
  },
  'token-lifetime': {
    default: '86399',
    description:
      'Lifetime of the tokens it issues, in seconds (1 to 86399). The JWT exchange answers `expires_in` in milliseconds and the OAuth token request in seconds, as IMS does.',
  },
  metascopes: {
    default: 'ent_aem_cloud_api',
    description:
      'Metascopes of the throwaway service credentials (JWT flow), comma-separated; a JWT exchange asking for others is refused with invalid_scope, as IMS refuses it.',
  },
  scopes: {
    default: 'openid,AdobeID,read_organizations',
    description:
      'Scopes of the throwaway OAuth Server-to-Server credential, comma-separated; a token request asking for others is refused with invalid_scope, as IMS refuses it.',
  },
  'fail-token-requests': {
    default: '0',
    description:
      'Rehearse a failure: answer this many of the next token requests (JWT exchange or OAuth client credentials; not invalidation or validation) with `fail-with` instead of a token. 0 (the default) fails none.',
  },
  'fail-with': {
    default: 'invalid_client',
    description:
      'The failure to rehearse: `invalid_client` (400, `invalid client_secret parameter`, as when a secret was rotated), `429` (Too Many Requests with `Retry-After: <retry-after>`), or `503` (`internal_error`, which the action retries).',
  },
  'retry-after': {
    default: '1',
    description: 'Seconds the 429 answers ask the client to wait in their `Retry-After` header (0 to 30).',
  },
  'throttle-rate': {
    default: '0',
    description:
      'Token requests a second that pass, as a throttling IMS lets them (a token bucket that holds as many, 0 to 1000); the rest are answered 429 with `Retry-After: <retry-after>`, as a crowd of jobs with one client id meets it. 0 (the default) throttles nothing.',
  },
} as const satisfies Readonly<Record<string, { readonly default: string; readonly description: string }>>

export type MockInputName = keyof typeof MOCK_INPUTS

/** Every output of the mock IMS action, in its order. */
export const MOCK_OUTPUTS = {
  'ims-endpoint': {
    description:
      "The mock IMS's origin, such as `http://127.0.0.1:41234`: pass it as the action's `ims-endpoint` with `oauth-credentials` (`service-credentials` names it already).",
  },
  'service-credentials': {
    description:
      'Throwaway AEM "service credentials" JSON (service account, JWT flow) naming the mock IMS as its IMS, with a private key and certificate made for this run; pass it as `credentials`. Masked.',
  },
  'oauth-credentials': {
    description:
      'Throwaway Adobe Developer Console project JSON with one OAuth Server-to-Server credential; pass it as `credentials`, with `ims-endpoint`. Masked.',
  },
  'service-client-id': {
    description: 'Client id of the throwaway service credentials, `mock-ims-cm-p…-integration-…`.',
  },
  'oauth-client-id': {
    description: 'Client id of the throwaway OAuth Server-to-Server credential, `mock-ims-` and 32 hex digits.',
  },
  'org-id': {
    description: 'IMS organization id of both throwaway credentials, `mock-ims-…@AdobeOrg`.',
  },
  'validate-token-url': {
    description:
      'The mock IMS\'s `/ims/validate_token/v1` URL, to check a token in a later step: POST `type=access_token` and `client_id`, with the token as `Authorization: Bearer`; it answers `{"valid":true}` or `{"valid":false,"reason":…}`.',
  },
} as const satisfies Readonly<Record<string, { readonly description: string }>>
export type MockOutputName = keyof typeof MOCK_OUTPUTS
export const MOCK_OUTPUT_NAMES = Object.keys(MOCK_OUTPUTS) as MockOutputName[]

/** The rehearsed failures, by the value of `fail-with`. */
export const FAILURES = ['invalid_client', '429', '503'] as const
export type Failure = (typeof FAILURES)[number]

/** What the emulator process is started with: plain JSON, written to its folder by the main step. */
export interface MockImsSettings {
  readonly port: number
  readonly tokenLifetimeSeconds: number
  readonly metascopes: readonly string[]
  readonly scopes: readonly string[]
  /** The next this many token requests (JWT exchange or client credentials) get `failWith`. */
  readonly failTokenRequests: number
  readonly failWith: Failure
  readonly retryAfterSeconds: number
  /** Token requests a second that pass a token bucket (emulator/throttle.ts); 0 for no throttle. */
  readonly throttleRate: number
}

/** A bad input: the message names it and says what it takes. */
export class MockInputError extends Error {}

/** The paths of the token requests, which the rehearsed failures answer. */
export const TOKEN_PATHS = ['/ims/exchange/jwt', '/ims/token/v3'] as const

function wholeNumber(name: MockInputName, value: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max)
    throw new MockInputError(`Input ${name} must be a whole number from ${min} to ${max}.`)
  return Number(value)
}

function list(name: MockInputName, value: string): string[] {
  const items = value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean)
  if (items.length === 0 || items.some((item) => !/^[A-Za-z0-9._:-]{1,200}$/.test(item)))
    throw new MockInputError(`Input ${name} must be a comma-separated list of names (letters, digits, ".", "_", ":" and "-").`)
  return items
}

/** Reads the inputs through `input` (an empty one takes its default); throws a MockInputError naming a bad one. */
export function readSettings(input: (name: MockInputName) => string): MockImsSettings {
  const read = (name: MockInputName): string => input(name).trim() || MOCK_INPUTS[name].default
  const failWith = read('fail-with')
  if (!(FAILURES as readonly string[]).includes(failWith))
    throw new MockInputError(`Input fail-with must be one of ${FAILURES.join(', ')}.`)
  return {
    port: wholeNumber('port', read('port'), 0, 65535),
    tokenLifetimeSeconds: wholeNumber('token-lifetime', read('token-lifetime'), 1, 86399),
    metascopes: list('metascopes', read('metascopes')),
    scopes: list('scopes', read('scopes')),
    failTokenRequests: wholeNumber('fail-token-requests', read('fail-token-requests'), 0, 1000),
    failWith: failWith as Failure,
    retryAfterSeconds: wholeNumber('retry-after', read('retry-after'), 0, 30),
    throttleRate: wholeNumber('throttle-rate', read('throttle-rate'), 0, 1000),
  }
}

/** IMS's answer for each rehearsed failure, as the real one looks (docs/ims-protocol.md). */
export function failureAnswer(settings: Pick<MockImsSettings, 'failWith' | 'retryAfterSeconds'>): Fault {
  const json = (error: string, description: string): string => JSON.stringify({ error, error_description: description })
  const contentType = { 'content-type': 'application/json;charset=utf-8' }
  switch (settings.failWith) {
    case 'invalid_client':
      return { kind: 'answer', status: 400, headers: contentType, body: json('invalid_client', 'invalid client_secret parameter') }
    case '429':
      return {
        kind: 'answer',
        status: 429,
        headers: { ...contentType, 'retry-after': String(settings.retryAfterSeconds) },
        body: json('too_many_requests', 'Too many requests'),
      }
    case '503':
      return { kind: 'answer', status: 503, headers: contentType, body: json('internal_error', 'Please try again later') }
  }
}

/**
 * The emulator's options for these settings: loopback only, plain http (an address, never an Adobe host
 * name), rehearsed failures for token requests only. A new setting that the emulator takes (such as a
 * throttle) goes here.
 */
export function emulatorOptions(settings: MockImsSettings): EmulatorOptions {
  return {
    host: '127.0.0.1',
    port: settings.port,
    jwtTokenLifetimeMs: settings.tokenLifetimeSeconds * 1000,
    oauthTokenLifetimeSeconds: settings.tokenLifetimeSeconds,
    faultPaths: TOKEN_PATHS,
    // The throttle answers 429 with the same Retry-After as a rehearsed 429.
    ...(settings.throttleRate > 0 ? { throttle: { rate: settings.throttleRate, retryAfterSeconds: settings.retryAfterSeconds } } : {}),
  }
}
