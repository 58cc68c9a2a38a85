import { atBody, bearerTokenOf, headerLines, isJsonMediaType, nodeHeadBound, readMessage, singleHeader, type HeaderLine } from '../wire';
import { readAnswer, type ObservedAnswer } from './answer';
import { BATCH } from './not-modelled';
import { VPP_TOKENS_PATH } from './patterns';
import { OF_A_REQUEST_INSIDE, headerCredentialProblems } from './header-credentials';
import { authorizationProblems, jsonContentTypeProblems, type ObservedRequest, type RequestProblem } from './request';
import { readRequestTarget, type RequestTarget } from './target';

/**
 * JSON batching (learn.microsoft.com/graph/json-batching; decision 0201): `POST /{version}/$batch` with
 * `{"requests": [{"id", "method", "url", "headers", "body"}, ...]}`, each url relative to the batch's version, each
 * JSON body a JSON value (other media types base64), the batch's Authorization standing for every request in it.
 * Graph answers 200 with `{"responses": [{"id", "status", "headers", "body"}, ...]}`, in any order, a JSON body
 * again a JSON value whose media type the envelope's own stands for.
 */
export const isBatchTarget = (method: string, target: RequestTarget): boolean => method.toUpperCase() === 'POST' && BATCH.test(target.rest);

