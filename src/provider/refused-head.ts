import { GRAPH_JSON, graphError } from '../graph';
import { headProblem, type ParseError, type WireProblem } from '../wire';

/**
 * The answer to a request head Node's parser refused (a folded line, two Content-Length lines, Transfer-Encoding
 * beside Content-Length: src/wire/head.ts), as the reference provider and the proxy write it on the socket: Graph's
 * 400 (431 for a head too large) with its error body naming the header and the rule, then the connection closed.
 * Undefined when the error is no parse error (the connection is then just dropped).
 */
export function refusedHeadAnswer(error: ParseError): { status: 400 | 431; code: string; problem: WireProblem; message: string; bytes: string } | undefined {
  const problem = headProblem(error);
  if (!problem) return undefined;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const code = status === 431 ? 'RequestHeaderFieldsTooLarge' : 'BadRequest';
  const message = `${problem.where}: ${problem.message}`;
  const text = JSON.stringify(graphError(code, message));
  const bytes = `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: ${GRAPH_JSON}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`;
  return { status, code, problem, message, bytes };
}
