import { Verifier } from '@pact-foundation/pact';
import { startReferenceProvider } from '../src/provider';
(async () => {
  const p = await startReferenceProvider({ log: (l) => console.error('LOG', l) });
  try {
    const out = await new Verifier({ providerBaseUrl: p.url + '/beta', pactUrls: ['/tmp/pacts-try/x-microsoft-graph-vpptokens.json'], logLevel: 'error' as any, provider: 'microsoft-graph-vpptokens' }).verifyProvider();
    console.log('RESOLVED', out);
  } catch (e) { console.log('REJECTED', (e as Error).message.slice(0, 3000)); }
  await p.close();
})();
