import { drift, formatDrift } from './src/drift';
(async () => {
  for (const [f, p] of [['tests/drift/metadata/beta-vppToken.csdl.xml','beta'],['tests/drift/metadata/v1.0-vppToken.csdl.xml','v1.0'],['tests/drift/metadata/beta-vppToken.openapi.yaml','beta'],['tests/drift/metadata/v1.0-vppToken.openapi.yaml','v1.0'],['/tmp/v1.csdl','v1.0']] as const) {
    const t = Date.now();
    const r = await drift({ metadata: f, profile: p });
    console.log(formatDrift(r), Date.now() - t, 'ms\n');
  }
})().catch((e) => { console.error(e); process.exit(1); });
