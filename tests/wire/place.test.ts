// placeOf: the one reading of where a problem is (src/wire/place.ts), which the reference provider's refusal
// decides by instead of slicing the display text.
import { placeOf } from '../../src/wire';

describe('placeOf', () => {
  it.each([
    ['method', { part: 'method' }],
    ['path', { part: 'path' }],
    ['head', { part: 'head' }],
    ['header Content-Type', { part: 'header', name: 'Content-Type' }],
    ['header line 3', { part: 'header line', line: 3 }],
    ['body', { part: 'body' }],
    ['body (root)', { part: 'body', pointer: '' }],
    ['body /tokenActionResults/0/actionName', { part: 'body', pointer: '/tokenActionResults/0/actionName' }],
  ])('reads %j', (where, place) => {
    expect(placeOf(where)).toEqual(place);
  });

  it('keeps a place it does not know as it came, never mistaking it for a header or the body', () => {
    expect(placeOf('headers')).toEqual({ part: 'other', where: 'headers' });
    expect(placeOf('bodyguard')).toEqual({ part: 'other', where: 'bodyguard' });
    expect(placeOf('header line x')).toEqual({ part: 'header', name: 'line x' });
  });
});
