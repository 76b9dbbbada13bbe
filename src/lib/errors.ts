/**
 * Errors the action expects and explains. main.ts prints their message as the one line of the failed
 * step: no stack trace, and by construction no secret material in the text.
 */
export class ActionError extends Error {
  override name = 'ActionError'
}

/** What the workflow passed in is missing, malformed or contradictory. Raised before any request. */
export class InputError extends ActionError {
  override name = 'InputError'
}

/** The token request went out but did not end in a token. */
export class ImsRequestError extends ActionError {
  override name = 'ImsRequestError'
}
