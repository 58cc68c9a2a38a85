/**
 * Colour only on a terminal, never with NO_COLOR (https://no-color.org: set and not empty) or TERM=dumb;
 * FORCE_COLOR (set, not "0") turns it on anywhere.
 */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
