import { loopBack } from './support/looped';
import { sTokenOf } from './support/stoken';
import { SchemaValidationError, checkCreateRequest, formatRequestProblem, readAppleSToken, sTokenProblem, assertCreateRequest, assertGraphError, assertVppToken, createRequestFactory, formatProblems, isGraphError, isVppToken, isVppTokenCreateRequest, isValid, problemsOf, validate, validateCreateRequest, vppTokenFactory, type VppTokenCreateRequest } from 'vpptokens-contract-kit';

const request = createRequestFactory.withSeed(5).buildAt(0);

describe('validate', () => {
  it('returns the typed value when valid', () => {
    const result = validateCreateRequest(request);
    expect(result.valid).toBe(true);
    if (result.valid) expect(result.value.token).toBe(request.token);
  });

  it('lists every problem with a JSON pointer, what is wrong and what is allowed', () => {
    const result = validate('request', { ...request, vppTokenAccountType: 'String', automaticallyUpdateApps: 'yes' });
    expect(result.valid).toBe(false);
    expect(formatProblems(result.problems).split('\n').sort()).toEqual([
      '/automaticallyUpdateApps: must be a boolean (got "yes")',
      '/vppTokenAccountType: must be one of business, education (got "String")',
    ]);
    expect(result.problems.map((p) => p.keyword).sort()).toEqual(['enum', 'type']);
  });

  it('says what it got when there is nothing: undefined, not "a undefined" (outside tester G23)', () => {
    expect(formatProblems(problemsOf('request', undefined))).toBe('(root): must be an object (got undefined)');
  });

  // Outside finding R58: NaN and Infinity were shown as JSON.stringify writes them, "(got null)", at places where
  // null is allowed: "/displayName: must be a string or null (got null)".
  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
  ])('says a number JSON cannot hold is %s, never null', (shown, value) => {
    // What the schema says of each; that JSON cannot hold the number is its own problem (R59, decision 0631).
    const problems = problemsOf('request', { token: request.token, displayName: value, roleScopeTagIds: [value], automaticallyUpdateApps: value }).filter((p) => p.keyword !== 'number range');
    expect(formatProblems(problems).split('\n').sort()).toEqual([
      `/automaticallyUpdateApps: must be a boolean (got ${shown})`,
      `/displayName: must be a string or null (got ${shown})`,
      `/roleScopeTagIds/0: must be a string or null (got ${shown})`,
    ]);
    expect(problems.map((p) => p.got)).toEqual([shown, shown, shown]);
  });

  it('still shows null, and finite numbers as JSON writes them', () => {
    expect(formatProblems(problemsOf('request', { token: request.token, automaticallyUpdateApps: null, displayName: -0, roleScopeTagIds: [1e21] })).split('\n').sort()).toEqual([
      '/automaticallyUpdateApps: must be a boolean (got null)',
      '/displayName: must be a string or null (got 0)',
      '/roleScopeTagIds/0: must be a string or null (got 1e+21)',
    ]);
  });

  it('never shows a token value in a problem', () => {
    const secret = 'c2VjcmV0LXRva2VuLXZhbHVl';
    // Each wrong token, and the text of it a leaky message would show.
    const cases: [token: unknown, shown: string][] = [[424242, '424242'], [[secret], secret], [{ secret }, secret], [true, 'true']];
    for (const [token, shown] of cases) {
      // A scalar elsewhere is shown, so a token that leaked would be seen (lists and objects are never shown).
      const elsewhere = formatProblems(problemsOf('request', { token: 't', vppTokenAccountType: token }));
      if (typeof token !== 'object') expect(elsewhere).toContain(shown);
      const text = formatProblems(problemsOf('request', { token }));
      expect(text).toMatch(/^\/token: /);
      expect(text).not.toContain(shown);
      expect(text).toContain('not shown');
    }
  });

  // Found by an outside tester (F24): `JSON.stringify(token)` for a body, or a token in the wrong property, showed
  // the first 57 characters of the sToken, which decode to the secret inner token.
  it('never shows an sToken, wherever it stands: the body itself, or under another property', () => {
    const sToken = Buffer.from(JSON.stringify({ token: 'SECRETINNERTOKENVALUE0123456789ABCDEFGHIJ', expDate: '2027-03-14T08:10:04-0700', orgName: 'Contoso' })).toString('base64');
    for (const record of [sToken, { token: 'education', vppTokenAccountType: sToken }, { token: sToken, expirationDateTime: sToken }]) {
      const text = formatProblems(problemsOf('request', record));
      expect(text).not.toContain(sToken.slice(0, 16));
      expect(text).toContain('not shown');
    }
    // A string that is no sToken is still shown, so that a user sees what was wrong.
    expect(formatProblems(problemsOf('request', { token: 't', vppTokenAccountType: 'school' }))).toContain('"school"');
  });

  // Found by an outside tester (H19): a property name's control characters were printed raw in its pointer.
  it('escapes the control characters of a property name in its pointer, as a value\'s are', () => {
    const [problem] = problemsOf('request', { token: 'x', 'ctl\u001b]0;t\u0007\rX\u001b[31m\n': 1 });
    expect(problem.pointer).toBe('/ctl\\u001b]0;t\\u0007\\rX\\u001b[31m\\n');
    expect(problemsOf('request', { token: 'x', vppTokenAccountType: 'a\u0007b' })[0].message).toContain('(got "a\\u0007b")');
  });

  // Found by an outside tester (H12): the record's own sToken was hidden, but its inner Apple token, put elsewhere
  // by a script that decoded it, was quoted verbatim by validate, seed and the jest matchers.
  it("never shows the inner token of the record's own sToken, in any spelling, in a value or a property name", () => {
    const inner = 'SECRETINNERTOKENVALUE0123456789ABCDEFGHIJ';
    const sToken = Buffer.from(JSON.stringify({ token: inner, expDate: '2027-01-01T00:00:00+0000', orgName: 'Contoso' })).toString('base64');
    const records = [
      { token: sToken, vppTokenAccountType: inner },
      { token: sToken, state: `token=${inner}` },
      { token: sToken, vppTokenAccountType: inner.toLowerCase() },
      { token: sToken, vppTokenAccountType: Buffer.from(inner).toString('base64') },
      { token: sToken, [inner]: 1 },
      // Hidden before the value is cut at 57 characters: no piece of it is left at the cut.
      { token: sToken, vppTokenAccountType: `${'x'.repeat(40)}${inner}` },
    ];
    for (const record of records) {
      const text = formatProblems(problemsOf('request', record));
      expect(text).toContain('[token]');
      for (const secret of [inner.slice(0, 10), inner.slice(0, 10).toLowerCase(), Buffer.from(inner).toString('base64').slice(0, 10)]) expect(text).not.toContain(secret);
    }
    expect(problemsOf('request', { token: sToken, [inner]: 1 })).toEqual([expect.objectContaining({ pointer: '/[token]', keyword: 'additionalProperties' })]);
    // Both ways: without the sToken in the record, the same text is nobody's credential and is shown.
    expect(formatProblems(problemsOf('request', { token: 'another-token', vppTokenAccountType: inner }))).toContain(`"${inner}"`);
  });

  // Found by an outside tester (G1): an sToken as a property name was shown whole in the pointer, and one inside a
  // longer string (a final newline, a leading space, `Bearer `/`token=` before it, wrapped at 76 columns, a prefix
  // of it alone) had its first 57 characters shown, which decode to the secret inner token.
  it('never shows an sToken as a property name, nor a string that holds one or the start of one', () => {
    const inner = 'SECRETINNERTOKENVALUE0123456789ABCDEFGHIJ';
    const sToken = Buffer.from(JSON.stringify({ token: inner, expDate: '2027-01-01T00:00:00+0000', orgName: 'Contoso' })).toString('base64');
    const wrapped = sToken.replace(/.{76}/g, '$&\r\n');
    const holding = [`${sToken}\n`, ` ${sToken}`, wrapped, `Bearer ${sToken}`, `token=${sToken}`, JSON.stringify({ token: sToken }), `bogus${sToken}`, sToken.slice(0, 40), JSON.stringify({ token: inner })];
    const records: unknown[] = [
      { token: 'x', [sToken]: 1 },
      { token: 'x', tokenActionResults: [{ actionName: 'a', actionState: 'none', startDateTime: '2026-01-01T00:00:00Z', lastUpdatedDateTime: '2026-01-01T00:00:00Z', [`key ${sToken}`]: { deeper: 1 } }] },
      { token: 'x', tokenActionResults: [{ actionName: 'a', actionState: `bogus${sToken}`, startDateTime: sToken, lastUpdatedDateTime: 'no' }] },
      ...holding.map((value) => ({ token: 'x', vppTokenAccountType: value })),
    ];
    for (const record of records) {
      const problems = problemsOf('request', record);
      const text = formatProblems(problems);
      expect(problems.length).toBeGreaterThan(0);
      for (const secret of [sToken.slice(0, 12), inner.slice(0, 12), sToken.slice(40, 64)]) expect(text).not.toContain(secret);
      expect(text).toContain('VPP token');
    }
    // The name is replaced where it stands, so the pointer still says where: one level down, not shown.
    expect(problemsOf('request', { token: 'x', [sToken]: 1 })).toEqual([expect.objectContaining({ pointer: `/<a name of ${sToken.length} characters that holds a VPP token, not shown>`, keyword: 'additionalProperties' })]);
    // Both ways: other base64 and other long text are still shown, so a user sees what was wrong.
    const other = Buffer.from('{"name":"Contoso","id":42,"region":"emea"}').toString('base64');
    expect(formatProblems(problemsOf('request', { token: 'x', vppTokenAccountType: other }))).toContain(other.slice(0, 40));
    expect(formatProblems(problemsOf('request', { token: 'x', [other]: 1 }))).toContain(`/${other}: is not a known property`);
  });

  it('accepts every DateTimeOffset form Graph sends and rejects the rest', () => {
    const ok = ['0001-01-01T00:00:00Z', '2026-06-30T12:00:00Z', '2026-06-30T12:00:00.1Z', '2026-06-30T12:00:00.1234567+03:00', '2026-06-30T12:00:00.123456789012-07:30'];
    const bad = ['2026-06-30T12:00:00', '2026-06-30', '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-06-30T24:00:00Z', '2026-06-30 12:00:00Z', '2026-06-30T12:00:00.Z', '2026-06-30T12:00:00+0300'];
    for (const date of ok) expect(problemsOf('request', { token: 't', expirationDateTime: date })).toEqual([]);
    for (const date of bad) expect(problemsOf('request', { token: 't', expirationDateTime: date })).toHaveLength(1);
  });

  it('tolerates unknown properties in a response but not in a request', () => {
    const token = vppTokenFactory.withSeed(5).buildAt(0);
    expect(problemsOf('response', { ...token, lastAppCount: 3 })).toEqual([]);
    expect(problemsOf('request', { ...request, lastAppCount: 3 })[0].pointer).toBe('/lastAppCount');
  });

  // Found by an outside tester (M4): an object that refers to itself made validate (and so the jest matchers) spin
  // for ever, and a cycle through an array grew memory until the process died; the walk that finds the value's
  // credentials followed the cycle. Each object is now read once. A value with a cycle is no JSON text (outside
  // finding R150, decision 1261): one problem at the root says where, in place of the schema's.
  it('returns at once on a value with a cycle: through an object, one level down, through an array, in a shared object', () => {
    const inner = 'SECRETINNERTOKENOFTHECYCLE0123456789';
    const token = sTokenOf(inner);
    const cycle = (got: string) => `(root): must be a parsed JSON value (got ${got}): a JSON text is a tree (RFC 8259 §2), JSON.stringify throws on it, so it is never sent`;
    const itself: Record<string, unknown> = { token };
    loopBack(itself, 'self', itself);
    expect(formatProblems(problemsOf('request', itself))).toBe(cycle('an object that holds itself: /self is the value itself'));

    const displayName: Record<string, unknown> = {};
    loopBack(displayName, 'parent', displayName);
    expect(formatProblems(problemsOf('request', { token, displayName }))).toBe(cycle('an object that holds itself: /displayName/parent is /displayName'));

    const roleScopeTagIds: unknown[] = ['0'];
    loopBack(roleScopeTagIds, '1', roleScopeTagIds);
    expect(formatProblems(problemsOf('request', { token, roleScopeTagIds }))).toBe(cycle('an array that holds itself: /roleScopeTagIds/1 is /roleScopeTagIds'));

    // No cycle, but 2^40 paths to one object: read once, not once per path.
    let shared: Record<string, unknown> = {};
    const bottom = loopBack(shared, 'leaf', {});
    for (let i = 0; i < 40; i += 1) shared = { left: shared, right: shared };
    expect(problemsOf('request', { token, notes: shared })).toEqual([expect.objectContaining({ pointer: '/notes' })]);
    // Once by each walk: ajv, the tree walk (1261) and the one for what JSON cannot hold.
    expect(bottom()).toBeLessThanOrEqual(3);

    // A cyclic value with a credential in it: the problem shows no value.
    const leaky: Record<string, unknown> = { token, vppTokenAccountType: inner };
    loopBack(leaky, 'self', leaky);
    const text = formatProblems(problemsOf('request', leaky));
    expect(text).toBe(cycle('an object that holds itself: /self is the value itself'));
    expect(text).not.toContain(inner.slice(0, 10));
  });

  // Decision 0335 judged a cycle where the schema leaves the value open (an unknown property of an answer) by the
  // schema alone: valid. It has no JSON text, so no service sends it (outside finding R150, decision 1261).
  it('refuses an answer with a cycle even where the schema leaves it open (an unknown property); without it, by its schema', () => {
    const answer: Record<string, unknown> = { ...vppTokenFactory.withSeed(5).buildAt(0) };
    expect(validate('response', answer).valid).toBe(true);
    loopBack(answer, 'self', answer);
    expect(validate('response', answer)).toEqual({ valid: false, problems: [expect.objectContaining({ pointer: '', got: 'an object that holds itself: /self is the value itself' })] });
    expect(isValid('response', answer)).toBe(false);
  });

  it('escapes JSON pointer segments', () => {
    expect(problemsOf('request', { token: 't', 'a/b~c': 1 })[0].pointer).toBe('/a~1b~0c');
  });
});

