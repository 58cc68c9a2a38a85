import { Transform, type TransformCallback } from 'node:stream';

/**
 * Colour only on a terminal, never with NO_COLOR (https://no-color.org: set and not empty) or TERM=dumb;
 * FORCE_COLOR (set, not "0") turns it on anywhere.
 */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const PARTIAL = /\u001b(\[[0-9;?]*)?$/;

/** Removes ANSI colour codes from a text stream, including a code cut between two chunks. */
export function stripAnsi(): Transform {
  let held = '';
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const text = held + chunk.toString('utf8');
      const partial = PARTIAL.exec(text);
      held = partial ? partial[0] : '';
      done(null, (partial ? text.slice(0, partial.index) : text).replace(ANSI, ''));
    },
    flush(done: TransformCallback) {
      done(null, held.replace(ANSI, ''));
    },
  });
}
