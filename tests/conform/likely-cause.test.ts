// Decision 0990: conform's end-of-run likely cause for a target that refuses every request with 401 was reached
// by no test (verify's and seed's were). conform, in-process, against a gateway that answers 401 with its challenge:
// the scheme and the header named by the one rule (src/net likelyCause, refusalQuestions); a Bearer challenge asks
// for the bearer; a gateway that refuses only some requests, another way, says no 401 cause.
import { createServer } from 'node:http';
import { conform } from 'vpptokens-contract-kit/conform';
import { listenOnLoopback } from '../support/listen';
import { testEnd } from '../support/test-end';

const APIM = 'AzureApiManagementKey realm="https://gw.example/",name="Ocp-Apim-Subscription-Key",type="header"';

/**
 * A gateway that lets reads through (an empty list) and answers each create 401 with `challenge`, or the status
 * `other(n)` gives the n-th create: every request refused would be conform's set-up error, said before any case.
 */
const gateway = (challenge: string, other: (n: number) => number | undefined = () => undefined) => {
  let creates = 0;
  return listenOnLoopback(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method !== 'POST') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"value":[]}');
        const status = other(++creates);
        if (status !== undefined) return void res.writeHead(status, { 'Content-Type': 'application/json' }).end('{ "error": { "code": "InternalServerError", "message": "failed" } }');
        res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': challenge });
        res.end('{ "statusCode": 401, "message": "Access denied due to missing subscription key." }');
      });
    }),
  );
};

const run = (url: string, extra: { headers?: Record<string, string> } = {}) => conform({ signal: testEnd(), providerBaseUrl: `${url}/beta`, bearer: 'Tk3nAbCdEfGhIjKlMnOpQr', seed: 7, runs: 1, maxRequests: 12, ...extra });

it('says the gateway\'s scheme and header when every request that failed got its 401, and a key given and refused', async () => {
  const gw = await gateway(APIM);
  try {
    const missing = await run(gw.url);
    expect(missing.passed).toBe(false);
    expect(missing.likelyCause).toMatch(/got 401: the target challenges for AzureApiManagementKey, not Bearer \(WWW-Authenticate, RFC 9110 §11\.6\.1\): it wants another credential than the access token, such as a gateway's key; give it with --header "Ocp-Apim-Subscription-Key=\$KEY"$/);
    const given = await run(gw.url, { headers: { 'Ocp-Apim-Subscription-Key': '0123456789abcdef0123456789abcdef' } });
    expect(given.likelyCause).toMatch(/got 401: the target challenges for AzureApiManagementKey, not Bearer \(WWW-Authenticate, RFC 9110 §11\.6\.1\) and names Ocp-Apim-Subscription-Key, which was given with --header and refused: is that key wrong, expired, or for another product or API of the gateway\?$/);
    expect(JSON.stringify(given)).not.toContain('0123456789abcdef');
  } finally {
    await gw.close();
  }
});

it('asks for the bearer under a Bearer challenge, and says no 401 cause when the failures got other statuses too', async () => {
  const bearer = await gateway('Bearer error="invalid_token"');
  try {
    const result = await run(bearer.url);
    expect(result.likelyCause).toBe('every request got 401: is --bearer a valid access token for this target, with DeviceManagementServiceConfig.ReadWrite.All?');
  } finally {
    await bearer.close();
  }
  // Every other create answered 500: no one status behind every failure, so no 401 question.
  const mixed = await gateway(APIM, (n) => (n % 2 === 0 ? 500 : undefined));
  try {
    const result = await run(mixed.url);
    expect(result.passed).toBe(false);
    expect(result.likelyCause).toBeUndefined();
  } finally {
    await mixed.close();
  }
});
