// Outside finding R111 (decisions 1030, 1031): a $filter of 1,200 comparisons joined by `and` in a JSON batch
// member's url (37 KB; a batch body has no 16 KiB head bound) held serve's and the mock's event loop for seconds:
// @odata/parser reads a chain by recursion, copying each link's text, its cost growing with the cube of the chain.
// The kit reads a filter's Boolean frame (and, or, not, parentheses) itself, in one linear pass, and gives the parser
// one operand at a time; Graph's binder refuses a chain past 800 levels (MetadataBinder.Bind counts each token it
// binds against FilterLimit), and so does the kit, before any operand is parsed; a member's url is held to the
// bound a request line has.
import { defaultParser } from '@odata/parser';
import { checkBatchRequest, checkClientRequest } from '../../src/judgement';
import { compileFilter, filterRecursionDepth } from '../../src/judgement/filter';
import { vppTokenProperties } from '../../src/judgement/odata';
import { startReferenceProvider } from '../../src/provider';
import { filterRefusal } from '../support/filter-refusal';

const beta = vppTokenProperties('beta');
const chain = (count: number, operator: 'and' | 'or', term = "displayName eq 'a'") => Array(count).fill(term).join(` ${operator} `);
const refusal = filterRefusal;
const BOUND_WORDS = /^The recursion limit has been exceeded: this \$filter binds (at least )?(\d+) levels deep in Graph's OData binder, and it binds 800 \(.*at most 799 comparisons joined by and or or\)\.$/;

