// A 201's Location on another host (outside tester F4; docs/decisions/0126): it must be on the host asked, or on
// the host of the service root the answer's @odata.context names (a gateway's public host, Graph's own). The
// provider here is a front of the reference provider, which names its own address in both: that passes.
import { verifyProvider } from 'vpptokens-contract-kit/provider';
import { conform } from 'vpptokens-contract-kit/conform';
import { startFramingProvider, type FramingProvider } from '../support/framing-provider';

const providers: FramingProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

async function judgedWith(location: (own: string) => string) {
  const provider = await startFramingProvider('content-length', { location });
  providers.push(provider);
  const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property' });
  const conformed = await conform({ providerBaseUrl: `${provider.url}/beta`, seed: 5, runs: 3, checks: ['resource identity'] });
  return { provider, verified, conformed };
}

const entity = (own: string) => own.slice(own.indexOf('/beta/'));

describe("a 201's Location", () => {
  // The other forms (relative, an absolute path, another host spelled absolutely) are the judgement's unit tests
  // (tests/judgement.test.ts); here one of each verdict runs end to end.
  it.each([
    ["on the service's own host, as its @odata.context names it (a front that does not rewrite Location)", (own: string) => own],
  ])('passes verify and conform %s', async (_name, location) => {
    const { verified, conformed } = await judgedWith(location);
    expect(verified.interactions.flatMap((i) => [...i.mismatches, ...i.answerProblems])).toEqual([]);
    expect(conformed.findings).toEqual([]);
  });

  it.each([
    ['a network-path reference to another host', (own: string) => `//evil.example${entity(own)}`],
  ])('fails verify and conform for %s, naming the hosts allowed', async (_name, location) => {
    const { provider, verified, conformed } = await judgedWith(location);
    const why = new RegExp(`^must point at this vppToken: must be on the host asked, ${provider.url.slice(7).replace(/\./g, '\\.')} or the service's own in @odata\\.context, 127\\.0\\.0\\.1:\\d+: it names the host evil\\.example, where this vppToken is not`);
    expect(verified.passed).toBe(false);
    expect(verified.interactions[0].answerProblems).toEqual([{ check: 'resource identity', part: 'header', header: 'Location', where: 'header Location', message: expect.stringMatching(why) }]);
    expect(conformed.passed).toBe(false);
    expect(conformed.findings[0]).toEqual(expect.objectContaining({ check: 'resource identity', where: 'header Location', message: expect.stringMatching(why) }));
  });
});
