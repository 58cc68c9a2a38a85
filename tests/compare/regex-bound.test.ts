// Outside finding R88 (decision 0841): compare ran a pact's regex with JavaScript's backtracking engine, synchronously:
// `^([A-Za-z0-9]+\s?)+$` against a 61-character displayName with a character it does not take ran for hours, deaf to
// SIGTERM and Ctrl-C. A regex now gives its verdict on a value within a bound (a thread of its own, terminated past
// it), or its matcher is noted not judged; and the kit's own Content-Type patterns, which every pact it writes
// carries, no longer backtrack exponentially on a value that fails late (Pact's own engines backtrack too).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePacts } from 'vpptokens-contract-kit/compare';
import { canonicalPact } from 'vpptokens-contract-kit/provider';
import { JSON_ANSWER_MEDIA_TYPE_PATTERN, JSON_MEDIA_TYPE_PATTERN, JSON_REQUEST_MEDIA_TYPE_PATTERN } from 'vpptokens-contract-kit';
import { PACT_REGEX_TIME_BOUND_MS, PactRegexTimeError, pactRegexAdmits, pactRegexRunnerThreadId, pactRegexTooSlow, setPactRegexTimeBound } from '../../src/compare/pact-regex';

/**
 * A pattern that runs out of time keeps the regex thread busy to the bound: the runs that must run out of it run
 * under a bound of 0.2 s, not the users' 1 s (decision 1210). What else their pacts ask is asked first at 1 s (a
 * verdict is remembered), so nothing linear is judged under the short bound however loaded the machine.
 */
const SHORT_BOUND_MS = 200;
async function underShortBound<T>(run: () => Promise<T>): Promise<T> {
  const restore = setPactRegexTimeBound(SHORT_BOUND_MS);
  try {
    return await run();
  } finally {
    restore();
  }
}

/** Another copy of the regex module, as jest loads one for each test file (decision 0930). */
const anotherCopy = (): typeof import('../../src/compare/pact-regex') => {
  let copy: typeof import('../../src/compare/pact-regex') | undefined;
  jest.isolateModules(() => {
    copy = require('../../src/compare/pact-regex'); // eslint-disable-line @typescript-eslint/no-require-imports
  });
  return copy!;
};

