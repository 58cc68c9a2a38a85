// Outside tester K10: text that is someone else's data reached the terminal with its control characters raw: a pact's
// consumer name and interaction description in compare, a JSON batch member's URL in check-client, an answer's error
// code in seed (`ESC]0;title BEL` sets the terminal's title, `ESC[2J` clears the screen), also with NO_COLOR. verify,
// validate and the proxy already showed them escaped; now every command does, by one helper (escapeData, src/net).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
