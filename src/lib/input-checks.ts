import type { Sourced } from './action-inputs.js'
import { exportEnvRefusal } from './configuration-variables.js'
import { InputError } from './errors.js'
import { capitalized } from './log-text.js'

/**
 * Checks that a value has the form IMS expects, so that a swapped or mangled secret fails here, naming
 * where it came from, and not as an obscure IMS error. Values are never repeated in the message.
 */
function checked(field: Sourced<string>, pattern: RegExp, expected: string): string {
  if (!pattern.test(field.value))
    throw new InputError(`${capitalized(field.from)} does not look like ${expected}. Check that the right value is passed.`)
  return field.value
}

export const clientIdOf = (field: Sourced<string>): string =>
  checked(field, /^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/, 'a client id (letters, digits, ".", "_" and "-")')

export const clientSecretOf = (field: Sourced<string>): string =>
  checked(field, /^[\x21-\x7e]{1,1024}$/, 'a client secret (printable characters without spaces)')

export const technicalAccountIdOf = (field: Sourced<string>): string =>
  checked(field, /^[A-Za-z0-9._-]{1,200}@techacct\.adobe\.com$/i, 'a technical account id (…@techacct.adobe.com)')

export const orgIdOf = (field: Sourced<string>): string =>
  checked(field, /^[A-Za-z0-9._-]{1,200}@AdobeOrg$/i, 'an IMS organization id (…@AdobeOrg)')

/** Metascopes are short names (`ent_aem_cloud_api`) or full metascope URLs. */
export function metascopesOf(field: Sourced<readonly string[]>): string[] {
  return field.value.map((metascope) =>
    checked(
      { value: metascope, from: field.from },
      /^([A-Za-z0-9._-]{1,200}|https?:\/\/[A-Za-z0-9.-]+(:\d+)?\/s\/[A-Za-z0-9._-]{1,200})$/,
      'a list of metascopes (names such as ent_aem_cloud_api, or https://<ims host>/s/<name>)',
    ),
  )
}

/** OAuth scopes such as `openid`, `AdobeID` or `additional_info.projectedProductContext`. */
export function scopesOf(field: Sourced<readonly string[]>): string[] {
  return field.value.map((scope) =>
    checked(
      { value: scope, from: field.from },
      /^[A-Za-z0-9._:/-]{1,200}$/,
      'a list of OAuth scopes (such as openid, AdobeID, read_organizations)',
    ),
  )
}

/** The name for `export-env`: of the shape configuration-variables.ts accepts, outside the prefixes tools own. */
export function exportEnvNameOf(value: string): string | undefined {
  if (value === '') return undefined
  const refusal = exportEnvRefusal(value)
  if (refusal) throw new InputError(refusal)
  return value
}

/** A whole number in [min, max]; '' means the default. */
export function wholeNumberOf(value: string, name: string, fallback: number, min: number, max: number): number {
  if (value === '') return fallback
  if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(`Input ${name} must be a whole number from ${min} to ${max} (default ${fallback}).`)
  }
  return Number(value)
}

/** A boolean input as the runner's YAML 1.2 core schema spells it; '' means the default. */
export function booleanOf(value: string, name: string, fallback: boolean): boolean {
  if (value === '') return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(`Input ${name} must be true or false (default ${String(fallback)}).`)
}
