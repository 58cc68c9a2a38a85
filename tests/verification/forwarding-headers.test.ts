// Outside attacker R113 (decision 0980): `X-Forwarded-Host: gw.contoso.example` (nginx's `proxy_set_header
// X-Forwarded-Host $host`), given by a client through the proxy or with verify's `--header`, was taken for a
// credential: the kit's own reference provider names that host in Location and @odata.context on purpose (0566),
// and the proxy and verify failed it `credentials not echoed`. The fields a front says its client's host, scheme,
// address, port, prefix and own name in are known to carry no credential: one list (isPlainHeader) for the HAR
// writer, the redaction and the echo judgement alike.
import { createRequestFactory, createdVppToken } from '../../src';
import { credentialEchoProblems, credentialLines, headerSecretValues, judgeCreateExchange, judgeReadEcho, publicHostValue } from '../../src/judgement';
import { startReferenceProvider } from '../../src/provider';
import { conform } from '../../src/conform';
import { startJudgingProxy } from '../../src/proxy';
import { redactHeader } from '../../src/proxy/redact';
import { verifyProvider } from '../../src/verification';
import { readMessage } from '../../src/wire';
import { testEnd } from '../support/test-end';

const JSON_TYPE = 'application/json;odata.metadata=minimal;charset=utf-8';
const HOST = 'gw.contoso.example';
const FORWARDING: [string, string][] = [
  ['X-Forwarded-Host', HOST],
  ['X-Forwarded-Proto', 'https'],
  ['X-Forwarded-For', '203.0.113.195, 198.51.100.17'],
  ['X-Forwarded-Port', '443'],
  ['X-Forwarded-Prefix', '/api/graph-facade'],
  // Kong sets it beside X-Forwarded-Prefix on every proxied request (finding Y5, decision 1026).
  ['X-Forwarded-Path', '/graphgw/beta'],
  ['X-Forwarded-Server', 'frontend-01.contoso.internal'],
  ['X-Original-Host', HOST],
  ['X-Real-IP', '203.0.113.195'],
  ['Forwarded', `for=203.0.113.195;host=${HOST};proto=https`],
];
const lines = (pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));
const sent = createRequestFactory.withSeed(113).buildAt(0);
const created = createdVppToken(sent, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date() });
const BEARER = 'Bearer r113-access-token-0123456789';
const echoes = (answerHeaders: string[], requestLines: { name: string; value: string }[]) =>
  credentialEchoProblems(readMessage({ headers: ['Content-Type', JSON_TYPE, ...answerHeaders], text: JSON.stringify(created) }), { authorization: BEARER, sent, sentHeaders: requestLines.map((l) => l.value), headerCredentials: credentialLines(requestLines) }, true).map((p) => `${p.where}: ${p.message}`);

