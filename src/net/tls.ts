import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { inputFileProblem, readInputFile, type InputWait } from '../validation/stream-file';
import { systemReason } from './system-error';
import { pathProblem, shownOption, type NestedMembers } from './option';

/**
 * How to trust an https server, shared by every command that reaches one (verify today; seed and later
 * commands can reuse it): `ca` adds CA certificates to Node's own list, `insecure` accepts any certificate.
 */
export interface TlsTrust {
  /** PEM text of one or more CA certificates to trust besides Node's defaults (read with readCaFile). */
  ca?: string;
  /** Accept any certificate: self-signed, expired, another host's. Throwaway test servers only. */
  insecure?: boolean;
}

/** Whether a text holds a PEM certificate (a `-----BEGIN CERTIFICATE-----` block): what `--ca FILE` and a library `ca` must. */
const holdsPemCertificate = (text: string): boolean => text.includes('-----BEGIN CERTIFICATE-----');

/**
 * Why a trust's `ca` and `insecure` cannot be taken together, in the caller's names of them (the CLI's
 * `['--ca', '--insecure']`, the library's `['tls.ca', 'tls.insecure']`), or undefined: `insecure` accepts any
 * certificate, so the CA given would do nothing without a word. The one rule of both (decision 1182).
 */
export function trustContradiction(trust: { ca?: unknown; insecure?: unknown }, names: readonly [string, string]): string | undefined {
  return trust.ca !== undefined && trust.insecure === true ? `${names[0]} and ${names[1]} contradict each other: give one` : undefined;
}

/** What a library trust's members must be together: not both `ca` and `insecure: true`, and a `ca` that holds a PEM certificate. */
function trustProblem(trust: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const contradiction = trustContradiction(trust, [`${name}.ca`, `${name}.insecure`]);
  if (contradiction) return `${contradiction} (insecure accepts any certificate, so the CA would do nothing)`;
  if (typeof trust.ca === 'string' && !holdsPemCertificate(trust.ca)) {
    return `${name}.ca must be the PEM text of CA certificates, such as readCaFile(file) returns: it holds no -----BEGIN CERTIFICATE----- block (got ${shownOption(trust.ca)})`;
  }
  return undefined;
}

/**
 * A TlsTrust option (the proxy's and verify's `tls`, seed's and conform's `trust`) as the library asks it (decision
 * 1120): `{ rejectUnauthorized: false }`, Node's own name, or `{ ca: 5 }` did nothing without a word; and as the CLI
 * asks `--ca` and `--insecure` (decision 1182): not both, and a CA that is PEM.
 */
export const TLS_TRUST_MEMBERS: NestedMembers = {
  what: 'an object of ca and insecure',
  members: { ca: ['string', 'the PEM text of CA certificates, a string, such as readCaFile(file)'], insecure: 'boolean' },
  check: trustProblem,
};

/** The file behind `--ca FILE` can't be used; the message is one line. */
export class TlsOptionError extends Error {
  override readonly name = 'TlsOptionError';
}

/** Reads `--ca FILE` as PEM, or says in one line why it can't. A FIFO blocks here: readCaInputFile waits for it. */
export function readCaFile(file: string): string {
  // A number is a file descriptor to readFileSync: asked first, as every reader asks (decision 1333).
  const wrong = pathProblem('file', file);
  if (wrong) throw new TypeError(wrong);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw caUnreadable(file, error);
  }
  return caText(file, text);
}

/**
 * Reads `--ca FILE` as readCaFile does, by the interruptible reader of decision 0530: a FIFO no process writes to yet
 * is waited for (said by `onNoWriter`), and `signal` ends the wait (an AbortError), where readFileSync blocked the
 * main thread past any interrupt.
 */
export async function readCaInputFile(file: string, wait: InputWait = {}): Promise<string> {
  const wrong = inputFileProblem('readCaInputFile', file, wait);
  if (wrong) throw new TypeError(wrong);
  let bytes: Buffer;
  try {
    bytes = await readInputFile(file, wait);
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw caUnreadable(file, error);
  }
  return caText(file, bytes.toString('utf8'));
}

const caUnreadable = (file: string, error: unknown): TlsOptionError => new TlsOptionError(`cannot read --ca ${file}: ${systemReason(error)}`);

