import { VPP_TOKENS_PROVIDER } from 'vpptokens-contract-kit/pact';
import { CANONICAL_PACT, DEFAULT_CONSUMER_VERSION_SELECTORS, VerificationSetupError, startReferenceProvider, verifyProvider, type ReferenceProvider } from 'vpptokens-contract-kit/provider';
import { run as vppkit } from '../support/run-cli';
import { startFakeBroker } from '../support/fake-broker';
import { frontOf } from '../support/front';
import { request } from 'node:http';

let provider: ReferenceProvider;
let broker: Awaited<ReturnType<typeof startFakeBroker>>;
beforeAll(async () => {
  provider = await startReferenceProvider();
  broker = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER);
});
afterAll(async () => {
  await provider.close();
  await broker.close();
});
beforeEach(() => broker.requests.splice(0));

it('verifies the pacts a broker selects and publishes the results under the provider version', async () => {
  const result = await verifyProvider({
    providerBaseUrl: provider.url,
    broker: { url: broker.url, token: 'broker-token', consumerVersionSelectors: [{ mainBranch: true }], publish: true, providerVersion: '1.2.3', providerBranch: 'main' },
  });
  expect(result.passed).toBe(true);
  const selection = broker.requests.find((r) => r.method === 'POST' && r.path.endsWith('/for-verification'));
  expect(selection?.authorization).toBe('Bearer broker-token');
  expect((selection?.body as { consumerVersionSelectors: unknown }).consumerVersionSelectors).toEqual([{ mainBranch: true }]);
  expect(broker.requests.some((r) => r.method === 'PUT' && r.path === `/pacticipants/${VPP_TOKENS_PROVIDER}/branches/main/versions/1.2.3`)).toBe(true);
  const published = broker.requests.find((r) => r.path.endsWith('/verification-results'));
  expect(published?.body).toMatchObject({ success: true, providerApplicationVersion: '1.2.3' });
});

// One default for the library and the CLI: verifyProvider without selectors left the choice to Pact (the broker's own
// default selection), while the CLI asked for the main branch and what is deployed or released.
it('selects the same pacts without selectors in the library as the CLI: the main branch, and what is deployed or released', async () => {
  expect(DEFAULT_CONSUMER_VERSION_SELECTORS).toEqual([{ mainBranch: true }, { deployedOrReleased: true }]);
  const result = await verifyProvider({ providerBaseUrl: provider.url, broker: { url: broker.url }, interaction: 'with only its token' });
  expect(result.passed).toBe(true);
  const cli = await vppkit(['verify', '--provider-base-url', provider.url, '--broker-url', broker.url, '--interaction', 'with only its token']);
  expect(cli.code).toBe(0);
  const selections = broker.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/for-verification')).map((r) => (r.body as { consumerVersionSelectors: unknown }).consumerVersionSelectors);
  expect(selections).toEqual([DEFAULT_CONSUMER_VERSION_SELECTORS, DEFAULT_CONSUMER_VERSION_SELECTORS]);
});

it('reads PACT_BROKER_BASE_URL and PACT_BROKER_TOKEN in the CLI', async () => {
  const result = await vppkit(['verify', '--provider-base-url', provider.url], { env: { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: 'env-token' }, worker: true });
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/18 interactions verified against .*: 18 passed, 0 failed$/m);
  expect(broker.requests.some((r) => r.authorization === 'Bearer env-token')).toBe(true);
  expect(broker.requests.some((r) => r.path.endsWith('/verification-results'))).toBe(false);
});

it('refuses --publish without a broker or a provider version', async () => {
  expect((await vppkit(['verify', '--publish'], { env: { PACT_BROKER_BASE_URL: '' } })).stderr).toContain('--publish needs a Pact Broker');
  const noVersion = await vppkit(['verify', '--publish', '--broker-url', broker.url]);
  expect(noVersion.code).toBe(2);
  expect(noVersion.stderr).toContain('publishing verification results needs a provider version (--provider-version)');
});

