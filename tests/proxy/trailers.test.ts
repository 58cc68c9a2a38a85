// Round 5's noticed item: the proxy dropped a request's trailer fields (RFC 9110 §6.5) on the way to the target.
// A proxy forwards what is end-to-end: the trailer fields go on after the body, as the client sent them.
import { connect } from 'node:net';
import { createServer } from 'node:http';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startJudgingProxy } from 'vpptokens-contract-kit/proxy';
import { listenOnLoopback } from '../support/listen';

const BEARER = 'Bearer eyJhbGciOiJub25lIn0.dHJhaWxlcnM.';

/** A target that records each request's trailer fields and body, and answers 201 with a created vppToken's shape. */
async function recordingTarget() {
  const seen: { trailers: string[]; body: string }[] = [];
  const target = await listenOnLoopback(
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ trailers: [...req.rawTrailers], body: Buffer.concat(chunks).toString() });
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'ResourceNotFound', message: 'Recorded.' } }));
      });
    }),
  );
  return { ...target, seen };
}

/** One chunked request written by hand, its body in two chunks, then `trailers` (lines). */
function chunked(url: string, path: string, body: string, trailers: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => {
      const half = Math.floor(body.length / 2);
      const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
      socket.end(
        [`POST ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Content-Type: application/json', `Authorization: ${BEARER}`, 'Transfer-Encoding: chunked', 'Connection: close', '', ''].join('\r\n') +
          chunk(body.slice(0, half)) +
          chunk(body.slice(half)) +
          `0\r\n${trailers.map((t) => `${t}\r\n`).join('')}\r\n`,
      );
    });
    const answer: Buffer[] = [];
    socket.on('data', (c: Buffer) => answer.push(c));
    socket.on('close', () => resolve(Buffer.concat(answer).toString()));
    socket.on('error', reject);
  });
}

it('forwards a request\'s trailer fields after its body, and none where the client sent none', async () => {
  const target = await recordingTarget();
  const proxy = await startJudgingProxy({ target: target.url, log: () => undefined });
  try {
    const body = JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/me' }] });
    // An Authorization there is judged (decision 0224) and never passed on; the others go on as they came.
    await chunked(proxy.url, '/beta/$batch', body, ['X-Content-Digest: sha-256=:abc:', 'Authorization: Bearer trailer-secret', 'X-Trace-Id: 42']);
    await chunked(proxy.url, '/beta/$batch', body, []);
    expect(target.seen).toEqual([
      { trailers: ['X-Content-Digest', 'sha-256=:abc:', 'X-Trace-Id', '42'], body },
      { trailers: [], body },
    ]);
  } finally {
    await proxy.close();
    await target.close();
  }
});

it('forwards the trailers of a create whose body it read ahead (--strict), as of one it streamed', async () => {
  const target = await recordingTarget();
  const proxy = await startJudgingProxy({ target: target.url, strict: true, log: () => undefined });
  try {
    const body = JSON.stringify(createRequestFactory.withSeed(5).buildAt(0));
    await chunked(proxy.url, '/beta/deviceAppManagement/vppTokens', body, ['X-Trace-Id: 7']);
    expect(target.seen).toEqual([{ trailers: ['X-Trace-Id', '7'], body }]);
  } finally {
    await proxy.close();
    await target.close();
  }
});
