/**
 * A small forward proxy on loopback that answers CONNECT, as corporate proxies do for https. Every tunnel
 * goes to `target` (the emulator) whatever host was asked for, so the action can use IMS's real host
 * name; each CONNECT is recorded.
 */
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

export class ConnectProxy {
  /** `host:port` of each CONNECT, in order. */
  readonly tunnels: string[] = []
  private readonly sockets = new Set<Socket>()

  private constructor(private readonly server: Server) {}

  static async start(target: { readonly host: string; readonly port: number }): Promise<ConnectProxy> {
    const server = createServer((_request, response) => {
      response.writeHead(405).end('this proxy only tunnels')
    })
    const proxy = new ConnectProxy(server)
    server.on('connect', (request, client: Socket, head: Buffer) => {
      proxy.tunnels.push(request.url ?? '')
      const upstream = connect(target.port, target.host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      for (const socket of [client, upstream]) {
        proxy.sockets.add(socket)
        socket.on('error', () => socket.destroy())
        socket.on('close', () => {
          proxy.sockets.delete(socket)
          client.destroy()
          upstream.destroy()
        })
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return proxy
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}
