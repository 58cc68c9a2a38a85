#!/usr/bin/env node
// Probe for pact-reference#535 (the mock server answers before it books the match): runs N executeTest rounds
// WITHOUT settleMockServer, each sending one request and returning as soon as the answer's last byte is read,
// while busy loops load every core. Prints how many rounds Pact failed with "expected but not received".
// Usage: node scripts/probe-mock-race.js [rounds=300]   (resolves @pact-foundation/pact from the current folder)
'use strict';
process.env.PACT_DO_NOT_TRACK = 'true';
const { fork } = require('node:child_process');
const { request } = require('node:http');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir, cpus } = require('node:os');
const { join } = require('node:path');

if (process.argv[2] === '--burn') {
  for (;;) Math.sqrt(Math.random());
}

const { PactV4 } = require(require.resolve('@pact-foundation/pact', { paths: [process.cwd()] }));
const pactVersion = require(require.resolve('@pact-foundation/pact/package.json', { paths: [process.cwd()] })).version;
const rounds = Number(process.argv[2] ?? 300);

function post(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end('{"token":"x"}');
  });
}

(async () => {
  const burners = cpus().map(() => fork(__filename, ['--burn'], { stdio: 'ignore' }));
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-race-'));
  let failed = 0;
  const messages = new Set();
  try {
    for (let i = 0; i < rounds; i++) {
      const pact = new PactV4({ consumer: 'race-probe', provider: 'race-provider', dir, logLevel: 'error' });
      try {
        await pact
          .addInteraction()
          .uponReceiving(`round ${i}`)
          .withRequest('POST', '/x', (b) => b.jsonBody({ token: 'x' }))
          .willRespondWith(201, (b) => b.jsonBody({ id: '1' }))
          .executeTest(async (mockServer) => post(`${mockServer.url}/x`));
      } catch (error) {
        failed++;
        messages.add(String(error.message).split('\n').find((l) => /expected|not received|mismatch/i.test(l)) ?? String(error.message).slice(0, 120));
      }
    }
  } finally {
    for (const b of burners) b.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`pact ${pactVersion} on Node ${process.versions.node}: ${failed} of ${rounds} rounds failed without settleMockServer`);
  for (const m of messages) console.log(`  ${m.trim()}`);
})();
