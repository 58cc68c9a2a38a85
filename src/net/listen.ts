import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A server of the kit's, listening: where it is, and a close that does not wait for its clients. */
export interface Listening {
  /** `http://host:port`, an IPv6 host in brackets, no path. */
  url: string;
  host: string;
  port: number;
  /**
   * Stops listening and ends every connection at once, idle or not (a keep-alive client never holds it open).
   * Given `draining` (requests in flight finishing, bounded by the caller), idle connections end at once and the
   * others once it settles.
   */
  close(draining?: Promise<unknown>): Promise<void>;
}

/**
 * Starts `server` on `host:port` (default 127.0.0.1 and a port of the system's choice) and tracks its sockets, so
 * that `close` ends them all. A failure to listen (EADDRINUSE, EADDRNOTAVAIL) rejects with Node's error, for the
 * caller to word.
 */
export async function listen(server: Server, options: { host?: string; port?: number } = {}): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    host: address.address,
    port: address.port,
    close: async (draining) => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      if (draining) {
        server.closeIdleConnections();
        await draining;
      }
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}
