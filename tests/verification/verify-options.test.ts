// What Pact users reach for first, through verifyProvider: pact folders and globs, one interaction, extra headers
// for a gateway, and Pact's provider-state set-up URL (its failures reported as set-up, not as the contract's).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANONICAL_PACT, VerificationSetupError, startReferenceProvider, verifyProvider, type ReferenceProvider } from 'vpptokens-contract-kit/provider';
import { listenOnLoopback } from '../support/listen';
import { frontOf } from '../support/front';
import { verifyExitCode } from '../../src/cli/verify';
import { verifyInWorker, verifyJUnit } from '../../src/verification';
import { BYTE_ORDER_MARK, checkVerifyInputs } from '../../src/verification/setup';
import { PassThrough } from 'node:stream';
import { comparePacts } from 'vpptokens-contract-kit/compare';
import { httpInteractionsOnly } from '../../src/compare/pact-file';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-verify-options-'));
const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8')) as { consumer: { name: string }; interactions: { description: string }[] };

/** A pact file holding the canonical interactions whose description contains one of `parts`, for consumer `name`. */
function pactOf(folder: string, name: string, parts: string[]): string {
  mkdirSync(folder, { recursive: true });
  const pact = { ...canonical, consumer: { name }, interactions: canonical.interactions.filter((i) => parts.some((p) => i.description.includes(p))) };
  const file = join(folder, `${name}-microsoft-graph-vpptokens.json`);
  writeFileSync(file, JSON.stringify(pact));
  return file;
}

let provider: ReferenceProvider;
const seen: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  provider = await startReferenceProvider({ onRequest: (r) => seen.push(r.headers) });
});
afterAll(async () => {
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pact folders and globs', () => {
  const pacts = join(dir, 'pacts');
  pactOf(pacts, 'app-one', ['only its token']);
  pactOf(pacts, 'app-two', ['without a token']);
  writeFileSync(join(pacts, 'notes.txt'), 'not a pact');

  it('verifies every *.json of a folder, and the files a glob matches', async () => {
    const fromFolder = await verifyProvider({ providerBaseUrl: provider.url, pactFiles: [pacts] });
    expect(fromFolder.interactions.map((i) => i.description).sort()).toEqual(['a request to create a vppToken with only its token', 'a request to create a vppToken without a token']);
    expect(fromFolder.passed).toBe(true);
    const fromGlob = await verifyProvider({ providerBaseUrl: provider.url, pactFiles: [join(pacts, 'app-t*.json')] });
    expect(fromGlob.interactions.map((i) => i.description)).toEqual(['a request to create a vppToken without a token']);
  });

  it('says clearly when a glob matches nothing or a folder holds no pact', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    await expect(verifyProvider({ providerBaseUrl: provider.url, pactFiles: [join(pacts, 'nobody-*.json')] })).rejects.toThrow(new VerificationSetupError(`no pact file matches ${join(pacts, 'nobody-*.json')}`));
    await expect(verifyProvider({ providerBaseUrl: provider.url, pactFiles: [empty] })).rejects.toThrow(new VerificationSetupError(`the folder ${empty} holds no pact files (*.json)`));
  });
});

