import { bodyStrings, decodeContent, headerLines, headerValues, readMessage } from '../wire';
import { addressOf, checkAndPlace, secretsBeyondOwnData, sTokenDataOf } from '../judgement';
import { isPlainQueryParameter, redact, redactTargetQuery } from '../net';
import { REDACTED, redactHeader, redactJson, secretsOf } from './redact';
import type { ProxiedExchange, SeenMessage } from './types';
import { argumentProblem, refuseArguments, optionsObjectProblem } from '../net/option';

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the subset a proxy knows.
export interface HarHeader {
  name: string;
  value: string;
}
export interface HarContent {
  size: number;
  mimeType: string;
  text?: string;
  compression?: number;
  comment?: string;
}
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: [];
    headers: HarHeader[];
    queryString: HarHeader[];
    postData?: { mimeType: string; text: string; comment?: string };
    headersSize: -1;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: [];
    headers: HarHeader[];
    content: HarContent;
    redirectURL: string;
    headersSize: -1;
    bodySize: number;
    comment?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment?: string;
}
export interface Har {
  log: { version: '1.2'; creator: { name: string; version: string }; entries: HarEntry[]; comment?: string };
}

const headerList = (rawHeaders: readonly string[]): HarHeader[] => {
  const list: HarHeader[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) list.push({ name: rawHeaders[i], value: redactHeader(rawHeaders[i], rawHeaders[i + 1]) });
  return list;
};

/**
 * A body as HAR text: JSON with every `token` value redacted. A body that is not JSON could hold a token in a
 * way no redaction can find, so its text is left out (the comment says why); so is one over the limit.
 */
function bodyText(message: SeenMessage): { text?: string; comment?: string; decodedSize: number } {
  if (message.size === 0) return { text: '', decodedSize: 0 };
  if (message.body === undefined) return { comment: message.overLimit ? 'body over the limit: not kept' : 'body not kept', decodedSize: message.size };
  const read = readMessage({ headers: message.rawHeaders, bytes: message.body });
  const decoded = decodeContent(message.body, headerValues(read.lines, 'Content-Encoding'));
  const decodedSize = decoded.ok ? decoded.value.byteLength : message.size;
  if (read.json) return { text: JSON.stringify(redactJson(read.json.value)), decodedSize };
  const why = read.problems.find((p) => p.part !== 'header');
  return { comment: `body not kept: ${why ? `it ${why.message}` : 'it is not JSON'}, and could hold a credential no redaction can find`, decodedSize };
}

const mimeTypeOf = (rawHeaders: readonly string[]): string => headerValues(headerLines(rawHeaders), 'Content-Type')[0] ?? '';

/**
 * The exchanges as a HAR 1.2 log, with credentials redacted: Authorization (and cookies, API keys) keep only
 * their scheme, every JSON body's `token` is "[redacted]", a body that is not JSON is left out, URLs carry no
 * user or password, and then no bearer or VPP token the proxy saw is left anywhere. Each entry is what the
 * client got; a replaced answer is said in the entry's comment.
 */
