import { type IncomingHttpHeaders, type IncomingMessage, STATUS_CODES } from 'node:http'
import type { RequestOptions as HttpsRequestOptions } from 'node:https'
import { HttpClient } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'
import { oneLine } from './log-text.js'

const USER_AGENT = 'aem-ims-token-action'

/** IMS answers are a few KB; anything past this is not read, so a wrong endpoint cannot fill memory. */
const MAX_BODY_BYTES = 1024 * 1024

/** An HTTP answer, read whole. The status line's reason phrase is left out: the server chooses it, and it is never quoted. */
export interface HttpAnswer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/**
 * The request did not get a whole answer: no connection, a reset, no answer in time, an answer cut
 * short, or a TLS certificate it could not trust. The message is safe to print: it holds no part of the
 * request.
 */
export class TransportFault extends Error {
  override name = 'TransportFault'
  constructor(
    message: string,
    /** Worth another attempt: false for faults that repeat, such as an untrusted certificate. */
    readonly transient = true,
  ) {
    super(message)
  }
}

/**
 * The connection errors worth another attempt, in plain words. Any other error (a TLS handshake that
 * fails, a certificate not yet valid, an answer that is not HTTP) says the same on every attempt.
 * `tunnel` reports a proxy's failure as ECONNRESET.
 */
const TRANSIENT_CONNECTION_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ECONNABORTED: 'the connection was aborted',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'connecting timed out',
  ENOTFOUND: 'the host name was not found (DNS)',
  EAI_AGAIN: 'the host name could not be looked up for now (DNS)',
  EHOSTUNREACH: 'the host could not be reached',
  ENETUNREACH: 'the network could not be reached',
}

/**
 * TLS errors that mean "this certificate is not trusted here": retrying will not help; NODE_EXTRA_CA_CERTS may, or
 * NODE_USE_SYSTEM_CA=1 (Node.js 24.6 and later) where the network's CA is in the operating system's store.
 */
const UNTRUSTED_CERTIFICATE =
  /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_UNTRUSTED|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)$/

/**
 * Sets what each attempt needs on its request options: its own abort signal, which is what enforces
 * `timeoutMs` from connect to last byte; TLS verification; and an IPv6 host without brackets.
 */
