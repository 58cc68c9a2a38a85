// verify judges every actual answer to a create through src/judgement, from the bytes and header lines the
// provider sent (recorded by the forwarder between Pact and the provider): what a Pact rule can't say (for
// example "@odata.type, when present, names a vppToken", a name given twice, a credential echoed) is still
// checked (docs/decisions/0013, 0080).
import type { VppTokenCreateRequest } from '../generated/types';
import type { Profile } from '../schemas';
import { VPP_TOKENS_PATH, answerSaysCreated, credentialLines, connectionProblems, judgeCreatedAnswer, bodilessFramingProblems, profileOfVersion, readRequestTarget, judgeRejectedAnswer, type AnswerProblem } from '../judgement';
import { at, headerLines, headerValues, placeOf, readMessage, singleHeader } from '../wire';
import type { ForwardedExchange } from './forwarder';

const CREATE = new RegExp(`${VPP_TOKENS_PATH}/?$`, 'i');

/** Is this exchange a create (POST .../deviceAppManagement/vppTokens)? Only those are judged. */
export const isCreate = (exchange: Pick<ForwardedExchange, 'method' | 'path'>): boolean => exchange.method === 'POST' && CREATE.test(exchange.path.split('?')[0]);

/**
 * The judgement of each recorded answer to a create: a 201 by the response schema, the values the client set,
 * resource identity and plausible timestamps; a 4xx by Graph's error schema; either read strictly from its bytes,
 * and never carrying the request's credentials. Status and Content-Type's media type are left to Pact, which reports them; its lowercase is the kit's (decision 0130).
 */
export function judgeRecordedAnswers(exchanges: readonly ForwardedExchange[], profile?: Profile, publicHosts: readonly string[] = []): JudgedAnswer[] {
  return exchanges.filter(isCreate).map((exchange) => {
    // What the create sent, read once by the one reader: the answer is judged by it, and its token named apart.
    const sent = readMessage({ headers: exchange.requestRawHeaders, bytes: exchange.requestBytes }).json?.value;
    const token = typeof sent === 'object' && sent !== null ? (sent as { token?: unknown }).token : undefined;
    const sentToken = typeof token === 'string' && token !== '' ? { sentToken: token } : {};
    if (exchange.dropped) return { problems: [{ check: 'not a server error', ...at('connection'), message: `must answer: ${exchange.dropped}` }], noAnswer: true, ...sentToken };
    if (exchange.headProblem) return { problems: [{ check: 'response headers', ...placeOf(exchange.headProblem), message: exchange.headProblem.message, rule: exchange.headProblem.rule }], noAnswer: true, ...sentToken };
    // A create is judged by the Graph version its pact path names (Pact sends it there, 0258), else by the run's
    // profile: the proxy's rule, one reading of the version (outside finding R81, decision 0723).
    return { problems: judgeAnswer(exchange, sent, profileOfVersion(readRequestTarget(exchange.path).version) ?? profile, publicHosts), noAnswer: false, status: exchange.status, ...sentToken };
  });
}

/**
 * A create's answer as judged, and whether the provider gave none that is HTTP (a dropped connection, a head that
 * is not HTTP/1.1): then what Pact saw was the forwarder's own 502, whose status and Content-Type say nothing of
 * the provider.
 */
export interface JudgedAnswer {
  problems: AnswerProblem[];
  noAnswer: boolean;
  /** The provider's status, when it answered in HTTP: a failure for something else than its status tells the likely cause what it got (outside attacker R112). */
  status?: number;
  /** The VPP token the create sent, when it sent one: verify's line of Pact's mismatch names it apart from any other (decision 0347). */
  sentToken?: string;
}

function judgeAnswer(exchange: ForwardedExchange, sent: unknown, profile: Profile | undefined, publicHosts: readonly string[]): AnswerProblem[] {
  {
    const answer = { status: exchange.status, headers: {}, rawHeaders: exchange.rawHeaders, bytes: exchange.bytes, body: undefined, ...(exchange.extraBytes ? { extraBytes: exchange.extraBytes } : {}), ...(exchange.cut ? { cut: true } : {}), ...(exchange.rawTrailers ? { rawTrailers: exchange.rawTrailers } : {}), ...(exchange.statusText ? { statusText: exchange.statusText } : {}), ...(exchange.httpVersion ? { httpVersion: exchange.httpVersion } : {}), ...(exchange.interim ? { interim: exchange.interim } : {}) };
    const requestLines = headerLines(exchange.requestRawHeaders);
    const context = { authorization: singleHeader(requestLines, 'Authorization'), sent, receivedAt: exchange.receivedAt, target: exchange.url, publicHosts, prefer: headerValues(requestLines, 'Prefer'), odataMaxVersion: headerValues(requestLines, 'OData-MaxVersion'), headerCredentials: credentialLines(requestLines) };
    let problems: AnswerProblem[] = [];
    // A 204 to a create whose pact asked return=minimal names the created vppToken: judged so (decision 0590).
    if (answerSaysCreated(exchange.status, context.prefer)) {
      const created = typeof sent === 'object' && sent !== null ? (sent as VppTokenCreateRequest) : ({} as VppTokenCreateRequest);
      problems = judgeCreatedAnswer(created, answer, profile, context);
    } else if (exchange.status >= 400 && exchange.status < 500) {
      problems = judgeRejectedAnswer([exchange.status], answer, context);
    } else {
      problems = [...connectionProblems(answer), ...bodilessFramingProblems(answer)];
    }
    return problems.filter((p) => p.check !== 'status' && p.check !== 'not a server error' && !(p.check === 'content type' && p.rule === 'media type'));
  }
}
