// vppkit verify at its edges: positional pact files, broken pacts, dead targets, https, --json/--junit, colour.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANONICAL_PACT, startReferenceProvider, type ReferenceProvider } from 'vpptokens-contract-kit/provider';
import { frontOf } from '../support/front';
import { run as vppkit } from '../support/run-cli';
import { selfSignedCertificate, tlsInFrontOf } from '../support/tls';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-verify-edges-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const STACK = /\n\s+at /;

const servers: Server[] = [];
const sockets = new Set<Socket>();
async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
let provider: ReferenceProvider;
beforeAll(async () => {
  provider = await startReferenceProvider();
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

// Outside tester H33: `failures` was [] beside `passed: false`, while check-client's lists every failure of its run.
describe("vppkit verify --json's failures", () => {
  it('lists every failed interaction in the lines of the text report, and is empty only for a run that passed', async () => {
    const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8'));
    const [first, second] = canonical.interactions as { description: string; response: { status: number } }[];
    const wrong = file('h33.json', JSON.stringify({ ...canonical, interactions: [{ ...first, response: { ...first.response, status: 202 } }, second] }));
    const [text, json] = await Promise.all([vppkit(['verify', wrong]), vppkit(['verify', wrong, '--json'])]);
    expect([text.code, json.code]).toEqual([1, 1]);
    const report = JSON.parse(json.stdout);
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual([expect.stringMatching(/status/)]);
    expect(report.failures[0].startsWith(`${first.description}: `)).toBe(true);
    // The same line as the text report's "Failed interactions".
    expect(text.stdout).toContain(`\n  ${report.failures[0]}\n`);
  });
});

// Outside tester K23: `vppkit verify pacts/` failed the provider on a pact for `billing-api` in the same folder.
describe('vppkit verify of a folder that holds a pact for another provider', () => {
  it('leaves it out with a note and passes on the pacts for this provider; only others is exit 2', async () => {
    const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8'));
    const folder = join(dir, 'k23');
    mkdirSync(folder);
    writeFileSync(join(folder, 'app-microsoft-graph-vpptokens.json'), JSON.stringify(canonical));
    const billing = join(folder, 'app-billing-api.json');
    writeFileSync(billing, JSON.stringify({ ...canonical, provider: { name: 'billing-api' }, interactions: [{ description: 'get an invoice', request: { method: 'GET', path: '/invoices/42' }, response: { status: 200, body: { id: 42 } } }] }));
    const [mixed, alone] = await Promise.all([vppkit(['verify', '--provider-base-url', provider.url, folder]), vppkit(['verify', '--provider-base-url', provider.url, billing])]);
    expect(mixed.code).toBe(0);
    expect(mixed.stderr).toContain('vppkit: note: left out 1 pact file for another provider than "microsoft-graph-vpptokens" (--provider): app-billing-api.json ("billing-api")\n');
    expect(mixed.stdout).not.toContain('invoice');
    expect(mixed.stdout).toMatch(/^vppkit verify: 18 interactions verified against .*: 18 passed, 0 failed$/m);
    expect([alone.code, alone.stderr]).toEqual([2, `vppkit: no pact file given is for the provider "microsoft-graph-vpptokens" (--provider): ${billing} is for "billing-api"; nothing was verified\n`]);
  });
});

// Outside finding R31: verify failed the provider (exit 1) on a pact's V4 message, which compare leaves alone.
describe('vppkit verify of pacts that hold V4 messages', () => {
  it('says they were left out (the note, --json leftOut) and passes on the HTTP ones; messages alone are exit 2', async () => {
    const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8'));
    const folder = join(dir, 'r31');
    mkdirSync(folder);
    const event = { type: 'Asynchronous/Messages', description: 'a vppToken created event', contents: { content: { id: 'x' }, contentType: 'application/json', encoded: false } };
    writeFileSync(join(folder, 'app.json'), JSON.stringify({ ...canonical, interactions: [canonical.interactions[0], event] }));
    const events = join(folder, 'events.json');
    writeFileSync(events, JSON.stringify({ ...canonical, interactions: [event] }));
    const [both, alone] = await Promise.all([vppkit(['verify', '--json', '--provider-base-url', provider.url, folder]), vppkit(['verify', '--provider-base-url', provider.url, events])]);
    expect(both.code).toBe(0);
    expect(both.stderr).toContain('vppkit: note: left out 2 interactions that are not HTTP, as compare does: app.json: "a vppToken created event" (Asynchronous/Messages), events.json: "a vppToken created event" (Asynchronous/Messages)\n');
    const report = JSON.parse(both.stdout);
    expect(report.interactions.map((i: { description: string }) => i.description)).toEqual([canonical.interactions[0].description]);
    expect(report.leftOut).toEqual([join(folder, 'app.json'), events].map((f) => ({ file: f, description: 'a vppToken created event', type: 'Asynchronous/Messages' })));
    expect([alone.code, alone.stderr]).toEqual([2, 'vppkit: the pacts for "microsoft-graph-vpptokens" hold no HTTP interaction: events.json: "a vppToken created event" (Asynchronous/Messages) is a message, which verify leaves alone as compare does (it verifies HTTP interactions); nothing was verified\n']);
  });
});

// Outside finding R73: a pact with no interaction (a consumer whose tests registered none publishes one) was exit 1,
// "0 passed, 0 failed", `failures` holding only the summary, while compare said "nothing judged, no verdict", exit 2.
describe('vppkit verify of a pact with no interaction', () => {
  it('is exit 2, nothing verified, in one line and in --json, as compare says; beside a pact with one, that one is verified', async () => {
    const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8'));
    const folder = join(dir, 'r73');
    mkdirSync(folder);
    const empty = join(folder, 'empty.json');
    writeFileSync(empty, JSON.stringify({ ...canonical, interactions: [] }));
    const [text, json, compared] = await Promise.all([vppkit(['verify', '--provider-base-url', provider.url, empty]), vppkit(['verify', '--json', '--provider-base-url', provider.url, empty]), vppkit(['compare', empty])]);
    const said = 'the pacts for "microsoft-graph-vpptokens" hold no interaction (empty.json has none): nothing was verified, no verdict';
    expect([text.code, text.stderr, text.stdout]).toEqual([2, `vppkit: ${said}\n`, '']);
    expect([json.code, JSON.parse(json.stdout)]).toEqual([2, { command: 'verify', passed: false, exitCode: 2, error: said }]);
    expect(compared.code).toBe(2);
    expect(compared.stdout).toContain('nothing judged, no verdict');
    // One interaction beside it: a verdict (exit 0).
    writeFileSync(join(folder, 'one.json'), JSON.stringify({ ...canonical, consumer: { name: 'one' }, interactions: canonical.interactions.slice(0, 1) }));
    const beside = await vppkit(['verify', '--provider-base-url', provider.url, folder]);
    expect(beside.code).toBe(0);
    expect(beside.stdout).toMatch(/^vppkit verify: 1 interaction verified against .*: 1 passed, 0 failed/m);
  });
});

describe('vppkit verify: what it verifies', () => {
  it('verifies pact files given as arguments, and reports as --json, --junit and without colour codes', async () => {
    const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8'));
    const one = file('one.json', JSON.stringify({ ...canonical, interactions: canonical.interactions.slice(0, 1) }));
    const junit = join(dir, 'verify.xml');
    const result = await vppkit(['verify', one, '--json', '--junit', junit], { worker: true });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ command: 'verify', passed: true, exitCode: 0, embedded: true, failures: [] });
    expect(report.interactions).toEqual([{ description: canonical.interactions[0].description, passed: true, mismatches: [], pactMismatches: [], answerProblems: [] }]);
    expect(report.summary).toMatch(/^1 interaction verified against http:\/\/127\.0\.0\.1:\d+: 1 passed, 0 failed$/);
    // Pact's own report goes to stderr with --json, and carries no colour codes when it is not a terminal.
    expect(result.stderr).toContain('Verifying a pact between');
    expect(result.stderr).not.toContain('\u001b[');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites name="vppkit verify" tests="1" failures="0" errors="0" skipped="0">');
    // The description is XML-escaped (the first canonical interaction's holds quotes).
    const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/'/g, '&apos;');
    expect(xml).toContain(`<testcase classname="microsoft-graph-vpptokens" name="${escaped(canonical.interactions[0].description)}"/>`);
  });

  it('takes a folder of pacts, one --interaction, a --header and a --provider-states-setup-url; a wrong --header is one line', async () => {
    const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8'));
    const folder = join(dir, 'pacts');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'app.json'), JSON.stringify(canonical));
    const calls: string[] = [];
    const states = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => (calls.push(JSON.parse(body).action), res.writeHead(200).end()));
    });
    const port = await listen(states as unknown as Server);
    const secret = 'subscription-key-77c1';
    const [result, wrong] = await Promise.all([
      vppkit(['verify', folder, '--provider-base-url', provider.url, '--interaction', 'only its token', '--header', `Ocp-Apim-Subscription-Key=${secret}`, '--provider-states-setup-url', `http://127.0.0.1:${port}/states`, '--json'], { worker: true }),
      vppkit(['verify', '--header', `Ocp-Apim-Subscription-Key: ${secret}`], { worker: true }),
    ]);
    expect([result.code, JSON.parse(result.stdout).summary]).toEqual([0, `1 interaction verified against ${provider.url}: 1 passed, 0 failed`]);
    expect(calls).toEqual(['setup', 'teardown']);
    expect([wrong.code, wrong.stderr]).toEqual([2, 'vppkit: --header must be NAME=VALUE, such as Ocp-Apim-Subscription-Key=VALUE (got "Ocp-Apim-Subscription-Key: ...", curl\'s form)\n']);
    expect(result.stdout + result.stderr + wrong.stdout + wrong.stderr).not.toContain(secret);
  });

  // Issue 15: the provider was probed by the CLI's check, again by the verification process, and again for each
  // profile of the pacts (four connections that sent nothing before the first request). Once now.
  it('probes the provider once for a folder of pacts of two profiles', async () => {
    const front = await frontOf(provider, () => false);
    try {
      const result = await vppkit(['verify', join(__dirname, '..', '..', 'pacts'), '--provider-base-url', front.url, '--interaction', 'only its token', '--json']);
      expect(JSON.parse(result.stdout).interactions).toHaveLength(2);
      expect(front.silentConnections()).toBe(1);
    } finally {
      await front.close();
    }
  });

  // Outside tester G23 (case 68): a teardown answering 500 turned every verdict into "not judged".
  it('keeps the verdict when a provider-state teardown fails, says the teardown after it, and exits 2', async () => {
    const states = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => (JSON.parse(body).action === 'teardown' ? res.writeHead(500).end('cleanup failed') : res.writeHead(200).end()));
    });
    const port = await listen(states as unknown as Server);
    const args = ['verify', '--provider-base-url', provider.url, '--interaction', 'only its token', '--provider-states-setup-url', `http://127.0.0.1:${port}/states`];
    const [text, json] = await Promise.all([vppkit(args), vppkit([...args, '--json'])]);
    const line = `provider state teardown failed: POST http://127.0.0.1:${port}/states (teardown of "a tenant that can add VPP tokens") answered 500: cleanup failed`;
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`\nAfter the interactions:\n  ${line}\nvppkit verify: 1 interaction verified against ${provider.url}: 1 passed, 0 failed; 1 provider state teardown failed\n`);
    expect(text.stdout).not.toContain('Failed interactions');
    expect(JSON.parse(json.stdout)).toMatchObject({ passed: false, exitCode: 2, setupFailed: 0, teardownFailures: [line], interactions: [{ passed: true }] });
  });

  it.each([
    ['not JSON', '{"consumer": ', /^vppkit: pact file .*bad\.json is not JSON: line 1, column 14: the text ended where a value was expected\n$/],
    ['not a pact', '{"hello": "world"}', /^vppkit: pact file .*bad\.json is not a Pact file: it has no consumer\.name, provider\.name, interactions \(an array\)\n$/],
  ])('refuses a pact file that is %s: exit 2', async (_case, text, message) => {
    const result = await vppkit(['verify', file('bad.json', text)]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });

  // Refused (outside tester J30), as a query is: the user and password were sent nowhere. Never shown.
  it('refuses the provider URL\'s user and password, showing neither in text or --json', async () => {
    const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8'));
    const one = file('one-credentials.json', JSON.stringify({ ...canonical, interactions: canonical.interactions.slice(0, 1) }));
    const junit = join(dir, 'credentials.xml');
    const url = provider.url.replace('http://', 'http://alice:s3cret-password@');
    const json = await vppkit(['verify', one, '--provider-base-url', url, '--json', '--junit', junit], { worker: true });
    const text = await vppkit(['verify', one, '--provider-base-url', url], { worker: true });
    expect([json.code, text.code]).toEqual([2, 2]);
    expect(JSON.parse(json.stdout)).toMatchObject({ command: 'verify', passed: false, exitCode: 2, error: expect.stringContaining(`(got ${provider.url} with one)`) });
    for (const output of [json.stdout, json.stderr, text.stdout, text.stderr]) expect(output).not.toMatch(/alice|s3cret-password/);
  });

  it('still prints one JSON object with --json when it can not run', async () => {
    const result = await vppkit(['verify', '--json', join(dir, 'no-such-pact.json')]);
    expect(JSON.parse(result.stdout)).toEqual({ command: 'verify', passed: false, exitCode: 2, error: `pact file not found: ${join(dir, 'no-such-pact.json')}` });
    expect(result.code).toBe(2);
  });

  // A report that can't be written is said before the run, not after it, whose verdict would be lost (decision 0310).
  it('refuses a --junit file in a folder that does not exist, or a folder, before sending anything: exit 2', async () => {
    let requests = 0;
    const counted = await startReferenceProvider({ onRequest: () => void requests++ });
    try {
      const missing = join(dir, 'no-such-folder', 'verify.xml');
      const [inMissing, aFolder] = await Promise.all([
        vppkit(['verify', '--provider-base-url', counted.url, '--junit', missing]),
        vppkit(['verify', '--provider-base-url', counted.url, '--junit', dir]),
      ]);
      expect([inMissing.code, inMissing.stderr, inMissing.stdout]).toEqual([2, `vppkit: --junit ${missing}: the folder ${join(dir, 'no-such-folder')} does not exist\n`, '']);
      expect([aFolder.code, aFolder.stderr, aFolder.stdout]).toEqual([2, `vppkit: --junit ${dir} is a folder, not a file\n`, '']);
      expect(requests).toBe(0);
    } finally {
      await counted.close();
    }
  });

  it('says when the Pact Broker can not be reached: exit 2', async () => {
    const closed = await listen(createServer());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const result = await vppkit(['verify', '--broker-url', `http://127.0.0.1:${closed}`, '--provider-base-url', provider.url]);
    expect(result.stderr).toBe(`vppkit: cannot reach the Pact Broker at http://127.0.0.1:${closed}: ECONNREFUSED\n`);
    expect(result.code).toBe(2);
  });
});

