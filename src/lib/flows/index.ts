/**
 * Every way of authenticating with IMS, one module each. To add a flow: a module in this folder that
 * gives a FlowModule (flow.ts), its credentials type in FlowCredentials, and its entry in FLOWS; the
 * compiler then points at anything else that must know of it.
 */
import type { FieldName } from '../action-inputs.js'
import type { ImsToken, RequestSettings } from '../ims-request.js'
import type { Reporter } from '../reporter.js'
import type { FlowModule } from './flow.js'
import { oauthServerToServer, type OAuthServerToServerCredentials } from './oauth-server-to-server.js'
import { serviceAccount, type ServiceAccountCredentials } from './service-account.js'

/** Each flow's checked credentials, by the name `auth-type` gives the flow. */
export interface FlowCredentials {
  readonly jwt: ServiceAccountCredentials
  readonly oauth: OAuthServerToServerCredentials
}

export type Flow = keyof FlowCredentials

/** The flows, in the order `auth-type: auto` considers them. */
export const FLOWS: { readonly [F in Flow]: FlowModule<FlowCredentials[F], FieldName> } = {
  jwt: serviceAccount,
  oauth: oauthServerToServer,
}

export const FLOW_KEYS = Object.keys(FLOWS) as Flow[]

/** Asks IMS for a token the way `flow` does. */
export function getToken<F extends Flow>(
  flow: F,
  credentials: FlowCredentials[F],
  reporter: Reporter,
  settings: RequestSettings,
): Promise<ImsToken> {
  return FLOWS[flow].getToken(credentials, reporter, settings)
}

/** The scopes `flow`'s request asks for, for the summary. */
export function requestedScopes<F extends Flow>(flow: F, credentials: FlowCredentials[F]): readonly string[] {
  return FLOWS[flow].requestedScopes(credentials)
}
