// An answer whose head Node's parser refuses (two equal Content-Length lines, a folded header line) is the
// provider's fault: a verdict naming the header, in verify and conform alike, never "could not do the job" or
// "the connection was dropped" (outside tester; docs/decisions/0120).
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { startReferenceProvider, verifyProvider } from 'vpptokens-contract-kit/provider';
import { createHttpClient } from '../../src/net';
import { conform } from 'vpptokens-contract-kit/conform';
import { FAULT_IN_EVERY_ANSWER } from '../support/conform-budget';
import { EMPTY_ELEMENT_FLAWS, nodeReadsTabAfterChunked, startRawHeadProvider, type EmptyElementFlaw, type HeadFlaw } from '../support/raw-head-provider';
import { atHeader, type Placed } from '../../src/wire';
import { testEnd } from '../support/test-end';
import { rawExchange } from '../support/raw-exchange';

/** conform's body limit here, and the reference provider's behind the heads: the subject is the head, not the size (decision 0225). */
const SMALL = { bodyLimit: 64 * 1024 };
const cases: [HeadFlaw, Placed, RegExp][] = [
  ['two equal Content-Length lines', atHeader('Content-Length'), /^is given 2 times: it takes one value \(RFC 9110\)/],
  ['a folded header line', atHeader('X-Note'), /^continues on a folded line \(obs-fold, a line starting with a space\), which HTTP\/1\.1 refuses \(RFC 9112 §5\.2\)$/],
];

describe('a provider whose heads are HTTP/1.1', () => {
  it('passes verify and conform through the same hand-written heads', async () => {
    const provider = await startRawHeadProvider('none', SMALL);
    try {
      const verified = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property' });
      expect(verified.interactions.flatMap((i) => i.mismatches)).toEqual([]);
      expect(verified.passed).toBe(true);
      const conformed = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 3, runs: 5, checks: ['not a server error', 'response headers'], ...SMALL });
      expect(conformed.findings).toEqual([]);
    } finally {
      await provider.close();
    }
  });
});

describe.each(cases)('a provider answering with %s', (flaw, where, message) => {
  it('fails verify and conform on that header, as a verdict', async () => {
    const provider = await startRawHeadProvider(flaw, SMALL);
    try {
      const verified = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property' });
      expect(verified.passed).toBe(false);
      expect(verified.interactions).toHaveLength(1);
      expect(verified.interactions[0].answerProblems).toEqual([{ check: 'response headers', ...where, message: expect.stringMatching(message), rule: expect.any(String) }]);
      const conformed = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 3, checks: ['not a server error', 'response headers'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
      expect(conformed.passed).toBe(false);
      expect(conformed.findings.map((f) => f.check)).not.toContain('not a server error');
      expect(conformed.findings[0]).toEqual(expect.objectContaining({ check: 'response headers', ...where, message: expect.stringMatching(message) }));
      expect(JSON.stringify(conformed.findings)).not.toMatch(/dropped/);
    } finally {
      await provider.close();
    }
  });
});

describe('a provider that cuts its answers short (Content-Length says 50 bytes more than come)', () => {
  it('fails verify and conform saying the body was cut short, not that it is empty', async () => {
    const provider = await startRawHeadProvider('a body cut short', SMALL);
    try {
      const cut = /^was cut short: Content-Length says \d+ bytes, \d+ came \(RFC 9112 §6\.3\)$/;
      const verified = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property' });
      expect(verified.passed).toBe(false);
      expect(verified.interactions[0].answerProblems).toEqual([expect.objectContaining({ check: 'response schema', where: 'body', message: expect.stringMatching(cut) })]);
      const conformed = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 3, checks: ['response schema'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
      expect(conformed.findings[0]).toEqual(expect.objectContaining({ check: 'response schema', where: 'body', message: expect.stringMatching(cut) }));
      expect(JSON.stringify(conformed.findings)).not.toMatch(/is empty/);
    } finally {
      await provider.close();
    }
  });
});

/** Whether this Node's own HTTP client reads an answer with a tab after Content-Length's value (Node 24 does, Node 20 not). */
async function nodeReadsTabAfterContentLength(): Promise<boolean> {
  const server = createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\t\r\n\r\n{}')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<boolean>((resolve) => {
      get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, agent: false }, (res) => res.resume().on('end', () => resolve(true))).on('error', () => resolve(false));
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}


