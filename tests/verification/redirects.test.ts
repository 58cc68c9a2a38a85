// Outside finding K9: a provider that answered the create with a redirect (307) was reported by the forwarder's URL
// (Pact's verifier followed the redirect, and a relative one looped through the forwarder: "error following redirect
// for url (http://127.0.0.1:<the forwarder's port>/...)"), or, redirected elsewhere, by what the other server
// answered Pact (a 401: Pact's client drops Authorization on another host). The verdict is the provider's own answer:
// its status, at the URL the user gave.
import { createServer } from 'node:http';
import { startReferenceProvider, type ReferenceProvider } from 'vpptokens-contract-kit/provider';
import { frontOf } from '../support/front';
import { listenOnLoopback } from '../support/listen';
import { run as vppkit } from '../support/run-cli';

let provider: ReferenceProvider;
/** Where an absolute redirect points: it must never be asked anything (the kit follows no redirect). */
let elsewhere: { url: string; close: () => Promise<void> };
let askedElsewhere = 0;
beforeAll(async () => {
  provider = await startReferenceProvider();
  elsewhere = await listenOnLoopback(createServer((_req, res) => (askedElsewhere++, res.writeHead(500).end())));
});
afterAll(async () => {
  await provider.close();
  await elsewhere.close();
});

/** A front that answers every create with `status` and `location` (a function of the request's path), when `redirect`. */
const redirecting = (status: number, location: (path: string) => string, redirect = true) =>
  frontOf(provider, (req, res) => {
    if (!redirect || req.method !== 'POST') return false;
    res.writeHead(status, { location: location(req.url ?? '/'), 'content-length': '0' }).end();
    return true;
  });

interface Report {
  exitCode: number;
  interactions: { passed: boolean; mismatches: string[] }[];
  summary: string;
}

/** Every `host:port` of the loopback a text names. */
const portsIn = (text: string) => new Set([...text.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => m[1]));
const portOf = (url: string) => new URL(url).port;

it.each([
  ['307 to another server (absolute Location)', 307, () => `${elsewhere.url}/beta/deviceAppManagement/vppTokens`],
  ['308 to a path of its own (relative Location, which Pact followed in a loop)', 308, (path: string) => `/elsewhere${path}`],
  ['302', 302, () => `${elsewhere.url}/somewhere`],
])('a create answered with a redirect, %s, fails by its status at the URL given, naming no other server', async (_name, status, location) => {
  const front = await redirecting(status, location);
  try {
    const base = `${front.url}/beta`;
    const before = askedElsewhere;
    const text = await vppkit(['verify', '--provider-base-url', base, '--interaction', 'with only its token']);
    const json = await vppkit(['verify', '--provider-base-url', base, '--interaction', 'with only its token', '--json']);
    expect([text.code, json.code]).toEqual([1, 1]);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.interactions).toHaveLength(1);
    expect(report.interactions[0].mismatches[0]).toBe(`status: expected 201 but was ${status}`);
    expect(report.summary).toBe(`1 interaction verified against ${base}: 0 passed, 1 failed`);
    expect(text.stdout).toContain(`\n  a request to create a vppToken with only its token: status: expected 201 but was ${status}`);
    expect(text.stderr).toContain(`vppkit: every request got ${status}: the target redirects`);
    // Nothing Pact or the kit says names the forwarder, and the redirect was not followed.
    const said = `${text.stdout}${text.stderr}${json.stdout}${json.stderr}`;
    expect(said).not.toMatch(/following redirect/);
    expect([...portsIn(said)].filter((port) => port !== portOf(front.url) && port !== portOf(elsewhere.url))).toEqual([]);
    expect(askedElsewhere).toBe(before);
  } finally {
    await front.close();
  }
});

it('the same provider, answering the create itself, passes', async () => {
  const front = await redirecting(307, () => `${elsewhere.url}/beta/deviceAppManagement/vppTokens`, false);
  try {
    const result = await vppkit(['verify', '--provider-base-url', `${front.url}/beta`, '--interaction', 'with only its token']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 interaction verified against .*: 1 passed, 0 failed$/m);
    expect(result.stderr).not.toContain('redirect');
  } finally {
    await front.close();
  }
});