describe('vppkit verify: a provider that never answers', () => {
  it('ends after --timeout with one clear line and exit 2, and the process exits', async () => {
    const port = await listen(createServer(() => undefined));
    const result = await vppkit(['verify', '--provider-base-url', `http://127.0.0.1:${port}/beta`, '--timeout', '1']);
    expect(result.stderr).toContain(`vppkit: the provider at http://127.0.0.1:${port} did not answer POST /beta/deviceAppManagement/vppTokens within 1 s (--timeout)\n`);
    expect(result.stderr).not.toMatch(STACK);
    expect(result.code).toBe(2);
  });
});

describe('vppkit verify over https', () => {
  let url: string;
  let ca: string;
  let front: { url: string; close: () => Promise<void> };
  let downgrading: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    // A self-signed certificate for 127.0.0.1, made now; a TLS terminator in front of the reference provider, which
    // tells it the scheme its client asked (X-Forwarded-Proto), as nginx in front of an app is configured.
    const certificate = selfSignedCertificate();
    ca = certificate.certFile;
    front = await tlsInFrontOf(provider.url, certificate);
    url = front.url;
    // One that does not tell it: the provider answers with http links to a client that asked over https.
    downgrading = await tlsInFrontOf(provider.url, certificate, { forward: false });
  });
  afterAll(async () => {
    await front.close();
    await downgrading.close();
  });

  it('says in one line that the certificate is not trusted: exit 2', async () => {
    const result = await vppkit(['verify', '--provider-base-url', url]);
    expect(result.stderr).toBe(`vppkit: the certificate of ${new URL(url).host} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT): give its CA with --ca FILE, or use --insecure for a throwaway test server\n`);
    expect(result.code).toBe(2);
  });

  it.each([[['--ca', 'CA']], [['--insecure']]])('verifies with %j', async (options) => {
    const result = await vppkit(['verify', '--provider-base-url', url, ...options.map((o) => (o === 'CA' ? ca : o))]);
    expect(result.stdout).toMatch(/vppkit verify: 18 interactions verified against https:\/\/127\.0\.0\.1:\d+: 18 passed, 0 failed\n$/);
    expect(result.code).toBe(0);
  });

  // Outside tester J17: an https provider whose Location, on the host and port asked, went to plain http passed. A
  // client following it would send its bearer in clear text (RFC 6750 §5.3): it fails resource identity.
  it('fails a provider whose links go from https to http on the host asked, naming each place', async () => {
    const result = await vppkit(['verify', '--provider-base-url', downgrading.url, '--ca', ca, '--interaction', 'only its token']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/vppkit verify: 1 interaction verified against https:\/\/127\.0\.0\.1:\d+: 0 passed, 1 failed\n$/);
    for (const where of ['body /@odata.context', 'header Location']) {
      expect(result.stdout).toContain(`resource identity: ${where}: must`);
    }
    expect(result.stdout).toMatch(/header Location: must point at this vppToken: must be https, as the create was asked \(https:\/\/127\.0\.0\.1:\d+\): an http link downgrades it, and a client following it would send its bearer in clear text/);
  });

  it('refuses a --ca file that holds no certificate', async () => {
    const result = await vppkit(['verify', '--provider-base-url', url, '--ca', file('not-a-cert.pem', 'hello')]);
    expect(result.stderr).toMatch(/^vppkit: --ca .*not-a-cert\.pem holds no PEM certificate/);
    expect(result.code).toBe(2);
  });
});
