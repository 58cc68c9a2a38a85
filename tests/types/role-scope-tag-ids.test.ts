import { problemsOf, vppTokenFactory } from 'vpptokens-contract-kit';

// The generated type says string[] (as Microsoft's typings do: tests/types/microsoft-typings.ts) while the schemas
// still allow what Graph's definition allows: a null item (docs/decisions/0050).
describe('roleScopeTagIds', () => {
  it('accepts null items in a request and a response, and still rejects other item types', () => {
    expect(problemsOf('request', { token: 't', roleScopeTagIds: ['0', null] })).toEqual([]);
    expect(problemsOf('response', { ...vppTokenFactory.withSeed(3).buildAt(0), roleScopeTagIds: [null] })).toEqual([]);
    expect(problemsOf('request', { token: 't', roleScopeTagIds: ['0', 7] }).map((p) => p.pointer)).toEqual(['/roleScopeTagIds/1']);
  });
});
