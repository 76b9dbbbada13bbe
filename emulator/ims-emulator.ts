/**
 * An Adobe IMS emulator: a real HTTP(S) server on loopback that checks what IMS checks and answers as IMS
 * answers (see docs/ims-protocol.md). It serves the tests, `npm start` and the benchmark.
 *
 *   POST /ims/exchange/jwt  service-account JWT exchange: client id and secret, the JWT's RS256 signature
 *                           against the integration's public key, exp, iss, sub, aud and the metascopes.
 *                           `expires_in` in milliseconds.
 *   POST /ims/token/v3      OAuth client credentials: grant type, client id and secret, scopes.
 *                           `expires_in` in seconds.
 *   POST /ims/invalidate_token/v2
 *                           invalidates an access token (`token_type=access_token`, `token`, `client_id`,
 *                           `client_secret`) that was issued to that client; 200 with an empty body.
 *   POST /ims/validate_token/v1
 *                           `type=access_token`, `client_id`, the token as `Authorization: Bearer`;
 *                           answers `{"valid": true}` or `{"valid": false, "reason": ...}`.
 *
 * Faults queued with `injectFaults` answer the next requests instead, one each, in order. With `throttle`,
 * token requests meet a rate limit, an outage or a slow answer first (throttle.ts).
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto'
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { compactVerify, decodeJwt, decodeProtectedHeader, SignJWT } from 'jose'
import { Throttle, type ThrottleOptions } from './throttle.js'

/** A service-account integration as IMS knows it: the certificate's public key is the binding. */
export interface JwtIntegration {
  readonly clientId: string
  readonly clientSecret: string
  readonly orgId: string
  readonly technicalAccountId: string
  /** PEM of the certificate (or public key) uploaded for the integration. */
  readonly certificate: string
  /** Short metascope names the integration holds. */
  readonly metascopes: readonly string[]
}

/** An OAuth Server-to-Server credential. */
export interface OAuthClient {
  readonly clientId: string
  readonly clientSecret: string
  readonly scopes: readonly string[]
}

export type Fault =
  /** A canned answer, with the status line's reason phrase when given. */
  | {
      readonly kind: 'answer'
      readonly status: number
      readonly statusText?: string
      readonly headers?: Readonly<Record<string, string>>
      readonly body?: string
    }
  /** The connection is dropped without an answer. */
  | { readonly kind: 'reset' }
  /** No answer at all until the client gives up. */
  | { readonly kind: 'hang' }
  /** A 200 whose body stops half way. */
  | { readonly kind: 'cut-short' }

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly contentType: string
  readonly userAgent: string
  readonly fields: Readonly<Record<string, string>>
  /** Status sent back, or 0 when the connection was dropped or left hanging. */
  readonly status: number
  /** The access token issued, when one was. */
  readonly accessToken: string | undefined
  /** The request's Authorization header, when it had one. */
  readonly authorization: string | undefined
  /** Date.now() when the request had arrived whole. */
  readonly receivedAt: number
}

export interface EmulatorOptions {
  readonly integrations?: readonly JwtIntegration[]
  readonly oauthClients?: readonly OAuthClient[]
  /** Serve https with this key and certificate instead of http. */
  readonly tls?: { readonly key: string; readonly cert: string }
  /** Loopback address to listen on: 127.0.0.1 (default) or ::1. */
  readonly host?: '127.0.0.1' | '::1'
  /** Port to listen on, 0 (default) for any free one. */
  readonly port?: number
  /** JWT exchange lifetime, milliseconds. */
  readonly jwtTokenLifetimeMs?: number
  /** Client credentials lifetime, seconds. */
  readonly oauthTokenLifetimeSeconds?: number
  /** Queued faults answer only requests to these paths (the mock IMS action rehearses token requests only); default: any. */
  readonly faultPaths?: readonly string[]
  /** Told of each request as it is recorded, before its answer is sent. */
  readonly onRequest?: (request: RecordedRequest) => void
  /** Throttle the token requests: a rate limit, an outage, a slow answer. */
  readonly throttle?: ThrottleOptions
}

/** The path of a request as IMS reads it: no query, and a trailing slash is ignored (@adobe/jwt-auth sends /ims/exchange/jwt/). */
const endpointPath = (request: IncomingMessage): string => (request.url ?? '').split('?')[0]?.replace(/(.)\/$/, '$1') ?? ''

/** IMS tolerates about this much clock skew. */
const CLOCK_SKEW_SECONDS = 30
/** IMS's documented maximum JWT lifetime. */
const MAX_JWT_LIFETIME_SECONDS = 24 * 60 * 60

