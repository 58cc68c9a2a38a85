import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** The most bytes a coded body may decode to: a small gzip can claim gigabytes (a "zip bomb"). */
export const MAX_DECODED_BYTES = 64 * 1024 * 1024;

/**
 * A body's bytes with its Content-Encoding undone (RFC 9110 §8.4: codings listed in the order applied, so undone
 * last first). gzip (and x-gzip), deflate (zlib, or the raw deflate some servers send under that name), br and
 * identity are known; a coding that is unknown, or bytes that are not what the header says, is a problem: the
 * answer lies about its body. A server may compress whether or not it was asked: a compressed answer is fine.
 */
export function decodeContent(contentEncoding: string | undefined, bytes: Buffer): { bytes: Buffer; problem?: undefined } | { bytes?: undefined; problem: string } {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let body = bytes;
  for (const coding of codings.reverse()) {
    const options = { maxOutputLength: MAX_DECODED_BYTES };
    try {
      if (coding === 'gzip' || coding === 'x-gzip') body = gunzipSync(body, options);
      else if (coding === 'br') body = brotliDecompressSync(body, options);
      else if (coding === 'deflate') {
        try {
          body = inflateSync(body, options);
        } catch {
          body = inflateRawSync(body, options);
        }
      } else return { problem: `has Content-Encoding ${JSON.stringify(coding)}, which is not a coding an HTTP client knows (gzip, deflate, br)` };
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      return { problem: tooLarge ? `decodes (Content-Encoding ${coding}) to more than ${MAX_DECODED_BYTES} bytes` : `is not ${coding} data, as its Content-Encoding says` };
    }
  }
  return { bytes: body };
}
