import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCreateRequest, createRequestFactory, formatRequestProblem, validateRecords, readRecords, SEED_PAGE_EXAMPLE_REQUEST } from 'vpptokens-contract-kit';
import type { Agent } from 'node:http';
import { checkInProcess } from '../support/in-process-client';
import { Readable } from 'node:stream';
import { run as vppkit } from '../support/run-cli';

// Outside tester I8 (decision 0216): check-client and validate took any non-empty token, while Intune refuses one
// that is no Apple sToken with 400 (and verify, conform and the proxy call that refusal fair: decision 0209). Both
// now hold a client's tokens to Intune's rule, and take any token with --schema-tokens (as conform draws them).
// The library's clients run in this process (decision 0710), the CLI's as a process; the tests run at once (it.concurrent).
const client = join(__dirname, 'clients', 'raw-client.js');
const { sendAll } = require('./clients/raw-client.js') as { sendAll(requests: unknown[], mockUrl: string, options: { agent: Agent }): Promise<void> };
const dir = mkdtempSync(join(tmpdir(), 'vppkit-stokens-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const requests = createRequestFactory.withSeed(53);
const NO_STOKEN = 'body /token: is not an Apple VPP token (an sToken: base64 of {"token","expDate","orgName"}), which Intune requires';
const run = (body: unknown, consumer: string, schemaTokens?: boolean) =>
  checkInProcess({ consumer, pactDir: join(dir, consumer), ...(schemaTokens ? { schemaTokens } : {}) }, async (mockUrl, agent) => {
    await sendAll([{ body }], mockUrl, { agent });
    return 0;
  });

describe('check-client and a token that is no Apple sToken', () => {
  it.concurrent('fails the client: the mock refuses it with Graph\'s 400, as Intune does, and no pact is written', async () => {
    const result = await run({ ...requests.buildAt(0), token: 'not-an-apple-token' }, 'no-stoken');
    expect(result.requests.map((r) => [r.status, r.problems.map(formatRequestProblem)])).toEqual([[400, [NO_STOKEN]]]);
    expect(result.passed).toBe(false);
    expect(result.pactFile).toBeUndefined();
    // The token is a credential: not in what check-client reports.
    expect(JSON.stringify(result.requests)).not.toContain('not-an-apple-token');
  });

  it.concurrent('names the token beside the schema\'s problems: the seed page\'s example is refused by Intune for its token too', async () => {
    const result = await run(SEED_PAGE_EXAMPLE_REQUEST, 'seed-page-example');
    expect(result.requests[0].problems.map(formatRequestProblem)).toContain(NO_STOKEN);
    expect(result.requests[0].problems.map(formatRequestProblem)).toContain('body /vppTokenAccountType: must be one of business, education (got "String")');
  });

  it.concurrent('passes a client whose token is an sToken, and with --schema-tokens one whose token is any string', async () => {
    const real = await run(requests.buildAt(1), 'an-stoken');
    expect([real.passed, real.requests.map((r) => r.status)]).toEqual([true, [201]]);
    const any = await run({ ...requests.buildAt(2), token: 'not-an-apple-token' }, 'schema-tokens', true);
    expect(any.requests.flatMap((r) => r.problems.map(formatRequestProblem))).toEqual([]);
    expect([any.passed, any.requests.map((r) => r.status)]).toEqual([true, [201]]);
    expect(readFileSync(any.pactFile!, 'utf8')).not.toContain('not-an-apple-token');
  });

  it.concurrent('the CLI takes --schema-tokens', async () => {
    const sent = JSON.stringify([{ body: { token: 'plain-token' } }]);
    const [intune, schema] = await Promise.all([
      vppkit(['check-client', '--pact-dir', join(dir, 'cli-a'), '--', process.execPath, client, sent]),
      vppkit(['check-client', '--schema-tokens', '--pact-dir', join(dir, 'cli-b'), '--', process.execPath, client, sent]),
    ]);
    expect(intune.code).toBe(1);
    expect(intune.stdout).toContain(`  ${NO_STOKEN}\n`);
    expect(schema.code).toBe(0);
  });
});

describe('validate and a token that is no Apple sToken', () => {
  const file = (name: string, records: unknown[]) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), records.map((r) => JSON.stringify(r)).join('\n'));
    return join(dir, name);
  };

  it.concurrent('calls the create invalid at /token, unless --schema-tokens; an sToken is valid either way', async () => {
    const records = file('mixed.ndjson', [requests.buildAt(3), { ...requests.buildAt(4), token: 'plain-token' }]);
    const intune = await vppkit(['validate', records]);
    expect(intune.stdout).toBe(
      ['record 1 (line 2): invalid request, 1 problem:', '  /token: is not an Apple VPP token (an sToken: base64 of {"token","expDate","orgName"}), which Intune requires', 'vppkit validate: 2 records read: 1 valid, 1 invalid', ''].join('\n'),
    );
    expect(intune.code).toBe(1);
    const schema = await vppkit(['validate', '--schema-tokens', records]);
    expect([schema.code, schema.stdout]).toEqual([0, 'vppkit validate: 2 records read: 2 valid, 0 invalid\n']);
    // An option that means nothing for answers is refused, not ignored.
    const answers = await vppkit(['validate', '--kind', 'response', '--schema-tokens', records]);
    expect([answers.code, answers.stderr]).toEqual([2, 'vppkit: --schema-tokens applies to --kind request only (got --kind response)\n']);
  });

  it.concurrent('lists the token beside the schema\'s other problems, and the schema\'s own problem with the token alone', async () => {
    const seen: string[][] = [];
    const input = Readable.from([JSON.stringify({ token: 'plain-token', state: 'String' }), '\n', JSON.stringify({ token: '' })].join(''));
    await validateRecords('request', readRecords(input), (record, problems) => seen.push(problems.map((p) => p.pointer)));
    expect(seen).toEqual([['/state', '/token'], ['/token']]);
  });

  // Outside tester M1 (decision 0330): bytes after an sToken's `=` padding made no base64, yet Node's decoder read
  // the sToken it starts with, so validate called the record valid and check-client's mock created it (201).
  it.concurrent('calls a token with bytes after its padding no sToken, in validate and in the mock\'s judgement of a create', async () => {
    const sToken = requests.buildAt(8).token;
    expect(sToken).toMatch(/fQ==$/);
    const tokens = [sToken, `${sToken}x`, `${sToken}==`, `${sToken}AAAA`];
    const seen: string[][] = [];
    const summary = await validateRecords('request', readRecords(Readable.from([tokens.map((token) => JSON.stringify({ token })).join('\n')])), (record, problems) => seen.push([String(record.index), ...problems.map((p) => `${p.pointer}: ${p.message}`)]));
    expect(summary).toMatchObject({ read: 4, valid: 1, invalid: 3 });
    const refused = '/token: is not an Apple VPP token (an sToken: base64 of {"token","expDate","orgName"}), which Intune requires';
    expect(seen).toEqual([['1', refused], ['2', refused], ['3', refused]]);
    const judged = tokens.map((token) => checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: JSON.stringify({ token }) }, 'beta', { requireSTokens: true }).map(formatRequestProblem));
    expect(judged).toEqual([[], [NO_STOKEN], [NO_STOKEN], [NO_STOKEN]]);
  });
});

