import { writePact, createInteraction } from '../src/contract';
import { createRequestFactory } from '../src/fixtures';
const r = createRequestFactory.withSeed(31);
(async () => {
  const runs: [string, any[]][] = [['A', [r.buildAt(0)]], ['B', [r.buildAt(2), r.withTraits('minimal').buildAt(3)]]];
  for (const [c, set] of runs) {
    try { await writePact(set.map((b) => createInteraction('d' + Object.keys(b).length, b)), { consumer: c, dir: '/tmp/dbg' }); console.log('ok', c); }
    catch (e) { console.log('FAIL', c, (e as Error).message.slice(0, 600)); }
  }
})();
