process.env.SSL_CERT_DIR = '/tmp/sv/empty'; process.env.SSL_CERT_FILE = __dirname + '/tests/support/trusts-nothing.pem'; process.env.PACT_DO_NOT_TRACK = 'true';
const { verifyProvider, startReferenceProvider } = require('./dist/entries/provider');
(async () => {
  const p = await startReferenceProvider();
  await verifyProvider({ providerBaseUrl: p.url, logLevel: 'error' });
  const t = process.cpuUsage(); const w = Date.now();
  for (let i = 0; i < 20; i++) await verifyProvider({ providerBaseUrl: p.url, logLevel: 'error' });
  const c = process.cpuUsage(t);
  process.stderr.write(`20 verifications: cpu ${((c.user + c.system) / 1e6).toFixed(2)} (user ${(c.user/1e6).toFixed(2)}) wall ${Date.now() - w}\n`);
  await p.close();
})();
