// Pact's native core sends usage telemetry unless told not to, and there is no network here.
process.env.PACT_DO_NOT_TRACK = 'true';

// pact-js logs through console.log. Two of its lines are expected in a passing run and say nothing the
// assertions don't: a negative verification test's "Verification unsuccessful" and the native library's
// start-up note. Everything else it logs (real errors, mismatches) still shows.
const EXPECTED_PACT_LINES = /\b(ERROR|INFO) \(\d+\): (pact-core@[\d.]+: Verification unsuccessful|[\d.]+: pact native library successfully found)/;
const log = console.log;
console.log = (...args) => {
  if (args.length === 1 && typeof args[0] === 'string' && EXPECTED_PACT_LINES.test(args[0])) return;
  log(...args);
};