// Outside finding R41: a pact saved by Windows PowerShell 5.1 (Set-Content -Encoding utf8) starts with EF BB BF;
// compare reads past it, Pact's loader says only "Failed to parse Pact JSON". Named before Pact starts (decision 0484).
describe('a pact file that starts with a UTF-8 byte order mark', () => {
  const marked = join(dir, 'marked');
  mkdirSync(marked, { recursive: true });
  const bytes = readFileSync(CANONICAL_PACT);
  writeFileSync(join(marked, 'bom.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]));
  writeFileSync(join(dir, 'unmarked.json'), bytes);

  it('is refused, as a file and in a folder, naming the mark and how to save without it; the same bytes without it are taken', () => {
    const said = `pact file ${join(marked, 'bom.json')} ${BYTE_ORDER_MARK}`;
    expect(said).toMatch(/starts with a UTF-8 byte order mark \(EF BB BF\), which Pact cannot load .*: save it without the mark, e\.g\. tail -c \+4 FILE > NEW/);
    expect(() => checkVerifyInputs({}, [join(marked, 'bom.json')])).toThrow(new VerificationSetupError(said));
    expect(() => checkVerifyInputs({}, [marked])).toThrow(new VerificationSetupError(said));
    const taken = checkVerifyInputs({}, [join(dir, 'unmarked.json')]);
    expect(taken.pactFiles).toEqual([join(dir, 'unmarked.json')]);
    expect(taken.checked[0].descriptions.length).toBe(canonical.interactions.length);
  });
});

// Outside finding R42: `verify p.json pacts/` verified the pact twice, and a provider that keeps each VPP token once
// failed the second copy's creates (409). A file named twice is verified once, said; a copy is another pact.
describe('a pact file named twice', () => {
  const twice = join(dir, 'twice');
  const p = pactOf(twice, 'app-twice', ['only its token']);
  const link = join(dir, 'twice-link.json');
  symlinkSync(p, link);

  it('is read once, by a folder, its own name and a link, with a note per name given again; a copy is kept', () => {
    const inputs = checkVerifyInputs({}, [twice, p, link]);
    expect(inputs.pactFiles).toEqual([p]);
    expect(inputs.again).toEqual([`${p} is given twice: read once`, `${link} is ${p} again: read once`]);
    const copy = join(dir, 'twice-copy.json');
    copyFileSync(p, copy);
    const both = checkVerifyInputs({}, [p, copy]);
    expect(both.pactFiles).toEqual([p, copy]);
    expect(both.again).toEqual([]);
  });
});

// Outside tester K23: a consumer's pacts/ folder holds one file per provider; a pact for `billing-api` beside the
// vppTokens one was verified against the vppTokens provider and failed it (exit 1), nothing saying it was another's.
describe('pacts for another provider', () => {
  const mixed = join(dir, 'mixed');
  const ours = pactOf(mixed, 'app-one', ['only its token']);
  const billing = join(mixed, 'app-one-billing-api.json');
  writeFileSync(
    billing,
    JSON.stringify({ ...canonical, provider: { name: 'billing-api' }, interactions: [{ description: 'get an invoice', request: { method: 'GET', path: '/invoices/42' }, response: { status: 200, body: { id: 42 } } }] }),
  );

  it('leaves a pact for another provider out, saying so, and verifies the rest', async () => {
    const result = await verifyProvider({ providerBaseUrl: provider.url, pactFiles: [mixed] });
    expect(result.interactions.map((i) => i.description)).toEqual(['a request to create a vppToken with only its token']);
    expect(result.passed).toBe(true);
    expect(result.summary).toBe(`1 interaction verified against ${provider.url}: 1 passed, 0 failed; left out 1 pact file for another provider than "microsoft-graph-vpptokens" (--provider): app-one-billing-api.json ("billing-api")`);
  });

  it('refuses pacts none of which is for the provider (--provider): nothing was verified, exit 2', async () => {
    await expect(verifyProvider({ providerBaseUrl: provider.url, pactFiles: [billing] })).rejects.toThrow(
      new VerificationSetupError(`no pact file given is for the provider "microsoft-graph-vpptokens" (--provider): ${billing} is for "billing-api"; nothing was verified`),
    );
    // --provider names the provider the pacts are taken for.
    await expect(verifyProvider({ providerBaseUrl: provider.url, pactFiles: [ours], provider: 'billing-api' })).rejects.toThrow(
      new VerificationSetupError(`no pact file given is for the provider "billing-api" (--provider): ${ours} is for "microsoft-graph-vpptokens"; nothing was verified`),
    );
  });
});

// Outside finding R31: a V4 pact holding a message interaction beside its HTTP ones (a consumer that also records a
// message pact under the provider's name) failed verify, exit 1, on the 401 of Pact's message fetch from the provider's
// root; compare left the message alone. One rule for both (isHttpInteraction, decision 0511).
describe('a pact that holds V4 messages beside its HTTP interactions', () => {
  const folder = join(dir, 'r31');
  mkdirSync(folder, { recursive: true });
  const only = canonical.interactions.find((i) => i.description.includes('only its token'))! as { description: string; response?: object };
  const contents = { content: { id: '9b8c1f0e-3f9a-4c55-a1a3-0d6e2b7c9f01' }, contentType: 'application/json', encoded: false };
  const event = { type: 'Asynchronous/Messages', description: 'a vppToken created event', contents, metadata: {}, matchingRules: {}, providerStates: [], pending: false, key: 'e1' };
  const exchange = { type: 'Synchronous/Messages', description: 'a vppToken asked for by message', request: { contents }, response: [{ contents }], providerStates: [], pending: false, key: 's1' };
  const write = (name: string, interactions: unknown[]) => {
    const file = join(folder, name);
    writeFileSync(file, JSON.stringify({ ...canonical, interactions }, null, 2));
    return file;
  };
  const mixed = write('mixed.json', [event, only, exchange]);
  const messagesOnly = write('events.json', [event]);
  const leftOut = [
    { file: mixed, description: 'a vppToken created event', type: 'Asynchronous/Messages' },
    { file: mixed, description: 'a vppToken asked for by message', type: 'Synchronous/Messages' },
  ];
  const note = 'left out 2 interactions that are not HTTP, as compare does: mixed.json: "a vppToken created event" (Asynchronous/Messages), mixed.json: "a vppToken asked for by message" (Synchronous/Messages)';

  it('verifies its HTTP interactions and leaves the messages out, as compare does: said in the summary, the result and JUnit', async () => {
    const result = await verifyProvider({ providerBaseUrl: provider.url, pactFiles: [mixed] });
    expect(result.interactions.map((i) => i.description)).toEqual([only.description]);
    expect(result.passed).toBe(true);
    expect(result.summary).toBe(`1 interaction verified against ${provider.url}: 1 passed, 0 failed; ${note}`);
    expect(result.leftOut).toEqual(leftOut);
    const xml = verifyJUnit(result, 'microsoft-graph-vpptokens');
    expect(xml).toContain('tests="3" failures="0" errors="0" skipped="2"');
    expect(xml).toMatch(/<testcase classname="microsoft-graph-vpptokens" name="a vppToken created event">\s*<skipped message="not an HTTP interaction \(Asynchronous\/Messages\), left out: verify checks HTTP interactions \(mixed\.json\)"\/>/);
    const compared = await comparePacts([mixed], { comparator: false });
    expect(compared.pacts[0].warnings).toEqual(expect.arrayContaining(leftOut.map((i) => `${i.description}: not an HTTP interaction (${i.type}), left alone`)));
  });

  it('gives Pact the HTTP interactions byte for byte: numbers, escapes and spacing as written, the messages gone', () => {
    const http = '{ "description": "a \\u0063reate", "request": {"method":"POST","path":"/x"}, "response": {"status": 201, "body": {"n": 1.0, "big": 12345678901234567890}} }';
    const message = '{"type" : "Asynchronous/Messages", "description": "an [event], {odd}", "contents": {"content": "]"}}';
    const text = `{"consumer": {"name": "interactions"}, "note": "interactions", "metadata": {"interactions": [1]},\n "interactions" : [ ${message} ,\n  ${http},${message}\n ], "provider": {"name": "p"}}`;
    expect(httpInteractionsOnly(text)).toBe(`{"consumer": {"name": "interactions"}, "note": "interactions", "metadata": {"interactions": [1]},\n "interactions" : [${http}], "provider": {"name": "p"}}`);
    expect(httpInteractionsOnly(`{"interactions": [${message}]}`)).toBe('{"interactions": []}');
    // Every interaction HTTP: nothing to copy.
    expect(httpInteractionsOnly(`{"interactions": [${http}, ${http}]}`)).toBeUndefined();
  });

  it('still fails the provider on an HTTP interaction beside them; messages and nothing HTTP are nothing to verify (exit 2)', async () => {
    const teapot = write('teapot.json', [event, { ...only, response: { ...only.response, status: 418 } }]);
    const failed = await verifyProvider({ providerBaseUrl: provider.url, pactFiles: [teapot] });
    expect(failed.passed).toBe(false);
    expect(failed.interactions.map((i) => [i.description, i.mismatches[0]])).toEqual([[only.description, expect.stringMatching(/status.*418.*201|expected 418/i)]]);
    await expect(verifyProvider({ providerBaseUrl: provider.url, pactFiles: [messagesOnly] })).rejects.toThrow(
      new VerificationSetupError('the pacts for "microsoft-graph-vpptokens" hold no HTTP interaction: events.json: "a vppToken created event" (Asynchronous/Messages) is a message, which verify leaves alone as compare does (it verifies HTTP interactions); nothing was verified'),
    );
    expect(() => checkVerifyInputs({ interaction: 'created event' }, [mixed])).toThrow(
      new VerificationSetupError('--interaction "created event" is only in interactions that are not HTTP (mixed.json: "a vppToken created event" (Asynchronous/Messages)), which verify leaves alone: nothing to verify'),
    );
    // A pact of messages only beside one with HTTP interactions is left out whole, named.
    const both = checkVerifyInputs({}, [messagesOnly, mixed]);
    expect([both.pactFiles, both.providerFiles, both.notHttp.length]).toEqual([[mixed], [messagesOnly, mixed], 3]);
  });
});

// Outside finding R86 (decision 0792): a consumer's folder holding a Pact V3 *message* pact (`messages`, no
// `interactions`: pact-js's MessageConsumerPact writes one) stopped verify and compare with exit 2, "not a Pact file",
// and the HTTP pact beside it was never judged. Pact's loader reads it as a message pact: its messages are left out as
// V4's are (0511), another provider's pact as 0257 leaves it; by one reader (pactInteractionsOf).
describe('a Pact V3 message pact beside an HTTP pact', () => {
  const folder = join(dir, 'r86');
  mkdirSync(folder, { recursive: true });
  const ours = join(folder, 'ours.json');
  copyFileSync(CANONICAL_PACT, ours);
  const message = { description: 'an invoice created event', providerStates: [{ name: 'an invoice exists' }], contents: { invoiceId: '42' }, metadata: { contentType: 'application/json' } };
  const messagePact = (name: string, provider: string, more: Record<string, unknown> = {}) => {
    const file = join(folder, name);
    writeFileSync(file, JSON.stringify({ consumer: { name: 'billing-app' }, provider: { name: provider }, messages: [message], metadata: { pactSpecification: { version: '3.0.0' } }, ...more }));
    return file;
  };
  const billing = messagePact('billing-events.json', 'billing-events');
  const events = messagePact('events.json', 'microsoft-graph-vpptokens');
  const httpCount = canonical.interactions.length;

  it('another provider\'s is left out as another provider\'s pact; this provider\'s messages as V4 messages: compare and verify judge the HTTP pact', async () => {
    const other = checkVerifyInputs({}, [billing, ours]);
    expect([other.pactFiles, other.otherProviders.map((p) => p.file)]).toEqual([[ours], [billing]]);
    const own = checkVerifyInputs({}, [events, ours]);
    expect([own.pactFiles, own.providerFiles, own.notHttp]).toEqual([[ours], [events, ours], [{ file: events, description: 'an invoice created event', type: 'V3 message' }]]);
    const compared = await comparePacts([billing, events, ours], { comparator: false });
    expect(compared.passed).toBe(true);
    expect(compared.pacts.map((p) => [p.provider, p.specification, p.interactions.length, p.warnings])).toEqual([
      ['billing-events', '3.0.0', 0, ['an invoice created event: not an HTTP interaction (V3 message), left alone']],
      ['microsoft-graph-vpptokens', '3.0.0', 0, ['an invoice created event: not an HTTP interaction (V3 message), left alone']],
      ['microsoft-graph-vpptokens', expect.any(String), httpCount, expect.any(Array)],
    ]);
    // With PactFlow's comparator, as the command runs (it is given no message pact: it reads `interactions` only).
    const alone = await comparePacts([billing, events]);
    expect([alone.passed, alone.nothingJudged, alone.pacts.map((p) => p.warnings.length)]).toEqual([false, expect.stringMatching(/^no interaction creates or reads a vppToken/), [1, 1]]);
  });

  it('alone, it is nothing to verify (exit 2); a V4 pact\'s `messages` key is no message pact; `interactions` beside `messages`, or `messages` no list, is no pact either command takes', async () => {
    expect(() => checkVerifyInputs({}, [events])).toThrow(
      new VerificationSetupError('the pacts for "microsoft-graph-vpptokens" hold no HTTP interaction: events.json: "an invoice created event" (V3 message) is a message, which verify leaves alone as compare does (it verifies HTTP interactions); nothing was verified'),
    );
    // Without metadata, or spelled `pact-specification`, it is a message pact still (Pact: not 4, so `messages` decides).
    expect(checkVerifyInputs({}, [messagePact('bare.json', 'billing-events', { metadata: undefined }), ours]).otherProviders).toHaveLength(1);
    expect(checkVerifyInputs({}, [messagePact('dashed.json', 'microsoft-graph-vpptokens', { metadata: { 'pact-specification': { version: '3.0.0' } } }), ours]).notHttp).toHaveLength(1);
    // Specification 4 reads `interactions` whatever else is there.
    const v4 = join(folder, 'v4.json');
    writeFileSync(v4, JSON.stringify({ ...canonical, messages: [message], metadata: { pactSpecification: { version: '4.0' } } }));
    expect(checkVerifyInputs({}, [v4]).checked[0].http).toBe(httpCount);
    expect((await comparePacts([v4], { comparator: false })).pacts[0].interactions).toHaveLength(httpCount);
    const both = messagePact('both.json', 'microsoft-graph-vpptokens', { interactions: canonical.interactions });
    const why = 'it has both "interactions" and "messages": Pact reads a pact of specification 3 with "messages" as a message pact and never its interactions (a message pact and an HTTP pact are two files)';
    expect(() => checkVerifyInputs({}, [both])).toThrow(new VerificationSetupError(`pact file ${both} is not a Pact file: ${why}`));
    await expect(comparePacts([both], { comparator: false })).rejects.toThrow(`${both} is not a pact: ${why}`);
    const notList = messagePact('not-list.json', 'billing-events', { messages: { description: 'x' } });
    expect(() => checkVerifyInputs({}, [notList])).toThrow(new VerificationSetupError(`pact file ${notList} is not a Pact file: its "messages" is not a list`));
    await expect(comparePacts([notList], { comparator: false })).rejects.toThrow(`${notList} is not a pact: its "messages" is not a list`);
    const notObject = messagePact('not-object.json', 'billing-events', { messages: [message, 'x'] });
    expect(() => checkVerifyInputs({}, [notObject])).toThrow(new VerificationSetupError(`pact file ${notObject} is not a Pact file: message 2 is not an object`));
    // Neither list: as before.
    const neither = messagePact('neither.json', 'billing-events', { messages: undefined });
    expect(() => checkVerifyInputs({}, [neither])).toThrow(new VerificationSetupError(`pact file ${neither} is not a Pact file: it has no interactions (an array)`));
  });
});

// Outside tester K27: a pact whose paths keep the client's /beta (a pact-js test of an SDK client records them so;
// compare takes them), verified with --provider-base-url .../beta as the README shows, was sent to
// /beta/beta/deviceAppManagement/vppTokens: 17 of 18 failed with 404. The proxy's rule, shared: its own version, once.
describe('pact paths that keep their /beta against a base URL ending in /beta', () => {
  it('sends each with its own version, once, and passes; a path without one goes under the base path', async () => {
    const paths: string[] = [];
    const front = await frontOf(provider, (req) => {
      paths.push(req.url ?? '');
      return false;
    });
    try {
      const beta = join(dir, 'beta-paths.json');
      const pact = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8')) as { interactions: { request: { path: string } }[] };
      for (const i of pact.interactions) i.request.path = `/beta${i.request.path}`;
      writeFileSync(beta, JSON.stringify(pact));
      const kept = await verifyProvider({ providerBaseUrl: `${front.url}/beta`, pactFiles: [beta], interaction: 'only its token' });
      expect(kept.passed).toBe(true);
      expect(paths).toEqual(['/beta/deviceAppManagement/vppTokens']);
      paths.splice(0);
      const plain = await verifyProvider({ providerBaseUrl: `${front.url}/beta`, interaction: 'only its token' });
      expect(plain.passed).toBe(true);
      expect(paths).toEqual(['/beta/deviceAppManagement/vppTokens']);
      // A base path other than a version keeps the pact's path under it: a gateway's /gw and the pact's /beta.
      paths.splice(0);
      const gateway = await verifyProvider({ providerBaseUrl: `${front.url}/gw`, pactFiles: [beta], interaction: 'only its token' });
      expect(gateway.passed).toBe(false);
      expect(paths).toEqual(['/gw/beta/deviceAppManagement/vppTokens']);
    } finally {
      await front.close();
    }
  });
});

describe('--interaction', () => {
  it('verifies only the interactions whose description contains the text, taken literally', async () => {
    const result = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'with a null token' });
    expect(result.interactions.map((i) => i.description)).toEqual(['a request to create a vppToken with a null token']);
    expect(result.summary).toBe(`1 interaction verified against ${provider.url}: 1 passed, 0 failed`);
    // Regular-expression characters are text: "." matches only a dot.
    const quoted = await verifyProvider({ providerBaseUrl: provider.url, interaction: `Graph's "never" dates` });
    expect(quoted.interactions.map((i) => i.description)).toEqual([`a request to create a vppToken with Graph's "never" dates`]);
    expect(process.env.PACT_DESCRIPTION).toBeUndefined();
  });

  it('refuses a text no description contains, naming some that exist', async () => {
    await expect(verifyProvider({ providerBaseUrl: provider.url, interaction: 'a n.ll token' })).rejects.toThrow(
      // Five descriptions named, the rest counted: the canonical pact's interactions less five.
      new RegExp(`^--interaction "a n\\.ll token" is in no interaction's description \\(case matters\\): the pacts have "a request to create .*", and ${canonical.interactions.length - 5} more$`),
    );
    await expect(verifyProvider({ providerBaseUrl: provider.url, interaction: ' ' })).rejects.toThrow(/--interaction must be some text/);
  });
});