function attemptHandler(signal: AbortSignal): RequestHandler {
  return {
    prepareRequest(options: HttpsRequestOptions): void {
      options.signal = signal
      // Always verified, whatever NODE_TLS_REJECT_UNAUTHORIZED says (main.ts also removes it): directly
      // through the request's options; through a proxy through the tunnel agent's, from which tunnel
      // builds its TLS options, ignoring the request's.
      options.rejectUnauthorized = true
      const agent: unknown = options.agent
      if (typeof agent === 'object' && agent !== null && 'proxyOptions' in agent && 'options' in agent) {
        Object.assign(agent.options as object, { rejectUnauthorized: true })
        sendProxyCredentialsItself(agent as unknown as TunnelAgent)
      }
      // http-client passes the URL's hostname, `[::1]`, which DNS cannot look up; Node wants `::1`.
      if (options.host?.startsWith('[') && options.host.endsWith(']')) options.host = options.host.slice(1, -1)
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not used')),
  }
}

/** What this module touches of a `tunnel` agent (the one @actions/http-client builds for a proxy). */
interface TunnelAgent {
  readonly proxyOptions: { proxyAuth?: string }
  request: (options: { headers?: Record<string, string> }) => unknown
}

/**
 * Sends the proxy's user and password in the CONNECT's Proxy-Authorization header as `tunnel` would, but
 * encoded with `Buffer.from`: `tunnel` encodes them with `new Buffer()`, and Node then prints a DEP0005
 * deprecation warning into the step log. `tunnel` calls the agent's own `request` for the CONNECT.
 */
function sendProxyCredentialsItself(agent: TunnelAgent): void {
  const credentials = agent.proxyOptions.proxyAuth
  if (!credentials) return
  delete agent.proxyOptions.proxyAuth
  const request = agent.request
  const authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
  agent.request = (options) => request({ ...options, headers: { ...options.headers, 'Proxy-Authorization': authorization } })
}

function readBody(message: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    // Nothing the server chose (such as its content type) is quoted: this message is printed unredacted.
    const cutShort = (): void =>
      reject(new TransportFault(`the connection closed before the whole answer arrived (status ${message.statusCode ?? 0})`))
    message.on('data', (chunk: Buffer) => {
      if (size < MAX_BODY_BYTES) chunks.push(chunk)
      size += chunk.length
    })
    message.on('end', () => resolve(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8')))
    message.on('error', () => (signal.aborted ? undefined : cutShort()))
    message.on('close', () => (message.complete || signal.aborted ? undefined : cutShort()))
    signal.addEventListener('abort', () => reject(new TransportFault('aborted')), { once: true })
  })
}

function connectionFault(error: unknown, timeoutMs: number): TransportFault {
  const rawCode = (error as { code?: unknown }).code
  const code = typeof rawCode === 'string' ? rawCode : ''
  // Not `instanceof Error`: errors from Node's internals can come from another realm (as under jest).
  const rawMessage = (error as { message?: unknown }).message
  const message = oneLine(typeof rawMessage === 'string' ? rawMessage : String(error))
  if (UNTRUSTED_CERTIFICATE.test(code)) {
    return new TransportFault(
      `the TLS certificate was not trusted (${code}: ${message}). If your network inspects TLS, set NODE_EXTRA_CA_CERTS in the step's env to a file holding its CA certificate, or, where that CA is installed in the operating system's certificate store, NODE_USE_SYSTEM_CA=1 (Node.js 24) to trust that store`,
      false,
    )
  }
  const proxyStatus = /tunneling socket could not be established, statusCode=(\d{3})/.exec(message)?.[1]
  if (proxyStatus) return proxyFault(Number(proxyStatus))
  // TLS spoken to a server that answers plain http, such as the emulator given without http://.
  if (code === 'EPROTO' && /wrong version number|packet length too long|http request/i.test(message)) {
    return new TransportFault(
      `the server did not answer TLS (${code}: ${message}): it may speak plain http. Check the scheme of ims-endpoint: a host without a scheme means https; give http://host:port for a local emulator. Gave up: another attempt would fail the same way`,
      false,
    )
  }
  // @actions/http-client's own idle timer (socketTimeout), which can fire just before ours.
  if (message.startsWith('Request timeout')) return timeoutFault(timeoutMs)
  const plain = TRANSIENT_CONNECTION_ERRORS[code]
  return plain ? new TransportFault(`${plain} (${code}: ${message})`) : new TransportFault(code ? `${code}: ${message}` : message, false)
}

/**
 * The proxy answered CONNECT with a status of its own: IMS was never reached. 407 and other 4xx say the
 * same on every attempt; a 5xx (the proxy could not reach IMS, or was busy) may pass.
 */
function proxyFault(status: number): TransportFault {
  const reason = STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''
  if (status === 407) {
    return new TransportFault(
      'the proxy wants credentials it did not get or did not accept (407 Proxy Authentication Required): check the user and password in the proxy variable (http://user:password@host:port, with special characters percent-encoded). Gave up: another attempt would fail the same way',
      false,
    )
  }
  if (status >= 500) return new TransportFault(`the proxy answered ${status}${reason} instead of connecting to IMS: it could not reach IMS`)
  return new TransportFault(
    `the proxy refused to connect to IMS (${status}${reason}): check that it lets this runner reach IMS's host`,
    false,
  )
}

const timeoutFault = (timeoutMs: number): TransportFault => new TransportFault(`no whole answer within ${timeoutMs / 1000} s`)

/**
 * Rejects when `signal` aborts. Raced against each step of a request, so that the timeout holds even
 * where the request has no socket to abort yet, such as a proxy that never answers CONNECT.
 */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new TransportFault('aborted')), { once: true }))
}

/**
 * POSTs `fields` form-urlencoded to `url` in one attempt and reads the whole answer. Redirects are not
 * followed: the body carries secrets. Proxies come from HTTPS_PROXY / NO_PROXY through @actions/http-client.
 */
export async function postForm(url: string, fields: Readonly<Record<string, string>>, timeoutMs: number): Promise<HttpAnswer> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  const aborted = rejectOnAbort(controller.signal)
  // Whichever of a race loses rejects later with nobody awaiting it; these keep that from crashing.
  aborted.catch(() => undefined)
  const client = new HttpClient(USER_AGENT, [attemptHandler(controller.signal)], {
    allowRedirects: false,
    allowRetries: false,
    keepAlive: false,
    socketTimeout: timeoutMs,
  })
  try {
    const request = client.request('POST', url, new URLSearchParams(fields).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    })
    request.catch(() => undefined)
    const response = await Promise.race([request, aborted])
    const body = await readBody(response.message, controller.signal)
    return {
      status: response.message.statusCode ?? 0,
      headers: response.message.headers,
      body,
    }
  } catch (error) {
    if (controller.signal.aborted) throw timeoutFault(timeoutMs)
    if (error instanceof TransportFault) throw error
    throw connectionFault(error, timeoutMs)
  } finally {
    clearTimeout(timer)
    client.dispose()
  }
}
