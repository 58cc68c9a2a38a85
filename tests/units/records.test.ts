// Direct tests of the stream reader and the JSON locator, through their exported functions only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { InputError, createRequestFactory, findJsonSyntaxError, readRecords, validateRecords, type InputFormat, type InputRecord } from 'vpptokens-contract-kit';

async function read(input: string | Buffer[], format: InputFormat = 'auto'): Promise<InputRecord[]> {
  const records: InputRecord[] = [];
  for await (const record of readRecords(Readable.from(typeof input === 'string' ? [input] : input), format)) records.push(record);
  return records;
}
/** The input cut into pieces of `size` bytes, cutting through multi-byte characters too. */
const pieces = (text: string, size: number) => {
  const bytes = Buffer.from(text);
  return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
};
const requests = createRequestFactory.withSeed(21).buildList(3).map((r, i) => ({ ...r, displayName: `Zürich ✓ ${i}` }));

describe('readRecords', () => {
  const ndjson = `${JSON.stringify(requests[0])}\n\n${JSON.stringify(requests[1])}\r\n{"token": bad}\n${JSON.stringify(requests[2])}\n`;
  const array = `[\n${requests.map((r) => JSON.stringify(r, null, 2)).join(',\n')}\n]\n`;

  it.each([1, 2, 7, 4096])('reads NDJSON and arrays the same however the input arrives (%i-byte pieces)', async (size) => {
    const lines = await read(pieces(ndjson, size));
    expect(lines.map((r) => [r.index, r.line, r.value ?? 'not JSON'])).toEqual([[0, 1, requests[0]], [1, 3, requests[1]], [2, 4, 'not JSON'], [3, 5, requests[2]]]);
    expect(lines[2].syntaxError).toMatchObject({ line: 4, column: 11 });
    const items = await read(pieces(array, size));
    expect(items.map((r) => r.value)).toEqual(requests);
    const heights = requests.map((r) => JSON.stringify(r, null, 2).split('\n').length);
    expect(items.map((r) => r.line)).toEqual([2, 2 + heights[0], 2 + heights[0] + heights[1]]);
  });

  // Outside finding R89 (decision 0803): a Graph list page (what GET .../vppTokens, Graph Explorer or az rest export)
  // was read as one create: "/token: is required; /value: is not a known property".
  describe('a Graph list page, an OData collection response, is refused in one line that says what it is', () => {
    const page = (extra: Record<string, unknown> = {}) => ({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens', ...extra, value: requests });
    const said = (where: string, more = '') => `${where} is a Graph list page (an OData collection: "value" holds its 3 items), not a record${more}: give its items as the records, one JSON value each, e.g. jq -c '.value[]'`;
    it.each([
      ['on one line', JSON.stringify(page())],
      ['on one line ending in a newline', `${JSON.stringify(page())}\n`],
      ['spread over lines', JSON.stringify(page(), null, 2)],
      ['without @odata.context (odata.metadata=none)', JSON.stringify({ value: requests })],
      ['with @odata.count', JSON.stringify(page({ '@odata.count': 3 }))],
    ])('%s', async (_, text) => {
      const error = await read(text).then(() => undefined, (caught: Error) => caught);
      expect(error).toBeInstanceOf(InputError);
      expect(error!.message).toBe(said(text.endsWith('\n') && !text.includes('\n  ') ? 'record 0 (line 1)' : 'the input'));
    });
    it('says more pages follow when it has a nextLink, and names the record of a page among records', async () => {
      const next = JSON.stringify(page({ '@odata.nextLink': 'https://graph.microsoft.com/beta/deviceAppManagement/vppTokens?$skiptoken=2' }));
      await expect(read(next)).rejects.toThrow(said('the input', '; its "@odata.nextLink" says more pages follow, each to be read and given too'));
      await expect(read(`${JSON.stringify(requests[0])}\n${JSON.stringify(page())}\n`)).rejects.toThrow(said('record 1 (line 2)'));
      await expect(read(`[${JSON.stringify(requests[0])}, ${JSON.stringify(page())}]`)).rejects.toThrow(said('record 1 (line 1)'));
    });
    it('seed --from says it as it says an input it cannot read, before anything is sent', async () => {
      const { inspectSeedFile, SeedSetupError } = await import('vpptokens-contract-kit/seed');
      const dir = mkdtempSync(join(tmpdir(), 'vppkit-list-page-'));
      try {
        const file = join(dir, 'export.json');
        writeFileSync(file, JSON.stringify(page(), null, 2));
        const error = await inspectSeedFile(file).then(() => undefined, (caught: Error) => caught);
        expect(error).toBeInstanceOf(SeedSetupError);
        expect(error!.message).toBe(`cannot seed from ${file}: ${said('the input')}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    it('both ways: its items given as records are read, and an object with value beside a property of its own is a record', async () => {
      expect((await read(requests.map((r) => JSON.stringify(r)).join('\n'))).map((r) => r.value)).toEqual(requests);
      for (const value of [{ value: [], token: 'x' }, { value: 'text' }, { '@odata.context': 'x', value: {} }]) expect((await read(JSON.stringify(value))).map((r) => r.value)).toEqual([value]);
    });
  });

  // Outside attacker R135 (decision 1161): a JSON batch, what POST /$batch sends or answers (the SDKs' BatchRequestContent),
  // was read as one create ("/token: is required; /requests: is not a known property"), the neighbour of R89's page.
  describe('a JSON batch request or answer is refused in one line that says what it is', () => {
    const batchRequest = { requests: requests.map((body, i) => ({ id: String(i + 1), method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body })) };
    const batchAnswer = { responses: [{ id: '1', status: 201, headers: { 'Content-Type': 'application/json' }, body: requests[0] }] };
    it('names it, its count and what to give, alone or among records', async () => {
      await expect(read(JSON.stringify(batchRequest, null, 2))).rejects.toThrow(`the input is a JSON batch request ("requests" holds its 3 requests), not a record: give each request's "body" as the records, one JSON value each, e.g. jq -c '.requests[].body'`);
      await expect(read(`${JSON.stringify(requests[0])}\n${JSON.stringify(batchAnswer)}\n`)).rejects.toThrow(`record 1 (line 2) is a JSON batch answer ("responses" holds its 1 answer), not a record: give each answer's "body" as the records, one JSON value each, e.g. jq -c '.responses[].body'`);
      await expect(read(JSON.stringify({ ...batchAnswer, '@odata.nextLink': 'https://graph.microsoft.com/beta/$batch?$skiptoken=1' }))).rejects.toBeInstanceOf(InputError);
    });
    it('both ways: its bodies given as records are read, and an object with requests beside another property is a record', async () => {
      expect((await read(batchRequest.requests.map((r) => JSON.stringify(r.body)).join('\n'))).map((r) => r.value)).toEqual(requests);
      for (const value of [{ requests: [], token: 'x' }, { responses: 'text' }, { requests: [], responses: [] }]) expect((await read(JSON.stringify(value))).map((r) => r.value)).toEqual([value]);
    });
  });

  it('reads one document spread over lines as one record', async () => {
    expect(await read(JSON.stringify(requests[0], null, 2))).toEqual([{ index: 0, line: 1, value: requests[0] }]);
    expect((await read('{"a":1}\n{"b":2}\n', 'json'))[0].syntaxError).toMatchObject({ line: 2, column: 1 });
    expect((await read('{"a":1}', 'ndjson')).map((r) => r.value)).toEqual([{ a: 1 }]);
  });

  // Outside tester P21: JSON.stringify leaves U+2028 and U+2029 raw in a string (RFC 8259 §7 asks only U+0000-U+001F
  // escaped), and NDJSON ends a line at \n alone; a first record holding one was read as one JSON document.
  it.each([
    ['U+2028', '\u2028'],
    ['U+2029', '\u2029'],
    ['U+2028, U+2029 and U+0085', '\u2028\u2029\u0085'],
  ])('reads NDJSON whose first record holds %s raw in a string as NDJSON', async (_name, raw) => {
    const records = [{ ...requests[0], displayName: `Fleet${raw}Paris` }, requests[1]];
    for (const end of ['\n', '\r\n']) {
      const text = records.map((r) => JSON.stringify(r)).join(end) + end;
      expect(text).toContain(raw);
      expect((await read(text)).map((r) => [r.line, r.value])).toEqual([[1, records[0]], [2, records[1]]]);
      expect((await read(pieces(text, 3))).map((r) => r.value)).toEqual(records);
    }
    // One document spread over lines whose first line ends in the character is still one document.
    expect(await read(`{"displayName":"a${raw}b",\n"token":"x"}`)).toEqual([{ index: 0, line: 1, value: { displayName: `a${raw}b`, token: 'x' } }]);
  });

  it('skips a UTF-8 byte-order mark and refuses UTF-16 whole, however the input arrives', async () => {
    const text = requests.map((r) => JSON.stringify(r)).join('\n');
    for (const size of [1, 2, 3, 4096]) {
      expect((await read(pieces(`\uFEFF${text}`, size))).map((r) => r.value)).toEqual(requests);
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      const cut = Array.from({ length: Math.ceil(utf16.length / size) }, (_, i) => utf16.subarray(i * size, (i + 1) * size));
      await expect(read(cut)).rejects.toThrow(/^the input is UTF-16LE, not UTF-8 \(it starts with the byte-order mark FF FE\): a JSON file is UTF-8/);
    }
    // Shorter than four bytes: a lone mark is refused, one short record read.
    await expect(read([Buffer.from([0xfe, 0xff])])).rejects.toThrow(/^the input is UTF-16BE/);
    expect((await read('{}')).map((r) => r.value)).toEqual([{}]);
  });

  it('refuses an empty input and a JSON array that never closes, saying where', async () => {
    for (const input of ['', '  \n\n']) await expect(read(input)).rejects.toThrow(InputError);
    // An empty array is no records either (outside tester I23: validate [] passed, 0 records read, exit 0).
    for (const input of ['[]', ' [ \n ] ']) await expect(read(input)).rejects.toThrow('the input is an empty JSON array ([]): no records to read');
    await expect(read('[{"a":1},\n')).rejects.toThrow(/line \d+, column \d+: .*closing \]/);
  });

  it('feeds validateRecords, which counts valid, invalid and not-JSON records', async () => {
    const reported: number[] = [];
    const input = `${JSON.stringify(requests[0])}\n{"token": 1}\nnot json\n`;
    const summary = await validateRecords('request', readRecords(Readable.from([input])), (record) => reported.push(record.index));
    expect(summary).toEqual({ read: 3, valid: 1, invalid: 1, notJson: 1 });
    expect(reported).toEqual([1, 2]);
  });

  // Outside tester H31 (decision 0205): a file that would create one token twice is not a valid file of creates.
  it('calls a create request invalid when an earlier record holds its token; answers and other tokens are not judged so', async () => {
    const problems: [number, string[]][] = [];
    const again = { ...requests[0], displayName: 'again' };
    const input = [requests[0], requests[1], again, { token: requests[1].token }].map((r) => JSON.stringify(r)).join('\n');
    const summary = await validateRecords('request', readRecords(Readable.from([input])), (record, found) => problems.push([record.index, found.map((p) => `${p.pointer}: ${p.message}`)]));
    expect(summary).toEqual({ read: 4, valid: 2, invalid: 2, notJson: 0 });
    const said = (first: number) => [`/token: is the token of record ${first} again: a second create of one token makes a second vppToken (each token is created once)`];
    expect(problems).toEqual([[2, said(0)], [3, said(1)]]);
    expect(JSON.stringify(problems)).not.toContain(requests[0].token.slice(0, 30));
    // Past the first table's size (it grows as it fills): every one of 5,000 tokens is found again, none early.
    const many = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ token: `token-${i}` }));
    const repeats: [number, string][] = [];
    // (Tokens that are no sToken, taken here as --schema-tokens takes them: this is about the repeats.)
    const big = await validateRecords('request', readRecords(Readable.from([[...many, many[0], many[4321], many[2500]].join('\n')])), (record, found) => repeats.push([record.index, found[0].message]), undefined, { schemaTokens: true });
    expect(big).toMatchObject({ read: 5003, valid: 5000, invalid: 3 });
    expect(repeats.map(([i, m]) => [i, m.split(':')[0]])).toEqual([[5000, 'is the token of record 0 again'], [5001, 'is the token of record 4321 again'], [5002, 'is the token of record 2500 again']]);
    // The same records in two inputs: each input is a file of its own.
    const single = await validateRecords('request', readRecords(Readable.from([JSON.stringify(requests[0])])), () => undefined);
    expect(single).toMatchObject({ valid: 1, invalid: 0 });
  });
});

