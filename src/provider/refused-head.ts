import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { GRAPH_JSON, graphError } from '../graph';
import { headProblem, readRefusedHead, refusedRequestOf, requestChunkProblem, type ParseError, type WireProblem } from '../wire';

/**
 * The answer to a request head Node's parser refused (a folded line, two Content-Length lines, Transfer-Encoding
 * beside Content-Length: src/wire/head.ts), as the reference provider and the proxy write it on the socket: Graph's
 * 400 (431 for a head too large) with its error body naming the header and the rule, then the connection closed; and
 * that request's `head` as it came (read leniently: its method, target, header lines and body bytes) to record it by.
 * Both are read from the refused request's own bytes, past any request before it in the packet (decision 0940).
 * Undefined when the error is no parse error (the connection is then just dropped).
 */
export function refusedHeadAnswer(error: ParseError): (ReturnType<typeof refusalAnswer> & { head: ReturnType<typeof readRefusedHead> }) | undefined {
  const own = refusedRequestOf(error);
  const problem = headProblem(own);
  if (!problem) return undefined;
  return { ...refusalAnswer(problem, error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400), head: readRefusedHead(own.rawPacket) };
}

/**
 * The answer to a request whose head Node's parser took but whose chunked body it refused (whitespace before a chunk
 * extension: src/wire/framing.ts), as to a refused head: Graph's 400 naming the chunk line, then the connection
 * closed (outside tester R46, decision 0613). Undefined when the parser refused something the kit cannot name.
 */
export function refusedBodyAnswer(error: ParseError): ReturnType<typeof refusalAnswer> | undefined {
  const problem = requestChunkProblem(error.rawPacket, error.bytesParsed);
  return problem ? refusalAnswer(problem, 400) : undefined;
}

function refusalAnswer(problem: WireProblem, status: 400 | 431): { status: 400 | 431; code: string; problem: WireProblem; message: string; bytes: string } {
  const code = status === 431 ? 'RequestHeaderFieldsTooLarge' : 'BadRequest';
  const message = `${problem.where}: ${problem.message}`;
  const text = JSON.stringify(graphError(code, message));
  const bytes = `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: ${GRAPH_JSON}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`;
  return { status, code, problem, message, bytes };
}

/**
 * Keeps `res` among its connection's answers not yet written whole, in the order of their requests, until it has
 * finished or its connection closed: what a refusal written on the socket waits for (answerInOrder, decision 0814).
 */
export function noteUnanswered(unanswered: WeakMap<Socket, ServerResponse[]>, socket: Socket, res: ServerResponse): void {
  const list = unanswered.get(socket) ?? [];
  if (list.length === 0) unanswered.set(socket, list);
  list.push(res);
  const done = () => {
    const at = list.indexOf(res);
    if (at >= 0) list.splice(at, 1);
  };
  res.once('finish', done).once('close', done);
}

/**
 * Writes a refusal of a request whose head or body Node's parser refused (`bytes`, its 400 that closes the connection) once
 * the answers of the requests before it on the connection are written whole (RFC 9112 §9.3.2: a server answers
 * pipelined requests in the order they came): a client that wrote a create and then that request in one packet
 * gets the create's answer first, not a close that leaves it not knowing whether the create was stored (decision
 * 0814, 0693's leftover). The wait is as long as those answers take, each bounded by its own handling (the proxy's
 * --timeout); the connection's close ends it. `refused` is the refused request, whose own answer is not waited for;
 * none for a head the parser refused (no request was made of it): every answer on the connection is earlier.
 */
export function answerInOrder(unanswered: WeakMap<Socket, ServerResponse[]>, socket: Socket, bytes: string, refused?: IncomingMessage): void {
  const list = unanswered.get(socket) ?? [];
  const own = refused === undefined ? -1 : list.findIndex((res) => res.req === refused);
  const earlier = (own < 0 ? list : list.slice(0, own)).filter((res) => !res.writableFinished);
  const write = () => {
    if (!socket.writable) return void socket.destroy();
    socket.end(bytes);
  };
  if (earlier.length === 0) return write();
  let left = earlier.length;
  for (const res of earlier) {
    let counted = false;
    const one = () => {
      if (counted) return;
      counted = true;
      if (--left === 0) write();
    };
    res.once('finish', one).once('close', one);
  }
}
