// What conform sends: drawn from the schemas, valid where it must be, one fault where it must not be.
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { checkCreateRequest, loadSchemas, readAppleSToken, schemaFor, vppTokenTraits } from 'vpptokens-contract-kit';
import { DEFAULT_BODY_LIMIT } from '../../src/provider';
import { appleSToken, dateTimeOffset } from '../../src/conform/arbitraries';
import { drawFamily, families, BEARER_MARK, type ConformCase } from '../../src/conform/cases';
import { bodyBytesOf } from '../../src/conform/case';

const all = families({ runs: 100, perFamily: 1, seed: 5, bodyLimit: DEFAULT_BODY_LIMIT });
const draw = (kind: string, n: number): ConformCase[] =>
  all.filter((f) => f.kind === kind).flatMap((f) => fc.sample(f.arbitrary, { seed: 9, numRuns: n }));
const observed = (c: ConformCase) => ({
  method: 'POST',
  path: '/deviceAppManagement/vppTokens',
  headers: Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k.toLowerCase(), v.replace(BEARER_MARK, 'generated')])),
  body: c.body,
});

describe('the requests conform draws', () => {
  it('carry Apple sTokens by default (Intune refuses other tokens); schema-only tokens on demand', () => {
    const tokens = draw('valid', 3).map((c) => (c.request as { token: string }).token);
    for (const token of tokens) {
      const sToken = readAppleSToken(token);
      expect(sToken?.expDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[78]00$/);
      expect(Object.keys(JSON.parse(Buffer.from(token, 'base64').toString('utf8')))).toEqual(['token', 'expDate', 'orgName']);
      expect(Buffer.from(token, 'base64').toString('base64')).toBe(token);
    }
    const schemaOnly = families({ runs: 100, perFamily: 1, seed: 5, bodyLimit: DEFAULT_BODY_LIMIT, schemaTokens: true }).find((f) => f.name === 'valid')!;
    const drawn = fc.sample(schemaOnly.arbitrary, { seed: 9, numRuns: 50 }).map((c) => (c.request as { token: string }).token);
    expect(drawn.filter((t) => readAppleSToken(t) === undefined).length).toBeGreaterThan(40);
  });

  // Outside tester I17: valid creates set `id` (down to `"id":""`), which a correct service may refuse as read-only.
  it('leave out what the schema marks readOnly (the server\'s id and time) in every valid family; faults may still put a wrong type there', () => {
    const valid = draw('valid', 20);
    expect(valid.length).toBeGreaterThan(500);
    for (const c of valid) {
      expect(c.request).not.toHaveProperty('id');
      expect(c.request).not.toHaveProperty('lastModifiedDateTime');
    }
    expect(all.filter((f) => f.kind === 'valid').map((f) => f.name).filter((n) => /\/(id|lastModifiedDateTime)\b/.test(n))).toEqual([]);
    expect(all.filter((f) => f.kind === 'invalid').map((f) => f.name)).toEqual(expect.arrayContaining(['wrong type /id: a number', 'near miss of the pattern /lastModifiedDateTime']));
  });

  it('draws the same sTokens for the same seed, and shrinks only the organisation name', () => {
    expect(fc.sample(appleSToken, { seed: 3, numRuns: 5 })).toEqual(fc.sample(appleSToken, { seed: 3, numRuns: 5 }));
    const details = fc.check(fc.property(appleSToken, (t) => readAppleSToken(t)!.orgName.length < 3), { seed: 1 });
    expect(details.failed).toBe(true);
    expect(readAppleSToken((details.counterexample as [string])[0])!.orgName).toHaveLength(3);
  });

  it('valid ones are valid by the one request judgement, in every family', () => {
    const valid = draw('valid', 5);
    expect(valid.length).toBeGreaterThan(250);
    for (const c of valid) expect([c.family, checkCreateRequest(observed(c))]).toEqual([c.family, []]);
  });

  it('invalid ones break the request judgement, each family its own fault', () => {
    for (const c of draw('invalid', 5)) expect([c.family, checkCreateRequest(observed(c)).length > 0]).toEqual([c.family, true]);
  });

  it('have a family for every enum member, every nullable property, every trait and every keyword fault', () => {
    const names = all.map((f) => f.name);
    const actionState = (loadSchemas().get('action-state.schema.json')!.enum as string[]).map((m) => `enum /tokenActionResults/0/actionState=${m}`);
    const state = (loadSchemas().get('vpp-token-state.schema.json')!.enum as string[]).map((m) => `enum /state=${m}`);
    const traits = Object.keys(vppTokenTraits).map((t) => `trait ${t}`);
    expect(names).toEqual(expect.arrayContaining([...actionState, ...state, ...traits, 'null /displayName', 'null /appleId']));
    expect(names).toEqual(
      expect.arrayContaining([
        'missing required /token',
        'too short /token: empty',
        'wrong type /token: null',
        'not a member /@odata.type',
        'enum /@odata.type=microsoft.graph.vppToken',
        'unknown property /unknownProperty',
        'unknown property /tokenActionResults/0/unknownProperty',
        'near miss of the pattern /expirationDateTime',
        'not a member /vppTokenAccountType',
        'over the maximum /tokenActionResults/0/failedLicensesCount',
        'malformed JSON',
        'no Content-Type',
        'no Authorization',
        `body over ${DEFAULT_BODY_LIMIT} bytes`,
        'nesting 10000 deep',
      ]),
    );
  });

  it('reach the edges: non-ASCII and long text, empty and long lists, base and derived action results', () => {
    const requests = fc.sample(all[0].arbitrary, { seed: 3, numRuns: 400 }).map((c) => c.request as Record<string, unknown>);
    const names = requests.map((r) => r.displayName).filter((n): n is string => typeof n === 'string');
    expect(names.some((n) => /[^\x00-\x7f]/.test(n))).toBe(true);
    expect(names.some((n) => n.length > 64)).toBe(true);
    expect(requests.some((r) => Array.isArray(r.roleScopeTagIds) && r.roleScopeTagIds.length === 0)).toBe(true);
    expect(requests.some((r) => Array.isArray(r.roleScopeTagIds) && r.roleScopeTagIds.length > 1)).toBe(true);
    const types = new Set(requests.flatMap((r) => ((r.tokenActionResults as Record<string, unknown>[] | undefined) ?? []).map((a) => a['@odata.type'])));
    // Each spelling of both types: with and without '#', and by the namespace's alias (graph.).
    const spellings = (type: string) => [`#microsoft.graph.${type}`, `microsoft.graph.${type}`, `#graph.${type}`, `graph.${type}`];
    expect(types).toEqual(new Set([undefined, ...spellings('vppTokenActionResult'), ...spellings('vppTokenRevokeLicensesActionResult')]));
  });

  it('draw dates from 0001-01-01T00:00:00Z on, 0 to 7 fraction digits, offsets from -12:00 to +14:00', () => {
    const pattern = new RegExp(loadSchemas().get('date-time-offset.schema.json')!.pattern as string);
    const dates = fc.sample(dateTimeOffset, { seed: 1, numRuns: 3000 });
    for (const d of dates) expect(d).toMatch(pattern);
    expect(dates).toContain('0001-01-01T00:00:00Z');
    const digits = new Set(dates.map((d) => /\.(\d+)/.exec(d)?.[1].length ?? 0));
    expect([...digits].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const offsets = dates.map((d) => /([+-])(\d\d):(\d\d)$/.exec(d)).filter((m) => m !== null).map((m) => (m![1] === '-' ? -1 : 1) * (Number(m![2]) * 60 + Number(m![3])));
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(-12 * 60);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(14 * 60);
    expect(dates.some((d) => d.endsWith('Z'))).toBe(true);
  });

  it('are drawn exactly as fast-check replays them, so that any run of a family can be shrunk', async () => {
    const drawn = drawFamily(all[0], 77, 200);
    for (const index of [0, 9, 57, 199]) {
      let replayed: string | undefined;
      await fc.check(fc.asyncProperty(all[0].arbitrary, async (c) => {
        replayed ??= c.body;
        return true;
      }), { seed: 77, path: String(index), numRuns: 1 });
      expect([index, replayed]).toEqual([index, drawn[index].body]);
    }
  });

  it('print very large bodies as shell expressions that rebuild them byte for byte', () => {
    for (const c of all.filter((f) => f.count === 1 && f.kind === 'transport').flatMap((f) => fc.sample(f.arbitrary, 1))) {
      if (c.curlBody === undefined) continue;
      // `@<(... | gzip)` is a file curl reads: its bytes are gzip's own, so the decoded bodies are compared.
      const file = c.curlBody.startsWith('@');
      const rebuilt = file
        ? gunzipSync(execFileSync('bash', ['-c', `cat ${c.curlBody.slice(1)}`], { maxBuffer: 8 * 1024 * 1024 }))
        : execFileSync('bash', ['-c', `printf %s ${c.curlBody}`], { maxBuffer: 8 * 1024 * 1024 });
      const sent = file ? gunzipSync(bodyBytesOf(c)!) : bodyBytesOf(c)!;
      expect(rebuilt.length).toBe(sent.length);
      expect(rebuilt.equals(sent)).toBe(true);
    }
  });
});

// Outside tester G24: no valid body conform sent was over about 4 KB. Decision 0171.
describe('the valid creates conform sends near the body limit', () => {
  const sized = (options: Partial<Parameters<typeof families>[0]>, drawSeed = 1) =>
    families({ runs: 10, perFamily: 1, seed: 5, bodyLimit: DEFAULT_BODY_LIMIT, ...options })
      .filter((f) => f.name.startsWith('a valid create of'))
      .map((f) => drawFamily(f, drawSeed, 1)[0]);

  it("by default: one byte over Express's 100 KB and the 1 MiB default, and 4,000,000 bytes, which either reading of Graph's 4 MB takes", () => {
    const cases = sized({ graphsLimit: true });
    expect(cases.map((c) => [c.family, bodyBytesOf(c)!.length, c.size!.why])).toEqual([
      ['a valid create of 102401 bytes', 102401, "one byte over Express's default limit of 100 KB"],
      ['a valid create of 1048577 bytes', 1048577, 'one byte over the 1 MiB default limit of nginx, Fastify and Koa'],
      ['a valid create of 4000000 bytes', 4000000, 'which either reading of 4 MB takes'],
    ]);
    for (const c of cases) {
      expect([c.kind, checkCreateRequest(observed(c))]).toEqual(['valid', []]);
      expect(readAppleSToken((c.request as { token: string }).token)).toBeDefined();
    }
    // Each its own Apple sToken; fixed by the run's seed, whatever fast-check draws (nothing to shrink).
    expect(new Set(cases.map((c) => (c.request as { token: string }).token)).size).toBe(3);
    expect(sized({ graphsLimit: true }, 99).map((c) => c.body)).toEqual(cases.map((c) => c.body));
    expect(sized({ graphsLimit: true, seed: 6 }).map((c) => c.body)).not.toEqual(cases.map((c) => c.body));
  });

  it('with a limit given: exactly it, and the defaults below it only', () => {
    expect(sized({ bodyLimit: 2048 }).map((c) => bodyBytesOf(c)!.length)).toEqual([2048]);
    expect(sized({ bodyLimit: 200 * 1024 }).map((c) => bodyBytesOf(c)!.length)).toEqual([102401, 204800]);
    // A limit given as 4 MiB is held exactly: only Graph's own, not named, is read both ways.
    expect(sized({ bodyLimit: 4 * 1024 * 1024 }).map((c) => bodyBytesOf(c)!.length)).toEqual([102401, 1048577, 4194304]);
    const [given] = sized({ bodyLimit: 2048 });
    expect(checkCreateRequest(observed(given))).toEqual([]);
  });

  it('print their bodies as shell expressions that rebuild them byte for byte', () => {
    for (const c of sized({ bodyLimit: 200 * 1024 })) {
      const rebuilt = execFileSync('bash', ['-c', `printf %s ${c.curlBody}`], { maxBuffer: 8 * 1024 * 1024 });
      expect(rebuilt.equals(bodyBytesOf(c)!)).toBe(true);
    }
  });
});

describe('the requests conform draws for Graph v1.0', () => {
  const v1 = families({ runs: 100, perFamily: 1, seed: 5, bodyLimit: DEFAULT_BODY_LIMIT, profile: 'v1.0' });
  const drawV1 = (kind: string, n: number): ConformCase[] => v1.filter((f) => f.kind === kind).flatMap((f) => fc.sample(f.arbitrary, { seed: 9, numRuns: n }));
  const betaOnly = Object.keys(schemaFor('request').properties as object).filter((name) => !(name in (schemaFor('request', 'v1.0').properties as object)));

  it('valid ones are valid by the v1.0 request judgement, and carry no beta-only property', () => {
    const valid = drawV1('valid', 5);
    expect(valid.length).toBeGreaterThan(100);
    for (const c of valid) expect([c.family, checkCreateRequest(observed(c), 'v1.0')]).toEqual([c.family, []]);
    for (const c of valid) expect(Object.keys(c.request as object).filter((k) => betaOnly.includes(k))).toEqual([]);
  });

  it('invalid ones break the v1.0 request judgement; each beta-only property is a family of its own', () => {
    for (const c of drawV1('invalid', 5)) expect([c.family, checkCreateRequest(observed(c), 'v1.0').length > 0]).toEqual([c.family, true]);
    const names = v1.map((f) => f.name);
    expect(betaOnly.length).toBeGreaterThan(0);
    expect(names.filter((n) => n.startsWith('beta-only property '))).toEqual(betaOnly.map((p) => `beta-only property /${p}`));
    expect(all.some((f) => f.name.startsWith('beta-only property '))).toBe(false);
  });

  it('use only the traits and enum members v1.0 has', () => {
    const names = v1.map((f) => f.name);
    const traits = Object.keys(vppTokenTraits).filter((t) => t !== 'withActionResults').map((t) => `trait ${t}`);
    expect(names).toEqual(expect.arrayContaining(traits));
    expect(names).not.toContain('trait withActionResults');
    expect(names).not.toContain('enum /state=duplicateLocationId');
    expect(names.some((n) => n.includes('/tokenActionResults/'))).toBe(false);
  });
});

// Found by an outside tester (F2): a finding printed the answer that echoed the bearer base64-encoded.
describe('a finding\'s answer', () => {
  it('is shown with the bearer and --header values hidden in any spelling, then cut', () => {
    const { shortBody } = jest.requireActual<typeof import('../../src/conform/report')>('../../src/conform/report');
    const body = `{"error":{"message":"auth=${Buffer.from('Bearer SEKRETBEARER123').toString('base64')}; key=${encodeURIComponent('gw/key+4242=')}"}}`;
    const shown = shortBody(body, { bearer: 'SEKRETBEARER123', values: ['gw/key+4242='] })!;
    expect(shown).not.toContain('FS1JFVEJFQVJFUjEy');
    expect(shown).not.toContain('4242');
    expect(shown).toContain('[bearer]');
    expect(shortBody('{"error":{"message":"no"}}', { bearer: 'SEKRETBEARER123' })).toBe('{"error":{"message":"no"}}');
    expect(shortBody(`${'x'.repeat(400)}`)).toHaveLength(301);
  });
});
