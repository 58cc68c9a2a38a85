// What passes between Pact's verifier and the Pact Broker goes through verify's broker relay (decision 0286): each
// request bounded by --timeout and a silent broker named (outside finding K3), and --publish publishing the run's
// own verdicts (decision 0269).
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { VPP_TOKENS_PROVIDER } from 'vpptokens-contract-kit/pact';
import { CANONICAL_PACT, startReferenceProvider, verifyProvider, type ReferenceProvider } from 'vpptokens-contract-kit/provider';
import { startBrokerRelay } from '../../src/verification/broker-relay';
import { startFakeBroker } from '../support/fake-broker';
import { frontOf } from '../support/front';
import { listenOnLoopback } from '../support/listen';
import { selfSignedCertificate, tlsInFrontOf } from '../support/tls';
import { run as vppkit } from '../support/run-cli';

const BEARER = 'Zq8xV3mK9pL2wR7tY4nH6jF1cD5sA0eG';
const ONE = 'with only its token';
/** The canonical pact's interactions: the fake broker names the n-th `interaction-n`. */
const descriptions = (JSON.parse(readFileSync(CANONICAL_PACT, 'utf8')) as { interactions: { description: string }[] }).interactions.map((i) => i.description);
const idOf = (end: string) => `interaction-${descriptions.findIndex((d) => d.endsWith(end)) + 1}`;

let provider: ReferenceProvider;
beforeAll(async () => {
  provider = await startReferenceProvider();
});
afterAll(() => provider.close());

// Outside finding K3: a broker that took the connection and never answered held the run to --total-timeout (and
// 10 s more), which then said "did not finish", naming no broker.
describe('a Pact Broker that does not answer', () => {
  it('ends the run after --timeout, naming the broker (no credentials) and the request: exit 2, in one line', async () => {
    const silent = await listenOnLoopback(createServer(() => undefined));
    try {
      const why = new RegExp(`^the Pact Broker at ${silent.url.replace(/\./g, '\\.')} did not answer GET / within 1 s \\(--timeout\\): is --broker-url \\(PACT_BROKER_BASE_URL\\) the broker's address, and is the broker up\\?$`);
      await expect(verifyProvider({ providerBaseUrl: provider.url, broker: { url: silent.url, token: 'broker-secret-token', consumerVersionSelectors: [{ mainBranch: true }] }, timeoutMs: 1000, totalTimeoutMs: 300_000 })).rejects.toThrow(why);
      const cli = await vppkit(['verify', '--provider-base-url', provider.url, '--broker-url', silent.url, '--broker-token', 'broker-secret-token', '--timeout', '1', '--total-timeout', '300']);
      expect(cli.code).toBe(2);
      expect(cli.stderr).toMatch(new RegExp(`^vppkit: ${why.source.slice(1, -1)}\n$`));
      expect(cli.stderr).not.toContain('did not finish');
      expect(`${cli.stdout}${cli.stderr}`).not.toContain('broker-secret-token');
    } finally {
      await silent.close();
    }
  });

  it('names the request it was silent on when it answered the ones before (each request has its own bound)', async () => {
    const broker = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER, { silent: (method) => method === 'POST' });
    try {
      const cli = await vppkit(['verify', '--provider-base-url', provider.url, '--broker-url', broker.url, '--timeout', '1', '--total-timeout', '300']);
      expect(cli.code).toBe(2);
      expect(cli.stderr).toContain(`vppkit: the Pact Broker at ${broker.url} did not answer POST /pacts/provider/${VPP_TOKENS_PROVIDER}/for-verification within 1 s (--timeout)`);
      // The index was asked and answered first.
      expect(broker.requests.map((r) => `${r.method} ${r.path}`).slice(0, 3)).toEqual(['GET /', `GET /pacts/provider/${VPP_TOKENS_PROVIDER}/for-verification`, `POST /pacts/provider/${VPP_TOKENS_PROVIDER}/for-verification`]);
    } finally {
      await broker.close();
    }
  });

  // The README said the broker's certificate is checked as the provider's (--ca, --insecure); Pact checked it with its
  // own store, which --ca never reached (decision 0286).
  it('checks an https broker\'s certificate as the provider\'s: untrusted is one line (exit 2), --ca trusts it', async () => {
    const certificate = selfSignedCertificate();
    const broker = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER);
    const front = await tlsInFrontOf(broker.url, certificate);
    try {
      const untrusted = await vppkit(['verify', '--provider-base-url', provider.url, '--broker-url', front.url, '--interaction', ONE]);
      expect(untrusted.code).toBe(2);
      expect(untrusted.stderr).toBe(`vppkit: the certificate of ${new URL(front.url).host} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT): give its CA with --ca FILE, or use --insecure for a throwaway test server\n`);
      const trusted = await vppkit(['verify', '--provider-base-url', provider.url, '--broker-url', front.url, '--interaction', ONE, '--ca', certificate.certFile]);
      expect(trusted.stderr).toBe('');
      expect(trusted.code).toBe(0);
      expect(trusted.stdout).toMatch(/1 interaction verified against .*: 1 passed, 0 failed$/m);
    } finally {
      await Promise.all([front.close(), broker.close()]);
    }
  });

  it('the same broker answering: the pacts it gives are verified (exit 0)', async () => {
    const broker = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER);
    try {
      const cli = await vppkit(['verify', '--provider-base-url', provider.url, '--broker-url', broker.url, '--timeout', '1', '--interaction', ONE]);
      expect(cli.code).toBe(0);
      expect(cli.stdout).toMatch(/1 interaction verified against .*: 1 passed, 0 failed$/m);
    } finally {
      await broker.close();
    }
  });
});

