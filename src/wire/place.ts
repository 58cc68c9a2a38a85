/**
 * Where in an exchange a problem is, as fields (docs/decisions/0165): the part of the message, and the header's
 * name, the head's line or the body's JSON pointer. A problem is made with its place (`at`), and code that decides
 * by where a problem is reads these fields; the display text (`where`: `header Content-Type`, `body /displayName`)
 * is made from them here, once, and only shown.
 */
export type Part =
  /** A request's method. */
  | 'method'
  /** A request's target (path): the route, the version prefix, a target no server can take. */
  | 'path'
  /** A request's query options. */
  | 'query'
  /** A message head as a whole (bare LF line ends, not HTTP/1.1). */
  | 'head'
  /** An answer's status. */
  | 'status'
  /** A header: `header` names it, or `headerLine` is the head's line when no name could be read. */
  | 'header'
  /** A trailer field, sent after a chunked body (RFC 9110 §6.5): `header` names it. */
  | 'trailer'
  /** The body: `pointer` is the JSON pointer of a value in it ('' the root), absent for the body as a whole. */
  | 'body'
  /** A chunk line of a chunked body (RFC 9112 §7.1): `headerLine` is its number (from 1) when known. */
  | 'chunk'
  /** The connection: no answer, or bytes after the answer. */
  | 'connection'
  /** How the mock answered a client's request (check-client), when that is the finding. */
  | 'answer'
  /** A read-back of what was created (conform): `read` says which read. */
  | 'read-back';

export interface Place {
  part: Part;
  /** The header's name as sent, for part `header` (and the field's, for part `trailer`). */
  header?: string;
  /** The head's line (from 1), for part `header` when no name could be read or shown (the trailer section's, for part `trailer`; the chunk line's, for part `chunk`). */
  headerLine?: number;
  /** The JSON pointer into the body, for part `body` ('' the root); absent for the body as a whole. */
  pointer?: string;
  /** Which read, for part `read-back`: one vppToken by id, or the collection. */
  read?: 'GET by id' | 'collection';
  /**
   * The status of the interim 1xx answer (RFC 9110 §15.2: `103 Early Hints` before the final answer) the place is
   * in, for parts `status` (its status line) and `header` (its fields); absent for the final answer's.
   */
  interim?: number;
}

/** A place with its display text: what every problem carries. */
export type Placed = Place & {
  /** The place as shown (`status`, `header Content-Type`, `header line 3`, `body`, `body (root)`, `body /id`, `GET by id`): made by `at`, never read back. */
  where: string;
};

/** The place as shown: the one wording of a problem's place (`interim 103 header X-Debug-Auth` in an interim answer). */
export function whereOf(place: Place): string {
  return place.interim === undefined ? finalWhereOf(place) : `interim ${place.interim} ${finalWhereOf(place)}`;
}

function finalWhereOf(place: Place): string {
  switch (place.part) {
    case 'header':
      return place.header !== undefined ? `header ${place.header}` : `header line ${place.headerLine ?? 0}`;
    case 'trailer':
      return place.header !== undefined ? `trailer ${place.header}` : `trailer line ${place.headerLine ?? 0}`;
    case 'chunk':
      return place.headerLine === undefined ? 'chunk line' : `chunk line ${place.headerLine}`;
    case 'body':
      return place.pointer === undefined ? 'body' : `body ${place.pointer || '(root)'}`;
    case 'read-back':
      return place.read ?? 'read-back';
    default:
      return place.part;
  }
}

/** A place with its display text. */
const placed = (place: Place): Placed => ({ ...place, where: whereOf(place) });

/** A place and its display text, to spread into a problem: `{ ...at('status'), message }`. */
export const at = (part: Exclude<Part, 'header' | 'trailer' | 'body' | 'read-back'>): Placed => placed({ part });

/** A header by name (`header Content-Type`). */
export const atHeader = (name: string): Placed => placed({ part: 'header', header: name });

/** A trailer field by name (`trailer X-Debug-Auth`): a field sent after a chunked body. */
export const atTrailer = (name: string): Placed => placed({ part: 'trailer', header: name });

/** A line of the head whose name could not be read, or must not be shown (`header line 3`). */
export const atHeaderLine = (line: number): Placed => placed({ part: 'header', headerLine: line });

/** A line of the trailer section whose name must not be shown (`trailer line 2`): it holds a credential. */
export const atTrailerLine = (line: number): Placed => placed({ part: 'trailer', headerLine: line });

/** A chunk line of a chunked body by its number from 1 (`chunk line 2`), or unnumbered when the lines before it were not seen. */
export const atChunkLine = (line?: number): Placed => placed(line === undefined ? { part: 'chunk' } : { part: 'chunk', headerLine: line });

/** A value in the body by its JSON pointer ('' the root: `body (root)`), or the body as a whole (`body`). */
export const atBody = (pointer?: string): Placed => placed(pointer === undefined ? { part: 'body' } : { part: 'body', pointer });

/** A place in an interim 1xx answer: its status line (`interim 103 status`), a field by name, or a line of its head whose name must not be shown. */
export const atInterim = (status: number, field?: { header: string } | { headerLine: number }): Placed => placed({ part: field === undefined ? 'status' : 'header', ...field, interim: status });

/** A read-back of what a run created (conform's read-back check). */
export const atReadBack = (read: 'GET by id' | 'collection'): Placed => placed({ part: 'read-back', read });

/** The place of a problem alone (its part, name, line, pointer and display text), to give another problem the same place. */
export function placeOf(problem: Placed): Placed {
  const { part, header, headerLine, pointer, read, interim, where } = problem;
  return { part, ...(header === undefined ? {} : { header }), ...(headerLine === undefined ? {} : { headerLine }), ...(pointer === undefined ? {} : { pointer }), ...(read === undefined ? {} : { read }), ...(interim === undefined ? {} : { interim }), where };
}

/** True when a problem is at this header (any case, as RFC 9110 names headers). */
export function isAtHeader(problem: Place, name: string): boolean {
  return problem.part === 'header' && problem.header !== undefined && problem.header.toLowerCase() === name.toLowerCase();
}
