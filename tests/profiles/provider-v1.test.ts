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
