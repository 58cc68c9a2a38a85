// The order jest's workers take the test files in (docs/decisions/0187). jest runs the files that failed last time
// first, then the longest by its own timings from earlier runs, and without timings (a fresh clone: every CI run)
// the largest files first. A few small files cost far more than their size says (each verifies dozens of
// providers, or runs dozens of conform runs or client processes): ordered by size they started among the last, and
// one worker ended the run with one of them while the other had nothing left. Without timings those start first,
// costliest first; with timings jest's own order stands.
const Sequencer = require('@jest/test-sequencer').default;
const { relative } = require('node:path');

/**
 * The files that take longest, longest first: wall time on an idle machine (the lead's CI run in a fresh clone at
 * 5141e0f, Node 20, three workers; docs/decisions/0187), broken-providers moved down after 0252 and the CLI's verify
 * files after 0253 cut their CPU; then the costliest in CPU not among them. Wall, not CPU, decides the tail:
 * check-client's faults, example and process files wait on real Retry-After pauses and client processes.
 */
const COSTLIEST = [
  'tests/conform/conform.test.ts',
  'tests/client-check/faults.test.ts',
  'tests/client-check/check-client.test.ts',
  'tests/client-check/example.test.ts',
  'tests/wire/framing.test.ts',
  'tests/real-clients/real-clients.test.ts',
  'tests/client-check/process.test.ts',
  'tests/verification/broken-providers.test.ts',
  'tests/conform/cli.test.ts',
  'tests/openapi/openapi.test.ts',
  'tests/cli/policy.test.ts',
  'tests/cli/seed.test.ts',
  'tests/cli/check-client.test.ts',
  'tests/real-clients/real-clients-v1.test.ts',
  'tests/wire/location-host.test.ts',
  'tests/cli/verify-edges.test.ts',
  'tests/conform/select.test.ts',
  'tests/verification/malformed-heads.test.ts',
  'tests/conform/profile.test.ts',
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
