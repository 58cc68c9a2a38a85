// validate with several files, globs, a byte-order mark, --json and --max-line-bytes.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-validate-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string | Buffer) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const good = createRequestFactory.withSeed(5).buildList(2).map((r) => JSON.stringify(r)).join('\n') + '\n';
const bad = '{"token":7}\n';

describe('vppkit validate with several files', () => {
  // Outside finding R42: one file named twice (or through a link) made each record "the token of ... record 2 again",
  // itself. It is read once, said; a copy is another file, whose tokens are still repeats (decision 0428).
  it('reads a file named twice, or through a symbolic link, once; a copy of it is still another file', async () => {
    const a = file('twice.ndjson', good);
    const link = join(dir, 'twice-link.ndjson');
    symlinkSync(a, link);
    const twice = await vppkit(['validate', a, a, link]);
    expect(twice.stderr).toBe(`vppkit: note: ${a} is given twice: read once\nvppkit: note: ${link} is ${a} again: read once\n`);
    expect(twice.stdout).toBe('vppkit validate: 2 records read: 2 valid, 0 invalid\n');
    expect(twice.code).toBe(0);
    const copy = join(dir, 'twice-copy.ndjson');
    copyFileSync(a, copy);
    const copied = await vppkit(['validate', a, copy]);
    expect(copied.stderr).toBe('');
    expect(copied.stdout).toContain(`${copy}: record 0 (line 1): invalid request, 1 problem:\n  /token: is the token of ${a} record 0 again`);
    expect(copied.code).toBe(1);
  });

  it('reports every file and exits 1 when any is invalid (good first)', async () => {
    const a = file('good.ndjson', good);
    const b = file('bad.ndjson', bad);
    const result = await vppkit(['validate', a, b]);
    expect(result.stdout).toBe(
      [
        `vppkit validate: ${a}: 2 records read: 2 valid, 0 invalid`,
        `${b}: record 0 (line 1): invalid request, 1 problem:`,
        '  /token: must be a string (got a number, not shown)',
        `vppkit validate: ${b}: 1 record read: 0 valid, 1 invalid`,
        'vppkit validate: 2 files, 3 records read: 2 valid, 1 invalid',
        '',
      ].join('\n'),
    );
    expect(result.code).toBe(1);
  });

  // Outside tester Q15 (decision 0428): shards whose --offset ranges overlap passed together (6 valid), though the
  // same records in one file were refused, and seeding both creates the shared token twice.
  it('takes the files of one run as one data set: a token an earlier file holds is named with that file and record', async () => {
    const shard = (offset: number) => createRequestFactory.withSeed(5).buildList(3 + offset).slice(offset).map((r) => JSON.stringify(r)).join('\n') + '\n';
    const a = file('shard-a.ndjson', shard(0));
    const b = file('shard-b.ndjson', shard(2));
    const result = await vppkit(['validate', a, b]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${b}: record 0 (line 1): invalid request, 1 problem:\n  /token: is the token of ${a} record 2 again: a second create of one token makes a second vppToken (each token is created once)\n`);
    expect(result.stdout).toContain('vppkit validate: 2 files, 6 records read: 5 valid, 1 invalid\n');
    // Shards that do not overlap pass; stdin is named as such; a response is no create and repeats nothing.
    expect((await vppkit(['validate', a, file('shard-c.ndjson', shard(3))])).code).toBe(0);
    const piped = await vppkit(['validate', a, '-'], { input: shard(2) });
    expect(piped.stdout).toContain(`-: record 0 (line 1): invalid request, 1 problem:\n  /token: is the token of ${a} record 2 again`);
    expect((await vppkit(['validate', '--json', a, b])).stdout).toContain(`"message": "is the token of ${a} record 2 again`);
  });

  it('expands a glob the shell did not expand', async () => {
    mkdirSync(join(dir, 'glob'));
    file('glob/a.ndjson', good);
    file('glob/b.ndjson', bad);
    file('glob/c.txt', 'not records');
    const result = await vppkit(['validate', 'glob/*.ndjson'], { cwd: dir });
    expect(result.stdout).toContain('vppkit validate: glob/a.ndjson: 2 records read: 2 valid, 0 invalid');
    expect(result.stdout).toContain('vppkit validate: glob/b.ndjson: 1 record read: 0 valid, 1 invalid');
    expect(result.stdout).toContain('vppkit validate: 2 files, 3 records read');
    expect(result.code).toBe(1);
  });

  it('says a pattern matched no file, rather than that a file of that name is missing (outside tester G23)', async () => {
    const result = await vppkit(['validate', 'nomatch/*.ndjson'], { cwd: dir });
    expect(result.stderr).toBe('vppkit: cannot read nomatch/*.ndjson: no file matches this pattern\n');
    expect(result.code).toBe(2);
  });

  it('still checks the other files when one can not be read: exit 2', async () => {
    const result = await vppkit(['validate', join(dir, 'missing.ndjson'), file('good2.ndjson', good)]);
    expect(result.stderr).toBe(`vppkit: cannot read ${join(dir, 'missing.ndjson')}: no such file or folder (ENOENT)\n`);
    expect(result.stdout).toContain('2 files, 2 records read: 2 valid, 0 invalid, 1 file unreadable');
    expect(result.code).toBe(2);
  });

  it("says why a file can't be read in the kit's words, not Node's message (decision 0355)", async () => {
    const underAFile = join(file('plain.ndjson', good), 'x.ndjson');
    const result = await vppkit(['validate', underAFile]);
    expect(result.stderr).toBe(`vppkit: cannot read ${underAFile}: a part of the path is a file, not a folder (ENOTDIR)\n`);
    expect(result.code).toBe(2);
  });

  it('prints a documented JSON summary with --json', async () => {
    const result = await vppkit(['validate', '--json', file('j-good.ndjson', good), file('j-bad.ndjson', bad)]);
    const report = JSON.parse(result.stdout);
    expect(report).toEqual({
      command: 'validate',
      kind: 'request',
      passed: false,
      exitCode: 1,
      total: { files: 2, unreadable: 0, read: 3, valid: 2, invalid: 1, notJson: 0 },
      files: [
        { file: join(dir, 'j-good.ndjson'), read: 2, valid: 2, invalid: 0, notJson: 0, records: [] },
        {
          file: join(dir, 'j-bad.ndjson'),
          read: 1,
          valid: 0,
          invalid: 1,
          notJson: 0,
          records: [{ index: 0, line: 1, problems: [{ pointer: '/token', message: 'must be a string (got a number, not shown)', keyword: 'type', got: 'a number, not shown' }] }],
        },
      ],
    });
    expect(result.code).toBe(1);
  });
});

describe('vppkit validate at the edges of its input', () => {
  it.each([
    ['NDJSON', good],
    ['one document', JSON.stringify({ token: 'eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9' }, null, 2)],
    ['an array', `[${JSON.stringify({ token: 'eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9' })}]`],
  ])('accepts a byte-order mark before %s', async (_shape, text) => {
    const result = await vppkit(['validate', file('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))]);
    expect(result.stdout).toMatch(/: \d+ valid, 0 invalid\n$/);
    expect(result.code).toBe(0);
  });

  // Outside tester P12 (decision 0384): Windows PowerShell 5.1's `vppkit generate > FILE` writes UTF-16LE with its
  // byte-order mark; it was "not UTF-8: byte 0 of the record ...", 1 record read. Every command reading JSON files names it.
  it('names a UTF-16 or UTF-32 file and says how to save it as UTF-8, in every command that reads JSON files: exit 2', async () => {
    const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const advice = 'a JSON file is UTF-8 (RFC 8259 §8.1); save it as UTF-8, e.g. iconv -f UTF-16LE -t UTF-8 FILE > NEW, or in PowerShell Get-Content FILE | Set-Content -Encoding utf8 NEW';
    const records = file('u16.ndjson', utf16le(good));
    const validate = await vppkit(['validate', records]);
    expect(validate.stderr).toBe(`vppkit: cannot read the records of ${records}: the input is UTF-16LE, not UTF-8 (it starts with the byte-order mark FF FE): ${advice}\n`);
    expect(validate.stdout).not.toMatch(/record read/);
    expect(validate.code).toBe(2);
    const seed = await vppkit(['seed', '--target', 'http://127.0.0.1:9/beta', '--bearer', 'abcdefghijklmnopqrstuvwxyz', '--from', records]);
    expect(seed.stderr).toContain(`the input is UTF-16LE, not UTF-8 (it starts with the byte-order mark FF FE): ${advice}`);
    expect(seed.code).toBe(2);
    const pact = file('u16-pact.json', utf16le(readFileSync(join(__dirname, '../../pacts/vppkit-canonical-consumer-microsoft-graph-vpptokens.json'), 'utf8')));
    for (const command of [['compare', pact, '--no-comparator'], ['verify', pact]]) {
      const result = await vppkit(command);
      expect(result.stderr).toContain(`${pact} is UTF-16LE, not UTF-8 (it starts with the byte-order mark FF FE): ${advice}`);
      expect(result.code).toBe(2);
    }
    const faults = await vppkit(['serve', '--port', '0', '--faults', file('u16-faults.json', utf16le('{"failRate":0.5}'))]);
    expect(faults.stderr).toContain(`u16-faults.json: is UTF-16LE, not UTF-8 (it starts with the byte-order mark FF FE): ${advice}`);
    expect(faults.code).toBe(2);
    // Without a mark (RFC 4627 §3: the zero bytes around ASCII), big-endian, and UTF-32, named alike.
    const variants: [string, Buffer][] = [
      ["its first bytes 7B 00 22 00 are UTF-16LE's", Buffer.from(good, 'utf16le')],
      ['it starts with the byte-order mark FE FF', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(good, 'utf16le').swap16()])],
      ['it starts with the byte-order mark FF FE 00 00', Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x00]), Buffer.from([...good].flatMap((c) => [c.charCodeAt(0), 0, 0, 0]))])],
    ];
    for (const [shows, bytes] of variants) {
      const result = await vppkit(['validate', file('other.ndjson', bytes)]);
      expect(result.stderr).toContain(`(${shows}): a JSON file is UTF-8`);
      expect(result.code).toBe(2);
    }
    // The same records in UTF-8, with a UTF-8 byte-order mark or none, are read.
    expect((await vppkit(['validate', file('u8.ndjson', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)]))])).code).toBe(0);
  });

  // Outside tester R43: a gzip-compressed record file was "not UTF-8: byte 1 of the record starts no valid UTF-8
  // sequence", as if it were text. Every command that reads a JSON file names an archive by its first bytes.
  it('names a compressed file (gzip, zip, bzip2, xz, zstd) by its first bytes and says to decompress it: exit 2', async () => {
    const compressed: [string, Buffer][] = [
      ['gzip-compressed (it starts 1F 8B)', gzipSync(good)],
      ['a zip archive (it starts 50 4B 03 04)', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(good)])],
      ['bzip2-compressed (it starts 42 5A 68)', Buffer.concat([Buffer.from('BZh9'), Buffer.from(good)])],
      ['xz-compressed (it starts FD 37 7A 58 5A 00)', Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.from(good)])],
      ['zstd-compressed (it starts 28 B5 2F FD)', Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from(good)])],
    ];
    for (const [is, bytes] of compressed) {
      const records = file('records.ndjson.gz', bytes);
      const result = await vppkit(['validate', records]);
      expect([is, result.stderr, result.code]).toEqual([is, `vppkit: cannot read the records of ${records}: the input is ${is}, not UTF-8 text: decompress it first (e.g. zcat, unzip -p, bzcat, xzcat or zstdcat FILE, piped to the command with - as its file)\n`, 2]);
    }
    const pact = file('pact.json.gz', gzipSync(readFileSync(join(__dirname, '../../pacts/vppkit-canonical-consumer-microsoft-graph-vpptokens.json'))));
    const compare = await vppkit(['compare', pact, '--no-comparator']);
    expect([compare.stderr, compare.code]).toEqual([expect.stringContaining(`${pact} is gzip-compressed (it starts 1F 8B), not UTF-8 text: decompress it first`), 2]);
    // The same records as text are read.
    expect((await vppkit(['validate', file('plain.ndjson', good)])).code).toBe(0);
  });

  it('bounds an element of a JSON array by --max-record-bytes too, naming it: exit 2', async () => {
    const long = JSON.stringify({ token: 'eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9', displayName: 'x'.repeat(5000) });
    const array = file('long.json', `[\n${good.trim().split('\n').join(',\n')},\n${long}\n]\n`);
    const result = await vppkit(['validate', '--max-record-bytes', '4KiB', array]);
    expect(result.stderr).toBe(`vppkit: cannot read the records of ${array}: record 2 (line 4 of the JSON array) is longer than 4 KiB, the longest record read: one record per line or array element, or raise the limit with --max-record-bytes\n`);
    expect(result.code).toBe(2);
    expect((await vppkit(['validate', '--max-record-bytes', '8KiB', array])).code).toBe(0);
  });

  it('refuses a line longer than --max-line-bytes (the old name of --max-record-bytes), naming the line: exit 2', async () => {
    const long = JSON.stringify({ token: 'eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9', displayName: 'x'.repeat(5000) });
    const result = await vppkit(['validate', '--max-line-bytes', '4KiB', file('long.ndjson', `${good}${long}\n`)]);
    expect(result.stderr).toBe(`vppkit: cannot read the records of ${join(dir, 'long.ndjson')}: line 3 is longer than 4 KiB, the longest record read: one record per line or array element, or raise the limit with --max-record-bytes\n`);
    expect(result.code).toBe(2);
    expect((await vppkit(['validate', '--max-line-bytes', '8KiB', join(dir, 'long.ndjson')])).code).toBe(0);
  });

  it('locates a syntax error after 30,000 nested brackets', async () => {
    const depth = 30_000;
    const text = `{"token":"abc","x":${'['.repeat(depth)}1${']'.repeat(depth - 1)}}`;
    const result = await vppkit(['validate', '--format', 'ndjson', file('deep.ndjson', `${text}\n`)]);
    expect(result.stdout).toContain(`record 0 (line 1): not JSON: line 1, column ${text.length}: unexpected character "}" where ',' or ']' was expected`);
    expect(result.code).toBe(2);
  });
});
