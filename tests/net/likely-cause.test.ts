// The one rule for "every request failed the same way: say the likely cause once" (issue 15 item 6).
import { request } from 'node:http';
import { conform } from 'vpptokens-contract-kit/conform';
import { startReferenceProvider } from 'vpptokens-contract-kit/provider';
import { challengeQuestion, likelyCause, refusalQuestions, targetQuestions } from '../../src/net';
import { frontOf } from '../support/front';
import { testEnd } from '../support/test-end';

const questions = targetQuestions('--target');

describe('likelyCause', () => {
  it('names the cause when every failed request got the same set-up status', () => {
    expect(likelyCause([404, 404, 404], questions)).toBe('every request got 404: is the base path of --target right (such as https://graph.microsoft.com/beta, without /deviceAppManagement/vppTokens)?');
    expect(likelyCause([401], questions)).toBe('every request got 401: is --bearer a valid access token for this target, with DeviceManagementServiceConfig.ReadWrite.All?');
    expect(likelyCause([415, 415], questions, 3)).toBe('every request that failed (2 of 3) got 415: does the target take Content-Type: application/json?');
  });

  // Outside finding K9: a target that redirects every request is the URL given (decision 0285).
  // A 303 See Other moves nothing: processed, its result elsewhere (RFC 9110 §15.4.4; outside finding R141, decision 1230).
  it('names a redirect on every request as the URL given, whichever redirect status; a 303 as a front that answers for the service', () => {
    for (const status of [301, 302, 307, 308]) {
      expect(likelyCause([status, status], questions)).toBe(`every request got ${status}: the target redirects (its Location says where), and vppkit follows no redirect: is --target the URL that answers itself (https rather than http, its host and base path as the target names them)?`);
    }
    expect(likelyCause([303, 303], questions)).toBe('every request got 303: the target answers 303 See Other, which says the request was processed and points at another resource for its result (RFC 9110 §15.4.4), where Graph answers itself (201 Created to a create, 200 to a read), and vppkit follows no redirect: is --target the service itself, not a front that sends each request elsewhere (a sign-in page)?');
    expect(likelyCause([307, 308], questions)).toBeUndefined();
    expect(likelyCause([304, 304], questions)).toBeUndefined();
  });

  it('says nothing for mixed statuses, a request without an answer, a status it has no question for, or one failure among many', () => {
    expect(likelyCause([404, 401], questions)).toBeUndefined();
    expect(likelyCause([404, undefined], questions)).toBeUndefined();
    expect(likelyCause([null], questions)).toBeUndefined();
    expect(likelyCause([500, 500], questions)).toBeUndefined();
    expect(likelyCause([400, 400], questions)).toBeUndefined();
    expect(likelyCause([404], questions, 17)).toBeUndefined();
    expect(likelyCause([], questions)).toBeUndefined();
    expect(likelyCause([404, 404], { 401: 'the bearer?' })).toBeUndefined();
  });

  // Outside attacker R112: behind a gateway that refuses everything, the create that asks for a 401 got the gateway's
  // 401 too and failed for its challenge; it is no exception to "every request got 401". Alone, or of another status,
  // a failure for something else says nothing (outside attacker L3).
  it('counts a failure for something else that got the same status, and only beside failures of that status', () => {
    expect(likelyCause([401, 401], questions, 3, [401])).toBe('every request got 401: is --bearer a valid access token for this target, with DeviceManagementServiceConfig.ReadWrite.All?');
    expect(likelyCause([401], questions, 4, [401])).toMatch(/^every request that failed \(2 of 4\) got 401: /);
    expect(likelyCause([401, 401], questions, 3, [415])).toBeUndefined();
    expect(likelyCause([401, 401], questions, 3, [undefined])).toBeUndefined();
    expect(likelyCause([], questions, 3, [401, 401])).toBeUndefined();
    expect(likelyCause([401], questions, 2, [])).toBeUndefined();
  });
});

