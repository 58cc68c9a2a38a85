import { REFERENCE_DATE, createRequestFactory, graphErrorFactory, readAppleSToken, vppTokenActionResultFactory, vppTokenFactory, vppTokenTraits, type VppTokenTrait } from 'vpptokens-contract-kit';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GRAPH_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}(Z|[+-]\d\d:\d\d)$/;

describe('build, buildList, buildAt', () => {
  it('is deterministic per seed and index', () => {
    const a = createRequestFactory.withSeed(42);
    const b = createRequestFactory.withSeed(42);
    expect(a.buildList(5)).toEqual(b.buildList(5));
    expect(a.buildAt(3)).toEqual(createRequestFactory.withSeed(42).buildList(4)[3]);
    expect(createRequestFactory.withSeed(43).buildAt(0)).not.toEqual(createRequestFactory.withSeed(42).buildAt(0));
  });

  it('advances a sequence per factory, and rewinds it', () => {
    const f = vppTokenFactory.withSeed(9);
    const first = f.build();
    expect(f.build()).not.toEqual(first);
    f.rewindSequence();
    expect(f.build()).toEqual(first);
  });

  it('rejects a bad seed, count or index with a clear message', () => {
    expect(() => createRequestFactory.withSeed(-1)).toThrow('seed must be an integer from 0 to 4294967295 (got -1)');
    expect(() => createRequestFactory.withSeed(1.5)).toThrow(RangeError);
    expect(() => createRequestFactory.buildList(-2)).toThrow('count must be a whole number (got -2)');
    expect(() => createRequestFactory.buildAt(Number.NaN)).toThrow('index must be a whole number');
  });
});

describe('overrides', () => {
  it('merge deeply, replace arrays, keep null and remove undefined', () => {
    const f = vppTokenFactory.withSeed(1).withTraits('withActionResults');
    const base = f.buildAt(0);
    const built = f.buildAt(0, {
      displayName: null,
      roleScopeTagIds: ['7'],
      tokenActionResults: [{ actionName: 'Sync', actionState: 'done', startDateTime: '2026-01-01T00:00:00Z', lastUpdatedDateTime: '2026-01-01T00:00:00Z' }],
      appleId: undefined,
    });
    expect(built.displayName).toBeNull();
    expect(built.roleScopeTagIds).toEqual(['7']);
    expect(built.tokenActionResults).toHaveLength(1);
    expect('appleId' in built).toBe(false);
    expect(built.token).toBe(base.token);
  });

  it('params() applies to every record; build overrides win', () => {
    const f = createRequestFactory.params({ displayName: 'Fleet A' });
    expect(f.buildList(3).map((r) => r.displayName)).toEqual(['Fleet A', 'Fleet A', 'Fleet A']);
    expect(f.build({ displayName: 'B' }).displayName).toBe('B');
  });
});

describe('traits', () => {
  const request = (...traits: VppTokenTrait[]) => createRequestFactory.withSeed(3).withTraits(...traits).buildAt(0);
  const response = (...traits: VppTokenTrait[]) => vppTokenFactory.withSeed(3).withTraits(...traits).buildAt(0);

  it('minimal request is the token alone', () => {
    expect(Object.keys(request('minimal'))).toEqual(['token']);
  });

  it('full request carries every client-settable property', () => {
    expect(Object.keys(request('full')).sort()).toEqual(
      ['@odata.type', 'appleDeviceAppDeliveryProtocolType', 'appleId', 'automaticallyUpdateApps', 'claimTokenManagementFromExternalMdm', 'countryOrRegion', 'dataSharingConsentGranted', 'displayName', 'expirationDateTime', 'lastSyncDateTime', 'lastSyncStatus', 'locationName', 'organizationName', 'roleScopeTagIds', 'state', 'token', 'tokenActionResults', 'vppTokenAccountType'],
    );
  });

  it('business and education set the account type', () => {
    expect(request('business').vppTokenAccountType).toBe('business');
    expect(response('education').vppTokenAccountType).toBe('education');
    expect(response('education').organizationName).toMatch(/School District|University|Academy|College|Public Schools/);
  });

  it('expired expires before the reference date; valid after it', () => {
    for (let i = 0; i < 50; i++) {
      const expired = vppTokenFactory.withTraits('expired').buildAt(i);
      expect(expired.state).toBe('expired');
      expect(Date.parse(expired.expirationDateTime)).toBeLessThan(REFERENCE_DATE.getTime());
      const valid = vppTokenFactory.buildAt(i);
      expect(valid.state).toBe('valid');
      expect(Date.parse(valid.expirationDateTime)).toBeGreaterThan(REFERENCE_DATE.getTime());
    }
    expect(request('minimal', 'expired')).toEqual({ token: expect.any(String), state: 'expired', expirationDateTime: expect.any(String) });
  });

  it('state and sync traits', () => {
    expect(response('invalid').state).toBe('invalid');
    expect(response('assignedToExternalMDM').state).toBe('assignedToExternalMDM');
    expect(response('syncFailed').lastSyncStatus).toBe('failed');
    expect(request('syncInProgress').lastSyncStatus).toBe('inProgress');
  });

  it('withActionResults adds one to three results', () => {
    const results = response('withActionResults').tokenActionResults;
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect(results.length).toBeLessThanOrEqual(3);
    expect(response().tokenActionResults).toEqual([]);
  });

  it('nulls makes every nullable property null', () => {
    const r = response('nulls');
    for (const key of ['appleId', 'countryOrRegion', 'displayName', 'locationName', 'organizationName', 'token'] as const) expect(r[key]).toBeNull();
    const q = request('nulls');
    expect(q.token).toEqual(expect.any(String));
    expect(q.displayName).toBeNull();
  });

  it('rejects an unknown trait, naming the known ones', () => {
    expect(() => createRequestFactory.withTraits('expierd' as VppTokenTrait)).toThrow(
      `unknown vppToken create request trait "expierd" (known: ${Object.keys(vppTokenTraits).join(', ')})`,
    );
  });
});