// Found by an outside tester (G3): a broker URL that did not parse was quoted whole, its password with it, and an
// ftp:// one was tried. The one rule for a URL option (src/net httpUrlOf) says it as for every other URL option.
it('refuses a broker URL that is not an http(s) URL in one line that shows no password, from the option or the environment', async () => {
  for (const url of ['https://u:SEKRETPW@exa mple.com', 'http://u:SEKRETPW@127.0.0.1:9:9', 'ftp://u:SEKRETPW@127.0.0.1:9']) {
    const refused = verifyProvider({ providerBaseUrl: provider.url, broker: { url } });
    await expect(refused).rejects.toThrow(/^--broker-url must be an http or https URL, such as https:\/\/broker\.example\.com \(got ".*:\/\/\*\*\*@.*"\)$/);
    await expect(refused).rejects.not.toThrow(/SEKRETPW/);
  }
  const result = await vppkit(['verify', '--provider-base-url', provider.url, '--json'], { env: { PACT_BROKER_BASE_URL: 'https://u:SEKRETPW@exa mple.com' }, worker: true });
  expect(result.code).toBe(2);
  expect(`${result.stdout}${result.stderr}`).not.toContain('SEKRETPW');
  expect(`${result.stdout}${result.stderr}`).toContain('***@exa mple.com');
  expect(broker.requests).toEqual([]);
});

