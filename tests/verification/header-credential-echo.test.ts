// Outside finding R90 (decision 0860): a provider that wrote the request's gateway key (`--header
// X-Api-Key=SecretKey0123456789`) into its 400s passed `credentials not echoed` in verify, conform and the proxy,
// though the kit hides that value everywhere as a credential. What a writer hides (credentialLines, the rule of
// headerSecretValues) is what the judgement looks for, by the bearer's one rule (0770's own data included).
import { createServer, request as httpRequest } from 'node:http';
import { createRequestFactory, createdVppToken } from '../../src';
import { credentialEchoProblems, credentialLines, judgeCreateExchange } from '../../src/judgement';
import { startReferenceProvider } from '../../src/provider';
import { verifyProvider } from '../../src/verification';
import { readMessage } from '../../src/wire';
import { listenOnLoopback } from '../support/listen';

const JSON_TYPE = 'application/json;odata.metadata=minimal;charset=utf-8';
const KEY = 'SecretKey0123456789';
const refusal = (message: string) => ({ error: { code: 'BadRequest', message, innerError: { date: '2026-12-04T19:00:00', 'request-id': 'b1f2c3d4-0000-4000-8000-000000000001' } } });
const answerOf = (body: unknown, headers: string[] = []) => readMessage({ headers: ['Content-Type', JSON_TYPE, ...headers], text: JSON.stringify(body) });
const lines = (...pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));
const echoes = (body: unknown, requestLines: { name: string; value: string }[], headers: string[] = [], sent: unknown = { token: '' }) =>
  credentialEchoProblems(answerOf(body, headers), { authorization: 'Bearer abcdefghijklmnop', sent, sentHeaders: requestLines.map((l) => l.value), headerCredentials: credentialLines(requestLines) }, false).map((p) => `${p.where}: ${p.message}`);
const ECHO = "must not contain the credential of the request's X-Api-Key header (not shown): an answer never carries a credential of its request";

