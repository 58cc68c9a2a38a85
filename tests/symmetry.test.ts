// Issue 14 item 2: whatever the kit refuses in a request it refuses in an answer, and conform sends it to
// providers as a negative case (docs/decisions/0081). Each refusal is listed once, with its three sides; a rule
// of the one reader (WIRE_RULES) that is not listed fails this test.
import { gzipSync } from 'node:zlib';
import { WIRE_RULES, checkCreateRequest, createdVppToken, judgeCreatedAnswer, type ObservedAnswer, type ObservedRequest, type Profile } from 'vpptokens-contract-kit';
import { DEFAULT_BODY_LIMIT } from '../src/provider';
import { families } from '../src/conform/cases';
import { headProblem } from '../src/wire';
import { checkClientRequest } from '../src/judgement/client-request';

const SENT = { token: 'symmetry-vpp-token', displayName: 'Fleet A' };
const LINES = ['Content-Type', 'application/json', 'Authorization', 'Bearer symmetry-bearer'];
const text = (value: unknown) => JSON.stringify(value);
const created = (profile: Profile, extra: Record<string, unknown> = {}) =>
  ({ ...createdVppToken(profile === 'v1.0' ? { token: SENT.token } : SENT, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date(), profile }), ...extra }) as Record<string, unknown>;

interface Twin {
  /** The refusal, by the reader's rule name or the schema's. */
  rule: string;
  profile?: Profile;
  request: { lines?: string[]; bytes: Buffer; sent?: unknown } | { head: string };
  /** The answer with the same fault; `none` with the reason when an answer cannot carry it. */
  answer: { lines?: string[]; bytes: Buffer } | { head: string } | { none: string };
  /** The conform family that sends it; `none` with the reason when conform cannot send it. */
  conform: RegExp | { none: string };
  /** What both judgements must say, where the refusal is the schema's own. */
  names?: RegExp;
}

/** A head Node's parser refused, as its error gives it to the kit (the reference provider's and verify's reader). */
const refusedHead = (head: string) => headProblem({ code: 'HPE_INVALID_HEADER_TOKEN', reason: 'Invalid header value char', rawPacket: Buffer.from(`${head}\r\n\r\n`, 'latin1'), bytesParsed: 0 });

/** A derived type's property (actionFailureReason) on an item of the base type. */
const MISTYPED = { '@odata.type': '#microsoft.graph.vppTokenActionResult', actionState: 'failed', actionFailureReason: 'appleFailure' };

