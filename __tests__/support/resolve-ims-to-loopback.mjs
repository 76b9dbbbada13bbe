// Preloaded into the action's process by the proxy tests (NODE_OPTIONS=--import): stands in for DNS so
// that ims-na1.adobelogin.com is this machine, where the TLS emulator listens. Nothing else changes.
import dns from 'node:dns'

const lookup = dns.lookup
dns.lookup = function (hostname, options, callback) {
  return lookup.call(this, hostname === 'ims-na1.adobelogin.com' ? '127.0.0.1' : hostname, options, callback)
}
