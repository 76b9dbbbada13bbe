import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http'
import { HttpClient } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'

export const USER_AGENT = 'aem-ims-token-action'

/** IMS answers are a few KB; anything past this is not read, so a wrong endpoint cannot fill memory. */
const MAX_BODY_BYTES = 1024 * 1024

/** An HTTP answer, read whole. */
export interface HttpAnswer {
  readonly status: number
  readonly statusText: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/**
 * The request did not get a whole answer: no connection, a reset, no answer in time, or an answer cut
 * short. The message is safe to print: it holds no part of the request.
 */
export class TransportFault extends Error {
  override name = 'TransportFault'
}

/** Lets each attempt carry its own abort signal, which is what enforces `timeoutMs` from connect to last byte. */
function abortOn(signal: AbortSignal): RequestHandler {
  return {
    prepareRequest(options: RequestOptions): void {
      options.signal = signal
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not used')),
  }
}

function readBody(message: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cutShort = (): void => {
      const type = message.headers['content-type'] ?? 'no content type'
      reject(new TransportFault(`the connection closed before the whole answer arrived (${message.statusCode ?? 0}, ${type})`))
    }
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

function describeConnectionError(error: unknown): string {
  const code = (error as { code?: unknown }).code
  const message = error instanceof Error ? error.message : String(error)
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message
}

/**
 * POSTs `fields` form-urlencoded to `url` in one attempt and reads the whole answer. Redirects are not
 * followed: the body carries secrets. Proxies come from HTTPS_PROXY / NO_PROXY through @actions/http-client.
 */
export async function postForm(url: string, fields: Readonly<Record<string, string>>, timeoutMs: number): Promise<HttpAnswer> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  const client = new HttpClient(USER_AGENT, [abortOn(controller.signal)], {
    allowRedirects: false,
    allowRetries: false,
    keepAlive: false,
  })
  try {
    const response = await client.request('POST', url, new URLSearchParams(fields).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    })
    const body = await readBody(response.message, controller.signal)
    return {
      status: response.message.statusCode ?? 0,
      statusText: response.message.statusMessage ?? '',
      headers: response.message.headers,
      body,
    }
  } catch (error) {
    if (controller.signal.aborted) throw new TransportFault(`no whole answer within ${timeoutMs / 1000} s`)
    if (error instanceof TransportFault) throw error
    throw new TransportFault(describeConnectionError(error))
  } finally {
    clearTimeout(timer)
    client.dispose()
  }
}