describe('a front\'s forwarding fields carry no credential (decision 0980, outside attacker R113)', () => {
  it.each(FORWARDING)('%s is written as it is, not hidden, and not looked for in the answer', (name, value) => {
    expect(credentialLines(lines([[name, value]]))).toEqual([]);
    expect(headerSecretValues(lines([[name, value]]))).toEqual([]);
    expect(redactHeader(name, value)).toBe(value);
    expect(redactHeader(name.toLowerCase(), value)).toBe(value);
    expect(echoes([name, value, 'Via', '1.1 frontend-01.contoso.internal'], lines([[name, value]]))).toEqual([]);
  });

  it('still looks for the same value under a field not known to carry none, and hides it', () => {
    const session = lines([['X-Front-Session', 'frontend-01.contoso.internal']]);
    expect(credentialLines(session)).toEqual(session);
    expect(redactHeader('X-Front-Session', 'frontend-01.contoso.internal')).toBe('[redacted]');
    expect(echoes(['Via', '1.1 frontend-01.contoso.internal'], session)).toEqual([
      "header Via: must not contain the credential of the request's X-Front-Session header (not shown): an answer never carries a credential of its request",
    ]);
  });

  it("still fails the client whose forwarding field holds its bearer: that is the client's leak, wherever the field", () => {
    const create = (name: string, value: string) => ({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', BEARER, name, value], body: JSON.stringify(sent) });
    const answer = { status: 201, headers: {}, rawHeaders: ['Content-Type', JSON_TYPE, 'Location', `https://${HOST}/beta/deviceAppManagement/vppTokens('${created.id}')`], body: JSON.stringify(created) };
    const judged = (name: string, value: string) => judgeCreateExchange(create(name, value), answer, 'beta', undefined, { publicHosts: [HOST] })
      .filter((p) => p.check === 'request headers' || p.check === 'credentials not echoed')
      .map((p) => `${p.side} ${p.check} ${p.where}`);
    expect(judged('X-Forwarded-Host', 'r113-access-token-0123456789')).toEqual(['client request headers header X-Forwarded-Host']);
    expect(judged('X-Forwarded-Host', HOST)).toEqual([]);
  });

  // 0980's leftover (decision 1052): a front's own field for its host (`X-My-Front-Host`) is on no list, and the answer's
  // links on the --public-host it names failed `credentials not echoed`. A value that is a --public-host the run was
  // given is that public name, no credential: not looked for in an answer, under any field; any other value is.
  it('does not look for a --public-host under a field not on the list, in a create\'s answer or a read\'s, and still looks for any other value there', () => {
    const location = `https://${HOST}/beta/deviceAppManagement/vppTokens('${created.id}')`;
    const create = (value: string) => ({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', BEARER, 'X-My-Front-Host', value], body: JSON.stringify(sent) });
    const answer = { status: 201, headers: {}, rawHeaders: ['Content-Type', JSON_TYPE, 'Location', location], body: JSON.stringify({ '@odata.context': `https://${HOST}/beta/$metadata#deviceAppManagement/vppTokens/$entity`, ...created }) };
    const judged = (value: string, publicHosts: string[]) => judgeCreateExchange(create(value), answer, 'beta', undefined, { publicHosts }).map((p) => `${p.side} ${p.check} ${p.where}`);
    for (const value of [HOST, 'GW.Contoso.Example', `https://${HOST}`, ` ${HOST} `]) expect([value, judged(value, [HOST])]).toEqual([value, []]);
    // The other way: no --public-host, or another one, and the value is looked for; a key under the field still is.
    const echoed = ['provider credentials not echoed header Location', 'provider credentials not echoed body /@odata.context'];
    expect(judged(HOST, [])).toEqual(expect.arrayContaining(echoed));
    expect(judged(HOST, ['api.contoso.example'])).toEqual(expect.arrayContaining(echoed));
    // A part of the host is not the host: looked for, and the Location holds it.
    expect(judged('gw.contoso', [HOST])).toEqual(expect.arrayContaining(echoed));
    // A read's answer by the same rule (conform's read-back and pages, the proxy's reads).
    const page = { status: 200, headers: {}, rawHeaders: ['Content-Type', JSON_TYPE], bytes: Buffer.from(JSON.stringify({ '@odata.context': `https://${HOST}/beta/$metadata#deviceAppManagement/vppTokens`, value: [] })), body: undefined };
    const readLines = ['Authorization', BEARER, 'X-My-Front-Host', HOST];
    expect(judgeReadEcho(page, readLines, undefined, undefined, [HOST])).toEqual([]);
    expect(judgeReadEcho(page, readLines).map((p) => p.where)).toEqual(['body /@odata.context']);
    // The one reading (conform's link check asks it too): a host or an origin, in any case; not a part, a path or a port.
    expect([HOST, `HTTPS://${HOST.toUpperCase()}`, `http://${HOST}/`].map((v) => publicHostValue(v, [HOST]))).toEqual([true, true, true]);
    expect([`${HOST}/beta`, 'gw.contoso', `${HOST}:8443`, `user@${HOST}`].map((v) => publicHostValue(v, [HOST]))).toEqual([false, false, false, false]);
    expect([publicHostValue(HOST, undefined), publicHostValue(HOST, [])]).toEqual([false, false]);
    // The same name (1052 amended, finding Y1): the scheme's default port spelt or not (RFC 9110 §4.2.3), and a
    // fully qualified name's trailing dot, either side; another port, or a dot inside, is another name.
    expect([`${HOST}:443`, `${HOST}.`, `${HOST}.:443`, `https://${HOST}.:443`, `http://${HOST}:80`].map((v) => publicHostValue(v, [HOST]))).toEqual([true, true, true, true, true]);
    expect([HOST, `${HOST}.`, `https://${HOST}`].map((v) => publicHostValue(v, [`${HOST}:443`]))).toEqual([true, true, true]);
    expect([`${HOST}:4430`, `${HOST}:8443`, `${HOST}..`, `gw.contoso.:443`].map((v) => publicHostValue(v, [HOST]))).toEqual([false, false, false, false]);
    expect(publicHostValue(`${HOST}:443`, [`${HOST}:8443`])).toBe(false);
    // Written as before: the field is on no list, so its value stays hidden where the kit writes (fails closed).
    expect(redactHeader('X-My-Front-Host', HOST)).toBe('[redacted]');
  });
});

describe('the reference provider behind a front that says the host asked (R113)', () => {
  const front = { 'X-Forwarded-Host': HOST, 'X-Forwarded-Proto': 'https' };

  it('passes verify with --header X-Forwarded-Host/-Proto and --public-host, and without --public-host fails resource identity naming the host', async () => {
    const provider = await startReferenceProvider({ bodyLimit: 64 * 1024 });
    try {
      const run = (publicHosts?: string[]) => verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'only its token', headers: front, publicHosts });
      const allowed = await run([HOST]);
      expect([allowed.passed, allowed.interactions.flatMap((i) => [...i.mismatches, ...i.answerProblems.map((p) => `${p.check} ${p.where}`)])]).toEqual([true, []]);
      // The other way: the host is not the service's unless the user says so; the message names it (no secret to hide).
      const refused = await run();
      const problems = refused.interactions.flatMap((i) => i.answerProblems);
      expect(refused.passed).toBe(false);
      expect([...new Set(problems.map((p) => p.check))]).toEqual(['resource identity']);
      expect(problems.map((p) => p.message).join('\n')).toContain(HOST);
    } finally {
      await provider.close();
    }
  });

  it("passes conform with --header X-Forwarded-Host/-Proto and --public-host (the same judgement), and without it fails resource identity only", async () => {
    const provider = await startReferenceProvider({ bodyLimit: 64 * 1024 });
    try {
      const run = (publicHosts?: string[]) => conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, seed: 113, runs: 1, maxRequests: 12, checks: ['credentials not echoed', 'resource identity'], headers: front, publicHosts, bodyLimit: 64 * 1024 });
      const allowed = await run([HOST]);
      expect([allowed.passed, allowed.findings.map((f) => `${f.check} ${f.where}`)]).toEqual([true, []]);
      const refused = await run();
      expect(refused.passed).toBe(false);
      expect([...new Set(refused.findings.map((f) => f.check))]).toEqual(['resource identity']);
    } finally {
      await provider.close();
    }
  });

  it('passes the proxy with a client sending the forwarding fields and --public-host, and blames nobody for echoing them', async () => {
    const provider = await startReferenceProvider({ bodyLimit: 64 * 1024 });
    const proxy = await startJudgingProxy({ target: `${provider.url}/beta`, publicHosts: [HOST], checkTarget: false });
    try {
      const answer = await fetch(`${proxy.url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: BEARER, ...front, 'X-Forwarded-Server': 'frontend-01.contoso.internal', 'X-Forwarded-For': '203.0.113.195' }, body: JSON.stringify(sent) });
      const text = await answer.text();
      expect([answer.status, text]).toEqual([201, expect.stringContaining(`https://${HOST}/beta/$metadata#`)]);
      expect(proxy.violations.map((v) => `${v.side} ${v.check} ${v.where}`)).toEqual([]);
    } finally {
      await proxy.close();
      await provider.close();
    }
  });
});