// Outside finding R59: a value handed to the library with a string cut mid-emoji (`'Fleet 🚀 token'.slice(0, 7)`)
// passed validate() and the matchers, where `vppkit validate` and check-client's mock refuse the JSON it is sent as.
// A value is judged as the JSON text it would be: one rule with the reader's (I-JSON, RFC 7493 §2.1-2.2).
describe('a value no JSON text can carry', () => {
  const token = request.token;
  const cut = 'Fleet 🚀 token'.slice(0, 7);
  /** What the one reader says of the same value sent as JSON (JSON.stringify escapes a lone surrogate as \\ud83d). */
  const readerSays = (body: unknown) =>
    checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: undefined, bytes: Buffer.from(JSON.stringify(body)) }).map(formatRequestProblem);

  it('refuses a lone surrogate where the schema takes any string, as the reader does, in every library check', () => {
    const body = { token, displayName: cut };
    const problems = problemsOf('request', body);
    expect(problems).toEqual([{ pointer: '/displayName', keyword: 'lone surrogate', message: expect.stringMatching(/^holds an unpaired surrogate .*I-JSON refuses it \(RFC 7493 §2\.1/) }]);
    expect(readerSays(body)).toEqual([`body /displayName: ${problems[0].message}`]);
    expect(validate('request', body).valid).toBe(false);
    expect(isValid('request', body)).toBe(false);
    expect(isVppTokenCreateRequest(body)).toBe(false);
    expect(() => assertCreateRequest(body)).toThrow(SchemaValidationError);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a low surrogate alone, first', { token, displayName: '\udc00 fleet' }, '/displayName'],
    ['a high surrogate alone, last', { token, appleId: 'admin@contoso.example\ud800' }, '/appleId'],
    ['in an array item', { token, roleScopeTagIds: ['0', 'x\ud800'] }, '/roleScopeTagIds/1'],
    ['deep in an annotation the schema leaves open', { token, '@Org.Example.note': { a: [{ b: 'x\udfff' }] } }, '/@Org.Example.note/a/0/b'],
    ['in a name', { token, '@Org.Example.note': { 'x\ud800': 1 } }, '/@Org.Example.note/x\\ud800'],
  ])('refuses %s, where the reader refuses it', (_, body, pointer) => {
    expect(problemsOf('request', body).map((p) => [p.pointer, p.keyword])).toEqual([[pointer, 'lone surrogate']]);
    expect(readerSays(body)).toEqual([expect.stringMatching(/^body \/.*: holds an unpaired surrogate/)]);
  });

  it('refuses one in an answer\'s property the schema tolerates', () => {
    const answer = { ...vppTokenFactory.withSeed(5).buildAt(0), notes: 'x\ud83d' };
    expect(problemsOf('response', answer).map((p) => [p.pointer, p.keyword])).toEqual([['/notes', 'lone surrogate']]);
    expect(isVppToken(answer)).toBe(false);
  });

  it('takes every whole character: an emoji, text of astral characters only, pairs side by side', () => {
    for (const displayName of ['Fleet 🚀 token', '🚀', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '\ud83d\ude80\ud83d\ude80']) {
      const body = { token, displayName, '@Org.Example.note': { [displayName]: [displayName] } };
      expect(problemsOf('request', body)).toEqual([]);
      expect(isValid('request', body)).toBe(true);
      expect(readerSays(body)).toEqual([]);
    }
  });

  it('refuses NaN and Infinity where the schema takes any value: JSON.stringify would send null', () => {
    for (const [value, shown] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']] as const) {
      const body = { token, '@Org.Example.count': [1, value] };
      expect(problemsOf('request', body)).toEqual([{ pointer: '/@Org.Example.count/1', keyword: 'number range', got: shown, message: expect.stringMatching(new RegExp(`^is a number JSON cannot hold.*\\(got ${shown}\\)$`)) }]);
      expect(isValid('request', body)).toBe(false);
      expect(JSON.parse(JSON.stringify(body))['@Org.Example.count'][1]).toBeNull();
    }
    // Where the schema refuses the number too, both say so: the JSON rule first, then what the place takes.
    expect(formatProblems(problemsOf('request', { token, displayName: NaN })).split('\n')).toEqual([
      expect.stringMatching(/^\/displayName: is a number JSON cannot hold.*\(got NaN\)$/),
      '/displayName: must be a string or null (got NaN)',
    ]);
  });

  it('returns at once on a value with a cycle that holds either: the cycle is said, alone (decision 1261)', () => {
    const body: Record<string, unknown> = { token, '@Org.Example.note': ['x\ud800', NaN] };
    loopBack(body, '@Org.Example.self', body);
    expect(problemsOf('request', body).map((p) => [p.pointer, p.keyword, p.got])).toEqual([['', 'type', 'an object that holds itself: /@Org.Example.self is the value itself']]);
    expect(isValid('request', body)).toBe(false);
  });

  it('takes finite numbers, the largest and smallest a double holds', () => {
    const body = { token, '@Org.Example.count': [Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 0, -0] };
    expect(problemsOf('request', body)).toEqual([]);
    expect(isValid('request', body)).toBe(true);
  });
});