// Outside tester R27 (decision 0493): a tab around a framing field's value is HTTP/1.1 (RFC 9112 §5: OWS is spaces and
// tabs) that Node's parser may refuse: Node 20's after Content-Length's value (Node 24 reads it), every line's after
// Transfer-Encoding's in a request. Where this Node reads it, it passes; where not, it cannot be read, said as such
// (as a head over Node's limit, decision 0300), never "not an HTTP/1.1 message head". A space there passes everywhere.
describe("a tab around a framing field's value", () => {
  const TAB = (name: string, value: string) =>
    new RegExp(`^has a tab around its value \\("${value}"\\), whitespace HTTP allows \\(RFC 9112 §5: .*\\), but which the HTTP parser of this Node \\(${process.version.replace(/\./g, '\\.')}, llhttp [\\d.]+\\) refuses in ${name}: Node's HTTP clients and servers of this version, .* cannot read the message, though it is HTTP/1\\.1: send no whitespace around the value, or spaces$`);

  it("passes a provider that sends it after Content-Length's value where this Node reads it, and otherwise says it cannot be read", async () => {
    const reads = await nodeReadsTabAfterContentLength();
    for (const flaw of ["a tab after Content-Length's value", "a space after Content-Length's value"] as const) {
      const provider = await startRawHeadProvider(flaw, SMALL);
      const client = createHttpClient();
      try {
        const verified = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property' });
        const answer = await client.send({ method: 'GET', url: `${provider.url}/deviceAppManagement/vppTokens`, headers: { Authorization: 'Bearer malformed-heads-bearer' } });
        if (reads || flaw.startsWith('a space')) {
          expect(verified.interactions.flatMap((i) => i.answerProblems)).toEqual([]);
          expect(verified.passed).toBe(true);
          expect(answer).toEqual(expect.objectContaining({ kind: 'answer', status: 200 }));
        } else {
          expect(verified.passed).toBe(false);
          expect(verified.interactions[0].answerProblems).toEqual([{ check: 'response headers', ...atHeader('Content-Length'), rule: 'header syntax', message: expect.stringMatching(TAB('Content-Length', '\\d+')) }]);
          expect(answer).toEqual(expect.objectContaining({ kind: 'failure', failure: 'malformed' }));
          expect(answer.kind === 'failure' && answer.message).toMatch(/^the answer cannot be read: header Content-Length: has a tab around its value/);
        }
      } finally {
        client.close();
        await provider.close();
      }
    }
  });

  it('the mock takes a request with it where this Node reads it, and otherwise answers 400 saying it cannot be read; Transfer-Encoding\'s no Node reads', async () => {
    const reads = await nodeReadsTabAfterContentLength();
    const reference = await startReferenceProvider();
    try {
      const token = '{"token":"malformed-heads-token"}';
      const create = (framing: string, body: string) =>
        rawExchange(reference.url, `POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer malformed-heads-bearer\r\n${framing}\r\nConnection: close\r\n\r\n${body}`);
      const messageOf = (answer: string) => (JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { message: string } }).error.message;
      const length = await create(`Content-Length: ${token.length}\t`, token);
      if (reads) expect(length).toMatch(/^HTTP\/1\.1 201 /);
      else {
        expect(length).toMatch(/^HTTP\/1\.1 400 /);
        expect(messageOf(length).replace(/^header Content-Length: /, '')).toMatch(TAB('Content-Length', String(token.length)));
      }
      const chunked = await create('Transfer-Encoding: chunked\t', `${token.length.toString(16)}\r\n${token}\r\n0\r\n\r\n`);
      expect(chunked).toMatch(/^HTTP\/1\.1 400 /);
      expect(messageOf(chunked).replace(/^header Transfer-Encoding: /, '')).toMatch(TAB('Transfer-Encoding', 'chunked'));
      expect(await create(`Content-Length: ${token.length} `, token)).toMatch(/^HTTP\/1\.1 201 /);
    } finally {
      await reference.close();
    }
  });
});

