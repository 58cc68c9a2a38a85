// The reference provider at its edges: authentication first, clients that go away, callbacks that throw,
// query options it does not support, a bounded store and bodies over the limit.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { createRequestFactory, problemsOf } from 'vpptokens-contract-kit';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';

const AUTH = { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' };
const requests = createRequestFactory.withSeed(808);

async function call(provider: ReferenceProvider, path: string, init: RequestInit = {}) {
  const response = await fetch(`${provider.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
const post = (provider: ReferenceProvider, body: unknown, headers: Record<string, string> = AUTH, path = '/beta/deviceAppManagement/vppTokens') =>
  call(provider, path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function withProvider<T>(options: Parameters<typeof startReferenceProvider>[0], use: (provider: ReferenceProvider) => Promise<T>): Promise<T> {
  const provider = await startReferenceProvider(options);
  try {
    return await use(provider);
  } finally {
    await provider.close();
  }
}

describe('authentication comes before routing', () => {
  it('answers 401 without a Bearer token whatever the path or method, and 404/405 only with one', async () => {
    await withProvider({}, async (provider) => {
      const unauthenticated: [string, RequestInit][] = [
        ['/nothing/here', {}],
        ['/beta/deviceAppManagement/vppTokenz', {}],
        ['/deviceAppManagement/vppTokens', { method: 'PUT', body: '{}' }],
        ['/v1.0/deviceAppManagement/vppTokens/some-id', { method: 'DELETE' }],
      ];
      for (const [path, init] of unauthenticated) {
        const { status, body, headers } = await call(provider, path, init);
        expect([path, status]).toEqual([path, 401]);
        expect(body.error.code).toBe('InvalidAuthenticationToken');
        expect(headers.get('www-authenticate')).toBe('Bearer');
      }
      expect((await call(provider, '/nothing/here', { headers: AUTH })).status).toBe(404);
      expect((await call(provider, '/deviceAppManagement/vppTokens', { method: 'PUT', headers: AUTH, body: '{}' })).status).toBe(405);
    });
  });
});

describe('a client that goes away', () => {
  it('is the client\'s doing: no 500, no crash, one short log line, and the next request is answered', async () => {
    const logs: string[] = [];
    const statuses: number[] = [];
    let closed!: () => void;
    const sawClose = new Promise<void>((resolve) => (closed = resolve));
    await withProvider(
      {
        log: (line) => {
          logs.push(line);
          if (line.includes('client closed the request')) closed();
        },
        onRequest: (_r, status) => statuses.push(status),
      },
      async (provider) => {
        const socket = connect(provider.port, '127.0.0.1');
        await new Promise<void>((resolve) => socket.once('connect', resolve));
        socket.write(`POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"token":"abc`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        socket.destroy();
        await sawClose;
        expect((await post(provider, requests.buildAt(0))).status).toBe(201);
        expect(logs.filter((l) => l.includes('client closed the request'))).toEqual(['POST /beta/deviceAppManagement/vppTokens: client closed the request']);
        expect(logs.join('\n')).not.toMatch(/internal error| 500 /);
        expect(statuses).toEqual([201]);
      },
    );
  });
});

