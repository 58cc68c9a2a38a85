import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

/**
 * How to trust an https target: `ca` adds certificates (PEM) to Node's own list; `insecure` accepts any
 * certificate. Shared shape for every command that reaches a server (seed here; verify builds the same).
 */
export interface TlsTrust {
  /** PEM text of one or more CA certificates to trust, besides Node's defaults. */
  ca?: string;
  /** Accept any certificate, self-signed and expired ones included (tests and throwaway servers only). */
  insecure?: boolean;
}

/** Reads a `--ca FILE` as PEM, or says in one line why it can't. */
export function readCaFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read --ca ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`--ca ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return text;
}

/** Options for node:https from a TlsTrust. */
export function httpsOptions(trust: TlsTrust = {}): { ca?: string[]; rejectUnauthorized?: boolean } {
  const options: { ca?: string[]; rejectUnauthorized?: boolean } = {};
  // Node replaces its CA list with `ca`; keep the defaults so public servers stay trusted.
  if (trust.ca) options.ca = [...rootCertificates, trust.ca];
  if (trust.insecure) options.rejectUnauthorized = false;
  return options;
}

const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_|ERR_SSL_|EPROTO/;

/**
 * Connection failures that waiting will not heal: an unknown host, a certificate that is not trusted, a TLS
 * handshake that can't succeed. The message is one line saying what to do.
 */
export function lastingConnectionProblem(code: string, message: string, url: URL): string | undefined {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the host ${url.hostname} (${code}): check --target`;
  if (CERTIFICATE_CODES.test(code)) {
    if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) return `TLS with ${url.host} failed (${code}: ${message}): is it an https server? check --target`;
    return `the certificate of ${url.host} is not trusted (${code}: ${message}): give its CA with --ca FILE, or --insecure for a throwaway server`;
  }
  return undefined;
}