export function harOf(exchanges: readonly ProxiedExchange[], creator: { name: string; version: string }): Har {
  refuseArguments(argumentProblem('exchanges', exchanges, 'array', "an array of the proxy's exchanges, such as proxy.exchanges"), argumentProblem('creator', creator, 'object', 'an object of name and version'));
  refuseArguments(optionsObjectProblem("harOf's creator", creator, ['name', 'version']), argumentProblem('creator.name', creator.name, 'string'), argumentProblem('creator.version', creator.version, 'string'));
  const entries = exchanges.map((exchange): HarEntry => {
    const url = new URL(exchange.targetUrl);
    const sent = bodyText(exchange.request);
    // What the client got: nothing after a reset, a cut, or when it went away first.
    const got = ['reset-after-create', 'client closed', 'cut'].includes(exchange.outcome) ? undefined : (exchange.delivered ?? exchange.answer);
    const answered = got ? bodyText(got) : { text: '', decodedSize: 0 };
    const time = Math.max(0, (exchange.answeredAt ?? exchange.startedAt) - exchange.startedAt);
    const comments = [
      exchange.fault ? `injected fault: ${exchange.fault.by === 'rate-limit' ? 'rate limited' : exchange.fault.kind}` : undefined,
      exchange.outcome !== 'refused'
        ? undefined
        : exchange.notForwarded
          ? `not forwarded: ${exchange.notForwarded}`
          : exchange.headProblem
            ? 'refused by vppkit proxy for its head, not forwarded'
            : 'refused by vppkit proxy --strict, not forwarded',
      exchange.answer && got !== exchange.answer ? `the target answered ${exchange.answer.status}; the client got ${got ? 'the proxy\'s answer' : 'no answer'}` : undefined,
      exchange.error,
      exchange.problems.length ? `${exchange.problems.length} violation(s): ${exchange.problems.map((p) => `${p.side}: ${checkAndPlace(p)}`).join('; ')}` : undefined,
    ].filter(Boolean);
    return {
      startedDateTime: new Date(exchange.startedAt).toISOString(),
      time,
      request: {
        method: exchange.method,
        // A query parameter other than OData's keeps its name only: its value may be a credential (outside tester I24).
        url: redactTargetQuery(url.toString(), REDACTED),
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: headerList(exchange.request.rawHeaders),
        queryString: [...url.searchParams].map(([name, value]) => ({ name, value: value === '' || isPlainQueryParameter(name) ? value : REDACTED })),
        ...(exchange.request.size > 0
          ? { postData: { mimeType: mimeTypeOf(exchange.request.rawHeaders), text: sent.text ?? '', ...(sent.comment ? { comment: sent.comment } : {}) } }
          : {}),
        headersSize: -1,
        bodySize: exchange.request.size,
      },
      response: {
        status: got?.status ?? 0,
        statusText: got?.statusText ?? '',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: got ? headerList(got.rawHeaders) : [],
        content: {
          size: answered.decodedSize,
          mimeType: got ? mimeTypeOf(got.rawHeaders) : '',
          ...(answered.text !== undefined ? { text: answered.text } : {}),
          ...(got && answered.decodedSize !== got.size ? { compression: answered.decodedSize - got.size } : {}),
          ...(answered.comment ? { comment: answered.comment } : {}),
        },
        redirectURL: '',
        headersSize: -1,
        bodySize: got?.size ?? 0,
        ...(got ? {} : { comment: 'no answer' }),
      },
      cache: {},
      timings: { send: 0, wait: time, receive: 0 },
      ...(comments.length ? { comment: comments.join('; ') } : {}),
    };
  });
  // Then the one redaction over each entry: a secret in a header or a query the structure did not expect. Not one
  // that is part of the entry's sTokens (what Apple's sToken holds, answered as organizationName) or of the address
  // the request went to (its URL and Host line: `Bearer 127.0.0.1` to a local target), decision 0770.
  const secrets = secretsOf(exchanges);
  const redacted = entries.map((entry, i) => JSON.parse(redact(JSON.stringify(entry), secretsBeyondOwnData(secrets, entryDataOf(exchanges[i])))) as HarEntry);
  return { log: { version: '1.2', creator: JSON.parse(redact(JSON.stringify(creator), secrets)) as Har['log']['creator'], entries: redacted } };
}

/**
 * The data of an exchange a writer leaves as it stands (decision 0770): its sTokens and what they hold
 * (sTokenDataOf: those its request sent, and those the answer the client got lists), the address the request went to
 * (addressOf: no query) and its Host line.
 */
function entryDataOf(exchange: ProxiedExchange): string[] {
  const json = (message: SeenMessage | undefined) => (message?.body === undefined || message.size === 0 ? undefined : readMessage({ headers: message.rawHeaders, bytes: message.body }));
  const got = json(exchange.delivered ?? exchange.answer);
  const host = headerValues(headerLines(exchange.request.rawHeaders), 'Host');
  return [...sTokenDataOf(json(exchange.request)?.json?.value, got?.text === undefined ? [] : bodyStrings(got.text)), addressOf(exchange.targetUrl), ...host];
}