const twins: Twin[] = [
  { rule: 'repeated header', request: { lines: [...LINES, 'Authorization', 'Bearer other'], bytes: Buffer.from(text(SENT)) }, answer: { lines: ['Content-Type', 'application/json', 'Content-Type', 'text/plain'], bytes: Buffer.from(text(created('beta'))) }, conform: /^two Authorization headers$/ },
  { rule: 'media type', request: { lines: ['Content-Type', 'text/plain', 'Authorization', 'Bearer x'], bytes: Buffer.from(text(SENT)) }, answer: { lines: ['Content-Type', 'text/plain'], bytes: Buffer.from(text(created('beta'))) }, conform: /^Content-Type text\/plain$/ },
  // Decision 0148 (outside tester F9): UTF-8 bytes declared another charset, which Graph's reader decodes by.
  {
    rule: 'charset',
    request: { lines: ['Content-Type', 'application/json; charset=utf-16', 'Authorization', 'Bearer x'], bytes: Buffer.from(text(SENT)) },
    answer: { lines: ['Content-Type', 'application/json; charset="iso-8859-1"'], bytes: Buffer.from(text(created('beta'))) },
    conform: /^a charset that is not UTF-8$/,
    names: /^header Content-Type: declares charset=(utf-16|iso-8859-1), but JSON is UTF-8 \(RFC 8259 §8\.1\)/,
  },
  { rule: 'bearer credentials', request: { lines: ['Content-Type', 'application/json', 'Authorization', 'Basic eDp5'], bytes: Buffer.from(text(SENT)) }, answer: { none: 'an answer carries no credentials of its own; that it carries none of the request is "credentials not echoed"' }, conform: /^Authorization not a bearer$/ },
  { rule: 'content coding', request: { lines: [...LINES, 'Content-Encoding', 'gzip'], bytes: Buffer.from(text(SENT)) }, answer: { lines: ['Content-Type', 'application/json', 'Content-Encoding', 'gzip'], bytes: Buffer.from(text(created('beta'))) }, conform: /^a Content-Encoding that lies$/ },
  { rule: 'decoded size', request: { lines: [...LINES, 'Content-Encoding', 'gzip'], bytes: gzipSync(Buffer.from(`{"token":"x","displayName":"${' '.repeat(65 * 1024 * 1024)}"}`)) }, answer: { lines: ['Content-Type', 'application/json', 'Content-Encoding', 'gzip'], bytes: gzipSync(Buffer.from(`{"id":"${' '.repeat(65 * 1024 * 1024)}"}`)) }, conform: new RegExp(`^a gzip body over ${DEFAULT_BODY_LIMIT} bytes once decoded$`) },
  { rule: 'utf-8', request: { lines: LINES, bytes: Buffer.from(text(SENT).replace('Fleet A', 'Caf\u00e9'), 'latin1') }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('beta', { organizationName: 'Caf\u00e9' })), 'latin1') }, conform: /^Latin-1 bytes, not UTF-8$/ },
  { rule: 'byte order mark', request: { lines: LINES, bytes: Buffer.from(`\uFEFF${text(SENT)}`) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(`\uFEFF${text(created('beta'))}`) }, conform: /^a byte order mark$/ },
  { rule: 'json syntax', request: { lines: LINES, bytes: Buffer.from(text(SENT).slice(0, -1)) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('beta')).slice(0, -1)) }, conform: /^malformed JSON$/ },
  { rule: 'trailing data', request: { lines: LINES, bytes: Buffer.from(`${text(SENT)} garbage`) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(`${text(created('beta'))} garbage`) }, conform: /^data after the JSON value$/ },
  // Decision 0385: 64 levels at most. conform sends 10,000, past every reader's limit (a correct provider may read deeper than the kit).
  { rule: 'nesting depth', request: { lines: LINES, bytes: Buffer.from(text(SENT).replace('{', `{"@Org.Example.note":${'['.repeat(64)}${']'.repeat(64)},`)) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('beta')).replace('{', `{"@Org.Example.note":${'['.repeat(64)}${']'.repeat(64)},`)) }, conform: /^nesting 10000 deep$/, names: /^body \/@Org\.Example\.note(\/0){63}: is nested deeper than 64 levels/ },
  { rule: 'duplicate name', request: { lines: LINES, bytes: Buffer.from(`{"token":"a",${text(SENT).slice(1)}`) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(`{"id":"0f8fad5b-d9cb-469f-a165-70867728950e",${text(created('beta')).slice(1)}`) }, conform: /^the token given twice$/ },
  { rule: 'lone surrogate', request: { lines: LINES, bytes: Buffer.from(text(SENT).replace('Fleet A', '\\ud800')) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('beta', { organizationName: 'Contoso' })).replace('Contoso', '\\ud800')) }, conform: /^an unpaired surrogate escape$/ },
  { rule: 'number range', request: { lines: LINES, bytes: Buffer.from(`{"token":"symmetry-vpp-token","tokenActionResults":[{"totalLicensesCount":1e400}]}`) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('beta', { organizationName: 'Contoso' })).replace('"Contoso"', '-1e999')) }, conform: /^a number beyond a double$/ },
  {
    rule: 'content length',
    request: { lines: [...LINES, 'Content-Length', '100'], bytes: Buffer.from(text(SENT)) },
    answer: { lines: ['Content-Type', 'application/json', 'Content-Length', '2000'], bytes: Buffer.from(text(created('beta'))) },
    conform: { none: "the kit's one HTTP client (Node's) sends the bytes its Content-Length says; a provider cutting an answer short is met by tests/wire/reader.test.ts and verify's forwarder records what came" },
  },
  {
    rule: 'transfer coding',
    request: { lines: [...LINES, 'Transfer-Encoding', 'gzip, chunked'], bytes: gzipSync(Buffer.from(text(SENT))) },
    answer: { lines: ['Content-Type', 'application/json', 'Transfer-Encoding', 'gzip, chunked'], bytes: gzipSync(Buffer.from(text(created('beta')))) },
    conform: /^a transfer coding besides chunked$/,
    names: /^header Transfer-Encoding: names gzip, a transfer coding besides chunked/,
  },
  {
    rule: 'header syntax',
    request: { head: 'POST /deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nX-Note: a\r\n  folded' },
    answer: { head: 'HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Note: a\r\n  folded' },
    conform: { none: "the kit's one HTTP client (Node's) cannot write a folded line; check-client's mock and verify meet it from raw sockets (tests/verification/malformed-heads.test.ts, check-client.test.ts)" },
  },
  // What the schema refuses beyond a pattern, and what a profile lacks.
  { rule: 'a date that does not exist', request: { lines: LINES, bytes: Buffer.from(text({ ...SENT, expirationDateTime: '2027-02-30T00:00:00Z' })) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('beta', { expirationDateTime: '2027-02-30T00:00:00Z' }))) }, conform: /^a date that does not exist \/expirationDateTime/ },
  { rule: 'an offset out of range', request: { lines: LINES, bytes: Buffer.from(text({ ...SENT, lastSyncDateTime: '2027-03-01T00:00:00+25:00' })) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('beta', { lastSyncDateTime: '2027-03-01T00:00:00+25:00' }))) }, conform: /^an offset out of range \/lastSyncDateTime/ },
  { rule: 'an offset beyond ±14:00', request: { lines: LINES, bytes: Buffer.from(text({ ...SENT, lastSyncDateTime: '2027-03-01T00:00:00-14:01' })) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('beta', { lastSyncDateTime: '2027-03-01T00:00:00+14:30' }))) }, conform: /^an offset beyond ±14:00 \/lastSyncDateTime/, names: /\/lastSyncDateTime: must be a DateTimeOffset: .*at most ±14:00/ },
  { rule: 'the year 0000', request: { lines: LINES, bytes: Buffer.from(text({ ...SENT, expirationDateTime: '0000-06-30T00:00:00Z' })) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('beta', { expirationDateTime: '0000-12-31T23:00:00Z' }))) }, conform: /^the year 0000 \/expirationDateTime/, names: /\/expirationDateTime: must be a DateTimeOffset: .*years 0001 to 9999/ },
  // Graph's model: a derived action result's own property on an item of the base type (decision 0105).
  { rule: 'a derived property on a base-typed item', request: { lines: LINES, bytes: Buffer.from(text({ ...SENT, tokenActionResults: [MISTYPED] })) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('beta', { tokenActionResults: [MISTYPED] }))) }, conform: /^a derived property on a base-typed item \/tokenActionResults\/0\/actionFailureReason$/, names: /\/tokenActionResults\/0\/actionFailureReason: is a property of #microsoft\.graph\.vppTokenRevokeLicensesActionResult only/ },
  // A property's type control information that contradicts its declared type (decision 1231).
  {
    rule: 'a type annotation that contradicts the declared type',
    request: { lines: LINES, bytes: Buffer.from(text({ 'displayName@odata.type': '#Int32', ...SENT })) },
    answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('beta', { 'displayName@odata.type': '#Int32' }))) },
    conform: /^a type annotation that contradicts the declared type$/,
    names: /\/displayName@odata\.type: must name the type displayName is declared with, Edm\.String, not contradict it/,
  },
  { rule: 'a beta-only property under v1.0', profile: 'v1.0', request: { lines: LINES, bytes: Buffer.from(text(SENT)) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('v1.0', { displayName: 'Fleet A' }))) }, conform: /^beta-only property \/displayName$/ },
  { rule: 'a beta-only enum member under v1.0', profile: 'v1.0', request: { lines: LINES, bytes: Buffer.from(text({ token: SENT.token, state: 'duplicateLocationId' })) }, answer: { lines: ['Content-Type', 'application/json'], bytes: Buffer.from(text(created('v1.0', { state: 'duplicateLocationId' }))) }, conform: /^beta-only enum member \/state=duplicateLocationId$/ },
];

