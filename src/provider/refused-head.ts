import { GRAPH_JSON, graphError } from '../graph';
import { headProblem, requestChunkProblem, type ParseError, type WireProblem } from '../wire';

/**
 * The answer to a request head Node's parser refused (a folded line, two Content-Length lines, Transfer-Encoding
 * beside Content-Length: src/wire/head.ts), as the reference provider and the proxy write it on the socket: Graph's
 * 400 (431 for a head too large) with its error body naming the header and the rule, then the connection closed.
 * Undefined when the error is no parse error (the connection is then just dropped).
 */
export function refusedHeadAnswer(error: ParseError): { status: 400 | 431; code: string; problem: WireProblem; message: string; bytes: string } | undefined {
  const problem = headProblem(error);
  if (!problem) return undefined;
  return refusalAnswer(problem, error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400);
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
