// The payloads verify --publish sends (decision 0269): Pact's, with the run's verdict of each interaction.
import { createServer, request } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startBrokerRelay, type FetchedPact, type HeldResults } from '../../src/verification/broker-relay';
import { ownResults, unsentPact } from '../../src/verification/publish';
import { startFakeBroker } from '../support/fake-broker';
import { listenOnLoopback } from '../support/listen';
import { selfSignedCertificate } from '../support/tls';
import type { InteractionResult } from '../../src/verification/types';

const pact: FetchedPact = {
  interactions: [
    { id: 'a1', description: 'create A' },
    { id: 'b2', description: 'create B' },
  ],
  publishPath: '/pacts/x/verification-results',
};
/** Pact's own payload: it passed both. */
const held: HeldResults = { path: pact.publishPath!, pact, body: { success: true, providerApplicationVersion: '1.0.0', testResults: [{ interactionId: 'a1', success: true }, { interactionId: 'b2', success: true }] } };
const verdict = (description: string, passed: boolean): InteractionResult => ({
  description,
  passed,
  mismatches: passed ? [] : ['credentials not echoed: header x-echo: must not carry the bearer'],
  pactMismatches: [],
  answerProblems: passed ? [] : [{ check: 'credentials not echoed', part: 'header', header: 'x-echo', where: 'header x-echo', message: 'must not carry the bearer' }],
});

it('publishes an interaction only the kit failed as failed, with its finding; Pact\'s payload otherwise kept', () => {
  const [published] = ownResults([held], [pact], [verdict('create A', true), verdict('create B', false)], false);
  expect(published.path).toBe('/pacts/x/verification-results');
  expect(published.body).toEqual({
    success: false,
    providerApplicationVersion: '1.0.0',
    testResults: [
      { interactionId: 'a1', interactionDescription: 'create A', success: true },
      { interactionId: 'b2', interactionDescription: 'create B', success: false, mismatches: [{ attribute: 'header', identifier: 'x-echo', description: 'credentials not echoed: header x-echo: must not carry the bearer' }] },
    ],
  });
  expect(ownResults([held], [pact], [verdict('create A', true), verdict('create B', true)], true)[0].body).toMatchObject({ success: true, testResults: [{ success: true }, { success: true }] });
});

it('takes only the interactions --interaction selected, in the pact\'s order', () => {
  const [published] = ownResults([{ ...held, body: { ...held.body, testResults: [{ interactionId: 'b2', success: true }] } }], [pact], [verdict('create B', false)], false, 'B');
  expect(published.body.testResults).toEqual([expect.objectContaining({ interactionId: 'b2', success: false })]);
});

it('never publishes a pass the run does not give when the verdicts do not line up with the pacts', () => {
  // Verdicts of another pact beside this one's: no interaction can be placed with certainty.
  const misaligned = ownResults([held], [pact], [verdict('create A', true), verdict('create C', false)], false);
  expect(misaligned[0].body).toMatchObject({ success: false, testResults: [{ interactionId: 'a1', success: true }, { interactionId: 'b2', success: true }] });
  // ...and when they do not line up but the run passed, Pact's pass stands.
  expect(ownResults([held], [pact], [verdict('create A', true)], true)[0].body.success).toBe(true);
});

