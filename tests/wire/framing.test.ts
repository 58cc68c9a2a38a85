// An answer's framing, read from the bytes the connection carried (outside tester F16, F17): a second answer to
// no request after a complete one, and a transfer coding besides chunked, are named as what they are, in verify,
// conform and seed alike; correct framings (chunk extensions, a trailer) pass. RFC 9112 §6, §7, §9.3.
import { verifyProvider } from 'vpptokens-contract-kit/provider';
import { conform } from 'vpptokens-contract-kit/conform';
import { generatedSeedInputs, seedVppTokens, type ReportEntry } from 'vpptokens-contract-kit/seed';
import { startReferenceProvider } from 'vpptokens-contract-kit/provider';
import { answerEnd, mayMisreadChunked, misreadChunkedValue } from '../../src/wire';
import { createHttpClient } from '../../src/net';
import { FAULT_IN_EVERY_ANSWER } from '../support/conform-budget';
import { startFramingProvider, type Framing, type FramingProvider, type Request } from '../support/framing-provider';
import { testEnd } from '../support/test-end';
import { rawExchange } from '../support/raw-exchange';

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;

describe('answerEnd', () => {
  it.each([
    ['Content-Length', head(['HTTP/1.1 201 Created', 'Content-Length: 2']) + '{}', 'POST'],
    ['chunked, with extensions and a trailer', head(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked']) + '2;a=1\r\n{}\r\n0\r\nX-Trailer: done\r\n\r\n', 'GET'],
    ['interim answers first', head(['HTTP/1.1 100 Continue']) + head(['HTTP/1.1 103 Early Hints', 'Link: </a>']) + head(['HTTP/1.1 201 Created', 'Content-Length: 2']) + '{}', 'POST'],
    ['a HEAD, whatever its Content-Length', head(['HTTP/1.1 200 OK', 'Content-Length: 99']), 'HEAD'],
    ['a 204', head(['HTTP/1.1 204 No Content']), 'POST'],
    ['bare LF line ends', 'HTTP/1.1 201 Created\nContent-Length: 2\n\n{}', 'POST'],
  ])('finds the end of an answer framed by %s, and the bytes after it', (_, answer, method) => {
    const extra = head(['HTTP/1.1 200 OK', 'Content-Length: 0']);
    expect(answerEnd(Buffer.from(answer, 'latin1'), method)).toBe(answer.length);
    expect(answerEnd(Buffer.from(answer + extra, 'latin1'), method)).toBe(answer.length);
  });

  it.each([
    ['a head not yet ended', 'HTTP/1.1 201 Created\r\nContent-Length: 2\r\n'],
    ['a body shorter than its Content-Length', head(['HTTP/1.1 201 Created', 'Content-Length: 20']) + '{}'],
    ['a chunked body without its last chunk', head(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked']) + '2\r\n{}\r\n'],
    ['a body that ends with the connection', head(['HTTP/1.1 200 OK', 'Connection: close']) + '{} and more'],
    ['a transfer coding that is not chunked last', head(['HTTP/1.1 200 OK', 'Transfer-Encoding: gzip']) + 'bytes'],
  ])('finds no end in %s', (_, answer) => {
    expect(answerEnd(Buffer.from(answer, 'latin1'), 'POST')).toBeUndefined();
  });
});

/**
 * The body limit of the conform runs here, given to conform and to the reference provider behind each front alike:
 * their valid creates at the limit are 64 KiB, not 4 MB (decision 0225). Their subject is the framing; the first,
 * a correct chunked provider, keeps Graph's 4 MB (a near-limit answer in chunks).
 */
const SMALL = { bodyLimit: 64 * 1024 };
const providers: FramingProvider[] = [];
const start = async (framing: Framing, options: { bodyLimit?: number } = SMALL) => {
  const provider = await startFramingProvider(framing, options);
  providers.push(provider);
  return provider;
};
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

const LIST = '/beta/deviceAppManagement/vppTokens';
const read = { method: 'GET', headers: { Authorization: 'Bearer framing-test-bearer' } };

// Decision 0875: an empty list element ending Transfer-Encoding is ignored (RFC 9110 §5.6.1), so `chunked ,` is
// chunked; Node 20 reads it as another coding, the chunk lines delivered as the body. The one reader names such a value
// only when what Node delivered is those raw chunk lines; `chunked`, `, chunked` and a value not ending in chunked never.
describe('misreadChunkedValue, empty list elements', () => {
  const chunks = '2\r\n{}\r\n0\r\n\r\n';
  const answer = (value: string) => Buffer.from(head(['HTTP/1.1 201 Created', `Transfer-Encoding: ${value}`]) + chunks, 'latin1');
  it.each([
    ['chunked ,', 'chunked ,'],
    ['chunked,\t', 'chunked,'],
    ['chunked\t,', 'chunked\t,'],
    ['gzip, chunked ,', 'gzip, chunked ,'],
    ['chunked,,', 'chunked,,'],
  ])('%j, delivered as chunk lines, is named as %j', (value, named) => {
    expect(misreadChunkedValue(answer(value), 'POST', Buffer.from(chunks, 'latin1'), false)).toBe(named);
    expect(answerEnd(answer(value), 'POST')).toBe(answer(value).length);
    expect(mayMisreadChunked(value.trim(), [])).toBe(true);
  });
  it.each(['chunked', ', chunked', 'chunked, gzip', 'chunked ,, gzip'])('%j never is, nor when Node delivered the decoded body', (value) => {
    expect(misreadChunkedValue(answer(value), 'POST', Buffer.from(chunks, 'latin1'), true)).toBeUndefined();
    expect(misreadChunkedValue(answer('chunked ,'), 'POST', Buffer.from('{}'), true)).toBeUndefined();
    expect(mayMisreadChunked(value, [Buffer.from(head(['HTTP/1.1 201 Created', `Transfer-Encoding: ${value}`]))])).toBe(false);
  });
});

describe("the kit's one HTTP client", () => {
  it.each<Framing>(['content-length', 'chunked'])('reads answers framed by %s one by one on one kept-alive connection', async (framing) => {
    const provider = await start(framing);
    const client = createHttpClient();
    try {
      for (let i = 0; i < 2; i++) {
        const answer = await client.send({ ...read, url: `${provider.url}${LIST}` });
        expect(answer).toEqual(expect.objectContaining({ kind: 'answer', status: 200 }));
        expect(answer).not.toHaveProperty('extraBytes');
      }
      expect(provider.connections()).toBe(1);
    } finally {
      client.close();
    }
  });

  it('counts the bytes of a second answer after the first, and sends the next request on a new connection', async () => {
    const provider = await start('an extra answer');
    const client = createHttpClient();
    try {
      const first = await client.send({ ...read, url: `${provider.url}${LIST}` });
      if (first.kind !== 'answer') throw new Error(first.message);
      expect(first.status).toBe(200);
      // The second answer is the same bytes again: its head and its body.
      expect(first.extraBytes).toBe(provider.answerSizes()[0]);
      const second = await client.send({ ...read, url: `${provider.url}${LIST}` });
      expect(second).toEqual(expect.objectContaining({ kind: 'answer', status: 200, extraBytes: first.extraBytes }));
      expect(provider.connections()).toBe(2);
    } finally {
      client.close();
    }
  });

  // Outside tester N10: a server that closes each connection right after its answer, without Connection: close. The
  // client wrote its next request on a connection whose close had come but was not yet read (one setImmediate runs
  // before the loop reads the sockets again), and a POST written there was failed as "it may have acted on it".
  it.each([1, 4])('sends no request onto a connection the server closed after its answer (%i at a time)', async (atOnce) => {
    const provider = await start('content-length, then closed');
    const client = createHttpClient();
    try {
      const outcomes = [];
      for (let round = 0; round < 12; round++) {
        outcomes.push(...(await Promise.all(Array.from({ length: atOnce }, () => client.send({ method: 'POST', url: `${provider.url}${LIST}`, headers: { ...read.headers, 'Content-Type': 'application/json' }, body: '{}' })))));
      }
      // Every request answered (the reference provider refuses the empty create), each on a connection of its own.
      expect(outcomes.map((o) => (o.kind === 'answer' ? o.status : o.message))).toEqual(Array(12 * atOnce).fill(400));
      expect(provider.connections()).toBe(12 * atOnce);
    } finally {
      client.close();
    }
  });

  it('closes a kept-alive connection that carries bytes while no request is on it, and does not use it again', async () => {
    const provider = await start('content-length');
    const client = createHttpClient();
    try {
      expect(await client.send({ ...read, url: `${provider.url}${LIST}` })).toEqual(expect.objectContaining({ kind: 'answer', status: 200 }));
      // Resolves once the client has closed the connection the stray answer came on.
      await provider.writeToIdle(head(['HTTP/1.1 201 Created', 'Content-Length: 0']));
      const next = await client.send({ ...read, url: `${provider.url}${LIST}` });
      expect(next).toEqual(expect.objectContaining({ kind: 'answer', status: 200 }));
      expect(next).not.toHaveProperty('extraBytes');
      expect(provider.connections()).toBe(2);
    } finally {
      client.close();
    }
  });
});

const EXTRA = /^must carry one answer per request: \d+ bytes came after the answer, before any request; a client reading on takes them as its next request's answer \(RFC 9112 §9\.3\)$/;
const CODED = /^names gzip, a transfer coding besides chunked: only chunked may be used unasked \(RFC 9112 §7\.4.*Content-Encoding \(got "gzip, chunked"\)$/;


async function seedThree(url: string): Promise<ReportEntry[]> {
  const report: ReportEntry[] = [];
  await seedVppTokens({ target: `${url}/beta`, records: generatedSeedInputs({ count: 3 }), concurrency: 1, bearer: 'framing-test-bearer', report: (entry) => report.push(entry) });
  return report;
}

describe('verify, conform and seed', () => {
  it('pass a provider that frames its answers chunked, with chunk extensions and a trailer', async () => {
    const provider = await start('chunked', {});
    const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property' });
    expect(verified.interactions.flatMap((i) => [...i.mismatches, ...i.answerProblems])).toEqual([]);
    expect(verified.passed).toBe(true);
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, seed: 3, runs: 4, checks: ['not a server error', 'response headers', 'response schema'] });
    expect(conformed.findings).toEqual([]);
    expect((await seedThree(provider.url)).map((e) => e.status)).toEqual(['created', 'created', 'created']);
  });

  // Outside tester N10: conform failed such a provider for 93 of 211 requests, "not a server error ... it may have
  // acted on it", where the kit's client had written each onto a connection whose close it had received. The run
  // must pass as a whole (a false finding may hide in any request), so it is not cut by a budget.
  // Decision 0494: its close sent as the next request comes makes the race certain, where a close right after the answer
  // lost a create about one run in nine under load: no create goes on a reused connection until the server has kept one.
  it.each(['content-length, then closed', 'content-length, then closed as the next request comes'] as const)('pass a provider that closes each connection after its answer without saying so (%s)', async (framing) => {
    const provider = await start(framing);
    const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property' });
    expect(verified.passed).toBe(true);
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, seed: 3, runs: 4, concurrency: 4, checks: ['not a server error', 'response headers', 'status'], ...SMALL });
    expect(conformed.findings.map((f) => `${f.check}: ${f.where}: ${f.message}`)).toEqual([]);
    expect(conformed.passed).toBe(true);
    expect((await seedThree(provider.url)).map((e) => e.status)).toEqual(['created', 'created', 'created']);
  });

  // Outside tester H17: a credential echoed in a trailer field passed verify and conform (RFC 9110 §6.5: a trailer
  // field is a field of the message; Node keeps it as res.trailers, proxies and loggers record it).
  it.each([
    ['the bearer', 'X-Debug-Auth', (req: Request) => req.headers.find(([n]) => n.toLowerCase() === 'authorization')![1], "the request's bearer token"],
    ['the VPP token', 'X-Debug-Token', (req: Request) => (JSON.parse(req.body.toString('utf8')) as { token: string }).token, "the request's VPP token"],
  ])('fail a provider that echoes %s in a trailer field of its 201, naming the trailer field', async (_what, name, value, credential) => {
    const provider = await startFramingProvider('chunked', { trailer: (req) => [name, value(req)], ...SMALL });
    providers.push(provider);
    const message = `must not contain ${credential} (not shown): an answer never carries a credential of its request`;
    const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property', bearer: 'framing-test-bearer-0123456789' });
    expect(verified.passed).toBe(false);
    expect(verified.interactions[0].answerProblems.map((p) => [p.check, p.where, p.message])).toEqual([['credentials not echoed', `trailer ${name}`, message]]);
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, bearer: 'framing-test-bearer-0123456789', seed: 3, checks: ['credentials not echoed'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
    expect(conformed.findings.map((f) => [f.check, f.where, f.message])).toEqual([['credentials not echoed', `trailer ${name}`, message]]);
  });

  // Outside tester R35 (decisions 0489, 0490): a field that must stay in the head, sent in the 201's trailer section,
  // fails as the same field in a request's trailer does (0224); a trailer Content-Length, which Node's parser refuses,
  // is that field's fault, not a body cut short (the zero-size last chunk came).
  it.each([
    ['Content-Type', 'text/plain', 'content format'],
    ['Location', 'https://evil.example/x', 'a response control: where the client is sent'],
    ['Set-Cookie', 'a=b', 'authentication: a client stores it'],
    ['Content-Length', '5', 'framing'],
  ])('fail a provider whose 201 sends %s in its trailer section, naming the trailer field', async (name, value, why) => {
    const provider = await startFramingProvider('chunked', { trailer: () => [name, value], ...SMALL });
    providers.push(provider);
    const message = `must not be sent in the trailer section (RFC 9110 §6.5.1: it is ${why}); its value is not used nor shown`;
    const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property' });
    expect(verified.passed).toBe(false);
    expect(verified.interactions[0].answerProblems.map((p) => [p.check, p.where, p.message])).toEqual([['response headers', `trailer ${name}`, message]]);
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, seed: 3, checks: ['response headers', 'response schema'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
    expect([...new Set(conformed.findings.map((f) => `${f.check}: ${f.where}: ${f.message}`))]).toEqual([`response headers: trailer ${name}: ${message}`]);
  });

  it('fail a provider that sends a second answer after each answer, naming the connection, not the answer', async () => {
    const provider = await start('an extra answer');
    const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property' });
    expect(verified.passed).toBe(false);
    expect(verified.interactions[0].answerProblems).toEqual([{ check: 'response headers', part: 'connection', where: 'connection', message: expect.stringMatching(EXTRA) }]);
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, seed: 3, checks: ['not a server error', 'response headers', 'response schema'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
    expect(conformed.passed).toBe(false);
    expect(conformed.findings.map((f) => `${f.check}: ${f.where}`)).toEqual(['response headers: connection']);
    expect(conformed.findings[0].message).toMatch(EXTRA);
    const seeded = await seedThree(provider.url);
    expect(seeded.map((e) => e.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(seeded[0]).toEqual(expect.objectContaining({ httpStatus: 201, reason: expect.stringMatching(/^answered 201, then sent more on the connection before any request \(RFC 9112 §9\.3: one answer per request\)/) }));
  });

  it('fail a provider that answers with Transfer-Encoding and Content-Length both, naming the header, as the request side does', async () => {
    const both = 'is sent with Transfer-Encoding, which a message must not do (RFC 9112 §6.1)';
    const provider = await start('chunked and Content-Length');
    const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property' });
    expect(verified.interactions[0].answerProblems).toEqual([{ check: 'response headers', part: 'header', header: 'Content-Length', where: 'header Content-Length', rule: 'header syntax', message: both }]);
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, seed: 3, checks: ['not a server error', 'response headers'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
    expect(conformed.findings.map((f) => `${f.check}: ${f.where}: ${f.message}`)).toEqual([`response headers: header Content-Length: ${both}`]);
    expect(JSON.stringify(conformed.findings)).not.toMatch(/HPE_|dropped/);
    const seeded = await seedThree(provider.url);
    expect(seeded[0]).toEqual(expect.objectContaining({ status: 'unknown', reason: `the answer is not HTTP/1.1: header Content-Length: ${both}; it may have been created` }));
    // The same bytes in a request: the reference provider (check-client's mock) refuses it for the same reason.
    const reference = await startReferenceProvider();
    try {
      const answer = await rawExchange(reference.url, `POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer framing-test-bearer\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain(`"message":"header Content-Length: ${both}"`);
    } finally {
      await reference.close();
    }
  });

  // Outside tester H11: every chunk of a 201, then the connection closed without the zero-size last chunk. Node's
  // fetch throws "terminated" and curl fails (18): no client learns the id, so the create's outcome is unknown.
  it('fail a provider whose chunked answer ends with the connection, before its last chunk, naming the cut', async () => {
    const CUT = /^was cut short: the connection closed before the chunked body's zero-size last chunk, after \d+ bytes \(RFC 9112 §7\.1: a chunked body is incomplete without it\)$/;
    const provider = await start('chunked, closed before the last chunk');
    const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property' });
    expect(verified.passed).toBe(false);
    expect(verified.interactions[0].answerProblems).toEqual([{ check: 'response schema', part: 'body', where: 'body', rule: 'content length', message: expect.stringMatching(CUT) }]);
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, seed: 3, checks: ['not a server error', 'response headers', 'response schema'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
    expect([...new Set(conformed.findings.map((f) => `${f.check}: ${f.where}`))]).toEqual(['response schema: body']);
    expect(conformed.findings[0].message).toMatch(CUT);
    const seeded = await seedThree(provider.url);
    expect(seeded.map((e) => e.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(seeded[0]).toEqual(expect.objectContaining({ httpStatus: 201, reason: expect.stringMatching(/^answered 201 without the created vppToken \(a body that was cut short: the connection closed before the chunked body's zero-size last chunk/) }));
  });

  // Outside tester R25: chunked named twice, the body chunked once. The reference provider (check-client's mock)
  // refuses the same head in a request, by the same rule and words (decision 0488).
  it.each(['chunked on two lines', 'chunked, chunked'] as const)('fail a provider whose answer names chunked twice (%s), as the request side does', async (framing) => {
    const TWICE = /^names chunked 2 times: a sender must not apply chunked more than once \(RFC 9112 §7\).*\(got "chunked, chunked"\)$/;
    const provider = await start(framing);
    const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property' });
    expect(verified.passed).toBe(false);
    expect(verified.interactions[0].answerProblems).toEqual([{ check: 'response headers', part: 'header', header: 'Transfer-Encoding', where: 'header Transfer-Encoding', rule: 'transfer coding', message: expect.stringMatching(TWICE) }]);
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, seed: 3, checks: ['not a server error', 'response headers'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
    expect(conformed.findings.map((f) => `${f.check}: ${f.where}`)).toEqual(['response headers: header Transfer-Encoding']);
    expect(conformed.findings[0].message).toMatch(TWICE);
    const reference = await startReferenceProvider();
    try {
      const te = framing === 'chunked, chunked' ? 'Transfer-Encoding: chunked, chunked' : 'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked';
      const answer = await rawExchange(reference.url, `POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer framing-test-bearer\r\n${te}\r\n\r\n2\r\n{}\r\n0\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.message).toMatch(/^header Transfer-Encoding: names chunked 2 times: a sender must not apply chunked more than once/);
    } finally {
      await reference.close();
    }
  });

  // Outside tester R26 (decision 0492): RFC 9112 §6.1, an HTTP/1.0 message with Transfer-Encoding has faulty framing,
  // whatever Node's parser made of it. The same answer framed by Content-Length passes; the mock refuses the same
  // request, closing its connection, and takes it framed by Content-Length.
  it('fail a provider that answers HTTP/1.0 under Transfer-Encoding: chunked, naming the header, as the mock refuses such a request', async () => {
    const HTTP10 = /^is sent in an HTTP\/1\.0 message, whose framing a recipient must then treat as faulty, even beside a Content-Length, and close the connection after it \(RFC 9112 §6\.1\).*\(got "chunked"\)$/;
    const provider = await start('HTTP/1.0, chunked');
    const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property' });
    expect(verified.passed).toBe(false);
    expect(verified.interactions[0].answerProblems).toEqual([{ check: 'response headers', part: 'header', header: 'Transfer-Encoding', where: 'header Transfer-Encoding', rule: 'transfer coding', message: expect.stringMatching(HTTP10) }]);
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, seed: 3, checks: ['not a server error', 'response headers'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
    expect(conformed.findings.map((f) => `${f.check}: ${f.where}`)).toEqual(['response headers: header Transfer-Encoding']);
    expect(conformed.findings[0].message).toMatch(HTTP10);
    const seeded = await seedThree(provider.url);
    expect(seeded.map((e) => e.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(seeded[0]).toEqual(expect.objectContaining({ reason: expect.stringMatching(/without the created vppToken \(a body it could not read: header Transfer-Encoding is sent in an HTTP\/1\.0 message/) }));
    const plain = await start('HTTP/1.0, content-length');
    expect((await verifyProvider({ providerBaseUrl: `${plain.url}/beta`, interaction: 'every property' })).passed).toBe(true);
    // The request side: the mock (check-client's) refuses the same framing with the same words, and closes the connection.
    const reference = await startReferenceProvider();
    try {
      const create = (version: string, framing: string, body: string) =>
        rawExchange(reference.url, `POST /beta/deviceAppManagement/vppTokens HTTP/${version}\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer framing-test-bearer\r\nConnection: keep-alive\r\n${framing}\r\n\r\n${body}`);
      const token = '{"token":"framing-test-token"}';
      const chunkedBody = `${token.length.toString(16)}\r\n${token}\r\n0\r\n\r\n`;
      const refused = await create('1.0', 'Transfer-Encoding: chunked', chunkedBody);
      expect(refused).toMatch(/^HTTP\/1\.1 400 /);
      expect(refused).toMatch(/\r\nConnection: close\r\n/i);
      const message = (JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4)) as { error: { message: string } }).error.message;
      expect(message.replace(/^header Transfer-Encoding: /, '')).toMatch(HTTP10);
      expect(reference.vppTokens.size).toBe(0);
      expect(await create('1.0', `Content-Length: ${token.length}`, token)).toMatch(/^HTTP\/1\.1 201 /);
      expect(await create('1.1', 'Transfer-Encoding: chunked', chunkedBody)).toMatch(/^HTTP\/1\.1 201 /);
    } finally {
      await reference.close();
    }
  });

  it('fail a provider that answers under Transfer-Encoding: gzip, chunked, naming the transfer coding, not the bytes', async () => {
    const provider = await start('gzip, chunked');
    const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property' });
    expect(verified.passed).toBe(false);
    expect(verified.interactions[0].answerProblems).toEqual([{ check: 'response headers', part: 'header', header: 'Transfer-Encoding', where: 'header Transfer-Encoding', rule: 'transfer coding', message: expect.stringMatching(CODED) }]);
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, seed: 3, checks: ['not a server error', 'response headers', 'response schema'], ...SMALL, ...FAULT_IN_EVERY_ANSWER });
    expect(conformed.findings.map((f) => `${f.check}: ${f.where}`)).toEqual(['response headers: header Transfer-Encoding']);
    expect(conformed.findings[0].message).toMatch(CODED);
    expect(conformed.findings[0].answer.body).toMatch(/^<\d+ bytes, not UTF-8 text>$/);
    expect(JSON.stringify(conformed.findings)).not.toMatch(/UTF-8 sequence|is empty/);
    const seeded = await seedThree(provider.url);
    expect(seeded.map((e) => e.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(seeded[0]).toEqual(expect.objectContaining({ reason: expect.stringMatching(/without the created vppToken \(a body it could not read: header Transfer-Encoding names gzip/) }));
  });
});
