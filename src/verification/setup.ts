// What verify checks before Pact runs, so a mistake is one clear line (exit 2) rather than minutes of errors.
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { findJsonSyntaxError } from '../validation/json-syntax';
import { tlsOptions, tlsProblem, type TlsTrust } from '../net';

export class VerificationSetupError extends Error {
  override readonly name = 'VerificationSetupError';
}

/** Each pact file must exist, be JSON, and look like a Pact (consumer, provider, interactions). */
export function checkPactFiles(files: readonly string[]): void {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new VerificationSetupError(code === 'ENOENT' ? `pact file not found: ${file}` : code === 'EISDIR' ? `pact file ${file} is a directory` : `cannot read pact file ${file}: ${code}`);
    }
    let pact: unknown;
    try {
      pact = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      const at = findJsonSyntaxError(text.replace(/^\uFEFF/, ''));
      throw new VerificationSetupError(`pact file ${file} is not JSON${at ? `: line ${at.line}, column ${at.column}: ${at.message}` : ''}`);
    }
    const p = pact as { consumer?: { name?: unknown }; provider?: { name?: unknown }; interactions?: unknown; messages?: unknown };
    const missing = [
      typeof p?.consumer?.name !== 'string' && 'consumer.name',
      typeof p?.provider?.name !== 'string' && 'provider.name',
      !Array.isArray(p?.interactions) && 'interactions (an array)',
    ].filter(Boolean);
    if (pact === null || typeof pact !== 'object' || Array.isArray(pact) || missing.length) {
      throw new VerificationSetupError(`pact file ${file} is not a Pact file: it has no ${missing.join(', ') || 'object at the top'}`);
    }
  }
}

/**
 * Fails early, and clearly, when nothing answers at `url`: a closed port, an unknown host, or (https) a
 * certificate that is not trusted. `what` names the target in the message ("the provider", "the Pact Broker").
 */
export async function assertReachable(url: URL, what: string, options: { timeoutMs?: number; tls?: TlsTrust } = {}): Promise<void> {
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
      reject(new VerificationSetupError(why));
    };
    socket.setTimeout(timeoutMs, () => fail(`cannot reach ${what} at ${url.origin}: no answer within ${timeoutMs / 1000} s`));
    socket.once(https ? 'secureConnect' : 'connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => fail(tlsProblem(error, url) ?? `cannot reach ${what} at ${url.origin}: ${error.code ?? error.message}`));
  });
}
