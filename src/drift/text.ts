import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { pipeline, Transform, type Readable } from 'node:stream';
import { otherUnicodeEncoding } from '../wire/body';
import { MetadataError } from './error';

/** How a metadata file's text is encoded, by its first bytes. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * UTF-8 or UTF-16, which XML 1.0 §4.3.3 and YAML 1.2 §5.2 both require a reader to take, named by the one reader of
 * encodings (src/wire's otherUnicodeEncoding: a byte order mark, or the zero bytes around ASCII). Unlike a JSON data
 * file (decision 0384), metadata in UTF-16 is read (decision 0402); UTF-32, which XML does not require, is refused
 * with how to save it. The encoding declaration is not asked: Windows PowerShell 5.1 saves a downloaded `$metadata`
 * as UTF-16 under its `encoding="utf-8"`.
 */
export function encodingOf(file: string, head: Uint8Array): TextEncoding {
  const other = otherUnicodeEncoding(head);
  if (other === undefined) return 'utf-8';
  if (other.encoding === 'UTF-16LE' || other.encoding === 'UTF-16BE') return other.encoding.toLowerCase() as TextEncoding;
  throw new MetadataError(`${file} is ${other.encoding}, not UTF-8 or UTF-16 (${other.shows}): save it as UTF-8, e.g. iconv -f ${other.encoding} -t UTF-8 FILE > NEW, or in PowerShell Get-Content FILE | Set-Content -Encoding utf8 NEW`);
}

const label = (encoding: TextEncoding) => encoding.toUpperCase();

/** The first `size` bytes of a file (fewer when it is shorter); a folder is said to be one. */
export function headOf(file: string, size: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size);
    try {
      return buffer.subarray(0, readSync(fd, buffer, 0, size, 0));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new MetadataError(`${file} is a folder: give the metadata file itself`);
      throw error;
    }
  } finally {
    closeSync(fd);
  }
}

/** A decoder of `encoding` that refuses what is not (a lone surrogate) with the file's name, as one line. */
function decoderOf(file: string, encoding: TextEncoding): (bytes?: Uint8Array, more?: boolean) => string {
  const decoder = new TextDecoder(encoding, { fatal: true });
  return (bytes, more = false) => {
    try {
      return decoder.decode(bytes, { stream: more });
    } catch {
      throw new MetadataError(`${file} is not ${label(encoding)}: it has bytes that are no character in ${label(encoding)}${encoding === 'utf-8' ? '' : ', which its first bytes say it is'}`);
    }
  };
}

/** The start of a file as text, decoded by its first bytes; a partial character at the end is left out. */
export function textHead(file: string, size: number): string {
  const head = headOf(file, size);
  return new TextDecoder(encodingOf(file, head)).decode(head, { stream: true });
}

/**
 * A file as a stream of text (strings), read as it comes and decoded by its first bytes: a character split across
 * two reads is joined, the byte order mark left out, bytes that are no character refused. The XML declaration's
 * encoding is not asked (see encodingOf): strings, not bytes, go to the XML reader.
 */
export function openText(file: string): Readable {
  const decode = decoderOf(file, encodingOf(file, headOf(file, 4)));
  const text = new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      try {
        const part = decode(chunk, true);
        done(null, part === '' ? undefined : part);
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        const part = decode();
        done(null, part === '' ? undefined : part);
      } catch (error) {
        done(error as Error);
      }
    },
  });
  return pipeline(createReadStream(file), text, () => undefined);
}

/** A whole file as text, decoded as openText decodes it. */
export function readText(file: string): string {
  const bytes = readFileSync(file);
  return decoderOf(file, encodingOf(file, bytes))(bytes);
}
