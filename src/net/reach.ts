import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tlsOptions, tlsProblem, type TlsTrust } from './tls';

/** Nothing answers at a URL (a closed port, an unknown host, a silent server, an untrusted certificate); one line. */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
}

/**
 * Fails early, and clearly, when nothing answers at `url`: a closed port, an unknown host, or (https) a
 * certificate that is not trusted. `what` names the target in the message ("the provider", "the target").
 * verify checks its provider and broker with it before Pact runs, proxy its target before it listens.
 */
export async function checkReachable(url: URL, what: string, options: { timeoutMs?: number; tls?: TlsTrust } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const https = url.protocol === 'https:';
  const port = Number(url.port || (https ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  await new Promise<void>((resolve, reject) => {
    const socket = https
      ? tlsConnect({ host, port, servername: /^[\d.]+$|:/.test(host) ? undefined : host, ...tlsOptions(options.tls) })
      : tcpConnect({ host, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new UnreachableError(why));
    };
    socket.setTimeout(timeoutMs, () => fail(`cannot reach ${what} at ${url.origin}: no answer within ${timeoutMs / 1000} s`));
    socket.once(https ? 'secureConnect' : 'connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => fail(tlsProblem(error, url) ?? `cannot reach ${what} at ${url.origin}: ${error.code ?? error.message}`));
  });
}