describe('--header', () => {
  it('adds each header to every request, and no result carries its value', async () => {
    seen.length = 0;
    const secret = 'gateway-secret-5e1f';
    const result = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property', headers: { 'Ocp-Apim-Subscription-Key': secret, 'X-Tenant': 'contoso' } });
    expect(result.passed).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen) expect([headers['ocp-apim-subscription-key'], headers['x-tenant']]).toEqual([secret, 'contoso']);
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it("never shows a header's value or the bearer, though a provider echoes them into what Pact reports", async () => {
    const secret = 'gateway-secret-5e1f';
    const bearer = 'eyJhbGciOi.bearer-7c2d';
    // A gateway that quotes what it was given: in a 201's displayName (Pact's value mismatch) and in a 400's message.
    const echo = await listenOnLoopback(
      createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          const given = `${String(req.headers['ocp-apim-subscription-key'])} ${String(req.headers.authorization)}`;
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'BadRequest', message: `key ${given} refused` } }));
        });
      }),
    );
    try {
      const report = new PassThrough();
      let printed = '';
      report.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      const options = { providerBaseUrl: echo.url, interaction: 'every property', bearer, headers: { 'Ocp-Apim-Subscription-Key': secret } };
      const result = await verifyInWorker(options, { report });
      // The verdict stands (the gateway refused the create), for its own reason.
      expect(result.passed).toBe(false);
      expect(result.interactions[0].pactMismatches).toContain('status: expected 201 but was 400');
      // Pact's own report quotes the answer, redacted, and without Pact's colour codes, colour not asked (decision 0761:
      // the clean report an in-process verifyProvider cannot give).
      expect(printed).toContain('"message": "key [token] Bearer [bearer] refused"');
      expect(printed).toContain('has status code 201');
      expect(printed).not.toContain('\u001b');
      for (const text of [printed, JSON.stringify(result), verifyJUnit(result, 'gateway')]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(bearer);
      }
    } finally {
      await echo.close();
    }
  });

  it.each([
    [{ Authorization: 'Bearer x' }, '--header Authorization can\'t be set: give the access token with --bearer, the one option the kit takes it by and never shows (verify\'s pact and conform\'s negative cases also send requests without one)'],
    [{ 'Content-Type': 'text/plain' }, '--header Content-Type can\'t be set: each request sends the one it is about'],
    [{ 'Content-Encoding': 'gzip' }, "--header Content-Encoding can't be set: it says how each request's body is encoded, and the kit writes the body (RFC 9110 §8.4)"],
    [{ Trailer: 'X' }, "--header Trailer can't be set: it announces trailer fields after a chunked body, and the kit sends none (RFC 9110 §6.6.2)"],
    [{ Te: 'trailers' }, "--header Te can't be set: it belongs to the connection (RFC 9110 §7.6.1)"],
    [{ 'Bad Name': 'x' }, `--header's name is not a header name: character 4 is " " (letters, digits and !#$%&'*+.^_\`|~- only; the name is not shown, it may hold a credential)`],
    [{ 'X-Key': 'line\r\nX-Injected: 1' }, '--header X-Key: its value must be text without line breaks or other control characters (not shown)'],
  ])('refuses %j in one line that never shows the value', async (headers, message) => {
    await expect(verifyProvider({ providerBaseUrl: provider.url, headers })).rejects.toThrow(new VerificationSetupError(message));
  });
});

