// A self-signed certificate for 127.0.0.1, made now with openssl, and a TLS terminator in front of a plain server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

export interface SelfSigned {
  key: string;
  cert: string;
  /** The certificate's PEM file, for --ca. */
  certFile: string;
}

export function selfSignedCertificate(): SelfSigned {
  const folder = mkdtempSync(join(tmpdir(), 'vppkit-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(join(folder, 'key.pem'), 'utf8'), cert: readFileSync(join(folder, 'cert.pem'), 'utf8'), certFile: join(folder, 'cert.pem') };
}

/** https://127.0.0.1:PORT in front of the plain http server at `plainUrl`, with `certificate`. */
export async function tlsInFrontOf(plainUrl: string, certificate: SelfSigned): Promise<{ url: string; close: () => Promise<void> }> {
  const target = Number(new URL(plainUrl).port);
  const server = createTlsServer({ key: certificate.key, cert: certificate.cert }, (socket) => {
    const plain = connect(target, '127.0.0.1');
    socket.pipe(plain).pipe(socket);
    socket.on('error', () => plain.destroy());
    plain.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => (server as unknown as Server).listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
