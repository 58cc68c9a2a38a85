// Outside tester Y3, Y8, Y9 (round 16's last check; decision 0770): a credential of 8 characters or more that is part
// of the contract's own data failed the correct reference provider. `--bearer Partners` is part of the orgName "Rau
// Partners" the create's sToken holds (Graph answers it as organizationName), `IsImV4cERhdGUi` of every kit sToken's
// base64, `0001-01-01T00` of Graph's never date: `credentials not echoed` fired at /organizationName, /token and
// /lastSyncDateTime, and verify's forwarder hid the value in what Pact compares (`Expected 'Rau [bearer]' to be equal
// to 'Rau [bearer]'`), under `--header X-Api-Key=Partners` too. An echo is the credential where the request's own
// data does not hold it; a piece of a date is refused up front as a word of the contract is.
import { createServer } from 'node:http';
import { createRequestFactory, createdVppToken } from '../../src';
import { addressOf, bearerProblem, checkClientRequest, credentialEchoProblems, formatRequestProblem, givenSecrets, judgeReadEcho, ownDataOf, secretsBeyondOwnData, worthLookingFor } from '../../src/judgement';
import { hideSecrets } from '../../src/net';
import { startReferenceProvider } from '../../src/provider';
import { verifyProvider } from '../../src/verification';
import { harOf } from '../../src/proxy';
import { through } from '../support/through-proxy';
import { startForwarder } from '../../src/verification/forwarder';
import { bodyStrings, readMessage } from '../../src/wire';
import { listenOnLoopback } from '../support/listen';

const JSON_TYPE = 'application/json;odata.metadata=minimal;charset=utf-8';
const factory = createRequestFactory.withSeed(770).buildAt(0);
const inner = (JSON.parse(Buffer.from(factory.token, 'base64').toString('utf8')) as { token: string }).token;
const sTokenOf = (orgName: string) => Buffer.from(JSON.stringify({ token: inner, expDate: '2041-06-09T09:57:17-0700', orgName }), 'utf8').toString('base64');
/** A create whose sToken names "Rau Partners", and no other value of it holds `Partners`. */
const sent = { ...factory, token: sTokenOf('Rau Partners'), displayName: 'Tenant ASM token' };
const id = '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60';
const answerOf = (body: unknown, headers: string[] = []) => readMessage({ headers: ['Content-Type', JSON_TYPE, ...headers], text: JSON.stringify(body) });
const echoes = (body: unknown, bearer: string, request: unknown = sent, headers: string[] = []) =>
  credentialEchoProblems(answerOf(body, headers), { authorization: `Bearer ${bearer}`, sent: request }, true).map((p) => `${p.where}: ${p.message}`);
const ECHO = "must not contain the request's bearer token (not shown): an answer never carries a credential of its request";

