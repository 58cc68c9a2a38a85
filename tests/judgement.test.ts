import { judgeCreatedAnswer, judgeRejectedAnswer, valuesThatComeBack, createRequestFactory, createdVppToken } from 'vpptokens-contract-kit';

const json = 'application/json;odata.metadata=minimal;charset=utf-8';
const sent = createRequestFactory.withSeed(3).withTraits('full').buildAt(0);
const created = createdVppToken(sent, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date('2026-01-01T00:00:00Z') });
const answer = (status: number, body: unknown, contentType = json) => ({ status, headers: { 'Content-Type': contentType }, body: JSON.stringify(body) });

describe('judgeCreatedAnswer', () => {
  it('passes a 201 with a valid body and the values the client set', () => {
    expect(judgeCreatedAnswer(sent, answer(201, created))).toEqual([]);
    expect(judgeCreatedAnswer(sent, answer(201, created, 'Application/JSON; Charset=UTF-8'))).toEqual([]);
  });

  it.each([
    ['not a server error', answer(500, { error: { code: 'x', message: 'y' } })],
    ['status', answer(200, created)],
    ['content type', answer(201, created, 'text/plain')],
    ['response schema', answer(201, { ...created, roleScopeTagIds: 'a' })],
    ['values back', answer(201, { ...created, displayName: 'another name' })],
  ])('fails for its own reason: %s', (check, bad) => {
    const problems = judgeCreatedAnswer(sent, bad);
    expect(problems.map((p) => p.check)).toContain(check);
  });

  it('names the property whose value did not come back', () => {
    const problems = judgeCreatedAnswer(sent, answer(201, { ...created, automaticallyUpdateApps: !sent.automaticallyUpdateApps }));
    expect(problems).toEqual([expect.objectContaining({ check: 'values back', where: 'body /automaticallyUpdateApps' })]);
  });
});

describe('valuesThatComeBack', () => {
  it('holds the admin-set properties the client sent, and nothing the service owns', () => {
    expect(Object.keys(valuesThatComeBack(sent)).sort()).toEqual(
      ['appleId', 'automaticallyUpdateApps', 'claimTokenManagementFromExternalMdm', 'countryOrRegion', 'dataSharingConsentGranted', 'displayName', 'roleScopeTagIds', 'vppTokenAccountType'],
    );
    expect(valuesThatComeBack({ token: 'x' })).toEqual({});
    expect(valuesThatComeBack({ token: 'x', displayName: null, roleScopeTagIds: [] })).toEqual({ displayName: null });
  });
});

describe('judgeRejectedAnswer', () => {
  const error = { error: { code: 'BadRequest', message: 'no' } };
  it('passes the expected status with Graph\'s error body', () => {
    expect(judgeRejectedAnswer([400], answer(400, error))).toEqual([]);
  });
  it.each([
    ['not a server error', answer(500, error)],
    ['status', answer(201, created)],
    ['response schema', answer(400, { message: 'Bad Request' })],
    ['content type', answer(400, error, 'text/html')],
  ])('fails for its own reason: %s', (check, bad) => {
    expect(judgeRejectedAnswer([400], bad).map((p) => p.check)).toContain(check);
  });
});