// Outside findings W2 and W3: the library judged the object it was given, not the JSON JSON.stringify sends of it: a
// BigInt (JSON.stringify throws) was valid, a Date (sent as its ISO string) refused, a toJSON ignored. It judges what
// is sent (decision 1305, extending 1261's one walk), and refuses what makes JSON.stringify throw, where it stands.
describe('a value judged as the JSON JSON.stringify sends of it', () => {
  const token = request.token;
  const answer = vppTokenFactory.withSeed(5).buildAt(0);
  const sent = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
  const bigint = (pointer: string) => [{ pointer, keyword: 'type', got: 'a BigInt', message: expect.stringMatching(/^must be a JSON value \(got a BigInt\): .*JSON\.stringify throws on it, so the value holding it is never sent; send Number\(n\) or String\(n\)$/) }];

  it('refuses a BigInt where it stands, alone, in every check; a number in its place is taken', () => {
    const body = { token, '@Org.Example.count': 10n };
    expect(() => JSON.stringify(body)).toThrow(TypeError);
    expect(problemsOf('request', body)).toEqual(bigint('/@Org.Example.count'));
    expect(isValid('request', body)).toBe(false);
    expect(validate('request', body).valid).toBe(false);
    expect(problemsOf('request', { token, roleScopeTagIds: ['0', Object(1n)] })).toEqual(bigint('/roleScopeTagIds/1'));
    expect(problemsOf('request', 1n)).toEqual(bigint(''));
    expect(isValid('request', { token, '@Org.Example.count': 10 })).toBe(true);
  });

  it('refuses a toJSON that throws, naming only the kind of error', () => {
    const problems = problemsOf('request', { token, '@Org.Example.note': { toJSON: () => { throw new Error(token); } } });
    expect(problems).toEqual([expect.objectContaining({ pointer: '/@Org.Example.note', got: 'a value whose toJSON() threw an Error' })]);
    expect(formatProblems(problems)).not.toContain(token.slice(0, 12));
  });

  it.each<[string, Record<string, unknown>]>([
    ['a Date, sent as its ISO string', { ...answer, expirationDateTime: new Date(Date.parse(answer.expirationDateTime)) }],
    ['an object holding itself whose toJSON sends a string', { ...answer, '@Org.Example.note': (() => { const note: Record<string, unknown> = { toJSON: () => 'x' }; note.self = note; return note; })() }],
    ['an undefined array item, a hole and a function, sent as null', { ...answer, roleScopeTagIds: [undefined, , () => 1, '0'] }],
    ['String and Boolean objects, sent as their values', { ...answer, displayName: new String('Marks'), automaticallyUpdateApps: new Boolean(false) }],
    ['an undefined member, left out', { ...answer, notes: undefined }],
  ])('takes %s, as it takes the JSON sent', (_, value) => {
    expect(isValid('response', sent(value))).toBe(true);
    expect(problemsOf('response', value)).toEqual([]);
    expect(isValid('response', value)).toBe(true);
    // validate's value is what was judged: the JSON sent.
    expect(validate('response', value)).toEqual({ valid: true, value: sent(value), problems: [] });
  });

  it('refuses what the JSON sent breaks: a toJSON nesting 70 levels, an undefined required member, a Date where a string is not taken', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 69; i++) deep = { n: deep };
    expect(problemsOf('response', { ...answer, '@Org.Example.note': { toJSON: () => deep } })).toEqual([expect.objectContaining({ pointer: `/@Org.Example.note${'/n'.repeat(63)}`, keyword: 'nesting depth' })]);
    expect(problemsOf('request', { token: undefined, displayName: 'x' }).map((p) => [p.pointer, p.message])).toEqual([['/token', 'is required']]);
    expect(problemsOf('request', { token, displayName: { toJSON: () => 7 } }).map((p) => p.message)).toEqual(['must be a string or null (got 7)']);
    // A toJSON that makes a new object each time never ends in JSON.stringify; here it is too deep.
    const endless: Record<string, unknown> = { toJSON: () => ({ again: endless }) };
    expect(problemsOf('request', { token, '@Org.Example.note': endless }).map((p) => p.keyword)).toEqual(['nesting depth']);
  });

  // Decision 1330: sTokenProblem read the value given, so `new String(sToken)`, sent as the sToken, was "no sToken".
  it('reads the token sTokenProblem judges as the JSON sent: a String object or a toJSON is the string, a BigInt the one problem', () => {
    expect(sTokenProblem({ token: new String(token) })).toBeUndefined();
    expect(sTokenProblem({ toJSON: () => ({ token }) })).toBeUndefined();
    expect(sTokenProblem({ token: new String('not an sToken') })).toEqual(expect.objectContaining({ pointer: '/token', keyword: 'contentMediaType' }));
    expect(sTokenProblem({ token: new Number(7) })).toEqual(expect.objectContaining({ pointer: '/token', got: '7' }));
    expect(sTokenProblem({ token, n: 1n })).toEqual(expect.objectContaining({ pointer: '/n', got: 'a BigInt' }));
  });

  // Decision 1331: a getter or a Proxy trap that throws threw out of the library, its words and all.
  it('refuses a getter or a Proxy trap that throws at its place, naming only the kind of error, in every check', () => {
    const getter = { token, get displayName(): string { throw new TypeError(token); } };
    const threw = (pointer: string, kind: string) => [{ pointer, keyword: 'type', got: `a value whose getter or Proxy trap threw ${kind}`, message: expect.stringMatching(/^must be a value that can be read \(got .*\): JSON\.stringify throws on it, so the value holding it is never sent$/) }];
    expect(problemsOf('request', getter)).toEqual(threw('/displayName', 'a TypeError'));
    expect(formatProblems(problemsOf('request', getter))).not.toContain(token.slice(0, 12));
    expect(isValid('request', getter)).toBe(false);
    expect(validate('request', getter)).toEqual({ valid: false, problems: threw('/displayName', 'a TypeError') });
    expect(problemsOf('request', new Proxy({ token }, { ownKeys: () => { throw new RangeError(token); } }))).toEqual(threw('', 'a RangeError'));
    expect(problemsOf('request', { token, roleScopeTagIds: new Proxy(['0'], { get: () => { throw new Error(token); } }) })).toEqual(threw('/roleScopeTagIds', 'an Error'));
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(problemsOf('request', { token, '@Org.Example.note': [revoked.proxy] })).toEqual(threw('/@Org.Example.note/0', 'a TypeError'));
    expect(problemsOf('request', { token, '@Org.Example.note': { get toJSON(): never { throw new TypeError(token); } } })).toEqual(threw('/@Org.Example.note', 'a TypeError'));
    // A getter that reads is taken as the value it gives, as JSON.stringify sends it.
    expect(isValid('request', { token, get displayName() { return 'Marks'; } })).toBe(true);
  });

  it('judges plain JSON data as it is: validate gives back the value itself', () => {
    const body = { token, roleScopeTagIds: ['0'], '@Org.Example.note': { a: [null, true, 1.5] } };
    const result = validate('request', body);
    expect(result.valid && result.value).toBe(body);
  });
});

