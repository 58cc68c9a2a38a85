import { Readable } from 'node:stream';
import { readRecords } from '../src/validation';
const cases = ['{"a":1}\n{"b":2}\n\n{bad}\n42\n', '[\n {"a":1},\n {"b":[1,2,"]"]}\n]\n', '[{"a":1}, {"b": oops}]', '{\n "a": 1\n}\n', '[]', '[{"a":1}', '[{"a":1}] x', '   '];
(async () => { for (const c of cases) { try { const out = []; for await (const r of readRecords(Readable.from([c.slice(0,5), c.slice(5)]))) out.push(r); console.log(JSON.stringify(c), JSON.stringify(out)); } catch (e) { console.log(JSON.stringify(c), 'ERR', (e as Error).message); } } })();
