import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { BACKOFF, ThrottledTooLong, createHttpClient, hideSecrets, tooLargeAnswer, listen, publicUrl, retryWait, throttleFieldsOf, type InterimAnswer, type Secrets, type Throttle, type TlsTrust } from '../net';
import { ownDataOf, pathUnderBase, secretsBeyondOwnData } from '../judgement';
import { bodyStrings, decodeContent, headFailure, headerLines, headerValues, plainJsonMediaType, readMessage, singleHeader, type WireProblem } from '../wire';
import { argumentProblem, refuseArguments, shownArgument, membersProblem, millisecondsOptionProblem, MAX_TIMER_MS, optionsObjectProblem } from '../net/option';
import { TLS_TRUST_MEMBERS } from '../net/tls';

/**
 * A local http forwarder between Pact's verifier and the provider under test (decision 0021). pact-js's own
 * proxy neither verifies certificates nor bounds a request, and a provider that stops answering made a
 * verification take minutes and never exit. Every request here gets `timeoutMs`; the first lasting failure (a
 * timeout, an untrusted certificate, a refused connection) is kept, and every later request is answered at
 * once with 502, so the verification ends quickly and the caller reports that one failure.
 */
/** One request and its answer as they crossed the forwarder: raw header lines and bytes (the one reader's input). */
export interface ForwardedExchange {
  method: string;
  /** The path Pact asked for, without the provider's base path. */
  path: string;
  /** The URL the request went to at the provider (its base path included): what a Location is resolved against. */
  url: string;
  requestRawHeaders: string[];
  requestBytes: Buffer;
  status: number;
  rawHeaders: string[];
  /** The answer's bytes as the provider sent them (content coding included). */
  bytes: Buffer;
  receivedAt: Date;
  /** The provider's answer was no HTTP/1.1 message (Node's parser refused its head): which header, which rule. */
  headProblem?: WireProblem;
  /**
   * Why no answer the kit could judge came: the provider took the request and closed the connection without an
   * answer (a crash on this input), or answered with a body longer than the kit reads.
   */
  dropped?: string;
  /** Bytes the provider sent after this answer on its connection, before any other request (an answer to no request). */
  extraBytes?: number;
  /** The provider closed the connection before its answer's framing ended (a chunked body without its last chunk). */
  cut?: boolean;
  /** The trailer fields after a chunked answer (name, value, ...), when there were any: judged as the answer's fields. */
  rawTrailers?: string[];
  /** The status line's reason phrase as the provider sent it: judged for echoed credentials (outside attacker K1). */
  statusText?: string;
  /** The status line's HTTP version (`1.1`, `1.0`): an HTTP/1.0 answer carries no Transfer-Encoding (decision 0492). */
  httpVersion?: string;
  /** The interim 1xx answers the provider sent before this one (RFC 9110 §15.2): judged as part of it (outside tester R36). */
  interim?: InterimAnswer[];
}

export interface Forwarder {
  /** The forwarder's own address, for Pact (http, no path). */
  url: string;
  /** The first lasting failure, as one line; undefined while all is well. */
  failure(): string | undefined;
  close(): Promise<void>;
}

/** Headers that belong to one connection, not to the message: each hop sets its own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'proxy-connection', 'te', 'trailer']);
/** The statuses whose Location Pact's HTTP client follows (reqwest's redirect policy; RFC 9110 §15.4): the forwarder hands them on without it, the broker relay follows them itself. */
export const FOLLOWED_REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** The largest request body taken from Pact (a pact's own example bodies are far smaller). */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

function readRequest(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) req.destroy(new Error(`the request body is over ${MAX_REQUEST_BYTES} bytes`));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });
}

