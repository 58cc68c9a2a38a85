// Reading and writing records at the edges: long lines, deep nesting, slow readers. No timing: the tests count work.
import { Readable, Writable } from 'node:stream';
import { findJsonSyntaxError, readRecords, writeGenerated } from 'vpptokens-contract-kit';
import { parseJson } from '../src/wire';

/**
 * Sums how many characters or bytes every indexOf/search/includes call looked at, on strings and Buffers: from where
 * it started to the match it found, or to the end when it found none (an `includes` that found one counts to the end).
 * A search that stops at a match near its start looked at little: the JSON readers find each string's end with
 * indexOf (src/wire/strings.ts), a search per string that stops at its closing quote.
 */
function countScanning(): { scanned: () => number; restore: () => void } {
  let scanned = 0;
  const spies: jest.SpyInstance[] = [];
  const wrap = <T extends object>(proto: T, name: keyof T & string) => {
    const fn = (proto as Record<string, (...args: unknown[]) => unknown>)[name];
    spies.push(
      jest.spyOn(proto as Record<string, (...args: unknown[]) => unknown>, name).mockImplementation(function (this: { length: number }, ...args: unknown[]) {
        const result = fn.apply(this, args);
        const from = typeof args[1] === 'number' ? Math.max(0, args[1]) : 0;
        const to = typeof result === 'number' && result >= 0 ? result + 1 : this.length;
        if (this.length > 1024) scanned += Math.max(0, to - Math.min(from, this.length));
        return result;
      }),
    );
  };
  wrap(String.prototype, 'indexOf');
  wrap(String.prototype, 'includes');
  wrap(String.prototype, 'search');
  wrap(Buffer.prototype, 'indexOf');
  return { scanned: () => scanned, restore: () => spies.forEach((s) => s.mockRestore()) };
}

function* pieces(text: string, size: number): Generator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('reading NDJSON', () => {
  it('looks at each byte of a long line a bounded number of times, however it is chunked', async () => {
    const line = JSON.stringify({ token: 'abc', displayName: 'x'.repeat(2 * 1024 * 1024) });
    const input = `${line}\n${line}\n`;
    const counter = countScanning();
    const seen: number[] = [];
    try {
      for await (const record of readRecords(Readable.from(pieces(input, 4096)), 'ndjson')) seen.push(record.line);
    } finally {
      counter.restore();
    }
    expect(seen).toEqual([1, 2]);
    // A reader that searches its whole buffer again for each new chunk looks at about 1,000 times more.
    expect(counter.scanned()).toBeLessThanOrEqual(4 * input.length);
  });

  it('keeps a character split between two chunks whole', async () => {
    const input = `${JSON.stringify({ token: 'abc', displayName: 'é€𝄞'.repeat(50) })}\n`;
    const records = [];
    for await (const record of readRecords(Readable.from(pieces(input, 1)), 'auto')) records.push(record);
    expect(records).toEqual([{ index: 0, line: 1, value: JSON.parse(input) }]);
  });
});

describe('the JSON error locator', () => {
  it.each([20_000, 100_000])('gives a line and column after %i nested brackets', (depth) => {
    const text = `${'['.repeat(depth)}\n${']'.repeat(depth - 1)}}`;
    expect(findJsonSyntaxError(text)).toEqual({ offset: text.length - 1, line: 2, column: depth, message: `unexpected character "}" where ',' or ']' was expected` });
  });

  // Outside tester I23, rest (decision 0222): a number was read from its first 400 characters only, so a longer one
  // (RFC 8259 §6 sets no length; the body limit bounds it) was "not JSON" where its 401st character stood.
  it.each([401, 5_000, 1_000_000])('takes a number of %i characters: RFC 8259 gives a number no length', (length) => {
    const long = `1.${'0'.repeat(length - 3)}1`;
    const text = `{"totalLicensesCount":${long},"usedLicensesCount":-${long}e-5}`;
    expect(findJsonSyntaxError(text)).toBeUndefined();
    expect(parseJson(text)).toEqual({ ok: true, value: { totalLicensesCount: 1, usedLicensesCount: -0.00001 } });
    // Broken at its end, it is refused there, for what is there.
    const broken = `{"n":${long}x}`;
    expect(findJsonSyntaxError(broken)).toEqual({ offset: 5 + long.length, line: 1, column: 6 + long.length, message: `unexpected character "x" where ',' or '}' was expected` });
    // A long number no double holds is refused for that, not as JSON syntax.
    expect(parseJson(`{"n":1${'0'.repeat(length)}}`)).toMatchObject({ ok: false, problem: { rule: 'number range' } });
  });

  it('still finds the end of deep valid JSON', () => {
    const text = `${'{"a":['.repeat(20_000)}1${']}'.repeat(20_000)}`;
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });
});

describe('writing generated records to a slow reader', () => {
  it('waits for it without piling up listeners or warnings', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    let most = 0;
    let bytes = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        most = Math.max(most, this.listenerCount('close'), this.listenerCount('drain'), this.listenerCount('error'));
        setImmediate(done);
      },
    });
    try {
      const result = await writeGenerated({ count: 3000, seed: 3 }, slow);
      await new Promise((resolve) => setImmediate(resolve));
      expect(result.closedEarly).toBe(false);
    } finally {
      process.off('warning', onWarning);
    }
    expect(bytes).toBeGreaterThan(64 * 1024 * 3);
    expect(most).toBeLessThanOrEqual(3);
    expect(warnings.map((w) => w.name)).toEqual([]);
  });
});
