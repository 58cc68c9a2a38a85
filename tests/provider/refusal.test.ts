// How the reference provider (and `proxy --strict`) words its refusal of a create, from the judgement's problems
// (src/provider/refusal.ts): which status, which error code, and a message naming the header or the body.
import { checkCreateRequest } from 'vpptokens-contract-kit';
import { refusalOf } from '../../src/provider';

const bearer = ['Authorization', 'Bearer abc.def.ghi'];
const json = ['Content-Type', 'application/json'];
const body = JSON.stringify({ token: 'eyJ0b2tlbiI6ImEifQ==', displayName: 'x' });

function refusal(rawHeaders: string[], text: string | undefined) {
  const problems = checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders, body: text, ...(text === undefined ? {} : { bytes: Buffer.from(text) }) });
  const contentTypes: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === 'content-type') contentTypes.push(rawHeaders[i + 1]);
  return refusalOf(problems, contentTypes);
}

describe('refusalOf', () => {
  it('accepts a request the judgement accepts', () => {
    expect(refusal([...bearer, ...json], body)).toBeUndefined();
  });

  it('answers 401 for the Authorization header, before anything else', () => {
    expect(refusal([...json], 'not json')).toEqual({ status: 401, code: 'InvalidAuthenticationToken', message: 'Access token is empty.', headers: { 'WWW-Authenticate': 'Bearer' } });
  });

  it('answers 415 naming the media type, two Content-Type lines, or the content coding', () => {
    expect(refusal([...bearer, 'Content-Type', 'text/plain'], body)).toEqual({ status: 415, code: 'UnsupportedMediaType', message: 'The request body must be application/json (got "text/plain").' });
    expect(refusal([...bearer, ...json, ...json], body)).toEqual({ status: 415, code: 'UnsupportedMediaType', message: 'The request has 2 Content-Type headers; send one: application/json.' });
    expect(refusal([...bearer, ...json, 'Content-Encoding', 'zstd'], body)).toMatchObject({ status: 415, code: 'UnsupportedMediaType', message: expect.stringMatching(/^The request's Content-Encoding names "zstd", a coding the kit cannot undo/) });
  });

  it('answers 400 naming the header', () => {
    expect(refusal([...bearer, ...json, 'Host', 'a', 'Host', 'b'], body)).toMatchObject({ status: 400, code: 'BadRequest', message: expect.stringMatching(/^The request's Host header is given 2 times/) });
  });

  it('answers 400 for the body as a whole in one sentence, and for schema problems with their pointers', () => {
    expect(refusal([...bearer, ...json], '{"token": ')).toMatchObject({ status: 400, code: 'BadRequest', message: expect.stringMatching(/^The request body is not JSON: line 1, column \d+/) });
    expect(refusal([...bearer, ...json], '{}')).toMatchObject({ status: 400, problems: [{ pointer: '/token', message: 'is required', keyword: '' }] });
    expect(refusal([...bearer, ...json], '[]')).toMatchObject({ status: 400, code: 'BadRequest', problems: [{ pointer: '', keyword: '' }] });
    const two = refusal([...bearer, ...json], JSON.stringify({ token: 1, displayName: 2 }));
    expect(two).toMatchObject({ status: 400, code: 'BadRequest', message: expect.stringMatching(/^The request body is not a valid vppToken: 2 problems\.\n/) });
    expect(two?.problems?.map((p) => p.pointer).sort()).toEqual(['/displayName', '/token']);
  });
});