/** A create of a vppToken inside a JSON batch: its id (which its answer carries) and the create as the judgement reads it. */
export interface BatchedCreate {
  id: string;
  /** Its place in the batch's `requests` (0 for the first). */
  index: number;
  request: ObservedRequest;
  /** The ids of the requests it waits for (`dependsOn`), as written. */
  dependsOn: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The ids a batch member waits for (`dependsOn`), as written: its strings, none when it names none. */
const dependsOnOf = (member: Record<string, unknown>): string[] => (Array.isArray(member.dependsOn) ? member.dependsOn.filter((d): d is string => typeof d === 'string') : []);

/**
 * The one reading of a batch's request ids: Graph reads them in any letter case (ids given twice in any case are
 * refused, decision 0215), so `dependsOn: ["A"]` names the request `"a"`, for the mock and the proxy as they run a
 * batch and for compare and verify as they read its answer (outside attacker R131, decision 1110).
 */
export const batchIdKey = (id: string): string => id.toLowerCase();

/** A batch member's `headers` object as header lines, each value as sent (an array gives one line per value). */
function memberLines(headers: unknown): string[] {
  if (!isObject(headers)) return [];
  const lines: string[] = [];
  for (const [name, value] of Object.entries(headers)) for (const one of Array.isArray(value) ? value : [value]) lines.push(name, String(one));
  return lines;
}

/** A batch member's `body` as the bytes it stands for: JSON for a JSON media type (or none), base64 decoded else. */
function memberBytes(body: unknown, lines: readonly HeaderLine[]): Uint8Array {
  if (body === undefined) return new Uint8Array();
  const type = singleHeader(lines, 'Content-Type');
  if (typeof body === 'string' && type !== undefined && !isJsonMediaType(type)) return Buffer.from(body, 'base64');
  return Buffer.from(JSON.stringify(body));
}

/** A batch's body read by the one reader, and its `requests` (read as JSON.parse reads them when the reader refused the body); undefined when none. */
function readBatch(batch: ObservedRequest): { read: ReturnType<typeof readMessage>; members?: unknown[] } {
  const read = readMessage({ headers: batch.rawHeaders ?? batch.headers, ...(batch.bytes !== undefined ? { bytes: batch.bytes } : { text: batch.body }) });
  let value = read.json?.value;
  // A body nested too deep is read no further: no reader of it goes that deep (decision 0385).
  if (value === undefined && read.text !== undefined && !read.problems.some((p) => p.rule === 'nesting depth')) {
    try {
      value = JSON.parse(read.text);
    } catch {
      return { read };
    }
  }
  return { read, ...(isObject(value) && Array.isArray(value.requests) ? { members: value.requests } : {}) };
}

/** A batch member as sent: its url, its headers as lines, its body (a JSON value, or base64 text). */
export interface BatchMember {
  url?: string;
  rawHeaders: string[];
  body?: unknown;
}

/** Every member of a JSON batch, whatever it asks (a create, a read, anything): what a writer hides credentials in. */
export function batchMembers(batch: ObservedRequest): BatchMember[] {
  return (readBatch(batch).members ?? []).filter(isObject).map((member) => ({
    ...(typeof member.url === 'string' ? { url: member.url } : {}),
    rawHeaders: memberLines(member.headers),
    ...(member.body !== undefined ? { body: member.body } : {}),
  }));
}

/**
 * A JSON batch's own header lines judged for the credentials of the requests inside it (decision 0346), as a
 * create's are for its own (headerCredentialProblems, 0332): its bearer, any sToken, the VPP token in the body of each
 * request inside it, and the bearer of each that gives its own Authorization (0540). Graph and the proxies on its way log the batch's head as any request's, and answer its
 * client-request-id back. The client's leak: check-client's verdict and the proxy's, never the mock's answer.
 */
export function batchHeaderCredentialProblems(batch: ObservedRequest): RequestProblem[] {
  const members = batchMembers(batch);
  const tokens = members.flatMap(({ body }) => (isObject(body) && typeof body.token === 'string' ? [body.token] : []));
  // The bearer of a request inside that gives its own went with the batch too (decision 0540).
  const bearers = members.map(({ rawHeaders }) => bearerTokenOf(singleHeader(headerLines(rawHeaders), 'Authorization')));
  return headerCredentialProblems(readMessage({ headers: batch.rawHeaders ?? batch.headers, text: '' }).lines, tokens, { bearers, said: OF_A_REQUEST_INSIDE });
}

/** The most requests one JSON batch holds (learn.microsoft.com/graph/json-batching: "up to 20"). */
export const MAX_BATCH_REQUESTS = 20;

/** A request inside a JSON batch, as a server routes it: its id, its method, its target (relative to the batch's version), its header lines, its body's bytes. */
export interface BatchRequestMember {
  id: string;
  /** Its place in the batch's `requests` (0 for the first). */
  index: number;
  method: string;
  /** The member's url as a target with its leading slash (`/deviceAppManagement/vppTokens`), without the batch's version. */
  target: string;
  /** The member's header lines, and the batch's Authorization when it gives none. */
  rawHeaders: string[];
  /** Its body's bytes (a JSON value as JSON text; another media type's base64 decoded); empty when it has none. */
  bytes: Uint8Array;
  /** The ids of the requests it waits for (`dependsOn`), as written: it runs after them, and fails with 424 when one of them failed. */
  dependsOn: string[];
  /** The batch's own Authorization value, when it gives one: sent with the request even where it gives its own (decision 0540). */
  batchAuthorization?: string;
}

/**
 * The order a server runs a batch's requests in: each after the requests it `dependsOn` ("Sequencing requests with
 * the dependsOn property", learn.microsoft.com/graph/json-batching), else in the batch's order (a request listed
 * before the one it depends on runs after it). checkBatchRequest has refused a cycle.
 */
export function batchRunOrder(members: readonly BatchRequestMember[]): BatchRequestMember[] {
  const byId = new Map(members.map((m) => [batchIdKey(m.id), m]));
  const done = new Set<BatchRequestMember>();
  const order: BatchRequestMember[] = [];
  const run = (member: BatchRequestMember, seen: Set<BatchRequestMember>): void => {
    if (done.has(member) || seen.has(member)) return;
    seen.add(member);
    for (const id of member.dependsOn) {
      const first = byId.get(batchIdKey(id));
      if (first) run(first, seen);
    }
    done.add(member);
    order.push(member);
  };
  for (const member of members) run(member, new Set());
  return order;
}

/**
 * An answer's body as a JSON batch carries it, the inverse of how a member's body is read: a JSON value when its
 * media type is JSON (or it has none), else its bytes as a base64 string, as Graph answers a batched `/$count`
 * (`"MA=="` for 0: the SDKs' BatchResponseContent decode it so).
 */
export function batchedBody(text: string, contentType: string | undefined): unknown {
  return contentType === undefined || isJsonMediaType(contentType) ? JSON.parse(text) : Buffer.from(text).toString('base64');
}

/** The first cycle of `dependsOn` among a batch's requests, as their ids in order (`["1", "2", "1"]`); undefined when none. */
function dependencyCycle(list: readonly unknown[]): string[] | undefined {
  const ids = new Map<string, string[]>();
  for (const member of list) {
    if (isObject(member) && typeof member.id === 'string') ids.set(batchIdKey(member.id), dependsOnOf(member).map(batchIdKey));
  }
  const state = new Map<string, 'open' | 'done'>();
  const names = new Map(list.filter(isObject).filter((m) => typeof m.id === 'string').map((m) => [batchIdKey(m.id as string), m.id as string]));
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id].map((one) => names.get(one) ?? one);
    state.set(id, 'open');
    for (const next of ids.get(id) ?? []) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * A member's url over the bound the mock reads a request line to (Node's head, 16 KiB): a request sent alone cannot
 * carry a longer one to the mock, and a batch must not cost more than its requests sent alone (outside finding R111:
 * a $filter of 1,200 operands in a member held the server). Graph publishes no bound of its own (decision 1031).
 */