// Outside tester K24: the same sToken without its `=` padding, or in the base64url alphabet, is the same Apple token.
it('calls one sToken written three ways (padded, unpadded, base64url) one token; another sToken is another', async () => {
  const sToken = Buffer.from(JSON.stringify({ token: 'K24-?>~1', expDate: '2041-01-01T00:00:00-0800', orgName: 'Contoso' })).toString('base64');
  const unpadded = sToken.replace(/=+$/, '');
  const url = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
  expect(new Set([sToken, unpadded, url]).size).toBe(3);
  const other = Buffer.from(JSON.stringify({ token: 'K24-other', expDate: '2041-01-01T00:00:00-0800', orgName: 'Contoso' })).toString('base64');
  const problems: [number, string][] = [];
  const input = [sToken, unpadded, url, other].map((token) => JSON.stringify({ token })).join('\n');
  const summary = await validateRecords('request', readRecords(Readable.from([input])), (record, found) => problems.push([record.index, found.map((p) => p.message).join('; ')]));
  expect(summary).toEqual({ read: 4, valid: 2, invalid: 2, notJson: 0 });
  expect(problems.filter(([, message]) => message !== '').map(([i, message]) => [i, message.split(':')[0]])).toEqual([[1, 'is the token of record 0 again'], [2, 'is the token of record 0 again']]);
});

