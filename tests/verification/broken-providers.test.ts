// Issue 7: the contract tells a correct provider from a broken one. One verification per provider and way, a
// few at a time (jest's maxConcurrency). A broken provider is verified against one interaction it fails (a run
// costs some 8 ms of CPU per interaction: all 18 for each of 40 defects was half the file); a correct one against
// every interaction, as a false finding may hide in any of them.
import { dirname } from 'node:path';
import { VPP_TOKENS_PROVIDER } from 'vpptokens-contract-kit/pact';
import { CANONICAL_PACT, verifyProvider } from 'vpptokens-contract-kit/provider';
import { run as vppkit } from '../support/run-cli';
import { caughtByPactAlone, defectNames, defects, graphStyles, interactionBroken, startBrokenProvider, startGraphStyleProvider } from '../support/broken-provider';

// One verification per provider and way: verify (Pact plus the schemas' judgement of every answer), and Pact's
// own verifier on the committed pact file alone, which is what any other Pact tool sees.
const issue7 = defects.slice(defects.indexOf('roleScopeTagIds as a string'));

// Pact's verifier itself: pact-core, the Rust core that pact-js's Verifier runs (the one the installed pact-js
// uses), with nothing in between. pact-js's Verifier adds only a proxy for request filters and state handlers,
// which these verifications have none of: it answers Pact's state-change calls and relays each request, about
// 0.3 s of CPU of a 0.5 s run.
const pactCore = require(require.resolve('@pact-foundation/pact-core', { paths: [dirname(require.resolve('@pact-foundation/pact/package.json'))] }))
  .default as typeof import('@pact-foundation/pact-core').default;
pactCore.logLevel('error');
/**
 * Pact's verdict: true when every interaction passed, false when Pact reported failed ones; a verifier that could not
 * run throws. With `description`, of the interactions whose description holds it only: Pact's own filter, which it
 * reads from PACT_DESCRIPTION (a regular expression) while verifyPacts sets up, before it returns, so that
 * verifications running at the same time each keep their own.
 */
function plainVerifier(providerBaseUrl: string, description?: string): Promise<boolean> {
  const before = process.env.PACT_DESCRIPTION;
  if (description !== undefined) process.env.PACT_DESCRIPTION = description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    return pactCore.verifyPacts({ provider: VPP_TOKENS_PROVIDER, providerBaseUrl, pactUrls: [CANONICAL_PACT], logLevel: 'error' }).then(
      () => true,
      (error: Error) => {
        const report = JSON.parse(error.message) as { errors?: unknown[] };
        if (!report.errors?.length) throw error;
        return false;
      },
    );
  } finally {
    if (before === undefined) delete process.env.PACT_DESCRIPTION;
    else process.env.PACT_DESCRIPTION = before;
  }
}

describe('broken providers', () => {
  it.concurrent.each(defects)('%s fails verification of an interaction it breaks, naming its fault', async (defect) => {
    const broken = await startBrokenProvider(defect);
    try {
      const result = await verifyProvider({ providerBaseUrl: broken.url, interaction: interactionBroken(defect) });
      expect(result.interactions.map((i) => i.description)).toEqual([expect.stringContaining(interactionBroken(defect))]);
      expect(result.passed).toBe(false);
      const failed = result.interactions.filter((i) => !i.passed);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((i) => i.mismatches.length > 0)).toBe(true);
      expect(failed.map((i) => [i.description, ...i.mismatches].join('\n')).join('\n')).toMatch(defectNames(defect));
      // Pact's own verdict, from the pact file's rules alone (proves item 1 without the schemas' judgement)...
      if (caughtByPactAlone(defect)) expect(failed.some((i) => i.pactMismatches.length > 0)).toBe(true);
      // ...and, for issue 7's classes, a plain pact-js Verifier with no vppkit in between.
      if (caughtByPactAlone(defect) && issue7.includes(defect)) expect(await plainVerifier(broken.url, interactionBroken(defect))).toBe(false);
    } finally {
      await broken.close();
    }
  });
});

describe('correct providers answering Graph-style', () => {
  it.concurrent.each(graphStyles)('%s passes verify and a plain Pact verification', async (style) => {
    const provider = await startGraphStyleProvider(style);
    try {
      const result = await verifyProvider({ providerBaseUrl: provider.url });
      expect(result.interactions.flatMap((i) => i.mismatches)).toEqual([]);
      expect(result.passed).toBe(true);
      expect(await plainVerifier(provider.url)).toBe(true);
    } finally {
      await provider.close();
    }
  });
});

describe('vppkit verify', () => {
  it('reports the schemas\' judgement of an answer with its JSON pointer, and exits 1', async () => {
    const broken = await startBrokenProvider('@odata.type naming another type');
    try {
      const result = await vppkit(['verify', '--provider-base-url', broken.url, '--interaction', 'with every property']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        'a request to create a vppToken with every property: response schema: body /@odata.type: must be one of #microsoft.graph.vppToken, microsoft.graph.vppToken, #graph.vppToken, graph.vppToken (got "#microsoft.graph.iosVppApp")',
      );
    } finally {
      await broken.close();
    }
  });
});
