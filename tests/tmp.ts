import { createRequestFactory, vppTokenFactory, graphErrorFactory, vppTokenActionResultFactory } from '../src/fixtures';
import { problemsOf } from '../src/validation';
console.log(JSON.stringify(createRequestFactory.withSeed(42).build(), null, 1));
console.log(JSON.stringify(vppTokenFactory.withSeed(42).withTraits('full').build(), null, 1));
console.log(JSON.stringify(graphErrorFactory.build()));
const t = Date.now(); let n = 0;
for (const tr of [[], ['minimal'], ['full'], ['nulls'], ['expired','syncFailed'], ['withActionResults']] as any) {
  for (let i = 0; i < 2000; i++) { const r = createRequestFactory.withTraits(...tr).buildAt(i); const p = problemsOf('request', r); if (p.length) console.log(tr, p); 
  const s = vppTokenFactory.withTraits(...tr).buildAt(i); const q = problemsOf('response', s); if (q.length) console.log(tr, q); n += 2 }
}
console.log(n, Date.now() - t, 'ms');
const f = createRequestFactory.withSeed(7); let t2 = Date.now(); for (let i = 0; i < 50000; i++) f.buildAt(i); console.log('50k req build ms', Date.now() - t2);
const g = vppTokenFactory.withSeed(7); t2 = Date.now(); for (let i = 0; i < 50000; i++) JSON.stringify(g.buildAt(i)); console.log('50k resp build+stringify ms', Date.now() - t2);
const recs = Array.from({length: 50000}, (_, i) => g.buildAt(i)); t2 = Date.now(); for (const r of recs) JSON.stringify(r); console.log('50k stringify ms', Date.now() - t2);
