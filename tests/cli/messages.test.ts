// Messages a user can act on (issue 15, item 6), through the CLI in-process.
import { join } from 'node:path';
import { run } from '../support/run-cli';
import { conform } from 'vpptokens-contract-kit/conform';

/**
 * The client these tests' check-client runs start: it sends the requests given as JSON through node:http, as fetch
 * would send them, without fetch's WebAssembly parser compiled in each client process (decision 0226).
 */
const RAW_CLIENT = join(__dirname, '..', 'client-check', 'clients', 'raw-client.js');
const rawClient = (requests: unknown[]): string[] => [process.execPath, RAW_CLIENT, JSON.stringify(requests)];

describe('commander\'s own errors in the kit\'s one line', () => {
  it.each([
    [['verify', '--nope'], "vppkit: unknown option '--nope' (run vppkit verify --help for usage)\n"],
    [['--nope'], "vppkit: unknown option '--nope' (run vppkit --help for usage)\n"],
    [['no-such-command'], "vppkit: unknown command 'no-such-command' (run vppkit --help for usage)\n"],
    [['seed', '--count', '1'], "vppkit: required option '--target <url>' not specified (run vppkit seed --help for usage)\n"],
    [['generate', '--seed'], "vppkit: option '--seed <s>' argument missing (run vppkit generate --help for usage)\n"],
    // An unknown option is named before a missing required one: the typo is what the user must fix first.
    [['seed', '--nope'], "vppkit: unknown option '--nope' (run vppkit seed --help for usage)\n"],
    [['drift', '--metdata', 'x.xml'], "vppkit: unknown option '--metdata' (Did you mean --metadata?) (run vppkit drift --help for usage)\n"],
    [['proxy', '--taget', 'http://127.0.0.1:9'], "vppkit: unknown option '--taget' (Did you mean --target?) (run vppkit proxy --help for usage)\n"],
  ])('%j', async (args, line) => {
    const result = await run(args);
    expect([result.code, result.stderr, result.stdout]).toEqual([2, line, '']);
  });
});

// Decision 1182: --ca with --insecure is refused by the one rule the library's `{ ca, insecure: true }` is, before
// any file is read, on every command that takes them.
describe('--ca with --insecure', () => {
  it.each([
    ['conform', '--provider-base-url', 'https://127.0.0.1:9/beta'],
    ['verify', '--provider-base-url', 'https://127.0.0.1:9/beta'],
    ['seed', '--target', 'https://127.0.0.1:9/beta', '--count', '1'],
    ['proxy', '--target', 'https://127.0.0.1:9/beta'],
  ])('%s', async (...args) => {
    const result = await run([...args, '--ca', join(__dirname, 'no-such-ca.pem'), '--insecure']);
    expect([result.code, result.stderr, result.stdout]).toEqual([2, 'vppkit: --ca and --insecure contradict each other: give one\n', '']);
  });
});

// Outside tester R12: `--timeout 0.0004` passed the CLI's "above 0" and became 0 ms: check-client ended in an internal
// error, the others in the library's words (`timeoutMs ... (got 0)`), a name and a value the user never gave.
describe('a time option below a millisecond', () => {
  const line = (option: string, max: number, text: string) => `vppkit: ${option} must be a number of seconds from 0.001 (a millisecond) to ${max} (got "${text}")\n`;
  it.each([
    [['check-client', '--timeout', '0.0004', '--', 'true'], line('--timeout', 86400, '0.0004')],
    [['seed', '--target', 'http://127.0.0.1:9', '--count', '1', '--timeout', '0.0004'], line('--timeout', 86400, '0.0004')],
    [['conform', '--timeout', '0.0004'], line('--timeout', 600, '0.0004')],
    [['conform', '--time-budget', '0.0009'], line('--time-budget', 86400, '0.0009')],
    [['verify', '--total-timeout', '0.0004'], line('--total-timeout', 86400, '0.0004')],
    [['proxy', '--target', 'http://127.0.0.1:9', '--timeout', '0.0004'], line('--timeout', 86400, '0.0004')],
  ])('%j is refused in the option\'s own words, exit 2', async (args, message) => {
    const result = await run(args);
    expect([result.code, result.stderr, result.stdout]).toEqual([2, message, '']);
  });
  it('takes a millisecond, the least the library takes', async () => {
    // The client is stopped by the timeout, or ends first having made no create: either way a verdict, not a usage error.
    const result = await run(['check-client', '--timeout', '0.001', '--', 'true']);
    expect(result.stderr).not.toMatch(/must be a number of seconds|internal error/);
    expect(result.stdout).toMatch(/^vppkit check-client: (failed|no verdict): /m);
  });
});

