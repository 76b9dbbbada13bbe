/**
 * What a way of authenticating with IMS (a flow) provides. Each flow is one module in this folder and one
 * entry of FLOWS (index.ts), which the compiler holds to this shape for every flow there is.
 */
import type { FieldName, Fields, InputName, RawInputs, Sourced } from '../action-inputs.js'
import type { ErrorHint } from '../ims-answer.js'
import type { ImsToken, RequestSettings } from '../ims-request.js'
import type { Reporter } from '../reporter.js'

/** What every flow's checked credentials carry, for the log and the job summary. */
export interface CommonCredentials {
  /** Scheme and host of IMS, e.g. `https://ims-na1.adobelogin.com`. */
  readonly imsOrigin: string
  readonly clientId: string
  /** Sent with every request to IMS, the token invalidation of the post step included. */
  readonly clientSecret: string
  /** The IMS organization, when known. */
  readonly orgId: string | undefined
  /** When the integration's certificate expires, when the credentials carry one that can be read. */
  readonly certificateExpiresAt: Date | undefined
}

/** The fields, with those in `N` known to be present. */
export type FieldsWith<N extends FieldName> = Fields & { readonly [K in N]: NonNullable<Fields[K]> }

/** What building a flow's credentials may use beside the fields. */
interface BuildContext {
  readonly inputs: RawInputs
  /** The integration's certificate, when a `credentials` JSON carries one. */
  readonly certificate: Sourced<string> | undefined
  readonly reporter: Reporter
  /** Milliseconds since the epoch, for certificate expiry. */
  readonly now: number
}

export interface FlowModule<C extends CommonCredentials, N extends FieldName> {
  /** For messages and the summary: "service-account (JWT)". */
  readonly name: string
  /** The fields it cannot do without; each an input or from `credentials`. */
  readonly needs: readonly N[]
  /** Inputs only this flow uses: under `auth-type: auto` they choose it; with another flow they are ignored with a warning. */
  readonly ownInputs: readonly InputName[]
  /** Fields of a `credentials` JSON that point to this flow. */
  readonly ownJsonFields: readonly FieldName[]
  /**
   * Why `auth-type: auto` takes this flow (after "because"), or undefined when it does not. Flows are asked
   * in FLOWS' order; `signals` are this flow's own inputs and JSON fields that were given.
   */
  autoChoice(fields: Fields, signals: readonly string[]): string | undefined
  /** Checks the fields and builds the credentials the request needs; every secret met is masked at once. */
  credentialsFrom(fields: FieldsWith<N>, context: BuildContext): C
  /** Asks IMS for the token. */
  getToken(credentials: C, reporter: Reporter, settings: RequestSettings): Promise<ImsToken>
  /** Advice for the errors IMS gives this flow's request. */
  readonly hint: ErrorHint
  /** The scopes the request asks for, for the summary. */
  requestedScopes(credentials: C): readonly string[]
}