describe('challengeQuestion', () => {
  const APIM = 'AzureApiManagementKey realm="https://gw.example/",name="Ocp-Apim-Subscription-Key",type="header"';
  const ASK = 'the target challenges for AzureApiManagementKey, not Bearer (WWW-Authenticate, RFC 9110 §11.6.1): it wants another credential than the access token, such as a gateway\'s key; give it with --header "Ocp-Apim-Subscription-Key=$KEY"';
  const REFUSED = 'the target challenges for AzureApiManagementKey, not Bearer (WWW-Authenticate, RFC 9110 §11.6.1) and names Ocp-Apim-Subscription-Key, which was given with --header and refused: is that key wrong, expired, or for another product or API of the gateway?';

  // Outside attacker R115: asking for the key that was given sends the user to the option, not to the key.
  it('says the header the challenge names was given and refused, in any case of its name; asks for it when it was not given', () => {
    expect(challengeQuestion([APIM, APIM])).toBe(ASK);
    expect(challengeQuestion([APIM], ['X-Api-Key'])).toBe(ASK);
    expect(challengeQuestion([APIM], ['Ocp-Apim-Subscription-Key'])).toBe(REFUSED);
    expect(challengeQuestion([APIM], ['X-Api-Key', 'OCP-APIM-SUBSCRIPTION-KEY'])).toBe(REFUSED);
    // A challenge naming no header asks its credentials in Authorization, which --header cannot set (decision 1132).
    expect(challengeQuestion(['ApiKey realm="gw"'], ['Ocp-Apim-Subscription-Key'])).toMatch(/^the target challenges for ApiKey, not Bearer .*: it asks its credentials in Authorization \(RFC 9110 §11\.6\.2\), which carries the access token, so the kit cannot send both; point the target at a URL that takes the Bearer access token, or at a gateway that reads its key from a header of its own, which --header can give$/);
    // Decision 1132 (outside finding R132): Basic goes in Authorization, never to --header Authorization (refused);
    // a key asked in the query is never sent to a header; each scheme named as written.
    for (const basic of ['Basic realm="gateway", charset="UTF-8"', 'basic realm="gateway"', 'Digest realm="gw", nonce="n"']) {
      const said = challengeQuestion([basic])!;
      expect([said, said.includes('--header "Authorization')]).toEqual([expect.stringMatching(/^the target challenges for (Basic|basic|Digest), not Bearer \(WWW-Authenticate, RFC 9110 §11\.6\.1\): it asks its credentials in Authorization/), false]);
    }
    const query = 'AzureApiManagementKey realm="https://gw.example/",name="subscription-key",type="query"';
    expect(challengeQuestion([query])).toBe('the target challenges for AzureApiManagementKey, not Bearer (WWW-Authenticate, RFC 9110 §11.6.1) and asks its key subscription-key in the query, which the kit does not send (a base URL takes no query): have the gateway read its key from a header (API Management: Ocp-Apim-Subscription-Key) and give it with --header, or point the target past the gateway');
    expect(challengeQuestion([query.replace('type="query"', 'type=Query')])).toMatch(/asks its key subscription-key in the query/);
    expect(challengeQuestion([query.replace('type="query"', 'type="header"')])).toMatch(/give it with --header "subscription-key=\$KEY"$/);
    // A Bearer challenge among them: the bearer's question stands, whatever was given.
    expect(challengeQuestion([APIM, 'Bearer realm="graph"'], ['Ocp-Apim-Subscription-Key'])).toBeUndefined();
  });

  it('is the 401 question of every command that sends to a target (verify, conform, seed)', () => {
    expect(refusalQuestions(questions, [APIM], ['ocp-apim-subscription-key'])[401]).toBe(REFUSED);
    expect(refusalQuestions(questions, [APIM])[404]).toBe(questions[404]);
    expect(refusalQuestions(questions, ['Bearer'], ['ocp-apim-subscription-key'])).toBe(questions);
  });
});

