// A body that starts with a byte order mark (outside tester I4, decision 0212). RFC 8259 §8.1: senders MUST NOT
// add one, and "JSON parsers MAY ignore the presence of a byte order mark rather than treating it as an error".
// conform's case passes a provider that refuses it with 400 and one that ignores it and creates the same vppToken
// as without the mark; it fails any other answer: a 500, or a 201 whose values are not what was sent.
import { conform, type ConformResult } from 'vpptokens-contract-kit/conform';
import { caseOfFinding, type ReplayFinding } from '../../src/conform/select';
import { startGraphStyleProvider, type Bug, type Quirk } from './providers';
import { testEnd } from '../support/test-end';

const FAMILY = 'a byte order mark';

async function against(bug: Bug | undefined, quirks: Quirk[] = [], options: Parameters<typeof conform>[0] = {}): Promise<{ result: ConformResult; bomCreates: number }> {
  // Not about the body's size: a 64 KiB limit on both sides (decision 0225).
  const provider = await startGraphStyleProvider(bug, quirks, { bodyLimit: 64 * 1024 });
  try {
    const result = await conform({ signal: testEnd(), providerBaseUrl: provider.url, bearer: 'bom-bearer', seed: 7, runs: 5, bodyLimit: 64 * 1024, ...options });
    return { result, bomCreates: provider.bomCreates ?? 0 };
  } finally {
    await provider.close();
  }
}

describe('conform: a body with a byte order mark, refused or read past', () => {
  // A provider that refuses it with 400 (the Graph-style provider, as the kit itself) passes: conform.test.ts's
  // 'passes a Graph-style provider'.
  it('passes a provider that ignores the mark and creates what the body after it says', async () => {
    const { result, bomCreates } = await against(undefined, ['ignores a byte order mark']);
    expect(result.findings.map((f) => `${f.family}: ${f.check}: ${f.message}`)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(bomCreates).toBeGreaterThan(0);
  });

  it('fails a provider that answers it with 500', async () => {
    // A 500 is never read back: the run leaves read-back out (decision 0305), and every other check judges as before.
    const { result } = await against('a 500 on a byte order mark', [], { excludeChecks: ['read-back'] });
    expect(result.passed).toBe(false);
    const found = result.findings.filter((f) => f.family === FAMILY);
    expect(found.map((f) => [f.check, f.answer.status])).toEqual([['not a server error', 500]]);
    expect(found[0].message).toBe('must be 400, not a server error (got 500); or 201 with the vppToken the body describes: a JSON parser may ignore a byte order mark (RFC 8259 §8.1)');
  });

  it('fails a provider that creates from it a vppToken other than the one sent', async () => {
    const { result } = await against('creates something else from a body with a byte order mark');
    expect(result.passed).toBe(false);
    const found = result.findings.filter((f) => f.family === FAMILY);
    expect(found.map((f) => [f.check, f.answer.status])).toEqual([['values back', 201]]);
    expect(found[0].message).toMatch(/as the client set it/);
    expect(result.findings.filter((f) => f.family !== FAMILY)).toEqual([]);
    // --replay judges it the same way: the create the body after the mark describes.
    const again = caseOfFinding(JSON.parse(JSON.stringify(found[0])) as ReplayFinding);
    expect(again.mayCreate).toBe('a JSON parser may ignore a byte order mark (RFC 8259 §8.1)');
    expect(found[0].request.body!.startsWith('\uFEFF')).toBe(true);
    expect(again.request).toEqual(JSON.parse(found[0].request.body!.slice(1)));
  });
});
