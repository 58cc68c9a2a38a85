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

// Pact's native core installs a process-wide log subscriber when pact-core first loads it. jest gives each test
// file its own module registry, so pact-core initialises the core again in every file that uses Pact, while the
// native library (one per worker process: jest loads .node files with Node's own require) keeps the subscriber of
// the first: each later initialisation printed "Failed to initialise global tracing subscriber" on stderr. The
// core is initialised once per process, as it is outside jest.
try {
  const { dirname } = require('node:path');
  const core = dirname(require.resolve('@pact-foundation/pact-core/package.json'));
  const from = { paths: [core] };
  const musl = process.platform === 'linux' && require(require.resolve('detect-libc', from)).isNonGlibcLinuxSync();
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const suffix = os === 'linux' ? (musl ? '-musl' : '-glibc') : '';
  const prebuilds = dirname(require.resolve(`@pact-foundation/pact-core-${os}-${process.arch}${suffix}/package.json`, from));
  const binding = require(require.resolve('node-gyp-build', from))(prebuilds);
  const once = Symbol.for('vppkit.pact-core-initialised-once');
  if (!binding[once]) {
    const init = binding.pactffiInitWithLogLevel;
    let initialised = false;
    binding.pactffiInitWithLogLevel = (level) => {
      if (initialised) return undefined;
      initialised = true;
      return init(level);
    };
    binding[once] = true;
  }
} catch {
  // No Pact native core here (another platform's layout): Pact then prints its line, nothing else changes.
}
