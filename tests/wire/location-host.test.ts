// Where a 201 may say the created vppToken lives (outside testers F4, H25, H8; docs/decisions/0126, 0190): its
// Location, OData-EntityId and @odata.context name the host asked, Graph's own or a --public-host the user gave,
// never a host the answer vouches for by naming it twice; and the context's version is the request's. One rule
// (src/judgement/resource-identity.ts), the same verdict in verify, conform and the proxy. The judgement's forms
// (relative, national clouds, loopback names, versions) are its unit tests (tests/judgement.test.ts).
import { request } from 'node:http';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { verifyProvider } from 'vpptokens-contract-kit/provider';
import { conform } from 'vpptokens-contract-kit/conform';
import { startJudgingProxy } from 'vpptokens-contract-kit/proxy';
import { startBrokenProvider } from '../support/broken-provider';
import { FAULT_IN_EVERY_ANSWER } from '../support/conform-budget';
import { startFramingProvider } from '../support/framing-provider';
import { run as vppkit } from '../support/run-cli';
import { selfSignedCertificate, tlsInFrontOf } from '../support/tls';
import { startReferenceProvider } from '../../src/provider';
import { testEnd } from '../support/test-end';

const closing: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((p) => p.close()));
});

type Provider = { url: string; close: () => Promise<void> };
const started = async <T extends Provider>(provider: Promise<T>): Promise<T> => {
  const p = await provider;
  closing.push(p);
  return p;
};

/** conform's body limit here, and the reference provider's behind each front: the subject is where a 201 says it lives, not the size (decision 0225). */
const SMALL = { bodyLimit: 64 * 1024 };
const identityProblems = (verified: Awaited<ReturnType<typeof verifyProvider>>) => verified.interactions.flatMap((i) => i.answerProblems).filter((p) => p.check === 'resource identity');