// Outside finding R144 (decision 1260): an sToken is the JSON value it says, so its members in another order, with
// whitespace or with a character escaped are one token; another expDate or orgName around its Apple token is not.
it('calls one sToken in another member order, spacing or escaping one token; another expDate is another', async () => {
  const said = { token: 'R144-?>~1', expDate: '2041-01-01T00:00:00-0800', orgName: 'Contoso' };
  const wrap = (text: string) => Buffer.from(text).toString('base64');
  const sToken = wrap(JSON.stringify(said));
  const same = [wrap(JSON.stringify({ orgName: said.orgName, expDate: said.expDate, token: said.token })), wrap(JSON.stringify(said, null, 1)), wrap(JSON.stringify(said).replace('Contoso', 'C\\u006fntoso'))];
  const others = [wrap(JSON.stringify({ ...said, expDate: '2042-01-01T00:00:00-0800' })), wrap(JSON.stringify({ ...said, orgName: 'Contoso Ltd' }))];
  expect(new Set([sToken, ...same]).size).toBe(4);
  const problems: [number, string][] = [];
  const input = [sToken, ...same, ...others].map((token) => JSON.stringify({ token })).join('\n');
  const summary = await validateRecords('request', readRecords(Readable.from([input])), (record, found) => problems.push([record.index, found.map((p) => p.message).join('; ')]));
  expect(summary).toEqual({ read: 6, valid: 3, invalid: 3, notJson: 0 });
  expect(problems.filter(([, message]) => message !== '').map(([i, message]) => [i, message.split(':')[0]])).toEqual([1, 2, 3].map((i) => [i, 'is the token of record 0 again']));
});