const requestOf = (request: { lines?: string[]; bytes: Buffer }): ObservedRequest => ({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: request.lines ?? LINES, body: undefined, bytes: request.bytes });

describe.each(twins)('$rule', (twin) => {
  const profile = twin.profile ?? 'beta';
  it('is refused in a request', () => {
    if ('head' in twin.request) return expect(refusedHead(twin.request.head)).toEqual(expect.objectContaining({ rule: twin.rule }));
    const problems = checkCreateRequest(requestOf(twin.request), profile);
    expect(problems).not.toEqual([]);
    if (twin.names) expect(problems.map((p) => `${p.where}: ${p.message}`).join('\n')).toMatch(twin.names);
  });
  it('is refused in an answer, or says why an answer cannot carry it', () => {
    if ('none' in twin.answer) return expect(twin.answer.none).toMatch(/\w/);
    if ('head' in twin.answer) return expect(refusedHead(twin.answer.head)).toEqual(expect.objectContaining({ rule: twin.rule }));
    const answer: ObservedAnswer = { status: 201, headers: {}, rawHeaders: twin.answer.lines, body: undefined, bytes: twin.answer.bytes };
    const problems = judgeCreatedAnswer(profile === 'v1.0' ? { token: SENT.token } : SENT, answer, profile);
    expect(problems).not.toEqual([]);
    if (twin.names) expect(problems.map((p) => `${p.where}: ${p.message}`).join('\n')).toMatch(twin.names);
  });
  it('is sent by conform as a negative case, or says why conform cannot send it', () => {
    const pattern = twin.conform;
    if (!(pattern instanceof RegExp)) return expect(pattern.none).toMatch(/\w/);
    const names = families({ runs: 10, perFamily: 1, seed: 1, bodyLimit: DEFAULT_BODY_LIMIT, profile }).filter((f) => f.kind !== 'valid').map((f) => f.name);
    expect(names.filter((n) => pattern.test(n))).not.toEqual([]);
  });
});