describe("credentials not echoed: a credential of the request's other header lines (decision 0860, outside finding R90)", () => {
  it('fails an answer whose error message, a header or a Location carries the gateway key, and passes the same refusal without it', () => {
    const key = lines(['X-Api-Key', KEY]);
    expect(echoes(refusal(`Request with key ${KEY} refused: Property token is required`), key)).toEqual([`body /error/message: ${ECHO}`]);
    expect(echoes(refusal('Property token is required'), key, ['X-Api-Key', KEY])).toEqual([`header X-Api-Key: ${ECHO}`]);
    expect(echoes(refusal('Property token is required'), key)).toEqual([]);
    // In any spelling the redaction knows (percent-encoded), a gateway's bearer-schemed line by its token alone.
    expect(echoes(refusal('x'), key, ['Location', `https://gw.example/?k=${encodeURIComponent(KEY)}`])).toEqual([`header Location: ${ECHO}`]);
    expect(echoes(refusal(`upstream said ${KEY}`), lines(['X-Upstream-Authorization', `Bearer ${KEY}`]))).toEqual([`body /error/message: ${ECHO.replace('X-Api-Key', 'X-Upstream-Authorization')}`]);
    // The value is never shown.
    expect(echoes(refusal(KEY), key).join('\n')).not.toContain(KEY);
  });

  it('does not look for a field known to carry none, a value too short or a word of the contract, as the writers do not hide it', () => {
    const id = 'b1f2c3d4-0000-4000-8000-000000000009';
    // Graph answers client-request-id back as sent: no credential, neither written hidden nor looked for.
    expect(credentialLines(lines(['client-request-id', id], ['X-Debug', 'true'], ['X-Api-Key', 'vppTokens'], ['Prefer', 'return=representation']))).toEqual([]);
    expect(echoes(refusal(`request ${id} refused`), lines(['client-request-id', id]), ['client-request-id', id])).toEqual([]);
    expect(echoes(refusal('debug true'), lines(['X-Debug', 'true']))).toEqual([]);    // A correlation id a facade answers back (X-Request-Id, X-Correlation-Id) is no credential either (lead, after 0860).
    for (const name of ['X-Request-Id', 'X-Correlation-Id', 'Correlation-Id']) {
      expect(credentialLines(lines([name, id]))).toEqual([]);
      expect(echoes(refusal(`request ${id} refused`), lines([name, id]), [name, id])).toEqual([]);
    }
    // Both ways: the same value under a field not known to carry none is looked for.
    expect(echoes(refusal(`request ${id} refused`), lines(['X-Session', id]))).not.toEqual([]);
  });

  it("passes a key that is part of the exchange's own data where it stands there (0770), and fails it elsewhere", () => {
    const factory = createRequestFactory.withSeed(860).buildAt(0);
    const inner = (JSON.parse(Buffer.from(factory.token, 'base64').toString('utf8')) as { token: string }).token;
    const sent = { ...factory, displayName: 'Tenant ASM token', token: Buffer.from(JSON.stringify({ token: inner, expDate: '2041-06-09T09:57:17-0700', orgName: 'Rau Partners' }), 'utf8').toString('base64') };
    const created = createdVppToken(sent, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date() });
    const partners = lines(['X-Api-Key', 'Partners']);
    const judged = (request: typeof sent, body: unknown, headers: string[] = []) =>
      credentialEchoProblems(answerOf(body, headers), { authorization: 'Bearer abcdefghijklmnop', sent: request, sentHeaders: ['Partners'], headerCredentials: credentialLines(partners) }, true).map((p) => p.where);
    expect(judged(sent, created)).toEqual([]);
    // The other way: a create whose sToken does not hold it, and the key in a header of the answer.
    const labs = { ...sent, token: Buffer.from(JSON.stringify({ token: inner, expDate: '2041-06-09T09:57:17-0700', orgName: 'Rau Labs' }), 'utf8').toString('base64') };
    expect(judged(labs, createdVppToken(labs, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date() }), ['X-Echo', 'key Partners'])).toEqual(['header X-Echo']);
    // Its own line is no data of the request: an answer string equal to it is still the key.
    expect(echoes(refusal('x'), lines(['X-Api-Key', KEY]), ['X-Echo', KEY])).toEqual([`header X-Echo: ${ECHO}`]);
    // A bearer that is part of the key's line is looked for too: that line is a credential, not data.
    expect(credentialEchoProblems(answerOf(refusal('x'), ['X-Echo', 'zz-gateway-00001']), { authorization: 'Bearer zz-gateway-00001', sentHeaders: [`zz-gateway-00001${KEY}`], headerCredentials: credentialLines(lines(['X-Api-Key', `zz-gateway-00001${KEY}`])) }, false).map((p) => p.where)).toEqual(['header X-Echo']);
  });

  it('the proxy blames the provider for a 400 that carries the client\'s X-Api-Key, not for the same 400 without it', () => {
    const request = { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Host', '127.0.0.1', 'Authorization', 'Bearer abcdefghijklmnop', 'X-Api-Key', KEY, 'Content-Type', 'application/json'], body: '{}' };
    const answer = (message: string) => ({ status: 400, headers: {}, rawHeaders: ['Content-Type', JSON_TYPE], body: JSON.stringify(refusal(message)) });
    const blamed = (message: string) => judgeCreateExchange(request, answer(message)).filter((p) => p.side === 'provider').map((p) => `${p.check} ${p.where}`);
    expect(blamed(`Request with key ${KEY} refused: Property token is required`)).toEqual(['credentials not echoed body /error/message']);
    expect(blamed('Property token is required')).toEqual([]);
  });
});

describe('verify (outside finding R90)', () => {
  it('fails a provider whose 400 carries the --header key, and passes the reference provider under the same key', async () => {
    const provider = await startReferenceProvider();
    const up = new URL(provider.url);
    // A facade that writes the request's X-Api-Key into every 400's message (the outside finding's target).
    const facade = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = { ...req.headers, 'content-length': String(body.length) };
        delete headers['transfer-encoding'];
        const forward = httpRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers }, (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            let text = Buffer.concat(parts).toString('utf8');
            if (answer.statusCode === 400) text = text.replace('"message":"', `"message":"Request with key ${String(req.headers['x-api-key'])} refused: `);
            res.writeHead(answer.statusCode!, { 'Content-Type': String(answer.headers['content-type']), 'Content-Length': String(Buffer.byteLength(text)) });
            res.end(text);
          });
        });
        forward.end(body);
      });
    });
    try {
      const at = (await listenOnLoopback(facade)).url;
      const run = (base: string) => verifyProvider({ providerBaseUrl: `${base}/beta`, interaction: 'with an empty token', headers: { 'X-Api-Key': KEY } });
      const echoed = await run(at);
      expect([echoed.passed, echoed.interactions.flatMap((i) => i.answerProblems.map((p) => `${p.check} ${p.where}`))]).toEqual([false, ['credentials not echoed body /error/message']]);
      expect(JSON.stringify(echoed)).not.toContain(KEY);
      const correct = await run(provider.url);
      expect([correct.passed, correct.interactions.flatMap((i) => [...i.mismatches, ...i.answerProblems.map((p) => p.message)])]).toEqual([true, []]);
    } finally {
      await new Promise((done) => facade.close(done));
      await provider.close();
    }
  });
});