describe('findJsonSyntaxError', () => {
  const good = ['0', '-1.5e+3', '"a\\u00e9\\n"', 'true', 'null', ' [ ] ', '{"a":[1,{"b":null}]}', JSON.stringify(requests), JSON.stringify(requests, null, 2)];
  const bad: [text: string, offset: number][] = [
    ['{"a":1', 6], ['{"a" 1}', 5], ['[1,]', 3], ['tru', 3], ['"\\x"', 2], ['{"a":"\u0001"}', 6], ['01', 1], ['1.', 1], ['-', 0],
    ['{"a":1}}', 7], ['{"a":"\\u12"}', 7], ['\n\n  {,}', 5], ['', 0], ['{"a":1,}', 7], ["{'a':1}", 1],
  ];

  it('finds nothing exactly where JSON.parse succeeds', () => {
    for (const text of good) expect({ text, found: findJsonSyntaxError(text) }).toEqual({ text, found: undefined });
    for (const [text] of bad) expect(() => JSON.parse(text)).toThrow();
  });

  it('gives the offset where the text stops being JSON, with its line and column', () => {
    for (const [text, offset] of bad) {
      const found = findJsonSyntaxError(text)!;
      const before = text.slice(0, offset).split('\n');
      expect({ text, at: [found.offset, found.line, found.column] }).toEqual({ text, at: [offset, before.length, before[before.length - 1].length + 1] });
    }
  });

  it('never quotes more of the text than the one offending character', () => {
    for (const text of ['{"token":"c2VjcmV0c2VjcmV0" x}', '{"token":"c2VjcmV0c2VjcmV0\u0001"}', '["c2VjcmV0c2VjcmV0",]']) {
      expect(findJsonSyntaxError(text)!.message).not.toContain('c2VjcmV0');
    }
  });
});
