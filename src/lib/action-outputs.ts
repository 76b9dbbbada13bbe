/**
 * The action's outputs: one row each, the single source of truth for action.yml's `outputs` and the
 * README table (`npm run docs`); main.ts sets exactly these.
 */
export const OUTPUTS = {
  'access-token': {
    description:
      'The IMS access token, masked in the log. Send it as `Authorization: Bearer <token>`. The runner drops masked values from job outputs: get a token in each job that needs one.',
  },
  'token-type': { description: 'The token type as IMS answers it, `bearer`.' },
  'expires-in': {
    description:
      'Seconds until the token expires, a whole number rounded down (the JWT exchange answers in milliseconds, /ims/token/v3 in seconds; both become seconds).',
  },
  'expires-at': { description: 'When the token expires, ISO 8601 in UTC, such as `2026-11-26T09:30:00Z`.' },
  'client-id': {
    description:
      'The client id (API key) the token was issued to, from the input or `credentials`; not a secret, not masked. Send it as `x-api-key`.',
  },
  'org-id': {
    description:
      'The IMS organization id, `…@AdobeOrg`, from the input or `credentials`; not a secret, not masked. Send it as `x-gw-ims-org-id`. Empty when not known (OAuth without an org in `credentials` or inputs).',
  },
  'certificate-expires-at': {
    description:
      "When the integration's certificate expires, ISO 8601 in UTC, such as `2027-11-26T09:30:00Z`, when the credentials carry one (AEM service credentials do, as `integration.publicKey`); empty otherwise. IMS refuses JWTs signed with its key once it has expired: a scheduled workflow can warn weeks ahead (README, Recipes).",
  },
} as const satisfies Readonly<Record<string, { readonly description: string }>>

export type OutputName = keyof typeof OUTPUTS

/** Every output, in action.yml's order. */
export const OUTPUT_NAMES = Object.keys(OUTPUTS) as OutputName[]
