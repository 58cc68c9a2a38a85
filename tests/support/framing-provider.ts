// A kept-alive provider in front of the reference provider that frames each answer by hand (RFC 9112 §6), so it
// can do what Node's own server never would: chunk extensions and a trailer (correct), a transfer coding besides
// chunked, a second answer to no request after the real one. Requests are read one after another per connection.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { startReferenceProvider } from '../../src/provider';

export type Framing =
  /** Content-Length, as Node frames it. */
  | 'content-length'
  /** Content-Length, then the connection closed after each answer, without `Connection: close` (RFC 9112 §9.6: a MUST). */
  | 'content-length, then closed'
  /**
   * Content-Length, then the connection closed after each answer without `Connection: close`, its close sent late:
   * when the client's next request comes, which it reads and acts on (the create is made) and never answers. The
   * race of a busy server whose close is still on its way when the client writes (outside tester N10), made certain.
   */
  | 'content-length, then closed as the next request comes'
  /** Transfer-Encoding: chunked, 7-byte chunks (then 16 KiB ones) with an extension, and a trailer (correct). */
  | 'chunked'
  /** Transfer-Encoding: gzip, chunked over gzip bytes, to a request that sent no TE. */
  | 'gzip, chunked'
  /** The answer, then a second whole answer in the same write: an answer to no request. */
  | 'an extra answer'
  /** Transfer-Encoding: chunked on two lines, the body chunked once (RFC 9112 §7: chunked applied at most once). */
  | 'chunked on two lines'
  /** Transfer-Encoding: chunked, chunked, the body chunked once. */
  | 'chunked, chunked'
  /** Transfer-Encoding: chunked and Content-Length both (RFC 9112 §6.1: a sender MUST NOT). */
  | 'chunked and Content-Length'
  /** Transfer-Encoding: chunked, every chunk but the zero-size last one, then the connection is closed (RFC 9112 §7.1). */
  | 'chunked, closed before the last chunk'
  /** An HTTP/1.0 status line, the body chunked (RFC 9112 §6.1: an HTTP/1.0 message's framing with Transfer-Encoding is faulty). */
  | 'HTTP/1.0, chunked'
  /** An HTTP/1.0 status line, the body framed by Content-Length, then the connection closed (correct). */
  | 'HTTP/1.0, content-length';

export interface FramingProvider {
  url: string;
  /** Connections the provider took (a client that closes one after an extra answer opens another). */
  connections(): number;
  /** The size in bytes of each answer written (one answer, without an extra one), in order. */
  answerSizes(): number[];
  /** Writes `bytes` on every open connection, and resolves when the client has closed each of them. */
  writeToIdle(bytes: string): Promise<void>;
  close(): Promise<void>;
}

export interface Request {
  method: string;
  path: string;
  headers: [string, string][];
  body: Buffer;
}

/** Takes every whole request (by Content-Length) off the front of `held`; returns them and the rest. */
export function takeRequests(held: Buffer): { requests: Request[]; rest: Buffer } {
  const requests: Request[] = [];
  let rest = held;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [start, ...rows] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const headers = rows.map((r): [string, string] => [r.slice(0, r.indexOf(':')), r.slice(r.indexOf(':') + 1).trim()]);
    const length = Number(headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1] ?? 0);
    if (rest.length < end + 4 + length) break;
    const [method, path] = start.split(' ');
    requests.push({ method, path, headers, body: rest.subarray(end + 4, end + 4 + length) });
    rest = rest.subarray(end + 4 + length);
  }
  return { requests, rest };
}

function chunked(body: Buffer, trailer = 'X-Trailer: done'): Buffer {
  const parts: Buffer[] = [];
  // Ten chunks of 7 bytes, then of 16 KiB: a 4 MB answer (conform's valid creates near the limit echo one) in 7-byte
  // chunks is 570,000 chunks, which took Node's client over 10 s under load.
  for (let i = 0, n = 0; i < body.length; n++) {
    const piece = body.subarray(i, i + (n < 10 ? 7 : 16 * 1024));
    i += piece.length;
    parts.push(Buffer.from(`${piece.length.toString(16)};ext=1\r\n`), piece, Buffer.from('\r\n'));
  }
  return Buffer.concat([...parts, Buffer.from(`0\r\n${trailer}\r\n\r\n`)]);
}