// Outside tester G13: a head whose lines end in a bare LF is named so, in a request and in an answer alike.
it('names a head with bare LF line endings alike in a request and in an answer', () => {
  const message = 'ends its lines in a bare LF, not CRLF, which a sender must not do (RFC 9112 §2.2)';
  const parse = (head: string, code: string) => headProblem({ code, reason: 'Expected CRLF', rawPacket: Buffer.from(`${head}\n\n{}`, 'latin1'), bytesParsed: 0 });
  expect(parse('POST /deviceAppManagement/vppTokens HTTP/1.1\nHost: x\nContent-Type: application/json', 'HPE_INVALID_VERSION')).toEqual({ part: 'head', where: 'head', rule: 'header syntax', message });
  expect(parse('HTTP/1.1 201 Created\nContent-Type: application/json', 'HPE_CR_EXPECTED')).toEqual({ part: 'head', where: 'head', rule: 'header syntax', message });
});

it('lists every rule of the one reader', () => {
  expect(WIRE_RULES.filter((rule) => !twins.some((t) => t.rule === rule))).toEqual([]);
});

it('a correct request and answer with action results of both types, in both spellings, pass alike', () => {
  const items = [{ actionState: 'done' }, { ...MISTYPED, '@odata.type': 'microsoft.graph.vppTokenRevokeLicensesActionResult' }, { '@odata.type': 'microsoft.graph.vppTokenActionResult', actionState: 'failed' }];
  expect(checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: LINES, body: undefined, bytes: Buffer.from(text({ ...SENT, tokenActionResults: items })) })).toEqual([]);
  expect(judgeCreatedAnswer(SENT, { status: 201, headers: {}, rawHeaders: ['Content-Type', 'application/json'], body: undefined, bytes: Buffer.from(text(created('beta', { tokenActionResults: items }))) })).toEqual([]);
});

it('a charset of UTF-8, in any case, quoted or not, or none, passes on both sides', () => {
  for (const contentType of ['application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/json ; Charset=utf8', 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8']) {
    expect(checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Content-Type', contentType, 'Authorization', 'Bearer x'], body: undefined, bytes: Buffer.from(text(SENT)) })).toEqual([]);
    expect(judgeCreatedAnswer(SENT, { status: 201, headers: {}, rawHeaders: ['Content-Type', contentType.replace(/ ;/, ';')], body: undefined, bytes: Buffer.from(text(created('beta'))) })).toEqual([]);
  }
});

it('a correct request and answer pass all three sides alike', () => {
  expect(checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: LINES, body: undefined, bytes: Buffer.from(text(SENT)) })).toEqual([]);
  expect(judgeCreatedAnswer(SENT, { status: 201, headers: {}, rawHeaders: ['Content-Type', 'application/json'], body: undefined, bytes: Buffer.from(text(created('beta'))) })).toEqual([]);
});