// Outside tester R24: seed refused `--header Authorization=...` with verify's reason alone ("the contract also sends
// requests without one"), which is not true of seed: the reason now holds for every command that takes --header.
it.each([['seed', '--target', 'http://127.0.0.1:9', '--count', '1'], ['verify'], ['conform']])('%s refuses --header Authorization with a reason true of it, exit 2', async (...args) => {
  const result = await run([...args, '--header', 'Authorization=Bearer not-shown-token-0123456789']);
  expect([result.code, result.stderr, result.stdout]).toEqual([2, "vppkit: --header Authorization can't be set: give the access token with --bearer, the one option the kit takes it by and never shows (verify's pact and conform's negative cases also send requests without one)\n", '']);
});

describe('vppkit seed says why records were not created', () => {
  it('lists the reasons with their counts, and the likely cause when every request got 401', async () => {
    const { startSeedTarget } = await import('../support/seed-target');
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const target = await startSeedTarget(() => ({ kind: 'status', status: 401 }));
    try {
      const report = join(mkdtempSync(join(tmpdir(), 'vppkit-messages-')), 'report.ndjson');
      const result = await run(['seed', '--target', target.url, '--count', '3', '--bearer', 'expired-token', '--report', report]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^vppkit seed: 3 records: 0 created, 3 failed, .*\n  3 failed: 401 Status401\n$/);
      expect(result.stderr).toContain('vppkit: every request got 401: is --bearer (or VPPKIT_BEARER) a valid access token for this target');
      expect(result.stdout + result.stderr).not.toContain('expired-token');
    } finally {
      await target.close();
    }
  });
});

describe('a --profile that disagrees with the URL\'s version prefix', () => {
  it('is warned about once, before the run', async () => {
    const result = await run(['conform', '--profile', 'v1.0', '--provider-base-url', 'http://127.0.0.1:9/beta', '--runs', '1']);
    expect(result.stderr.split('\n')[0]).toBe(
      "vppkit: warning: --profile v1.0, but --provider-base-url ends in /beta: the answers come from Graph beta and are judged by v1.0's rules; give --profile beta, or the /v1.0 URL",
    );
    const agreeing = await run(['conform', '--profile', 'v1.0', '--provider-base-url', 'http://127.0.0.1:9/v1.0', '--runs', '1']);
    expect(agreeing.stderr).not.toContain('warning');
  });

  // Decision 1040: the version the URL ends in, the one its requests go to (as the proxy reads --target), not one before.
  it('reads the version the URL ends in, not one earlier in its path', async () => {
    const ending = await run(['conform', '--profile', 'v1.0', '--provider-base-url', 'http://127.0.0.1:9/v1.0/gw/BETA/', '--runs', '1']);
    expect(ending.stderr.split('\n')[0]).toBe(
      "vppkit: warning: --profile v1.0, but --provider-base-url ends in /beta: the answers come from Graph beta and are judged by v1.0's rules; give --profile beta, or the /v1.0 URL",
    );
    const inside = await run(['conform', '--profile', 'v1.0', '--provider-base-url', 'http://127.0.0.1:9/beta/gw', '--runs', '1']);
    expect([inside.code, inside.stderr]).toEqual([ending.code, expect.not.stringContaining('warning')]);
  });
});

