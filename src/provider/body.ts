import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClientClosed, TooLarge } from './answer';

/** After a 413, the rest of the body is read and dropped, up to this much more, before the connection closes. */
const DRAIN_BYTES = 32 * 1024 * 1024;
const DRAIN_MS = 10_000;

export function declaredTooLarge(req: IncomingMessage, limit: number): TooLarge | undefined {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > limit ? new TooLarge(`The request body is ${declared} bytes; at most ${limit} are accepted.`) : undefined;
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = declaredTooLarge(req, limit);
    if (tooLarge) {
      reject(tooLarge);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        reject(new TooLarge(`The request body is over ${limit} bytes, the most accepted.`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // A stream error or a close before the end is the client going away (reset, abort, timeout on its side).
    req.on('error', () => reject(new ClientClosed(size)));
    req.on('close', () => {
      if (!req.complete) reject(new ClientClosed(size));
    });
  });
}

/** Sends the 413 at once, then reads and drops the rest of the body (bounded), so that the client reads the answer. */
export function answerTooLarge(req: IncomingMessage, res: ServerResponse, text: string, headers: Record<string, string | number>): void {
  res.writeHead(413, headers);
  res.write(text);
  let drained = 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    req.off('data', onData);
    res.end();
  };
  const onData = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) finish();
  };
  const timer = setTimeout(finish, DRAIN_MS);
  timer.unref();
  req.on('data', onData);
  req.once('end', finish);
  req.once('close', finish);
  req.once('error', finish);
  req.resume();
}