// Outside finding R72 (decision 0720): a pact Pact verified and sent no results for is not published.
describe('a pact Pact sent no results for', () => {
  const CANONICAL_PACT = join(__dirname, '..', '..', 'pacts', 'vppkit-canonical-consumer-microsoft-graph-vpptokens.json');
  const other: FetchedPact = { interactions: [{ id: 'c3', description: 'create C' }], publishPath: '/pacts/y/verification-results' };

  it('is each verified pact whose publish link Pact did not post to; none when every one was sent', () => {
    expect(unsentPact([pact, other], [held])).toBe(other);
    expect(unsentPact([pact, other], [held, { ...held, path: other.publishPath!, pact: other }])).toBeUndefined();
    // A pact --interaction ran nothing of is not expected to be sent; one with no publish link never is.
    expect(unsentPact([pact, other], [held], 'B')).toBeUndefined();
    expect(unsentPact([pact, other], [held], 'C')).toBe(other);
    const linkless: FetchedPact = { interactions: pact.interactions };
    expect(unsentPact([linkless], [held])).toBe(linkless);
    // The same pact listed twice and posted twice (one link) is sent.
    expect(unsentPact([pact, { ...pact }], [held, held])).toBeUndefined();
  });

  it('is said by what the broker did not give: the publish link, pb:provider or pb:branch-version or the branch\'s PUT for a branch, else Pact\'s log', async () => {
    const brokers = await Promise.all([{}, { publishLink: false }, { providerLink: false }, { branches: false }, { branchStatus: 500 }].map((o) => startFakeBroker(CANONICAL_PACT, 'p', o)));
    const relays = await Promise.all(brokers.map((b) => startBrokerRelay(new URL(b.url), { timeoutMs: 5000 })));
    const fetch = (url: string, method = 'GET') => new Promise<void>((resolve, reject) => request(url, { method }, (res) => res.resume().on('end', resolve)).on('error', reject).end());
    try {
      const words: string[] = [];
      for (const [i, relay] of relays.entries()) {
        await fetch(`${relay.url}/pacts/provider/p/consumer/vppkit-canonical-consumer/pact-version/1`);
        await fetch(`${relay.url}/pacticipants/p`);
        await fetch(`${relay.url}/pacticipants/p/branches/main/versions/1`, 'PUT');
        const [fetched] = relay.fetched();
        expect(fetched.path).toBe('/pacts/provider/p/consumer/vppkit-canonical-consumer/pact-version/1');
        words.push(relay.unsent(fetched, 'main'), relay.unsent(fetched));
        expect(words.at(-2)).toContain(`the Pact Broker at ${brokers[i].url}`);
      }
      const at = 'the pact at /pacts/provider/p/consumer/vppkit-canonical-consumer/pact-version/1';
      const log = `Pact sent no verification results for ${at} from the Pact Broker at `;
      expect(words[0]).toMatch(new RegExp(`^${log}`));
      expect(words[1]).toMatch(new RegExp(`^${log}.*\\(Pact's log at --log-level error says why\\)$`));
      expect(words[2]).toMatch(new RegExp(`gave ${at} without a pb:publish-verification-results link, where Pact publishes results, so Pact sent none for it$`));
      expect(words[3]).toBe(words[2]);
      expect(words[4]).toMatch(new RegExp(`gave ${at} without a pb:provider link, through which Pact records --provider-branch before it publishes, so Pact sent none for it \\(publish without --provider-branch\\)$`));
      expect(words[5]).toMatch(new RegExp(`^${log}`));
      expect(words[6]).toMatch(/has no pb:branch-version link for the provider \(GET \/pacticipants\/p\), where Pact records --provider-branch before it publishes/);
      expect(words[7]).toMatch(new RegExp(`^${log}`));
      expect(words[8]).toBe(`the Pact Broker at ${brokers[4].url} answered PUT /pacticipants/p/branches/main/versions/1 with 500, where Pact records --provider-branch before it publishes, so Pact sent none for ${at}`);
      expect(words[9]).toMatch(new RegExp(`^${log}`));
    } finally {
      await Promise.all([...relays.map((r) => r.close()), ...brokers.map((b) => b.close())]);
    }
  });
});

