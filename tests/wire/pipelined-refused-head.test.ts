// Outside finding R98 (decision 0940): a head Node's parser refused after a create in the same packet (one write on a
// kept connection) was read from the packet's start, so check-client and the proxy named it as that create (`POST
// .../vppTokens`, counted as a second create), in llhttp's words at a byte of the connection ("Expected CRLF after
// version ... at byte 702") instead of the kit's own (a bare LF, RFC 9112 §2.2). It is now read from its own start.
import { connect } from 'node:net';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider } from 'vpptokens-contract-kit/provider';
import { refusedHeadAnswer } from '../../src/provider';
import { startJudgingProxy, proxyReport } from '../../src/proxy';
import { refusedRequestOf } from '../../src/wire';
import { checkInProcess } from '../support/in-process-client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PATH = '/beta/deviceAppManagement/vppTokens';
const BARE_LF = 'ends its lines in a bare LF, not CRLF, which a sender must not do (RFC 9112 §2.2)';
const FOLDED = 'continues on a folded line (obs-fold, a line starting with a space), which HTTP/1.1 refuses (RFC 9112 §5.2)';
const body = JSON.stringify({ token: createRequestFactory.withSeed(940).buildAt(0).token });
const create = (host: string, token = body) =>
  `POST ${PATH} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer pipelined-bearer-0940\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(token)}\r\n\r\n${token}`;
const chunkedCreate = (host: string) => `POST ${PATH} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer pipelined-bearer-0940\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
// The heads Node's parser refuses, each alone and after a create, and a head it takes (the other way).
const lfRead = (host: string) => `GET ${PATH} HTTP/1.1\nHost: ${host}\nAuthorization: Bearer pipelined-bearer-0940\n\n`;
const foldedRead = (host: string) => `GET ${PATH} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer pipelined-bearer-0940\r\nX-A: b\r\n c\r\n\r\n`;
const goodRead = (host: string) => `GET ${PATH} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer pipelined-bearer-0940\r\nConnection: close\r\n\r\n`;

describe('a head refused after another request in the same packet (decision 0940)', () => {
  it('is read from its own start, its fault at a byte of its own; alone it is read as before', () => {
    const first = create('x');
    const cases: [string, string, number][] = [
      // The packet, and where Node's parser stops in it (bytesParsed: the byte it refused).
      ['bare LF', `${first}${lfRead('x')}`, first.length + `GET ${PATH} HTTP/1.1`.length],
      ['bare LF after a chunked create', `${chunkedCreate('x')}${lfRead('x')}`, chunkedCreate('x').length + `GET ${PATH} HTTP/1.1`.length],
      ['bare LF after two requests and an empty line', `${first}${goodRead('x')}\r\n${lfRead('x')}`, `${first}${goodRead('x')}\r\n`.length + `GET ${PATH} HTTP/1.1`.length],
    ];
    for (const [name, packet, stop] of cases) {
      const refused = refusedHeadAnswer({ code: 'HPE_INVALID_VERSION', reason: 'Expected CRLF after version', rawPacket: Buffer.from(packet, 'latin1'), bytesParsed: stop });
      expect([name, refused?.problem.message, refused?.head.method, refused?.head.target]).toEqual([name, BARE_LF, 'GET', PATH]);
    }
    const folded = `${first}${foldedRead('x')}`;
    const fold = refusedHeadAnswer({ code: 'HPE_INVALID_HEADER_TOKEN', reason: 'Invalid header token', rawPacket: Buffer.from(folded), bytesParsed: folded.indexOf('\r\n c') + 2 });
    expect([fold?.problem.where, fold?.problem.message, fold?.head.method]).toEqual(['header X-A', FOLDED, 'GET']);
    // Bytes that are no request: llhttp's words, at the byte of that request (0), not of the connection.
    const garbage = `${first}\x00\x01\x02 hello\r\n\r\n`;
    const noRequest = refusedHeadAnswer({ code: 'HPE_INVALID_METHOD', reason: 'Invalid method encountered', rawPacket: Buffer.from(garbage, 'latin1'), bytesParsed: first.length });
    expect(noRequest?.problem.message).toBe('is not an HTTP/1.1 message head: Invalid method encountered (HPE_INVALID_METHOD, at byte 0)');
    expect(noRequest?.head.method).not.toBe('POST');
    // Alone on its connection: the packet is the request's own, left as it came.
    const alone = { code: 'HPE_INVALID_VERSION', rawPacket: Buffer.from(lfRead('x')), bytesParsed: 16 };
    expect(refusedRequestOf(alone)).toBe(alone);
    expect(refusedHeadAnswer(alone)?.head.method).toBe('GET');
    // The packet starts inside a body read from an earlier packet: nothing to walk, all bytes kept.
    const tail = { code: 'HPE_INVALID_VERSION', rawPacket: Buffer.from(`":"x"}${lfRead('x')}`), bytesParsed: 22 };
    expect(refusedRequestOf(tail)).toBe(tail);
    // A head refused in its own lines (two Content-Length lines) is never taken for the create before it ended.
    const twice = `${first}${create('x').replace('Content-Length:', 'Content-Length: 1\r\nContent-Length:')}`;
    const own = refusedRequestOf({ code: 'HPE_UNEXPECTED_CONTENT_LENGTH', rawPacket: Buffer.from(twice), bytesParsed: twice.lastIndexOf('Content-Length:') + 16 });
    expect(own.rawPacket?.toString()).toBe(twice.slice(first.length));
    expect(own.bytesParsed).toBe(twice.lastIndexOf('Content-Length:') + 16 - first.length);
  });
});

