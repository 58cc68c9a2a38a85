import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import 'vpptokens-contract-kit/jest';
import { createRequestFactory, graphErrorFactory, vppTokenFactory } from 'vpptokens-contract-kit';
import { loopBack } from '../support/looped';

/** The message a matcher fails with (jest's own, colours stripped). */
function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message.replace(/\u001b\[\d+m/g, '');
  }
  throw new Error('the assertion passed');
}

const request = createRequestFactory.withSeed(5).buildAt(0);

describe('toBeValidVppTokenCreateRequest', () => {
  it('passes a valid request, and .not fails it saying so', () => {
    expect(request).toBeValidVppTokenCreateRequest();
    expect(failure(() => expect(request).not.toBeValidVppTokenCreateRequest())).toMatch(
      /expect\(received\)\.not\.toBeValidVppTokenCreateRequest\(\)\n\nExpected the value not to be a valid Graph beta vppToken create request, but it is\.$/,
    );
  });

  it('fails an invalid request with every problem by JSON pointer, and .not passes it', () => {
    const body = { ...request, state: 'String', token: '' };
    expect(body).not.toBeValidVppTokenCreateRequest();
    expect(failure(() => expect(body).toBeValidVppTokenCreateRequest())).toContain(
      'Expected a valid Graph beta vppToken create request, but found 2 problems:\n' +
        '  /state: must be one of unknown, valid, expired, invalid, assignedToExternalMDM, duplicateLocationId (got "String")\n' +
        '  /token: must not be empty',
    );
  });

  // Outside finding R87 (decision 0802): a mocked fetch's init.body is the create's JSON text. The matcher and its
  // asymmetric form say to parse it first, not "holds a VPP token"; .not passes it (a text is no create object).
  it('fails a create given as its JSON text saying to parse it first, as the asymmetric form does; .not passes it', () => {
    const text = JSON.stringify(request);
    expect(text).not.toBeValidVppTokenCreateRequest();
    const said = `(root): must be an object (got a string of ${text.length} characters, the JSON text of an object): JSON text, not the value it holds: parse it first (JSON.parse(text)), or it was encoded twice`;
    expect(failure(() => expect(text).toBeValidVppTokenCreateRequest())).toContain(`Expected a valid Graph beta vppToken create request, but found 1 problem:\n  ${said}`);
    expect(failure(() => expect({ body: text }).toEqual({ body: expect.toBeValidVppTokenCreateRequest() }))).toContain('"body": toBeValidVppTokenCreateRequest<>');
    // Both ways: the same text parsed is a valid create, in both forms.
    expect(JSON.parse(text)).toBeValidVppTokenCreateRequest();
    expect({ body: JSON.parse(text) }).toEqual({ body: expect.toBeValidVppTokenCreateRequest() });
  });

  // Outside tester M4: a value that refers to itself (a response object handed in place of its body) hung the run,
  // and jest's timeout could not fire. It fails at once, as no JSON value (decision 1261).
  it('fails a value with a cycle at once, with its problems, and .not passes it', () => {
    const body: Record<string, unknown> = { ...request };
    loopBack(body, 'self', body);
    expect(body).not.toBeValidVppTokenCreateRequest();
    expect(failure(() => expect(body).toBeValidVppTokenCreateRequest())).toMatch(/found 1 problem:\n {2}\(root\): must be a parsed JSON value \(got an object that holds itself: \/self is the value itself\)/);
  });

  it('judges by the profile it is given: a beta-only property is unknown in v1.0', () => {
    expect(request).toBeValidVppTokenCreateRequest('beta');
    expect(request).not.toBeValidVppTokenCreateRequest('v1.0');
    const message = failure(() => expect(request).toBeValidVppTokenCreateRequest('v1.0'));
    expect(message).toContain('toBeValidVppTokenCreateRequest("v1.0")');
    expect(message).toContain('Expected a valid Graph v1.0 vppToken create request, but found');
    expect(message).toMatch(/\n {2}\/displayName: is not a known property \(allowed: /);
    expect(createRequestFactory.withProfile('v1.0').buildAt(0)).toBeValidVppTokenCreateRequest('v1.0');
  });

  // Outside finding R58: a NaN from Number(x) of a missing field was said to be null, where null is allowed.
  it('says a NaN is NaN, not null', () => {
    const body = { token: request.token, roleScopeTagIds: [NaN] };
    expect(body).not.toBeValidVppTokenCreateRequest();
    const message = failure(() => expect(body).toBeValidVppTokenCreateRequest());
    expect(message).toContain('  /roleScopeTagIds/0: must be a string or null (got NaN)');
    expect(message).not.toContain('got null');
  });

  // Outside finding R59: a name cut to a length in UTF-16 units, mid-emoji, passed the matcher; vppkit validate and
  // check-client's mock refuse the JSON it is sent as.
  it('fails a create whose name was cut mid-emoji, as vppkit validate does, and passes the whole name', () => {
    const body = { token: request.token, displayName: 'Fleet 🚀 token'.slice(0, 7) };
    expect(body).not.toBeValidVppTokenCreateRequest();
    expect(failure(() => expect(body).toBeValidVppTokenCreateRequest())).toContain('found 1 problem:\n  /displayName: holds an unpaired surrogate (half of a UTF-16 pair alone');
    expect({ ...body, displayName: 'Fleet 🚀 token'.slice(0, 8) }).toBeValidVppTokenCreateRequest();
    expect({ ...vppTokenFactory.withSeed(5).buildAt(0), displayName: 'x\udfff' }).not.toBeValidVppToken();
  });

  it('never shows the token in its message', () => {
    const token = 'c2VjcmV0LXNUb2tlbi12YWx1ZQ==';
    const message = failure(() => expect({ token, state: 'bogus', extra: token }).toBeValidVppTokenCreateRequest());
    expect(message).toContain('/state: must be one of');
    expect(message).not.toContain(token);
  });

  it('refuses a profile it does not know', () => {
    // The declarations take only the kit's profiles: tsc --noEmit (npm test) fails if this line compiles.
    // @ts-expect-error 'v2' is not a Profile
    expect(() => expect(request).toBeValidVppTokenCreateRequest('v2')).toThrow('profile must be one of beta, v1.0 (got "v2")');
  });
});

describe('toBeValidVppToken', () => {
  it('passes a created vppToken of either profile, and names what a beta vppToken lacks', () => {
    expect(vppTokenFactory.buildAt(0)).toBeValidVppToken();
    const v1 = vppTokenFactory.withProfile('v1.0').buildAt(0);
    expect(v1).toBeValidVppToken('v1.0');
    const message = failure(() => expect(v1).toBeValidVppToken());
    expect(message).toContain('Expected a valid Graph beta vppToken, but found 6 problems:\n  /claimTokenManagementFromExternalMdm: is required');
    expect(failure(() => expect(v1).not.toBeValidVppToken('v1.0'))).toContain('Expected the value not to be a valid Graph v1.0 vppToken, but it is.');
  });
});

describe('toBeGraphError', () => {
  it('passes Graph\'s error body and fails anything else with its problems', () => {
    expect(graphErrorFactory.buildAt(0)).toBeGraphError();
    expect(graphErrorFactory.buildAt(0)).toBeGraphError('v1.0');
    expect({ error: { message: 'no code' } }).not.toBeGraphError();
    expect(failure(() => expect({ error: { message: 'no code' } }).toBeGraphError())).toContain(
      'Expected a valid Graph beta error body, but found 1 problem:\n  /error/code: is required',
    );
    expect(failure(() => expect(graphErrorFactory.buildAt(0)).not.toBeGraphError())).toContain('Expected the value not to be a valid Graph beta error body, but it is.');
  });
});

// Outside finding R80: `expect.toBeValidVppToken()` inside toHaveBeenCalledWith or toEqual failed saying only
// `toBeValidVppToken<>`, and TypeScript did not know it (these lines are type-checked by npm test's tsc).
describe('as asymmetric matchers', () => {
  const created = vppTokenFactory.withSeed(1).buildAt(0);
  const bad = { ...created, state: 'String' };

  /** What a failure says the matcher expected: jest's Expected part, before the received value it prints. */
  function expectedPart(message: string): string {
    return message.slice(message.indexOf('Expected'), message.search(/\nReceived|\n\+ Received/));
  }

  it('inside toHaveBeenCalledWith: a call with a valid vppToken passes; a failure lists the problems of the value, never its token', () => {
    const createVppToken = jest.fn();
    createVppToken(created);
    expect(createVppToken).toHaveBeenCalledWith(expect.toBeValidVppToken());
    const failing = jest.fn();
    failing(bad);
    const message = failure(() => expect(failing).toHaveBeenCalledWith(expect.toBeValidVppToken()));
    expect(message).toContain(
      'Expected: toBeValidVppToken<>\n' +
        '  Expected a valid Graph beta vppToken, but found 1 problem:\n' +
        '    /state: must be one of unknown, valid, expired, invalid, assignedToExternalMDM, duplicateLocationId (got "String")\n',
    );
    expect(expectedPart(message)).not.toContain(created.token);
  });

  it('inside toEqual and objectContaining, judged by the profile it is given', () => {
    const v1 = vppTokenFactory.withProfile('v1.0').buildAt(0);
    expect({ body: v1 }).toEqual({ body: expect.toBeValidVppToken('v1.0') });
    expect({ body: v1, status: 201 }).toEqual(expect.objectContaining({ body: expect.toBeValidVppToken('v1.0') }));
    const message = failure(() => expect({ body: v1 }).toEqual({ body: expect.toBeValidVppToken() }));
    expect(message).toContain('toBeValidVppToken<>\n');
    expect(message).toContain('Expected a valid Graph beta vppToken, but found 6 problems:\n');
    expect(message).toMatch(/\n- {5}\/claimTokenManagementFromExternalMdm: is required\n/);
    const inner = failure(() => expect({ body: bad, status: 201 }).toEqual(expect.objectContaining({ body: expect.toBeValidVppToken('v1.0') })));
    expect(inner).toContain('toBeValidVppToken<v1.0>\n');
    expect(inner).toContain('Expected a valid Graph v1.0 vppToken, but found');
  });

  it('expect.not: passes an invalid value, fails a valid one saying it is valid', () => {
    expect({ body: { ...request, token: '' } }).toEqual({ body: expect.not.toBeValidVppTokenCreateRequest() });
    const message = failure(() => expect({ body: request }).toEqual({ body: expect.not.toBeValidVppTokenCreateRequest() }));
    expect(message).toContain('not.toBeValidVppTokenCreateRequest<>\n');
    expect(message).toContain('Expected the value not to be a valid Graph beta vppToken create request, but it is.');
    expect({ error: { code: 'x', message: 'y' } }).toEqual(expect.toBeGraphError());
    expect(failure(() => expect({ error: {} }).toEqual(expect.toBeGraphError()))).toContain('/error/code: is required');
  });

  it('says each verdict once, numbered, however often jest asked', () => {
    const createVppToken = jest.fn();
    createVppToken(bad);
    createVppToken(bad);
    createVppToken({ ...created, displayName: 7 });
    const message = failure(() => expect(createVppToken).toHaveBeenCalledWith(expect.toBeValidVppToken()));
    expect(message).toContain('Expected: toBeValidVppToken<>, failed 2 ways:\n  1. Expected a valid Graph beta vppToken, but found 1 problem:\n       /state: must be one of');
    expect(message).toContain('\n  2. Expected a valid Graph beta vppToken, but found 1 problem:\n       /displayName: must be a string');
  });

  it('refuses a profile it does not know, in TypeScript too', () => {
    // @ts-expect-error 'v2' is not a Profile
    expect(() => expect(request).toEqual(expect.toBeValidVppTokenCreateRequest('v2'))).toThrow('profile must be one of beta, v1.0 (got "v2")');
    // @ts-expect-error 'v2' is not a Profile
    expect(() => expect(request).toEqual(expect.not.toBeValidVppTokenCreateRequest('v2'))).toThrow('profile must be one of beta, v1.0 (got "v2")');
  });
});

it('registers through setupFilesAfterEnv alone', async () => {
  const root = join(__dirname, '..', '..');
  const config = {
    rootDir: root,
    roots: ['<rootDir>/tests/jest/fixtures'],
    testMatch: ['**/registered.spec.ts'],
    // The suite's own TypeScript transform (swc; ts-jest under --coverage): a child jest's is a cold cache.
    transform: require('../../jest.config.js').transform,
    setupFilesAfterEnv: ['<rootDir>/src/jest/index.ts'],
  };
  const outcome = await promisify(execFile)(process.execPath, [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--ci', '--colors=false'], {
    cwd: root,
    env: { ...process.env, FORCE_COLOR: '0' },
  }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('✓ uses the registered matchers');
  expect(outcome.stderr).toContain('✕ fails with pointer-level problems');
  expect(outcome.stderr).toContain('/displayName: is not a known property');
  expect(outcome.stderr).toContain('Tests:       1 failed, 1 passed, 2 total');
});
