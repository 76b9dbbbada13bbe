/**
 * The mock IMS action's inputs (mock-ims/action.yml), read and checked into the settings the emulator
 * process starts with. Pure: the entry passes `core.getInput`.
 */
import type { EmulatorOptions, Fault } from '../../emulator/ims-emulator.js'

/** Every input of mock-ims/action.yml, with its default (a test keeps the two in step). */
export const MOCK_INPUTS = {
  port: '0',
  'token-lifetime': '86399',
  metascopes: 'ent_aem_cloud_api',
  scopes: 'openid,AdobeID,read_organizations',
  'fail-token-requests': '0',
  'fail-with': 'invalid_client',
  'retry-after': '1',
  'throttle-rate': '0',
} as const satisfies Readonly<Record<string, string>>

export type MockInputName = keyof typeof MOCK_INPUTS

/** Every output of mock-ims/action.yml, in its order (a test keeps the two in step). */
export const MOCK_OUTPUTS = [
  'ims-endpoint',
  'service-credentials',
  'oauth-credentials',
  'service-client-id',
  'oauth-client-id',
  'org-id',
  'validate-token-url',
] as const
export type MockOutputName = (typeof MOCK_OUTPUTS)[number]

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
  const read = (name: MockInputName): string => input(name).trim() || MOCK_INPUTS[name]
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
