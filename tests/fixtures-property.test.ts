// Property test: whatever the seed, index and traits, every fixture is valid against its schema.
import { createRequestFactory, formatProblems, graphErrorFactory, graphErrorTraits, problemsOf, vppTokenActionResultFactory, vppTokenActionResultTraits, vppTokenFactory, vppTokenTraits, type VppTokenTrait } from 'vpptokens-contract-kit';

const traits = Object.keys(vppTokenTraits) as VppTokenTrait[];
// Every single trait, plus pairs that combine a shape with a state.
const combinations: VppTokenTrait[][] = [[], ...traits.map((t) => [t]), ['minimal', 'expired'], ['full', 'nulls'], ['full', 'syncFailed', 'education'], ['minimal', 'nulls'], ['withActionResults', 'nulls', 'invalid']];

it('builds 10,000+ valid request and response fixtures across seeds and traits', () => {
  let checked = 0;
  const failures: string[] = [];
  for (const combo of combinations) {
    for (let seed = 0; seed < 20; seed++) {
      const requests = createRequestFactory.withSeed(seed * 7919).withTraits(...combo);
      const responses = vppTokenFactory.withSeed(seed * 7919).withTraits(...combo);
      for (let i = 0; i < 16; i++) {
        for (const [kind, record] of [['request', requests.buildAt(i * 101)], ['response', responses.buildAt(i * 101)]] as const) {
          const problems = problemsOf(kind, record);
          if (problems.length) failures.push(`${kind} seed=${seed} traits=${combo} i=${i}\n${formatProblems(problems)}`);
          checked++;
        }
      }
    }
  }
  expect(failures.slice(0, 3)).toEqual([]);
  expect(checked).toBeGreaterThanOrEqual(10_000);
});

it('builds each action result as one type: the derived properties only with the derived @odata.type', () => {
  const combinations: (keyof typeof vppTokenActionResultTraits)[][] = [[], ['annotated'], ['revokeLicenses'], ['revokeLicenses', 'annotated'], ['failed', 'nulls'], ['revokeLicenses', 'failed', 'nulls'], ['annotated', 'failed']];
  for (const traits of combinations) {
    for (const r of vppTokenActionResultFactory.withSeed(5).withTraits(...traits).buildList(30)) {
      const derived = r['@odata.type'] === '#microsoft.graph.vppTokenRevokeLicensesActionResult';
      expect([traits, derived]).toEqual([traits, traits.includes('revokeLicenses')]);
      expect(['actionFailureReason', 'failedLicensesCount', 'totalLicensesCount'].filter((k) => k in r)).toEqual(derived ? ['actionFailureReason', 'failedLicensesCount', 'totalLicensesCount'] : []);
      expect(r['@odata.type']).toBe(derived ? '#microsoft.graph.vppTokenRevokeLicensesActionResult' : traits.includes('annotated') ? '#microsoft.graph.vppTokenActionResult' : undefined);
    }
  }
});

it('builds valid action results and Graph errors for every trait', () => {
  for (const trait of Object.keys(vppTokenActionResultTraits) as (keyof typeof vppTokenActionResultTraits)[]) {
    for (const r of vppTokenActionResultFactory.withSeed(3).withTraits(trait).buildList(50)) expect(problemsOf('actionResult', r)).toEqual([]);
  }
  for (const trait of Object.keys(graphErrorTraits) as (keyof typeof graphErrorTraits)[]) {
    for (const e of graphErrorFactory.withSeed(3).withTraits(trait).buildList(50)) expect(problemsOf('error', e)).toEqual([]);
  }
});
