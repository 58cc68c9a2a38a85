// tests/support/front.ts stands between verify and a provider in eleven test files. It passed a request on with
// Node's merged headers (two Authorization lines became the first, two X- lines one joined by ", "), so the
// provider judged other header lines than verify sent: it now passes the lines as they came, as the kit reads them.
// Every test that uses it passed before and after, so no verdict depended on the merge (round 10).
import { createServer, request } from 'node:http';
import { frontOf } from '../support/front';
import { listenOnLoopback } from '../support/listen';

it('passes a request on with its header lines as they came: a field given twice stays two lines', async () => {
  let seen: string[] = [];
  const target = await listenOnLoopback(createServer((req, res) => ((seen = req.rawHeaders), res.end())));
  const front = await frontOf(target, () => false);
  try {
    const lines = ['Authorization', 'Bearer first-0123456789', 'Authorization', 'Bearer second-0123456789', 'X-Trace', 'a', 'x-trace', 'b'];
    // Header lines as an array are sent as given, Host included (Node adds none then).
    await new Promise<void>((resolve, reject) => request(`${front.url}/beta/x`, { method: 'GET', headers: ['Host', new URL(front.url).host, ...lines], agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject).end());
    const pairs = (raw: string[]) => raw.flatMap((name, i) => (i % 2 === 0 ? [`${name}: ${raw[i + 1]}`] : []));
    expect(pairs(seen).filter((line) => /^(authorization|x-trace):/i.test(line))).toEqual(pairs(lines));
  } finally {
    await front.close();
    await target.close();
  }
});