describe('callbacks that throw', () => {
  it('never crash the server nor become an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const which of ['log', 'onRequest', 'both'] as const) {
        const boom = () => {
          throw new Error(`${which} callback failed`);
        };
        await withProvider({ log: which === 'onRequest' ? undefined : boom, onRequest: which === 'log' ? undefined : boom }, async (provider) => {
          expect((await post(provider, requests.buildAt(1))).status).toBe(201);
          expect((await post(provider, { state: 'String' })).status).toBe(400);
          expect((await call(provider, '/nowhere', { headers: AUTH })).status).toBe(404);
          await new Promise((resolve) => setTimeout(resolve, 10));
          expect((await post(provider, requests.buildAt(2))).status).toBe(201);
        });
      }
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

// Query options as Graph's OpenAPI gives each route (docs/decisions/0146, which replaced 0037's "refuse them all"):
// what the mock models is answered truly, a malformed value is refused for its reason, the rest is 501, said so.
describe('query options', () => {
  let provider: ReferenceProvider;
  const ids: string[] = [];
  const names = ['Bravo', "O'Brien", null];
  beforeAll(async () => {
    provider = await startReferenceProvider();
    for (const [i, displayName] of names.entries()) ids.push((await post(provider, { ...requests.buildAt(10 + i), displayName })).body.id);
  });
  afterAll(() => provider.close());
  const list = (query: string) => call(provider, `/beta/deviceAppManagement/vppTokens?${query}`, { headers: AUTH });

  it('answers $select on one vppToken with exactly those properties and a context URL naming them (OData 4.01 §10.10)', async () => {
    const { status, body } = await call(provider, `/beta/deviceAppManagement/vppTokens/${ids[0]}?$select=id,DisplayName&$expand=*&$format=json`, { headers: AUTH });
    expect(status).toBe(200);
    expect(body).toEqual({ '@odata.context': `${provider.url}/beta/$metadata#deviceAppManagement/vppTokens(id,displayName)/$entity`, id: ids[0], displayName: 'Bravo' });
  });

  it('answers the list by $filter (eq, a quote doubled, null, functions, instants), $orderby, $count, $skip and $select', async () => {
    expect((await list(`$filter=${encodeURIComponent(`id eq '${ids[1]}'`)}`)).body.value.map((t: { id: string }) => t.id)).toEqual([ids[1]]);
    expect((await list(`$filter=${encodeURIComponent("displayName eq 'O''Brien'")}`)).body.value.map((t: { id: string }) => t.id)).toEqual([ids[1]]);
    expect((await list(`$filter=${encodeURIComponent("displayName eq null or startswith(tolower(displayName),'b')")}&$select=id`)).body.value).toEqual([{ id: ids[0] }, { id: ids[2] }]);
    expect((await list(`$filter=${encodeURIComponent('lastModifiedDateTime gt 2000-01-01T00:00:00+01:00 and not (displayName ne null)')}&$select=id`)).body.value).toEqual([{ id: ids[2] }]);
    const sorted = await list('$orderby=displayName%20desc&$select=displayName&$count=true');
    expect(sorted.body).toEqual({
      '@odata.context': `${provider.url}/beta/$metadata#deviceAppManagement/vppTokens(displayName)`,
      '@odata.count': 3,
      value: [{ displayName: "O'Brien" }, { displayName: 'Bravo' }, { displayName: null }],
    });
    expect((await list('$skip=2&$select=id')).body.value).toEqual([{ id: ids[2] }]);
  });

  // Outside finding R148 (decision 1242): $orderby by an expression, as OData's orderbyItem (a commonExpr) has it.
  it('orders the list by an expression in $orderby (tolower, length), null first ascending, and by a property after it', async () => {
    const ordered = async (orderby: string) => (await list(`$orderby=${encodeURIComponent(orderby)}&$select=id`)).body.value.map((t: { id: string }) => t.id);
    expect(await ordered('tolower(displayName)')).toEqual([ids[2], ids[0], ids[1]]);
    expect(await ordered('length(displayName) desc')).toEqual([ids[1], ids[0], ids[2]]);
    expect(await ordered('length(displayName) gt 5 desc,displayName')).toEqual([ids[1], ids[2], ids[0]]);
  });

  // Outside tester I9: Graph's documentation writes startsWith, NOT and not(...); OData's ABNF literals are case-insensitive.
  it('takes function names and operators in any case, and not( without a space, as Graph does; a string keeps its case', async () => {
    const ids_ = (body: { value: { id: string }[] }) => body.value.map((t) => t.id);
    for (const [filter, expected] of [
      ["startsWith(displayName,'Bra')", [ids[0]]],
      ["NOT startsWith(displayName,'x') AND displayName NE null", [ids[0], ids[1]]],
      ["not(startswith(displayName,'O'))", [ids[0]]],
      ["displayName EQ 'Bravo' Or displayName Eq 'O''Brien'", [ids[0], ids[1]]],
      ["ToLower(displayName) eq 'bravo' OR FALSE", [ids[0]]],
      ["displayName eq 'NOT EQ'", []],
      // A Boolean property is a Boolean expression alone, and a DateTimeOffset literal may leave out its seconds.
      ['automaticallyUpdateApps or not automaticallyUpdateApps', [ids[0], ids[1], ids[2]]],
      ['lastModifiedDateTime gt 2000-01-01T00:00Z', [ids[0], ids[1], ids[2]]],
      // A Boolean function compared with true or false, as generated OData clients write it (outside tester M15).
      ["startswith(displayName,'Bra') eq true", [ids[0]]],
      ["startswith(displayName,'O') EQ false and displayName ne null", [ids[0]]],
      ["contains(displayName,'r') ne false", [ids[0], ids[1]]],
      // A comparison's operands read as Graph's ParseComparison reads them, a call or a group on either side
      // (decisions 1193, 1241): a Boolean compared with a Boolean; null eq null is true.
      ["(displayName eq 'Bravo') eq true", [ids[0]]],
      ["(displayName eq 'Bravo') eq false", [ids[1], ids[2]]],
      ["displayName eq 'Bravo' eq true", [ids[0]]],
      ["true ne startswith(displayName,'B')", [ids[1]]],
      ["contains(displayName,'r') eq contains(displayName,'a')", [ids[0], ids[2]]],
    ] as const) {
      const answer = await list(`$filter=${encodeURIComponent(filter)}&$select=id`);
      expect({ filter, status: answer.status, ids: answer.status === 200 ? ids_(answer.body) : answer.body }).toEqual({ filter, status: 200, ids: expected });
    }
    // A syntax error's position is still the client's text's.
    expect((await list(`$filter=${encodeURIComponent("not(displayName eq 'a') or")}`)).body.error.message).toBe('Syntax error at position 23 in $filter "not(displayName eq \'a\') or".');
  });

  // Outside tester N3: a string function of null is null, and `not` of null is null (docs/decisions/0390).
  it("selects no vppToken for which the $filter is null: not of a string function over a null displayName, as OData's three-valued logic says", async () => {
    const ids_ = (body: { value: { id: string }[] }) => body.value.map((t) => t.id);
    for (const [filter, expected] of [
      ["not startswith(displayName,'Fleet')", [ids[0], ids[1]]],
      ["not contains(displayName,'Fleet')", [ids[0], ids[1]]],
      ["not endswith(displayName,'Fleet')", [ids[0], ids[1]]],
      ["startswith(displayName,'Fleet') eq false", [ids[0], ids[1]]],
      ["startswith(displayName,'Fleet') ne true", [ids[0], ids[1]]],
      // null stays null through any number of nots; and is false with a false side, or true with a true side.
      ["not (not startswith(displayName,'B'))", [ids[0]]],
      ["not startswith(displayName,'B') and automaticallyUpdateApps eq automaticallyUpdateApps", [ids[1]]],
      ["not startswith(displayName,'B') or displayName eq null", [ids[1], ids[2]]],
      // A comparison is never null: between strings null orders first (string.Compare), so it is listed by these.
      ["not (displayName gt 'Z')", [ids[0], ids[1], ids[2]]],
      ["displayName lt 'A'", [ids[2]]],
      // A number of null is null, and lt, le, gt, ge with a null side are false (lifted operators).
      ['length(displayName) lt 100', [ids[0], ids[1]]],
      ['not (length(displayName) ge 100)', [ids[0], ids[1], ids[2]]],
      // The correct input still selects what it names.
      ["startswith(displayName,'B')", [ids[0]]],
    ] as const) {
      const answer = await list(`$filter=${encodeURIComponent(filter)}&$select=id`);
      expect({ filter, status: answer.status, ids: answer.status === 200 ? ids_(answer.body) : answer.body }).toEqual({ filter, status: 200, ids: expected });
    }
    const count = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens/$count?$filter=${encodeURIComponent("not startswith(displayName,'Fleet')")}`, { headers: AUTH });
    expect(await count.text()).toBe('2');
  });

  it("takes comparisons of a property's own type: an enum member quoted or typed, a boolean, an instant, null; v1.0's enum its own members", async () => {
    const filter = "state eq 'valid' and vppTokenAccountType eq microsoft.graph.vppTokenAccountType'business' and automaticallyUpdateApps eq false and lastSyncDateTime lt 2100-01-01T00:00:00Z and appleId ne null and length(displayName) gt 0";
    const answer = await list(`$filter=${encodeURIComponent(filter)}&$count=true`);
    expect([answer.status, answer.body['@odata.count']]).toEqual([200, expect.any(Number)]);
    const v1 = (state: string) => call(provider, `/v1.0/deviceAppManagement/vppTokens?$filter=${encodeURIComponent(`state eq '${state}'`)}`, { headers: AUTH });
    expect((await v1('valid')).status).toBe(200);
    expect((await v1('duplicateLocationId')).body.error.message).toBe("The string 'duplicateLocationId' is not a valid enumeration type constant.");
  });

  // Outside tester N28: one ordering of values for $orderby and $filter (docs/decisions/0390).
  it('orders an enum by its members’ values and a DateTimeOffset by its instant, in $orderby and $filter alike', async () => {
    await withProvider({}, async (own) => {
      // The same sToken twice: the second is duplicateLocationId (5), after valid (1) though its name sorts first.
      const body = requests.buildAt(30);
      const [valid, duplicate] = [(await post(own, { ...body, lastSyncDateTime: '2029-01-24T04:05:43-12:00' })).body, (await post(own, { ...body, lastSyncDateTime: '2029-01-24T10:00:00Z' })).body];
      expect([valid.state, duplicate.state]).toEqual(['valid', 'duplicateLocationId']);
      const listed = async (query: string) => {
        const answer = await call(own, `/beta/deviceAppManagement/vppTokens?${query}&$select=id`, { headers: AUTH });
        expect(answer.status).toBe(200);
        return answer.body.value.map((t: { id: string }) => t.id);
      };
      expect(await listed('$orderby=state')).toEqual([valid.id, duplicate.id]);
      expect(await listed('$orderby=state%20desc')).toEqual([duplicate.id, valid.id]);
      expect(await listed(`$filter=${encodeURIComponent("state gt 'valid'")}`)).toEqual([duplicate.id]);
      expect(await listed(`$filter=${encodeURIComponent("state lt microsoft.graph.vppTokenState'duplicateLocationId'")}`)).toEqual([valid.id]);
      expect(await listed(`$filter=${encodeURIComponent("state ge 'expired'")}`)).toEqual([duplicate.id]);
      // 04:05:43-12:00 is 16:05:43Z, after 10:00:00Z: by instant, as $filter compares them.
      expect(await listed('$orderby=lastSyncDateTime')).toEqual([duplicate.id, valid.id]);
      expect(await listed('$orderby=lastSyncDateTime%20desc,state')).toEqual([valid.id, duplicate.id]);
      expect(await listed(`$filter=${encodeURIComponent('lastSyncDateTime gt 2029-01-24T12:00:00Z')}`)).toEqual([valid.id]);
      // A tie on the first key is ordered by the next.
      expect(await listed('$orderby=appleId,state%20desc')).toEqual([duplicate.id, valid.id]);
    });
  });

  // Outside tester R22 (decision 0471): Graph's DateTimeOffset holds 100 ns ticks, seven fraction digits (0440 reads
  // them to the digit); $filter and $orderby compared at the millisecond, so .0000001Z was taken as .000Z.
  it('compares DateTimeOffsets in $filter and $orderby at the precision written, past the millisecond', async () => {
    await withProvider({}, async (own) => {
      const [atTick, atZero] = [requests.buildAt(31), requests.buildAt(32)];
      const one = (await post(own, { ...atTick, lastSyncDateTime: '2026-01-01T00:00:00.0000001Z' })).body;
      const zero = (await post(own, { ...atZero, lastSyncDateTime: '2026-01-01T00:00:00Z' })).body;
      const listed = async (query: string) => {
        const answer = await call(own, `/beta/deviceAppManagement/vppTokens?${query}&$select=id`, { headers: AUTH });
        expect(answer.status).toBe(200);
        return answer.body.value.map((t: { id: string }) => t.id);
      };
      const filtered = (expression: string) => listed(`$filter=${encodeURIComponent(expression)}`);
      expect(await filtered('lastSyncDateTime gt 2026-01-01T00:00:00Z')).toEqual([one.id]);
      expect(await filtered('lastSyncDateTime gt 2026-01-01T00:00:00.0000001Z')).toEqual([]);
      expect(await filtered('lastSyncDateTime ge 2026-01-01T00:00:00.0000001Z')).toEqual([one.id]);
      expect(await filtered('lastSyncDateTime eq 2026-01-01T00:00:00.0000001Z')).toEqual([one.id]);
      expect(await filtered('lastSyncDateTime lt 2026-01-01T00:00:00.00000005Z')).toEqual([zero.id]);
      // The same instant however it is written: trailing zeros, another offset.
      expect(await filtered('lastSyncDateTime eq 2026-01-01T01:00:00.00000010+01:00')).toEqual([one.id]);
      expect(await filtered('lastSyncDateTime eq 2025-12-31T23:00:00.000-01:00')).toEqual([zero.id]);
      expect(await listed('$orderby=lastSyncDateTime%20desc')).toEqual([one.id, zero.id]);
      expect(await listed('$orderby=lastSyncDateTime')).toEqual([zero.id, one.id]);
    });
  });

  // Outside tester H14: "On the beta endpoint, the $ prefix is optional" (Graph's query parameters page).
  it('takes an option without its $ on /beta as Graph beta does; on /v1.0, where Graph takes it for some APIs only, says it does not model it', async () => {
    const beta = await call(provider, `/beta/deviceAppManagement/vppTokens?filter=${encodeURIComponent("displayName eq 'Bravo'")}&select=id&Count=true&top=5`, { headers: AUTH });
    expect(beta.body).toEqual({ '@odata.context': `${provider.url}/beta/$metadata#deviceAppManagement/vppTokens(id)`, '@odata.count': 1, value: [{ id: ids[0] }] });
    expect((await call(provider, '/beta/deviceAppManagement/vppTokens?top=abc', { headers: AUTH })).body.error.message).toBe('Invalid value for $top: "abc"; it must be a whole number from 1 to 999.');
    expect((await call(provider, '/beta/deviceAppManagement/vppTokens?top=1&$top=2', { headers: AUTH })).body.error.message).toBe("The query specified in the URI is not valid. Query option 'Top' was specified more than once, but it must be specified at most once.");
    expect((await call(provider, '/beta/deviceAppManagement/vppTokens?search=x', { headers: AUTH })).status).toBe(501);
    const v1 = await call(provider, '/v1.0/deviceAppManagement/vppTokens?top=1', { headers: AUTH });
    expect([v1.status, v1.body.error.message]).toEqual([501, "The option 'top' without its $ is not modelled by the mock under v1.0: Graph v1.0 takes the $-less spelling for some APIs only; write $top (docs/decisions/0182)."]);
  });

  it('pages a filtered list with a nextLink that carries the query on, and ignores parameters that are not OData options', async () => {
    const first = await list(`$filter=${encodeURIComponent('displayName ne null')}&$top=1&$select=id&tenant=contoso`);
    expect(first.body.value).toEqual([{ id: ids[0] }]);
    const link = new URL(first.body['@odata.nextLink']);
    expect(link.searchParams.get('$filter')).toBe('displayName ne null');
    expect(link.searchParams.has('tenant')).toBe(false);
    const next = await call(provider, link.pathname + link.search, { headers: AUTH });
    expect(next.body.value).toEqual([{ id: ids[1] }]);
    expect(next.body['@odata.nextLink']).toBeUndefined();
  });

  it.each([
    ['$top=abc', 400, 'Invalid value for $top: "abc"; it must be a whole number from 1 to 999.'],
    ['$skip=-1', 400, 'Invalid value for $skip: "-1"; it must be a whole number of 0 or more.'],
    ['$select=id,nope', 400, "Could not find a property named 'nope' on type 'microsoft.graph.vppToken'."],
    ['$select=id,,state', 400, 'Syntax error in $select: an empty item in "id,,state".'],
    ['$filter=nope eq 1', 400, "Could not find a property named 'nope' on type 'microsoft.graph.vppToken'."],
    ["$filter=id eq 'a' or", 400, 'Syntax error at position 9 in $filter "id eq \'a\' or".'],
    ['$orderby=roleScopeTagIds', 400, 'The $orderby expression must evaluate to a single value of primitive type: roleScopeTagIds is a collection.'],
    // Decision 1242: an expression in $orderby is bound (400 for what Graph refuses), 501 where the mock does not model it.
    ['$orderby=tolower(nope)', 400, "Could not find a property named 'nope' on type 'microsoft.graph.vppToken'."],
    ["$orderby=concat(displayName,'a')", 501, "The function concat(displayName,'a') in $orderby is not modelled by the mock (docs/decisions/0146)."],
    ["$orderby=concat(displayName,'a')&$filter=nope eq 1", 400, "Could not find a property named 'nope' on type 'microsoft.graph.vppToken'."],
    ['$expand=displayName', 400, "Property 'displayName' on type 'microsoft.graph.vppToken' is not a navigation property or complex property. Only navigation properties can be expanded."],
    ['$count=yes', 400, 'Invalid value for $count: "yes"; it must be true or false.'],
    ['$apply=groupby((state))', 400, "The query specified in the URI is not valid. Query option 'Apply' is not allowed."],
    ['$whatever=1', 400, "The query specified in the URI is not valid. Query option '$whatever' is not allowed."],
    ['$top=1&$TOP=2', 400, "The query specified in the URI is not valid. Query option 'Top' was specified more than once, but it must be specified at most once."],
    ['$format=xml', 406, 'The $format "xml" is not supported: Graph answers only JSON ($format=json or application/json).'],
    ['$search="abc"', 501, '$search is not modelled by the mock: Graph may answer it, the reference provider cannot answer it truly (docs/decisions/0146).'],
    // Outside tester H13: Graph's OData reader checks a comparison's types and an enum's members.
    ["$filter=automaticallyUpdateApps eq 'yes'", 400, "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'."],
    ["$filter=state eq 'bogus'", 400, "The string 'bogus' is not a valid enumeration type constant."],
    ["$filter=vppTokenAccountType eq microsoft.graph.vppTokenState'valid'", 400, "A binary operator with incompatible types was detected. Found operand types 'microsoft.graph.vppTokenAccountType' and 'microsoft.graph.vppTokenState' for operator kind 'Equal'."],
    ["$filter=lastSyncDateTime gt 'notadate'", 400, "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThan'."],
    ['$filter=displayName eq 5', 400, "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'."],
    ["$filter=startswith(state,'v')", 400, "No function signature for the function with name 'startswith' matches the specified arguments. The function signatures considered are: startswith(Edm.String Nullable=true, Edm.String Nullable=true)."],
    ["$filter=roleScopeTagIds/any(r: r eq '0')", 501, "The path roleScopeTagIds/any(r: r eq '0') in $filter is not modelled by the mock (a lambda, a cast or a path into a value; docs/decisions/0146)."],
    // Outside tester M12: a DateTimeOffset literal that names no instant, refused as a body's is.
    ...['2030-02-30T00:00:00Z', '2030-04-31T00:00:00Z', '2030-01-01T00:00:00+14:30', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59-01:00'].map(
      (date) => [`$filter=expirationDateTime gt ${date}`, 400, `Unrecognized 'Edm.DateTimeOffset' literal '${date}' in $filter: it names no instant .NET's DateTimeOffset holds (a day the month has, an offset within ±14:00, years 1 to 9999).`] as [string, number, string],
    ),
    // Outside tester M13: an unquoted GUID is an Edm.Guid literal, which the Edm.String id is not compared with.
    ['$filter=id eq 262624a3-85db-4b4e-8a3c-0c2a6a6f7e11', 400, "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Guid' for operator kind 'Equal'."],
    // Outside tester M14: $filter and not take a Boolean.
    ['$filter=not displayName', 400, "A unary operator with an incompatible type was detected. Found operand type 'Edm.String' for operator kind 'Not'."],
    ['$filter=displayName', 400, 'The $filter expression must evaluate to a single boolean value.'],
    ["$filter=displayName and state eq 'valid'", 400, "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Boolean' for operator kind 'And'."],
    // Outside tester M15, decisions 1193 and 1241: the kit reads comparisons as Graph's ParseComparison does, so a call or
    // a comparison in parentheses compared, on either side, is bound (Graph refuses a Boolean compared with a number)
    // and evaluated (the query options test above); a syntax error inside what is compared, or in another operand,
    // stays the client's.
    ["$filter=contains(displayName,'A') eq 1", 400, "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.Int32' for operator kind 'Equal'."],
    ["$filter=(displayName eq 'A') eq 1", 400, "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.Int32' for operator kind 'Equal'."],
    // Bound whole, as 1240 binds what the mock does not model: an unknown property beside a call compared is Graph's 400.
    ["$filter=automaticallyUpdateApps eq contains(displayName,'A') and nope eq 1", 400, "Could not find a property named 'nope' on type 'microsoft.graph.vppToken'."],
    ["$filter=automaticallyUpdateApps eq contains(tolower(displayName,'a')", 400, 'Syntax error at position 35 in $filter "automaticallyUpdateApps eq contains(tolower(displayName,\'a\')".'],
    ["$filter=automaticallyUpdateApps eq contains(displayName,)", 400, 'Syntax error at position 35 in $filter "automaticallyUpdateApps eq contains(displayName,)".'],
    ["$filter=(displayName eq) eq automaticallyUpdateApps", 400, 'Syntax error at position 12 in $filter "(displayName eq) eq automaticallyUpdateApps".'],
    ["$filter=contains(displayName,,) eq 1", 400, 'Syntax error at position 8 in $filter "contains(displayName,,) eq 1".'],
    ["$filter=displayName eq and contains(displayName,'A') eq 1", 400, 'Syntax error at position 18 in $filter "displayName eq and contains(displayName,\'A\') eq 1".'],
  ])("answers ?%s with %i and Graph's error body saying why", async (query, status, message) => {
    const answer = await list(encodeURI(query).replace(/\+/g, '%2B'));
    expect(answer.status).toBe(status);
    expect(problemsOf('error', answer.body)).toEqual([]);
    expect(answer.body.error.message).toBe(message);
  });

  // Outside tester H4: Graph's OpenAPI has GET /deviceAppManagement/vppTokens/$count (Kiota's vppTokens.count.get()).
  it('answers the /$count segment with the number of vppTokens as text/plain, filtered by $filter; it takes no other option and no POST', async () => {
    for (const path of ['/beta/deviceAppManagement/vppTokens/$count', '/deviceappmanagement/vpptokens/%24count']) {
      const response = await fetch(`${provider.url}${path}`, { headers: AUTH });
      expect([response.status, response.headers.get('content-type'), await response.text()]).toEqual([200, 'text/plain', '3']);
    }
    const filtered = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens/$count?$filter=${encodeURIComponent('displayName ne null')}`, { headers: AUTH });
    expect(await filtered.text()).toBe('2');
    expect((await call(provider, '/beta/deviceAppManagement/vppTokens/$count?$top=1', { headers: AUTH })).body.error.message).toBe("The query specified in the URI is not valid. Query option 'Top' is not allowed.");
    expect((await call(provider, '/beta/deviceAppManagement/vppTokens/$count?$search=%22x%22', { headers: AUTH })).status).toBe(501);
    const posted = await post(provider, requests.buildAt(21), AUTH, '/beta/deviceAppManagement/vppTokens/$count');
    expect([posted.status, posted.headers.get('allow')]).toEqual([405, 'GET, HEAD, OPTIONS']);
    expect(provider.vppTokens.size).toBe(3);
  });

  it('takes only $select, $expand and $format on one vppToken, and no option on a create', async () => {
    expect((await call(provider, `/deviceAppManagement/vppTokens/${ids[0]}?$top=1`, { headers: AUTH })).body.error.message).toBe("The query specified in the URI is not valid. Query option 'Top' is not allowed.");
    expect((await call(provider, `/deviceAppManagement/vppTokens/${ids[0]}?$filter=id%20eq%20'x'`, { headers: AUTH })).status).toBe(400);
    expect((await post(provider, requests.buildAt(20), AUTH, '/deviceAppManagement/vppTokens?$select=id')).status).toBe(400);
    expect(provider.vppTokens.size).toBe(3);
  });
});

describe('@odata.type', () => {
  it('is on the 201 body, on one vppToken read back and on each listed one', async () => {
    await withProvider({}, async (provider) => {
      const created = await post(provider, requests.buildAt(30));
      expect(created.status).toBe(201);
      expect(created.body['@odata.type']).toBe('#microsoft.graph.vppToken');
      expect(problemsOf('response', created.body)).toEqual([]);
      const one = await call(provider, `/deviceAppManagement/vppTokens/${created.body.id}`, { headers: AUTH });
      expect(one.body['@odata.type']).toBe('#microsoft.graph.vppToken');
      expect(problemsOf('response', one.body)).toEqual([]);
      const { '@odata.context': _c1, ...createdRest } = created.body;
      const { '@odata.context': _c2, ...oneRest } = one.body;
      expect(oneRest).toEqual(createdRest);
      const list = await call(provider, '/deviceAppManagement/vppTokens', { headers: AUTH });
      expect(list.body.value).toEqual([oneRest]);
    });
  });
});

describe('a bounded store', () => {
  it('answers 507 with Graph\'s error body once maxTokens are stored, and keeps what it has', async () => {
    await withProvider({ maxTokens: 2 }, async (provider) => {
      const first = await post(provider, requests.buildAt(40));
      expect((await post(provider, requests.buildAt(41))).status).toBe(201);
      const full = await post(provider, requests.buildAt(42));
      expect(full.status).toBe(507);
      expect(problemsOf('error', full.body)).toEqual([]);
      expect(full.body.error.code).toBe('InsufficientStorage');
      expect(full.body.error.message).toContain('2 vppTokens');
      expect(provider.vppTokens.size).toBe(2);
      expect((await call(provider, `/deviceAppManagement/vppTokens/${first.body.id}`, { headers: AUTH })).status).toBe(200);
    });
  });

  it('keeps at most maxStoredBytes of requests: the create that would pass it gets 507, and nothing is evicted', async () => {
    await withProvider({ maxStoredBytes: 6000 }, async (provider) => {
      const big = (i: number) => ({ ...requests.buildAt(i), displayName: 'x'.repeat(2500) });
      expect((await post(provider, big(50))).status).toBe(201);
      expect((await post(provider, big(51))).status).toBe(201);
      const full = await post(provider, big(52));
      expect(full.status).toBe(507);
      expect(problemsOf('error', full.body)).toEqual([]);
      expect(full.body.error.message).toMatch(/at most 6000 bytes of vppTokens .*--max-stored-bytes/);
      expect(provider.vppTokens.size).toBe(2);
      // A small one still fits.
      expect((await post(provider, { token: 'abcd' })).status).toBe(201);
    });
  });

  it('pages by bytes too: one-MiB tokens make pages of at most about 4 MiB that list every one, not one answer of them all', async () => {
    await withProvider({ bodyLimit: 2 * 1024 * 1024 }, async (provider) => {
      const ids = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const created = await post(provider, { ...requests.buildAt(60 + i), token: `${i}-${'t'.repeat(1024 * 1024)}` });
        expect(created.status).toBe(201);
        ids.add(created.body.id);
      }
      const seen: string[] = [];
      let path: string | undefined = '/beta/deviceAppManagement/vppTokens?$top=100';
      let pages = 0;
      while (path) {
        const response = await fetch(`${provider.url}${path}`, { headers: AUTH });
        const text = await response.text();
        expect(response.status).toBe(200);
        expect(Buffer.byteLength(text)).toBeLessThan(5 * 1024 * 1024);
        const body = JSON.parse(text);
        seen.push(...body.value.map((t: { id: string }) => t.id));
        const next: string | undefined = body['@odata.nextLink'];
        path = next === undefined ? undefined : new URL(next).pathname + new URL(next).search;
        pages++;
      }
      expect(pages).toBe(2);
      expect(new Set(seen)).toEqual(ids);
      expect(seen).toHaveLength(6);
    });
  });

  it('refuses a maxTokens that is not a whole number of at least 1', async () => {
    for (const maxTokens of [0, -1, 1.5, Number.NaN]) await expect(startReferenceProvider({ maxTokens })).rejects.toThrow(/maxTokens must be a whole number/);
  });
});

describe('a body over the limit', () => {
  const FIVE_MB = 'x'.repeat(5 * 1024 * 1024);

  it('gets its 413 read by the client every time (fetch, 20 times)', async () => {
    await withProvider({}, async (provider) => {
      for (let i = 0; i < 20; i++) {
        const { status, body } = await post(provider, `{"token":"${FIVE_MB}"}`);
        expect([i, status, body.error.code]).toEqual([i, 413, 'RequestEntityTooLarge']);
      }
      expect((await post(provider, requests.buildAt(50))).status).toBe(201);
    });
  });

  // Noticed last round (check-client's 4 MB test, 1 run in 6; here every time): the client closing after the 413,
  // mid-body, was recorded as a second request with no method ("Invalid EOF state").
  it('records a body cut off after its 413 as the one request it was, declared length and chunked', async () => {
    await withProvider({ recordTraffic: true }, async (provider) => {
      const connections = () => new Promise<number>((resolve, reject) => provider.server.getConnections((error, n) => (error ? reject(error) : resolve(n))));
      for (const chunked of [false, true]) {
        const big = `{"token":"${FIVE_MB}"}`;
        const body = chunked ? new Blob([big]).stream() : big;
        const { status } = await call(provider, '/beta/deviceAppManagement/vppTokens', { method: 'POST', headers: AUTH, body, duplex: 'half' } as RequestInit);
        expect(status).toBe(413);
      }
      // Every connection ended (the 413 closes its own): whatever the server would make of an end, it has by now.
      for (let waited = 0; (await connections()) > 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await connections()).toBe(0);
      expect(provider.traffic!.map((e) => [e.method, e.answer?.status])).toEqual([
        ['POST', 413],
        ['POST', 413],
      ]);
    });
  });

  // CI, Node 24 (check-client's 4 MB test): a client that read its 413 and exited before the mock had drained the
  // rest of its body was not in the traffic yet when check-client read it. The 413 is kept as it is written.
  it('keeps a 413 in the traffic as soon as it is written, while the rest of the body is still being drained', async () => {
    await withProvider({ recordTraffic: true }, async (provider) => {
      const { port } = new URL(provider.url);
      const socket = connect(Number(port), '127.0.0.1');
      try {
        const answered = new Promise<string>((resolve) => {
          let text = '';
          socket.on('data', (chunk: Buffer) => {
            text += chunk.toString('latin1');
            const head = text.indexOf('\r\n\r\n');
            const length = /content-length: (\d+)/i.exec(text);
            if (head >= 0 && length && text.length >= head + 4 + Number(length[1])) resolve(text);
          });
        });
        socket.write(`POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-token\r\nContent-Type: application/json\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\n{"token":"xxxx`);
        expect((await answered).slice(0, 12)).toBe('HTTP/1.1 413');
        // The connection is still open and the body unfinished: the drain has not ended, the answer is out.
        expect(provider.traffic!.map((e) => [e.method, e.answer?.status])).toEqual([['POST', 413]]);
      } finally {
        socket.destroy();
      }
    });
  });

  it('gets its 413 read by the client every time (node:http streaming, declared length and chunked, 20 times)', async () => {
    await withProvider({}, async (provider) => {
      const send = (chunked: boolean) =>
        new Promise<{ status: number; code: string }>((resolve, reject) => {
          const body = `{"token":"${FIVE_MB}"}`;
          const headers = chunked ? AUTH : { ...AUTH, 'Content-Length': String(Buffer.byteLength(body)) };
          const req = httpRequest(`${provider.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, code: JSON.parse(text).error.code }));
            res.on('error', reject);
          });
          req.on('error', reject);
          // Streamed in 64 KiB steps, as an upload from a file or a generator would be: the server answers
          // while the client is still writing.
          let at = 0;
          const step = () => {
            if (at >= body.length) return void req.end();
            req.write(body.slice(at, (at += 64 * 1024)));
            setImmediate(step);
          };
          step();
        });
      for (let i = 0; i < 20; i++) expect([i, await send(i % 2 === 1)]).toEqual([i, { status: 413, code: 'RequestEntityTooLarge' }]);
    });
  });
});

// Outside attacker L1: a refused head is recorded with what was wrong with it, which check-client reports alone.
describe('a head HTTP refuses', () => {
  /** Writes `head` on a connection of its own and resolves with the answer's status line once the server closes it. */
  const sendHead = (provider: ReferenceProvider, head: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(provider.port, '127.0.0.1', () => socket.write(head));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('error', reject);
      socket.on('close', () => resolve(text.split('\r\n')[0]));
    });

  it("is recorded with its status, Graph's code for it and the head's problem: 431 RequestHeaderFieldsTooLarge for one too large, 400 BadRequest for a bare LF", async () => {
    await withProvider({ recordTraffic: true }, async (provider) => {
      const big = `POST /beta/deviceAppManagement/vppTokens HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nContent-Length: 2\r\n\r\n{}`;
      expect(await sendHead(provider, big)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      expect(await sendHead(provider, 'POST /beta/deviceAppManagement/vppTokens HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}')).toBe('HTTP/1.1 400 Bad Request');
      expect(provider.traffic!.map((e) => [e.answer?.status, e.answer?.error?.code, e.refusedHead?.where, e.refusedHead?.rule])).toEqual([
        [431, 'RequestHeaderFieldsTooLarge', 'head', 'header syntax'],
        [400, 'BadRequest', 'head', 'header syntax'],
      ]);
      expect(provider.traffic![1].refusedHead?.message).toBe('ends its lines in a bare LF, not CRLF, which a sender must not do (RFC 9112 §2.2)');
    });
  });

  it('leaves a head Node takes unmarked: a correct create is recorded without a head problem', async () => {
    await withProvider({ recordTraffic: true }, async (provider) => {
      expect((await post(provider, requests.buildAt(0))).status).toBe(201);
      expect(provider.traffic!.map((e) => [e.answer?.status, e.refusedHead])).toEqual([[201, undefined]]);
    });
  });
});

// The request-target and Host as a server must read them (RFC 9112 §3.2), one rule for the mock, serve, check-client
// and the proxy (src/judgement/target.ts, src/wire/head.ts): outside findings N21, N22, N23, P14 (decision 0391).
describe('the request target and Host', () => {
  /** Sends `head` (and `body`) on a connection of its own, `Connection: close`; resolves with the answer once the server closes it. */
  const exchange = (provider: ReferenceProvider, head: string[], body = '') =>
    new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve, reject) => {
      const bytes = `${[...head, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'].join('\r\n')}\r\n\r\n${body}`;
      const socket = connect(provider.port, '127.0.0.1', () => socket.write(bytes));
      const chunks: Buffer[] = [];
      socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const end = text.indexOf('\r\n\r\n');
        const [start, ...lines] = text.slice(0, end).split('\r\n');
        const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
        resolve({ status: Number(start.split(' ')[1]), headers, body: text.slice(end + 4) });
      });
    });
  const BEARER = 'Authorization: Bearer test-token';
  const create = JSON.stringify(requests.buildAt(40));

  it.each([
    ['userinfo', 'a@evil.example', 'holds userinfo (an "@")'],
    ['userinfo with a password', 'admin:Pa55w0rd@evil.example', 'holds userinfo (an "@")'],
    ['a path', 'evil.example/x', 'holds a path, a query or a fragment'],
    ['a query', 'evil.example?x=1', 'holds a path, a query or a fragment'],
    ['a space', 'exa mple', 'holds a space or a control character'],
    ['an IP literal not closed', '[::1', 'opens an IP literal with "[" and never closes it'],
    ['an IP literal that is no IPv6 address', '[zz::1]', 'holds an IP literal that is no IPv6 address'],
    ['something after the IP literal', '[::1]x', 'has something other than ":" and a port after its IP literal'],
    ['a port that is no number', 'evil.example:8o', 'has a port that is not a number'],
    ['a character no host name has', 'evil"example', 'holds """, which no host name has'],
    // Outside tester R8: an empty host variable with its port kept; Location named no host.
    ['a port and no host', ':8080', 'has a port but no host'],
  ])('refuses a Host with %s with 400 before anything else, naming what is wrong and never the value', async (_how, host, message) => {
    await withProvider({ recordTraffic: true }, async (provider) => {
      for (const head of [['GET /beta/deviceAppManagement/vppTokens/$count HTTP/1.1', `Host: ${host}`, BEARER], ['POST /beta/deviceAppManagement/vppTokens HTTP/1.1', `Host: ${host}`, BEARER, 'Content-Type: application/json']]) {
        const answer = await exchange(provider, head, head[0].startsWith('POST') ? create : '');
        expect(answer.status).toBe(400);
        const { error } = JSON.parse(answer.body);
        expect(error.message).toBe(`header Host: ${error.message.slice('header Host: '.length)}`);
        expect(error.message).toContain(message);
        expect(error.message).toContain('a server must refuse it (RFC 9112 §3.2)');
        expect(error.message).not.toContain('Pa55w0rd');
      }
      expect(provider.vppTokens.size).toBe(0);
    });
  });

  it('takes a Host that is a host: a name (sub-delims and "_" too), an IPv4 or IPv6 address, with or without a port; the links name it', async () => {
    await withProvider({}, async (provider) => {
      for (const host of ['graph.contoso.example', 'vpp_mock:8080', `127.0.0.1:${provider.port}`, `[::1]:${provider.port}`, 'Graph.Contoso.Example', `[v1.fe80::a+en1]:${provider.port}`]) {
        const answer = await exchange(provider, ['POST /beta/deviceAppManagement/vppTokens HTTP/1.1', `Host: ${host}`, BEARER, 'Content-Type: application/json'], JSON.stringify(requests.buildAt(41 + host.length)));
        expect([host, answer.status]).toEqual([host, 201]);
        expect(answer.headers.location.startsWith(`http://${host.toLowerCase()}/beta/deviceAppManagement/vppTokens('`)).toBe(true);
      }
    });
  });

  // RFC 9112 §3.2.2: "the origin server MUST ignore the received Host header field ... and instead use the host information of the request-target".
  it("names the absolute-form target's scheme and authority in Location, @odata.context and nextLink, not the Host's; in a batch too", async () => {
    await withProvider({}, async (provider) => {
      const host = `Host: 127.0.0.1:${provider.port}`;
      const created = await exchange(provider, ['POST http://Graph.Contoso.Example/beta/deviceAppManagement/vppTokens HTTP/1.1', host, BEARER, 'Content-Type: application/json'], create);
      expect(created.status).toBe(201);
      const id = JSON.parse(created.body).id;
      expect(created.headers.location).toBe(`http://graph.contoso.example/beta/deviceAppManagement/vppTokens('${id}')`);
      expect(JSON.parse(created.body)['@odata.context']).toBe('http://graph.contoso.example/beta/$metadata#deviceAppManagement/vppTokens/$entity');
      await post(provider, requests.buildAt(42));
      const listed = JSON.parse((await exchange(provider, ['GET https://graph.contoso.example:8443/v1.0/deviceAppManagement/vppTokens?$top=1 HTTP/1.1', host, BEARER])).body);
      expect([listed['@odata.context'], listed['@odata.nextLink']]).toEqual(['https://graph.contoso.example:8443/v1.0/$metadata#deviceAppManagement/vppTokens', expect.stringMatching(/^https:\/\/graph\.contoso\.example:8443\/v1\.0\/deviceAppManagement\/vppTokens\?/)]);
      const batch = { requests: [{ id: '1', method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body: requests.buildAt(43) }] };
      const batched = JSON.parse((await exchange(provider, ['POST http://graph.contoso.example/beta/$batch HTTP/1.1', host, BEARER, 'Content-Type: application/json'], JSON.stringify(batch))).body);
      expect(batched.responses[0].headers.Location).toMatch(/^http:\/\/graph\.contoso\.example\/beta\/deviceAppManagement\/vppTokens\('/);
      // The origin-form still names the Host.
      expect((await exchange(provider, ['GET /beta/deviceAppManagement/vppTokens?$top=1 HTTP/1.1', 'Host: mock.example', BEARER])).body).toContain('"@odata.context":"http://mock.example/beta/$metadata#');
    });
  });

  // Outside tester R8: `http:///beta/...` (an empty host variable joined in) was created, `beta` read as its host.
  it.each(['http:///beta/deviceAppManagement/vppTokens', 'http://:8080/beta/deviceAppManagement/vppTokens'])('refuses the absolute-form %s, which names no host (RFC 9110 §4.2.1)', async (target) => {
    await withProvider({}, async (provider) => {
      const answer = await exchange(provider, [`POST ${target} HTTP/1.1`, `Host: 127.0.0.1:${provider.port}`, BEARER, 'Content-Type: application/json'], create);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error.message).toBe('The request target names no host (as "http:///..." does): an http(s) URI with an empty host is invalid, and its recipient must reject it (RFC 9110 §4.2.1).');
      expect(provider.vppTokens.size).toBe(0);
    });
  });

  it('refuses an absolute-form target with userinfo (RFC 9110 §4.2.4), never showing it', async () => {
    await withProvider({}, async (provider) => {
      const answer = await exchange(provider, ['POST http://admin:Pa55w0rd@graph.contoso.example/beta/deviceAppManagement/vppTokens HTTP/1.1', `Host: 127.0.0.1:${provider.port}`, BEARER, 'Content-Type: application/json'], create);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error.message).toBe('The request target names userinfo ("user@" before its host), which an http(s) URI must not carry (RFC 9110 §4.2.4): send the URL without it.');
      expect(provider.vppTokens.size).toBe(0);
    });
  });

  it('answers OPTIONS * (asterisk-form, RFC 9112 §3.2.4) with what the server takes, without a token; * with another method is 400', async () => {
    await withProvider({}, async (provider) => {
      const options = await exchange(provider, ['OPTIONS * HTTP/1.1', 'Host: 127.0.0.1']);
      expect([options.status, options.headers.allow, options.body]).toEqual([204, 'DELETE, GET, HEAD, OPTIONS, PATCH, POST', '']);
      for (const method of ['GET', 'POST']) {
        const answer = await exchange(provider, [`${method} * HTTP/1.1`, 'Host: 127.0.0.1', BEARER]);
        expect([method, answer.status, JSON.parse(answer.body).error.message]).toEqual([method, 400, 'The request target is the asterisk-form (*), which only a server-wide OPTIONS request takes (RFC 9112 §3.2.4).']);
      }
      // The Host rule comes first, for OPTIONS * too.
      expect((await exchange(provider, ['OPTIONS * HTTP/1.1'])).status).toBe(400);
    });
  });

  it('refuses a target holding a fragment (P14) and stores nothing; an escaped %23 is no fragment', async () => {
    await withProvider({}, async (provider) => {
      const fragment = 'The request target holds a fragment ("#..."), which is no part of a request target: a client leaves it out of what it sends (RFC 9112 §3.2: absolute-path [ "?" query ]; RFC 9110 §7.1).';
      for (const target of ['/beta/deviceAppManagement/vppTokens#created', '/beta/deviceAppManagement/vppTokens?$top=1#x', 'http://graph.contoso.example/beta/deviceAppManagement/vppTokens#']) {
        const answer = await exchange(provider, [`POST ${target} HTTP/1.1`, 'Host: 127.0.0.1', BEARER, 'Content-Type: application/json'], create);
        expect([target, answer.status, JSON.parse(answer.body).error.message]).toEqual([target, 400, fragment]);
      }
      expect(provider.vppTokens.size).toBe(0);
      const escaped = await exchange(provider, ['GET /beta/deviceAppManagement/vppTokens/abc%23def HTTP/1.1', 'Host: 127.0.0.1', BEARER]);
      expect(escaped.status).toBe(404);
    });
  });
});
