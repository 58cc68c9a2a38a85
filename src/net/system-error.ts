/**
 * The kit's words for Node's system errors (decision 0355): one table, so a file or a connection that fails is said
 * alike by every command and by the library (seed's report, a --ca file, a JSON file given on the command line).
 */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system or the process limit',
  EROFS: 'read-only file system',
  EMFILE: "too many open files: this process's limit was reached (ulimit -n shows it)",
  ENFILE: "too many open files: the system's limit was reached",
  EPIPE: 'the reader went away',
  EEXIST: 'it already exists',
  ENAMETOOLONG: 'the name is too long for the file system',
  ELOOP: 'too many symbolic links',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'timed out',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'the host name could not be resolved',
};

/**
 * Why a file could not be read or written, in words and with its code: `no such file or folder (ENOENT)`. A code
 * the table does not know is given as it is (`EIO`), never Node's message (which repeats the path and the call).
 */
export function systemReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code !== undefined) return SYSTEM_ERRORS[code] ? `${SYSTEM_ERRORS[code]} (${code})` : code;
  return error instanceof Error ? error.message : String(error);
}

/** A file that could not be read, as the library says it: `cannot read nope.json: no such file or folder (ENOENT)`. */
export const cannotReadText = (file: string, error: unknown): string => `cannot read ${file}: ${systemReason(error)}`;

/** A Node system error the table knows (ENOENT, ENOSPC, ...) as one line without a stack, or undefined for anything else. */
export function systemErrorLine(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !(e.code in SYSTEM_ERRORS)) return undefined;
  const where = e.path ? `${e.path}: ` : e.syscall === 'write' ? 'writing the output: ' : '';
  return `${where}${SYSTEM_ERRORS[e.code]} (${e.code})`;
}
