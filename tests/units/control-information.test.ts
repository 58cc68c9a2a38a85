// Decision 1220 (outside attacker R140, R142): OData's control information is read under both spellings, OData 4.0's
// `@odata.nextLink` and 4.01's `@nextLink` (one reading: seed, the proxy, verify, conform, validate), and an answer held
// to Graph's contract must write Graph's, unless its request asked `OData-MaxVersion: 4.01`.
import { createRequestFactory, createdVppToken, validate } from 'vpptokens-contract-kit';
import { createdVppTokenOf, judgeCreatedAnswer, judgeReadAnswer, readVppTokenPage, whyListIsShort, pageTally, type ObservedAnswer } from '../../src/judgement';
import { controlInformation, tokenFingerprint } from '../../src/validation';

const json = 'application/json;odata.metadata=minimal;charset=utf-8';
const sent = createRequestFactory.withSeed(1220).withTraits('full').buildAt(0);
const ID = '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60';
const created = createdVppToken(sent, { id: ID, now: new Date('2026-01-01T00:00:00Z') }) as unknown as Record<string, unknown>;
const target = 'https://graph.microsoft.com/beta/deviceAppManagement/vppTokens';
const answer = (status: number, body: unknown, extra: string[] = []): ObservedAnswer => ({ status, headers: {}, rawHeaders: ['Content-Type', json, ...extra], body: undefined, bytes: Buffer.from(JSON.stringify(body)) });
/** The body with its control information in OData 4.01's spelling, `@odata.context` as `@context`. */
const unprefixed = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).map(([k, v]) => [k.startsWith('@odata.') ? `@${k.slice(7)}` : k, v]));
const shown = (problems: { check: string; where: string; message: string }[]) => problems.map((p) => `${p.check} ${p.where}: ${p.message}`);

describe('controlInformation', () => {
  it('reads @odata.<name> and OData 4.01\'s @<name> alike, one value under both as one, two different values as a conflict', () => {
    expect(controlInformation({ '@odata.nextLink': 'a' }, 'nextLink')).toEqual({ name: '@odata.nextLink', value: 'a' });
    expect(controlInformation({ '@nextLink': 'a' }, 'nextLink')).toEqual({ name: '@nextLink', value: 'a' });
    expect(controlInformation({ '@nextLink': 'a', '@odata.nextLink': 'a' }, 'nextLink')).toEqual({ name: '@odata.nextLink', value: 'a' });
    expect(controlInformation({ '@nextLink': 'a', '@odata.nextLink': 'b' }, 'nextLink')).toEqual({ conflict: expect.stringMatching(/^gives both @odata.nextLink and @nextLink, with different values/) });
    // An annotation of another namespace, or a property's, is none of them.
    expect(controlInformation({ '@Org.Example.nextLink': 'a', 'value@nextLink': 'b' }, 'nextLink')).toBeUndefined();
  });
});

describe('a list page in OData 4.01\'s spelling (R140)', () => {
  const token = createRequestFactory.withSeed(1221).buildAt(0).token;
  const page = (body: unknown) => readVppTokenPage(answer(200, body), []);
  it('is read for its @nextLink and its @count as for @odata.nextLink and @odata.count', () => {
    const next = 'http://127.0.0.1:1/beta/deviceAppManagement/vppTokens?$skiptoken=2';
    const read = page({ '@context': 'http://127.0.0.1:1/beta/$metadata#deviceAppManagement/vppTokens', '@count': 2, value: [{ id: ID, token }], '@nextLink': next });
    expect(read).toMatchObject({ listed: [{ id: ID, token: tokenFingerprint(token) }], nextLink: next, count: 2 });
    // The count says 2, one was listed, no page follows: not read whole (decision 1101's rule, under either spelling).
    const last = page({ '@count': 2, value: [{ id: ID, token }] });
    expect(whyListIsShort([pageTally(last as Parameters<typeof pageTally>[0])])).toMatch(/^says @odata.count 2, but its pages listed 1 vppToken/);
    // The neighbour that must still pass: the 4.0 spelling, read as before.
    expect(page({ '@odata.count': 1, value: [{ id: ID, token }] })).toMatchObject({ count: 1 });
    expect(page({ value: [{ id: ID, token }] })).not.toHaveProperty('nextLink');
  });

  it('is no page when it gives a link or a count under both spellings with different values: which one a client reads cannot be told', () => {
    expect(page({ value: [], '@odata.nextLink': 'http://a/1', '@nextLink': 'http://a/2' })).toEqual({ failure: expect.stringMatching(/^with a list that gives both @odata.nextLink and @nextLink, with different values/) });
    expect(page({ value: [], '@odata.count': 1, '@count': 3 })).toEqual({ failure: expect.stringMatching(/@odata.count and @count/) });
    expect(page({ value: [], '@odata.count': 1, '@count': 1 })).toMatchObject({ count: 1 });
  });
});

