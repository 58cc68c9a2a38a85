/** A body's bytes as they pass, kept up to a limit: past it only the size is counted (bounded memory). */
export class BodyCapture {
  private chunks: Buffer[] = [];
  private kept = 0;
  /** Bytes seen, kept or not. */
  size = 0;
  /** True once the body went over the limit: its bytes are dropped, and it is not judged. */
  overLimit = false;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.overLimit) return;
    if (this.kept + chunk.length > this.limit) {
      this.overLimit = true;
      this.chunks = [];
      this.kept = 0;
      return;
    }
    this.chunks.push(chunk);
    this.kept += chunk.length;
  }

  /** The whole body, or undefined when it went over the limit. */
  bytes(): Buffer | undefined {
    return this.overLimit ? undefined : Buffer.concat(this.chunks);
  }
}

/** Headers that belong to one connection, not to the message (RFC 9110 §7.6.1): never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

/** Raw header lines to forward: the message's own, in their order and spelling, without hop-by-hop ones. */
export function forwardedHeaders(rawHeaders: readonly string[], replace: Record<string, string> = {}): string[] {
  const connection = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === 'connection') for (const name of rawHeaders[i + 1].split(',')) connection.add(name.trim().toLowerCase());
  }
  const out: string[] = Object.entries(replace).flat();
  const replaced = new Set(Object.keys(replace).map((k) => k.toLowerCase()));
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (HOP_BY_HOP.has(name) || connection.has(name) || replaced.has(name)) continue;
    out.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return out;
}