// Outside tester R30: a body given as bytes (express.raw(), a collected stream) or a Map was judged as an object:
// "/token: is required", or one problem a byte. One problem at the root says to parse it first.
describe('a value that is no parsed JSON', () => {
  const body = JSON.stringify(createRequestFactory.withSeed(30).buildAt(0));
  const bytes = Buffer.from(body);
  it.each([
    ['a Buffer', bytes, `a Buffer of ${bytes.length} bytes`],
    ['a Uint8Array', new Uint8Array(bytes), `a Uint8Array of ${bytes.length} bytes`],
    ['an ArrayBuffer', new Uint8Array(bytes).buffer, `an ArrayBuffer of ${bytes.length} bytes`],
    ['a Map', new Map(Object.entries(JSON.parse(body))), `a Map of ${Object.keys(JSON.parse(body)).length} entries`],
    ['a Map of one entry', new Map([['token', 'x']]), 'a Map of 1 entry'],
  ])('is one problem at the root for %s, for every kind', (_, value, got) => {
    for (const kind of ['request', 'response', 'error'] as const) {
      expect(problemsOf(kind, value)).toEqual([{ pointer: '', keyword: 'type', got, message: `must be a parsed JSON value (got ${got}): parse it first, e.g. JSON.parse(new TextDecoder().decode(bytes)), or Object.fromEntries(map)` }]);
      expect(isValid(kind, value)).toBe(false);
    }
  });
  // Outside finding R87 (decision 0802): a create as its JSON text, what a mocked fetch holds as init.body, said
  // "must be an object (got a string ... that holds a VPP token ...)", pointing at the token.
  it.each([
    ['the JSON text of a create', body, `a string of ${body.length} characters, the JSON text of an object`],
    ['it between JSON whitespace', ` \n${body}\r\n\t`, `a string of ${body.length + 5} characters, the JSON text of an object`],
    ['the JSON text of a list of creates', `[${body}]`, `a string of ${body.length + 2} characters, the JSON text of an array`],
    ['text that only looks like JSON (JSON.parse says where it is not)', '{"token": }', 'a string of 11 characters, the JSON text of an object'],
  ])('is one problem at the root for %s, never showing it: parse it first', (_, value, got) => {
    for (const kind of ['request', 'response', 'error'] as const) {
      const problems = problemsOf(kind, value);
      expect(problems).toEqual([{ pointer: '', keyword: 'type', got, message: `must be an object (got ${got}): JSON text, not the value it holds: parse it first (JSON.parse(text)), or it was encoded twice` }]);
      expect(JSON.stringify(problems)).not.toContain(JSON.parse(body).token.slice(0, 24));
      expect(isValid(kind, value)).toBe(false);
    }
  });
  it("keeps the schema's words for a string that is no JSON text of an object or array: the sToken itself, a number's text, a lone brace", () => {
    const { token } = JSON.parse(body) as { token: string };
    expect(problemsOf('request', token)).toEqual([expect.objectContaining({ pointer: '', message: `must be an object (got a string of ${token.length} characters that is a VPP token (an sToken), not shown)` })]);
    for (const text of ['42', '{', 'x{}', '{} x', '"{}"']) expect(problemsOf('request', text)).toEqual([expect.objectContaining({ pointer: '', keyword: 'type', message: expect.stringMatching(/^must be an object \(got /) })]);
  });
  it('judges the same body parsed, and a plain object made by a class, as before', () => {
    expect(problemsOf('request', JSON.parse(body))).toEqual([]);
    class Made { token = JSON.parse(body).token; }
    expect(problemsOf('request', new Made())).toEqual([]);
  });
});

// Outside attacker R107 (decision 0964): a Graph list page, what GET .../vppTokens answers and a test reads back, was
// 18 "is required" problems at its root; it is one problem naming it, as readRecords and `vppkit validate` say (0803).
describe('a Graph list page given where one value goes', () => {
  const items = [vppTokenFactory.withSeed(4).buildAt(0), vppTokenFactory.withSeed(4).buildAt(1)];
  const page = { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens', value: items };
  const got = 'a Graph list page (an OData collection: "value" holds its 2 items)';
  it('is one problem at the root for every kind, in validate, problemsOf and the assert alike', () => {
    for (const kind of ['request', 'response', 'actionResult', 'error'] as const) {
      expect(problemsOf(kind, page)).toEqual([{ pointer: '', keyword: 'type', got, message: `must be one object, not a list (got ${got}): each item of its "value" is one, judged alone` }]);
      expect(validate(kind, page).problems).toHaveLength(1);
      expect(isValid(kind, page)).toBe(false);
    }
    expect(() => assertVppToken(page)).toThrow(`(root): must be one object, not a list (got ${got})`);
    const next = problemsOf('response', { value: [], '@odata.nextLink': 'https://graph.microsoft.com/beta/x?$skiptoken=1' });
    expect(next.map((p) => p.message)).toEqual(['must be one object, not a list (got a Graph list page (an OData collection: "value" holds its 0 items)): each item of its "value" is one, judged alone; its "@odata.nextLink" says more pages follow']);
  });
  it('both ways: its items are judged as before, and an object with a property beside value is no page', () => {
    for (const item of page.value) expect(problemsOf('response', item)).toEqual([]);
    const notPage = problemsOf('response', { value: items, id: 'x' });
    expect(notPage.length).toBeGreaterThan(1);
    expect(notPage.map((p) => p.message).join('\n')).not.toContain('list page');
    expect(problemsOf('response', { value: 'x' }).map((p) => p.message).join('\n')).not.toContain('list page');
  });
});

// Outside attacker R135 (decision 1161): a JSON batch request or answer (what POST /$batch sends and answers) was
// judged as one vppToken, 18 "is required" problems; it is one problem naming it, as a list page is (0964).
describe('a JSON batch given where one value goes', () => {
  const token = vppTokenFactory.withSeed(4).buildAt(0);
  const answer = { responses: [{ id: '1', status: 201, headers: { 'Content-Type': 'application/json' }, body: token }] };
  const request = { requests: [{ id: '1', method: 'POST', url: '/deviceAppManagement/vppTokens', body: { token: 'x' } }, { id: '2', method: 'GET', url: '/deviceAppManagement/vppTokens' }] };
  it('is one problem at the root for every kind, in validate, problemsOf and the assert alike', () => {
    const gotAnswer = 'a JSON batch answer ("responses" holds its 1 answer)';
    const gotRequest = 'a JSON batch request ("requests" holds its 2 requests)';
    for (const kind of ['request', 'response', 'actionResult', 'error'] as const) {
      expect(problemsOf(kind, answer)).toEqual([{ pointer: '', keyword: 'type', got: gotAnswer, message: `must be one object, not a JSON batch (got ${gotAnswer}): each answer's "body" is one, judged alone` }]);
      expect(problemsOf(kind, request)).toEqual([{ pointer: '', keyword: 'type', got: gotRequest, message: `must be one object, not a JSON batch (got ${gotRequest}): each request's "body" is one, judged alone` }]);
      expect(validate(kind, answer).problems).toHaveLength(1);
      expect(isValid(kind, request)).toBe(false);
    }
    expect(() => assertVppToken(answer)).toThrow(`(root): must be one object, not a JSON batch (got ${gotAnswer})`);
  });
  it('both ways: its bodies are judged as before, and an object with a property beside its array is no batch', () => {
    expect(problemsOf('response', answer.responses[0].body)).toEqual([]);
    for (const notBatch of [{ responses: [], id: 'x' }, { requests: 'x' }, { requests: [], responses: [] }]) {
      expect(problemsOf('response', notBatch).map((p) => p.message).join('\n')).not.toContain('JSON batch');
    }
  });
});

describe('guards and asserts', () => {
  it('narrow the type', () => {
    const data: unknown = request;
    if (isVppTokenCreateRequest(data)) {
      const typed: VppTokenCreateRequest = data;
      expect(typed.token).toBeDefined();
    } else {
      throw new Error('expected a valid request');
    }
    expect(isVppToken(request)).toBe(false);
    expect(isGraphError({ error: { code: 'BadRequest', message: 'x' } })).toBe(true);
  });

  it('throw a typed error carrying every problem', () => {
    expect(() => assertCreateRequest(request)).not.toThrow();
    expect(() => assertVppToken(vppTokenFactory.buildAt(0))).not.toThrow();
    expect(() => assertGraphError({ error: { code: 'x', message: 'y' } })).not.toThrow();
    try {
      assertCreateRequest({ state: 'String', extra: 1 });
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(SchemaValidationError);
      const e = error as SchemaValidationError;
      expect(e.kind).toBe('request');
      expect(e.problems.map((p) => p.pointer).sort()).toEqual(['/extra', '/state', '/token']);
      expect(e.message).toContain('/state: must be one of unknown, valid');
    }
  });
});

// Found by an outside tester: RFC 3339 takes what Graph's DateTimeOffset (.NET's) cannot hold.
describe('a DateTimeOffset within .NET DateTimeOffset limits', () => {
  const at = (expirationDateTime: string) => problemsOf('request', { token: 'abc', expirationDateTime }).map((p) => p.pointer);
  it.each([
    '2026-06-30T12:00:00+14:00',
    '2026-06-30T12:00:00-14:00',
    '2026-06-30T12:00:00.1234567-05:30',
    '0001-01-01T00:00:00Z',
    '0001-01-01T12:00:00+12:00',
    '9999-12-31T23:59:59.9999999Z',
    '9999-12-31T10:00:00-12:00',
  ])('takes %s', (value) => {
    expect(at(value)).toEqual([]);
  });
  it.each([
    ['2026-06-30T12:00:00+14:01', 'an offset past +14:00'],
    ['2026-06-30T12:00:00-14:30', 'an offset past -14:00'],
    ['2026-06-30T12:00:00+23:59', 'an offset RFC 3339 takes and .NET does not'],
    ['0000-06-30T12:00:00Z', 'the year 0000'],
    ['0001-01-01T00:00:00+01:00', 'an instant before year 1 once the offset is applied'],
    ['9999-12-31T23:00:00-01:00', 'an instant after year 9999 once the offset is applied'],
  ])('refuses %s (%s), saying the limits', (value) => {
    expect(problemsOf('request', { token: 'abc', expirationDateTime: value })).toEqual([
      expect.objectContaining({ pointer: '/expirationDateTime', message: expect.stringContaining('at most ±14:00, years 0001 to 9999') }),
    ]);
  });
});

describe('a problem\'s value and list as fields', () => {
  it('gives the value shown and the names allowed as fields, and the message without them from the fields', async () => {
    const { problemMessage } = await import('vpptokens-contract-kit');
    const problems = problemsOf('request', { token: 7, vppTokenAccountType: 'a) (b', colour: 'red' });
    const byPointer = (pointer: string) => problems.find((p) => p.pointer === pointer)!;
    expect(byPointer('/token')).toEqual({ pointer: '/token', keyword: 'type', message: 'must be a string (got a number, not shown)', got: 'a number, not shown' });
    expect(byPointer('/vppTokenAccountType')).toEqual({ pointer: '/vppTokenAccountType', keyword: 'enum', message: 'must be one of business, education (got "a) (b")', got: '"a) (b"' });
    const unknown = byPointer('/colour');
    expect(unknown).toEqual({ pointer: '/colour', keyword: 'additionalProperties', message: `is not a known property (allowed: ${unknown.allowed!.join(', ')})`, allowed: expect.arrayContaining(['token', 'vppTokenAccountType']) });
    expect(problemMessage(byPointer('/vppTokenAccountType'), { got: false })).toBe('must be one of business, education');
    expect(problemMessage(unknown, { allowed: 'as above' })).toBe('is not a known property (allowed: as above)');
    expect(problemMessage(unknown, { allowed: 'left out' })).toBe('is not a known property');
    // A problem without the fields (made by hand) is its message, whatever it reads like.
    expect(problemMessage({ message: 'is odd (got 1)' }, { got: false })).toBe('is odd (got 1)');
  });
});

describe('@odata.type by the alias Graph\'s $metadata declares (outside tester H30)', () => {
  it.each([['#graph.vppToken'], ['graph.vppToken'], ['#microsoft.graph.vppToken'], ['microsoft.graph.vppToken']])('takes %s in a create and a 201, as Graph\'s OData reader does', (type) => {
    expect(problemsOf('request', { token: 'abc', '@odata.type': type })).toEqual([]);
    expect(problemsOf('request', { token: 'abc', '@odata.type': type }, 'v1.0')).toEqual([]);
    expect(problemsOf('response', { ...vppTokenFactory.withSeed(2).buildAt(0), '@odata.type': type }).filter((p) => p.pointer === '/@odata.type')).toEqual([]);
  });

  it.each([['#graph.vppTokenActionResult'], ['#graph.vppToken2'], ['#microsoft.vppToken'], ['#graph.vppTokenRevokeLicensesActionResult']])('refuses %s for a vppToken', (type) => {
    expect(problemsOf('request', { token: 'abc', '@odata.type': type }).map((p) => p.pointer)).toEqual(['/@odata.type']);
  });

  it("takes a derived action result's properties under its alias name, and not the base type's under its alias", () => {
    const derived = { '@odata.type': '#graph.vppTokenRevokeLicensesActionResult', actionName: 'revoke', actionState: 'done', totalLicensesCount: 3, failedLicensesCount: 0 };
    const token = { ...vppTokenFactory.withSeed(2).buildAt(0), tokenActionResults: [derived] };
    expect(problemsOf('response', token)).toEqual([]);
    const base = { ...derived, '@odata.type': '#graph.vppTokenActionResult' };
    expect(problemsOf('response', { ...token, tokenActionResults: [base] }).map((p) => p.pointer)).toEqual(expect.arrayContaining(['/tokenActionResults/0/totalLicensesCount']));
  });
});

describe('readAppleSToken', () => {
  const sToken = (document: unknown) => Buffer.from(JSON.stringify(document)).toString('base64');

  it('reads an sToken, in either base64 alphabet, and says undefined for anything else, a value of any type included', () => {
    const token = sToken({ token: 'inner-token-0270', expDate: '2041-01-01T00:00:00+0000', orgName: 'Contoso' });
    expect(readAppleSToken(token)).toEqual({ token: 'inner-token-0270', expDate: '2041-01-01T00:00:00+0000', orgName: 'Contoso' });
    expect(readAppleSToken(token.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))?.orgName).toBe('Contoso');
    for (const other of ['secret-bearer-do-not-print', '', sToken(['token']), sToken({ token: 'x', expDate: 1, orgName: 'y' }), Buffer.from(' {"token":').toString('base64')]) {
      expect(readAppleSToken(other)).toBeUndefined();
    }
    // A request the schema refuses still reaches the readers (a token of 42, null or none): no sToken, no throw.
    for (const value of [42, null, undefined, {}]) expect(readAppleSToken(value as unknown as string)).toBeUndefined();
  });

  // Outside tester M1 (decision 0330): Node's decoder stops at the first `=` and skips what is not of its alphabet, so
  // each of these read as the sToken it starts with; none is base64 (RFC 4648 §3.3, §4), and Intune decodes base64.
  it('says undefined for a token that is no base64 text: bytes after its padding, padding past its quantum, a character outside the alphabet, a lone last character, two alphabets', () => {
    const padded = sToken({ token: 'M1~~~~~~~~', expDate: '2041-01-01T00:00:00+0000', orgName: 'Contoso' });
    const whole = sToken({ token: 'M1~~~~~~~', expDate: '2041-01-01T00:00:00+0000', orgName: 'Contoso' });
    expect([padded.endsWith('fQ=='), /=/.test(whole), padded.split('+').length - 1]).toEqual([true, false, 2]);
    // The same bytes however the kit takes an sToken written (decision 0205): padded, unpadded, base64url.
    for (const good of [padded, padded.slice(0, -2), padded.replace(/\+/g, '-'), padded.replace(/\+/g, '-').slice(0, -2), whole]) {
      expect(readAppleSToken(good)?.token).toBe(good === whole ? 'M1~~~~~~~' : 'M1~~~~~~~~');
      expect(sTokenProblem({ token: good })).toBeUndefined();
    }
    const cut = padded.length - 20;
    for (const bad of [`${padded}x`, `${padded}==`, `${padded}AAAA`, padded.slice(0, -1), `${whole}A`, `${whole}=`, `${padded.slice(0, cut)}!${padded.slice(cut)}`, `${padded.slice(0, cut)}=${padded.slice(cut)}`, `${padded.slice(0, cut)} ${padded.slice(cut)}`, `${padded}\n`, ` ${padded}`, padded.replace('+', '-')]) {
      expect([bad, readAppleSToken(bad)]).toEqual([bad, undefined]);
      expect(sTokenProblem({ token: bad })?.pointer).toBe('/token');
    }
  });
});