const memberUrlTooLong = (bytes: number): string => {
  const bound = nodeHeadBound();
  return `is ${bytes} bytes long, over the ${bound} bytes (${bound / 1024} KiB) the mock reads a request's URL to (Node's HTTP parser reads a head of at most that, --max-http-header-size): a batch member's url is held to the bound a request line has, as its query costs the same to read; Graph publishes no bound of its own: keep a url under ${bound / 1024} KiB (split a long $filter into several requests)`;
};

/** A member's url as a target: relative to the batch's version, with or without its leading slash. */
const memberTarget = (url: string): string => (url.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(url) ? url : `/${url}`);

/**
 * A JSON batch request judged as Graph takes one (learn.microsoft.com/graph/json-batching; decision 0215), and the
 * requests inside it: the batch's own head (one Bearer Authorization, a JSON Content-Type), its body read by the one
 * reader, a JSON object whose `requests` hold 1 to 20 objects, each with an `id` (a string, unique in the batch
 * whatever its case), a `method` and a `url` relative to the batch's version, `headers` an object of strings,
 * `dependsOn` ids of the batch. With a problem the whole batch is refused (Graph answers it 400) and no member is
 * given. The mock answers each member as a request of its own; check-client judges each as one.
 */
export function checkBatchRequest(batch: ObservedRequest): { problems: RequestProblem[]; members: BatchRequestMember[]; envelope?: Record<string, unknown> & { requests: unknown[] } } {
  const read = readMessage({ headers: batch.rawHeaders ?? batch.headers, ...(batch.bytes !== undefined ? { bytes: batch.bytes } : { text: batch.body }) });
  const problems: RequestProblem[] = [...read.problems.filter((p) => p.part === 'header'), ...jsonContentTypeProblems(read), ...authorizationProblems(read.lines)];
  const inBody = read.problems.filter((p) => p.part !== 'header');
  if (inBody.length > 0 || read.empty || !read.json) {
    return { problems: [...problems, ...(inBody.length > 0 ? inBody : [{ ...atBody(), message: 'is required: a JSON batch, {"requests": [...]}' }])], members: [] };
  }
  const envelope = read.json.value;
  if (!isObject(envelope) || !Array.isArray(envelope.requests)) return { problems: [...problems, { ...atBody(isObject(envelope) ? '/requests' : ''), message: 'must be a JSON batch: an object whose "requests" is an array of requests' }], members: [] };
  const list: unknown[] = envelope.requests;
  if (list.length === 0) problems.push({ ...atBody('/requests'), message: `holds no request: a JSON batch holds 1 to ${MAX_BATCH_REQUESTS}` });
  if (list.length > MAX_BATCH_REQUESTS) problems.push({ ...atBody('/requests'), message: `holds ${list.length} requests: a JSON batch holds at most ${MAX_BATCH_REQUESTS}` });
  const outer = read.lines.filter((l) => l.name.toLowerCase() === 'authorization').flatMap((l) => [l.name, l.value]);
  const batchAuthorization = singleHeader(read.lines, 'Authorization');
  const ids = new Map<string, number>();
  const members: BatchRequestMember[] = [];
  list.forEach((member, index) => {
    const at = (name = '') => atBody(`/requests/${index}${name}`);
    if (!isObject(member)) return void problems.push({ ...at(), message: 'must be a request: an object with an id, a method and a url' });
    const { id, method, url, headers, dependsOn } = member;
    if (typeof id !== 'string' || id === '') problems.push({ ...at('/id'), message: 'is required: a non-empty string that names the request in the batch and in its answer' });
    else if (ids.has(batchIdKey(id))) problems.push({ ...at('/id'), message: `is the id of request ${ids.get(batchIdKey(id))} as well: each id in a batch must be unique (ids are not case-sensitive)` });
    else ids.set(batchIdKey(id), index);
    if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) problems.push({ ...at('/method'), message: 'is required: the request\'s HTTP method, such as "POST"' });
    if (typeof url !== 'string' || url === '') problems.push({ ...at('/url'), message: 'is required: the request\'s URL relative to the batch\'s version, such as "/deviceAppManagement/vppTokens"' });
    else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) problems.push({ ...at('/url'), message: `must be relative to the batch's version, such as "/deviceAppManagement/vppTokens" (got an absolute URL)` });
    else if (Buffer.byteLength(url) > nodeHeadBound()) problems.push({ ...at('/url'), message: memberUrlTooLong(Buffer.byteLength(url)) });
    if (headers !== undefined && (!isObject(headers) || Object.values(headers).some((v) => typeof v !== 'string'))) problems.push({ ...at('/headers'), message: 'must be an object of header names and their values (strings)' });
    // An array of ids, or left out (OData JSON Format 4.01 §19.1; OData.NET's batch reader reads only an array):
    // null is no array, and Graph's readers do not take it for "none" (decision 0460).
    if (dependsOn !== undefined && !Array.isArray(dependsOn)) {
      problems.push({ ...at('/dependsOn'), message: `must be an array of the ids of other requests in the batch (got ${dependsOn === null ? 'null' : typeof dependsOn}): leave dependsOn out when the request waits for none` });
    } else if (Array.isArray(dependsOn) && dependsOn.some((d) => typeof d !== 'string' || !list.some((o) => isObject(o) && typeof o.id === 'string' && batchIdKey(o.id) === batchIdKey(d) && o !== member))) {
      problems.push({ ...at('/dependsOn'), message: 'must list ids of other requests in the batch' });
    }
    if (typeof id !== 'string' || typeof method !== 'string' || typeof url !== 'string') return;
    const own = memberLines(headers);
    const rawHeaders = headerLines(own).some((l) => l.name.toLowerCase() === 'authorization') ? own : [...own, ...outer];
    members.push({ id, index, method: method.toUpperCase(), target: memberTarget(url), rawHeaders, bytes: memberBytes(member.body, headerLines(own)), dependsOn: dependsOnOf(member), ...(batchAuthorization === undefined ? {} : { batchAuthorization }) });
  });
  // Requests that wait for each other can never run (outside tester N4's case, turned round).
  const cycle = problems.length === 0 ? dependencyCycle(list) : undefined;
  if (cycle) {
    const index = list.findIndex((m) => isObject(m) && typeof m.id === 'string' && batchIdKey(m.id) === batchIdKey(cycle[0]));
    problems.push({ ...atBody(`/requests/${index}/dependsOn`), message: `waits for a request that waits for it (${cycle.map((id) => JSON.stringify(id)).join(' -> ')}): no request of the cycle can run` });
  }
  return problems.length > 0 ? { problems, members: [] } : { problems, members, envelope: envelope as Record<string, unknown> & { requests: unknown[] } };
}

