// One exchange written by hand on a new connection: what Node's own client never sends (an HTTP/1.0 chunked request,
// a tab after a framing value, Transfer-Encoding beside Content-Length).
import { connect } from 'node:net';

/**
 * Writes `bytes` on a new connection and reads all that comes back (as UTF-8) until the server closes it. The client
 * ends its side after writing, unless `keepOpen` (a client waiting for its answers, whose close a server might read as
 * the end of its request).
 */
export function rawExchange(url: string, bytes: string, { keepOpen = false }: { keepOpen?: boolean } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => (keepOpen ? socket.write(bytes) : socket.end(bytes)));
    let text = '';
    socket.setEncoding('utf8').on('data', (c: string) => (text += c));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}
