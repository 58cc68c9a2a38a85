// Outside tester R46 (decision 0613): a chunk line with whitespace before its extension (`e9 ;x=1`) is HTTP/1.1 (RFC
// 9112 §7.1.1 has BWS there) that a sender must not generate (RFC 9110 §5.6.3) and Node's parser refuses. The kit said
// of such an answer "body: is empty" and of such a request "the client closed the connection", then read the body's
// bytes as a second request. One reader (src/wire/framing.ts) now names the chunk line, on both sides; a chunk
// extension without the whitespace passes.
import { request as httpRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { rawExchange } from '../support/raw-exchange';
import { conform } from 'vpptokens-contract-kit/conform';
import { startReferenceProvider, verifyProvider } from 'vpptokens-contract-kit/provider';
import { createHttpClient } from '../../src/net';
import { startJudgingProxy } from '../../src/proxy';
import { atChunkLine, requestChunkProblem } from '../../src/wire';
import { chunkLineProblem } from '../../src/wire/framing';
import { FAULT_IN_EVERY_ANSWER } from '../support/conform-budget';
import { startRawHeadProvider } from '../support/raw-head-provider';
import { testEnd } from '../support/test-end';

const SMALL = { bodyLimit: 64 * 1024 };
const node = process.version.replace(/\./g, '\\.');
const BWS = (where: string) =>
  new RegExp(`^has whitespace ${where} \\(BWS\\), which HTTP's grammar allows \\(RFC 9112 §7\\.1\\.1: chunk-ext = .*\\) but a sender must not generate \\(RFC 9110 §5\\.6\\.3\\), and which the HTTP parser of this Node \\(${node}, llhttp [\\d.]+\\) refuses: Node's HTTP clients and servers of this version cannot read the message, though it is HTTP/1\\.1: send no whitespace in a chunk line$`);

/** Whether this Node's own HTTP client reads an answer whose chunk line has whitespace before its extension. */
async function nodeReadsChunkBws(): Promise<boolean> {
  const server = createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 ;x=1\r\n{}\r\n0\r\n\r\n')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<boolean>((resolve) => {
      httpRequest({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, agent: false }, (res) => res.resume().on('end', () => resolve(true)).on('error', () => resolve(false)))
        .on('error', () => resolve(false))
        .end();
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('a chunk line, as the one reader judges it', () => {
  it.each(['e9', 'E9', '00e9', '0', 'e9;x=1', 'e9;x', 'e9;x="a b";y=2'])('takes %j', (line) => {
    expect(chunkLineProblem(line)).toBeUndefined();
  });
  it.each([
    ['e9 ;x=1', BWS('before ";"')],
    ['e9\t;x', BWS('before ";"')],
    ['e9; x=1', BWS('around ";" or "="')],
    ['e9;x = 1', BWS('around ";" or "="')],
    ['zz', /^is not a chunk size: a chunk line starts with the size in hex digits \(RFC 9112 §7\.1\)$/],
    ['', /^is not a chunk size/],
    ['e9 x', /^is not a chunk line: the size in hex digits, then only chunk extensions/],
  ])('refuses %j, saying why', (line, message) => {
    expect(chunkLineProblem(line)).toMatch(message);
  });
  it('names a request chunk line by its number when the packet holds the head, and unnumbered when it starts in the body', () => {
    const head = 'POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
    const whole = Buffer.from(`${head}2\r\n{"\r\n3 ;x=1\r\na":1\r\n0\r\n\r\n`);
    expect(requestChunkProblem(whole, 0)).toEqual({ ...atChunkLine(2), rule: 'transfer coding', message: expect.stringMatching(BWS('before ";"')) });
    const tail = Buffer.from('\r\n3 ;x=1\r\na":1\r\n0\r\n\r\n');
    expect(requestChunkProblem(tail, 4)).toEqual({ ...atChunkLine(), rule: 'transfer coding', message: expect.stringMatching(BWS('before ";"')) });
    expect(requestChunkProblem(Buffer.from(`${head}2\r\n{}\r\n0\r\n\r\n`), 0)).toBeUndefined();
    expect(requestChunkProblem(Buffer.from('\r\n3;x=1\r\n'), 4)).toBeUndefined();
    // Decision 0693: after another request in the same packet (a kept connection, pipelined or written at once), the
    // head read is the one whose body Node stopped in, so the line is numbered in its own body.
    const first = `POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}`;
    const chunkedFirst = `${head}1\r\n{\r\n1\r\n}\r\n0\r\n\r\n`;
    for (const before of [first, chunkedFirst, `${first}\r\n${chunkedFirst}`]) {
      const two = Buffer.from(`${before}${head}2\r\n{"\r\n3 ;x=1\r\na":1\r\n0\r\n\r\n`);
      expect(requestChunkProblem(two, two.indexOf('3 ;x=1') + 1)).toEqual({ ...atChunkLine(2), rule: 'transfer coding', message: expect.stringMatching(BWS('before ";"')) });
      const fine = Buffer.from(`${before}${head}2\r\n{"\r\n3;x=1\r\na":1\r\n0\r\n\r\n`);
      expect(requestChunkProblem(fine, fine.length)).toBeUndefined();
    }
    // A head's own fault (a tab after chunked, decision 0493) is never taken for a chunk line's.
    expect(requestChunkProblem(Buffer.from(`${head.replace('chunked', 'chunked\t')}2\r\n{}\r\n0\r\n\r\n`), 70)).toBeUndefined();
  });
});

describe('an answer whose chunk line has whitespace before its extension', () => {
  it('fails verify and conform at that chunk line, never as an empty body; without the whitespace it passes', async () => {
    const reads = await nodeReadsChunkBws();
    const fine = await startRawHeadProvider('a chunk extension', SMALL);
    try {
      const verified = await verifyProvider({ providerBaseUrl: fine.url, interaction: 'every property' });
      expect(verified.interactions.flatMap((i) => i.answerProblems)).toEqual([]);
      expect(verified.passed).toBe(true);
    } finally {
      await fine.close();
    }
    const provider = await startRawHeadProvider('whitespace before a chunk extension', SMALL);
    const client = createHttpClient();
    try {
      const answer = await client.send({ method: 'GET', url: `${provider.url}/deviceAppManagement/vppTokens`, headers: { Authorization: 'Bearer chunk-lines-bearer' } });
      const verified = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property' });
      if (reads) {
        // A Node that reads it: the answer is judged as any other.
        expect(answer).toEqual(expect.objectContaining({ kind: 'answer', status: 200 }));
        expect(verified.passed).toBe(true);
        return;
      }
      expect(answer).toEqual(expect.objectContaining({ kind: 'failure', failure: 'malformed', problem: expect.objectContaining({ ...atChunkLine(1), rule: 'transfer coding' }) }));
      expect(answer.kind === 'failure' && answer.message).toMatch(/^the answer cannot be read: chunk line 1: has whitespace before ";" \(BWS\)/);
      expect(verified.passed).toBe(false);
      expect(verified.interactions[0].answerProblems).toEqual([{ check: 'response headers', ...atChunkLine(1), rule: 'transfer coding', message: expect.stringMatching(BWS('before ";"')) }]);
      const conformed = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 3, checks: ['not a server error', 'response headers', 'response schema'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
      expect(conformed.passed).toBe(false);
      expect(conformed.findings[0]).toEqual(expect.objectContaining({ check: 'response headers', ...atChunkLine(1), message: expect.stringMatching(BWS('before ";"')) }));
      expect(JSON.stringify(conformed.findings)).not.toMatch(/is empty|cut short|dropped/);
    } finally {
      client.close();
      await provider.close();
    }
  });
});

describe('a request whose chunk line has whitespace before its extension', () => {
  /** Writes one chunked create on a new connection, not closing its side (a client waiting for its answer), and reads the answer to the server's close. */
  const create = (url: string, line2: string): Promise<string> => {
    const token = '{"token":"chunk-lines-token"}';
    const half = token.length >> 1;
    return written(url, `POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer chunk-lines-bearer\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${half.toString(16)}\r\n${token.slice(0, half)}\r\n${(token.length - half).toString(16)}${line2}\r\n${token.slice(half)}\r\n0\r\n\r\n`);
  };
  /** Writes `bytes` on a new connection without closing its side (a client waiting for its answers), and reads to the server's close. */
  const written = (url: string, bytes: string): Promise<string> => rawExchange(url, bytes, { keepOpen: true });

  it("is answered 400 at that chunk line and kept as the client's one request, not as a close and a second request", async () => {
    const reads = await nodeReadsChunkBws();
    const reference = await startReferenceProvider({ recordTraffic: true });
    try {
      expect(await create(reference.url, ';x=1')).toMatch(/^HTTP\/1\.1 201 /);
      const answer = await create(reference.url, ' ;x=1');
      const traffic = reference.traffic ?? [];
      expect(traffic).toHaveLength(2);
      if (reads) {
        expect(answer).toMatch(/^HTTP\/1\.1 201 /);
        return;
      }
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      const message = (JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { message: string } }).error.message;
      expect(message.replace(/^chunk line 2: /, '')).toMatch(BWS('before ";"'));
      const [, refused] = traffic;
      expect(refused).toEqual(expect.objectContaining({ method: 'POST', answer: expect.objectContaining({ status: 400 }), refusedHead: expect.objectContaining({ ...atChunkLine(2), rule: 'transfer coding' }) }));
      expect(refused.clientClosed).toBeUndefined();
    } finally {
      await reference.close();
    }
  });

  // Decision 0693: the same create written after another on one kept connection, both in one packet, got the words of
  // a head Node could not read; now the mock and the proxy name its chunk line, numbered in its own body.
  it('is answered 400 at that chunk line after another request in the same packet, by the mock and the proxy', async () => {
    const reads = await nodeReadsChunkBws();
    const reference = await startReferenceProvider();
    const proxy = await startJudgingProxy({ target: reference.url, log: () => undefined });
    const token = '{"token":"chunk-lines-token"}';
    const headOf = (framing: string) => `POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer chunk-lines-bearer\r\n${framing}\r\n\r\n`;
    const both = (line2: string) => `${headOf(`Content-Length: ${token.length}`)}${token}${headOf('Transfer-Encoding: chunked')}2\r\n{"\r\n${(token.length - 2).toString(16)}${line2}\r\n${token.slice(2)}\r\n0\r\n\r\n${headOf('Content-Length: 0').replace('POST', 'GET').replace('Content-Type: application/json\r\n', '').replace('Content-Length: 0', 'Connection: close')}`;
    try {
      for (const url of [reference.url, proxy.url]) {
        const fine = await written(url, both(';x=1'));
        expect([url, fine.match(/HTTP\/1\.1 \d{3}(?= )/g)]).toEqual([url, ['HTTP/1.1 201', 'HTTP/1.1 201', 'HTTP/1.1 200']]);
        const answers = await written(url, both(' ;x=1'));
        if (reads) continue;
        // The 400 ends the connection, after the first create's 201 (decision 0814, below).
        expect([url, answers.match(/HTTP\/1\.1 \d{3}(?= )/g)?.at(-1)]).toEqual([url, 'HTTP/1.1 400']);
        const refusal = answers.slice(answers.lastIndexOf('HTTP/1.1 400'));
        const message = (JSON.parse(refusal.slice(refusal.indexOf('\r\n\r\n') + 4)) as { error: { message: string } }).error.message;
        expect([url, message.replace(/^chunk line 2: /, '')]).toEqual([url, expect.stringMatching(BWS('before ";"'))]);
      }
    } finally {
      await proxy.close();
      await reference.close();
    }
  });

  // Decision 0814 (0693's leftover): the 400 closed the connection at once, so the earlier create's answer, still being
  // made (a latency here, a target's work behind the proxy), was never written: the client could not tell whether
  // that create was stored. Answers go in the order of the requests (RFC 9112 §9.3.2): the 201 first, then the 400.
  it('is answered after the earlier request in the packet, whose answer comes first, by the mock and the proxy', async () => {
    const reads = await nodeReadsChunkBws();
    const slow = await startReferenceProvider({ faults: { latency: 150 } });
    const proxy = await startJudgingProxy({ target: slow.url, log: () => undefined });
    const token = (n: number) => `{"token":"chunk-lines-token-${n}"}`;
    const headOf = (framing: string) => `POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer chunk-lines-bearer\r\n${framing}\r\n\r\n`;
    const both = (line2: string) => `${headOf(`Content-Length: ${token(1).length}`)}${token(1)}${headOf('Transfer-Encoding: chunked')}2\r\n{"\r\n${(token(2).length - 2).toString(16)}${line2}\r\n${token(2).slice(2)}\r\n0\r\n\r\n${headOf('Content-Length: 0').replace('POST', 'GET').replace('Content-Type: application/json\r\n', '').replace('Content-Length: 0', 'Connection: close')}`;
    try {
      for (const url of [slow.url, proxy.url]) {
        expect([url, (await written(url, both(';x=1'))).match(/HTTP\/1\.1 \d{3}(?= )/g)]).toEqual([url, ['HTTP/1.1 201', 'HTTP/1.1 201', 'HTTP/1.1 200']]);
        const answers = await written(url, both(' ;x=1'));
        if (reads) continue;
        expect([url, answers.match(/HTTP\/1\.1 \d{3}(?= )/g)]).toEqual([url, ['HTTP/1.1 201', 'HTTP/1.1 400']]);
        const created = answers.slice(0, answers.indexOf('HTTP/1.1 400'));
        expect(JSON.parse(created.slice(created.indexOf('\r\n\r\n') + 4))).toMatchObject({ token: expect.stringContaining('chunk-lines-token-1') });
      }
      // Its neighbour: a head Node's parser refuses (two Content-Length lines) after a create in the same packet.
      for (const url of [slow.url, proxy.url]) {
        const twice = `${headOf(`Content-Length: ${token(1).length}`)}${token(1)}${headOf(`Content-Length: ${token(2).length}\r\nContent-Length: ${token(2).length}`)}${token(2)}`;
        expect([url, (await written(url, twice)).match(/HTTP\/1\.1 \d{3}(?= )/g)]).toEqual([url, ['HTTP/1.1 201', 'HTTP/1.1 400']]);
      }
    } finally {
      await proxy.close();
      await slow.close();
    }
  });

  it('is refused by the proxy as that one request at that chunk line, not a close and a second request', async () => {
    const reads = await nodeReadsChunkBws();
    const reference = await startReferenceProvider();
    const proxy = await startJudgingProxy({ target: reference.url, log: () => undefined });
    let closed = false;
    try {
      expect(await create(proxy.url, ';x=1')).toMatch(/^HTTP\/1\.1 201 /);
      const answer = await create(proxy.url, ' ;x=1');
      // Closing lets the request in flight settle: it is judged then.
      closed = true;
      await proxy.close();
      expect(proxy.exchanges).toHaveLength(2);
      expect(proxy.exchanges[0]).toEqual(expect.objectContaining({ outcome: 'answered', problems: [] }));
      if (reads) return;
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(proxy.exchanges[1]).toEqual(expect.objectContaining({ method: 'POST', outcome: 'refused', headProblem: expect.objectContaining({ ...atChunkLine(2), rule: 'transfer coding' }) }));
      expect(proxy.exchanges[1].problems).toEqual([expect.objectContaining({ ...atChunkLine(2), message: expect.stringMatching(BWS('before ";"')) })]);
    } finally {
      if (!closed) await proxy.close();
      await reference.close();
    }
  });
});