/**
 * The creates of a vppToken inside a batch (members `POST` to the vppTokens collection, read as Graph routes a
 * target), each as a request of its own: the member's headers, the batch's Authorization when it gives none, its
 * body's bytes. `problems` are what the one reader refuses in the envelope that holds them (a name twice, bytes that
 * are not UTF-8): the client's, as in a create's own body; the members are then read as JSON.parse reads them.
 */
export function batchedCreates(batch: ObservedRequest): { creates: BatchedCreate[]; problems: RequestProblem[] } {
  const { read, members } = readBatch(batch);
  if (members === undefined) return { creates: [], problems: [] };
  const outer = headerLines(batch.rawHeaders ?? batch.headers);
  const authorization = outer.filter((l) => l.name.toLowerCase() === 'authorization').flatMap((l) => [l.name, l.value]);
  const batchAuthorization = singleHeader(outer, 'Authorization');
  const creates: BatchedCreate[] = [];
  members.forEach((member: unknown, index) => {
    if (!isObject(member) || typeof member.method !== 'string' || typeof member.url !== 'string') return;
    // A member's url is relative to the batch's version, with or without its leading slash.
    const target = readRequestTarget(memberTarget(member.url));
    if (member.method.toUpperCase() !== 'POST' || target.version !== '' || target.names.kind !== 'collection') return;
    const own = memberLines(member.headers);
    const rawHeaders = headerLines(own).some((l) => l.name.toLowerCase() === 'authorization') ? own : [...own, ...authorization];
    const path = `${VPP_TOKENS_PATH}${target.query ? `?${target.query}` : ''}`;
    creates.push({ id: String(member.id ?? ''), index, dependsOn: dependsOnOf(member), request: { method: 'POST', path, headers: {}, rawHeaders, body: undefined, bytes: memberBytes(member.body, headerLines(own)), ...(batchAuthorization === undefined ? {} : { batchAuthorization }) } });
  });
  const problems = creates.length > 0 ? read.problems.filter((p) => p.part !== 'header') : [];
  return { creates, problems };
}

