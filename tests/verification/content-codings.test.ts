// An answer's content coding, as RFC 9110 §8.4 gives it, is read by verify as by conform and seed (outside tester
// H5): a coding in capitals (`GZIP`), `x-gzip` (§8.4.1.3), two codings in the order applied (`deflate, gzip`).
// Pact's verifier reads only a lower-case `gzip` itself, so the forwarder hands Pact the decoded body; a coding
// that lies is still the provider's fault, said in the kit's own words.
import { request } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';
import { frontOf, verifiedThrough } from '../support/front';

type Coding = 'GZIP' | 'x-gzip' | 'deflate, gzip' | 'gzip, but plain bytes';

/** The reference provider behind a front that sends every answer with `coding`. */
function codingFront(target: ReferenceProvider, coding: Coding) {
  return frontOf(target, (req, res, body) => {
    // Host passed on, as a transparent front does: the reference provider names the host its client asked (decision 0190).
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([n]) => n !== 'accept-encoding'));
    const out = request(`${target.url}${req.url}`, { method: req.method, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const plain = Buffer.concat(chunks);
        const encoded = coding === 'deflate, gzip' ? gzipSync(deflateSync(plain)) : coding === 'gzip, but plain bytes' ? plain : gzipSync(plain);
        const kept = Object.entries(answer.headers).filter(([n]) => !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(n));
        res.writeHead(answer.statusCode ?? 502, [...kept.flatMap(([n, v]) => [n, String(v)]), 'Content-Encoding', coding === 'gzip, but plain bytes' ? 'gzip' : coding, 'Content-Length', String(encoded.length)]);
        res.end(encoded);
      });
    });
    out.end(body);
    return true;
  });
}

let target: ReferenceProvider;
beforeAll(async () => {
  target = await startReferenceProvider();
});
afterAll(async () => {
  await target.close();
});

describe('verify reads an answer in any content coding RFC 9110 allows', () => {
  it.each<Coding>(['GZIP', 'x-gzip', 'deflate, gzip'])('passes a provider answering with Content-Encoding: %s', async (coding) => {
    const verified = await verifiedThrough(await codingFront(target, coding), { interaction: 'every property' });
    expect(verified.interactions.flatMap((i) => [...i.mismatches, ...i.answerProblems])).toEqual([]);
    expect(verified.passed).toBe(true);
  });

  it('fails a provider whose Content-Encoding lies, in its own words at the body', async () => {
    const verified = await verifiedThrough(await codingFront(target, 'gzip, but plain bytes'), { interaction: 'every property' });
    expect(verified.passed).toBe(false);
    expect(verified.interactions[0].answerProblems).toEqual([expect.objectContaining({ check: 'response schema', where: 'body', message: expect.stringMatching(/^is not gzip data, as its Content-Encoding says/) })]);
  });
});
