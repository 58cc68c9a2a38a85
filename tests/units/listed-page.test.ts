// Decision 0810: one reader of a vppTokens list page (readVppTokenPage), for seed's read-back before --retry-unknown
// and the proxy's page after a create of unknown outcome (0671): what a page shows held, by id and token fingerprint.
import { createRequestFactory } from 'vpptokens-contract-kit';
import { pageTally, readVppTokenPage, rewrappedIn, whyListIsShort, whyPageCannotTell, type ObservedAnswer } from '../../src/judgement';
import { appleTokenFingerprint, readAppleSToken, tokenFingerprint } from '../../src/validation';

const [a, b] = createRequestFactory.withSeed(810).buildList(2).map((r) => r.token);
const ID = ['2f6c0000-0000-0000-0000-000000000001', '2f6c0000-0000-0000-0000-000000000002'];
const page = (body: unknown, rawHeaders: string[] = []): ObservedAnswer => ({ status: 200, headers: {}, rawHeaders: ['Content-Type', 'application/json', ...rawHeaders], body: undefined, bytes: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) });

describe('readVppTokenPage', () => {
  it('lists each vppToken by its id and its token\'s fingerprint (one sToken however its base64 is written), and its nextLink', () => {
    // The same sToken with its base64 padding left out: one token, one fingerprint.
    const unpadded = b.replace(/=+$/, '');
    const read = readVppTokenPage(page({ value: [{ id: ID[0], token: a }, { id: ID[1], token: unpadded }], '@odata.nextLink': 'https://graph.microsoft.com/beta/deviceAppManagement/vppTokens?$skiptoken=2' }), []);
    expect(read).toEqual({
      listed: [
        { id: ID[0], token: tokenFingerprint(a), apple: appleTokenFingerprint(a) },
        { id: ID[1], token: tokenFingerprint(b), apple: appleTokenFingerprint(b) },
      ],
      nextLink: 'https://graph.microsoft.com/beta/deviceAppManagement/vppTokens?$skiptoken=2',
      body: expect.objectContaining({ value: expect.any(Array) }),
    });
    expect(JSON.stringify((read as { listed: unknown }).listed)).not.toContain(a);
  });

  it.each([
    ['no token', { id: ID[0] }, 'without its token'],
    ['token null', { id: ID[0], token: null }, 'whose token is null (withheld)'],
    ['token empty', { id: ID[0], token: '' }, 'whose token is empty'],
    ['token a number', { id: ID[0], token: 5 }, 'whose token is not a string'],
    ['no id', { token: a }, 'without its id'],
    ['id null', { id: null, token: a }, 'without its id'],
    ['id empty', { id: '', token: a }, 'whose id is empty'],
    ['id a number', { id: 5, token: a }, 'whose id is not a string'],
  ])('says a vppToken with %s untold, and still lists the others', (_case, item, words) => {
    expect(readVppTokenPage(page({ value: [item, { id: ID[1], token: b }] }), [])).toMatchObject({ listed: [{ id: ID[1], token: tokenFingerprint(b) }], untold: words });
  });

  it('reads a token left out under both halves of omit-values=nulls as withheld, and under one half with the half missing', () => {
    const leftOut = { value: [{ id: ID[0] }] };
    expect(readVppTokenPage(page(leftOut, ['Preference-Applied', 'omit-values=nulls']), ['omit-values=nulls'])).toMatchObject({ untold: expect.stringMatching(/^whose token is null \(withheld: left out under Preference-Applied/) });
    expect(readVppTokenPage(page(leftOut), ['omit-values=nulls'])).toMatchObject({ untold: expect.stringMatching(/^without its token \(left out: the request asked Prefer: omit-values=nulls/) });
  });

  it.each([
    ['value given twice', `{"value":[{"id":"${ID[0]}","token":"${a}"}],"value":[]}`, /^with a body it cannot take: body \/value is given twice/],
    ['data after the list', `{"value":[]} {"value":[]}`, /^with a body it cannot take: body has data after its JSON value/],
    ['an array', '[]', /^without the list \(\{ "value": \[\.\.\.\] \}\)$/],
    ['value not an array', '{"value":{}}', /^without the list/],
    ['not JSON', 'value', /^without the list/],
  ])('is no page when its body is %s', (_case, body, why) => {
    expect(readVppTokenPage(page(body), [])).toEqual({ failure: expect.stringMatching(why) });
  });

  // Outside findings R126, R127 (decision 1090): a token that is no sToken proves no token a create sent; masked, cut,
  // the inner Apple token alone or the sToken with a line break after it, it is withheld, unless it is one a caller sent.
  const WITHHELD = "lists a vppToken whose token is no sToken (withheld: masked, cut or otherwise changed, it may be any vppToken's)";
  it.each([
    ['masked', '***'],
    ['redacted', '[redacted]'],
    ['cut', `${a.slice(0, 12)}…`],
    ['the inner Apple token alone', readAppleSToken(a)!.token],
    ['the sToken with a line break after it', `${a}\n`],
    ['the sToken with a space before it', ` ${a}`],
  ])('says a page listing a vppToken whose token is %s cannot tell, still listing it and the others', (_case, token) => {
    const read = readVppTokenPage(page({ value: [{ id: ID[0], token }, { id: ID[1], token: b }] }), []);
    expect(read).toMatchObject({ listed: [{ id: ID[0], token: tokenFingerprint(token), noSToken: true }, { id: ID[1], token: tokenFingerprint(b) }] });
    expect(whyPageCannotTell(read)).toBe(WITHHELD);
    // Told only by a caller that sent that very string; one that sent another string learns nothing.
    expect(whyPageCannotTell(read, (fingerprint) => fingerprint === tokenFingerprint(token))).toBeUndefined();
    expect(whyPageCannotTell(read, (fingerprint) => fingerprint === tokenFingerprint(a))).toBe(WITHHELD);
    // Told by a caller that knows its id as one a create was answered with (lower-case; decisions 1140, 1171); not by another.
    expect(whyPageCannotTell(read, undefined, (id) => id === ID[0].toLowerCase())).toBeUndefined();
    expect(whyPageCannotTell(read, undefined, (id) => id === ID[1].toLowerCase())).toBe(WITHHELD);
  });

  it('tells a page listing sTokens in any of their spellings (unpadded, base64url): another sToken proves another token', () => {
    const url = b.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const read = readVppTokenPage(page({ value: [{ id: ID[0], token: a.replace(/=+$/, '') }, { id: ID[1], token: url }] }), []);
    expect(read).toMatchObject({ listed: [{ id: ID[0], token: tokenFingerprint(a) }, { id: ID[1], token: tokenFingerprint(b) }] });
    expect((read as { listed: object[] }).listed.map((l) => 'noSToken' in l)).toEqual([false, false]);
    expect(whyPageCannotTell(read)).toBeUndefined();
  });

  // Decision 1093: the Apple token a create sent, listed inside another sToken (another orgName or expDate around it),
  // is neither this token nor proof of another: rewrappedIn says so; the same sToken in another spelling (its base64,
  // or its JSON re-encoded: decision 1260), or another Apple token's sToken, is not.
  it('finds a sent Apple token inside another sToken, not the same sToken respelt or re-encoded nor another Apple token', () => {
    const inner = JSON.parse(Buffer.from(a, 'base64').toString('utf8')) as Record<string, string>;
    const wrap = (document: unknown) => Buffer.from(typeof document === 'string' ? document : JSON.stringify(document)).toString('base64');
    const listing = (token: string) => (readVppTokenPage(page({ value: [{ id: ID[0], token }] }), []) as { listed: Parameters<typeof rewrappedIn>[0] }).listed;
    for (const other of [wrap({ ...inner, orgName: `${inner.orgName} Ltd` }), wrap({ ...inner, expDate: '2031-01-01T00:00:00+0000' })]) {
      expect(rewrappedIn(listing(other), a)).toBe(true);
      expect(whyPageCannotTell(readVppTokenPage(page({ value: [{ id: ID[0], token: other }] }), []))).toBeUndefined();
    }
    const reencoded = [wrap(JSON.stringify(inner, null, 1)), wrap({ orgName: inner.orgName, expDate: inner.expDate, token: inner.token })];
    for (const same of [a, a.replace(/=+$/, ''), a.replace(/\+/g, '-').replace(/\//g, '_'), ...reencoded]) {
      expect(rewrappedIn(listing(same), a)).toBe(false);
      expect(listing(same)[0].token).toBe(tokenFingerprint(a));
    }
    expect(rewrappedIn(listing(b), a)).toBe(false);
    expect(rewrappedIn(listing('***'), a)).toBe(false);
  });
});

// Decision 1101 (outside finding R133): a page's @odata.count is the whole list's; pages listing fewer are no whole list.
describe('@odata.count and whyListIsShort', () => {
  it.each([
    [3, 3],
    ['12', 12],
    [0, 0],
    [-1, undefined],
    [1.5, undefined],
    ['3 ', undefined],
    ['', undefined],
    [null, undefined],
    [true, undefined],
    [1e300, undefined],
  ])('reads @odata.count %p as %p', (count, read) => {
    const got = readVppTokenPage(page({ '@odata.count': count, value: [] }), []);
    expect((got as { count?: number }).count).toBe(read);
  });

  it('says a list shorter than its count is not whole; as many, more, or no count may be whole', () => {
    expect(whyListIsShort([{ listed: 1, count: 2, ids: ['a'] }])).toBe("says @odata.count 2, but its pages listed 1 vppToken (@odata.count is the whole list's, OData JSON 4.01 §4.5.5): it was not read whole");
    expect(whyListIsShort([{ listed: 0, count: 1, ids: [] }])).toMatch(/listed 0 vppTokens /);
    expect(whyListIsShort([{ listed: 2, count: 2, ids: ['a', 'b'] }])).toBeUndefined();
    expect(whyListIsShort([{ listed: 3, count: 2, ids: ['a', 'b', 'c'] }])).toBeUndefined();
    expect(whyListIsShort([{ listed: 0, ids: [] }])).toBeUndefined();
  });

  // Decision 1170: pages add up by their ids, without case, each once; a page whose ids were not kept (the proxy's bound)
  // leaves a count between what is surely listed and the sum untold, taken as not met.
  it('adds pages up by their ids: one vppToken on two pages is one; a page without its ids kept tells only as far as it can', () => {
    const [first, again, other] = [pageTally({ listed: [{ id: 'A-1', token: 'x' }], count: 2 }), pageTally({ listed: [{ id: 'a-1', token: 'x' }, { id: 'A-1', token: 'y' }] }), pageTally({ listed: [{ id: 'b-2', token: 'z' }] })];
    expect([first, again]).toEqual([{ listed: 1, count: 2, ids: ['a-1'] }, { listed: 1, ids: ['a-1'] }]);
    expect(whyListIsShort([first, again])).toMatch(/^says @odata\.count 2, but its pages listed 1 vppToken /);
    expect(whyListIsShort([first, other])).toBeUndefined();
    // Without ids: met by what one page listed, or beyond the sum; between them, not told.
    expect(whyListIsShort([{ listed: 2, count: 2 }, { listed: 1 }])).toBeUndefined();
    expect(whyListIsShort([{ listed: 1, count: 3 }, { listed: 1 }])).toMatch(/^says @odata\.count 3, but its pages listed at most 2 vppTokens .*: it was not read whole$/);
    expect(whyListIsShort([{ listed: 1, count: 2 }, { listed: 1 }])).toBe('says @odata.count 2, and its pages listed from 1 to 2 vppTokens (the ids of some pages were not kept, so one listed twice cannot be told): whether it was read whole cannot be told');
    expect(whyListIsShort([first, { listed: 1 }])).toMatch(/listed from 1 to 2 vppTokens/);
    expect(whyListIsShort([{ ...first, count: 1 }, { listed: 1 }])).toBeUndefined();
  });
});
