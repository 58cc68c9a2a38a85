// 0875's request side (decision 0901): a request's `Transfer-Encoding: chunked ,` (`chunked,<TAB>`, `chunked<TAB>,`)
// ends in an empty list element, which a sender must not send and a recipient must accept and ignore (RFC 9110
// §5.6.1): chunked by the RFC. Node 20's server parser refuses each (HPE_INVALID_TRANSFER_ENCODING), so the mock
// (serve, check-client's) and the proxy answer 400: said at Transfer-Encoding as the request that cannot be read, the
// client's (`request headers`), in 0875's words, never "not an HTTP/1.1 message head". Where this Node reads it, it is
// taken (201); `chunked` and `, chunked` (an empty element before) are taken by every Node.
import { createServer } from 'node:http';
import { createRequestFactory } from '../../src';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';
import { listenOnLoopback } from '../support/listen';
import { rawExchange } from '../support/raw-exchange';
import { through } from '../support/through-proxy';

const body = JSON.stringify(createRequestFactory.withSeed(901).buildAt(0));
const chunkedBody = `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
const createWith = (transferEncoding: string) =>
  `POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer request-empty-element-0901\r\nContent-Type: application/json\r\nTransfer-Encoding: ${transferEncoding}\r\nConnection: close\r\n\r\n${chunkedBody}`;
const EMPTY = new RegExp(
  `^header Transfer-Encoding: ends in an empty list element \\("[^"]+"\\), which a sender must not send but a recipient must accept and ignore \\(RFC 9110 §5\\.6\\.1: .*\\), but which the HTTP parser of this Node \\(${process.version.replace(/\./g, '\\.')}, llhttp [\\d.]+\\) refuses in a request's Transfer-Encoding: .* send \`Transfer-Encoding: chunked\` with no empty element after it$`,
);
const messageOf = (answer: string) => (JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { message: string } }).error.message;

/** Whether this Node's own HTTP server reads a chunked request under `Transfer-Encoding: <value>` (its body whole). */
async function nodeServerReads(value: string): Promise<boolean> {
  const server = await listenOnLoopback(
    createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => res.writeHead(200, { Connection: 'close' }).end(Buffer.concat(parts).toString() === body ? 'whole' : 'other'));
    }),
  );
  try {
    return (await rawExchange(server.url, createWith(value))).endsWith('whole');
  } finally {
    await server.close();
  }
}

const FLAWS = ['chunked ,', 'chunked,\t', 'chunked\t,', 'chunked,'];

let mock: ReferenceProvider;
beforeAll(async () => {
  mock = await startReferenceProvider({ recordTraffic: true });
});
afterAll(async () => {
  await mock.close();
});

describe("a request's Transfer-Encoding that ends in an empty list element after chunked", () => {
  it.each(FLAWS)('%j: the mock answers 400 at Transfer-Encoding in its words where this Node refuses it, else creates', async (value) => {
    const reads = await nodeServerReads(value);
    const answer = await rawExchange(mock.url, createWith(value));
    if (reads) return expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(messageOf(answer)).toMatch(EMPTY);
    expect(messageOf(answer)).toContain(JSON.stringify(value.trim()));
  });

  it.each(['chunked', ', chunked', 'chunked '])('%j: the mock creates', async (value) => {
    expect(await rawExchange(mock.url, createWith(value))).toMatch(/^HTTP\/1\.1 201 /);
  });

  // The parser takes the head of `chunked<TAB>,` (and 0493's `chunked<TAB>`) as a request, then refuses it: the mock
  // kept it twice, a request the client "closed" and the refusal (decision 0901). Once, refused at that header.
  it('the mock keeps each refused request once, as refused at Transfer-Encoding, in its traffic', async () => {
    const before = mock.traffic!.length;
    const values = [...FLAWS, 'chunked\t'];
    const refused: boolean[] = [];
    for (const value of values) {
      refused.push(!(await nodeServerReads(value)));
      await rawExchange(mock.url, createWith(value));
    }
    const kept = mock.traffic!.slice(before);
    expect(kept.map((t) => [t.answer?.status, t.refusedHead?.where])).toEqual(refused.map((no) => (no ? [400, 'header Transfer-Encoding'] : [201, undefined])));
  });

  it('the proxy refuses the same heads as the client\'s, at Transfer-Encoding, without forwarding them; chunked and ", chunked" go on', async () => {
    await through(`${mock.url}/beta`, async (proxy) => {
      const refused: string[] = [];
      for (const value of FLAWS) {
        const reads = await nodeServerReads(value);
        const answer = await rawExchange(proxy.url, createWith(value));
        if (reads) expect(answer).toMatch(/^HTTP\/1\.1 201 /);
        else {
          refused.push(value);
          expect(answer).toMatch(/^HTTP\/1\.1 400 /);
          expect(messageOf(answer)).toMatch(EMPTY);
        }
      }
      for (const value of ['chunked', ', chunked']) expect(await rawExchange(proxy.url, createWith(value))).toMatch(/^HTTP\/1\.1 201 /);
      while (proxy.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      // One exchange a request, each refused one the client's at that header, nothing else said.
      expect(proxy.exchanges.map((e) => e.outcome)).toEqual([...FLAWS.map((v) => (refused.includes(v) ? 'refused' : 'answered')), 'answered', 'answered']);
      expect(proxy.violations.map((v) => `${v.request} ${v.side} ${v.check} ${v.where}`)).toEqual(refused.map((v) => `${FLAWS.indexOf(v) + 1} client request headers header Transfer-Encoding`));
    });
  });
});