describe("credentials not echoed: a bearer that is part of the request's own data (decision 0770)", () => {
  const created = createdVppToken(sent, { id, now: new Date() });

  it("passes the reference provider's 201 when the bearer is part of the sToken's orgName, of its base64 at any offset, or of its token proper", () => {
    expect(created.organizationName).toBe('Rau Partners');
    expect(sent.token).toContain('IsImV4cERhdGUi');
    for (const bearer of ['Partners', 'IsImV4cERhdGUi', sent.token.slice(5, 19), sent.token.slice(61, 80), inner.slice(10, 30)]) expect([bearer, echoes(created, bearer)]).toEqual([bearer, []]);
    // Part of another value the request sent (displayName, appleId), as before.
    expect(echoes({ ...created, displayName: 'Tenant ASM token' }, 'Tenant ASM')).toEqual([]);
    expect(echoes({ ...created, appleId: 'admin-0770@school.example' }, 'admin-0770', { ...sent, appleId: 'admin-0770@school.example' })).toEqual([]);
  });

  it('still fails the bearer where the request did not put it: in a name the sToken does not hold, in a header, in another value', () => {
    const other = { ...sent, token: sTokenOf('Rau Labs') };
    expect(echoes({ ...createdVppToken(other, { id, now: new Date() }), organizationName: 'Rau Partners' }, 'Partners', other)).toEqual([`body /organizationName: ${ECHO}`]);
    expect(echoes(createdVppToken(other, { id, now: new Date() }), 'Partners', other, ['X-Echo', 'Partners'])).toEqual([`header X-Echo: ${ECHO}`]);
    expect(echoes({ ...created, displayName: 'auth was Zq8xLongDummy' }, 'Zq8xLongDummy')).toEqual([`body /displayName: ${ECHO}`]);
  });

  it('passes a Location and @odata.context that name the URL the request went to when the bearer is part of it (--bearer 127.0.0.1)', () => {
    const target = 'http://127.0.0.1:47070/beta/deviceAppManagement/vppTokens';
    const body = { '@odata.context': 'http://127.0.0.1:47070/beta/$metadata#deviceAppManagement/vppTokens/$entity', ...created };
    const judged = (at: string) => credentialEchoProblems(answerOf(body, ['Location', `${target}('${id}')`]), { authorization: 'Bearer 127.0.0.1', sent, target: at }, true).map((p) => p.where);
    expect(judged(target)).toEqual([]);
    // The other way: the same answer to a request that went elsewhere names an address the request did not.
    expect(judged('http://provider.example/beta/deviceAppManagement/vppTokens')).toEqual(['header Location', 'body /@odata.context']);
  });

  it("passes an error whose code and message are Graph's prose holding a word-shaped bearer; a word elsewhere, and a bearer with a digit there, still fail", () => {
    const error = (code: string, message: string, detail = message) => ({ error: { code, message, details: [{ code, message: detail }], innerError: { date: '2026-12-04T18:00:00', 'request-id': id } } });
    const rejected = (body: unknown, bearer: string) => credentialEchoProblems(answerOf(body), { authorization: `Bearer ${bearer}`, sent }, false).map((p) => p.where);
    for (const [bearer, body] of [['required', error('BadRequest', "The token is required.")], ['BadRequest', error('BadRequest', 'Bad request.')], ['property', error('BadRequest', "Unknown property 'x'.")]] as const) expect([bearer, rejected(body, bearer)]).toEqual([bearer, []]);
    expect(rejected({ ...error('BadRequest', 'Bad request.'), displayName: 'required' }, 'required')).toEqual(['body /displayName']);
    expect(rejected(error('BadRequest', 'The token required1x is not valid.'), 'required1x')).toEqual(['body /error/message', 'body /error/details/0/message']);
  });

  it("passes a page that lists vppTokens whose own sTokens hold the bearer, and fails one that echoes it elsewhere", () => {
    const page = { value: [created, createdVppToken({ ...factory, displayName: 'Second' }, { id: id.replace('7b', '8c'), now: new Date() })] };
    const read = (body: unknown) => judgeReadEcho({ status: 200, headers: {}, rawHeaders: ['Content-Type', JSON_TYPE], bytes: Buffer.from(JSON.stringify(body)), body: undefined }, ['Authorization', 'Bearer Partners']);
    expect(read(page)).toEqual([]);
    expect(read({ value: [{ ...page.value[1], organizationName: 'Rau Partners' }] }).map((p) => p.where)).toEqual(['body /value/0/organizationName']);
  });

  it("ownDataOf holds what the request sent, its sToken's members and the sTokens the answer lists at a vppToken's token", () => {
    const listed = createRequestFactory.withSeed(771).buildAt(0).token;
    const own = ownDataOf({ token: sent.token, displayName: 'Tenant' }, ['client-request-id-0770'], bodyStrings(JSON.stringify({ value: [{ token: listed, displayName: 'not an sToken', id: createRequestFactory.withSeed(772).buildAt(0).token }] })));
    const orgOfListed = (JSON.parse(Buffer.from(listed, 'base64').toString('utf8')) as { orgName: string }).orgName;
    expect(own).toEqual(expect.arrayContaining([sent.token, 'Tenant', 'client-request-id-0770', 'Rau Partners', '2041-06-09T09:57:17-0700', listed, orgOfListed]));
    // Its token proper is the credential, not data.
    expect(own).not.toContain(inner);
    // An sToken elsewhere than at a vppToken's `token` is no vppToken's own (another caller's, handed out).
    expect(own).not.toContain('not an sToken');
    expect(own.filter((text) => text === createRequestFactory.withSeed(772).buildAt(0).token)).toEqual([]);
  });
});