describe('vppkit verify ends with its own line per failed interaction', () => {
  it('names each failed interaction once, with what failed and where, after Pact\'s report; and the likely cause once', async () => {
    const { startReferenceProvider } = await import('vpptokens-contract-kit/provider');
    const provider = await startReferenceProvider();
    try {
      // A base path the provider does not have: every request is answered 404.
      const result = await run(['verify', '--provider-base-url', `${provider.url}/nowhere`], { worker: true });
      expect(result.code).toBe(1);
      const tail = result.stdout.slice(result.stdout.lastIndexOf('\nFailed interactions'));
      const lines = tail.trim().split('\n');
      expect(lines[0]).toBe('Failed interactions (the kit\'s words; Pact\'s diff above also shows differences that are not failures):');
      const summary = lines.at(-1)!;
      expect(summary).toMatch(/^vppkit verify: 18 interactions verified against http:\/\/127\.0\.0\.1:\d+\/nowhere: 1 passed, 17 failed$/);
      const failed = lines.slice(1, -1);
      expect(failed).toHaveLength(17);
      expect(failed).toContain('  a request to create a vppToken without a token: status: expected 400 but was 404');
      expect(failed.find((l) => l.startsWith('  a request to create a vppToken with Graph\'s "never" dates: '))).toMatch(/: status: expected 201 but was 404; body \$: Actual map is missing the following keys: appleId, /);
      expect(result.stdout + result.stderr).not.toMatch(/status: status:/);
      expect(result.stderr).toContain('vppkit: every request that failed (17 of 18) got 404: is the base path of --provider-base-url right (such as https://graph.microsoft.com/beta, without /deviceAppManagement/vppTokens)?\n');
      expect(result.stderr.match(/every request/g)).toHaveLength(1);
    } finally {
      await provider.close();
    }
  });

  it('says nothing of a likely cause, and lists no failure, when every interaction passed', async () => {
    const result = await run(['verify', '--interaction', 'without a token']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('Failed interactions');
    expect(result.stderr).not.toContain('every request');
  });

  it('puts the answer judgement\'s problems on the same line as the interaction, without `status: status:`', async () => {
    const { startBrokenProvider } = await import('../support/broken-provider');
    const broken = await startBrokenProvider('a 201 whose JSON names id twice');
    try {
      const result = await run(['verify', '--provider-base-url', broken.url]);
      expect(result.code).toBe(1);
      const failed = result.stdout.slice(result.stdout.lastIndexOf('\nFailed interactions')).trim().split('\n').slice(1, -1);
      expect(failed.length).toBeGreaterThan(0);
      for (const line of failed) expect(line).toMatch(/^ {2}a request to create a vppToken .*: response schema: body \/id: is given twice/);
      expect(result.stderr).not.toContain('every request');
    } finally {
      await broken.close();
    }
  });
});

describe('no `status: status:` anywhere', () => {
  it('the answer judgement, conform\'s findings and the proxy\'s violations leave out a place that repeats the check', async () => {
    const { formatAnswerProblem } = await import('vpptokens-contract-kit');
    const { formatViolation } = await import('vpptokens-contract-kit/proxy');
    const { findingTitle } = await import('../../src/conform/report');
    const status = { check: 'status' as const, part: 'status' as const, where: 'status', message: 'must be 201 Created for a valid request (got 404)' };
    expect(formatAnswerProblem(status)).toBe('status: must be 201 Created for a valid request (got 404)');
    expect(findingTitle(status)).toBe('status: must be 201 Created for a valid request (got 404)');
    expect(formatViolation({ ...status, side: 'provider', request: 3, method: 'POST', path: '/deviceAppManagement/vppTokens' })).toBe('request 3: provider: status: must be 201 Created for a valid request (got 404)');
    // A place of its own is kept.
    expect(formatAnswerProblem({ check: 'response schema', part: 'body', pointer: '/id', where: 'body /id', message: 'is given twice' })).toBe('response schema: body /id: is given twice');
  });
});

describe('conform says the likely cause once', () => {
  it('when every request that failed got 404: the base path', async () => {
    const { startReferenceProvider } = await import('vpptokens-contract-kit/provider');
    const provider = await startReferenceProvider();
    try {
      const result = await run(['conform', '--provider-base-url', `${provider.url}/nowhere`, '--runs', '2', '--max-requests', '40']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^vppkit: every request that failed \(\d+ of \d+\) got 404: is the base path of --provider-base-url right \(such as https:\/\/graph\.microsoft\.com\/beta, without \/deviceAppManagement\/vppTokens\)\?\n$/);
      const json = await run(['conform', '--provider-base-url', `${provider.url}/nowhere`, '--runs', '2', '--max-requests', '40', '--json']);
      expect(JSON.parse(json.stdout).likelyCause).toMatch(/got 404: is the base path of --provider-base-url right/);
      // A correct provider: nothing to say.
      const fine = await run(['conform', '--provider-base-url', provider.url, '--runs', '2', '--max-requests', '40']);
      expect([fine.code, fine.stderr]).toEqual([0, '']);
    } finally {
      await provider.close();
    }
  });
});

describe('check-client says the likely cause once', () => {
  const client = (path: string, headers: Record<string, string>) => rawClient([1, 2].map(() => ({ path, headers, body: { token: 'eyJ0b2tlbiI6IkFCQyJ9' } })));

  it('when every request got 404 (the path) or 401 (no bearer), in the client\'s terms', async () => {
    const wrongPath = await run(['check-client', '--pact-dir', '/tmp', '--', ...client('/vppTokens', { 'Content-Type': 'application/json', Authorization: 'Bearer x' })]);
    expect(wrongPath.code).toBe(1);
    expect(wrongPath.stderr).toBe('vppkit: every request got 404: does the client POST to $VPPKIT_MOCK_URL/deviceAppManagement/vppTokens (a /beta or /v1.0 prefix allowed)?\n');
    const noBearer = await run(['check-client', '--pact-dir', '/tmp', '--', ...client('/deviceAppManagement/vppTokens', { 'Content-Type': 'application/json' })]);
    expect(noBearer.code).toBe(1);
    expect(noBearer.stderr).toBe('vppkit: every request got 401: does the client send Authorization: Bearer <access token> with every request?\n');
    const json = await run(['check-client', '--json', '--pact-dir', '/tmp', '--', ...client('/deviceAppManagement/vppTokens', { 'Content-Type': 'application/json' })]);
    expect(JSON.parse(json.stdout).likelyCause).toMatch(/^every request got 401: /);
  });
});

describe('vppkit validate groups a problem repeated on many records', () => {
  const record = (extra: Record<string, unknown>) => JSON.stringify({ token: 'eyJ0b2tlbiI6IkFCQyJ9', ...extra });

  it('shows each problem once, then one line per repeated problem with its count and first records; the allowed: list once', async () => {
    const lines = [
      record({ foo: 1, bar: 2, vppTokenAccountType: 'String' }),
      ...Array.from({ length: 6 }, (_, i) => record({ foo: i, bar: 2, vppTokenAccountType: 'Other' })),
      record({ foo: 1, state: 'String' }),
    ];
    const result = await run(['validate', '--schema-tokens', '-'], { input: `${lines.join('\n')}\n` });
    expect(result.code).toBe(1);
    const allowed = /\(allowed: @odata\.type, [^)]*\)/;
    expect(result.stdout.split('\n')).toEqual([
      'record 0 (line 1): invalid request, 3 problems:',
      expect.stringMatching(new RegExp(`^  /foo: is not a known property ${allowed.source}$`)),
      '  /bar: is not a known property (allowed: as above)',
      '  /vppTokenAccountType: must be one of business, education (got "String")',
      'record 7 (line 8): invalid request, 2 problems (1 shown above):',
      '  /state: must be one of unknown, valid, expired, invalid, assignedToExternalMDM, duplicateLocationId (got "String")',
      'Repeated problems (each shown in full once above):',
      '  /foo: is not a known property: 8 records (0, 1, 2, 3, 4, ...)',
      '  /bar: is not a known property: 7 records (0, 1, 2, 3, 4, ...)',
      '  /vppTokenAccountType: must be one of business, education: 7 records (0, 1, 2, 3, 4, ...)',
      'vppkit validate: 8 records read: 0 valid, 8 invalid',
      '',
    ]);
    expect(result.stdout.match(/@odata\.type, id/g)).toHaveLength(1);
  });

  it('shortens only a problem\'s own list of names allowed, never a value that reads like one', async () => {
    // The value is shown as sent, though it holds "(allowed: ...)": the list said once is the problem's field, not text found in a line.
    const lines = [record({ vppTokenAccountType: '(allowed: x)' }), record({ state: '(allowed: x)' }), record({ vppTokenAccountType: '(allowed: y)' })];
    const result = await run(['validate', '--schema-tokens', '-'], { input: `${lines.join('\n')}\n` });
    expect(result.stdout.split('\n')).toEqual([
      'record 0 (line 1): invalid request, 1 problem:',
      '  /vppTokenAccountType: must be one of business, education (got "(allowed: x)")',
      'record 1 (line 2): invalid request, 1 problem:',
      '  /state: must be one of unknown, valid, expired, invalid, assignedToExternalMDM, duplicateLocationId (got "(allowed: x)")',
      'Repeated problems (each shown in full once above):',
      '  /vppTokenAccountType: must be one of business, education: 2 records (0, 2)',
      'vppkit validate: 3 records read: 0 valid, 3 invalid',
      '',
    ]);
  });

  it('leaves records alone whose problems are all their own', async () => {
    const result = await run(['validate', '--schema-tokens', '-'], { input: `${record({ state: 'String' })}\n${record({ displayName: 7 })}\n` });
    expect(result.stdout).not.toContain('Repeated');
    expect(result.stdout.split('\n')).toHaveLength(6);
  });
});