// Outside finding Y5 (decision 0790): a results POST answered `200 text/html` (an SSO login page in front of the
// broker) was said published. A Pact Broker takes results with `201 Created` and the new verification as HAL JSON
// (pact_broker's Verifications resource); Pact's own HAL client takes a broker's answer only as a 2xx JSON one.
describe('what the broker answers the results POST', () => {
  const HAL = '{"success":true,"providerApplicationVersion":"1.0.0","_links":{"self":{"title":"Verification result","href":"http://broker/pacts/provider/p/consumer/c/pact-version/1/verification-results/7"}}}';
  type Answer = { status: number; type?: string; body?: string | Buffer; location?: string; encoding?: string };
  const answers = new Map<string, Answer>();
  let broker: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    broker = await listenOnLoopback(
      createServer((req, res) => {
        req.resume().on('end', () => {
          const answer = answers.get(req.url ?? '') ?? { status: 404 };
          res.writeHead(answer.status, { ...(answer.type ? { 'Content-Type': answer.type } : {}), ...(answer.location ? { Location: answer.location } : {}), ...(answer.encoding ? { 'Content-Encoding': answer.encoding } : {}) }).end(answer.body);
        });
      }),
    );
  });
  afterAll(() => broker.close());
  const publishTo = async (cases: Answer[]) => {
    const relay = await startBrokerRelay(new URL(broker.url), { timeoutMs: 5000 });
    try {
      const said: (string | undefined)[] = [];
      for (const [i, answer] of cases.entries()) {
        answers.set(`/results/${i}`, answer);
        said.push(await relay.publish(`/results/${i}`, { success: true }));
      }
      return said;
    } finally {
      await relay.close();
    }
  };

  it('takes a Pact Broker\'s 201 HAL answer, and a 200 or plain JSON one with its links (Pact\'s own test of a broker answer)', async () => {
    const taken = await publishTo([
      { status: 201, type: 'application/hal+json;charset=utf-8', body: HAL },
      { status: 200, type: 'application/hal+json', body: HAL },
      { status: 201, type: 'application/json', body: HAL },
      { status: 201, type: 'Application/HAL+JSON; charset=UTF-8', body: HAL },
      { status: 201, type: 'application/hal+json', body: '{"_links":{}}' },
      { status: 201, type: 'application/hal+json', body: gzipSync(HAL), encoding: 'gzip' },
    ]);
    expect(taken).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('says any other answer did not take them: a login page, no JSON, JSON that is no HAL resource, no body, a redirect', async () => {
    const at = (i: number) => `the Pact Broker at ${broker.url} answered POST /results/${i} with`;
    const not = 'not the HAL JSON a Pact Broker answers when it takes verification results (201 Created, application/hal+json; is --broker-url the broker itself, not a login page or gateway in front of it?)';
    const said = await publishTo([
      { status: 200, type: 'text/html', body: '<html>login</html>' },
      { status: 201, type: 'application/hal+json', body: '<html>login</html>' },
      { status: 200, type: 'application/json', body: '{"error":"sign in first"}' },
      { status: 201, type: 'application/hal+json', body: '[]' },
      { status: 204 },
      { status: 200, type: 'application/problem+json', body: HAL },
      { status: 200, body: HAL },
      { status: 201, type: 'application/hal+json', body: '{"_links":[]}' },
      { status: 302, location: 'https://sso.example/login?state=abc' },
      { status: 303, location: '/login' },
      { status: 201, type: 'application/hal+json', body: gzipSync('<html>login</html>'), encoding: 'gzip' },
    ]);
    expect(said).toEqual([
      `${at(0)} 200 and a body of type text/html, ${not}`,
      `${at(1)} 201 and a body that is not JSON, ${not}`,
      `${at(2)} 200 and JSON without HAL _links, ${not}`,
      `${at(3)} 201 and JSON without HAL _links, ${not}`,
      `${at(4)} 204 and no body, ${not}`,
      `${at(5)} 200 and a body of type application/problem+json, ${not}`,
      `${at(6)} 200 and a body without Content-Type, ${not}`,
      `${at(7)} 201 and JSON without HAL _links, ${not}`,
      `${at(8)} 302, a redirect to https://sso.example/login (the results are sent to the pact's own publish link, no redirect followed with them)`,
      `${at(9)} 303, a redirect to ${broker.url}/login (the results are sent to the pact's own publish link, no redirect followed with them)`,
      `${at(10)} 201 and a body that is not JSON, ${not}`,
    ]);
    expect(said.join('\n')).not.toContain('state=abc');
  });
});

