// A provider in front of the reference provider that writes each answer's head by hand, so it can break what
// Node's own server never would: two equal Content-Length lines, a folded (obs-fold) header line.
import { get, request } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { startReferenceProvider } from '../../src/provider';
import { takeRequests, type Request } from './framing-provider';

export type HeadFlaw = 'none' | 'two equal Content-Length lines' | 'a folded header line' | 'a body cut short' | "a tab after Content-Length's value" | "a space after Content-Length's value" | 'a chunk extension' | 'whitespace before a chunk extension' | 'a tab after Transfer-Encoding: chunked' | 'a space after Transfer-Encoding: chunked' | 'a tab after Transfer-Encoding: chunked, the connection kept' | EmptyElementFlaw;

/** `Transfer-Encoding: chunked` with an empty list element after it (RFC 9110 §5.6.1), the connection kept (decision 0875). */
export const EMPTY_ELEMENT_FLAWS = {
  'an empty element after Transfer-Encoding: chunked': 'chunked ,',
  'an empty element then a tab after Transfer-Encoding: chunked': 'chunked,\t',
  'a tab then an empty element after Transfer-Encoding: chunked': 'chunked\t,',
} as const;
export type EmptyElementFlaw = keyof typeof EMPTY_ELEMENT_FLAWS;

/** Reads one request off the socket: its head lines and its body (by Content-Length). */
function readRequest(socket: Socket): Promise<Request> {
  return new Promise((resolve) => {
    let held = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      held = Buffer.concat([held, chunk]);
      const [first] = takeRequests(held).requests;
      if (!first) return;
      socket.off('data', onData);
      resolve(first);
    };
    socket.on('data', onData);
  });
}

/** `bodyLimit` is the reference provider's behind it (decision 0225). */
export async function startRawHeadProvider(flaw: HeadFlaw, { bodyLimit }: { bodyLimit?: number } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const reference = await startReferenceProvider({ bodyLimit });
  const target = new URL(reference.url);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    void readRequest(socket).then(({ method, path, headers, body }) => {
      // Host passed on, as a transparent front does: the reference provider names the host its client asked (decision 0190).
      const forwarded = headers.filter(([n]) => !['connection', 'content-length'].includes(n.toLowerCase()));
      const req = request({ host: target.hostname, port: target.port, method, path, headers: [...forwarded.flat(), 'Content-Length', String(body.length)] }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const answer = Buffer.concat(chunks);
          const lines = [`HTTP/1.1 ${res.statusCode} ${res.statusMessage}`];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            if (!['connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(res.rawHeaders[i].toLowerCase())) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
          }
          if (flaw === 'a folded header line') lines.push('X-Note: first part', '  folded second part');
          if (flaw === 'a chunk extension' || flaw === 'whitespace before a chunk extension') {
            // The body in two chunks, the first line with an extension (RFC 9112 §7.1.1), BWS before its ";" or not.
            const half = answer.length >> 1;
            const bws = flaw === 'a chunk extension' ? '' : ' ';
            lines.push('Transfer-Encoding: chunked', 'Connection: close');
            const chunks = `${half.toString(16)}${bws};x=1\r\n`;
            socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n${chunks}`, 'latin1'), answer.subarray(0, half), Buffer.from(`\r\n${(answer.length - half).toString(16)}\r\n`), answer.subarray(half), Buffer.from('\r\n0\r\n\r\n')]));
            return;
          }
          if (flaw.includes('after Transfer-Encoding: chunked')) {
            // One chunk, whitespace after the value (RFC 9112 §5's OWS); kept: no close, as a keep-alive server's answer.
            const empty = flaw in EMPTY_ELEMENT_FLAWS ? EMPTY_ELEMENT_FLAWS[flaw as EmptyElementFlaw] : undefined;
            const kept = flaw.endsWith('kept') || empty !== undefined;
            lines.push(`Transfer-Encoding: ${empty ?? `chunked${flaw.startsWith('a tab') ? '\t' : ' '}`}`, ...(kept ? [] : ['Connection: close']));
            const framed = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n${answer.length.toString(16)}\r\n`, 'latin1'), answer, Buffer.from('\r\n0\r\n\r\n')]);
            if (kept) socket.write(framed);
            else socket.end(framed);
            return;
          }
          const ows = flaw === "a tab after Content-Length's value" ? '\t' : flaw === "a space after Content-Length's value" ? ' ' : '';
          lines.push(`Content-Length: ${answer.length + (flaw === 'a body cut short' ? 50 : 0)}${ows}`);
          if (flaw === 'two equal Content-Length lines') lines.push(`Content-Length: ${answer.length}`);
          lines.push('Connection: close');
          socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), answer]));
        });
      });
      // The reference provider going away (at close) ends this connection too.
      req.on('error', () => socket.destroy());
      req.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      await reference.close();
    },
  };
}

/** Whether this Node's own HTTP client reads `Transfer-Encoding: chunked<TAB>` (or `value`) as chunked (Node 20 reads the body to the close, chunk lines and all). */
export async function nodeReadsTabAfterChunked(value = 'chunked\t'): Promise<boolean> {
  const server = createServer((socket) => socket.once('data', () => socket.end(`HTTP/1.1 200 OK\r\nTransfer-Encoding: ${value}\r\n\r\n2\r\n{}\r\n0\r\n\r\n`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<boolean>((resolve) => {
      get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, agent: false }, (res) => {
        let body = '';
        res.setEncoding('latin1').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body === '{}'));
      }).on('error', () => resolve(false));
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