describe('the allowed: list shown once in check-client and compare', () => {
  it('check-client: a list already shown reads "as above"', async () => {
    const headers = { 'Content-Type': 'application/json', Authorization: 'Bearer x' };
    const client = rawClient([{ foo: 1, bar: 2 }, { baz: 3 }].map((extra) => ({ headers, body: { token: 'eyJ0b2tlbiI6IkFCQyJ9', ...extra } })));
    const result = await run(['check-client', '--pact-dir', '/tmp', '--', ...client]);
    expect(result.code).toBe(1);
    expect(result.stdout.match(/\(allowed: @odata\.type/g)).toHaveLength(1);
    expect(result.stdout.match(/\(allowed: as above\)/g)).toHaveLength(2);
  });
});

describe('a Pact Broker that refuses the credentials', () => {
  it.each([401, 403])('is exit 2 with one line naming the credential options (%i), and no escape code reaches the output', async (status) => {
    const { createServer } = await import('node:http');
    const { listenOnLoopback } = await import('../support/listen');
    const { startReferenceProvider } = await import('vpptokens-contract-kit/provider');
    const broker = await listenOnLoopback(createServer((_req, res) => res.writeHead(status, { 'Content-Type': 'application/json' }).end('{"error":"no"}')));
    const provider = await startReferenceProvider();
    try {
      const result = await run(['verify', '--provider-base-url', provider.url, '--broker-url', broker.url, '--broker-token', 'not-the-token'], { worker: true });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`vppkit: the Pact Broker at ${broker.url} refused the credentials given (${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}): is --broker-token (PACT_BROKER_TOKEN), or --broker-username and --broker-password, right for it?\n`);
      const both = result.stdout + result.stderr;
      expect(both).not.toMatch(/\u001b|\\x1b|\\u001b|\\e\[/);
      expect(both).not.toContain('not-the-token');
    } finally {
      await provider.close();
      await broker.close();
    }
  });
});

describe('createInteraction takes its profile and provider state in an options object', () => {
  it('builds a v1.0 interaction from { profile }, and refuses a bare string where the options go', async () => {
    const { createInteraction, PROVIDER_STATE } = await import('vpptokens-contract-kit/pact');
    const body = { token: 'eyJ0b2tlbiI6IkFCQyJ9', appleId: 'abm@example.com' };
    const v1 = createInteraction('create in v1.0', body, { profile: 'v1.0' });
    expect([v1.profile, v1.providerState]).toEqual(['v1.0', PROVIDER_STATE]);
    expect(createInteraction('with a state', body, { providerState: 'a tenant with no tokens' }).providerState).toBe('a tenant with no tokens');
    // A profile given where a provider state used to go is not taken for a state.
    expect(() => createInteraction('mistaken', body, 'v1.0' as never)).toThrow(
      'createInteraction: the third argument is an options object such as { profile: "v1.0" } or { providerState: "..." } (got "v1.0")',
    );
  });
});

describe('a --profile that disagrees with a pact\'s recorded profile, or with the proxy target\'s prefix', () => {
  const V1_PACT = require('node:path').join(__dirname, '..', '..', 'pacts', 'vppkit-canonical-consumer-v1.0-microsoft-graph-vpptokens.json');
  const note = (file: string) => `vppkit: note: ${file} records Graph v1.0 (its metadata vppkit.profile) and is judged by v1.0's rules; --profile beta is for pacts that record none\n`;

  // compare judged every file by --profile and warned; it now judges each by the profile it records, as verify does
  // (decision 0231), and notes a --profile given that does not apply.
  it('compare judges a pact by the profile it records, and notes a --profile given that it does not apply to', async () => {
    const quiet = await run(['compare', '--no-comparator', V1_PACT]);
    expect([quiet.code, quiet.stderr]).toEqual([0, '']);
    expect(quiet.stdout).toMatch(/vppkit compare: 1 pact, 18 interactions against Graph v1\.0: 18 passed, 0 failed\n$/);
    const given = await run(['compare', '--no-comparator', '--profile', 'beta', V1_PACT]);
    expect([given.code, given.stderr]).toEqual([0, note(V1_PACT)]);
    const agreeing = await run(['compare', '--no-comparator', '--profile', 'v1.0', V1_PACT]);
    expect([agreeing.code, agreeing.stderr]).toEqual([0, '']);
  });

  // Outside tester J31: verify judges each pact by the profile it records (a folder of both passes); a --profile
  // given for the others is said once, as a note, when a pact records another.
  it('verify judges a pact by the profile it records, and notes a --profile given that it does not apply to', async () => {
    const quiet = await run(['verify', V1_PACT, '--interaction', 'only its token']);
    expect([quiet.code, quiet.stderr]).toEqual([0, '']);
    expect(quiet.stdout).toMatch(/vppkit verify: 1 interaction verified against http:\/\/127\.0\.0\.1:\d+\/v1\.0: 1 passed, 0 failed \(embedded reference provider\)\n$/);
    const given = await run(['verify', V1_PACT, '--profile', 'beta', '--interaction', 'only its token']);
    expect(given.stderr).toBe(note(V1_PACT));
    expect(given.code).toBe(0);
  });

  it('proxy warns when --target ends in another version\'s prefix', async () => {
    // Port 9 on loopback: nothing listens, so the proxy stops with exit 2 after the warning.
    const result = await run(['proxy', '--target', 'http://127.0.0.1:9/beta', '--profile', 'v1.0', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(
      "vppkit: warning: --profile v1.0, but --target ends in /beta: a create whose path names no version goes to Graph beta and is judged by beta's rules, and --record records only the creates judged by v1.0; give --profile beta, or leave it out, or the /v1.0 URL",
    );
    // Without --profile the target's version is the proxy's (decision 0851): nothing to warn of.
    const plain = await run(['proxy', '--target', 'http://127.0.0.1:9/v1.0', '--port', '0']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).not.toContain('warning');
  });
});

describe('a new user\'s mistakes, each answered with what to do', () => {
  it.each([
    ['verify', '--provider-base-url'],
    ['conform', '--provider-base-url'],
    ['seed', '--target'],
  ])('%s: a URL without its scheme names the option, the value and an example', async (command, option) => {
    const result = await run([command, option, 'localhost:8080', ...(command === 'seed' ? ['--count', '1', '--report', '/tmp/vppkit-never-written.ndjson'] : [])]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`vppkit: ${option} must be an http or https URL, such as http://127.0.0.1:8080/beta (got "localhost:8080")\n`);
  });

  it('seed: a target that answered nothing is exit 2 with why, not a record failed', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const report = join(mkdtempSync(join(tmpdir(), 'vppkit-messages-')), 'report.ndjson');
    // Port 1 on loopback: connection refused at once.
    const result = await run(['seed', '--target', 'http://127.0.0.1:1/beta', '--count', '2', '--max-attempts', '1', '--report', report]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('vppkit: seed stopped: http://127.0.0.1:1/beta did not answer: every connection attempt failed (last: ');
    expect(result.stderr).toContain('is it running, and is --target right?');
  });

  it('compare: a file that is not JSON is one line with its line and column', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'vppkit-messages-')), 'notes.txt');
    writeFileSync(file, 'hello\nworld\n');
    const result = await run(['compare', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`vppkit: ${file} is not JSON: line 1, column 1: unexpected character "h" where a value was expected\n`);
  });

  it('openapi: an --out in a folder that does not exist says so', async () => {
    const result = await run(['openapi', '--out', '/nonexistent-vppkit-folder/x.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('vppkit: cannot write /nonexistent-vppkit-folder/x.json: no such file or folder (ENOENT)\n');
  });
});

describe('compare shows the allowed: list once', () => {
  it('a second property Graph never answers reads "as above"', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { CANONICAL_PACT } = await import('vpptokens-contract-kit/provider');
    const pact = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8'));
    const full = pact.interactions.find((i: { description: string }) => i.description === 'a request to create a vppToken with every property');
    Object.assign(full.response.body.content, { lastAppCount: 3, nextSyncHint: 'soon' });
    const file = join(mkdtempSync(join(tmpdir(), 'vppkit-messages-')), 'pact.json');
    writeFileSync(file, JSON.stringify(pact));
    const result = await run(['compare', '--no-comparator', file]);
    expect(result.code).toBe(1);
    expect(result.stdout.match(/\(allowed: /g)).toHaveLength(2);
    expect(result.stdout.match(/\(allowed: as above\)/g)).toHaveLength(1);
  });
});

// Outside attacker R102 (decision 0962): a secret-looking value given to a word or number option was printed whole
// (`--checks 4f3c...`, `--fail-with ghp_...`, `--log-level`, `--latency`, `--rate-limit`,
// `--consumer-version-selector`, `--count`), where `--kind` said it by its length: one rule, shownOption, for every option.
describe("every option's refused value is shown by the one rule: a credential-looking one by its length", () => {
  const APIM = '4f3c2b1a9e8d7c6b5a4f3e2d1c0b9a88';
  const GHP = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
  const given = (key: string): string[][] => [
    ['conform', '--checks', key], ['conform', '--exclude-checks', key], ['serve', '--fail-with', key],
    ['check-client', '--fail-with', key, '--', 'true'], ['verify', '--log-level', key], ['serve', '--latency', key],
    ['serve', '--rate-limit', key], ['serve', '--fail-rate', key], ['verify', '--consumer-version-selector', key, '--broker-url', 'http://127.0.0.1:9'],
    ['generate', '--count', key], ['conform', '--timeout', key], ['serve', '--body-limit', key],
  ];
  it.each([...given(APIM), ...given(GHP)].map((args) => [args]))('%j: said by its length, exit 2', async (args) => {
    const key = args.find((a) => a === APIM || a === GHP)!;
    const result = await run(args);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).not.toContain(key);
    expect(result.stderr).not.toContain(key.slice(0, 12));
    expect(result.stderr).toContain(`a string of ${key.length} characters, not shown: it may hold a credential`);
  });

  it("the library's conform({ checks }) by the same rule", async () => {
    for (const key of [APIM, GHP]) await expect(conform({ checks: [key as never] })).rejects.toThrow(`a string of ${key.length} characters, not shown: it may hold a credential is not a check`);
    await expect(conform({ checks: ['nope' as never] })).rejects.toThrow('"nope" is not a check');
  });

  it.each([
    [['conform', '--checks', 'nope'], 'vppkit: --checks: "nope" is not a check;'],
    [['verify', '--log-level', 'verbose'], 'vppkit: --log-level must be one of trace, debug, info, warn, error (got "verbose")\n'],
    [['serve', '--rate-limit', '5/0'], '(got "5/0")\n'],
    [['serve', '--fail-with', '429;503'], '(got "429;503")\n'],
    [['serve', '--latency', '1-2-3'], '(got "1-2-3")\n'],
    [['generate', '--count', 'x'.repeat(24)], `(got "${'x'.repeat(24)}")\n`],
    [['generate', '--count', 'x'.repeat(25)], '(got a string of 25 characters, not shown: it may hold a credential)\n'],
  ])('both ways, at the bound: %j names a typo as typed, exit 2', async (args, said) => {
    const result = await run(args);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toContain(said);
  });
});