class ImsAnswer {
  constructor(
    readonly status: number,
    /** A JSON body, or undefined for an empty one (as IMS answers a token invalidation). */
    readonly body: Readonly<Record<string, unknown>> | undefined,
  ) {}
}

/** What the emulator knows of a token it issued. */
interface IssuedToken {
  readonly clientId: string
  readonly expiresAt: number
  invalidated: boolean
}

const imsError = (status: number, error: string, description: string): ImsAnswer =>
  new ImsAnswer(status, { error, error_description: description })

function parseForm(contentType: string, raw: Buffer): Record<string, string> {
  const fields: Record<string, string> = {}
  const boundary = /multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType)?.[1]
  if (boundary) {
    // Adobe's own Node libraries send multipart; IMS takes both.
    for (const part of raw.toString('utf8').split(`--${boundary}`)) {
      const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(part)?.[1]
      const start = part.indexOf('\r\n\r\n')
      if (name !== undefined && start >= 0) fields[name] = part.slice(start + 4).replace(/\r\n$/, '')
    }
    return fields
  }
  for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) fields[name] = value
  return fields
}

export class ImsEmulator {
  readonly requests: RecordedRequest[] = []
  private readonly faults: Fault[] = []
  private readonly sockets = new Set<Socket>()
  private readonly integrations = new Map<string, JwtIntegration & { publicKey: KeyObject }>()
  private readonly oauthClients = new Map<string, OAuthClient>()
  private readonly tokenKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  private readonly issued = new Map<string, IssuedToken>()
  private throttle: Throttle | undefined

  private readonly server: Server