describe('a bearer that is part of a date and time is not looked for, and refused by verify, conform and seed (decision 0770)', () => {
  it.each(['0001-01-01T00', '2041-05-04', '2026-12-04T17', '0001-01-01t00', '01-01T00:00:00.0000000Z', '09T09:57:17-0700', '-01-01T00:00'])('%p', (credential) => {
    expect(worthLookingFor(credential)).toBe(false);
    expect(givenSecrets({ bearer: credential, headers: { 'X-Api-Key': credential } })).toEqual({ values: [] });
    if (/^[0-9A-Za-z.+-]+$/.test(credential)) expect(bearerProblem(credential)).toMatch(/^the bearer is, or is part of, a date and time as Graph writes one .*; its value is not shown$/);
  });

  it('looks for a value that is in no instant: eight digits in a row, a date with a letter in it, a GUID piece', () => {
    for (const credential of ['12345678', '00000000', '2041-05-04X', '7b4f0b8e-2c1d', '0001-01-01T00ZZ']) expect([credential, worthLookingFor(credential), bearerProblem(credential)]).toEqual([credential, true, undefined]);
  });

  it("does not call Graph's never date an echo of a header value, and the judgement never looks for a refused bearer", () => {
    const created = createdVppToken(sent, { id, now: new Date() });
    expect(created.lastSyncDateTime).toBe('0001-01-01T00:00:00Z');
    expect(echoes(created, '0001-01-01T00')).toEqual([]);
    expect(echoes({ ...created, displayName: '2041-05-04 token' }, '2041-05-04')).toEqual([]);
  });
});

// Review of 0860 (decision 0902): credentialEchoProblems and credentialsOf bounded a credential by its length and the
// contract's words themselves, where every writer and credentialLines ask worthLookingFor: a word for no value
// (`Bearer undefined`) or a piece of the route (`/v1.0/deviceAppManagement`) was looked for in an answer, though no
// writer hides it and a correct answer (a Location) holds the route. One predicate now.
describe('credentials not echoed looks for what worthLookingFor takes, and nothing else (decision 0902)', () => {
  const judged = (credential: string, headerCredentials = [{ name: 'X-Api-Key', value: credential }]) =>
    credentialEchoProblems(answerOf({ error: { code: 'BadRequest', message: 'x' } }, ['X-Echo', `was ${credential}`]), { authorization: `Bearer ${credential}`, headerCredentials }, false).map((p) => p.where);
  it.each(['undefined', '/v1.0/deviceAppManagement', 'vppTokens/$count', 'SEVENch'])('%p: not worth looking for, never looked for as the bearer or a header credential', (credential) => {
    expect(worthLookingFor(credential)).toBe(false);
    expect(judged(credential)).toEqual([]);
  });
  it('the other way: a value worth looking for is found as the bearer and as a header credential', () => {
    expect(worthLookingFor('Zq8xLongDummy0902')).toBe(true);
    expect(judged('Zq8xLongDummy0902', [])).toEqual(['header X-Echo']);
    expect(credentialEchoProblems(answerOf({}, ['X-Echo', 'was Zq8xLongDummy0902']), { headerCredentials: [{ name: 'X-Api-Key', value: 'Zq8xLongDummy0902' }] }, false).map((p) => p.message)).toEqual([
      "must not contain the credential of the request's X-Api-Key header (not shown): an answer never carries a credential of its request",
    ]);
  });
});

