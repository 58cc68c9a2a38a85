import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/**
 * The bytes of a body under its Content-Encoding (gzip, deflate, br; identity or none as they are). Throws when
 * the bytes are not in that coding; an unknown coding is returned as it is.
 */
export function decodeContentEncoding(raw: Buffer, contentEncoding: string | string[] | undefined): Buffer {
  const encoding = String(contentEncoding ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(raw);
  if (encoding === 'deflate') return inflateSync(raw);
  if (encoding === 'br') return brotliDecompressSync(raw);
  return raw;
}
