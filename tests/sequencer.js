// The order jest's workers take the test files in (docs/decisions/0187). jest runs the files that failed last time
// first, then the longest by its own timings from earlier runs, and without timings (a fresh clone: every CI run)
// the largest files first. A few small files cost far more than their size says (each verifies dozens of
// providers, or runs dozens of conform runs or client processes): ordered by size they started among the last, and
// one worker ended the run with one of them while the other had nothing left. Without timings those start first,
// costliest first; with timings jest's own order stands.
const Sequencer = require('@jest/test-sequencer').default;
const { relative } = require('node:path');

/**
 * The files that take longest, longest first: wall time on an idle machine, Node 20, three workers, at round ten's
 * end (docs/decisions/0187; round nine's cuts moved broken-providers, conform's CLI and select down, 0305, 0311,
 * 0315). Wall, not CPU, decides the tail: check-client's files wait on Retry-After pauses and client processes.
 */
const COSTLIEST = [
  'tests/conform/conform.test.ts',
  'tests/cli/policy.test.ts',
  'tests/client-check/faults.test.ts',
  'tests/client-check/example.test.ts',
  'tests/client-check/check-client.test.ts',
  'tests/compare/compare.test.ts',
  'tests/client-check/process.test.ts',
  'tests/conform/cli.test.ts',
  'tests/cli/seed.test.ts',
  'tests/real-clients/real-clients.test.ts',
  'tests/verification/broker-relay.test.ts',
  'tests/profiles/verify-v1.test.ts',
  'tests/cli/verify-edges.test.ts',
  'tests/seed/seed.test.ts',
  'tests/real-clients/real-clients-v1.test.ts',
  'tests/conform/requests.test.ts',
  'tests/conform/select.test.ts',
  'tests/wire/header-rules-pact.test.ts',
  'tests/conform/profile.test.ts',
  'tests/behaviour/judge.test.ts',
  'tests/verification/broken-providers.test.ts',
  'tests/conform/every-failure.test.ts',
  'tests/generated-types.test.ts',
  'tests/openapi/openapi.test.ts',
];

class CostliestFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const rank = (test) => {
      const at = COSTLIEST.indexOf(relative(test.context.config.rootDir, test.path).split('\\').join('/'));
      return at < 0 ? COSTLIEST.length : at;
    };
    return sorted.map((test, i) => ({ test, i })).sort((a, b) => rank(a.test) - rank(b.test) || a.i - b.i).map(({ test }) => test);
  }
}

module.exports = CostliestFirst;
module.exports.COSTLIEST = COSTLIEST;