// Outside tester R57 (decision 0568): an sToken read from its file with the file's trailing line break (what
// readFileSync(f, 'utf8'), Python's open(f).read() or `base64` without -w0 give) was "not an Apple VPP token", while
// the user holds the token Apple gave them. Still refused (base64 has no whitespace: 0330), now for the whitespace.
describe('a token that is an sToken with whitespace around it or inside it', () => {
  const sToken = requests.buildAt(9).token;
  const told = (tokens: string[]) =>
    tokens.map((token) => checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: JSON.stringify({ token }) }, 'beta', { requireSTokens: true }).map(formatRequestProblem));
  const rule = 'an sToken is base64 with no whitespace (RFC 4648 §3.3), which Intune requires';

  it('says the line break or spaces and where, in validate and in the mock\'s judgement of a create, never the token', async () => {
    const wrapped = sToken.replace(/.{76}(?!$)/g, '$&\n');
    expect(wrapped).toContain('\n');
    const tokens = [sToken, `${sToken}\n`, `${sToken}\r\n`, ` ${sToken}`, `  ${sToken} `, `${wrapped}\n`, `${sToken.slice(0, 8)} ${sToken.slice(8)}`];
    const seen: string[][] = [];
    await validateRecords('request', readRecords(Readable.from([tokens.map((token) => JSON.stringify({ token })).join('\n')])), (record, problems) => seen.push([String(record.index), ...problems.map((p) => `${p.pointer}: ${p.message}`)]));
    expect(seen).toEqual([
      ['1', `/token: is an Apple VPP token with a line break after it (read from a file? trim it): ${rule}`],
      ['2', `/token: is an Apple VPP token with a line break after it (read from a file? trim it): ${rule}`],
      ['3', `/token: is an Apple VPP token with a space before it (trim it): ${rule}`],
      ['4', `/token: is an Apple VPP token with spaces around it (trim it): ${rule}`],
      ['5', `/token: is an Apple VPP token wrapped in lines (base64 without -w0? join its lines): ${rule}`],
      ['6', `/token: is an Apple VPP token with whitespace inside it (remove it): ${rule}`],
    ]);
    expect(told(tokens.slice(0, 2))).toEqual([[], [`body /token: is an Apple VPP token with a line break after it (read from a file? trim it): ${rule}`]]);
    expect(JSON.stringify(seen)).not.toContain(sToken.slice(0, 20));
  });

  it('calls a token that is no sToken once its whitespace is gone "not an Apple VPP token", as before', () => {
    expect(told(['plain-token\n', ` ${sToken.slice(0, -4)}x\n`, `${sToken}x\n`])).toEqual([[NO_STOKEN], [NO_STOKEN], [NO_STOKEN]]);
  });
});
