// Outside tester R36: the proxy forwarded a target's `103 Early Hints` carrying `X-Debug-Auth: <the request's bearer>`
// to the client (RFC 9110 §15.2 has a proxy forward 1xx answers) and said the create "kept the contract". An interim
// answer is part of the answer: judged with it, and one that carries a credential of the request is not passed on
// (decision 0521); a plain one still is.
import { connect } from 'node:net';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';
import { relayFront } from '../support/front';
import { through } from '../support/through-proxy';

const TOKEN = 'Zq9Xw2Lk7Rt4Vb8Nm3Hs6Jd1Fg5Cp0Y';
const body = JSON.stringify(createRequestFactory.withSeed(36).buildAt(0));

/** The reference provider behind a front that sends a 103 before each answer: with Link hints only, or echoing the request's Authorization too. */
const earlyHintsFront = (target: ReferenceProvider, echo: boolean) =>
  relayFront(target, (req, res) => res.writeEarlyHints({ link: '</app.css>; rel=preload; as=style', ...(echo ? { 'x-debug-auth': req.headers.authorization ?? '' } : {}) }));

/** The bytes a client gets for one request through `url`, up to its final status line. */
function beforeFinal(url: string, method: string, path: string, text = ''): Promise<string> {
  return new Promise((resolve) => {
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      const got = Buffer.concat(chunks).toString('latin1');
      resolve(got.slice(0, got.search(/HTTP\/1\.1 [2-5]\d\d /)));
    });
    const length = text ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` : '';
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n${length}Connection: close\r\n\r\n${text}`);
  });
}

let target: ReferenceProvider;
beforeAll(async () => {
  target = await startReferenceProvider();
});
afterAll(async () => {
  await target.close();
});

it('forwards a plain 103 Early Hints and judges the create as before', async () => {
  const front = await earlyHintsFront(target, false);
  try {
    await through(`${front.url}/beta`, async (proxy, lines) => {
      expect(await beforeFinal(proxy.url, 'POST', '/deviceAppManagement/vppTokens', body)).toBe('HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload; as=style\r\n\r\n');
      expect(proxy.violations).toEqual([]);
      expect(lines.join('\n')).toMatch(/-> 201 [\d.]+ms: kept the contract$/);
    });
  } finally {
    await front.close();
  }
});

it("does not forward a 103 that echoes the request's bearer, fails the create at that interim answer, and says so", async () => {
  const front = await earlyHintsFront(target, true);
  try {
    await through(`${front.url}/beta`, async (proxy, lines) => {
      expect(await beforeFinal(proxy.url, 'POST', '/deviceAppManagement/vppTokens', body)).toBe('');
      expect(proxy.violations.map((v) => [v.side, v.check, v.where])).toEqual([['provider', 'credentials not echoed', 'interim 103 header x-debug-auth']]);
      expect(proxy.exchanges[0].interimNotForwarded).toEqual([103]);
      expect(lines.join('\n')).toMatch(/-> 201 [\d.]+ms \(interim 103 not forwarded: it carried a credential of the request\): 1 violation$/m);
      // A read's answer is not judged by the proxy, but its 103 is not passed on either.
      expect(await beforeFinal(proxy.url, 'GET', '/deviceAppManagement/vppTokens')).toBe('');
      expect(proxy.exchanges[1].interimNotForwarded).toEqual([103]);
      expect(lines.join('\n')).not.toContain(TOKEN);
    });
  } finally {
    await front.close();
  }
});