describe('a 201 in OData 4.01\'s spelling (R142)', () => {
  const withControl = { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens/$entity', '@odata.type': '#microsoft.graph.vppToken', ...created };
  it('passes in Graph\'s spelling (the neighbour)', () => {
    expect(judgeCreatedAnswer(sent, answer(201, withControl), undefined, { target })).toEqual([]);
  });

  it('is refused in 4.01\'s spelling when the request asked no OData-MaxVersion: 4.01, and taken when it did', () => {
    const body = unprefixed(withControl);
    expect(shown(judgeCreatedAnswer(sent, answer(201, body, ['OData-Version', '4.01']), undefined, { target }))).toEqual([
      expect.stringMatching(/^response schema body \/@context: is OData 4.01's spelling of @odata.context: Graph answers OData 4.0/),
      expect.stringMatching(/^response schema body \/@type: is OData 4.01's spelling of @odata.type/),
    ]);
    expect(judgeCreatedAnswer(sent, answer(201, body, ['OData-Version', '4.01']), undefined, { target, odataMaxVersion: ['4.01'] })).toEqual([]);
  });

  it('is refused in 4.01\'s spelling when the answer itself says OData-Version: 4.0, asked 4.01 or not (Y3): a 4.0 payload keeps the prefix', () => {
    const body = unprefixed(withControl);
    for (const version of ['4.0', '4.00', ' 4.0 ']) {
      expect(shown(judgeCreatedAnswer(sent, answer(201, body, ['OData-Version', version]), undefined, { target, odataMaxVersion: ['4.01'] }))).toEqual([
        expect.stringMatching(new RegExp(`^response schema body /@context: is OData 4.01's spelling of @odata.context: the answer says OData-Version: ${version.trim()}, whose control information MUST carry the odata. prefix`)),
        expect.stringMatching(new RegExp(`^response schema body /@type: is OData 4.01's spelling of @odata.type: the answer says OData-Version: ${version.trim()},`)),
      ]);
    }
    // The neighbours that must still pass asked 4.01: a 4.01 answer, an answer without the header (OData JSON 4.01 §4.5:
    // only a payload whose OData-Version is 4.0 must carry the prefix), and a 4.0 answer in 4.0's spelling.
    expect(judgeCreatedAnswer(sent, answer(201, body, ['OData-Version', '4.01']), undefined, { target, odataMaxVersion: ['4.01'] })).toEqual([]);
    expect(judgeCreatedAnswer(sent, answer(201, body), undefined, { target, odataMaxVersion: ['4.01'] })).toEqual([]);
    expect(judgeCreatedAnswer(sent, answer(201, withControl, ['OData-Version', '4.0']), undefined, { target, odataMaxVersion: ['4.01'] })).toEqual([]);
    // A version the kit cannot read is not 4.01: the spelling is refused with what was said.
    expect(shown(judgeCreatedAnswer(sent, answer(201, body, ['OData-Version', 'four']), undefined, { target, odataMaxVersion: ['4.01'] }))[0]).toMatch(/^response schema body \/@context: is OData 4.01's spelling of @odata.context: the answer says OData-Version: four, not 4.01 or later/);
  });

  it('is judged for what its @context and @type say, as a 4.01 client reads them: another service\'s context, another entity\'s type', () => {
    const body = { ...unprefixed(withControl), '@context': 'https://evil.example/beta/$metadata#deviceManagement/somethingElse/$entity', '@type': '#microsoft.graph.mobileApp' };
    const problems = shown(judgeCreatedAnswer(sent, answer(201, body, ['OData-Version', '4.01']), undefined, { target, odataMaxVersion: ['4.01'] }));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^response schema body \/@type: must be one of .*#microsoft.graph.vppToken/), expect.stringMatching(/^resource identity body \/@context: /)]),
    );
    expect(problems).toHaveLength(2);
  });

  it('is refused when it gives a control information under both spellings with different values, asked 4.01 or not', () => {
    const body = { ...withControl, '@type': '#microsoft.graph.mobileApp' };
    expect(shown(judgeCreatedAnswer(sent, answer(201, body), undefined, { target, odataMaxVersion: ['4.01'] }))).toEqual([expect.stringMatching(/^response schema body \/@type: gives both @odata.type and @type, with different values/)]);
  });

  // Decision 1336: a tokenActionResults item's 4.01 @type is read as its type where the answer may omit the prefix.
  it('reads a tokenActionResults item\'s @type where 4.01 was asked and answered, and refuses it otherwise as the top level\'s', () => {
    const item = { actionName: 'revoke', actionState: 'done', startDateTime: '2026-01-01T00:00:00Z', lastUpdatedDateTime: '2026-01-01T00:00:00Z', actionFailureReason: 'none', failedLicensesCount: 0, totalLicensesCount: 1 };
    const body = (type: Record<string, unknown>) => ({ ...unprefixed(withControl), tokenActionResults: [{ ...type, ...item }] });
    const derived = body({ '@type': '#microsoft.graph.vppTokenRevokeLicensesActionResult' });
    expect(judgeCreatedAnswer(sent, answer(201, derived, ['OData-Version', '4.01']), undefined, { target, odataMaxVersion: ['4.01'] })).toEqual([]);
    expect(judgeCreatedAnswer(sent, answer(201, body({ '@type': '#microsoft.graph.vppTokenRevokeLicensesActionResult', '@odata.type': '#microsoft.graph.vppTokenRevokeLicensesActionResult' }), ['OData-Version', '4.01']), undefined, { target, odataMaxVersion: ['4.01'] })).toEqual([]);
    // Not asked 4.01, or answered 4.0: refused at the item's @type, as the body's own @type is.
    expect(shown(judgeCreatedAnswer(sent, answer(201, derived, ['OData-Version', '4.01']), undefined, { target }))).toContainEqual(expect.stringMatching(/^response schema body \/tokenActionResults\/0\/@type: is OData 4.01's spelling of @odata.type: Graph answers OData 4.0/));
    expect(shown(judgeCreatedAnswer(sent, answer(201, derived, ['OData-Version', '4.0']), undefined, { target, odataMaxVersion: ['4.01'] }))).toContainEqual(expect.stringMatching(/^response schema body \/tokenActionResults\/0\/@type: is OData 4.01's spelling of @odata.type: the answer says OData-Version: 4.0/));
    // Read as its type, it is judged as one: another type, or both spellings with different values, refused asked 4.01.
    const asked = (b: unknown) => shown(judgeCreatedAnswer(sent, answer(201, b, ['OData-Version', '4.01']), undefined, { target, odataMaxVersion: ['4.01'] }));
    expect(asked(body({ '@type': '#microsoft.graph.mobileApp' }))).toContainEqual(expect.stringMatching(/^response schema body \/tokenActionResults\/0\/@type: /));
    expect(asked(body({ '@type': '#microsoft.graph.vppTokenActionResult', '@odata.type': '#microsoft.graph.vppTokenRevokeLicensesActionResult' }))).toEqual([expect.stringMatching(/^response schema body \/tokenActionResults\/0\/@type: gives both @odata.type and @type, with different values/)]);
    // The schema rule (validate) reads it as it reads the body's own @type, and tells a wrong one where it was written.
    const item0 = (type: Record<string, unknown>) => ({ ...created, tokenActionResults: [{ ...type, ...item }] });
    expect(validate('response', item0({ '@type': '#microsoft.graph.vppTokenRevokeLicensesActionResult' })).problems).toEqual([]);
    expect(validate('response', item0({ '@type': '#microsoft.graph.user' })).problems.map((p) => p.pointer)).toContain('/tokenActionResults/0/@type');
    expect(validate('response', item0({ '@type': '#microsoft.graph.user' })).problems.map((p) => p.pointer)).not.toContain('/tokenActionResults/0/@odata.type');
    // A read asked 4.01 takes it; one that did not ask refuses it.
    const service = { target };
    const readBody = { ...withControl, '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens/$entity', tokenActionResults: [{ '@type': '#microsoft.graph.vppTokenRevokeLicensesActionResult', ...item }] };
    const url = `${target}('${ID}')`;
    expect(judgeReadAnswer(answer(200, readBody, ['OData-Version', '4.01']), { kind: 'entity', service, url, odataMaxVersion: ['4.01'] }).problems).toEqual([]);
    expect(shown(judgeReadAnswer(answer(200, readBody), { kind: 'entity', service, url }).problems)).toEqual([expect.stringMatching(/^response schema body \/tokenActionResults\/0\/@type: is OData 4.01's spelling/)]);
  });

  // Decision 1310 (W8): a 201 whose 4.01 @type names another entity proves no vppToken made, as its @odata.type would.
  it('is no created vppToken when its @type names another entity', () => {
    expect(createdVppTokenOf(answer(201, { ...created, '@type': '#microsoft.graph.mobileApp' }), sent)).toEqual({});
    expect(createdVppTokenOf(answer(201, { ...created, '@type': '#microsoft.graph.vppToken' }), sent)).toEqual({ createdId: ID });
  });
});

describe('a read answered in OData 4.01\'s spelling', () => {
  const read = (body: unknown, odataMaxVersion?: string[]) => shown(judgeReadAnswer(answer(200, body), { kind: 'collection', service: { target }, url: target, ...(odataMaxVersion ? { odataMaxVersion } : {}) }).problems);
  it('is refused for a page\'s @nextLink (Graph\'s clients page by @odata.nextLink only) unless 4.01 was asked; its @context judged either way', () => {
    const page = { '@context': 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens', value: [{ ...created, '@type': '#microsoft.graph.vppToken' }], '@nextLink': `${target}?$skiptoken=2` };
    expect(read(page)).toEqual([
      expect.stringMatching(/^response schema body \/@context: is OData 4.01's spelling/),
      expect.stringMatching(/^response schema body \/@nextLink: is OData 4.01's spelling/),
      expect.stringMatching(/^response schema body \/value\/0\/@type: is OData 4.01's spelling/),
    ]);
    expect(read(page, ['4.01'])).toEqual([]);
    expect(read({ ...page, '@context': 'https://evil.example/beta/$metadata#deviceAppManagement/vppTokens' }, ['4.01'])).toEqual([expect.stringMatching(/^resource identity body \/@context: /)]);
    // Graph's spelling passes (the neighbour); an OData-MaxVersion of 4.0 asks no 4.01.
    expect(read({ ...unprefixedBack(page) })).toEqual([]);
    expect(read(page, ['4.0'])).toHaveLength(3);
    // A page that says OData-Version: 4.0 keeps the prefix, asked 4.01 or not (Y3): Graph's clients would not page it.
    const read40 = (body: unknown) => shown(judgeReadAnswer(answer(200, body, ['OData-Version', '4.0']), { kind: 'collection', service: { target }, url: target, odataMaxVersion: ['4.01'] }).problems);
    expect(read40(page)).toEqual([
      expect.stringMatching(/^response schema body \/@context: is OData 4.01's spelling of @odata.context: the answer says OData-Version: 4.0/),
      expect.stringMatching(/^response schema body \/@nextLink: is OData 4.01's spelling/),
      expect.stringMatching(/^response schema body \/value\/0\/@type: is OData 4.01's spelling/),
    ]);
    expect(read40(unprefixedBack(page))).toEqual([]);
  });
});

/** The page with its control information in Graph's spelling again. */
function unprefixedBack(page: Record<string, unknown>): Record<string, unknown> {
  const back = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [/^@[a-zA-Z]+$/.test(k) ? `@odata.${k.slice(1)}` : k, v]));
  return { ...back(page), value: (page.value as Record<string, unknown>[]).map(back) };
}