// Outside attacker L3: conform's own negative cases (no Authorization, two Content-Type lines) are answered 401 or 415
// rightly; when one fails for its answer's headers or body, the status is not what failed, and says nothing of set-up.
describe("conform's likely cause", () => {
  /**
   * The reference provider behind a front that rewrites its answers of `status` with `rewrite` (their status kept):
   * a provider whose 401s carry no challenge, or whose 415s are text/plain.
   */
  async function rewriting(status: number, rewrite: (headers: Record<string, string | string[] | undefined>, body: Buffer) => { headers: Record<string, string | string[] | undefined>; body: Buffer }) {
    const provider = await startReferenceProvider({ bodyLimit: SMALL });
    const front = await frontOf(provider, (req, res, body) => {
      // Its raw lines: the negative cases' two Authorization or Content-Type lines stay two.
      const out = request(`${provider.url}${req.url}`, { method: req.method, headers: req.rawHeaders }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const kept = { ...answer.headers };
          delete kept['content-length'];
          delete kept['transfer-encoding'];
          const changed = answer.statusCode === status ? rewrite(kept, Buffer.concat(chunks)) : { headers: kept, body: Buffer.concat(chunks) };
          res.writeHead(answer.statusCode ?? 502, { ...changed.headers, 'content-length': changed.body.length });
          res.end(changed.body);
        });
      });
      out.on('error', () => res.destroy());
      out.end(body);
      return true;
    });
    return { url: front.url, close: async () => (await front.close(), await provider.close()) };
  }
  const SMALL = 64 * 1024;
  const run = async (target: { url: string; close: () => Promise<void> }, bearer?: string) => {
    try {
      return await conform({ signal: testEnd(), providerBaseUrl: `${target.url}/beta`, ...(bearer ? { bearer } : {}), seed: 1, runs: 2, bodyLimit: SMALL, maxRequests: 60 });
    } finally {
      await target.close();
    }
  };

  it('is not the bearer when only the requests without a good one failed, for a 401 without its Bearer challenge', async () => {
    const result = await run(await rewriting(401, ({ 'www-authenticate': _challenge, ...headers }, body) => ({ headers, body })));
    expect(result.passed).toBe(false);
    const failed = result.findings.filter((f) => f.answer.status === 401).map((f) => [f.check, f.where]);
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map(String))).toEqual(new Set(['response headers,header WWW-Authenticate']));
    expect(result.likelyCause).toBeUndefined();
  });

  it('is not the Content-Type when only the requests with a wrong one failed, for a 415 as text/plain', async () => {
    const result = await run(await rewriting(415, (headers) => ({ headers: { ...headers, 'content-type': 'text/plain' }, body: Buffer.from('Unsupported Media Type') })));
    expect(result.passed).toBe(false);
    expect(result.findings.filter((f) => f.answer.status === 415).length).toBeGreaterThan(0);
    expect(result.findings.every((f) => f.answer.status === 415 && f.check !== 'status')).toBe(true);
    expect(result.likelyCause).toBeUndefined();
  });

  it('is the Content-Type when the valid creates are refused 415 too: the status is what failed', async () => {
    // Every create answered 415, whatever it carries: each failure is its status, and the hint stands.
    const provider = await startReferenceProvider({ bodyLimit: SMALL });
    const front = await frontOf(provider, (req, res) => {
      if (req.method !== 'POST') return false;
      res.writeHead(415, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'UnsupportedMediaType', message: 'The content type is not supported.' } }));
      return true;
    });
    const result = await run({ url: front.url, close: async () => (await front.close(), await provider.close()) }, 'a-good-bearer');
    expect(result.passed).toBe(false);
    expect(result.likelyCause).toMatch(/^every request that failed \(\d+ of \d+\) got 415: does the target take Content-Type: application\/json\?$/);
  });
});