it('chunked alone, in any case, is framing and no fault on either side', () => {
  for (const coding of ['chunked', 'Chunked']) {
    expect(checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: [...LINES, 'Transfer-Encoding', coding], body: undefined, bytes: Buffer.from(text(SENT)) })).toEqual([]);
    expect(judgeCreatedAnswer(SENT, { status: 201, headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Transfer-Encoding', coding], body: undefined, bytes: Buffer.from(text(created('beta'))) })).toEqual([]);
  }
});

// Outside tester R25 (decision 0488): chunked named twice, on two lines or in one, is the one reader's fault in an
// answer, in a request that reached a judge, and in a request head Node's parser refused, with the same words.
it('chunked named twice is refused alike in a request, a refused request head and an answer', () => {
  const TWICE = /^header Transfer-Encoding: names chunked 2 times: a sender must not apply chunked more than once \(RFC 9112 §7\)/;
  for (const lines of [['Transfer-Encoding', 'chunked, chunked'], ['Transfer-Encoding', 'chunked', 'Transfer-Encoding', 'Chunked']]) {
    const request = checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: [...LINES, ...lines], body: undefined, bytes: Buffer.from(text(SENT)) });
    expect(request.map((p) => `${p.where}: ${p.message}`)).toEqual([expect.stringMatching(TWICE)]);
    const answer = judgeCreatedAnswer(SENT, { status: 201, headers: {}, rawHeaders: ['Content-Type', 'application/json', ...lines], body: undefined, bytes: Buffer.from(text(created('beta'))) });
    expect(answer.map((p) => `${p.where}: ${p.message}`)).toEqual([expect.stringMatching(TWICE)]);
    const head = `POST /deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\n${lines[0]}: ${lines[1]}${lines[2] ? `\r\n${lines[2]}: ${lines[3]}` : ''}`;
    const refused = headProblem({ code: 'HPE_INVALID_TRANSFER_ENCODING', reason: 'Invalid `Transfer-Encoding` header value', rawPacket: Buffer.from(`${head}\r\n\r\n`, 'latin1'), bytesParsed: 0 });
    expect(refused && `${refused.where}: ${refused.message}`).toMatch(TWICE);
  }
});

// Outside tester R26 (decision 0492): Transfer-Encoding in an HTTP/1.0 message is a framing fault (RFC 9112 §6.1), in a
// request and in an answer alike, in the same words; the same lines in HTTP/1.1, and HTTP/1.0 without it, pass both.
it('Transfer-Encoding in an HTTP/1.0 message is refused alike in a request and in an answer', () => {
  const judge = (httpVersion: string, framing: string[]) => ({
    request: checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: [...LINES, ...framing], body: undefined, bytes: Buffer.from(text(SENT)), httpVersion }).map((p) => `${p.where}: ${p.message}`),
    answer: judgeCreatedAnswer(SENT, { status: 201, headers: {}, rawHeaders: ['Content-Type', 'application/json', ...framing], body: undefined, bytes: Buffer.from(text(created('beta'))), httpVersion }).map((p) => `${p.where}: ${p.message}`),
  });
  for (const coding of ['chunked', 'gzip, chunked']) {
    const { request, answer } = judge('1.0', ['Transfer-Encoding', coding]);
    expect(answer).toEqual([`header Transfer-Encoding: is sent in an HTTP/1.0 message, whose framing a recipient must then treat as faulty, even beside a Content-Length, and close the connection after it (RFC 9112 §6.1): HTTP/1.0 has no transfer codings, so an HTTP/1.0 recipient or proxy on the way reads the body until the connection closes, chunk lines and all; send HTTP/1.1, or HTTP/1.0 framed by Content-Length (got ${JSON.stringify(coding)})`]);
    expect(request).toEqual(answer);
  }
  expect(judge('1.1', ['Transfer-Encoding', 'chunked'])).toEqual({ request: [], answer: [] });
  expect(judge('1.0', ['Content-Length', String(text(SENT).length)]).request).toEqual([]);
});

// Outside tester R35 (decision 0489): a field that must stay in the head is refused in a trailer section alike, a
// request's and an answer's, in the same words; a field a trailer may carry passes both.
it('a trailer field that belongs in the head is refused alike in a request and in an answer', () => {
  const judge = (trailer: string[]) => ({
    request: checkClientRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: [...LINES, 'Transfer-Encoding', 'chunked'], body: undefined, bytes: Buffer.from(text(SENT)), rawTrailers: trailer }, 'beta').problems.map((p) => `${p.where}: ${p.message}`),
    answer: judgeCreatedAnswer(SENT, { status: 201, headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Transfer-Encoding', 'chunked'], body: undefined, bytes: Buffer.from(text(created('beta'))), rawTrailers: trailer }).map((p) => `${p.where}: ${p.message}`),
  });
  for (const name of ['Content-Type', 'Location', 'Retry-After', 'WWW-Authenticate', 'Set-Cookie', 'Transfer-Encoding']) {
    const { request, answer } = judge([name, 'x']);
    expect(answer).toEqual([expect.stringMatching(new RegExp(`^trailer ${name}: must not be sent in the trailer section \\(RFC 9110 §6\\.5\\.1`))]);
    expect(request).toEqual(answer);
  }
  expect(judge(['X-Checksum', 'abc'])).toEqual({ request: [], answer: [] });
});
