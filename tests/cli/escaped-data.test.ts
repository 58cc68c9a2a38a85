// Outside tester K10: text that is someone else's data reached the terminal with its control characters raw: a pact's
// consumer name and interaction description in compare, a JSON batch member's URL in check-client, an answer's error
// code in seed (`ESC]0;title BEL` sets the terminal's title, `ESC[2J` clears the screen), also with NO_COLOR. verify,
// validate and the proxy already showed them escaped; now every command does, by one helper (escapeData, src/net).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { canonicalPact } from 'vpptokens-contract-kit/provider';
import { run as vppkit } from '../support/run-cli';
import { startSeedTarget } from '../support/seed-target';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-escaped-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Any C0 control character but a line's end, or DEL and C1: none may be written raw. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

it('compare shows a pact\'s consumer name and description with their escapes written out', async () => {
  const pact = JSON.parse(readFileSync(canonicalPact('beta'), 'utf8'));
  const interaction = pact.interactions.find((i: { description: string }) => i.description === 'a request to create a vppToken with only its token');
  interaction.description = 'evil \u001b]0;pwned\u0007\u001b[2J\u001b[31m RED\r\nforged line';
  interaction.response.status = 200;
  const file = join(dir, 'esc.json');
  writeFileSync(file, JSON.stringify({ ...pact, consumer: { name: 'cons\u001b[32mGREEN' }, interactions: [interaction] }));
  const result = await vppkit(['compare', '--no-comparator', file]);
  expect(result.code).toBe(1);
  expect(result.stdout).not.toMatch(RAW_CONTROL);
  expect(result.stdout).toContain('(cons\\u001b[32mGREEN -> microsoft-graph-vpptokens');
  expect(result.stdout).toContain('  evil \\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31m RED\\r\\nforged line:');
});

it('check-client shows a batch member\'s URL escaped', async () => {
  const client = join(__dirname, '..', 'client-check', 'clients', 'raw-client.js');
  const member = { id: 'one', method: 'POST', url: 'deviceAppManagement/vppTokens\u001b[2J\u001b[32m', headers: { 'Content-Type': 'application/json' }, body: createRequestFactory.withSeed(10).buildAt(0) };
  const sent = [{ method: 'POST', path: '/beta/$batch', body: { requests: [member] } }];
  const result = await vppkit(['check-client', '--pact-dir', join(dir, 'pacts'), '--', process.execPath, client, JSON.stringify(sent)]);
  expect(result.code).toBe(1);
  expect(result.stdout).not.toMatch(RAW_CONTROL);
  expect(result.stdout).toContain('POST /beta/deviceAppManagement/vppTokens\\u001b[2J\\u001b[32m -> 404 BROKE THE CONTRACT');
});

