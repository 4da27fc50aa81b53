import net from 'node:net'

/** A TCP relay in front of a server, whose open connections a test can make fall silent. */
export interface Relay {
  /** Where to connect instead of the server. */
  readonly baseUrl: string
  /**
   * The connections open now pass nothing more, either way, and are not closed: what a phone that
   * lost its signal looks like to both ends until their own timeouts notice. When one end gives up,
   * the other is not told (no FIN crosses a dead line). New ones pass as usual.
   */
  fallSilent(): void
  /** The silent connections end, as the network stack would give up on them at last. */
  dropSilent(): void
  close(): Promise<void>
}

export async function relayTo(port: number): Promise<Relay> {
  const open = new Set<net.Socket>()
  const silent = new Set<net.Socket>()
  const relay = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1')
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      open.add(from)
      from.on('data', (data) => { if (!silent.has(from)) to.write(data) })
      from.on('error', () => { to.destroy() })
      from.on('close', () => {
        if (!silent.has(from)) to.destroy()
        open.delete(from)
        silent.delete(from)
      })
    }
  })
  await new Promise<void>((resolve) => { relay.listen(0, '127.0.0.1', resolve) })
  const address = relay.address()
  if (address === null || typeof address === 'string') throw new Error('the relay has no port')
  return {
    baseUrl: `http://127.0.0.1:${String(address.port)}`,
    fallSilent() {
      for (const socket of open) silent.add(socket)
    },
    dropSilent() {
      for (const socket of silent) socket.destroy()
    },
    async close() {
      for (const socket of open) socket.destroy()
      await new Promise<void>((resolve) => { relay.close(() => { resolve() }) })
    },
  }
}