/**
 * Graph's status for a request inside a JSON batch whose dependency failed, not run: 424 Failed Dependency ("If an
 * individual request fails, any request that depends on that request fails with status code 424",
 * learn.microsoft.com/graph/json-batching). The one constant of the mock, the proxy, the judgement and compare.
 */
export const FAILED_DEPENDENCY = 424;

/**
 * The first id `dependsOn` names whose request failed (`statusOf` gives its status: any but 2xx), or undefined: the
 * one rule of which dependency fails a request, read on a batch's answer (failedDependencyOf) and by a server as it
 * runs the batch (the mock, the proxy's drawn faults). `statusOf` gives undefined for a request not answered.
 */
export function failedDependencyIn(dependsOn: readonly string[], statusOf: (id: string) => number | undefined): string | undefined {
  return dependsOn.find((id) => {
    const status = statusOf(id);
    return status !== undefined && (status < 200 || status > 299);
  });
}

/** The message of Graph's error body for a request not run, its dependency `id` having failed with `status`. */
export const failedDependencyMessage = (id: string, status: number | undefined): string =>
  `The request was not run: it depends on the request with the id ${JSON.stringify(id)}, which failed (${status}).`;

/**
 * The id of a request `dependsOn` names that the batch answered with a status other than 2xx, or undefined: Graph
 * then answers the dependent request 424 Failed Dependency without running it (FAILED_DEPENDENCY), so a 424 to it is
 * the provider's right answer (outside tester R21), whatever the request held.
 */