const dir = mkdtempSync(join(tmpdir(), 'vppkit-regex-bound-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const NAME = 'Contoso ABM token for the west campus of the main site (2024)';

/** The canonical create with every property, its displayName NAME under `regex`. */
function pactWith(regex: string, file: string): string {
  const canonical = JSON.parse(readFileSync(canonicalPact('beta'), 'utf8')) as Json;
  const interaction = canonical.interactions.find((i: Json) => i.request.method === 'POST' && i.response.status === 201 && typeof i.request.body?.content?.displayName === 'string' && i.request.body.content.displayName);
  interaction.request.body.content.displayName = NAME;
  interaction.response.body.content.displayName = NAME;
  interaction.response.matchingRules.body['$.displayName'] = { combine: 'AND', matchers: [{ match: 'regex', regex }] };
  canonical.interactions = [interaction];
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(canonical));
  return path;
}

describe("a pact's regex is judged within a bound", () => {
  it('notes a regex that backtracks without bound as not judged, and still finds a linear one that refuses its example', async () => {
    const slow = '^([A-Za-z0-9]+\\s?)+$';
    expect(pactRegexAdmits('^[a-z]+$', 'abc')).toBe(true);
    const before = pactRegexRunnerThreadId();
    // The same kind of rule, linear: judged, and its example refused for its own reason.
    const [linear] = (await comparePacts([pactWith('^[A-Za-z0-9 ]+$', 'linear.json')], { comparator: false })).pacts;
    expect(linear.interactions[0].findings.map((f) => f.message)).toEqual([expect.stringContaining(`its own example ${JSON.stringify(NAME)} does not match "^[A-Za-z0-9 ]+$"`)]);
    expect(linear.interactions[0].notes ?? []).toEqual([]);
    const [result] = (await underShortBound(() => comparePacts([pactWith(slow, 'slow.json')], { comparator: false }))).pacts;
    const [interaction] = result.interactions;
    expect(interaction.findings).toEqual([]);
    expect(interaction.notes).toEqual([expect.stringMatching(/^response \$\.displayName: the regex "\^\(\[A-Za-z0-9\]\+\\\\s\?\)\+\$" could not be judged in time \(it did not give its verdict on a value within 0\.2 s/)]);
    // Found slow once, it is not run again: at the users' bound the same pact is noted at once, in the users' words.
    expect(PACT_REGEX_TIME_BOUND_MS).toBe(1000);
    const [again] = (await comparePacts([pactWith(slow, 'slow.json')], { comparator: false })).pacts;
    expect(again.interactions[0].notes).toEqual([expect.stringMatching(/^response \$\.displayName: the regex "\^\(\[A-Za-z0-9\]\+\\\\s\?\)\+\$" could not be judged in time \(it did not give its verdict on a value within 1 s: a pattern that backtracks without bound/)]);
    // The slow one gives a verdict where it can: a value it takes at once.
    expect(() => pactRegexAdmits('^([A-Za-z0-9]+\\s?)+$', NAME)).toThrow(new PactRegexTimeError());
    expect(new PactRegexTimeError().message).toMatch(/^it did not give its verdict on a value within 1 s: /);
    expect(pactRegexAdmits('^([A-Za-z0-9]+\\s?)+x$', 'Contoso ABM tokenx')).toBe(true);
    // The thread that ran out of time was ended and another asked (decision 0841); a copy of the module loaded after
    // it (jest loads one per test file) asks that same new thread, not a thread of its own (decision 0930).
    const after = pactRegexRunnerThreadId();
    expect([typeof before, typeof after]).toEqual(['number', 'number']);
    expect(after).not.toBe(before);
    const copy = anotherCopy();
    expect(copy.pactRegexAdmits('^[a-z]+ [a-z]+$', 'two words')).toBe(true);
    expect(copy.pactRegexAdmits('^[a-z]+$', 'two words')).toBe(false);
    expect(copy.pactRegexRunnerThreadId()).toBe(after);
  });

  it('takes only a bound from 1 ms to the users\' 1 s (decision 1210)', () => {
    for (const bad of [0, -1, 1.5, 1001, Number.NaN]) expect(() => setPactRegexTimeBound(bad)).toThrow(new RangeError(`the regex time bound must be an integer from 1 to 1000 ms (got ${String(bad)})`));
    const restore = setPactRegexTimeBound(1000);
    restore();
    expect(new PactRegexTimeError().message).toMatch(/within 1 s: /);
  });

  it('asks one thread for the whole process, however many copies of the module are loaded (decision 0930)', () => {
    expect(pactRegexAdmits('^[0-9]{3}$', '123')).toBe(true);
    const thread = pactRegexRunnerThreadId();
    expect(typeof thread).toBe('number');
    const copies = [anotherCopy(), anotherCopy()];
    expect(copies[0]).not.toBe(copies[1]);
    for (const copy of copies) {
      // Each copy gives its own verdicts, both ways, from the one thread.
      expect(copy.pactRegexAdmits('^[0-9]{3}$', '1234')).toBe(false);
      expect(copy.pactRegexAdmits('^[0-9]{4}$', '1234')).toBe(true);
      expect(copy.pactRegexRunnerThreadId()).toBe(thread);
    }
    expect(pactRegexRunnerThreadId()).toBe(thread);
  });

  it('stays interruptible: an abort that comes while regexes run out of time ends the run between interactions', async () => {
    // Two interactions of patterns no other test ran (a pattern found slow is not run again): each holds the judging
    // for the bound. The abort comes while the first is judged; the run ends at the turn after it, not at the end:
    // the second is never judged (one setImmediate resumed before the loop's timers, and judged it too: 1211).
    const y = '^([A-Za-z0-9]+\\s?)+y?$';
    const z = '^([A-Za-z0-9]+\\s?)+z?$';
    const canonical = JSON.parse(readFileSync(pactWith(y, 'interrupt.json'), 'utf8')) as Json;
    const second = structuredClone(canonical.interactions[0]);
    second.description += ' again';
    second.response.matchingRules.body['$.displayName'].matchers[0].regex = z;
    canonical.interactions.push(second);
    const file = join(dir, 'interrupt.json');
    writeFileSync(file, JSON.stringify(canonical));
    // What else the interactions ask, asked at the users' bound first (a verdict is remembered).
    await comparePacts([pactWith('^[A-Za-z0-9 ]+$', 'interrupt-linear.json')], { comparator: false });
    const abort = new AbortController();
    // Half the bound: the abort comes while the first interaction is judged (or, on a machine so loaded that reading
    // the file took longer, before it: compare's read takes the signal too). Either way the second is never judged.
    const timer = setTimeout(() => abort.abort(), SHORT_BOUND_MS / 2);
    try {
      await underShortBound(() => expect(comparePacts([file], { comparator: false, signal: abort.signal })).rejects.toMatchObject({ name: 'AbortError' }));
    } finally {
      clearTimeout(timer);
    }
    expect(pactRegexTooSlow(z)).toBe(false);
  });

  it("bounds a date matcher's pattern as well: optional pieces that split one run of digits many ways", async () => {
    const canonical = JSON.parse(readFileSync(canonicalPact('beta'), 'utf8')) as Json;
    const interaction = canonical.interactions.find((i: Json) => i.request.method === 'POST' && i.response.status === 201 && typeof i.response.body?.content?.lastSyncDateTime === 'string');
    const rule = (pattern: string) => ({ combine: 'AND', matchers: [{ match: 'timestamp', timestamp: pattern }] });
    const slow = `yyyy-MM-dd'T'HH:mm:ss'.'${'[S]'.repeat(200)}X`;
    const linear = "yyyy-MM-dd'T'HH:mm:ss'.'SSSSSSSX";
    // A DateTimeOffset Graph's schema takes, which neither pattern does (X is +02, not +02:00): the slow one finds so
    // only after trying every way its 200 optional digits share the 7 written.
    interaction.response.body.content.lastSyncDateTime = '2024-01-01T00:00:00.1111111+02:00';
    interaction.response.matchingRules.body['$.lastSyncDateTime'] = rule(slow);
    const other = structuredClone(interaction);
    other.description += ' (linear)';
    other.response.matchingRules.body['$.lastSyncDateTime'] = rule(linear);
    const file = join(dir, 'time.json');
    // The linear one at the users' bound first (what else the interaction asks is then remembered), the slow one under
    // the short bound; the same pact again at the users' bound notes it at once, in the users' words.
    canonical.interactions = [other];
    writeFileSync(join(dir, 'time-linear.json'), JSON.stringify(canonical));
    const [second] = (await comparePacts([join(dir, 'time-linear.json')], { comparator: false })).pacts[0].interactions;
    canonical.interactions = [interaction];
    writeFileSync(file, JSON.stringify(canonical));
    const [first] = (await underShortBound(() => comparePacts([file], { comparator: false }))).pacts[0].interactions;
    expect(first.notes).toContain(`response $.lastSyncDateTime: the timestamp matcher's pattern ${JSON.stringify(slow)} could not be judged in time (it did not give its verdict on a value within 0.2 s): not judged`);
    const [firstAgain] = (await comparePacts([file], { comparator: false })).pacts[0].interactions;
    expect(firstAgain.notes).toContain(`response $.lastSyncDateTime: the timestamp matcher's pattern ${JSON.stringify(slow)} could not be judged in time (it did not give its verdict on a value within 1 s): not judged`);
    const matcherFindings = (i: typeof first) => i.findings.filter((f) => f.check === 'matcher satisfiable' && f.pointer === '/lastSyncDateTime').map((f) => f.message);
    expect(matcherFindings(first)).toEqual([]);
    expect(matcherFindings(firstAgain)).toEqual([]);
    expect(matcherFindings(second)).toEqual([expect.stringContaining(`does not match the pattern ${JSON.stringify(linear)}`)]);
  });

  it.each([
    ['JSON_ANSWER_MEDIA_TYPE_PATTERN', JSON_ANSWER_MEDIA_TYPE_PATTERN],
    ['JSON_REQUEST_MEDIA_TYPE_PATTERN', JSON_REQUEST_MEDIA_TYPE_PATTERN],
    ['JSON_MEDIA_TYPE_PATTERN', JSON_MEDIA_TYPE_PATTERN],
  ])("the kit's own %s gives its verdict on a value that fails late (40 parameters, then a character no parameter takes)", (_name, pattern) => {
    for (const parameter of [';a=b', '; ', ';c=b', ';charse=b', ';charsetx=b', '; a=b ']) {
      expect(pactRegexAdmits(pattern, `application/json${parameter.repeat(40)} @`)).toBe(false);
      expect(pactRegexAdmits(pattern, `application/json${parameter.repeat(40)}`)).toBe(true);
    }
    expect(pactRegexAdmits(pattern, 'application/json;charset=utf-8')).toBe(true);
    expect(pactRegexAdmits(pattern, 'application/json;charset=utf-16')).toBe(pattern === JSON_MEDIA_TYPE_PATTERN);
  });
});
