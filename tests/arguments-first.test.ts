// Outside finding R105 (decision 0941): inspectSeedFile(missing, 'NDJSON') opened the file's stream, then refused the
// format (readRecords asked it); the caller caught the RangeError, and the stream's ENOENT came after it on a stream no
// one listened to, ending the process. Every argument is now asked before anything is opened, read or written; runSeed's
// format and profile too (a format read stdin first, a profile wrote the report first), and strengthenPact's profile
// (one the kit does not know was written into the pact).
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { strengthenPact } from 'vpptokens-contract-kit/pact';
import { inspectSeedFile, runSeed, SeedSetupError } from 'vpptokens-contract-kit/seed';
import { startSeedTarget } from './support/seed-target';

const dir = fs.mkdtempSync(join(tmpdir(), 'vppkit-arguments-first-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const FORMAT = 'format must be one of auto, json, ndjson (got "NDJSON")';
const untyped = <T>(value: unknown): T => value as T;

/** Resolves once the events already due (a stream's open and its error) have run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('inspectSeedFile asks its arguments before it opens the file', () => {
  it('refuses a wrong format or label with the error alone, nothing after it; right ones read the file or say it is missing', async () => {
    const missing = join(dir, 'missing.ndjson');
    const uncaught: unknown[] = [];
    const listen = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', listen);
    try {
      await expect(inspectSeedFile(missing, untyped('NDJSON'))).rejects.toThrow(new RangeError(FORMAT));
      await expect(inspectSeedFile(missing, 'ndjson', untyped(42))).rejects.toThrow(new TypeError('label must be a string (got 42)'));
      await settled();
      expect(uncaught).toEqual([]);
      // The other way: the right format on the missing file is the file's error, said as the kit says it.
      await expect(inspectSeedFile(missing, 'ndjson')).rejects.toThrow(new SeedSetupError(`cannot read ${missing}: no such file or folder (ENOENT)`));
    } finally {
      process.off('uncaughtException', listen);
    }
    const file = join(dir, 'one.ndjson');
    fs.writeFileSync(file, `${JSON.stringify(createRequestFactory.withSeed(941).buildAt(0))}\n`);
    await expect(inspectSeedFile(file, 'ndjson')).resolves.toMatchObject({ path: file, records: 1 });
  });
});

describe('runSeed asks its format and profile before it reads stdin or writes the report', () => {
  it('leaves stdin unread and no report for a wrong one; right ones seed', async () => {
    const target = await startSeedTarget(() => ({ kind: 'create', delayMs: 0 }));
    const record = `${JSON.stringify(createRequestFactory.withSeed(942).buildAt(0))}\n`;
    const base = { target: `${target.url}/beta`, bearer: 'arguments-first-bearer' };
    try {
      const stdin = new PassThrough();
      stdin.end(record);
      const report = join(dir, 'format.ndjson');
      await expect(runSeed({ ...base, report, from: '-', stdin, format: untyped('NDJSON') })).rejects.toThrow(new TypeError(FORMAT));
      expect([stdin.readableLength, fs.existsSync(report)]).toEqual([Buffer.byteLength(record), false]);
      const profiled = join(dir, 'profile.ndjson');
      await expect(runSeed({ ...base, report: profiled, generate: { count: 1 }, profile: untyped('v2') })).rejects.toThrow(new RangeError('profile must be one of beta, v1.0 (got "v2")'));
      expect(fs.existsSync(profiled)).toBe(false);
      // The other way: the same stdin with the right format, and the right profile, seed their record.
      await expect(runSeed({ ...base, report, from: '-', stdin, format: 'ndjson' })).resolves.toMatchObject({ total: 1, created: 1 });
      await expect(runSeed({ ...base, report: profiled, generate: { count: 1 }, profile: 'v1.0' })).resolves.toMatchObject({ total: 1, created: 1 });
    } finally {
      await target.close();
    }
  });
});

describe('strengthenPact asks its profile before it reads or writes the pact', () => {
  it('refuses a profile the kit does not know, the file left as it was; a known one is recorded', () => {
    const file = join(dir, 'pact.json');
    const text = `${JSON.stringify({ consumer: { name: 'a' }, provider: { name: 'b' }, interactions: [], metadata: { pactSpecification: { version: '3.0.0' } } })}\n`;
    fs.writeFileSync(file, text);
    const PROFILE = new RangeError('profile must be one of beta, v1.0 (got "v2")');
    expect(() => strengthenPact(file, untyped('v2'))).toThrow(PROFILE);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(() => strengthenPact(join(dir, 'no-pact.json'), untyped('v2'))).toThrow(PROFILE);
    // The other way: a profile it knows is recorded in the pact.
    expect(strengthenPact(file, 'v1.0')).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ metadata: { vppkit: { profile: 'v1.0' } } });
  });
});