// Noticed after outside finding K22 (0269 first said it, now does it): Pact published its own verdicts, so an
// interaction the kit's judgement failed (the schemas, credentials not echoed) was `success: true` at the broker
// beside the run's exit 1, and can-i-deploy took the broker's green for the run's.
describe('verify --publish publishes the run\'s own verdicts', () => {
  /** A front that echoes the request's bearer in a header of each 201: a failure only the kit's judgement sees. */
  const echoing = () =>
    frontOf(provider, (req, res, body) => {
      if (req.method !== 'POST') return false;
      const out = request(`${provider.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, [...answer.rawHeaders, ...(answer.statusCode === 201 ? ['x-debug-auth', String(req.headers.authorization)] : [])]);
        answer.pipe(res);
      });
      out.end(body);
      return true;
    });
  const args = (broker: string, target: string, ...more: string[]) => ['verify', '--broker-url', broker, '--provider-base-url', target, '--bearer', BEARER, '--publish', '--provider-version', '1.0.0', ...more];
  type Published = { success: boolean; providerApplicationVersion: string; testResults: { interactionId?: string; interactionDescription?: string; success: boolean; mismatches?: { attribute: string; identifier?: string; description: string }[] }[] };
  const publishedTo = (broker: Awaited<ReturnType<typeof startFakeBroker>>) => broker.requests.filter((r) => r.path.endsWith('/verification-results')).map((r) => r.body as Published);

  it('an interaction only the kit failed is published as failed, with its finding and without the credential; one the kit passes as passed', async () => {
    const echo = await echoing();
    const [failing, passing] = [await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER), await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER)];
    try {
      const echoed = await vppkit(args(failing.url, echo.url, '--interaction', ONE));
      expect(echoed.code).toBe(1);
      expect(echoed.stdout).toContain('credentials not echoed: header x-debug-auth');
      const [published] = publishedTo(failing);
      expect(publishedTo(failing)).toHaveLength(1);
      expect(published).toMatchObject({ success: false, providerApplicationVersion: '1.0.0' });
      expect(published.testResults).toHaveLength(1);
      expect(published.testResults[0]).toMatchObject({ interactionId: idOf(ONE), interactionDescription: `a request to create a vppToken ${ONE}`, success: false });
      expect(published.testResults[0].mismatches).toEqual([expect.objectContaining({ attribute: 'header', identifier: 'x-debug-auth', description: expect.stringMatching(/^credentials not echoed: header x-debug-auth: /) })]);
      expect(JSON.stringify(published)).not.toContain(BEARER);
      // The published results are the run's: nothing left to warn of, and the run says where they went.
      expect(echoed.stderr).not.toContain('published');
      expect(echoed.stdout).toContain(`vppkit verify: the run's verdicts published to the Pact Broker at ${failing.url} as provider version 1.0.0: 1 pact, failed\n`);
      const asJson = await vppkit([...args(failing.url, echo.url, '--interaction', ONE), '--json']);
      expect(JSON.parse(asJson.stdout).published).toEqual({ brokerUrl: failing.url, providerVersion: '1.0.0', pacts: 1, success: false });

      const clean = await vppkit(args(passing.url, provider.url, '--interaction', ONE));
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain(`vppkit verify: the run's verdicts published to the Pact Broker at ${passing.url} as provider version 1.0.0: 1 pact, passed\n`);
      expect(publishedTo(passing)).toEqual([expect.objectContaining({ success: true, providerApplicationVersion: '1.0.0', testResults: [{ interactionId: idOf(ONE), interactionDescription: `a request to create a vppToken ${ONE}`, success: true }] })]);
    } finally {
      await Promise.all([echo.close(), failing.close(), passing.close()]);
    }
  });

  it('keeps Pact\'s mismatches beside the kit\'s, each interaction of the pact its own verdict', async () => {
    const broker = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER);
    // The create with only its token answered 202: Pact's status mismatch; every other interaction passes.
    const wrong = await frontOf(provider, (req, res, body) => {
      if (req.method !== 'POST' || Object.keys(JSON.parse(body.toString('utf8')) as object).length !== 1) return false;
      const out = request(`${provider.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode === 201 ? 202 : (answer.statusCode ?? 502), answer.rawHeaders);
        answer.pipe(res);
      });
      out.end(body);
      return true;
    });
    try {
      const cli = await vppkit(args(broker.url, wrong.url));
      expect(cli.code).toBe(1);
      const [published] = publishedTo(broker);
      expect(published.success).toBe(false);
      expect(published.testResults).toHaveLength(descriptions.length);
      expect(published.testResults.map((r) => r.interactionId)).toEqual(descriptions.map((_, i) => `interaction-${i + 1}`));
      const failed = published.testResults.filter((r) => !r.success);
      expect(failed.map((r) => r.interactionId)).toEqual([idOf(ONE)]);
      expect(failed[0].mismatches).toContainEqual(expect.objectContaining({ attribute: 'status', description: expect.stringContaining('expected 201 but was 202') }));
    } finally {
      await Promise.all([broker.close(), wrong.close()]);
    }
  });

  // Outside finding R72: Pact records --provider-branch first (a PUT to the provider's pb:branch-version link) and,
  // when it cannot (a broker before branch support, or a pact without pb:provider), sends no results at all: the run
  // said its summary and exited 0, nothing published, no `published` line (decision 0720).
  it('results Pact never sent (no pb:branch-version or pb:provider link for --provider-branch) are exit 2, not published, saying why; without the branch they are published', async () => {
    const [branchless, unlinked] = [await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER, { branches: false }), await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER, { providerLink: false })];
    try {
      const old = await vppkit([...args(branchless.url, provider.url, '--interaction', ONE, '--provider-branch', 'main'), '--json']);
      expect(old.code).toBe(2);
      expect(old.stderr).toMatch(new RegExp(`^vppkit: the Pact Broker at ${branchless.url.replace(/\./g, '\\.')} has no pb:branch-version link for the provider \\(GET /pacticipants/${VPP_TOKENS_PROVIDER}\\), where Pact records --provider-branch before it publishes, so Pact sent none for the pact at /pacts/provider/${VPP_TOKENS_PROVIDER}/consumer/[^ ]+ \\(a Pact Broker before 2\\.86 has no branches: publish without --provider-branch, or upgrade it\\): the verification results were not published \\(1 interaction verified against .*: 1 passed, 0 failed\\)\n$`));
      const said = JSON.parse(old.stdout) as Record<string, unknown>;
      expect(said).toMatchObject({ passed: false, exitCode: 2, error: old.stderr.slice('vppkit: '.length, -1) });
      expect(said).not.toHaveProperty('published');
      expect(publishedTo(branchless)).toEqual([]);
      const noProvider = await vppkit(args(unlinked.url, provider.url, '--interaction', ONE, '--provider-branch', 'main'));
      expect(noProvider.code).toBe(2);
      expect(noProvider.stderr).toMatch(/^vppkit: the Pact Broker at \S+ gave the pact at \S+ without a pb:provider link, through which Pact records --provider-branch before it publishes, so Pact sent none for it \(publish without --provider-branch\): the verification results were not published \(1 interaction verified against .*: 1 passed, 0 failed\)\n$/);
      expect(publishedTo(unlinked)).toEqual([]);

      // The same broker without --provider-branch: Pact sends the results, the run's verdicts are published.
      const plain = await vppkit(args(branchless.url, provider.url, '--interaction', ONE));
      expect(plain.code).toBe(0);
      expect(plain.stdout).toContain(`vppkit verify: the run's verdicts published to the Pact Broker at ${branchless.url} as provider version 1.0.0: 1 pact, passed\n`);
      expect(publishedTo(branchless)).toEqual([expect.objectContaining({ success: true, providerApplicationVersion: '1.0.0' })]);
    } finally {
      await Promise.all([branchless.close(), unlinked.close()]);
    }
  });

  // Outside finding R91 (decision 0793): two pacts, the broker taking one's results and refusing the other's, was
  // "the verification results were not published" and `published: null`, though the broker held the first's.
  it('two pacts, one taken and one refused: exit 2, saying which were published and which not, in the line and --json; a refusal does not stop the next', async () => {
    const at = (version: number) => `/pacts/provider/${VPP_TOKENS_PROVIDER}/consumer/vppkit-canonical-consumer/pact-version/${version}`;
    const brokers = await Promise.all([[201, 500], [500, 201]].map((statuses) => startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER, { versions: 2, publishStatus: (version) => statuses[version - 1] })));
    try {
      for (const [i, broker] of brokers.entries()) {
        const [taken, refused] = i === 0 ? [1, 2] : [2, 1];
        const cli = await vppkit([...args(broker.url, provider.url, '--interaction', ONE), '--json']);
        expect(cli.code).toBe(2);
        const said = JSON.parse(cli.stdout) as Record<string, unknown>;
        const why = `the Pact Broker at ${broker.url} answered POST ${at(refused)}/verification-results with 500`;
        expect(said.error).toMatch(new RegExp(`^${why.replace(/[.?()]/g, '\\$&')}: the verification results were not published for 1 of 2 pacts \\(the pact at ${at(refused)}\\); they were for 1 \\(the pact at ${at(taken)}, passed\\) \\(2 interactions verified against .*: 2 passed, 0 failed\\)$`));
        expect(said).toMatchObject({ passed: false, exitCode: 2, published: { brokerUrl: broker.url, providerVersion: '1.0.0', pacts: 1, success: true, publishedPacts: [at(taken)], notPublished: [{ pact: at(refused), why }] } });
        // Both were sent, the refused one's results and the taken one's.
        expect(publishedTo(broker)).toHaveLength(2);
      }
    } finally {
      await Promise.all(brokers.map((b) => b.close()));
    }
  });

  it('a broker that refuses the results is exit 2, saying they were not published; a run that could not finish publishes nothing', async () => {
    const refusing = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER, { publishStatus: 500 });
    const broker = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER);
    const hung = await frontOf(provider, (req) => req.method === 'POST');
    try {
      const refused = await vppkit(args(refusing.url, provider.url, '--interaction', ONE));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(new RegExp(`^vppkit: the Pact Broker at ${refusing.url.replace(/\./g, '\\.')} answered POST /pacts/provider/${VPP_TOKENS_PROVIDER}/consumer/[^ ]+/verification-results with 500: the verification results were not published \\(1 interaction verified against .*: 1 passed, 0 failed\\)\n$`));

      const unfinished = await vppkit(args(broker.url, hung.url, '--interaction', ONE, '--timeout', '1'));
      expect(unfinished.code).toBe(2);
      expect(unfinished.stderr).toMatch(/did not answer POST \S*\/deviceAppManagement\/vppTokens within 1 s \(--timeout\)/);
      expect(publishedTo(broker)).toEqual([]);
    } finally {
      await Promise.all([refusing.close(), broker.close(), hung.close()]);
    }
  });
});

