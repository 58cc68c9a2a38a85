// Direct tests of the generator's output, through generateText and writeGenerated.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { createRequestFactory, generateText, graphErrorKinds, graphErrorTraits, problemsOf, vppTokenFactory, vppTokenTraits, writeGenerated, type GraphError } from 'vpptokens-contract-kit';
import { errorTraitHelp, traitHelp } from '../../src/cli/generate';
import { run as vppkit } from '../support/run-cli';

const text = (options: Parameters<typeof generateText>[0]) => [...generateText(options)].join('');

describe('generateText', () => {
  it('writes record offset+i of the seeded factory on line i, for requests and responses', () => {
    const lines = text({ count: 3, offset: 5, seed: 9 }).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual([5, 6, 7].map((i) => createRequestFactory.withSeed(9).buildAt(i)));
    const responses = text({ kind: 'response', count: 2, seed: 9, traits: ['expired'] }).trim().split('\n');
    expect(responses.map((l) => JSON.parse(l))).toEqual([0, 1].map((i) => vppTokenFactory.withSeed(9).withTraits('expired').buildAt(i)));
  });

  it('writes a JSON array, empty or not', () => {
    expect(JSON.parse(text({ count: 0, format: 'json' }))).toEqual([]);
    expect(JSON.parse(text({ count: 4, seed: 2, format: 'json' }))).toEqual(createRequestFactory.withSeed(2).buildList(4));
    expect(text({ count: 0 })).toBe('');
  });

  it('comes in chunks of about 64 KiB that join to the same text, and slices join to one run', () => {
    const chunks = [...generateText({ count: 400, seed: 4 })];
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(64 * 1024);
    expect(chunks.every((chunk) => chunk.endsWith('\n'))).toBe(true);
    expect(chunks.join('')).toBe(text({ count: 150, seed: 4 }) + text({ count: 250, offset: 150, seed: 4 }));
  });
});

// Outside tester L16 (decision 0326): a record's stream is seeded from 32 bits of (seed, index), so record 2^32 was
// record 0 again, without a word: `--offset 4294967296` printed record 0's token, and shards past it duplicated.
describe("a seed's data set of 2^32 records", () => {
  const last = 2 ** 32 - 1;
  it("is, for another seed, another order of the same records: shards by seed are not disjoint (README, decision 0358)", () => {
    // Record i of seed 11515 is record i XOR 1 of seed 5204 (the two seeds' 32-bit starts differ in their last bit).
    const first = text({ count: 1000, seed: 5204 }).split('\n');
    const second = text({ count: 1000, seed: 11515 }).split('\n');
    expect(second.slice(0, 4)).toEqual([first[1], first[0], first[3], first[2]]);
    expect([...second].sort()).toEqual([...first].sort());
    // Both ways: seeds whose starts differ in a high bit give other records first (1 and 2: record i XOR 3592202251).
    const other = new Set(text({ count: 1000, seed: 2 }).split('\n').filter(Boolean));
    expect(text({ count: 1000, seed: 1 }).split('\n').filter((line) => other.has(line))).toEqual([]);
  });

  it('builds records up to 4294967295, each its own, and refuses an index past them', () => {
    const factory = createRequestFactory.withSeed(7);
    expect(factory.buildAt(last).token).not.toBe(factory.buildAt(0).token);
    expect(factory.buildAt(last - 1).token).not.toBe(factory.buildAt(last).token);
    for (const index of [2 ** 32, 2 ** 32 + 1, 2 ** 40]) {
      expect(() => factory.buildAt(index)).toThrow(`index must be a whole number from 0 to 4294967295, the 4294967296 (2^32) records of a seed's data set (got ${index})`);
    }
    expect(() => vppTokenFactory.withSeed(7).buildAt(2 ** 32)).toThrow(RangeError);
  });

  it('generateText refuses a range past the last record before writing any', () => {
    expect(text({ count: 2, offset: last - 1, seed: 7 }).trim().split('\n').map((l) => JSON.parse(l))).toEqual([last - 1, last].map((i) => createRequestFactory.withSeed(7).buildAt(i)));
    expect(() => generateText({ count: 2, offset: last, seed: 7 })).toThrow('records 4294967295 .. 4294967296 go past record 4294967295, the last of a seed\'s data set (4294967296 records, 2^32): another seed is another order of the same records, not more of them');
    expect(() => generateText({ count: 1, offset: 2 ** 32, seed: 7 })).toThrow(RangeError);
  });

  it('vppkit generate refuses --offset and --offset + --count past it, exit 2, printing no record', async () => {
    const one = await vppkit(['generate', '--count', '1', '--offset', String(last), '--seed', '7']);
    expect(one).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(one.stdout)).toEqual(createRequestFactory.withSeed(7).buildAt(last));
    const past = await vppkit(['generate', '--count', '1', '--offset', '4294967296', '--seed', '7']);
    expect(past).toEqual({ code: 2, stdout: '', stderr: 'vppkit: --offset must be a whole number from 0 to 4294967295 (got "4294967296")\n' });
    const across = await vppkit(['generate', '--count', '2', '--offset', String(last), '--seed', '7']);
    expect(across).toEqual({ code: 2, stdout: '', stderr: "vppkit: --offset 4294967295 --count 2: records 4294967295 .. 4294967296 go past record 4294967295, the last of a seed's data set (4294967296 records, 2^32): another seed is another order of the same records, not more of them\n" });
  });
});

