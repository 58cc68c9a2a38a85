import type { Matchers as PactMatchers } from '@pact-foundation/pact';

/** The pact-js V3 matchers the kit builds its interactions with. */
export type KitMatchers = Pick<typeof PactMatchers, 'like' | 'atLeastOneLike' | 'boolean' | 'integer' | 'decimal' | 'string' | 'regex' | 'nullValue' | 'reify'>;

/** pact-js's `isMatcher`: an object with a matcher type and a value. */
const isMatcher = (x: unknown): x is { value: unknown } =>
  x != null && (x as Record<string, unknown>)['pact:matcher:type'] !== undefined && (x as Record<string, unknown>).value !== undefined;

/** pact-js's `reify`: the example inside matchers, all the way down. */
function reify(input: unknown): unknown {
  if (isMatcher(input)) return reify(input.value);
  if (Array.isArray(input)) return input.map(reify);
  if (typeof input === 'object') {
    if (input === null) return input;
    const objectInput = input as Record<string, unknown>;
    return Object.keys(objectInput).reduce<Record<string, unknown>>((acc, propName) => {
      acc[propName] = reify(objectInput[propName]);
      return acc;
    }, {});
  }
  if (typeof input === 'number' || typeof input === 'string' || typeof input === 'boolean') return input;
  throw new Error(`Unable to strip matcher from a '${typeof input}', as it is not valid in a Pact description`);
}

/**
 * The nine pact-js V3 matchers the kit uses (`src/v3/matchers` in pact-js 16.4 and 17.1), written as pact-js writes
 * them: each is a plain object of Pact's integration JSON (`pact:matcher:type`, `value`, ...), which pact-core
 * reads. pact-js's module loads ramda (0.14-0.16 s of CPU) for `times` and `pickBy`, in every process and test file
 * that builds an interaction or reads an example (decision 0552; 0160 loaded that module alone instead of pact-js's
 * root). tests/contract/matchers.test.ts fails if one of them writes other than pact-js's own does, on pact-js 16.4
 * (Node 20) and 17.1.4 (Node 24) in `.ci/run`.
 */
export const Matchers = {
  like: (template: unknown) => ({ 'pact:matcher:type': 'type', value: template }),
  atLeastOneLike: (template: unknown, count = 1) => ({ min: 1, 'pact:matcher:type': 'type', value: Array.from({ length: count }, () => template) }),
  boolean: (b = true) => ({ 'pact:matcher:type': 'type', value: b }),
  integer: (int?: number) => {
    if (Number.isInteger(int)) return { 'pact:matcher:type': 'integer', value: int };
    if (int) throw new Error(`The integer matcher was passed '${int}' which is not an integer.`);
    return { 'pact:generator:type': 'RandomInt', 'pact:matcher:type': 'integer', value: 101 };
  },
  decimal: (num?: number) => {
    if (Number.isFinite(num)) return { 'pact:matcher:type': 'decimal', value: num };
    if (num) throw new Error(`The decimal matcher was passed '${num}' which is not a number.`);
    return { 'pact:generator:type': 'RandomDecimal', 'pact:matcher:type': 'decimal', value: 12.34 };
  },
  string: (str = 'some string') => ({ 'pact:matcher:type': 'type', value: str }),
  regex: (pattern: RegExp | string, str: string) => ({ 'pact:matcher:type': 'regex', regex: pattern instanceof RegExp ? pattern.source : pattern, value: str }),
  nullValue: () => ({ 'pact:matcher:type': 'null', value: null }),
  reify,
} as unknown as KitMatchers;

/**
 * A string matched by its type and a regex together (both must hold): Pact applies a regex to a number or a boolean
 * by its text, so `regex` alone let a consumer test's mock take `"token": 123` (round ten's leftover), where the
 * schema and check-client ask for a string. pact-js's DSL has no matcher for two rules, but Pact's core reads a list
 * under `pact:matcher:type` (pact_ffi's matchers_from_integration_json, pact-js 16.4 and 17.1) and writes
 * `[{ match: 'type' }, { match: 'regex', regex }]`, what strengthenPact writes for answers.
 */
export function typedRegex(pattern: string, example: string): ReturnType<typeof Matchers.regex> {
  // `regex` is kept beside the list too, where matchersFor's readers find a regex matcher's (Pact reads the list).
  return { 'pact:matcher:type': [{ 'pact:matcher:type': 'type' }, { 'pact:matcher:type': 'regex', regex: pattern }], regex: pattern, value: example } as unknown as ReturnType<typeof Matchers.regex>;
}
