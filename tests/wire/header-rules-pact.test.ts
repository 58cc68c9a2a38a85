// Issue 15 item 2: one rule per header. Every Authorization and Content-Type the judgement accepts, the pact the
// kit writes for that request accepts again (Pact's own Rust matcher, through its mock server); what the
// judgement refuses, the pact refuses too.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCreateRequest, createRequestFactory } from 'vpptokens-contract-kit';
import { createInteraction, exampleOf, writePact, type InteractionSpec } from 'vpptokens-contract-kit/pact';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-header-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const body = createRequestFactory.withSeed(5).withTraits('minimal').buildAt(0);
const spec = createInteraction('a request to create a vppToken with only its token', body);
const text = JSON.stringify(exampleOf(spec.request.body));

/** Sends the interaction's body with exactly these header values, and gives the mock server's status. */
function send(url: string, authorization: string, contentType: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = request(`${url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { Authorization: authorization, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    out.on('error', reject);
    out.end(text);
  });
}

const accepted: [string, string][] = [
  ['bearer x', 'application/json'],
  ['BEARER eyJ0eXAiOiJKV1QifQ.e30.', 'Application/JSON; Charset=UTF-8'],
  ['Bearer  abc-._~+/==', 'application/json ; charset=utf-8'],
  ['Bearer t', 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'],
  ['bEaReR 0', 'application/json; profile="a b;c"'],
];

describe.each(accepted)('Authorization %j with Content-Type %j', (authorization, contentType) => {
  it('is accepted by the judgement, and by the pact written for it', async () => {
    const observed = { method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Authorization', authorization, 'Content-Type', contentType], body: text };
    expect(checkCreateRequest(observed)).toEqual([]);
    let status = 0;
    const consumer = `variant-${accepted.findIndex(([a]) => a === authorization)}`;
    await writePact([spec], { consumer, dir, send: async (_spec: InteractionSpec, mockServer) => (status = await send(mockServer.url, authorization, contentType)) });
    expect(status).toBe(201);
  });
});

it.each([
  ['Basic eDp5', 'application/json', 'header Authorization'],
  ['Bearer x', 'text/plain', 'header Content-Type'],
])('the judgement and the pact both refuse Authorization %j with Content-Type %j', async (authorization, contentType, where) => {
  const observed = { method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Authorization', authorization, 'Content-Type', contentType], body: text };
  expect(checkCreateRequest(observed).map((p) => p.where)).toEqual([where]);
  let status = 0;
  await expect(writePact([spec], { consumer: `refused-${where.replace(/\W/g, '')}`, dir, send: async (_spec, mockServer) => (status = await send(mockServer.url, authorization, contentType)) })).rejects.toThrow();
  expect(status).not.toBe(201);
});