/** The PEM text of a CA file, or why it is none. */
function caText(file: string, text: string): string {
  if (!holdsPemCertificate(text)) throw new TlsOptionError(`--ca ${file} holds no PEM certificate (a -----BEGIN CERTIFICATE----- block)`);
  return text;
}

/** The TLS contexts of the CAs given, each built once (the latest few kept). */
const trusting = new Map<string, SecureContext>();
const KEPT_CONTEXTS = 8;

/**
 * A context that trusts Node's root certificates and `ca`. Node builds a context from a connection's options for
 * every connection: given as `ca`, the ~140 roots and the CA were parsed again each time, 30-100 ms of CPU a
 * connection, dozens in a conform run over https (decision 0280). Built once, each connection takes it.
 */
function contextTrusting(ca: string): SecureContext {
  let context = trusting.get(ca);
  if (!context) {
    // `ca` replaces Node's list rather than adding to it: keep the defaults so public servers stay trusted.
    context = createSecureContext({ ca: [...rootCertificates, ca] });
    if (trusting.size >= KEPT_CONTEXTS) trusting.delete(trusting.keys().next().value!);
    trusting.set(ca, context);
  }
  return context;
}

/** Options for node:https and node:tls (request, Agent, connect) from a TlsTrust. */
export function tlsOptions(trust: TlsTrust = {}): { secureContext?: SecureContext; rejectUnauthorized: boolean } {
  return { ...(trust.ca ? { secureContext: contextTrusting(trust.ca) } : {}), rejectUnauthorized: !trust.insecure };
}

const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT/;
const HANDSHAKE_CODES = /^(EPROTO|ERR_SSL_.*|ERR_TLS_.*)$/;

/**
 * A certificate or TLS handshake failure as one line saying what to do, or undefined for any other error.
 * Such failures never heal by retrying.
 */
export function tlsProblem(error: unknown, target: URL | string): string | undefined {
  const code = String((error as NodeJS.ErrnoException)?.code ?? '');
  const host = typeof target === 'string' ? target : target.host;
  // Trusted, but for other names, or out of date (outside tester I22): --ca and --insecure are not the fix.
  const cert = (error as { cert?: { subjectaltname?: string; valid_to?: string } } | undefined)?.cert;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const hostname = (typeof target === 'string' ? new URL(`https://${target}`) : target).hostname.replace(/^\[|\]$/g, '');
    const names = String(cert?.subjectaltname ?? '').split(/,\s*/).map((name) => name.replace(/^(DNS|IP Address):/, '')).filter(Boolean);
    const named = names.length ? names.slice(0, 5).join(', ') : 'other names';
    return `the certificate of ${host} is for ${named}, not ${hostname} (${code}): ask it by ${names.length === 1 ? names[0] : 'a name it is for'} in the URL, or give it a certificate that names ${hostname}`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    const when = cert?.valid_to && code === 'CERT_HAS_EXPIRED' ? ` on ${new Date(cert.valid_to).toISOString().slice(0, 10)}` : '';
    return code === 'CERT_HAS_EXPIRED'
      ? `the certificate of ${host} has expired${when} (${code}): renew it, or use --insecure for a throwaway test server`
      : `the certificate of ${host} is not valid yet (${code}): is this machine's clock right?`;
  }
  // Its issuer is not among the CAs trusted: no CA given, or the server did not send its intermediate CA (the
  // commonest TLS misconfiguration, outside tester I29), which a root given with --ca cannot vouch for alone.
  if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY') {
    return `the certificate of ${host} is not trusted (${code}): its issuer is no CA trusted: give its CA with --ca FILE; if the server was signed by an intermediate CA it does not send, configure it to send its chain, or add the intermediate to the --ca file; or use --insecure for a throwaway test server`;
  }
  if (CERTIFICATE_CODES.test(code)) {
    return `the certificate of ${host} is not trusted (${code}): give its CA with --ca FILE, or use --insecure for a throwaway test server`;
  }
  if (HANDSHAKE_CODES.test(code)) return `TLS with ${host} failed (${code}): is it an https server, and is the URL's scheme right?`;
  return undefined;
}
