// An https target whose certificate a private CA signed: trusted with the CA (--ca), refused without it in one
// line that says what to do, both at start and, had the start check been skipped, on the way.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';
import { startJudgingProxy } from 'vpptokens-contract-kit/proxy';
import { tlsInFrontOf } from '../support/tls';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-proxy-tls-'));
let provider: ReferenceProvider;
let tls: { url: string; close: () => Promise<void> };
let target: string;
let ca: string;

beforeAll(async () => {
  // A private CA, and a certificate for 127.0.0.1 it signed: what a company's internal gateway has.
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=vppkit test CA');
  ssl('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '1', '-extfile', 'san.ext');
  ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
  provider = await startReferenceProvider();
  // A TLS terminator in front of the reference provider, with the certificate the private CA signed.
  tls = await tlsInFrontOf(provider.url, { key: readFileSync(join(dir, 'leaf.key'), 'utf8'), cert: readFileSync(join(dir, 'leaf.pem'), 'utf8'), certFile: join(dir, 'leaf.pem') });
  target = `${tls.url}/beta`;
});

afterAll(async () => {
  await tls.close();
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

const create = (url: string) =>
  fetch(`${url}/deviceAppManagement/vppTokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer test' },
    body: JSON.stringify(createRequestFactory.withSeed(3).buildAt(0)),
  });

it('forwards to the https target and judges its answers when given the private CA', async () => {
  const proxy = await startJudgingProxy({ target, tls: { ca } });
  try {
    expect((await create(proxy.url)).status).toBe(201);
    expect(proxy.exchanges.map((e) => [e.route, e.outcome, e.answer?.status])).toEqual([['create', 'answered', 201]]);
    expect(proxy.violations).toEqual([]);
  } finally {
    await proxy.close();
  }
});

it('does not start without the CA, saying in one line what to do', async () => {
  const host = new URL(target).host;
  await expect(startJudgingProxy({ target })).rejects.toThrow(
    `the certificate of ${host} is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE): its issuer is no CA trusted: give its CA with --ca FILE; if the server was signed by an intermediate CA it does not send, configure it to send its chain, or add the intermediate to the --ca file; or use --insecure for a throwaway test server`,
  );
});

it('answers 502 with the same line in Graph\'s error body when the certificate fails on the way', async () => {
  const proxy = await startJudgingProxy({ target, checkTarget: false });
  try {
    const answer = await create(proxy.url);
    expect(answer.status).toBe(502);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(/^vppkit proxy: the certificate of 127\.0\.0\.1:\d+ is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): its issuer is no CA trusted: give its CA with --ca FILE/);
    // Not the provider's fault: the create is left unjudged, and the line says why.
    expect(proxy.violations).toEqual([]);
    expect(proxy.exchanges[0]).toMatchObject({ outcome: 'no answer', notJudged: 'the target\'s certificate is not trusted' });
  } finally {
    await proxy.close();
  }
});
