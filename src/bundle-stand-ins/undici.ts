/**
 * Stands in for `undici` in dist/index.js (see README.md here): @actions/http-client imports ProxyAgent
 * only for getAgentDispatcher(), which this action never calls.
 */
export class ProxyAgent {
  constructor() {
    throw new Error(
      'undici is left out of this bundle: HttpClient.getAgentDispatcher() is not available (see src/bundle-stand-ins/README.md)',
    )
  }
}
