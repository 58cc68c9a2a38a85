// checkCreateRequest judges as HTTP and Graph do (docs/decisions/0015).
import { checkCreateRequest, formatRequestProblem, isJsonMediaType } from 'vpptokens-contract-kit';

const request = (body: string, contentType = 'application/json') => ({
  method: 'POST',
  path: '/deviceAppManagement/vppTokens',
  headers: { 'content-type': contentType, authorization: 'Bearer t' },
  body,
});

describe('media types', () => {
  it.each(['application/json', 'Application/JSON; Charset=UTF-8', 'application/json ; charset=utf-8', 'APPLICATION/JSON;odata.metadata=minimal'])('accepts %s', (type) => {
    expect(isJsonMediaType(type)).toBe(true);
  });
  it.each(['text/plain', 'application/jsonx', 'application/json-patch+json', ''])('refuses %j', (type) => {
    expect(isJsonMediaType(type)).toBe(false);
  });
});

describe('duplicate property names', () => {
  it.each([
    ['{"token":"a","token":"b"}', 'body /token'],
    ['{"token":"a","roleScopeTagIds":["0"],"tokenActionResults":[{},{"actionName":"x","actionName":null}]}', 'body /tokenActionResults/1/actionName'],
    ['{"token":"a","a~b/c":1,"a~b/c":2}', 'body /a~0b~1c'],
    ['{"token":"a","displayName":"\\"x\\"","displ\\u0061yName":"y"}', 'body /displayName'],
  ])('refuses %s at its pointer', (body, where) => {
    expect(checkCreateRequest(request(body)).map(formatRequestProblem)).toContain(`${where}: is given twice: Graph refuses a body with a duplicate property name`);
  });

  it('allows the same name in different objects, and in string values', () => {
    expect(checkCreateRequest(request('{"token":"\\"token\\":","tokenActionResults":[{"actionName":"a"},{"actionName":"a"}]}'))).toEqual([]);
  });
});

// Outside tester P19: a fetch-style server (Hono, Next.js route handlers, undici, Deno, Bun) has a Fetch API
// `Headers`; given one, checkCreateRequest read it as a record with no entries and said Content-Type and
// Authorization were required, of a request that had both. The one header reader takes it, a Map and an array of
// pairs, and refuses any other shape with a TypeError naming the shapes it takes.
describe('headers as a Fetch API Headers, a Map or pairs', () => {
  const body = '{"token":"a-token-of-the-client"}';
  const given = (headers: unknown) => checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: headers as never, body }).map(formatRequestProblem);
  const both = [['Content-Type', 'application/json'], ['Authorization', 'Bearer abcdefghijklmnopqrstuvwxyz']] as const;

  it('judges them as the record of the same lines', () => {
    expect(given(Object.fromEntries(both))).toEqual([]);
    expect(given(new Headers(both.map(([n, v]) => [n, v])))).toEqual([]);
    expect(given(new Map(both))).toEqual([]);
    expect(given(both)).toEqual([]);
    // The declarations take them too (the type check fails if this line does not compile).
    expect(checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: new Headers(Object.fromEntries(both)), body })).toEqual([]);
    expect(given(new Map<string, string | string[]>([['content-type', ['application/json']], ['authorization', 'Bearer abcdefghijklmnopqrstuvwxyz']]))).toEqual([]);
  });

  it('still finds what is missing or wrong in them', () => {
    expect(given(new Headers({ 'Content-Type': 'application/json' }))).toEqual(['header Authorization: is required: Bearer <access token>']);
    expect(given(new Map([['Authorization', 'Bearer abcdefghijklmnopqrstuvwxyz'], ['Content-Type', 'text/plain']]))).toEqual([expect.stringMatching(/^header Content-Type: /)]);
    // A Headers joins two Authorization lines into one value, which the bearer grammar refuses (raw lines say "given 2 times").
    const twice = new Headers([...both.map(([n, v]) => [n, v] as [string, string]), ['Authorization', 'Bearer another-token-of-the-client']]);
    expect(given(twice)).toEqual([expect.stringMatching(/^header Authorization: /)]);
  });

  it.each([
    ['a string', 'Content-Type: application/json', 'a string'],
    ['null', null, 'null'],
    ['an array of other things', [['Content-Type', 'application/json', 'x']], 'an array of other things'],
    ['an iterable of other things', new Set(['Content-Type']), 'an iterable of other things'],
  ])('refuses %s with what it takes', (_, headers, got) => {
    expect(() => given(headers)).toThrow(new TypeError(`headers must be Node's rawHeaders (an array of names and values), an object of names and values, a Headers, a Map or an array of [name, value] pairs (got ${got})`));
  });
});

// Outside attacker R106 (decision 0952): checkCreateRequest judges the path after the version prefix; given one, in any
// spelling, it says so in words fit for any caller (a library test, compare), not of a mock the caller has not started.
describe('a path given with its version prefix', () => {
  const path = (p: string) => checkCreateRequest({ ...request('{}'), path: p }).filter((x) => x.where === 'path').map((x) => x.message);
  it.each([
    ['/beta/deviceAppManagement/vppTokens', '/beta'],
    ['/%62eta/deviceAppManagement/vppTokens', '/beta'],
    ['/v1%2E0/deviceAppManagement/vppTokens', '/v1.0'],
  ])('refuses %s naming its prefix %s, and no mock', (p, version) => {
    expect(path(p)).toEqual([`must be /deviceAppManagement/vppTokens (got ${p}): the path is judged after its Graph version prefix (${version}), which the base URL carries: give the path without ${version}`]);
  });
  it('takes the path without it', () => {
    expect(path('/deviceAppManagement/%76ppTokens')).toEqual([]);
  });
});
