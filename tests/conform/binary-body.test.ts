// A conform request whose body is not UTF-8 text (a gzip body, Latin-1 bytes) is shown in a report by its size,
// not as raw bytes, and --replay sends the very same bytes again (outside tester: a gzip body was printed raw).
import { gzipSync } from 'node:zlib';
import { bodyBytesOf, type ConformCase } from '../../src/conform/case';
import { describeRequest } from '../../src/conform/report';
import { caseOfFinding, replayDataOf } from '../../src/conform/select';

const url = 'http://127.0.0.1:1/deviceAppManagement/vppTokens';
const gzipCase: ConformCase = {
  kind: 'transport',
  family: 'a gzip body',
  fault: 'a gzip body',
  statuses: [400, 413, 415],
  headers: { 'Content-Type': 'application/json' },
  extraHeaderLines: [['Content-Encoding', 'gzip']],
  body: gzipSync(Buffer.from(`{"token":"${'a'.repeat(5000)}"}`)).toString('latin1'),
  bodyEncoding: 'latin1',
};
const textCase: ConformCase = { kind: 'invalid', family: 'text', fault: 'text', statuses: [400], headers: { 'Content-Type': 'application/json' }, body: '{"token":"é"}' };

function replayed(c: ConformCase): ConformCase {
  const request = describeRequest(url, c);
  const replay = replayDataOf(c, request.body, []);
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
  return caseOfFinding({ check: 'negative data rejected', where: 'status', family: c.family, request: { ...request, method: 'POST', headers }, replay } as never);
}

describe('a request body in a conform report', () => {
  it('shows bytes that are not UTF-8 text by their size, never raw', () => {
    const shown = describeRequest(url, gzipCase).body!;
    expect(shown).toMatch(/^<\d+ bytes, not UTF-8 text/);
    expect(shown).not.toMatch(/[\u0000-\u0008\u000e-\u001f\u0080-\u00ff]/);
  });

  it('shows UTF-8 text as it is', () => {
    expect(describeRequest(url, textCase).body).toBe('{"token":"é"}');
  });

  it.each([
    ['a gzip body', gzipCase],
    ['UTF-8 text', textCase],
  ])('replays %s as the very same bytes', (_, c) => {
    expect(bodyBytesOf(replayed(c))!.equals(bodyBytesOf(c)!)).toBe(true);
  });
});
