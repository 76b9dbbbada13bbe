/**
 * The post step's work: invalidate the token the main step got, at the same IMS, with the client id and
 * secret read from the same inputs. It never fails the job: whatever goes wrong is one warning line that
 * says until when the token stays valid.
 */
import { defaultOf, type InputName, readInputs } from './action-inputs.js'
import { networkFingerprint, prepareEnvironment } from './environment.js'
import { ActionError } from './errors.js'
import { type AnswerReader, type ErrorHint, readInvalidationAnswer, serverSideHint } from './ims-answer.js'
import { type RequestSettings, sendImsRequest } from './ims-request.js'
import { booleanOf } from './input-checks.js'
import { maskSecretInputs, planFromInputs } from './plan.js'
import { quietReporter, type Reporter } from './reporter.js'

/** The names under which the main step keeps what the post step needs, in GITHUB_STATE (STATE_<name> for the post step). */
export const STATE = { token: 'token', expiresAt: 'expires-at', network: 'network' } as const

/**
 * What the main step keeps for the post step: the token, when it expires and a hash of the network
 * settings it got the token through (`networkFingerprint`), and nothing else.
 */
export type SavedState = Readonly<Record<(typeof STATE)[keyof typeof STATE], string>>

/** The state to save after a token arrives, or nothing when the token is not to be invalidated. */
export function stateToSave(invalidateToken: boolean, accessToken: string, expiresAt: string, network: string): SavedState | undefined {
  return invalidateToken ? { [STATE.token]: accessToken, [STATE.expiresAt]: expiresAt, [STATE.network]: network } : undefined
}

/** Path of the invalidation endpoint, as `@adobe/aio-lib-ims` calls it (docs/ims-protocol.md). */
export const INVALIDATE_PATH = '/ims/invalidate_token/v2'

const invalidationHint: ErrorHint = (error, status) => {
  if (error.error === 'invalid_token')
    return 'IMS does not know this token for this client: it may have expired or been invalidated already.'
  if (error.error === 'invalid_client') return 'IMS did not accept the client id and secret, which the main step used successfully.'
  return serverSideHint(status)
}

/**
 * The post step's own retry budget, whatever `retry-budget` says: a failed invalidation is only a warning,
 * and the job should not wait on it for long.
 */
export const POST_STEP_RETRY_BUDGET_MS = 15_000

/** What the post step did: for its tests, and nothing the log does not already say. */
export type PostOutcome = 'not-asked' | 'invalidated' | 'network-changed' | 'failed'

/**
 * The post step: registers the saved token and the secret inputs as secrets, then, when the main step saved one and
 * `invalidate-token` is on, reads the inputs again as the main step did (quietly: its lines become debug
 * lines) and asks IMS to invalidate the token. Success is one info line, any failure one warning line.
 */
export async function invalidateSavedToken(
  state: Readonly<Record<string, string>>,
  getInput: (name: InputName) => string,
  /** process.env at the entry: made safe for the request as the main step makes it (environment.ts). */
  env: Record<string, string | undefined>,
  reporter: Reporter,
  settings: Omit<RequestSettings, 'timeoutMs' | 'maxAttempts' | 'budgetMs' | 'budgetName'>,
): Promise<PostOutcome> {
  const token = state[STATE.token] ?? ''
  if (token !== '') reporter.maskSecret(token)
  const expiresAt = state[STATE.expiresAt] || 'it expires'
  try {
    const inputs = readInputs(getInput)
    maskSecretInputs(inputs, reporter)
    if (!booleanOf(inputs['invalidate-token'], 'invalidate-token', defaultOf('invalidate-token') === 'true')) {
      reporter.debug('invalidate-token is false: the token is left valid until it expires.')
      return 'not-asked'
    }
    if (token === '') {
      reporter.debug('No token in the step state (the main step failed or was skipped): nothing to invalidate.')
      return 'not-asked'
    }
    prepareEnvironment(env, reporter)
    // A later step may have set a proxy or a CA through GITHUB_ENV: neither the client secret nor the token
    // goes through a network the main step did not use.
    if (networkFingerprint(env) !== state[STATE.network]) {
      reporter.warning(
        `The access token was not invalidated at IMS; it stays valid until ${expiresAt}. The network settings (proxy variables, NO_PROXY or the CA certificates: NODE_EXTRA_CA_CERTS, SSL_CERT_FILE and the like) changed after the main step, probably through GITHUB_ENV in a later step, so nothing was sent through them.`,
      )
      return 'network-changed'
    }
    const plan = planFromInputs(inputs, quietReporter(reporter), settings.now())
    const { clientId, clientSecret, imsOrigin } = plan.credentials
    const read: AnswerReader<true> = (answer, attempt) => readInvalidationAnswer(answer, request, attempt)
    const request = {
      url: `${imsOrigin}${INVALIDATE_PATH}`,
      operation: 'the token invalidation',
      secretFields: ['token', 'client_secret'],
      hint: invalidationHint,
      form: () => Promise.resolve({ token_type: 'access_token', token, client_id: clientId, client_secret: clientSecret }),
      read,
    }
    const budget = { budgetMs: POST_STEP_RETRY_BUDGET_MS, budgetName: "the post step's retry budget" }
    await sendImsRequest(request, reporter, { ...settings, timeoutMs: plan.requestTimeoutMs, maxAttempts: plan.maxAttempts, ...budget })
    reporter.info('The access token was invalidated at IMS.')
    return 'invalidated'
  } catch (error) {
    const reason =
      error instanceof ActionError ? error.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`
    reporter.warning(`The access token could not be invalidated at IMS; it stays valid until ${expiresAt}. ${reason}`)
    return 'failed'
  }
}
