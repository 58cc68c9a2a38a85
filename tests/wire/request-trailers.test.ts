// A request's trailer section (decision 0224, outside tester I23 rest): a field whose definition does not let it be
// sent there (Authorization above all, RFC 9110 §6.5.1) is the client's fault in check-client and the proxy; the mock
// and the reference provider answer by the header section alone, as Graph does; its value is never shown.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { checkClient, startReferenceProvider } from 'vpptokens-contract-kit/provider';
import { startJudgingProxy, harOf, proxyReport } from '../../src/proxy';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-trailers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BEARER = 'Bearer eyJhbGciOiJub25lIn0.aGVhZC1iZWFyZXI.';
const TRAILER_SECRET = 'eyJhbGciOiJub25lIn0.dHJhaWxlci1zZWNyZXQtYmVhcmVy.';
const requests = createRequestFactory.withSeed(2417);

/** A chunked create: these header fields, then the body, then these trailer fields. */
function chunkedCreate(url: string, head: Record<string, string>, trailers: Record<string, string>, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', Trailer: Object.keys(trailers).join(', '), ...head } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.write(JSON.stringify(body));
    req.addTrailers(trailers);
    req.end();
  });
}

describe('the reference provider', () => {
  it('answers by the header section alone: a bearer only in the trailer is no bearer (401), one in the head is used (201); the trailer is never echoed', async () => {
    const provider = await startReferenceProvider();
    try {
      const trailerOnly = await chunkedCreate(provider.url, {}, { Authorization: `Bearer ${TRAILER_SECRET}` }, requests.buildAt(0));
      expect(trailerOnly.status).toBe(401);
      const both = await chunkedCreate(provider.url, { Authorization: BEARER }, { Authorization: `Bearer ${TRAILER_SECRET}` }, requests.buildAt(1));
      expect(both.status).toBe(201);
      for (const answer of [trailerOnly, both]) expect(answer.text).not.toContain(TRAILER_SECRET.slice(20, 44));
    } finally {
      await provider.close();
    }
  });
});

describe('check-client', () => {
  const client = join(dir, 'trailer-client.js');
  writeFileSync(
    client,
    `const http = require('node:http');
const [name, value] = process.argv.slice(2);
const req = http.request(process.env.VPPKIT_MOCK_URL + '/deviceAppManagement/vppTokens', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: ${JSON.stringify(BEARER)}, 'Transfer-Encoding': 'chunked', Trailer: name } }, (res) => { res.resume(); res.on('end', () => process.exit(res.statusCode === 201 ? 0 : 3)); });
req.write(JSON.stringify(${JSON.stringify(requests.buildAt(2))}));
req.addTrailers({ [name]: value });
req.end();`,
  );

  it('fails a client that sends Authorization in the trailer section, naming the field and not its value; one with a checksum trailer passes', async () => {
    const bad = await checkClient({ command: process.execPath, args: [client, 'Authorization', `Bearer ${TRAILER_SECRET}`], consumer: 'trailer-bad', pactDir: dir, stdio: 'pipe' });
    expect(bad.passed).toBe(false);
    expect(bad.requests.map((r) => [r.status, r.problems.map((p) => `${p.where}: ${p.message}`)])).toEqual([
      [201, ['trailer Authorization: must not be sent in the trailer section (RFC 9110 §6.5.1: it is authentication: Graph reads the bearer from the header section only, and answers by it before the content ends); its value is not used nor shown']],
    ]);
    expect(JSON.stringify({ ...bad, traffic: undefined })).not.toContain(TRAILER_SECRET.slice(20, 44));
    expect(bad.pactFile).toBeUndefined();
    const good = await checkClient({ command: process.execPath, args: [client, 'X-Content-Checksum', 'sha256-abc'], consumer: 'trailer-good', pactDir: dir, stdio: 'pipe' });
    expect(good.failures).toEqual([]);
    expect(good.passed).toBe(true);
  });
});

describe('the proxy', () => {
  it('puts an Authorization trailer on the client as a violation, never in its files; a checksum trailer is none', async () => {
    const provider = await startReferenceProvider();
    const proxy = await startJudgingProxy({ target: provider.url, keepBodies: true });
    try {
      expect((await chunkedCreate(proxy.url, { Authorization: BEARER }, { Authorization: `Bearer ${TRAILER_SECRET}` }, requests.buildAt(3))).status).toBe(201);
      expect((await chunkedCreate(proxy.url, { Authorization: BEARER }, { 'X-Content-Checksum': 'sha256-abc' }, requests.buildAt(4))).status).toBe(201);
    } finally {
      await proxy.close();
      await provider.close();
    }
    expect(proxy.violations.map((v) => [v.request, v.side, v.check, v.where])).toEqual([[1, 'client', 'authorization', 'trailer Authorization']]);
    const written = JSON.stringify([harOf(proxy.exchanges, { name: 'vppkit', version: '0' }), proxyReport(proxy)]);
    expect(written).toContain('must not be sent in the trailer section');
    expect(written).not.toContain(TRAILER_SECRET.slice(20, 44));
  });
});
