import { InputError } from './errors.js'

/** Every input of action.yml. The names are the public contract. */
export const INPUT_NAMES = [
  'credentials',
  'client-id',
  'client-secret',
  'technical-account-id',
  'org-id',
  'private-key',
  'private-key-passphrase',
  'metascopes',
  'scopes',
  'auth-type',
  'ims-endpoint',
  'export-env',
  'max-attempts',
  'request-timeout',
  'summary',
] as const

export type InputName = (typeof INPUT_NAMES)[number]
export type RawInputs = Readonly<Record<InputName, string>>

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