describe('--provider-base-url', () => {
  // Found by an outside tester (G17): verify dropped a query on the base URL without a word.
  it('refuses one with a query or fragment, in one line', async () => {
    for (const url of ['http://127.0.0.1:9/beta?x=1', 'http://127.0.0.1:9/beta#frag']) {
      await expect(verifyProvider({ providerBaseUrl: url })).rejects.toThrow(
        new VerificationSetupError("--provider-base-url is a base URL without a query or fragment (got http://127.0.0.1:9/beta with one)"),
      );
    }
  });
});

describe('--provider-states-setup-url', () => {
  /** A state-change endpoint recording what Pact posts, answering with `status` for set-ups. */
  async function stateServer(setupStatus: number, teardownStatus = 200) {
    const calls: { state: string; action: string; params: unknown; contentType?: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const change = JSON.parse(body) as { state: string; action: string; params: unknown };
        calls.push({ ...change, contentType: req.headers['content-type'] });
        const status = change.action === 'setup' ? setupStatus : teardownStatus;
        res.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'text/plain' }).end(status === 200 ? '{}' : 'tenant database is down');
      });
    });
    return { calls, ...(await listenOnLoopback(server)) };
  }

  it('posts {state, params, action} before each interaction and tears it down after', async () => {
    const states = await stateServer(200);
    try {
      const result = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'an empty token', providerStatesSetupUrl: `${states.url}/_pact/provider-states` });
      expect(result.passed).toBe(true);
      expect(states.calls).toEqual([
        { state: 'a tenant that can add VPP tokens', params: {}, action: 'setup', contentType: 'application/json' },
        { state: 'a tenant that can add VPP tokens', params: {}, action: 'teardown', contentType: 'application/json' },
      ]);
    } finally {
      await states.close();
    }
  });

  it('reports a set-up that fails as set-up, not as a contract failure: not judged, exit code 2', async () => {
    const states = await stateServer(500);
    try {
      const result = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'only its token', providerStatesSetupUrl: `${states.url}/states` });
      const [only] = result.interactions;
      expect(only).toMatchObject({ passed: false, mismatches: [], pactMismatches: [] });
      expect(only.setupFailure).toBe(`provider state setup failed: POST ${states.url}/states (setup of "a tenant that can add VPP tokens") answered 500: tenant database is down`);
      expect([result.passed, result.setupFailed, result.summary]).toEqual([false, 1, `1 interaction verified against ${provider.url}: 0 passed, 0 failed, 1 not judged: provider state set-up failed`]);
      expect(verifyExitCode(result)).toBe(2);
      // The set-up URL had one chance: the relay answers Pact so that its core does not retry (pact-js 17 retried
      // a failed state change 8 times with a growing back-off, about two minutes; pact-js 16 3 times).
      expect(states.calls.filter((c) => c.action === 'setup')).toHaveLength(1);
    } finally {
      await states.close();
    }
  });

  // Found by an outside tester (G23): a failing teardown was summed up as "provider state set-up failed", and it
  // threw away the verdict Pact had already reached (Pact's core replaces the result with the teardown's error).
  it('keeps the verdict when a teardown fails, and reports the teardown as its own line: exit 2 when all passed', async () => {
    const states = await stateServer(200, 500);
    try {
      const result = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'only its token', providerStatesSetupUrl: `${states.url}/states` });
      expect(result.interactions.map((i) => [i.passed, i.setupFailure])).toEqual([[true, undefined]]);
      const why = `POST ${states.url}/states (teardown of "a tenant that can add VPP tokens") answered 500: tenant database is down`;
      expect(result.teardownFailures).toEqual([`provider state teardown failed: ${why}`]);
      expect([result.passed, result.setupFailed]).toEqual([false, 0]);
      expect(result.summary).toBe(`1 interaction verified against ${provider.url}: 1 passed, 0 failed; 1 provider state teardown failed`);
      expect(verifyExitCode(result)).toBe(2);
      expect(verifyJUnit(result, 'p')).toMatch(/<testcase classname="p" name="provider state teardown 1"[^>]*>\s*<error message="provider state teardown failed: POST /);
      // The teardown had one chance, as a set-up has: Pact was told it went well, so its core did not retry it.
      expect(states.calls.map((c) => c.action)).toEqual(['setup', 'teardown']);
    } finally {
      await states.close();
    }
  });

  it('keeps a failed verdict when a teardown fails too: exit 1, the teardown said once with how often', async () => {
    const states = await stateServer(200, 500);
    try {
      // The state server is no provider: it answers the creates as teardowns (500), so each interaction fails.
      const result = await verifyProvider({ providerBaseUrl: states.url, interaction: 'a vppToken with', providerStatesSetupUrl: `${states.url}/states` });
      const n = result.interactions.length;
      expect(n).toBeGreaterThan(1);
      expect(result.interactions.filter((i) => i.passed || i.setupFailure !== undefined)).toEqual([]);
      expect(result.interactions[0].pactMismatches[0]).toMatch(/^status: expected 201 but was 500/);
      expect(result.teardownFailures).toEqual([`provider state teardown failed (${n} times): POST ${states.url}/states (teardown of "a tenant that can add VPP tokens") answered 500: tenant database is down`]);
      expect(result.summary).toBe(`${n} interactions verified against ${states.url}: 0 passed, ${n} failed; ${n} provider state teardowns failed`);
      expect(verifyExitCode(result)).toBe(1);
    } finally {
      await states.close();
    }
  });

  it('refuses an unreachable set-up URL, a wrong one, and one given with state handlers', async () => {
    // And a --bearer that is a word of the contract, which every answer may carry (outside tester G23).
    await expect(verifyProvider({ providerBaseUrl: provider.url, bearer: 'Education' })).rejects.toThrow(/^--bearer: the bearer is, or is part of, an enum member of the contract, .*give a real access token/);
    // And the header value pasted whole (outside tester H18): exit 2 before Pact starts, not 17 interactions failed.
    await expect(verifyProvider({ bearer: 'Bearer abcdefghijklmnop' })).rejects.toThrow(/^--bearer: the bearer starts with the scheme "Bearer": give the access token alone/);
    const closed = await listenOnLoopback(createServer());
    await closed.close();
    await expect(verifyProvider({ providerBaseUrl: provider.url, providerStatesSetupUrl: `${closed.url}/states` })).rejects.toThrow(
      new VerificationSetupError(`cannot reach the provider-states set-up URL at ${closed.url}: ECONNREFUSED`),
    );
    await expect(verifyProvider({ providerBaseUrl: provider.url, providerStatesSetupUrl: 'localhost:9/states' })).rejects.toThrow(/--provider-states-setup-url must be an http or https URL, such as .* \(got "localhost:9\/states"\)/);
    await expect(verifyProvider({ providerBaseUrl: provider.url, providerStatesSetupUrl: provider.url, stateHandlers: { x: async () => undefined } })).rejects.toThrow(
      new VerificationSetupError('give state handlers or a provider-states set-up URL (--provider-states-setup-url), not both'),
    );
  });
});

describe('verify exit codes', () => {
  const base = { providerBaseUrl: 'http://x', failures: [], summary: '' };
  const ok = { description: 'a', passed: true, mismatches: [], answerProblems: [], pactMismatches: [] };
  it('is 1 when an interaction failed the contract, even beside a set-up failure, and 2 for set-up failures alone', () => {
    const notSetUp = { ...ok, description: 'b', passed: false, setupFailure: 'provider state setup failed: ...' };
    const failed = { ...ok, description: 'c', passed: false, mismatches: ['status: 400 != 201'] };
    expect(verifyExitCode({ ...base, passed: true, setupFailed: 0, interactions: [ok] })).toBe(0);
    expect(verifyExitCode({ ...base, passed: false, setupFailed: 1, interactions: [ok, notSetUp] })).toBe(2);
    expect(verifyExitCode({ ...base, passed: false, setupFailed: 1, interactions: [ok, notSetUp, failed] })).toBe(1);
  });
});
