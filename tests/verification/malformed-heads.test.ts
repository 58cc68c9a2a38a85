// An answer whose head Node's parser refuses (two equal Content-Length lines, a folded header line) is the
// provider's fault: a verdict naming the header, in verify and conform alike, never "could not do the job" or
// "the connection was dropped" (outside tester; docs/decisions/0120).
import { verifyProvider } from 'vpptokens-contract-kit/provider';
import { conform } from 'vpptokens-contract-kit/conform';
import { FAULT_IN_EVERY_ANSWER } from '../support/conform-budget';
import { startRawHeadProvider, type HeadFlaw } from '../support/raw-head-provider';
import { atHeader, type Placed } from '../../src/wire';
import { testEnd } from '../support/test-end';

/** conform's body limit here, and the reference provider's behind the heads: the subject is the head, not the size (decision 0225). */
const SMALL = { bodyLimit: 64 * 1024 };
const cases: [HeadFlaw, Placed, RegExp][] = [
  ['two equal Content-Length lines', atHeader('Content-Length'), /^is given 2 times: it takes one value \(RFC 9110\)/],
  ['a folded header line', atHeader('X-Note'), /^continues on a folded line \(obs-fold, a line starting with a space\), which HTTP\/1\.1 refuses \(RFC 9112 §5\.2\)$/],
];

describe('a provider whose heads are HTTP/1.1', () => {
  it('passes verify and conform through the same hand-written heads', async () => {
    const provider = await startRawHeadProvider('none', SMALL);
    try {
      const verified = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property' });
      expect(verified.interactions.flatMap((i) => i.mismatches)).toEqual([]);
      expect(verified.passed).toBe(true);
      const conformed = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 3, runs: 5, checks: ['not a server error', 'response headers'], ...SMALL });
      expect(conformed.findings).toEqual([]);
    } finally {
      await provider.close();
    }
  });
});

describe.each(cases)('a provider answering with %s', (flaw, where, message) => {
  it('fails verify and conform on that header, as a verdict', async () => {
    const provider = await startRawHeadProvider(flaw, SMALL);
    try {
      const verified = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property' });
      expect(verified.passed).toBe(false);
      expect(verified.interactions).toHaveLength(1);
      expect(verified.interactions[0].answerProblems).toEqual([{ check: 'response headers', ...where, message: expect.stringMatching(message), rule: expect.any(String) }]);
      const conformed = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 3, checks: ['not a server error', 'response headers'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
      expect(conformed.passed).toBe(false);
      expect(conformed.findings.map((f) => f.check)).not.toContain('not a server error');
      expect(conformed.findings[0]).toEqual(expect.objectContaining({ check: 'response headers', ...where, message: expect.stringMatching(message) }));
      expect(JSON.stringify(conformed.findings)).not.toMatch(/dropped/);
    } finally {
      await provider.close();
    }
  });
});

describe('a provider that cuts its answers short (Content-Length says 50 bytes more than come)', () => {
  it('fails verify and conform saying the body was cut short, not that it is empty', async () => {
    const provider = await startRawHeadProvider('a body cut short', SMALL);
    try {
      const cut = /^was cut short: Content-Length says \d+ bytes, \d+ came \(RFC 9112 §6\.3\)$/;
      const verified = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property' });
      expect(verified.passed).toBe(false);
      expect(verified.interactions[0].answerProblems).toEqual([expect.objectContaining({ check: 'response schema', where: 'body', message: expect.stringMatching(cut) })]);
      const conformed = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 3, checks: ['response schema'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
      expect(conformed.findings[0]).toEqual(expect.objectContaining({ check: 'response schema', where: 'body', message: expect.stringMatching(cut) }));
      expect(JSON.stringify(conformed.findings)).not.toMatch(/is empty/);
    } finally {
      await provider.close();
    }
  });
});
