// The reference provider speaks the profile of the version in the path: /v1.0 by v1.0, /beta and no prefix
// by beta (or by the profile it was started with, as check-client --profile v1.0 does).
import { problemsOf } from 'vpptokens-contract-kit';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';

const post = (url: string, body: unknown) =>
  fetch(`${url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' }, body: JSON.stringify(body) }).then(
    async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> & { error?: { message: string } } }),
  );

describe('the reference provider', () => {
  let provider: ReferenceProvider;
  beforeAll(async () => {
    provider = await startReferenceProvider();
  });
  afterAll(() => provider.close());

  it('refuses a beta-only property under /v1.0 and accepts it under /beta and without a prefix', async () => {
    const body = { token: 'abc', displayName: 'Contoso ABM token' };
    const v1 = await post(`${provider.url}/v1.0`, body);
    expect(v1.status).toBe(400);
    expect(v1.body.error!.message).toContain('/displayName: is not a known property');
    expect((await post(`${provider.url}/beta`, body)).status).toBe(201);
    expect((await post(provider.url, body)).status).toBe(201);
  });

  it('answers a v1.0 vppToken under /v1.0, with none of the beta-only properties', async () => {
    const created = await post(`${provider.url}/v1.0`, { token: 'abc', automaticallyUpdateApps: true });
    expect(created.status).toBe(201);
    expect(problemsOf('response', created.body, 'v1.0')).toEqual([]);
    expect(created.body).not.toHaveProperty('displayName');
    expect(created.body['@odata.context']).toBe(`${provider.url}/v1.0/$metadata#deviceAppManagement/vppTokens/$entity`);
    const beta = await post(`${provider.url}/beta`, { token: 'abc' });
    expect(problemsOf('response', beta.body)).toEqual([]);
    expect(beta.body).toHaveProperty('displayName', null);
  });

  // Outside tester R15 (decision 0474): Graph projects one resource per version. A vppToken created under /beta was
  // read under /v1.0 with its beta-only properties (and a beta-only state), and one created under /v1.0 was read under
  // /beta without beta's; each read now shows the version's own properties and enum members.
  it('answers a read of one vppToken in the version read: v1.0 properties under /v1.0, beta ones under /beta, whichever it was created under', async () => {
    const own = await startReferenceProvider();
    try {
      const get = (path: string) => fetch(`${own.url}${path}`, { headers: { Authorization: 'Bearer x' } }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> & { value?: Record<string, unknown>[] } }));
      // The same sToken twice under /beta: the second is duplicateLocationId, a member v1.0's vppTokenState lacks.
      const token = 'eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9';
      await post(`${own.url}/beta`, { token, displayName: 'Contoso ABM token', roleScopeTagIds: ['0', '7'] });
      const betaMade = await post(`${own.url}/beta`, { token, displayName: 'Second', locationName: 'Lisbon' });
      expect(betaMade.body.state).toBe('duplicateLocationId');
      const v1Made = await post(`${own.url}/v1.0`, { token: 'abc', automaticallyUpdateApps: true });
      for (const id of [betaMade.body.id, v1Made.body.id]) {
        const asV1 = await get(`/v1.0/deviceAppManagement/vppTokens/${id}`);
        expect([asV1.status, problemsOf('response', asV1.body, 'v1.0')]).toEqual([200, []]);
        expect(asV1.body).not.toHaveProperty('displayName');
        const asBeta = await get(`/beta/deviceAppManagement/vppTokens/${id}`);
        expect([asBeta.status, problemsOf('response', asBeta.body)]).toEqual([200, []]);
        expect(asBeta.body).toHaveProperty('displayName');
        expect(asBeta.body).toHaveProperty('roleScopeTagIds');
      }
      expect((await get(`/beta/deviceAppManagement/vppTokens/${betaMade.body.id}`)).body).toMatchObject({ displayName: 'Second', locationName: 'Lisbon', state: 'duplicateLocationId' });
      expect((await get(`/beta/deviceAppManagement/vppTokens/${v1Made.body.id}`)).body).toMatchObject({ displayName: null, automaticallyUpdateApps: true, roleScopeTagIds: ['0'] });
      // The list and a $filter on state alike, under v1.0: only v1.0's properties and members.
      const listed = await get('/v1.0/deviceAppManagement/vppTokens');
      expect(listed.body.value).toHaveLength(3);
      for (const item of listed.body.value!) expect(problemsOf('response', item, 'v1.0')).toEqual([]);
      const duplicates = await get(`/v1.0/deviceAppManagement/vppTokens?$filter=${encodeURIComponent("state eq 'duplicateLocationId'")}`);
      expect(duplicates.status).toBe(400);
      const betaList = await get('/beta/deviceAppManagement/vppTokens');
      for (const item of betaList.body.value!) expect(problemsOf('response', item)).toEqual([]);
      expect(betaList.body.value!.every((item) => 'displayName' in item)).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('judges requests without a prefix by the profile it was started with', async () => {
    const v1 = await startReferenceProvider({ profile: 'v1.0' });
    try {
      expect((await post(v1.url, { token: 'abc', locationName: 'x' })).status).toBe(400);
      expect((await post(`${v1.url}/beta`, { token: 'abc', locationName: 'x' })).status).toBe(201);
    } finally {
      await v1.close();
    }
  });
});
