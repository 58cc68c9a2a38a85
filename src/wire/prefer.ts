import { headerValues, listElements, TOKEN, type HeaderLine } from './headers';

/** One element of a Prefer list: a token, `=` and a word (a token or a quoted-string), then its parameters. */
const PREFERENCE = new RegExp(`^[ \\t]*(${TOKEN})[ \\t]*(?:=[ \\t]*("(?:[^"\\\\]|\\\\.)*"|[^;"]*?))?[ \\t]*(?:;.*)?$`, 's');

/**
 * The preferences a `Prefer` (or `Preference-Applied`) field names, read by RFC 7240 §2's grammar: a list of
 * `token [ BWS "=" BWS word ] *( OWS ";" [ OWS parameter ] )` over every line of the field, in order. Names are
 * compared in any case, values as they are, a quoted-string unquoted (RFC 7240 §2: "Comparison of preference token
 * names is case-insensitive while values are case-sensitive regardless of whether token or quoted-string values
 * are used"); a preference named again is ignored ("only the first instance is to be considered"). A preference's
 * own parameters are not kept: none the kit reads has any. Keys are lower case; a preference without a value maps to ''.
 */
export function preferencesOf(lines: readonly HeaderLine[], field: 'Prefer' | 'Preference-Applied'): Map<string, string> {
  const named = new Map<string, string>();
  for (const value of headerValues(lines, field)) {
    for (const element of listElements(value)) {
      const match = PREFERENCE.exec(element);
      if (!match) continue;
      const name = match[1].toLowerCase();
      const word = match[2] ?? '';
      if (!named.has(name)) named.set(name, word.startsWith('"') ? word.slice(1, -1).replace(/\\(.)/gs, '$1') : word);
    }
  }
  return named;
}