// Decision 0692 (left by 0493): an answer with a tab after `Transfer-Encoding: chunked` is chunked by the RFC (RFC 9110
// §5.5: a field value has no leading or trailing whitespace; RFC 9112 §5: OWS around it), but Node 20's client parser
// reads it as another coding and the body as running to the close, chunk lines and all: the kit judged those lines as
// the JSON body ("is not JSON"), and waited for the close from a server that keeps its connections. Where this Node
// reads it, it passes; where not, it cannot be read, said at Transfer-Encoding, as soon as the chunked body has ended.
describe("a tab after an answer's Transfer-Encoding: chunked", () => {
  // A Node whose parser refuses it outright says 0493's words; one that reads it as another coding, these.
  const TAB = new RegExp(`^has a tab around its value \\("chunked"\\), whitespace HTTP allows \\(RFC 9112 §5: .*\\), but which the HTTP parser of this Node \\(${process.version.replace(/\./g, '\\.')}, llhttp [\\d.]+\\) (refuses in Transfer-Encoding: .*|reads in an answer's Transfer-Encoding as a coding other than chunked: Node's HTTP clients of this version, .* take the chunk lines for the body, read to the connection's close \\(RFC 9112 §6\\.3\\), though the message is HTTP/1\\.1: send no whitespace around the value, or spaces)$`);

  it('passes where this Node reads it, and otherwise fails verify and the kit\'s client at Transfer-Encoding, never judging chunk lines as JSON; a space passes', async () => {
    const reads = await nodeReadsTabAfterChunked();
    for (const flaw of ['a tab after Transfer-Encoding: chunked', 'a tab after Transfer-Encoding: chunked, the connection kept', 'a space after Transfer-Encoding: chunked'] as const) {
      const provider = await startRawHeadProvider(flaw, SMALL);
      const client = createHttpClient({ timeoutMs: 20_000 });
      try {
        const verified = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property' });
        const answer = await client.send({ method: 'GET', url: `${provider.url}/deviceAppManagement/vppTokens`, headers: { Authorization: 'Bearer malformed-heads-bearer' } });
        if (reads || flaw.startsWith('a space')) {
          expect([flaw, verified.interactions.flatMap((i) => i.answerProblems)]).toEqual([flaw, []]);
          expect(verified.passed).toBe(true);
          expect(answer).toEqual(expect.objectContaining({ kind: 'answer', status: 200 }));
        } else {
          expect(verified.passed).toBe(false);
          expect([flaw, verified.interactions[0].answerProblems]).toEqual([flaw, [{ check: 'response headers', ...atHeader('Transfer-Encoding'), rule: 'header syntax', message: expect.stringMatching(TAB) }]]);
          expect(answer).toEqual(expect.objectContaining({ kind: 'failure', failure: 'malformed' }));
          expect(answer.kind === 'failure' && answer.message).toMatch(/^the answer cannot be read: header Transfer-Encoding: has a tab around its value \("chunked"\)/);
        }
      } finally {
        client.close();
        await provider.close();
      }
    }
  });
});

// Decision 0875 (0692's neighbour, outside check Y7): `Transfer-Encoding: chunked ,`, `chunked,<TAB>`, `chunked<TAB>,`
// end in an empty list element, which a recipient ignores (RFC 9110 §5.6.1): the body is chunked. Node 20 reads each as
// another coding: verify waited out its timeout on a kept connection and said the provider did not answer. Now said at
// Transfer-Encoding as soon as the chunked body ends, as 0692 says a tab; plain `chunked` (the 'none' flaw) passes.
describe("an empty list element after an answer's Transfer-Encoding: chunked", () => {
  const EMPTY = new RegExp(`^ends in an empty list element \\(".+"\\), which a sender must not send but a recipient must accept and ignore \\(RFC 9110 §5\\.6\\.1: .*\\), but which the HTTP parser of this Node \\(${process.version.replace(/\./g, '\\.')}, llhttp [\\d.]+\\) reads in an answer's Transfer-Encoding as a coding other than chunked: .* send \`Transfer-Encoding: chunked\` with no empty element after it$`);

  it.each(Object.entries(EMPTY_ELEMENT_FLAWS))('%s (%j): passes where this Node reads it, else fails verify and the client at Transfer-Encoding at once', async (flaw, value) => {
    const reads = await nodeReadsTabAfterChunked(value);
    const provider = await startRawHeadProvider(flaw as EmptyElementFlaw, SMALL);
    const client = createHttpClient({ timeoutMs: 20_000 });
    try {
      const verified = await verifyProvider({ providerBaseUrl: provider.url, interaction: 'every property', timeoutMs: 10_000 });
      const answer = await client.send({ method: 'GET', url: `${provider.url}/deviceAppManagement/vppTokens`, headers: { Authorization: 'Bearer malformed-heads-bearer' } });
      if (reads) {
        expect(verified.interactions.flatMap((i) => i.answerProblems)).toEqual([]);
        expect(answer).toEqual(expect.objectContaining({ kind: 'answer', status: 200 }));
        return;
      }
      expect(verified.passed).toBe(false);
      expect(verified.interactions[0].answerProblems).toEqual([{ check: 'response headers', ...atHeader('Transfer-Encoding'), rule: 'header syntax', message: expect.stringMatching(EMPTY) }]);
      expect(verified.interactions[0].answerProblems[0].message).toContain(JSON.stringify(value.trim()));
      expect(answer).toEqual(expect.objectContaining({ kind: 'failure', failure: 'malformed' }));
      expect(answer.kind === 'failure' && answer.message).toMatch(/^the answer cannot be read: header Transfer-Encoding: ends in an empty list element/);
    } finally {
      client.close();
      await provider.close();
    }
  });
});