describe('a $filter read one operand at a time (decision 1030)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('gives the parser no text that holds an and or an or: a chain, a chain in parentheses, a lambda predicate', () => {
    const read = jest.spyOn(defaultParser, 'filter');
    // (799 operands, the most a chain holds, are read below; 60 show the reading.)
    // Each comparison's operands read alone too (decision 1241): the parser is given a property or a literal.
    const long = compileFilter(chain(60, 'and'), beta);
    expect(read).toHaveBeenCalledTimes(120);
    expect(read.mock.calls.every(([text]) => text === 'displayName' || text === "'a'")).toBe(true);
    expect([long({ displayName: 'a' }), long({ displayName: 'b' })]).toEqual([true, false]);
    read.mockClear();
    const pairs = compileFilter(chain(30, 'or', "(displayName eq 'x' and state eq 'valid')"), beta);
    expect(read).toHaveBeenCalledTimes(120);
    expect([pairs({ displayName: 'x', state: 'valid' }), pairs({ displayName: 'x', state: 'expired' })]).toEqual([true, false]);
    read.mockClear();
    // A lambda is not modelled (501), but its predicate is read, operand by operand, for the client's syntax errors.
    expect(refusal(`tokenActionResults/any(r: ${chain(60, 'and', "r/actionName eq 'a'")})`)?.status).toBe(501);
    expect(refusal(`tokenActionResults/any(r: ${chain(60, 'and', "r/actionName eq 'a'")} and r/actionName eq)`)?.message).toMatch(/^Syntax error at position \d+ in \$filter/);
    expect(read.mock.calls.some(([text]) => / (and|or) /.test(text))).toBe(false);
  });

  it("reads and, or, not and parentheses as Graph's reader groups them", () => {
    const matches = (filter: string, token: Record<string, unknown>) => compileFilter(filter, beta)(token);
    const [a, b, none] = [{ displayName: 'a', state: 'valid', automaticallyUpdateApps: true }, { displayName: 'b', state: 'expired', automaticallyUpdateApps: false }, { displayName: null, state: 'valid', automaticallyUpdateApps: false }];
    const each = (filter: string) => [a, b, none].map((token) => matches(filter, token));
    // `and` before `or`, each chain from the left.
    expect(matches("displayName eq 'a' or displayName eq 'b' and state eq 'valid'", { displayName: 'a', state: 'expired' })).toBe(true);
    expect(matches("(displayName eq 'a' or displayName eq 'b') and state eq 'valid'", { displayName: 'a', state: 'expired' })).toBe(false);
    // `not` before `and`: its operand alone (OData's precedence), `not(` as `not (`, operators in any case.
    expect(matches("not (displayName eq 'b') and state eq 'valid'", { displayName: 'a', state: 'expired' })).toBe(false);
    // `not` before `eq` too (finding Y2; URL Conventions §5.1.1.16, Microsoft.OData's ParseUnary): `not displayName eq
    // 'b'` is `(not displayName) eq 'b'`, `not` on a string, which Graph's binder refuses; on a Boolean it is read.
    const notOnString = "A unary operator with an incompatible type was detected. Found operand type 'Edm.String' for operator kind 'Not'.";
    for (const filter of ["not displayName eq 'Fleet'", "NOT displayName EQ 'b' and state eq 'valid'", "not not displayName ne 'b'", "state eq 'valid' or not(displayName) eq 'b'"]) {
      expect([filter, refusal(filter)?.status, refusal(filter)?.message]).toEqual([filter, 400, notOnString]);
    }
    expect(each("not automaticallyUpdateApps eq true")).toEqual([false, true, true]);
    expect(each("not automaticallyUpdateApps eq false and state eq 'valid'")).toEqual([true, false, false]);
    expect(each("NOT startsWith(displayName,'a') and displayName ne null")).toEqual([false, true, false]);
    expect(each("not (displayName eq 'a') and not startswith(displayName,'c')")).toEqual([false, true, false]);
    expect(matches("NOT(displayName eq 'b') AND state eq 'valid'", { displayName: 'a', state: 'valid' })).toBe(true);
    // `not` before an operand of a longer chain, twice, or after an `and`: the parser's `not` took the rest of the
    // chain, and one rewrite did not undo it (found comparing the two readings on 20,000 generated filters).
    expect(each("not(displayName eq 'a') and not (state eq 'valid') or state eq 'valid'")).toEqual([true, true, true]);
    expect(each("tolower(displayName) eq 'a' and NOT automaticallyUpdateApps or displayName eq null")).toEqual([false, false, true]);
    expect(each("NOT NOT (displayName ne 'b') and displayName eq null")).toEqual([false, false, true]);
    expect(each("not contains(displayName, 'b') eq false and displayName eq 'x' or state eq 'valid' and displayName eq 'a'")).toEqual([true, false, false]);
    // `and` in a string, and a parenthesis compared (no group of the frame), are the operand's.
    expect(matches("displayName eq 'a and b' or (displayName) eq 'c'", { displayName: 'a and b' })).toBe(true);
    expect(matches("displayName eq 'a and b' or (displayName) eq 'c'", { displayName: 'c' })).toBe(true);
    // Syntax errors where the whole parse found them: an `or` with nothing after it, a stray parenthesis, an empty group.
    expect(refusal("id eq 'a' or")?.message).toBe('Syntax error at position 9 in $filter "id eq \'a\' or".');
    expect(refusal("id eq 'a' and )")?.message).toMatch(/^Syntax error at position \d+ in \$filter/);
    expect(refusal("id eq 'a' and ()")?.status).toBe(400);
  });

  it("refuses a chain past Graph's binder bound with 400, before any operand is parsed, and reads one just under it", () => {
    // 799 comparisons: 798 ands, the comparison, its operands: 800 levels, read (above); 800 are 801.
    for (const operator of ['and', 'or'] as const) {
      const message = refusal(chain(800, operator))?.message ?? '';
      expect(message).toMatch(BOUND_WORDS);
      expect(BOUND_WORDS.exec(message)?.slice(1, 3)).toEqual([undefined, '801']);
    }
    const [all, any] = [compileFilter(chain(799, 'and'), beta), compileFilter(chain(799, 'or', "displayName eq 'b'"), beta)];
    expect([all({ displayName: 'a' }), all({ displayName: 'b' }), any({ displayName: 'b' }), any({ displayName: 'a' })]).toEqual([true, false, true, false]);
    // A `not` is a level; a chain of them one more.
    expect(refusal(chain(799, 'and', "not (displayName eq 'a')"))?.message).toMatch(BOUND_WORDS);
    expect(refusal(chain(798, 'and', "not (displayName eq 'a')"))).toBeUndefined();
    // R111's 1,200 and 20,000 operands: refused as the 801st level is read, no operand parsed.
    const read = jest.spyOn(defaultParser, 'filter');
    // A comparison of a property and a literal is counted exactly before it is read (decision 1241); a call is not.
    for (const count of [1200, 20_000]) {
      expect(BOUND_WORDS.exec(refusal(chain(count, 'and'))?.message ?? '')?.slice(1, 3)).toEqual([undefined, '801']);
      expect(BOUND_WORDS.exec(refusal(chain(count, 'and', "startswith(displayName,'a')"))?.message ?? '')?.slice(1, 3)).toEqual(['at least ', '801']);
    }
    expect(refusal(`tokenActionResults/any(r: ${chain(1200, 'or', "r/actionName eq 'a'")})`)?.message).toMatch(BOUND_WORDS);
    expect(read).not.toHaveBeenCalled();
    // Chains side by side in parentheses are not deeper: 1,600 comparisons, 402 levels, are read.
    expect(refusal(`(${chain(800, 'or', "id eq 'a'")}) and (${chain(800, 'or', "id eq 'b'")})`)?.message).toMatch(BOUND_WORDS);
    expect(refusal(`(${chain(400, 'or', "id eq 'a'")}) and (${chain(400, 'or', "id eq 'b'")}) or (${chain(400, 'or', "id eq 'c'")}) and (${chain(400, 'or', "id eq 'd'")})`)).toBeUndefined();
  });

  it("counts a not where Graph's binder binds it, exactly at 799, 800 and 801 levels (1030, amended by 1190)", () => {
    // Microsoft.OData.Core's MetadataBinder.Bind enters BindingState.RecurseEnter for each token and throws past
    // FilterLimit (800): 800 levels are bound, 801 refused. 400 nots before a Boolean property (401 levels: each not
    // binds its operand one level below it), first of a chain of N operands (N - 1 ands above it): N + 400 levels.
    const nots = (operands: number) => `${'not '.repeat(400)}automaticallyUpdateApps and ${chain(operands - 1, 'and', "id eq 'a'")}`;
    for (const operands of [399, 400]) {
      const read = compileFilter(nots(operands), beta);
      expect([read({ automaticallyUpdateApps: true, id: 'a' }), read({ automaticallyUpdateApps: false, id: 'a' }), read({ automaticallyUpdateApps: true, id: 'b' })]).toEqual([true, false, false]);
    }
    // (Refused as the frame is read: each not and the property counted, no operand parsed.)
    expect(BOUND_WORDS.exec(refusal(nots(401))?.message ?? '')?.[2]).toBe('801');
    // The same in parentheses, which bind no level: 56 levels of them around it are 799 steps of the reader (7 each,
    // 7 to the operand and 1 for each not before it: decision 0840), within its bound too.
    const nested = (filter: string) => `${'('.repeat(56)}${filter}${')'.repeat(56)}`;
    expect(filterRecursionDepth(nested(nots(400)))).toBe(799);
    expect(refusal(nested(nots(400)))).toBeUndefined();
    expect(BOUND_WORDS.exec(refusal(nested(nots(401)))?.message ?? '')?.[2]).toBe('801');
    // A not before a comparison binds the comparison's left operand (finding Y2): `not displayName eq tolower('a')` is
    // Equal (1), Not (2), displayName (3) on the left and tolower (2), its parameter (3), 'a' (4) on the right: 4 levels,
    // not 5. First of a chain of 797 operands it is 800 levels deep: Graph's binder reaches `not` on a string and
    // refuses it for its type (the kit answered the bound at 801).
    const notOnString = "A unary operator with an incompatible type was detected. Found operand type 'Edm.String' for operator kind 'Not'.";
    const pushed = (operands: number) => `not displayName eq tolower('a') and ${chain(operands - 1, 'and', "id eq 'a'")}`;
    expect(refusal(pushed(796))?.message).toBe(notOnString);
    expect(refusal(pushed(797))?.message).toBe(notOnString);
    // At 798 operands (801 levels) too: the binder binds from the left, and refuses the not at level 800, before it
    // gets past the bound on its right. Last in a chain whose calls reach past the bound first, it is never met: the
    // bound is answered (798 comparisons of a call, 802 levels, each operand within the frame's count).
    expect(refusal(pushed(798))?.message).toBe(notOnString);
    const last = `${chain(798, 'and', "tolower(id) eq 'a'")} and not displayName eq tolower('a')`;
    expect(BOUND_WORDS.exec(refusal(last)?.message ?? '')?.slice(1, 3)).toEqual([undefined, '802']);
  });

  it('refuses a % outside a string literal, which Graph reads as no character of OData, and takes one inside', () => {
    expect([refusal("displayName%20eq%20'a'")?.status, refusal("displayName%20eq%20'a'")?.message]).toEqual([400, expect.stringMatching(/^Syntax error at position 11 in \$filter "displayName%20eq%20'a'": the character '%' is not valid outside a string literal/)]);
    // %28 is no parenthesis: 1,000 of them nest nothing past the depth bound (decision 0840).
    expect(refusal(`${'%28'.repeat(1000)}displayName eq 'a'${'%29'.repeat(1000)}`)?.message).toMatch(/^Syntax error at position 0 /);
    expect(compileFilter("displayName eq '100%' or displayName eq '%20'", beta)({ displayName: '100%' })).toBe(true);
  });
});

