// verify judges every actual answer by the schemas, through src/judgement: what a Pact rule can't say (for
// example "@odata.type, when present, names a vppToken") is still checked (docs/decisions/0013).
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VppTokenCreateRequest } from '../generated/types';
import type { Profile } from '../schemas';
import { VPP_TOKENS_PATH, judgeCreatedAnswer, judgeRejectedAnswer, type AnswerProblem, type ObservedAnswer } from '../judgement';

type Filter = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** One create as it went through Pact's proxy: the body sent, and the answer as the provider gave it. */
export interface RecordedExchange {
  sent: unknown;
  status: number;
  headers: ObservedAnswer['headers'];
  /** The body bytes as sent on the wire (maybe gzip). */
  raw: Buffer;
}

const CREATE = new RegExp(`${VPP_TOKENS_PATH}/?$`, 'i');

/** A request filter (pact-js's Express middleware) that records every create's request body and answer. */
export function recordingFilter(into: RecordedExchange[], next?: Filter): Filter {
  return (req, res, done) => {
    if (req.method === 'POST' && CREATE.test((req.url ?? '').split('?')[0])) record(req, res, into);
    if (next) next(req, res, done);
    else done();
  };
}

function record(req: IncomingMessage, res: ServerResponse, into: RecordedExchange[]): void {
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown) => {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk as never));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), write(chunk, ...rest))) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => (keep(chunk), end(chunk, ...rest))) as typeof res.end;
  res.once('finish', () => {
    // pact-js's proxy parsed a JSON body already (body-parser); anything else is a Buffer.
    const body = (req as IncomingMessage & { body?: unknown }).body;
    into.push({ sent: sentJson(body), status: res.statusCode, headers: res.getHeaders() as ObservedAnswer['headers'], raw: Buffer.concat(chunks) });
  });
}

function sentJson(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) return body;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function decoded(exchange: RecordedExchange): string | AnswerProblem {
  const encoding = String(exchange.headers['content-encoding'] ?? '').trim().toLowerCase();
  try {
    const bytes =
      encoding === 'gzip' || encoding === 'x-gzip' ? gunzipSync(exchange.raw) : encoding === 'deflate' ? inflateSync(exchange.raw) : encoding === 'br' ? brotliDecompressSync(exchange.raw) : exchange.raw;
    return bytes.toString('utf8');
  } catch {
    return { check: 'response schema', where: 'body', message: `could not be decoded as Content-Encoding ${encoding}` };
  }
}

/**
 * The schemas' judgement of each recorded answer: a 201 by the response schema and the values the client set, a
 * 4xx by Graph's error schema. Status and Content-Type are left to Pact, which already reports them.
 */
export function judgeRecordedAnswers(exchanges: readonly RecordedExchange[], profile?: Profile): AnswerProblem[][] {
  return exchanges.map((exchange) => {
    const body = decoded(exchange);
    if (typeof body !== 'string') return [body];
    const answer: ObservedAnswer = { status: exchange.status, headers: exchange.headers, body };
    let problems: AnswerProblem[] = [];
    if (exchange.status === 201) {
      const sent = typeof exchange.sent === 'object' && exchange.sent !== null ? (exchange.sent as VppTokenCreateRequest) : ({} as VppTokenCreateRequest);
      problems = judgeCreatedAnswer(sent, answer, profile);
    } else if (exchange.status >= 400 && exchange.status < 500) {
      problems = judgeRejectedAnswer([exchange.status], answer);
    }
    return problems.filter((p) => p.check === 'response schema' || p.check === 'values back');
  });
}