// Decision 0793's leftover (issue 14): each pact's results are published on their own (a refusal does not stop the
// next), so a broker that was down at publication cost --timeout for each pact. A broker that cannot be reached or does
// not answer (an origin-wide failure) is not asked again: the rest fail at once, in the first one's words; one that
// answers (even a refusal) or drops one connection is asked for each pact.
describe('a Pact Broker down at publication', () => {
  it('that does not answer the first POST within --timeout is not asked again: the rest are said at once, in its words', async () => {
    const asked: string[] = [];
    const silent = await listenOnLoopback(createServer((req) => asked.push(req.url ?? '')));
    const relay = await startBrokerRelay(new URL(silent.url), { timeoutMs: 200 });
    try {
      const said = [await relay.publish('/a', { success: true }), await relay.publish('/b', { success: true }), await relay.publish('/c', { success: true })];
      const first = `the Pact Broker at ${silent.url} did not answer POST /a within 0.2 s (--timeout)`;
      expect(said).toEqual([first, `${first} (so POST /b was not sent)`, `${first} (so POST /c was not sent)`]);
      expect(asked).toEqual(['/a']);
    } finally {
      await relay.close();
      await silent.close();
    }
  });

  it('that refuses the connection is not asked again; one that refuses the results (500) or drops a connection is asked for each pact', async () => {
    const closed = await listenOnLoopback(createServer());
    await closed.close();
    const down = await startBrokerRelay(new URL(closed.url), { timeoutMs: 5000 });
    const asked: string[] = [];
    const flaky = await listenOnLoopback(
      createServer((req, res) => {
        asked.push(req.url ?? '');
        req.resume().on('end', () => {
          if (req.url === '/dropped') return res.socket?.destroy();
          if (req.url === '/refused') return res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error":"not now"}');
          res.writeHead(201, { 'Content-Type': 'application/hal+json' }).end('{"_links":{}}');
        });
      }),
    );
    const up = await startBrokerRelay(new URL(flaky.url), { timeoutMs: 5000 });
    try {
      const first = `the Pact Broker at ${closed.url} failed on POST /a: ECONNREFUSED`;
      expect([await down.publish('/a', {}), await down.publish('/b', {})]).toEqual([first, `${first} (so POST /b was not sent)`]);
      const said = [await up.publish('/refused', {}), await up.publish('/taken', {}), await up.publish('/dropped', {}), await up.publish('/again', {})];
      expect(said).toEqual([`the Pact Broker at ${flaky.url} answered POST /refused with 500`, undefined, expect.stringMatching(new RegExp(`^the Pact Broker at ${flaky.url.replace(/\./g, '\\.')} failed on POST /dropped: E`)), undefined]);
      expect(asked).toEqual(['/refused', '/taken', '/dropped', '/again']);
    } finally {
      await Promise.all([down.close(), up.close()]);
      await flaky.close();
    }
  });

  it('whose certificate is not trusted is not asked again (no second connection)', async () => {
    const certificate = selfSignedCertificate();
    let connections = 0;
    const https = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => res.writeHead(201).end());
    https.on('connection', () => connections++);
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
    const relay = await startBrokerRelay(new URL(url), { timeoutMs: 5000 });
    try {
      const first = await relay.publish('/a', {});
      expect(first).toMatch(/^the certificate of 127\.0\.0\.1:\d+ is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
      expect(await relay.publish('/b', {})).toBe(`${first} (so POST /b was not sent)`);
      expect(connections).toBe(1);
    } finally {
      await relay.close();
      https.closeAllConnections();
      await new Promise((resolve) => https.close(resolve));
    }
  });
});