export function failedDependencyOf(batch: ObservedAnswer, dependsOn: readonly string[]): string | undefined {
  return failedDependencyIn(dependsOn, (id) => {
    const answer = batchedAnswer(batch, id, { anyCase: true });
    return typeof answer === 'object' ? answer.status : undefined;
  });
}

/**
 * The request a batch member depends on that the batch answered with a failure, with that status (failedDependencyOf,
 * the one rule of a batch member's 424): Graph answers such a member 424 Failed Dependency without running it, and
 * answers 424 to no other (it runs one whose dependencies succeeded, or that names none, and answers it for itself).
 * undefined when none failed.
 */
export function failedDependencyAnswer(batch: ObservedAnswer, dependsOn: readonly string[]): { id: string; status: number } | undefined {
  const id = failedDependencyOf(batch, dependsOn);
  if (id === undefined) return undefined;
  const answer = batchedAnswer(batch, id, { anyCase: true }) as ObservedAnswer;
  return { id, status: answer.status };
}

/**
 * Why an answer other than 424 to a request whose dependency failed (`failed`, failedDependencyAnswer) is not Graph's:
 * Graph does not run it ("If an individual request fails, any request that depends on that request fails with status
 * code 424", learn.microsoft.com/graph/json-batching). `got` is the status answered. Decision 1051.
 */
export const notRunWords = (failed: { id: string; status: number }, got: number): string =>
  `must be ${FAILED_DEPENDENCY} Failed Dependency: the request it depends on (${JSON.stringify(failed.id)}) was answered ${failed.status}, and Graph runs no request whose dependency failed, answering it ${FAILED_DEPENDENCY} (learn.microsoft.com/graph/json-batching) (got ${got})`;

/**
 * The answer a batch gave one of its members, as the judgement reads an answer: its status, its headers (the
 * envelope's Content-Type standing for a JSON body that has none), its body's bytes. A string says why there is
 * none to judge: the batch refused or cut as a whole, or no answer with that id. The answer is found by its id as
 * written, the server echoing the request's own; `anyCase` finds it by batchIdKey, for an id `dependsOn` names.
 */
export function batchedAnswer(batch: ObservedAnswer, id: string, { anyCase = false }: { anyCase?: boolean } = {}): ObservedAnswer | string {
  if (batch.status !== 200) return `the batch was answered ${batch.status} as a whole`;
  const read = readAnswer(batch);
  const envelope = read.json?.value;
  if (read.problems.some((p) => p.part !== 'header') || !isObject(envelope) || !Array.isArray(envelope.responses)) {
    return 'the batch answer is not a JSON batch answer ({"responses": [...]}) the one reader reads';
  }
  const member = envelope.responses.find((r: unknown) => isObject(r) && (anyCase ? batchIdKey(String(r.id)) === batchIdKey(id) : String(r.id) === id)) as Record<string, unknown> | undefined;
  if (member === undefined) return `the batch answer holds no response with the id ${JSON.stringify(id)}`;
  if (typeof member.status !== 'number') return `the batch answer's response ${JSON.stringify(id)} has no numeric status`;
  const own = memberLines(member.headers);
  const type = singleHeader(read.lines, 'Content-Type');
  const typed = headerLines(own).some((l) => l.name.toLowerCase() === 'content-type');
  const rawHeaders = member.body !== undefined && typeof member.body !== 'string' && !typed && type !== undefined ? [...own, 'Content-Type', type] : own;
  return { status: member.status, headers: {}, rawHeaders, body: undefined, bytes: memberBytes(member.body, headerLines(rawHeaders)) };
}