  private constructor(private readonly options: EmulatorOptions) {
    const handler = (request: IncomingMessage, response: ServerResponse): void => void this.handle(request, response)
    this.server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler)
    this.server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    for (const integration of options.integrations ?? []) this.addIntegration(integration)
    for (const client of options.oauthClients ?? []) this.addOAuthClient(client)
    this.throttleWith(options.throttle)
  }

  /** Starts listening on `host`, 127.0.0.1 unless told. */
  static async start(options: EmulatorOptions = {}): Promise<ImsEmulator> {
    const emulator = new ImsEmulator(options)
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject)
      emulator.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
    })
    return emulator
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port
  }

  /** Where to point `ims-endpoint`. */
  get origin(): string {
    const host = this.options.host === '::1' ? '[::1]' : '127.0.0.1'
    return `${this.options.tls ? 'https' : 'http'}://${host}:${this.port}`
  }

  addIntegration(integration: JwtIntegration): void {
    this.integrations.set(integration.clientId, { ...integration, publicKey: createPublicKey(integration.certificate) })
  }

  addOAuthClient(client: OAuthClient): void {
    this.oauthClients.set(client.clientId, client)
  }

  /** From now on, token requests meet this throttle (a fresh one: a full bucket), or none. */
  throttleWith(options: ThrottleOptions | undefined): void {
    this.throttle = options && new Throttle(options)
  }

  /** The next requests get these faults, one each, instead of a normal answer. */
  injectFaults(...faults: Fault[]): void {
    this.faults.push(...faults)
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const contentType = request.headers['content-type'] ?? ''
    const fields = parseForm(contentType, Buffer.concat(chunks))
    const receivedAt = Date.now()
    const record = (status: number, accessToken?: unknown): void => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        contentType,
        userAgent: request.headers['user-agent'] ?? '',
        fields,
        status,
        accessToken: typeof accessToken === 'string' ? accessToken : undefined,
        authorization: request.headers.authorization,
        receivedAt,
      }
      this.requests.push(recorded)
      this.options.onRequest?.(recorded)
    }
    const faultPaths = this.options.faultPaths
    const queued = faultPaths === undefined || faultPaths.includes(endpointPath(request)) ? this.faults.shift() : undefined
    const fault = queued ?? (await this.throttle?.admit(endpointPath(request)))
    if (fault) {
      this.answerWithFault(fault, response)
      record(fault.kind === 'answer' ? fault.status : 0)
      return
    }
    const answer = await this.answer(request, fields)
    record(answer.status, answer.body?.['access_token'])
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body)
    response.writeHead(answer.status, {
      ...(answer.body === undefined ? {} : { 'content-type': 'application/json;charset=utf-8' }),
      'content-length': Buffer.byteLength(body),
      'x-debug-id': randomUUID(),
    })
    response.end(body)
  }

  private answerWithFault(fault: Fault, response: ServerResponse): void {
    switch (fault.kind) {
      case 'answer':
        if (fault.statusText !== undefined) response.statusMessage = fault.statusText
        response.writeHead(fault.status, { 'x-debug-id': randomUUID(), ...fault.headers })
        response.end(fault.body ?? '')
        return
      case 'reset':
        response.socket?.destroy()
        return
      case 'hang':
        return
      case 'cut-short':
        response.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': 400 })
        response.write('{"token_type":"bearer","access_to')
        setTimeout(() => response.socket?.destroy(), 20)
        return
    }
  }

  private async answer(request: IncomingMessage, fields: Record<string, string>): Promise<ImsAnswer> {
    const path = endpointPath(request)
    const endpoints: Readonly<Record<string, () => Promise<ImsAnswer> | ImsAnswer>> = {
      '/ims/exchange/jwt': () => this.exchangeJwt(fields, this.originOf(request)),
      '/ims/token/v3': () => this.clientCredentials(fields),
      '/ims/invalidate_token/v2': () => this.invalidateToken(fields),
      '/ims/validate_token/v1': () => this.validateToken(fields, request.headers.authorization),
    }
    const endpoint = Object.hasOwn(endpoints, path) ? endpoints[path] : undefined
    if (!endpoint) return imsError(404, 'not_found', 'Not found')
    if (request.method !== 'POST') return imsError(405, 'method_not_allowed', 'Method not allowed')
    return endpoint()
  }

  /** The origin IMS is reached under, as the client named it: claims must name the same. */
  private originOf(request: IncomingMessage): string {
    const host = (request.headers.host ?? '').replace(this.options.tls ? /:443$/ : /:80$/, '')
    return `${this.options.tls ? 'https' : 'http'}://${host}`
  }

  /** The client secret registered for a client id, of either kind of client. */
  private secretOf(clientId: string): string | undefined {
    return this.integrations.get(clientId)?.clientSecret ?? this.oauthClients.get(clientId)?.clientSecret
  }

  /** Whether the emulator would now accept `token`, and why not. */
  tokenStatus(token: string): { valid: true } | { valid: false; reason: string } {
    const issued = this.issued.get(token)
    if (!issued) return { valid: false, reason: 'bad_signature' }
    if (issued.invalidated) return { valid: false, reason: 'invalidated' }
    if (issued.expiresAt <= Date.now()) return { valid: false, reason: 'expired' }
    return { valid: true }
  }

  /** As `@adobe/aio-lib-ims` calls it: the client's id and secret, and a token issued to that client. */
  private invalidateToken(fields: Record<string, string>): ImsAnswer {
    const clientId = fields['client_id'] ?? ''
    const secret = this.secretOf(clientId)
    if (secret === undefined) return imsError(400, 'invalid_client', 'invalid client_id parameter')
    if (fields['client_secret'] !== secret) return imsError(401, 'invalid_client', 'invalid client_secret parameter')
    if (fields['token_type'] !== 'access_token') return imsError(400, 'invalid_request', 'invalid token_type parameter')
    const issued = this.issued.get(fields['token'] ?? '')
    if (!issued || issued.clientId !== clientId) return imsError(400, 'invalid_token', 'token was not issued to this client')
    issued.invalidated = true
    return new ImsAnswer(200, undefined)
  }

  private validateToken(fields: Record<string, string>, authorization: string | undefined): ImsAnswer {
    if (fields['type'] !== 'access_token') return imsError(400, 'invalid_request', 'invalid type parameter')
    const clientId = fields['client_id'] ?? ''
    if (this.secretOf(clientId) === undefined) return imsError(400, 'invalid_client', 'invalid client_id parameter')
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1]
    if (token === undefined) return imsError(400, 'invalid_request', 'token is missing')
    const status = this.tokenStatus(token)
    if (status.valid && this.issued.get(token)?.clientId !== clientId)
      return new ImsAnswer(200, { valid: false, reason: 'client_id_mismatch' })
    return new ImsAnswer(200, status)
  }

  private async exchangeJwt(fields: Record<string, string>, origin: string): Promise<ImsAnswer> {
    const integration = this.integrations.get(fields['client_id'] ?? '')
    if (!integration) return imsError(400, 'invalid_client', 'invalid client_id parameter')
    if (fields['client_secret'] !== integration.clientSecret) return imsError(400, 'invalid_client', 'invalid client_secret parameter')
    const jwt = fields['jwt_token'] ?? ''
    let claims: Record<string, unknown>
    try {
      if (decodeProtectedHeader(jwt).alg !== 'RS256') return imsError(400, 'invalid_token', 'JWT signature algorithm must be RS256')
      claims = decodeJwt(jwt)
    } catch {
      return imsError(400, 'invalid_token', 'JWT token is incorrectly formatted, and can not be decoded.')
    }
    try {
      await compactVerify(jwt, integration.publicKey, { algorithms: ['RS256'] })
    } catch {
      return imsError(400, 'invalid_token', 'Could not match JWT signature to any of the bindings')
    }
    const now = Math.floor(Date.now() / 1000)
    const { exp, iss, sub, aud, jti } = claims
    if (typeof exp !== 'number' || !Number.isInteger(exp)) return imsError(400, 'bad_request', 'exp is badly formatted')
    if (exp + CLOCK_SKEW_SECONDS < now) return imsError(400, 'invalid_token', 'JWT token is expired')
    if (exp > now + MAX_JWT_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) return imsError(400, 'bad_request', 'exp is too far in the future')
    if (jti !== undefined && !Number.isInteger(jti)) return imsError(400, 'bad_request', 'jti is badly formatted')
    if (typeof iss !== 'string' || !iss.endsWith('@AdobeOrg')) return imsError(400, 'bad_request', 'iss is badly formatted')
    if (typeof sub !== 'string' || !sub.endsWith('@techacct.adobe.com')) return imsError(400, 'bad_request', 'sub is badly formatted')
    if (iss !== integration.orgId || sub !== integration.technicalAccountId) {
      return imsError(400, 'invalid_token', 'Could not match JWT signature to any of the bindings')
    }
    if (aud !== `${origin}/c/${integration.clientId}`) return imsError(400, 'invalid_client', 'invalid audience for client_id')
    const metascopes: string[] = []
    for (const [name, value] of Object.entries(claims)) {
      const metascope = /^https?:\/\/[^/]+\/s\/(.+)$/.exec(name)
      if (!metascope) continue
      if (value !== true || !name.startsWith(`${origin}/s/`))
        return imsError(400, 'invalid_scope', 'The metascopes in the JWT are not a subset of the metascopes in the binding.')
      metascopes.push(metascope[1] ?? '')
    }
    if (metascopes.length === 0 || metascopes.some((metascope) => !integration.metascopes.includes(metascope))) {
      return imsError(400, 'invalid_scope', 'The metascopes in the JWT are not a subset of the metascopes in the binding.')
    }
    const lifetimeMs = this.options.jwtTokenLifetimeMs ?? 86_399_999
    const accessToken = await this.issueToken(integration.clientId, sub, metascopes, lifetimeMs)
    return new ImsAnswer(200, { token_type: 'bearer', access_token: accessToken, expires_in: lifetimeMs })
  }

  private async clientCredentials(fields: Record<string, string>): Promise<ImsAnswer> {
    if (fields['grant_type'] !== 'client_credentials') return imsError(400, 'unsupported_grant_type', 'invalid grant_type parameter')
    const clientId = fields['client_id'] ?? ''
    const client = this.oauthClients.get(clientId)
    if (!client) {
      return this.integrations.get(clientId)?.clientSecret === fields['client_secret']
        ? imsError(400, 'unauthorized_client', 'Client not authorized for the client_credentials grant')
        : imsError(400, 'invalid_client', 'invalid client_id parameter')
    }
    if (fields['client_secret'] !== client.clientSecret) return imsError(401, 'invalid_client', 'invalid client_secret parameter')
    const scopes = (fields['scope'] ?? '')
      .split(',')
      .map((scope) => scope.trim())
      .filter(Boolean)
    if (scopes.length === 0) return imsError(400, 'invalid_scope', 'scope parameter is missing')
    const unknown = scopes.filter((scope) => !client.scopes.includes(scope))
    if (unknown.length > 0) return imsError(400, 'invalid_scope', `Invalid scope(s): ${unknown.join(',')}`)
    const lifetimeSeconds = this.options.oauthTokenLifetimeSeconds ?? 86_399
    const accessToken = await this.issueToken(clientId, `${clientId}@techacct.adobe.com`, scopes, lifetimeSeconds * 1000)
    return new ImsAnswer(200, { access_token: accessToken, token_type: 'bearer', expires_in: lifetimeSeconds })
  }

  /** An access token shaped like IMS's: a JWT whose payload carries times in milliseconds, as strings. */
  private async issueToken(clientId: string, userId: string, scopes: readonly string[], lifetimeMs: number): Promise<string> {
    const token = await new SignJWT({
      id: randomUUID(),
      type: 'access_token',
      client_id: clientId,
      user_id: userId,
      scope: scopes.join(','),
      created_at: String(Date.now()),
      expires_in: String(lifetimeMs),
    })
      .setProtectedHeader({ alg: 'RS256', x5u: 'ims_na1-key-at-1.cer', kid: 'ims_na1-key-at-1' })
      .sign(this.tokenKey)
    this.issued.set(token, { clientId, expiresAt: Date.now() + lifetimeMs, invalidated: false })
    return token
  }
}