// Noticed by helper D in round 16 (decision 0791): a broker whose answer redirected (a pact link to another origin, or
// its own origin written whole) was handed to Pact as it came, and Pact's HTTP client followed the Location itself,
// around the relay: that fetch had no --timeout and none of --ca/--insecure. The relay follows a redirect itself now,
// with the kit's client, as Pact's client would have (the credentials kept on the broker's origin only).
describe('a Pact Broker that redirects', () => {
  const PACT_PATH = `/pacts/provider/${VPP_TOKENS_PROVIDER}/consumer/vppkit-canonical-consumer/pact-version/1`;
  const SELECTION = `/pacts/provider/${VPP_TOKENS_PROVIDER}/for-verification`;
  /** A request through the relay, as Pact sends one (its own bearer): the answer's status, Location and body. */
  const through = (url: string, method = 'GET', body?: string) =>
    new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
      const out = request(url, { method, headers: { authorization: 'Bearer broker-secret-token', accept: 'application/hal+json', ...(body ? { 'content-type': 'application/json' } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
      });
      out.on('error', reject).end(body);
    });

  it('is followed by the relay itself: to another origin without the credentials, on its own origin with them; a 303 asks again with GET, a 307 resends the POST', async () => {
    const elsewhere = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER);
    const broker = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER, {
      redirect: (method, path, origin) =>
        path === PACT_PATH ? { status: 302, location: `${elsewhere.url}${PACT_PATH}` }
        : path === '/whole' ? { status: 301, location: `${origin}${SELECTION}` }
        : path === '/relative' ? { status: 308, location: SELECTION }
        : path === '/see-other' ? { status: 303, location: SELECTION }
        : path === '/temporary' && method === 'POST' ? { status: 307, location: SELECTION }
        : path === '/ftp' ? { status: 302, location: 'ftp://127.0.0.1/pact.json' }
        : undefined,
    });
    const relay = await startBrokerRelay(new URL(broker.url), { timeoutMs: 5000 });
    try {
      const pact = await through(`${relay.url}${PACT_PATH}`);
      expect(pact.status).toBe(200);
      expect(pact.location).toBeUndefined();
      expect(JSON.parse(pact.body)).toMatchObject({ consumer: { name: 'vppkit-canonical-consumer' }, interactions: expect.any(Array) });
      // The other origin was asked by the relay, without the bearer Pact sent to the broker (as Pact's client drops it).
      expect(elsewhere.requests).toEqual([{ method: 'GET', path: PACT_PATH, authorization: undefined, body: undefined }]);
      expect(relay.fetched().map((p) => p.path)).toEqual([PACT_PATH]);
      // Its own origin, written whole or as a path: followed with the bearer.
      for (const path of ['/whole', '/relative']) {
        const answer = await through(`${relay.url}${path}`);
        expect([answer.status, answer.location]).toEqual([200, undefined]);
        expect(JSON.parse(answer.body)).toHaveProperty('_links.self');
      }
      // A POST redirected by 303 is asked again as a GET, without its body; by 307 it is sent again as it was.
      expect((await through(`${relay.url}/see-other`, 'POST', '{"consumerVersionSelectors":[]}')).body).not.toContain('_embedded');
      expect(JSON.parse((await through(`${relay.url}/temporary`, 'POST', '{"consumerVersionSelectors":[]}')).body)).toHaveProperty('_embedded.pacts');
      const followed = broker.requests.filter((r) => r.path === SELECTION).map((r) => [r.method, r.authorization, r.body]);
      expect(followed).toEqual([
        ['GET', 'Bearer broker-secret-token', undefined],
        ['GET', 'Bearer broker-secret-token', undefined],
        ['GET', 'Bearer broker-secret-token', undefined],
        ['POST', 'Bearer broker-secret-token', { consumerVersionSelectors: [] }],
      ]);
      // A Location no HTTP client can follow: the redirect is Pact's to judge, without it.
      expect(await through(`${relay.url}/ftp`)).toEqual({ status: 302, location: undefined, body: '' });
      expect(relay.failure()).toBeUndefined();
    } finally {
      await Promise.all([relay.close(), broker.close(), elsewhere.close()]);
    }
  });

  it('a loop, more than 10 redirects, another origin that does not answer within --timeout, or refuses for want of the credentials left behind, end the run in one line', async () => {
    const silent = await listenOnLoopback(createServer(() => undefined));
    const guarded = await listenOnLoopback(createServer((req, res) => res.writeHead(req.headers.authorization ? 200 : 401).end()));
    const broker = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER, {
      redirect: (_method, path, origin) => {
        const hop = /^\/hop\/(\d+)$/.exec(path);
        return path === '/loop/a' ? { status: 302, location: '/loop/b' }
          : path === '/loop/b' ? { status: 307, location: `${origin}/loop/a` }
          : hop ? { status: 302, location: `/hop/${Number(hop[1]) + 1}` }
          : path === '/away' ? { status: 302, location: `${silent.url}/pact?sig=secret` }
          : path === '/' ? { status: 301, location: `${guarded.url}/` }
          : undefined;
      },
    });
    // The silent origin's relay waits 1 s (--timeout 1), the others 5 s: the broker's own answers come well within either.
    const relays = await Promise.all([5000, 5000, 1000, 5000].map((timeoutMs) => startBrokerRelay(new URL(broker.url), { timeoutMs })));
    try {
      await Promise.all(['/loop/a', '/hop/0', '/away', '/'].map((path, i) => expect(through(`${relays[i].url}${path}`)).rejects.toThrow()));
      expect(relays.map((r) => r.failure())).toEqual([
        `the Pact Broker at ${broker.url} redirected GET /loop/a in a loop (to ${broker.url}/loop/b, then back to ${broker.url}/loop/a): is --broker-url (PACT_BROKER_BASE_URL) the broker's address?`,
        `the Pact Broker at ${broker.url} redirected GET /hop/0 more than 10 times (the last to ${broker.url}/hop/11): is --broker-url (PACT_BROKER_BASE_URL) the broker's address?`,
        `${silent.url}/pact, where the Pact Broker at ${broker.url} redirected GET /away, did not answer within 1 s (--timeout)`,
        `the Pact Broker at ${broker.url} redirected GET / to another origin, ${guarded.url}, which answered 401: the credentials go to the broker's origin only, not where it redirects to (as Pact's own client does); is that origin the broker's address, to give as --broker-url (PACT_BROKER_BASE_URL)?`,
      ]);
      expect(broker.requests.filter((r) => r.path.startsWith('/hop/'))).toHaveLength(11);
    } finally {
      await Promise.all([...relays.map((r) => r.close()), broker.close(), silent.close(), guarded.close()]);
    }
  });

  it('to an https origin Pact would have fetched with its own trust: --ca is the kit\'s (untrusted: exit 2 in one line; trusted: verified)', async () => {
    const certificate = selfSignedCertificate();
    const elsewhere = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER);
    const front = await tlsInFrontOf(elsewhere.url, certificate);
    const broker = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER, { redirect: (_method, path) => (path === PACT_PATH ? { status: 302, location: `${front.url}${PACT_PATH}` } : undefined) });
    const options = { providerBaseUrl: provider.url, broker: { url: broker.url, token: 'broker-secret-token', consumerVersionSelectors: [{ mainBranch: true }] }, interaction: ONE, timeoutMs: 5000 };
    try {
      await expect(verifyProvider(options)).rejects.toThrow(`the certificate of ${new URL(front.url).host} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT): give its CA with --ca FILE, or use --insecure for a throwaway test server`);
      const trusted = await verifyProvider({ ...options, tls: { ca: certificate.cert } });
      expect(trusted.summary).toMatch(/^1 interaction verified against .*: 1 passed, 0 failed$/);
      expect(elsewhere.requests.map((r) => [r.method, r.path, r.authorization])).toEqual([['GET', PACT_PATH, undefined]]);
    } finally {
      await Promise.all([front.close(), broker.close(), elsewhere.close()]);
    }
  });
});
