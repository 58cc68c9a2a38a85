import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-validate-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const requests = createRequestFactory.withSeed(12).buildList(3);
const ndjson = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('vppkit validate', () => {
  it.each([
    ['NDJSON', ndjson],
    ['a JSON array', JSON.stringify(requests, null, 2)],
    ['one pretty-printed document', JSON.stringify(requests[0], null, 2)],
    ['one single-line document', JSON.stringify(requests[0])],
    ['NDJSON with blank lines and CRLF', requests.map((r) => JSON.stringify(r)).join('\r\n\r\n')],
  ])('accepts %s: exit 0', async (_shape, text) => {
    const result = await vppkit(['validate', file('ok.json', text)]);
    expect(result.stdout).toMatch(/: \d+ valid, 0 invalid\n$/);
    expect(result.code).toBe(0);
  });

  // Outside tester Q6 (decision 0427): an export of existing vppTokens (with id and lastModifiedDateTime) was valid,
  // though check-client fails a create that sends them. Judged as check-client judges it.
  it('refuses a create that sets a read-only property, saying what to do; the same record without it is valid', async () => {
    const exported = { ...requests[0], id: '2f6c0000-0000-0000-0000-000000000001', lastModifiedDateTime: '2026-01-01T00:00:00Z' };
    const result = await vppkit(['validate', '-'], { input: `${JSON.stringify(exported)}\n${JSON.stringify(requests[1])}\n` });
    expect(result.code).toBe(1);
    const READ_ONLY = 'is read-only: the service sets it (readOnly in the request schema), and may ignore it or refuse the create for it (JSON Schema Validation 2020-12 §9.4): leave it out';
    expect(result.stdout).toBe(`record 0 (line 1): invalid request, 2 problems:\n  /id: ${READ_ONLY}\n  /lastModifiedDateTime: ${READ_ONLY}\nvppkit validate: 2 records read: 1 valid, 1 invalid\n`);
    // The same record without them is valid.
    expect((await vppkit(['validate', '-'], { input: JSON.stringify(requests[0]) })).code).toBe(0);
  });

  it('reads stdin with - and counts the records', async () => {
    const result = await vppkit(['validate', '-'], { input: ndjson });
    expect(result.stdout).toBe('vppkit validate: 3 records read: 3 valid, 0 invalid\n');
  });

  it('lists each invalid record with its line and every problem: exit 1', async () => {
    const text = [JSON.stringify(requests[0]), JSON.stringify({ ...requests[1], state: 'String', token: 7 }), '42', JSON.stringify(requests[2])].join('\n');
    const result = await vppkit(['validate', file('bad.ndjson', text)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'record 1 (line 2): invalid request, 2 problems:',
        '  /state: must be one of unknown, valid, expired, invalid, assignedToExternalMDM, duplicateLocationId (got "String")',
        '  /token: must be a string (got a number, not shown)',
        'record 2 (line 3): invalid request, 1 problem:',
        '  (root): must be an object (got 42)',
        'vppkit validate: 4 records read: 2 valid, 2 invalid',
        '',
      ].join('\n'),
    );
  });

  // Found by an outside tester: validate passed what every other command refuses. It reads records as the one
  // reader reads a body (src/wire), so it refuses the same bytes, with the line and the JSON pointer.
  it('refuses what the judgement refuses, byte for byte, with line and pointer; correct bytes beside them pass', async () => {
    // An Apple sToken, as Intune takes (decision 0216).
    const good = Buffer.from(JSON.stringify({ token: 'eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9', displayName: 'Caf\u00e9 \ud83d\ude00', tokenActionResults: [{ actionName: 'a' }] }));
    const lines = [
      good,
      Buffer.from('{"token":"abc","displayName":"a","displayName":"b"}'),
      Buffer.from('{"token":"abc","displayName":"Caf\u00e9"}', 'latin1'),
      Buffer.concat([Buffer.from('{"token":"abc","displayName":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
      Buffer.concat([Buffer.from('{"token":"abc","displayName":"'), Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]), Buffer.from('"}')]),
      Buffer.from('{"token":"abc","tokenActionResults":[{"actionName":"a","failedLicensesCount":1e400}]}'),
      Buffer.from('{"token":"abc","displayName":"\\ud800"}'),
      // Another token: one token twice is a repeat (decision 0205).
      Buffer.from(good.toString('utf8').replace('eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9', 'eyJ0b2tlbiI6InRoaXMgaXMgYW5vdGhlciB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9')),
    ];
    const result = await vppkit(['validate', '-'], { input: Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])) });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('record 1 (line 2): invalid request, 1 problem:\n  /displayName: is given twice: Graph refuses a body with a duplicate property name');
    expect(result.stdout).toContain('record 2 (line 3): not JSON: line 3, column 34: not UTF-8: byte 33 of the record starts no valid UTF-8 sequence (JSON is UTF-8, RFC 8259 §8.1)');
    expect(result.stdout).toContain('record 3 (line 4): not JSON: line 4, column 31: not UTF-8: byte 30 of the record');
    expect(result.stdout).toContain('record 4 (line 5): not JSON: line 5, column 31: not UTF-8: byte 30 of the record');
    expect(result.stdout).toMatch(/record 5 \(line 6\): invalid request, \d problems?:\n  \/tokenActionResults\/0\/failedLicensesCount: is a number no double can hold/);
    expect(result.stdout).not.toMatch(/got null/);
    expect(result.stdout).toContain('record 6 (line 7): invalid request, 1 problem:\n  /displayName: holds an unpaired surrogate');
    expect(result.stdout).toContain('vppkit validate: 8 records read: 2 valid, 3 invalid, 3 not JSON');
  });

  // Outside tester J10: the second such number was read as Infinity, validated, and shown as "got null", a value the
  // record does not hold ("must be a string or null (got null)"); the same record with 1 and -1 shows the schema's.
  it('names every number no double can hold, and no schema problem of the Infinity it was read as', async () => {
    const token = 'eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9';
    const huge = await vppkit(['validate', '-'], { input: `{"token":"${token}","automaticallyUpdateApps":1e400,"displayName":-1e999}\n` });
    const range = 'is a number no double can hold (it would be read as Infinity): I-JSON refuses it (RFC 7493 §2.2, RFC 8259 §6)';
    expect(huge.stdout).toBe(`record 0 (line 1): invalid request, 2 problems:\n  /automaticallyUpdateApps: ${range}\n  /displayName: ${range}\nvppkit validate: 1 record read: 0 valid, 1 invalid\n`);
    expect(huge.code).toBe(1);
    const plain = await vppkit(['validate', '-'], { input: `{"token":"${token}","automaticallyUpdateApps":1,"displayName":-1}\n` });
    expect(plain.stdout).toContain('  /automaticallyUpdateApps: must be a boolean (got 1)\n  /displayName: must be a string or null (got -1)\n');
    expect(plain.code).toBe(1);
  });

  it('gives the index and line of a record in an array', async () => {
    const text = `[\n${JSON.stringify(requests[0])},\n${JSON.stringify({ displayName: 'x' })}\n]`;
    const result = await vppkit(['validate', file('array.json', text)]);
    expect(result.stdout).toContain('record 1 (line 3): invalid request, 1 problem:\n  /token: is required');
    expect(result.code).toBe(1);
  });

  it('reports malformed JSON with line and column: exit 2, and still checks the other lines', async () => {
    const text = `${JSON.stringify(requests[0])}\n{"token": "abc", oops}\n${JSON.stringify({ displayName: 1 })}\n`;
    const result = await vppkit(['validate', file('malformed.ndjson', text)]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('record 1 (line 2): not JSON: line 2, column 18: unexpected character "o" where a property name in double quotes was expected');
    expect(result.stdout).toContain('vppkit validate: 3 records read: 1 valid, 1 invalid, 1 not JSON');
  });

  it('never prints a token from a broken record', async () => {
    const secret = 'c2VjcmV0LXZwcC10b2tlbi12YWx1ZQ';
    const result = await vppkit(['validate', file('secret.ndjson', `{"token": "${secret}", "state": "String"\n{"token": ${secret}}\n`)]);
    expect(result.stdout + result.stderr).not.toContain(secret.slice(0, 10));
  });

  it.each([
    // Outside tester G23: the one file given was not named.
    ['an empty file', '', /^vppkit: cannot read the records of \/.*broken\.json: the input is empty: no JSON records to read\n$/],
    ['a truncated array', `[${JSON.stringify(requests[0])},`, 'the input ended before the closing ] of the JSON array'],
    ['content after an array', `[${JSON.stringify(requests[0])}] trailing`, 'unexpected content after the closing ] of the JSON array'],
  ])('exits 2 on %s', async (_case, text, message) => {
    const result = await vppkit(['validate', file('broken.json', text)]);
    expect(result.code).toBe(2);
    if (typeof message === 'string') expect(result.stderr).toContain(message);
    else expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('handles a huge line', async () => {
    const huge = JSON.stringify({ ...requests[0], displayName: 'x'.repeat(8 * 1024 * 1024) });
    // Two tokens: one token twice is a repeat (decision 0205).
    const other = JSON.stringify({ ...requests[1], displayName: 'x'.repeat(8 * 1024 * 1024) });
    const ok = await vppkit(['validate', file('huge.ndjson', `${huge}\n${other}\n`)]);
    expect(ok.stdout).toBe('vppkit validate: 2 records read: 2 valid, 0 invalid\n');
    const bad = await vppkit(['validate', file('huge-bad.ndjson', `${huge.slice(0, -1)}\n`)]);
    expect(bad.code).toBe(2);
    // Its first line is not a whole {...}, so auto-detection reads it as one document that ends too early.
    expect(bad.stdout).toMatch(/record 0 \(line 1\): not JSON: line 2, column 1: the text ended where ',' or '}' was expected/);
  });

  it('validates responses and errors with --kind', async () => {
    const created = await vppkit(['generate', '--kind', 'response', '--count', '2']);
    expect((await vppkit(['validate', '--kind', 'response', '-'], { input: created.stdout })).code).toBe(0);
    expect((await vppkit(['validate', '--kind', 'error', '-'], { input: '{"error":{"code":"BadRequest","message":"x"}}' })).code).toBe(0);
    expect((await vppkit(['validate', '--kind', 'error', '-'], { input: '{"message":"x"}' })).code).toBe(1);
  });
});