it('seed shows an answer\'s error code escaped in its reasons', async () => {
  const body = JSON.stringify({ error: { code: 'Bad\u001b[31mCode', message: 'no \u001b[2J way' } });
  const target = await startSeedTarget(() => ({ kind: 'answer', status: 400, body }));
  try {
    const result = await vppkit(['seed', '--target', target.url, '--count', '2', '--bearer', 'escaped-data-bearer', '--report', join(dir, 'report.ndjson')]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain('  2 failed: 400 Bad\\u001b[31mCode');
  } finally {
    await target.close();
  }
});

// Outside tester L2 (round 8): the C1 controls (U+0080-U+009F: U+009B is CSI, `ESC [` in one character, and
// terminals with 8-bit controls act on it; U+0085 is NEL) reached the terminal raw from verify's and conform's own
// lines and validate's, where a value was quoted by JSON.stringify, which writes out C0 but leaves C1 as it is.
describe('C1 control characters of someone else\'s text (L2)', () => {
  const C1 = /[\u0080-\u009f]/;

  it('validate writes them out in a value it quotes, as in a name', async () => {
    const token = createRequestFactory.withSeed(3).buildAt(0).token;
    const file = join(dir, 'c1.ndjson');
    writeFileSync(file, `${JSON.stringify({ token, vppTokenAccountType: 'x\u009b2Jy\u0085z', '\u009bkey': 1 })}\n`);
    const result = await vppkit(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toMatch(C1);
    expect(result.stdout + result.stderr).toContain('x\\u009b2Jy\\u0085z');
    // --json is JSON: `\u009b` in a string is the same character, so the value reads back as it was.
    const json = await vppkit(['validate', '--json', file]);
    expect(json.stdout).not.toMatch(C1);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain('x\u009b2Jy\u0085z');
  });

  it('conform writes them out in an answer it shows', async () => {
    const body = JSON.stringify({ error: { code: 'BadRequest\u009b2J', message: 'refused \u009b31mRED \u0085 end' } });
    // Every request refused with Graph's error body, whatever it was (conform's own requests are not all JSON).
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(400, { 'Content-Type': 'application/json' }).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const result = await vppkit(['conform', '--provider-base-url', `http://127.0.0.1:${(server.address() as AddressInfo).port}/beta`, '--bearer', 'escaped-data-bearer', '--seed', '1', '--max-requests', '20']);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).not.toMatch(C1);
      expect(result.stdout).toContain('BadRequest\\u009b2J');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('verify writes them out in a value it shows back', async () => {
    const sent = createRequestFactory.withSeed(3).buildAt(0);
    const body = JSON.stringify({ '@odata.type': '#microsoft.graph.vppToken', id: '0f8fad5b-d9cb-469f-a165-70867728950e', displayName: 'A\u009b31mB\u0085C' });
    const target = await startSeedTarget(() => ({ kind: 'answer', status: 201, body }));
    try {
      const result = await vppkit(['verify', '--provider-base-url', `${target.url}/beta`]);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).not.toMatch(C1);
      expect(result.stdout).toContain('A\\u009b31mB\\u0085C');
      // No ESC in the provider's values: Pact's report lost nothing, and the header says nothing of it.
      expect(result.stdout).toContain("\nFailed interactions (the kit's words; Pact's diff above also shows differences that are not failures):\n");
      expect(sent.token).toBeDefined();
    } finally {
      await target.close();
    }
  });

  // The L2 side (decision 0328): Pact's mismatch line, repeated in the kit's line per failed interaction and in
  // --json, lost a provider's ESC sequences (`Expected 'AB'` for `A ESC[31m B`): the colour-stripping of Pact's texts
  // took the provider's bytes with it, so the value shown was not the value sent. They are written out instead.
  it("verify writes a provider's ESC sequence out in Pact's mismatch it repeats, never deletes it", async () => {
    const body = JSON.stringify({ '@odata.type': '#microsoft.graph.vppToken', id: '0f8fad5b-d9cb-469f-a165-70867728950e', displayName: 'A\u001b[31mB\u001b[2JC' });
    const target = await startSeedTarget(() => ({ kind: 'answer', status: 201, body, contentType: 'application/json' }));
    try {
      const result = await vppkit(['verify', '--provider-base-url', `${target.url}/beta`]);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).not.toMatch(RAW_CONTROL);
      expect(result.stdout).toContain("body $.displayName: Expected 'A\\u001b[31mB\\u001b[2JC' (String)");
      expect(result.stdout).not.toContain("Expected 'ABC'");
      expect(result.stdout).toContain("\nFailed interactions (the kit's words; Pact's diff above also shows differences that are not failures; Pact's report above drops the colour codes of the provider's values with its own, so a value there is not the one sent: these lines write them out):\n");
      const json = await vppkit(['verify', '--provider-base-url', `${target.url}/beta`, '--json']);
      const mismatches: string[] = JSON.parse(json.stdout).interactions.flatMap((i: { pactMismatches: string[] }) => i.pactMismatches);
      expect(mismatches.some((m) => m.includes("Expected 'A\\u001b[31mB\\u001b[2JC'"))).toBe(true);
    } finally {
      await target.close();
    }
  });

  // Pact colours its report with SGR codes alone, so a provider's other escape code (ESC [2J clears the screen) is
  // the provider's byte: Pact's report as the kit prints it writes it out too, and the heading claims no loss.
  it("verify's print of Pact's report writes out a provider's ESC [2J, and the heading claims nothing dropped", async () => {
    const body = JSON.stringify({ '@odata.type': '#microsoft.graph.vppToken', id: '0f8fad5b-d9cb-469f-a165-70867728950e', displayName: 'A\u001b[2JB' });
    const target = await startSeedTarget(() => ({ kind: 'answer', status: 201, body, contentType: 'application/json' }));
    try {
      const result = await vppkit(['verify', '--provider-base-url', `${target.url}/beta`], { worker: true });
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).not.toMatch(RAW_CONTROL);
      const [pactReport, kitLines] = result.stdout.split("\nFailed interactions (the kit's words");
      expect(pactReport).toContain("'A\\u001b[2JB'");
      expect(pactReport).not.toContain("'AB'");
      expect(kitLines).toMatch(/^; Pact's diff above also shows differences that are not failures\):\n/);
    } finally {
      await target.close();
    }
  });
});
