import { createProgress, type SeedCounts } from 'vpptokens-contract-kit/seed';

const counts = (total: number, created = total): SeedCounts => ({ total, created, createdAgain: 0, failed: total - created, invalid: 0, unknown: 0, notSent: 0 });

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (text: string) => written.push(text) }, written };
}

describe('seed progress', () => {
  it('draws a bar in place on a terminal, at most every 100 ms, and clears it at the end', () => {
    let now = 0;
    const { stream, written } = fakeStream(true);
    const progress = createProgress(stream, 150, () => now);
    now = 50;
    progress.update(counts(10));
    expect(written).toEqual([]);
    now = 1000;
    progress.update(counts(75, 74));
    now = 1050;
    progress.update(counts(80));
    expect(written).toEqual([`\r[${'#'.repeat(12)}${' '.repeat(12)}] 75/150 done: 74 created, 1 failed, 0 unknown, 0 invalid (74/s)\u001b[K`]);
    now = 2000;
    progress.update(counts(150));
    expect(written[1]).toMatch(/^\r\[#{24}\] 150\/150 done: 150 created/);
    progress.done();
    expect(written[2]).toBe('\r\u001b[K');
  });

  it('writes a plain line every 5 s when stderr is not a terminal, and nothing to clear', () => {
    let now = 0;
    const { stream, written } = fakeStream(false);
    const progress = createProgress(stream, undefined, () => now);
    now = 4000;
    progress.update(counts(10));
    now = 5000;
    progress.update(counts(20));
    now = 6000;
    progress.update(counts(30));
    progress.done();
    expect(written).toEqual(['seed: 20 done: 20 created, 0 failed, 0 unknown, 0 invalid (4/s)\n']);
  });
});