export async function startForwarder(
  target: URL,
  options: {
    timeoutMs: number;
    tls?: TlsTrust;
    onExchange?: (exchange: ForwardedExchange) => void;
    throttle?: Throttle;
    /** The run's credentials: hidden from the answers Pact reads (its report and published results quote them). */
    secrets?: Secrets;
    /**
     * The pacts' own data (ownDataOf of each pact file): a credential part of it is never hidden from Pact, whose
     * report prints the pact's examples anyway (decision 0770).
     */
    pactData?: readonly string[];
  },
): Promise<Forwarder> {
  // A URL object, not one that only looks like one (decision 1041: `startForwarder({}, options)` failed reading 'replace').
  refuseArguments(target instanceof URL ? undefined : `target must be a URL object, the provider's base URL, such as new URL(providerBaseUrl) (got ${shownArgument(target)})`, argumentProblem('options', options, 'object', 'an object of timeoutMs, at least'));
  refuseArguments(
    optionsObjectProblem('startForwarder', options, ['timeoutMs', 'tls', 'onExchange', 'throttle', 'secrets', 'pactData']),
    options.timeoutMs === undefined ? `timeoutMs must be a number of milliseconds above 0 and at most ${MAX_TIMER_MS} (got undefined)` : millisecondsOptionProblem('timeoutMs', options.timeoutMs),
    membersProblem(options, { tls: TLS_TRUST_MEMBERS, onExchange: 'function', throttle: 'object', secrets: 'object', pactData: 'strings' }),
  );
  const basePath = target.pathname.replace(/\/+$/, '');
  // The kit's one HTTP client (src/net): its trust, its timeout per request, its bound on an answer's body.
  const client = createHttpClient({ trust: options.tls, timeoutMs: options.timeoutMs, sockets: 16 });
  let failure: string | undefined;
  const origin = publicUrl(target.origin);
  // Pact quotes the answers it reads in its report and in the verification results it publishes to a broker, which
  // the kit cannot redact after the fact (outside tester K22): the run's credentials reach Pact as their marks
  // (`[bearer]`, `[token]`). The kit's own judgement reads the answer as it came (an echoed credential fails there).
  // Not one that is part of the exchange's own data (what the request sent, its sToken, an sToken the answer lists:
  // ownDataOf): there its text is that data, Pact compares it, and a correct answer holds it (decision 0770).
  // The pacts' own data, whose expected values Pact's report prints anyway: asked once for the run.
  const runSecrets = options.secrets && options.pactData?.length ? secretsBeyondOwnData(options.secrets, options.pactData) : options.secrets;
  const secretsOf = (requestRawHeaders: string[], requestBody: Buffer | undefined, text: string, url: string): Secrets | undefined => {
    if (!runSecrets) return undefined;
    const sent = requestBody === undefined || requestBody.length === 0 ? undefined : readMessage({ headers: requestRawHeaders, bytes: requestBody }).json?.value;
    return secretsBeyondOwnData(runSecrets, ownDataOf(sent, [], bodyStrings(text), url));
  };
  const hidden = (bytes: Buffer, text: string, secrets: Secrets | undefined): Buffer => {
    if (!secrets) return bytes;
    const shown = hideSecrets(text, secrets);
    return shown === text ? bytes : Buffer.from(shown, 'utf8');
  };

  const refuse = (res: ServerResponse) => {
    if (res.headersSent) res.destroy();
    else res.writeHead(502, { 'content-type': 'text/plain' }).end(`vppkit: ${failure}\n`);
  };

  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    if (failure) return refuse(res);
    // A pact path that keeps its /beta or /v1.0 against a base URL ending in one is sent with its own, once (K27).
    const path = pathUnderBase(basePath, req.url ?? '/');
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    headers.host = target.host;
    const body = await readRequest(req);
    // A provider that throttles (429, or 503 with Retry-After; decision 0232) did not process the request: it is sent again after
    // the wait, as conform sends it (decision 0210), and Pact judges the answer after the throttling.
    const send = () => client.send({ method: req.method ?? 'GET', url: new URL(`${target.origin}${path}`), headers, body });
    let outcome = await send();
    for (let inARow = 1; options.throttle && outcome.kind === 'answer' && !outcome.truncated; inARow++) {
      const { retryAfter, date } = throttleFieldsOf(outcome.rawHeaders);
      const wait = retryWait(outcome.status, retryAfter, inARow, BACKOFF, options.throttle.clock.now(), date);
      if (wait === undefined) break;
      try {
        options.throttle.hold(wait, inARow, `${req.method} ${path}`, outcome.status);
      } catch (error) {
        if (!(error instanceof ThrottledTooLong)) throw error;
        failure ??= error.message;
        return refuse(res);
      }
      await options.throttle.ready();
      if (failure) return refuse(res);
      outcome = await send();
    }
    // Every header line as the provider sent it, repeats kept, and its bytes: what the judgement reads (src/wire).
    const record = (status: number, rawHeaders: string[], bytes: Buffer, verdict: Pick<ForwardedExchange, 'headProblem' | 'dropped' | 'extraBytes' | 'cut' | 'rawTrailers' | 'statusText' | 'httpVersion' | 'interim'> = {}) =>
      options.onExchange?.({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        url: `${target.origin}${path}`,
        requestRawHeaders: req.rawHeaders,
        requestBytes: body ?? Buffer.alloc(0),
        status,
        rawHeaders,
        bytes,
        receivedAt: new Date(),
        ...verdict,
      });
    // A provider that took the request and then answered with a head Node's parser refuses (two Content-Length
    // lines, a folded line), or dropped the connection without an answer (a crash on this input), gave a wrong
    // answer: a verdict on this interaction, not a failure of the run. Pact gets a 502 saying so.
    // So is an answer longer than the kit reads (a 9 MiB tail, a chunked body that never ends), as conform judges it:
    // the interaction fails, the others are judged (outside tester N12; README's exit codes: 1, not 2).
    if ((outcome.kind === 'failure' && (outcome.problem || (outcome.failure === 'dropped' && outcome.sent))) || (outcome.kind === 'answer' && outcome.truncated)) {
      const dropped = outcome.kind === 'answer' ? tooLargeAnswer(outcome.body.length) : `the provider dropped the connection without an answer (${outcome.code})`;
      const problem = outcome.kind === 'failure' ? outcome.problem : undefined;
      const verdict = problem ? { headProblem: problem } : { dropped };
      const text = problem ? headFailure("the provider's answer", problem) : dropped;
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`vppkit: ${text}\n`);
      record(502, [], Buffer.alloc(0), verdict);
      return;
    }
    if (outcome.kind === 'failure') {
      // No answer (or a stalled one) is a lasting failure: every later request is refused at once.
      failure ??=
        outcome.failure === 'timeout'
            ? `the provider at ${origin} did not answer ${req.method} ${path} within ${options.timeoutMs / 1000} s (--timeout)`
            : outcome.failure === 'tls'
              ? outcome.message
              : `the provider at ${origin} failed on ${req.method} ${path}: ${outcome.code}`;
      return refuse(res);
    }
    // Pact's verifier undoes only a lower-case `gzip`: an answer in another coding RFC 9110 allows (`GZIP`,
    // `x-gzip`, `deflate, gzip`) is handed to it decoded, as the one reader decodes it for the kit's own verdict
    // (outside tester H5). A coding that lies is passed on as it came: the kit's verdict names it.
    const lines = headerLines(outcome.rawHeaders);
    const decoded = decodeContent(outcome.body, headerValues(lines, 'Content-Encoding'));
    const answerBytes = decoded.ok ? Buffer.from(decoded.value.buffer, decoded.value.byteOffset, decoded.value.byteLength) : outcome.body;
    const answerText = runSecrets ? answerBytes.toString('utf8') : '';
    const secrets = secretsOf(req.rawHeaders, body, answerText, `${target.origin}${path}`);
    const forPact = hidden(answerBytes, answerText, secrets);
    // Pact's verifier reads a legal JSON media type with a tab after `;` or an empty parameter (RFC 9110 §5.6.6) as
    // text/plain: when the kit's one rule (src/wire) reads the answer's one Content-Type as JSON, Pact is handed it
    // written plainly; the kit's own judgement reads the header as the provider sent it (outside tester J14, decision 0233).
    const plainType = plainJsonMediaType(singleHeader(lines, 'Content-Type'));
    // Pact's verifier follows a redirect's Location (and a relative one, back through this forwarder, in a loop): it
    // judged another server's answer, or reported this forwarder's URL (outside finding K9). A redirect is the
    // provider's answer, judged as it came: Pact is handed it without Location, and reports its status.
    const redirect = FOLLOWED_REDIRECTS.has(outcome.status);
    const answerHeaders: string[] = [];
    for (let i = 0; i + 1 < outcome.rawHeaders.length; i += 2) {
      const name = outcome.rawHeaders[i].toLowerCase();
      if (HOP_BY_HOP.has(name) || (decoded.ok && name === 'content-encoding') || (redirect && name === 'location')) continue;
      answerHeaders.push(outcome.rawHeaders[i], name === 'content-type' && plainType !== undefined ? plainType : hideSecrets(outcome.rawHeaders[i + 1], secrets));
    }
    answerHeaders.push('Content-Length', String(forPact.length));
    res.writeHead(outcome.status, answerHeaders);
    res.end(forPact);
    record(outcome.status, outcome.rawHeaders, outcome.body, { ...(outcome.extraBytes ? { extraBytes: outcome.extraBytes } : {}), ...(outcome.cut ? { cut: true } : {}), ...(outcome.rawTrailers ? { rawTrailers: outcome.rawTrailers } : {}), ...(outcome.statusText ? { statusText: outcome.statusText } : {}), httpVersion: outcome.httpVersion, ...(outcome.interim ? { interim: outcome.interim } : {}) });
  };

  const server = await listen(createServer((req, res) => void forward(req, res).catch(() => res.destroy())));
  return {
    url: server.url,
    failure: () => failure,
    close: async () => {
      client.abandon();
      client.close();
      await server.close();
    },
  };
}