/** Writes `bytes` at once on one connection to `url` and resolves to the statuses of the answers, once it closes. */
function statusesOf(url: string, bytes: string): Promise<string[]> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let text = '';
    socket.setEncoding('latin1').on('data', (c: string) => (text += c));
    socket.on('close', () => resolve([...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1])));
    socket.on('error', reject);
  });
}

describe('check-client and the proxy, of a create and a refused head in one write (decision 0940)', () => {
  const pactDir = mkdtempSync(join(tmpdir(), 'vppkit-pipelined-'));
  afterAll(() => rmSync(pactDir, { recursive: true, force: true }));

  it('check-client names the refused request by its own line and fault, and counts one create', async () => {
    for (const [name, after, where, message] of [
      ['bare LF', lfRead, 'head', BARE_LF],
      ['folded line', foldedRead, 'header X-A', FOLDED],
    ] as const) {
      let statuses: string[] = [];
      const result = await checkInProcess({ consumer: `pipelined-${name.replace(' ', '-')}`, pactDir }, async (mockUrl) => {
        const host = new URL(mockUrl).host;
        statuses = await statusesOf(mockUrl, `${create(host)}${after(host)}`);
        return 0;
      });
      expect([name, statuses]).toEqual([name, ['201', '400']]);
      expect([name, result.requests.map((r) => [r.method, r.path, r.kind])]).toEqual([name, [['POST', PATH, 'create'], ['GET', PATH, 'list']]]);
      expect([name, result.requests[1].problems]).toEqual([name, [expect.objectContaining({ where, message })]]);
      expect([name, result.summary]).toEqual([name, expect.stringContaining('1 create of 1 token')]);
    }
    // The other way: the same create and a read the parser takes, in one write, both kept.
    const result = await checkInProcess({ consumer: 'pipelined-good', pactDir }, async (mockUrl) => {
      const host = new URL(mockUrl).host;
      expect(await statusesOf(mockUrl, `${create(host)}${goodRead(host)}`)).toEqual(['201', '200']);
      return 0;
    });
    expect(result.requests.map((r) => [r.method, r.kind, r.problems.length])).toEqual([['POST', 'create', 0], ['GET', 'list', 0]]);
  });

  it('the proxy names it so too and judges one create', async () => {
    const reference = await startReferenceProvider();
    const proxy = await startJudgingProxy({ target: reference.url, log: () => undefined });
    let closed = false;
    try {
      const host = new URL(proxy.url).host;
      expect(await statusesOf(proxy.url, `${create(host)}${lfRead(host)}`)).toEqual(['201', '400']);
      expect(await statusesOf(proxy.url, `${create(host, JSON.stringify({ token: createRequestFactory.withSeed(941).buildAt(0).token }))}${goodRead(host)}`)).toEqual(['201', '200']);
      // Closing lets the requests in flight settle: they are judged then.
      closed = true;
      await proxy.close();
      const seen = proxy.exchanges.map((e) => [e.method, e.url, e.route, e.outcome]);
      expect(seen).toEqual([['POST', PATH, 'create', 'answered'], ['GET', PATH, expect.not.stringMatching(/^create$/), 'refused'], ['POST', PATH, 'create', 'answered'], ['GET', PATH, expect.not.stringMatching(/^create$/), 'answered']]);
      expect(proxy.exchanges[1].problems).toEqual([expect.objectContaining({ where: 'head', message: BARE_LF })]);
      expect(proxyReport(proxy).summary).toMatch(/^4 requests, 2 creates judged/);
    } finally {
      if (!closed) await proxy.close();
      await reference.close();
    }
  });
});
