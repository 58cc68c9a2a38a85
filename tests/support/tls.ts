// A self-signed certificate for 127.0.0.1, made now with openssl, and a TLS terminator in front of a plain server.
// Its key is EC P-256, not RSA 2048: openssl makes one in about 0.01 s of CPU, an RSA key in 0.1-0.2 s (and 0.7-0.9 s
// of wall each under load; docs/suite-time.md, round fifteen). No test is about the key's type: each is about trust
// (--ca, --insecure, an untrusted or a stranger's certificate), which a P-256 certificate shows alike.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSigned {
  key: string;
  cert: string;
  /** The certificate's PEM file, for --ca. */
  certFile: string;
}

export function selfSignedCertificate(): SelfSigned {
  const folder = mkdtempSync(join(tmpdir(), 'vppkit-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(join(folder, 'key.pem'), 'utf8'), cert: readFileSync(join(folder, 'cert.pem'), 'utf8'), certFile: join(folder, 'cert.pem') };
}

/** Raw header lines without the hop-by-hop ones a front sets for itself (RFC 9110 §7.6.1). */
const hopByHopDropped = (raw: readonly string[]): string[] => raw.flatMap((v, i) => (i % 2 === 0 && !/^(connection|keep-alive)$/i.test(v) ? [v, raw[i + 1]] : []));

/**
 * https://127.0.0.1:PORT in front of the plain http server at `plainUrl`, with `certificate`: a TLS terminator as
 * nginx is configured in front of an app (`proxy_set_header Host $host; proxy_set_header X-Forwarded-Proto
 * $scheme`), so the app names the front's origin, https included, in its links (decision 0190, outside tester J17).
 * `forward: false` leaves the scheme unsaid, as a front that does not tell it: the app then writes http links.
 */
export async function tlsInFrontOf(plainUrl: string, certificate: SelfSigned, { forward = true }: { forward?: boolean } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const target = Number(new URL(plainUrl).port);
  const server = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    const headers = hopByHopDropped(req.rawHeaders);
    if (forward) headers.push('X-Forwarded-Proto', 'https');
    const upstream = request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, hopByHopDropped(answer.rawHeaders));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
