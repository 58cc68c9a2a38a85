// Where a problem is, as fields (src/wire/place.ts, docs/decisions/0165): a problem is made with its place, code
// that decides by it reads the fields, and the display text is made from them in one place.
import { at, atBody, atHeader, atHeaderLine, atReadBack, isAtHeader, placeOf, whereOf } from '../../src/wire';

describe('a place and its display text', () => {
  it.each([
    [at('method'), { part: 'method', where: 'method' }],
    [at('path'), { part: 'path', where: 'path' }],
    [at('query'), { part: 'query', where: 'query' }],
    [at('head'), { part: 'head', where: 'head' }],
    [at('status'), { part: 'status', where: 'status' }],
    [at('connection'), { part: 'connection', where: 'connection' }],
    [atHeader('Content-Type'), { part: 'header', header: 'Content-Type', where: 'header Content-Type' }],
    [atHeaderLine(3), { part: 'header', headerLine: 3, where: 'header line 3' }],
    [atBody(), { part: 'body', where: 'body' }],
    [atBody(''), { part: 'body', pointer: '', where: 'body (root)' }],
    [atBody('/tokenActionResults/0/actionName'), { part: 'body', pointer: '/tokenActionResults/0/actionName', where: 'body /tokenActionResults/0/actionName' }],
    [atReadBack('GET by id'), { part: 'read-back', read: 'GET by id', where: 'GET by id' }],
    [atReadBack('collection'), { part: 'read-back', read: 'collection', where: 'collection' }],
  ])('%j', (placed, expected) => {
    expect(placed).toEqual(expected);
    expect(whereOf(placed)).toBe(expected.where);
  });

  it('tells the body as a whole from its root value, and a header from a body value of the same text', () => {
    expect(atBody().pointer).toBeUndefined();
    expect(atBody('').pointer).toBe('');
    // A header named like a body place is still a header, and a property named `header x` still a body value.
    expect(atHeader('body').part).toBe('header');
    expect(atBody('/header x')).toEqual(expect.objectContaining({ part: 'body', pointer: '/header x' }));
  });

  it('placeOf takes a problem\'s place alone, to give another problem the same place', () => {
    const problem = { ...atHeader('Retry-After'), rule: 'repeated header', message: 'is given 2 times' };
    expect(placeOf(problem)).toEqual({ part: 'header', header: 'Retry-After', where: 'header Retry-After' });
    const schema = { ...atBody('/id'), message: 'x' };
    expect(placeOf(schema)).toEqual({ part: 'body', pointer: '/id', where: 'body /id' });
  });

  it('isAtHeader names a header in any case (RFC 9110), and nothing else', () => {
    expect(isAtHeader(atHeader('content-type'), 'Content-Type')).toBe(true);
    expect(isAtHeader(atHeader('Content-Encoding'), 'Content-Type')).toBe(false);
    expect(isAtHeader(atHeaderLine(2), 'Content-Type')).toBe(false);
    expect(isAtHeader(atBody('/Content-Type'), 'Content-Type')).toBe(false);
  });
});
