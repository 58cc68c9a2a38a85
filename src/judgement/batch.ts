import { headerLines, isJsonMediaType, readMessage, singleHeader, type HeaderLine } from '../wire';
import { readAnswer, type ObservedAnswer } from './answer';
import { BATCH } from './not-modelled';
import { VPP_TOKENS_PATH } from './patterns';
import type { ObservedRequest, RequestProblem } from './request';
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
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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
  if (value === undefined && read.text !== undefined) {
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
  const creates: BatchedCreate[] = [];
  members.forEach((member: unknown, index) => {
    if (!isObject(member) || typeof member.method !== 'string' || typeof member.url !== 'string') return;
    // A member's url is relative to the batch's version, with or without its leading slash.
    const target = readRequestTarget(member.url.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(member.url) ? member.url : `/${member.url}`);
    if (member.method.toUpperCase() !== 'POST' || target.version !== '' || target.names.kind !== 'collection') return;
    const own = memberLines(member.headers);
    const rawHeaders = headerLines(own).some((l) => l.name.toLowerCase() === 'authorization') ? own : [...own, ...authorization];
    const path = `${VPP_TOKENS_PATH}${target.query ? `?${target.query}` : ''}`;
    creates.push({ id: String(member.id ?? ''), index, request: { method: 'POST', path, headers: {}, rawHeaders, body: undefined, bytes: memberBytes(member.body, headerLines(own)) } });
  });
  const problems = creates.length > 0 ? read.problems.filter((p) => p.part !== 'header') : [];
  return { creates, problems };
}

/**
 * The answer a batch gave one of its members, as the judgement reads an answer: its status, its headers (the
 * envelope's Content-Type standing for a JSON body that has none), its body's bytes. A string says why there is
 * none to judge: the batch refused or cut as a whole, or no answer with that id.
 */
export function batchedAnswer(batch: ObservedAnswer, id: string): ObservedAnswer | string {
  if (batch.status !== 200) return `the batch was answered ${batch.status} as a whole`;
  const read = readAnswer(batch);
  const envelope = read.json?.value;
  if (read.problems.some((p) => p.part !== 'header') || !isObject(envelope) || !Array.isArray(envelope.responses)) {
    return 'the batch answer is not a JSON batch answer ({"responses": [...]}) the one reader reads';
  }
  const member = envelope.responses.find((r: unknown) => isObject(r) && String(r.id) === id) as Record<string, unknown> | undefined;
  if (member === undefined) return `the batch answer holds no response with the id ${JSON.stringify(id)}`;
  if (typeof member.status !== 'number') return `the batch answer's response ${JSON.stringify(id)} has no numeric status`;
  const own = memberLines(member.headers);
  const type = singleHeader(read.lines, 'Content-Type');
  const typed = headerLines(own).some((l) => l.name.toLowerCase() === 'content-type');
  const rawHeaders = member.body !== undefined && typeof member.body !== 'string' && !typed && type !== undefined ? [...own, 'Content-Type', type] : own;
  return { status: member.status, headers: {}, rawHeaders, body: undefined, bytes: memberBytes(member.body, headerLines(rawHeaders)) };
}