describe("what Pact is handed: the provider's bytes, unless they echo a credential (decision 0770)", () => {
  const through = async (target: string, secrets: ReturnType<typeof givenSecrets>, headers: Record<string, string>, body: unknown) => {
    const seen: Buffer[] = [];
    const forwarder = await startForwarder(new URL(target), { timeoutMs: 10_000, secrets, onExchange: (e) => seen.push(e.bytes) });
    try {
      const answer = await fetch(`${forwarder.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { pact: Buffer.from(await answer.arrayBuffer()).toString(), provider: seen[0].toString(), echo: answer.headers.get('x-echo') };
    } finally {
      await forwarder.close();
    }
  };

  it("hands Pact the reference provider's 201 as it came under a bearer or --header value that is part of the sToken or of the URL the request went to", async () => {
    const provider = await startReferenceProvider();
    try {
      for (const value of ['Partners', 'IsImV4cERhdGUi', sent.token.slice(61, 80), '127.0.0.1']) {
        const secrets = givenSecrets({ bearer: value, headers: { 'X-Api-Key': value } });
        expect(secrets).toEqual({ bearer: value, values: [value] });
        const { pact, provider: bytes } = await through(`${provider.url}/beta`, secrets, { Authorization: `Bearer ${value}`, 'X-Api-Key': value }, sent);
        expect(pact).toBe(bytes);
        expect(JSON.parse(pact)).toMatchObject({ organizationName: 'Rau Partners', token: sent.token });
      }
    } finally {
      await provider.close();
    }
  });

  it('still hides a value where the provider puts it and the request did not: its bearer and key in a name the sToken does not hold', async () => {
    const echo = await listenOnLoopback(
      createServer((req, res) => {
        res.writeHead(201, { 'Content-Type': 'application/json', 'X-Echo': `${req.headers['x-api-key']}` });
        res.end(JSON.stringify({ organizationName: 'Rau Partners', displayName: `key ${req.headers['x-api-key']}` }));
      }),
    );
    try {
      const other = { ...sent, token: sTokenOf('Rau Labs') };
      const { pact, echo: header } = await through(echo.url, givenSecrets({ bearer: 'Partners', headers: { 'X-Api-Key': 'Partners' } }), { Authorization: 'Bearer Partners', 'X-Api-Key': 'Partners' }, other);
      expect(JSON.parse(pact)).toEqual({ organizationName: 'Rau [bearer]', displayName: 'key [bearer]' });
      expect(header).toBe('[bearer]');
    } finally {
      await echo.close();
    }
  });

  it("hands Pact an answer as it came where the bearer is part of the pact's own data, which Pact's report prints anyway (a read of one property)", async () => {
    const reader = await listenOnLoopback(createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ value: 'Rau Partners' }))));
    try {
      const secrets = givenSecrets({ bearer: 'Partners' });
      const read = async (pactData?: string[]) => {
        const forwarder = await startForwarder(new URL(reader.url), { timeoutMs: 10_000, secrets, ...(pactData ? { pactData } : {}) });
        try {
          return await (await fetch(`${forwarder.url}/deviceAppManagement/vppTokens/${id}/organizationName`, { headers: { Authorization: 'Bearer Partners' } })).text();
        } finally {
          await forwarder.close();
        }
      };
      expect(await read(ownDataOf({ interactions: [{ response: { body: { value: 'Rau Partners' } } }] }))).toBe('{"value":"Rau Partners"}');
      // The other way: data the pact does not hold, the request did not send and no sToken of the exchange holds.
      expect(await read(ownDataOf({ interactions: [{ response: { body: { value: 'Rau Labs' } } }] }))).toBe('{"value":"Rau [bearer]"}');
      expect(await read()).toBe('{"value":"Rau [bearer]"}');
    } finally {
      await reader.close();
    }
  });

  it('secretsBeyondOwnData keeps the marks and other secrets, and drops only what the own data holds', () => {
    const secrets = { bearer: 'Partners', values: ['Partners', 'GatewayKey0123', undefined], keep: ['k'], sent: sent.token };
    const beyond = secretsBeyondOwnData(secrets, ownDataOf(sent));
    expect(beyond).toEqual({ values: [undefined, 'GatewayKey0123', undefined], keep: ['k'], sent: sent.token });
    expect(hideSecrets('Rau Partners GatewayKey0123', beyond)).toBe('Rau Partners [token]');
    expect(secretsBeyondOwnData(secrets, ownDataOf({ ...sent, token: sTokenOf('Rau Labs') }))).toEqual(secrets);
    // The VPP token, its token proper and a part of it stay secrets, though the request's own sToken holds them.
    const tokens = { values: [sent.token, inner, inner.slice(4, 40), `Bearer ${sent.token}`] };
    expect(secretsBeyondOwnData(tokens, ownDataOf(sent))).toEqual(tokens);
  });
});

describe('verify of the canonical pact against the reference provider (outside tester Y3, Y9)', () => {
  it("passes a create whose sToken's orgName (Schimmel Partners) and base64 hold the bearer and a --header value", async () => {
    const result = await verifyProvider({ interaction: 'with only its token', bearer: 'IsImV4cERhdGUi', headers: { 'X-Api-Key': 'Partners' } });
    expect([result.summary, result.interactions.flatMap((i) => [...i.mismatches, ...i.answerProblems.map((p) => p.message)])]).toEqual([expect.stringMatching(/: 1 passed, 0 failed/), []]);
    expect(result.passed).toBe(true);
  });
});

describe('the proxy (outside tester Y3 addendum)', () => {
  it("blames no one for a bearer and a key that are part of the client's sToken, and its HAR keeps the answer's organizationName; a bearer the client copied is still hidden and failed", async () => {
    const provider = await startReferenceProvider();
    try {
      await through(`${provider.url}/beta`, async (proxy) => {
        const send = (body: unknown) => fetch(`${proxy.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer Partners', 'X-Api-Key': 'IsImV4cERhdGUi' }, body: JSON.stringify(body) });
        expect((await send(sent)).status).toBe(201);
        expect((await send({ ...sent, token: sTokenOf('Rau Labs'), displayName: 'copied Partners' })).status).toBe(201);
        await proxy.close();
        const [own, copied] = proxy.exchanges;
        expect(own.problems).toEqual([]);
        expect(copied.problems.map((p) => `${p.side} ${p.where}: ${p.message}`)).toEqual([expect.stringMatching(/^client body \/displayName: holds the request's own access token/)]);
        const [first, second] = harOf(proxy.exchanges, { name: 'vppkit', version: 'test' }).log.entries;
        expect(JSON.parse(first.response.content.text!)).toMatchObject({ organizationName: 'Rau Partners', token: '[redacted]' });
        expect(first.request.headers.filter((h) => /authorization|x-api-key/i.test(h.name)).map((h) => h.value)).toEqual(['Bearer [redacted]', '[redacted]']);
        expect(JSON.parse(second.request.postData!.text).displayName).toBe('copied [token]');
        expect(JSON.parse(second.response.content.text!)).toMatchObject({ organizationName: 'Rau Labs', displayName: 'copied [token]' });
      }, { keepBodies: true });
    } finally {
      await provider.close();
    }
  });
});

describe("check-client and the proxy: a bearer that is part of the request's own address (decision 0770)", () => {
  it("the proxy blames no one and its HAR rewrites nothing for Bearer 127.0.0.1 to a local target; the address is a URL's origin and path only", async () => {
    const provider = await startReferenceProvider();
    try {
      await through(`${provider.url}/beta`, async (proxy) => {
        expect((await fetch(`${proxy.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer 127.0.0.1' }, body: JSON.stringify(sent) })).status).toBe(201);
        await proxy.close();
        expect(proxy.exchanges[0].problems).toEqual([]);
        const [entry] = harOf(proxy.exchanges, { name: 'vppkit', version: 'test' }).log.entries;
        expect(entry.request.url).toBe(`${provider.url}/beta/deviceAppManagement/vppTokens`);
        expect(JSON.stringify(entry)).not.toMatch(/\[(token|bearer)\]/);
        expect(entry.request.headers.find((h) => h.name === 'Authorization')?.value).toBe('Bearer [redacted]');
      }, { keepBodies: true });
    } finally {
      await provider.close();
    }
    expect(addressOf('https://user:secret-0770@gw.example:8443/beta/deviceAppManagement/vppTokens?access_token=secret-0770#x')).toBe('https://gw.example:8443/beta/deviceAppManagement/vppTokens');
    expect(addressOf('not a url?access_token=secret-0770')).toBe('not a url');
  });

  it('passes a create whose Host names the address the bearer is part of, and fails the bearer in another field', () => {
    const judged = (headers: string[]) => checkClientRequest({ method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', 'Bearer 127.0.0.1', ...headers], body: undefined, bytes: Buffer.from(JSON.stringify(sent)) }, 'beta').problems.map(formatRequestProblem);
    expect(judged(['Host', '127.0.0.1:41089'])).toEqual([]);
    expect(judged(['Host', '127.0.0.1:41089', 'client-request-id', '127.0.0.1'])).toEqual([expect.stringMatching(/^header client-request-id: holds the request's bearer token \(not shown\)/)]);
    // A VPP token in Host is still one.
    expect(judged(['Host', sent.token.slice(0, 40)])).toEqual([expect.stringMatching(/^header Host: holds a VPP token/)]);
  });
});