describe("a JSON batch member's url held to a request line's bound (decision 1031)", () => {
  const batch = (url: string) => ({
    method: 'POST',
    path: '/beta/$batch',
    headers: {},
    rawHeaders: ['Authorization', 'Bearer r111-access-token-0123456789', 'Content-Type', 'application/json'],
    body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url }] }),
  });
  // A space written `+`, as a form encodes it (URLSearchParams reads it back): 900 short comparisons fit in 16 KiB.
  const filterUrl = (filter: string) => `/deviceAppManagement/vppTokens?$filter=${encodeURIComponent(filter).replace(/%20/g, '+')}`;
  const { maxHeaderSize } = require('node:http') as typeof import('node:http');

  it('is one judgement: the problem at /requests/N/url, naming the bound; a url at the bound is read', () => {
    const over = `/deviceAppManagement/vppTokens?$filter=${encodeURIComponent("displayName eq '")}${'a'.repeat(maxHeaderSize)}'`;
    const problems = checkBatchRequest(batch(over)).problems;
    expect(problems.map((p) => [p.where, p.message])).toEqual([['body /requests/0/url', expect.stringMatching(new RegExp(`^is ${Buffer.byteLength(over)} bytes long, over the ${maxHeaderSize} bytes \\(16 KiB\\) the mock reads a request's URL to`))]]);
    const atBound = filterUrl(`displayName eq '${'a'.repeat(maxHeaderSize)}'`).slice(0, maxHeaderSize - 1) + "'";
    expect(Buffer.byteLength(atBound)).toBe(maxHeaderSize);
    expect(checkBatchRequest(batch(atBound)).problems).toEqual([]);
    // check-client judges the batch by the same judgement.
    expect(checkClientRequest(batch(over), 'beta').problems.map((p) => p.where)).toContain('body /requests/0/url');
  });

  it('serve answers R111\'s batch 400 naming the bound, a member past the binder 400, a member under it, and the next request', async () => {
    const provider = await startReferenceProvider({});
    try {
      const headers = { Authorization: 'Bearer r111-access-token-0123456789', 'Content-Type': 'application/json' };
      const send = async (url: string) => {
        const answer = await fetch(`${provider.url}/beta/$batch`, { method: 'POST', headers, body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url }] }) });
        return { status: answer.status, body: (await answer.json()) as { error?: { message: string }; responses?: { status: number; body: { error?: { message: string }; value?: unknown[] } }[] } };
      };
      // R111's own case: 1,200 comparisons, 37 KB.
      const r111 = await send(`/deviceAppManagement/vppTokens?$filter=${encodeURIComponent(chain(1200, 'and'))}`);
      expect([r111.status, r111.body.error?.message]).toEqual([400, expect.stringContaining('body /requests/0/url: is 37230 bytes long')]);
      expect(r111.body.error?.message).toContain("over the 16384 bytes (16 KiB) the mock reads a request's URL to");
      // Short operands: 900 fit in 16 KiB, past the binder's bound; 799 are read and answered.
      const past = await send(filterUrl(chain(900, 'and', "id eq 'a'")));
      expect([past.status, past.body.responses?.[0].status, past.body.responses?.[0].body.error?.message]).toEqual([200, 400, expect.stringMatching(BOUND_WORDS)]);
      const under = await send(filterUrl(chain(799, 'or', "id eq 'a'")));
      expect([under.status, under.body.responses?.[0].status, under.body.responses?.[0].body.value]).toEqual([200, 200, []]);
      const next = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens`, { headers });
      expect(next.status).toBe(200);
      await next.text();
    } finally {
      await provider.close();
    }
  });
});

describe('a JSON batch answered a member at a time, other connections served between them (decision 1191)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers a read sent while a batch of 20 filtered reads is being worked before the batch ends', async () => {
    const provider = await startReferenceProvider({});
    try {
      const headers = { Authorization: 'Bearer r111-access-token-0123456789', 'Content-Type': 'application/json' };
      const events: string[] = [];
      let second: Promise<void> | undefined;
      // Each member's $filter is read by the parser, an operand at a time: the first operand read is the batch being
      // worked; the read is sent then, from inside that work.
      const parse = defaultParser.filter.bind(defaultParser);
      jest.spyOn(defaultParser, 'filter').mockImplementation((text: string) => {
        if (second === undefined) {
          events.push('batch worked');
          second = fetch(`${provider.url}/beta/deviceAppManagement/vppTokens?$top=1`, { headers }).then(async (answer) => {
            await answer.text();
            events.push(`read answered ${answer.status}`);
          });
        }
        return parse(text);
      });
      const url = `/deviceAppManagement/vppTokens?$filter=${encodeURIComponent("displayName eq 'a' or displayName eq 'b'")}`;
      const batch = await fetch(`${provider.url}/beta/$batch`, { method: 'POST', headers, body: JSON.stringify({ requests: Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), method: 'GET', url })) }) });
      const answered = (await batch.json()) as { responses: { status: number }[] };
      events.push(`batch answered ${batch.status}`);
      await second;
      expect(events).toEqual(['batch worked', 'read answered 200', 'batch answered 200']);
      expect(answered.responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    } finally {
      await provider.close();
    }
  });
});
