// Runs once before jest's workers start.
// 1. The CLI tests run the built dist/: rebuild it when any source is newer (tests/build-dist.js), so `npx jest`
//    never tests stale code. `npm test` builds it first, beside the type check (scripts/test-prepare.js): then
//    there is nothing left to build here.
// 2. Every temp file of the run (tests, the CLI's children, Pact) goes to one folder, removed by global-teardown.js.
// 3. Pact's native verifier reads the system's root certificates for every request it sends (each file of
//    /etc/ssl/certs, about 7 ms of CPU a request here): in the suite it sends to 127.0.0.1 over plain HTTP only
//    (verify's forwarder and state relay, a fake broker, a provider under test), so the run gives it a store that
//    trusts nothing, as the environment variables it reads say (SSL_CERT_FILE, SSL_CERT_DIR; decision 0252): an empty
//    folder, and a file holding one self-signed certificate whose key was thrown away. Not an empty file: pact-js
//    17's verifier refuses to build its HTTP client from a file without a certificate ("builder error" on every
//    request), pact-js 16's takes it.
const { mkdirSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { buildDist } = require('./build-dist');

module.exports = async function globalSetup() {
  const code = await buildDist();
  if (code !== 0) throw new Error(`the build of dist/ failed (tsc -b tsconfig.build.json exited ${code}): its errors are above`);
  const runTemp = mkdtempSync(join(tmpdir(), 'vppkit-jest-'));
  process.env.VPPKIT_JEST_TEMP = runTemp;
  process.env.TMPDIR = runTemp;
  const noCertificates = join(runTemp, 'no-certificates');
  mkdirSync(noCertificates);
  process.env.SSL_CERT_DIR = noCertificates;
  process.env.SSL_CERT_FILE = join(__dirname, 'support', 'trusts-nothing.pem');
};