// Outside tester I3: a broker with no pact for the provider was "0 interactions verified", exit 1 (a failed check,
// blaming the provider); a folder without pacts is exit 2. Nothing was verified: exit 2, in one line (decision 0193).
it('exits 2 in one line when the broker has no pact for the provider: nothing was verified, the provider is not blamed', async () => {
  const empty = await startFakeBroker(CANONICAL_PACT, VPP_TOKENS_PROVIDER, { noPacts: true });
  try {
    const why = /^the Pact Broker at http:\/\/127\.0\.0\.1:\d+ gave no pact for microsoft-graph-vpptokens matching the consumer version selectors \[\{"mainBranch":true\}\]: nothing was verified \(Pact says so both when there is none yet and when it could not read the broker's answer, such as one without HAL _links: --log-level debug shows its reason\)/;
    await expect(verifyProvider({ providerBaseUrl: provider.url, broker: { url: empty.url, consumerVersionSelectors: [{ mainBranch: true }] } })).rejects.toThrow(why);
    const result = await vppkit(['verify', '--provider-base-url', provider.url, '--broker-url', empty.url, '--consumer-version-selector', '{"mainBranch":true}']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^vppkit: ${why.source.slice(1)}.*\n$`));
    expect(result.stdout).not.toContain('Failed interactions');
  } finally {
    await empty.close();
  }
});

// Outside tester K22: Pact's native verifier publishes its own mismatches, which quote the provider's answer: a
// provider that echoed the bearer and a --header value into a 201's displayName had both sent to the broker in
// clear, where everyone who reads the pact's verification results sees them. The answer Pact reads has the run's
// credentials in their placeholders (decision 0256); the kit's own judgement reads it as the provider sent it.
it('publishes no credential of the run, though the provider echoes them into an answer Pact quotes', async () => {
  const bearer = 'Zq8xV3mK9pL2wR7tY4nH6jF1cD5sA0eG';
  const key = 'GatewayKey0123456789abc';
  const echo = await frontOf(provider, (req, res, body) => {
    if (req.method !== 'POST') return false;
    const out = request(`${provider.url}${req.url}`, { method: 'POST', headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        let text = Buffer.concat(chunks).toString('utf8');
        if (answer.statusCode === 201) text = JSON.stringify({ ...JSON.parse(text), displayName: `auth was ${String(req.headers.authorization)} key ${String(req.headers['ocp-apim-subscription-key'])}` });
        res.writeHead(answer.statusCode ?? 502, { 'content-type': String(answer.headers['content-type']), ...(answer.headers.location ? { location: answer.headers.location } : {}), 'x-echo': String(req.headers['ocp-apim-subscription-key']) }).end(text);
      });
    });
    out.end(body);
    return true;
  });
  try {
    const result = await verifyProvider({
      providerBaseUrl: echo.url,
      bearer,
      headers: { 'Ocp-Apim-Subscription-Key': key },
      broker: { url: broker.url, consumerVersionSelectors: [{ mainBranch: true }], publish: true, providerVersion: '1.0.0' },
    });
    // The verdict stands: the answer is not the one the pact expects, and it echoes the credentials (the kit's own words).
    expect(result.passed).toBe(false);
    expect(result.interactions[0].mismatches.join('\n')).toMatch(/credentials not echoed/);
    const published = broker.requests.find((r) => r.path.endsWith('/verification-results'));
    const text = JSON.stringify(published?.body);
    expect(published?.body).toMatchObject({ success: false, providerApplicationVersion: '1.0.0' });
    // Pact's mismatch is published, the credentials in their placeholders.
    expect(text).toContain('auth was Bearer [bearer] key [token]');
    expect(text).not.toContain(bearer);
    expect(text).not.toContain(key);
  } finally {
    await echo.close();
  }
});

// Outside finding R31 (decision 0511): a broker's pact may hold V4 messages too (a consumer's message pact published
// under the provider's name); verify leaves them out as it does a file's, and publishes the verdicts of what it verified.
it("leaves a broker's pact's V4 messages out, said, and publishes the HTTP interactions' verdicts", async () => {
  const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-broker-r31-'));
  const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8')) as { consumer: { name: string }; interactions: { description: string }[] };
  const only = canonical.interactions.find((i) => i.description.includes('only its token'))!;
  const event = { type: 'Asynchronous/Messages', description: 'a vppToken created event', contents: { content: { id: 'x' }, contentType: 'application/json', encoded: false } };
  writeFileSync(join(dir, 'mixed.json'), JSON.stringify({ ...canonical, interactions: [event, only] }));
  const mixed = await startFakeBroker(join(dir, 'mixed.json'), VPP_TOKENS_PROVIDER);
  try {
    const result = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'only its token', broker: { url: mixed.url, publish: true, providerVersion: '1.2.3' } });
    expect(result.interactions.map((i) => i.description)).toEqual([only.description]);
    expect(result.passed).toBe(true);
    const from = `${canonical.consumer.name}'s pact from the Pact Broker`;
    expect(result.leftOut).toEqual([{ file: from, description: 'a vppToken created event', type: 'Asynchronous/Messages' }]);
    expect(result.summary).toMatch(/: 1 passed, 0 failed; left out 1 interaction that is not HTTP, as compare does: .*"a vppToken created event" \(Asynchronous\/Messages\)$/);
    const published = mixed.requests.find((r) => r.path.endsWith('/verification-results'))?.body as { success: boolean; testResults: { interactionDescription: string; success: boolean }[] };
    expect(published.success).toBe(true);
    expect(published.testResults.map((r) => [r.interactionDescription, r.success])).toEqual([[only.description, true]]);
    // Messages and nothing HTTP: nothing was verified, exit 2, the provider not blamed.
    writeFileSync(join(dir, 'events.json'), JSON.stringify({ ...canonical, interactions: [event] }));
    const events = await startFakeBroker(join(dir, 'events.json'), VPP_TOKENS_PROVIDER);
    try {
      await expect(verifyProvider({ providerBaseUrl: provider.url, broker: { url: events.url } })).rejects.toThrow(
        new VerificationSetupError(`the Pact Broker at ${events.url} gave pacts that hold no HTTP interaction: ${from}: "a vppToken created event" (Asynchronous/Messages) is a message, which verify leaves alone as compare does; nothing was verified`),
      );
    } finally {
      await events.close();
    }
  } finally {
    await mixed.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Decision 0792's leftover (issue 14): a Pact V3 *message* pact (`messages`, no `interactions`) selected by a broker
// was handed to Pact whole: the relay read `interactions` only, so its messages were neither left out nor said, and
// Pact would verify them against the provider. Read by the one reader (pactInteractionsOf), said as a file's are.
it("leaves a broker's V3 message pact out as a file's: its messages said, the HTTP pact beside it verified and published, nothing published for the messages", async () => {
  const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-broker-0792-'));
  const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8')) as { interactions: { description: string }[] };
  const only = canonical.interactions.find((i) => i.description.includes('only its token'))!;
  const message = { description: 'an invoice created event', providerStates: [{ name: 'an invoice exists' }], contents: { invoiceId: '42' }, metadata: { contentType: 'application/json' } };
  const messagePact = (name: string, more: Record<string, unknown> = {}) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify({ consumer: { name: 'billing-app' }, provider: { name: VPP_TOKENS_PROVIDER }, messages: [message], metadata: { pactSpecification: { version: '3.0.0' } }, ...more }));
    return file;
  };
  const events = messagePact('events.json');
  const from = "billing-app's pact from the Pact Broker";
  const mixed = await startFakeBroker([events, CANONICAL_PACT], VPP_TOKENS_PROVIDER);
  const alone = await startFakeBroker(events, VPP_TOKENS_PROVIDER);
  const both = await startFakeBroker(messagePact('both.json', { interactions: [only] }), VPP_TOKENS_PROVIDER);
  try {
    const result = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'only its token', broker: { url: mixed.url, publish: true, providerVersion: '1.2.3' } });
    expect([result.passed, result.interactions.map((i) => i.description)]).toEqual([true, [only.description]]);
    expect(result.leftOut).toEqual([{ file: from, description: 'an invoice created event', type: 'V3 message' }]);
    expect(result.summary).toMatch(/: 1 passed, 0 failed; left out 1 interaction that is not HTTP, as compare does: .*"an invoice created event" \(V3 message\)$/);
    // Pact was given the message pact without its messages (it would ask the provider for each): it verifies nothing
    // of it and publishes nothing for it; the HTTP pact's verdict is published.
    const published = mixed.requests.filter((r) => r.path.endsWith('/verification-results'));
    expect(published.map((r) => [r.path, (r.body as { success: boolean }).success])).toEqual([[`/pacts/provider/${VPP_TOKENS_PROVIDER}/consumer/${JSON.parse(readFileSync(CANONICAL_PACT, 'utf8')).consumer.name}/pact-version/2/verification-results`, true]]);
    expect(result.published).toEqual({ brokerUrl: mixed.url, providerVersion: '1.2.3', pacts: 1, success: true });
    // Messages and nothing HTTP: nothing was verified, exit 2, in the words a file's message pact gets.
    await expect(verifyProvider({ providerBaseUrl: provider.url, broker: { url: alone.url } })).rejects.toThrow(
      new VerificationSetupError(`the Pact Broker at ${alone.url} gave pacts that hold no HTTP interaction: ${from}: "an invoice created event" (V3 message) is a message, which verify leaves alone as compare does; nothing was verified`),
    );
    // `interactions` beside `messages` at specification 3: refused as a file's is, naming the pact.
    await expect(verifyProvider({ providerBaseUrl: provider.url, broker: { url: both.url } })).rejects.toThrow(
      new VerificationSetupError(`the Pact Broker at ${both.url} gave the pact at /pacts/provider/${VPP_TOKENS_PROVIDER}/consumer/billing-app/pact-version/1, which is not a Pact file: it has both "interactions" and "messages": Pact reads a pact of specification 3 with "messages" as a message pact and never its interactions (a message pact and an HTTP pact are two files)`),
    );
    // --interaction naming the message only: as for a file's.
    await expect(verifyProvider({ providerBaseUrl: provider.url, interaction: 'invoice', broker: { url: mixed.url } })).rejects.toThrow(
      new VerificationSetupError(`--interaction "invoice" is only in interactions that are not HTTP (${from}: "an invoice created event" (V3 message)), which verify leaves alone: nothing to verify`),
    );
    // `messages` no list, a message no object: refused as a file's are.
    for (const [more, why] of [[{ messages: { description: 'x' } }, 'its "messages" is not a list'], [{ messages: [message, 'x'] }, 'message 2 is not an object']] as const) {
      const refused = await startFakeBroker(messagePact('refused.json', more), VPP_TOKENS_PROVIDER);
      try {
        await expect(verifyProvider({ providerBaseUrl: provider.url, broker: { url: refused.url } })).rejects.toThrow(
          new VerificationSetupError(`the Pact Broker at ${refused.url} gave the pact at /pacts/provider/${VPP_TOKENS_PROVIDER}/consumer/billing-app/pact-version/1, which is not a Pact file: ${why}`),
        );
      } finally {
        await refused.close();
      }
    }
  } finally {
    await Promise.all([mixed.close(), alone.close(), both.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
});

// Outside finding R73: a broker's pact with no interaction was exit 1, "0 passed, 0 failed", blaming the provider.
it('a broker whose pact holds no interaction: nothing was verified, exit 2, naming the pact', async () => {
  const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-broker-r73-'));
  const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8')) as { consumer: { name: string } };
  writeFileSync(join(dir, 'empty.json'), JSON.stringify({ ...canonical, interactions: [] }));
  const empty = await startFakeBroker(join(dir, 'empty.json'), VPP_TOKENS_PROVIDER);
  try {
    const cli = await vppkit(['verify', '--provider-base-url', provider.url, '--broker-url', empty.url, '--json']);
    const said = `the Pact Broker at ${empty.url} gave pacts that hold no interaction (the pact at /pacts/provider/${VPP_TOKENS_PROVIDER}/consumer/${canonical.consumer.name}/pact-version/1 has none): nothing was verified, no verdict`;
    expect([cli.code, cli.stderr, JSON.parse(cli.stdout)]).toEqual([2, `vppkit: ${said}\n`, { command: 'verify', passed: false, exitCode: 2, error: said }]);
  } finally {
    await empty.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