/**
 * `location` rewrites each answer's Location header (the provider is the reference provider's front: its host
 * differs); `header` adds a line to each 201; `trailer` gives a chunked 201's trailer field from the request it answers;
 * `bodyLimit` is the reference provider's behind it (decision 0225).
 */
export async function startFramingProvider(
  framing: Framing,
  options: { location?: (location: string) => string; header?: [string, string]; trailer?: (req: Request) => [string, string]; bodyLimit?: number } = {},
): Promise<FramingProvider> {
  const reference = await startReferenceProvider({ bodyLimit: options.bodyLimit });
  const target = new URL(reference.url);
  const sockets = new Set<Socket>();
  let connections = 0;
  const sizes: number[] = [];

  const answer = (req: Request): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      // Host passed on, as a transparent front does: the reference provider names the host its client asked (decision 0190).
      const forwarded = req.headers.filter(([n]) => !['connection', 'content-length'].includes(n.toLowerCase()));
      const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.path, agent: false, headers: [...forwarded.flat(), 'Content-Length', String(req.body.length)] }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const lines = [`HTTP/${framing.startsWith('HTTP/1.0') ? '1.0' : '1.1'} ${res.statusCode} ${res.statusMessage}`];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i];
            const value = name.toLowerCase() === 'location' && options.location ? options.location(res.rawHeaders[i + 1]) : res.rawHeaders[i + 1];
            if (!['connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(name.toLowerCase())) lines.push(`${name}: ${value}`);
          }
          if (options.header && res.statusCode === 201) lines.push(options.header.join(': '));
          const head = (framingLine: string) => Buffer.from(`${[...lines, framingLine].join('\r\n')}\r\n\r\n`, 'latin1');
          const trailer = options.trailer && res.statusCode === 201 ? options.trailer(req).join(': ') : undefined;
          if (framing === 'chunked') return resolve(Buffer.concat([head(`Transfer-Encoding: chunked${trailer ? `\r\nTrailer: ${trailer.split(':')[0]}` : ''}`), chunked(body, trailer)]));
          if (framing === 'chunked, closed before the last chunk') {
            const whole = chunked(body);
            return resolve(Buffer.concat([head('Transfer-Encoding: chunked'), whole.subarray(0, whole.lastIndexOf('0\r\nX-Trailer'))]));
          }
          if (framing === 'HTTP/1.0, chunked') return resolve(Buffer.concat([head('Transfer-Encoding: chunked'), chunked(body)]));
          if (framing === 'chunked and Content-Length') return resolve(Buffer.concat([head(`Transfer-Encoding: chunked\r\nContent-Length: ${body.length}`), chunked(body)]));
          if (framing === 'chunked on two lines') return resolve(Buffer.concat([head('Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked'), chunked(body)]));
          if (framing === 'chunked, chunked') return resolve(Buffer.concat([head('Transfer-Encoding: chunked, chunked'), chunked(body)]));
          if (framing === 'gzip, chunked') return resolve(Buffer.concat([head('Transfer-Encoding: gzip, chunked'), chunked(gzipSync(body))]));
          const one = Buffer.concat([head(`Content-Length: ${body.length}`), body]);
          sizes.push(one.length);
          resolve(framing === 'an extra answer' ? Buffer.concat([one, one]) : one);
        });
      });
      out.on('error', reject);
      out.end(req.body);
    });

  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let held: Buffer = Buffer.alloc(0);
    let queue = Promise.resolve();
    let answered = false;
    let closing = false;
    socket.on('data', (chunk: Buffer) => {
      if (framing === 'content-length, then closed as the next request comes' && answered && !closing) {
        closing = true;
        socket.end();
      }
      const taken = takeRequests(Buffer.concat([held, chunk]));
      held = taken.rest;
      for (const req of taken.requests) {
        queue = queue.then(async () => {
          const bytes = await answer(req).catch(() => undefined);
          if (closing) return;
          answered = true;
          if (bytes && !socket.destroyed) socket.write(bytes);
          else socket.destroy();
          if (['chunked, closed before the last chunk', 'content-length, then closed', 'HTTP/1.0, chunked', 'HTTP/1.0, content-length'].includes(framing)) socket.end();
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    answerSizes: () => [...sizes],
    writeToIdle: async (bytes) => {
      await Promise.all(
        [...sockets].map(
          (socket) =>
            new Promise<void>((resolve) => {
              socket.once('close', () => resolve());
              socket.write(bytes);
            }),
        ),
      );
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      await reference.close();
    },
  };
}