describe('realistic values', () => {
  it('looks like Graph and Apple data', () => {
    for (let i = 0; i < 20; i++) {
      const t = vppTokenFactory.withTraits('full').buildAt(i);
      expect(t.id).toMatch(GUID);
      expect(t.appleId).toMatch(/^[a-z-]+@[a-z0-9]+\.(com|edu)$/);
      expect(t.countryOrRegion).toMatch(/^[A-Z]{2}$/);
      expect(t.roleScopeTagIds[0]).toBe('0');
      for (const d of [t.expirationDateTime, t.lastModifiedDateTime, t.lastSyncDateTime]) expect(d).toMatch(GRAPH_DATE);
      const sToken = readAppleSToken(t.token!);
      expect(sToken?.orgName).toBe(t.organizationName);
      expect(Math.abs(Date.parse(sToken!.expDate.replace(/(\d\d)(\d\d)$/, '$1:$2')) - Date.parse(t.expirationDateTime))).toBeLessThan(1000);
    }
  });

  it('uses Z and offsets', () => {
    const dates = vppTokenFactory.buildList(40).map((t) => t.expirationDateTime);
    expect(dates.some((d) => d.endsWith('Z'))).toBe(true);
    expect(dates.some((d) => /[+-]\d\d:\d\d$/.test(d))).toBe(true);
  });

  it('builds action results and Graph errors', () => {
    const revoke = vppTokenActionResultFactory.withTraits('revokeLicenses', 'failed').build();
    expect(revoke['@odata.type']).toBe('#microsoft.graph.vppTokenRevokeLicensesActionResult');
    expect(revoke.actionState).toBe('failed');
    // The union narrows on @odata.type: only the derived type has the license counts.
    if (revoke['@odata.type'] !== '#microsoft.graph.vppTokenRevokeLicensesActionResult') throw new Error('not the derived type');
    expect(revoke.failedLicensesCount).toBeGreaterThan(0);
    const base = vppTokenActionResultFactory.withTraits('failed').build();
    expect(Object.keys(base).filter((k) => ['actionFailureReason', 'failedLicensesCount', 'totalLicensesCount'].includes(k))).toEqual([]);
    const error = graphErrorFactory.withTraits('unauthorized').build();
    expect(error.error.code).toBe('InvalidAuthenticationToken');
    expect(error.error.innerError?.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  // Outside tester M18: two statuses built the last one's body without a word (a test asking for a 400 got a 429).
  it('builds a Graph error of one status: two different status traits are refused, in one call or chained', () => {
    expect(() => graphErrorFactory.withTraits('badRequest', 'tooManyRequests')).toThrow(new RangeError('Graph error takes one trait, the status of the error (got 2: badRequest, tooManyRequests)'));
    expect(() => graphErrorFactory.withTraits('badRequest').withTraits('notFound')).toThrow(new RangeError('Graph error takes one trait, the status of the error (got 2: badRequest, notFound)'));
    expect(graphErrorFactory.withTraits('notFound', 'notFound').build().error.code).toBe(graphErrorFactory.withTraits('notFound').build().error.code);
    // A vppToken takes several traits at once.
    expect(() => vppTokenFactory.withTraits('expired', 'full')).not.toThrow();
  });
});

describe('create', () => {
  it('hands each record to the onCreate hook, in order', async () => {
    const seen: string[] = [];
    const f = createRequestFactory.withSeed(11).onCreate(async (r) => {
      seen.push(r.token);
      return { id: `id-${seen.length}` };
    });
    expect(await f.create<{ id: string }>()).toEqual({ id: 'id-1' });
    expect(await f.createList<{ id: string }>(2)).toEqual([{ id: 'id-2' }, { id: 'id-3' }]);
    expect(seen).toEqual(createRequestFactory.withSeed(11).buildList(3).map((r) => r.token));
  });

  it('says what to do without a hook', async () => {
    await expect(createRequestFactory.create()).rejects.toThrow('has no onCreate hook: call .onCreate(fn) first');
  });
});
