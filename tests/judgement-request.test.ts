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
