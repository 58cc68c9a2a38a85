import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts a test server on 127.0.0.1 with a port of the system's choice; `close` ends its connections too. */
export async function listenOnLoopback(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // One close, however often it is asked for (an afterAll after a finally): every call waits for the same one.
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

/**
 * A file's test servers: `serve(handler)` starts one on the loopback (listenOnLoopback) and gives its URL; every one
 * started is closed in the afterAll this registers (call it where a describe's or the file's hooks go).
 */
export function loopbackServers(): (handler: RequestListener) => Promise<string> {
  const servers: { close: () => Promise<void> }[] = [];
  afterAll(async () => Promise.all(servers.map((s) => s.close())));
  return async (handler) => {
    const server = await listenOnLoopback(createServer(handler));
    servers.push(server);
    return server.url;
  };
}
