/**
 * Stands in for `tunnel` in dist/index.js (see README.md here): @actions/http-client imports it at load
 * time, and with it node:assert and node:net, but calls it only to reach a proxy. This module loads the
 * real library on that first call, so a run without a proxy never evaluates it.
 */
import type { Agent } from 'node:http'

type AgentFactory = (options: object) => Agent
interface Tunnel {
  readonly httpOverHttp: AgentFactory
  readonly httpsOverHttp: AgentFactory
  readonly httpOverHttps: AgentFactory
  readonly httpsOverHttps: AgentFactory
}

let tunnel: Tunnel | undefined
// `tunnel/lib/tunnel.js`, not `tunnel`, which tsconfig maps to this module. ncc bundles a require() in
// place and runs the module on the first call, where an import would run it at start-up.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
const real = (): Tunnel => (tunnel ??= require('tunnel/lib/tunnel.js') as Tunnel)

export const httpOverHttp: AgentFactory = (options) => real().httpOverHttp(options)
export const httpsOverHttp: AgentFactory = (options) => real().httpsOverHttp(options)
export const httpOverHttps: AgentFactory = (options) => real().httpOverHttps(options)
export const httpsOverHttps: AgentFactory = (options) => real().httpsOverHttps(options)