/** verify, conform (its whole run, or `budget`: decision 0281) and the proxy on one create, each judging `provider`. */
async function judgedEverywhere(provider: Provider, { publicHosts, budget }: { publicHosts?: string[]; budget?: typeof FAULT_IN_EVERY_ANSWER } = {}) {
  const verified = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property', publicHosts });
  const conformed = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 5, runs: 3, checks: ['resource identity'], publicHosts, ...SMALL, ...budget });
  const proxy = await startJudgingProxy({ target: provider.url, publicHosts, checkTarget: false });
  try {
    const body = JSON.stringify(createRequestFactory.withSeed(3).buildAt(0));
    await new Promise<void>((resolve, reject) => {
      const req = request(`${proxy.url}/deviceAppManagement/vppTokens`, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', Authorization: 'Bearer proxy-test-access-token' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
    return { verified, conformed, proxied: proxy.violations.map((v) => ({ side: v.side, check: v.check, where: v.where, message: v.message })) };
  } finally {
    await proxy.close();
  }
}

describe("where a 201 says the created vppToken lives", () => {
  it('passes the reference provider behind a front that passes Host on: it names the host its client asked', async () => {
    const front = await started(startFramingProvider('content-length', SMALL));
    const { verified, conformed, proxied } = await judgedEverywhere({ url: `${front.url}/beta`, close: front.close });
    expect(identityProblems(verified)).toEqual([]);
    expect(conformed.findings).toEqual([]);
    expect(proxied).toEqual([]);
  });

  it('fails, in verify, conform and the proxy alike, an answer naming another host in Location, OData-EntityId and @odata.context (H25), and passes it once that host is given as --public-host', async () => {
    const evil = await started(startBrokenProvider('another host in Location, OData-EntityId and @odata.context', SMALL));
    const allowed = /must name the service's own root, on the host asked, 127\.0\.0\.1:\d+, Graph's own \(graph\.microsoft\.com or a national cloud's\) or a host given with --public-host: it names the host evil\.example, which is not the service's/;
    const elsewhere = /must point at this vppToken: must be on the host asked, 127\.0\.0\.1:\d+, Graph's own \(graph\.microsoft\.com or a national cloud's\) or a host given with --public-host: it names the host evil\.example, where this vppToken is not/;
    const found = [
      { check: 'resource identity', where: 'body /@odata.context', message: expect.stringMatching(allowed) },
      { check: 'resource identity', where: 'header Location', message: expect.stringMatching(elsewhere) },
      { check: 'resource identity', where: 'header OData-EntityId', message: expect.stringMatching(elsewhere) },
    ];
    const expected = found.map((f) => expect.objectContaining(f));
    // Every answer names evil.example: a budget of conform's requests finds it, and passes it once given.
    const judged = await judgedEverywhere(evil, { budget: FAULT_IN_EVERY_ANSWER });
    expect(judged.verified.passed).toBe(false);
    expect(identityProblems(judged.verified)).toEqual(expected);
    expect(judged.conformed.passed).toBe(false);
    expect(judged.conformed.findings.map((f) => f.where).sort()).toEqual(['body /@odata.context', 'header Location', 'header OData-EntityId']);
    expect(judged.conformed.findings).toEqual(expect.arrayContaining(expected));
    expect(judged.proxied).toEqual(found.map((f) => ({ side: 'provider', ...f })));

    const given = await judgedEverywhere(evil, { publicHosts: ['https://evil.example'], budget: FAULT_IN_EVERY_ANSWER });
    expect(identityProblems(given.verified)).toEqual([]);
    expect(given.conformed.findings).toEqual([]);
    expect(given.proxied).toEqual([]);
  });

  it('blames a v1.0 @odata.context answering a beta create, not its right Location (H8), in verify, conform and the proxy', async () => {
    const v10 = await started(startBrokenProvider('a v1.0 context answering a beta create', SMALL));
    const why = /^must be the context of one vppToken of the version the create was sent to, \.\.\.\/beta\/\$metadata#deviceAppManagement\/vppTokens\/\$entity: it names v1\.0/;
    const { verified, conformed, proxied } = await judgedEverywhere(v10, { budget: FAULT_IN_EVERY_ANSWER });
    expect(identityProblems(verified)).toEqual([expect.objectContaining({ where: 'body /@odata.context', message: expect.stringMatching(why) })]);
    expect(conformed.findings).toEqual([expect.objectContaining({ check: 'resource identity', where: 'body /@odata.context', message: expect.stringMatching(why) })]);
    expect(proxied).toEqual([expect.objectContaining({ side: 'provider', check: 'resource identity', where: 'body /@odata.context', message: expect.stringMatching(why) })]);
  });
});

// Outside tester J17: an https provider whose Location, on the host and port asked, went to plain http passed verify
// and conform. An origin is scheme, host and port (RFC 6454 §4); a client following it would send its bearer in clear
// text (RFC 6750 §5.3). The reference provider behind a TLS front that says the scheme (X-Forwarded-Proto) names
// https; behind one that does not, it names http, and every command fails it alike.
describe('a create asked over https', () => {
  const certificate = selfSignedCertificate();
  const tls = { ca: certificate.cert };
  async function judgedOverHttps(forward: boolean) {
    const provider = await started(startReferenceProvider(SMALL));
    const front = await started(tlsInFrontOf(provider.url, certificate, { forward }));
    const base = `${front.url}/beta`;
    // One interaction and one run: the subject is the scheme of each link, the same in every answer (TLS costs CPU).
    const verified = await verifyProvider({ providerBaseUrl: base, interaction: 'only its token', tls });
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: base, seed: 5, runs: 1, maxRequests: 12, checks: ['resource identity'], trust: tls, ...SMALL });
    const proxy = await startJudgingProxy({ target: base, tls });
    try {
      const answer = await fetch(`${proxy.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer proxy-test-access-token' }, body: JSON.stringify(createRequestFactory.withSeed(3).buildAt(0)) });
      await answer.arrayBuffer();
      return { verified, conformed, proxied: proxy.violations.map((v) => ({ side: v.side, check: v.check, where: v.where, message: v.message })) };
    } finally {
      await proxy.close();
    }
  }

  it('passes the reference provider behind a TLS front that tells it the scheme asked: its links are https', async () => {
    const { verified, conformed, proxied } = await judgedOverHttps(true);
    expect(identityProblems(verified)).toEqual([]);
    expect(verified.passed).toBe(true);
    expect(conformed.findings).toEqual([]);
    expect(proxied).toEqual([]);
  });

  it('fails it, in verify, conform and the proxy alike, behind a front that does not: its links go to http', async () => {
    const downgrade = /must be https, as the create was asked \(https:\/\/127\.0\.0\.1:\d+\): an http link downgrades it, and a client following it would send its bearer in clear text \(RFC 6750 §5\.3; an origin is scheme, host and port, RFC 6454 §4\)/;
    const places = ['body /@odata.context', 'header Location'];
    const found = places.map((where) => expect.objectContaining({ check: 'resource identity', where, message: expect.stringMatching(downgrade) }));
    const { verified, conformed, proxied } = await judgedOverHttps(false);
    expect(verified.passed).toBe(false);
    expect(identityProblems(verified)).toEqual(found);
    expect(conformed.passed).toBe(false);
    expect(conformed.findings).toEqual(found);
    expect(proxied).toEqual(places.map((where) => expect.objectContaining({ side: 'provider', check: 'resource identity', where, message: expect.stringMatching(downgrade) })));
  });
});

describe('--public-host', () => {
  it.each([
    ['a path', 'https://gw.example/beta'],
    ['a user', 'admin@gw.example'],
    ['a query', 'gw.example?key=1'],
    ['no host', 'https://'],
  ])('refuses a value with %s, in one line (exit 2)', async (_what, value) => {
    for (const command of [['verify'], ['conform'], ['proxy', '--target', 'http://127.0.0.1:9']]) {
      const result = await vppkit([...command, '--public-host', value]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^vppkit: .*--public-host must be a host, with its port when not the scheme's own \(gw\.example, gw\.example:8443\), or an origin \(https:\/\/gw\.example\): no path, query, user or password \(got .*\)\n$/);
    }
  });
});