describe('writeGenerated', () => {
  it('waits for a slow reader to drain and writes everything', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    const received: Buffer[] = [];
    const reading = (async () => {
      for await (const chunk of out) {
        received.push(chunk as Buffer);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    expect(await writeGenerated({ count: 300, seed: 3 }, out)).toEqual({ closedEarly: false });
    out.end();
    await reading;
    expect(Buffer.concat(received).toString()).toBe(text({ count: 300, seed: 3 }));
  });

  it('stops quietly when the reader goes away (| head), and fails on any other write error', async () => {
    const gone = new Writable({ highWaterMark: 16, write: (_chunk, _encoding, done) => done(Object.assign(new Error('broken pipe'), { code: 'EPIPE' })) });
    expect(await writeGenerated({ count: 300 }, gone)).toEqual({ closedEarly: true });
    const full = new Writable({ highWaterMark: 16, write: (_chunk, _encoding, done) => done(Object.assign(new Error('no space left'), { code: 'ENOSPC' })) });
    await expect(writeGenerated({ count: 300 }, full)).rejects.toThrow('no space left');
  });
});

describe('generateText --kind error', () => {
  it('writes Graph error bodies, each valid against the error schema, the statuses in turn or the one asked for', () => {
    const records = text({ kind: 'error', count: 20, seed: 5 }).trim().split('\n').map((l) => JSON.parse(l) as GraphError);
    const codes = Object.values(graphErrorKinds).map((k) => k.code);
    expect(records.map((r) => r.error.code)).toEqual([...codes, ...codes]);
    for (const r of records) {
      expect(problemsOf('error', r)).toEqual([]);
      // innerError as Graph writes it: a date without a zone, the request ids as GUIDs.
      expect(r.error.innerError).toEqual({ date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/), 'request-id': expect.stringMatching(/^[0-9a-f-]{36}$/), 'client-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/) });
    }
    const throttled = text({ kind: 'error', count: 3, seed: 5, traits: ['tooManyRequests'], profile: 'v1.0' });
    expect(throttled.trim().split('\n').map((l) => (JSON.parse(l) as GraphError).error.code)).toEqual(['TooManyRequests', 'TooManyRequests', 'TooManyRequests']);
    expect(text({ kind: 'error', count: 3, seed: 5, traits: ['tooManyRequests'] })).toBe(throttled);
    expect(text({ kind: 'error', count: 20, seed: 5 })).toBe(text({ kind: 'error', count: 20, seed: 5 }));
    expect(text({ kind: 'error', count: 1, seed: 6 })).not.toBe(text({ kind: 'error', count: 1, seed: 5 }));
  });

  it('refuses a trait the kind does not have', () => {
    expect(() => text({ kind: 'error', count: 1, traits: ['expired'] as never })).toThrow(RangeError);
  });
});

describe('the trait lists of --help and the README', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const listed = (name: string) => new RegExp(`<!-- traits:${name} -->\\n([\\s\\S]*?)<!-- /traits:${name} -->`).exec(readme)?.[1] ?? '';
  it.each([
    ['vppToken', vppTokenTraits, traitHelp],
    ['graphError', graphErrorTraits, errorTraitHelp],
  ] as const)('are the same list for %s: the traits, in order, with their descriptions', (name, traits, help) => {
    const expected = Object.entries(traits).map(([trait, what]) => `- \`${trait}\`: ${what}\n`).join('');
    expect(listed(name)).toBe(expected);
    expect(help.split('\n').map((line) => line.trim().split(/\s{2,}/))).toEqual(Object.entries(traits));
  });
});
