// drift: the kit's schemas against excerpts of Microsoft's real metadata (tests/drift/metadata/, each with its
// source and commit in its header), and against copies with one change each.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KNOWN_DIFFERENCES, drift, formatDrift, type DriftFinding } from 'vpptokens-contract-kit/drift';

const metadata = (name: string) => join(__dirname, 'metadata', name);
const dir = mkdtempSync(join(tmpdir(), 'vppkit-drift-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of a committed excerpt with one change: `from` must occur exactly once. */
function changed(name: string, from: string, to: string): string {
  const text = readFileSync(metadata(name), 'utf8');
  expect(text.split(from)).toHaveLength(2);
  const file = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(file, text.replace(from, to));
  return file;
}

const brief = (f: DriftFinding) => ({ where: f.where, change: f.change, impact: f.impact, kit: f.kit, graph: f.graph, pointer: `${f.schema.file}#${f.schema.pointer}` });

describe('the committed schemas against the committed excerpts of Graph\'s metadata', () => {
  it.each([
    ['beta-vppToken.csdl.xml', 'beta'],
    ['v1.0-vppToken.csdl.xml', 'v1.0'],
    ['v1.0-vppToken.openapi.yaml', 'v1.0'],
  ] as const)('%s (%s): no drift; every difference is one a decision explains', async (file, profile) => {
    const report = await drift({ metadata: metadata(file), profile });
    expect(report.unexplained.map(brief)).toEqual([]);
    expect(report.passed).toBe(true);
    for (const f of report.findings) expect(existsSync(join(__dirname, '..', '..', 'docs', 'decisions', readdirSync(join(__dirname, '..', '..', 'docs', 'decisions')).find((d) => d.startsWith(`${f.explainedBy}-`)) ?? 'none'))).toBe(true);
  });

  it('each known difference still occurs in the metadata (none is kept after Graph or the kit changed)', async () => {
    const seen = new Set<string>();
    for (const [file, profile] of [['beta-vppToken.csdl.xml', 'beta'], ['v1.0-vppToken.csdl.xml', 'v1.0']] as const) {
      for (const f of (await drift({ metadata: metadata(file), profile })).findings) seen.add(`${f.where} ${f.change}`);
    }
    expect(KNOWN_DIFFERENCES.map((k) => `${k.where} ${k.change}`).filter((k) => !seen.has(k))).toEqual([]);
  });

  it('Microsoft\'s 2023 beta OpenAPI (the one in the reference) lags the CSDL: drift, each for its own reason', async () => {
    const report = await drift({ metadata: metadata('beta-vppToken.openapi.yaml'), profile: 'beta' });
    expect(report.passed).toBe(false);
    expect(report.unexplained.map((f) => `${f.where}: ${f.change}`)).toEqual([
      'vppToken.appleDeviceAppDeliveryProtocolType: property removed',
      'vppTokenActionResult: derived type removed',
      'vppTokenActionResult.actionFailureReason: property removed',
      'vppTokenActionResult.failedLicensesCount: property removed',
      'vppTokenActionResult.totalLicensesCount: property removed',
      'appleDeviceDeliveryProtocol: type missing',
      'vppTokenActionFailureReason: type missing',
    ]);
    expect(formatDrift(report)).toMatch(/beta-vppToken\.openapi\.yaml \(OpenAPI\): 7 differences \(7 breaking for clients and providers\), 1 explained$/);
  });
});

describe('a copy of the beta CSDL with one change is drift of its own kind', () => {
  const csdl = 'beta-vppToken.csdl.xml';
  it.each([
    [
      'a property added to vppToken',
      changed(csdl, '        <Property Name="appleId" Type="Edm.String">', '        <Property Name="appleIdVerified" Type="Edm.Boolean" Nullable="false" />\n        <Property Name="appleId" Type="Edm.String">'),
      { where: 'vppToken.appleIdVerified', change: 'property added', impact: 'additive', kit: undefined, graph: 'Edm.Boolean', pointer: 'vpp-token.schema.json#/properties/appleIdVerified' },
    ],
    [
      'a property added to the closed vppTokenActionResult',
      changed(csdl, '        <Property Name="actionName" Type="Edm.String">', '        <Property Name="correlationId" Type="Edm.String" />\n        <Property Name="actionName" Type="Edm.String">'),
      { where: 'vppTokenActionResult.correlationId', change: 'property added', impact: 'breaking for providers', kit: undefined, graph: 'Edm.String, nullable', pointer: 'vpp-token-action-result.schema.json#/anyOf/0/properties/correlationId' },
    ],
    [
      'a property removed',
      changed(csdl, '        <Property Name="locationName" Type="Edm.String">\n          <Annotation Term="Org.OData.Core.V1.Description" String="Token location returned from Apple VPP." />\n        </Property>\n', ''),
      { where: 'vppToken.locationName', change: 'property removed', impact: 'breaking for clients and providers', kit: 'Edm.String, nullable', graph: undefined, pointer: 'vpp-token.schema.json#/properties/locationName' },
    ],
    [
      'a type changed',
      changed(csdl, '<Property Name="countryOrRegion" Type="Edm.String">', '<Property Name="countryOrRegion" Type="graph.countryCode">'),
      { where: 'vppToken.countryOrRegion', change: 'type changed', impact: 'breaking for clients and providers', kit: 'Edm.String, nullable', graph: 'countryCode, nullable', pointer: 'vpp-token.schema.json#/properties/countryOrRegion' },
    ],
    [
      'a property become nullable',
      changed(csdl, '<Property Name="automaticallyUpdateApps" Type="Edm.Boolean" Nullable="false">', '<Property Name="automaticallyUpdateApps" Type="Edm.Boolean">'),
      { where: 'vppToken.automaticallyUpdateApps', change: 'nullability changed', impact: 'breaking for clients and providers', kit: 'Edm.Boolean', graph: 'Edm.Boolean, nullable', pointer: 'vpp-token.schema.json#/properties/automaticallyUpdateApps' },
    ],
    [
      'a length given to a string (decision 0214: the kit sets none where Graph sets none)',
      changed(csdl, '<Property Name="appleId" Type="Edm.String">', '<Property Name="appleId" Type="Edm.String" MaxLength="254">'),
      { where: 'vppToken.appleId', change: 'length changed', impact: 'breaking for clients and providers', kit: 'Edm.String, nullable', graph: 'Edm.String, nullable, at most 254 characters', pointer: 'vpp-token.schema.json#/properties/appleId' },
    ],
    [
      'an enum member added',
      changed(csdl, '        <Member Name="duplicateLocationId" Value="5" />\n', '        <Member Name="duplicateLocationId" Value="5" />\n        <Member Name="revoked" Value="6" />\n'),
      { where: 'vppTokenState.revoked', change: 'member added', impact: 'breaking for clients and providers', kit: undefined, graph: 'revoked', pointer: 'vpp-token-state.schema.json#/enum' },
    ],
    [
      'a member added after unknownFutureValue (clients must ask for it)',
      changed(csdl, '        <Member Name="unknownFutureValue" Value="3" />\n', '        <Member Name="unknownFutureValue" Value="3" />\n        <Member Name="appleSchoolManager" Value="4" />\n'),
      { where: 'appleDeviceDeliveryProtocol.appleSchoolManager', change: 'member added', impact: 'additive', kit: undefined, graph: 'appleSchoolManager', pointer: 'apple-device-delivery-protocol.schema.json#/enum' },
    ],
    [
      'an enum member removed',
      changed(csdl, '        <Member Name="duplicateLocationId" Value="5" />\n', ''),
      { where: 'vppTokenState.duplicateLocationId', change: 'member removed', impact: 'breaking for clients and providers', kit: 'duplicateLocationId', graph: undefined, pointer: 'vpp-token-state.schema.json#/enum/5' },
    ],
    [
      'a derived action result added',
      changed(csdl, '      <ComplexType Name="vppTokenRevokeLicensesActionResult"', '      <ComplexType Name="vppTokenSyncLicensesActionResult" BaseType="graph.vppTokenActionResult" />\n      <ComplexType Name="vppTokenRevokeLicensesActionResult"'),
      { where: 'vppTokenActionResult', change: 'derived type added', impact: 'breaking for clients and providers', kit: undefined, graph: 'vppTokenSyncLicensesActionResult', pointer: 'vpp-token-action-result.schema.json#/anyOf' },
    ],
  ])('%s', async (_what, file, expected) => {
    const report = await drift({ metadata: file, profile: 'beta' });
    expect(report.unexplained.map(brief)).toEqual([expected]);
    expect(report.passed).toBe(false);
  });

  it('MaxLength="max" is no length, as none is', async () => {
    const report = await drift({ metadata: changed(csdl, '<Property Name="appleId" Type="Edm.String">', '<Property Name="appleId" Type="Edm.String" MaxLength="max">'), profile: 'beta' });
    expect(report.unexplained.map(brief)).toEqual([]);
  });

  it('a maxLength in Microsoft\'s OpenAPI is the same finding', async () => {
    const file = changed('v1.0-vppToken.openapi.yaml', '          appleId:\n', '          appleId:\n            maxLength: 254\n');
    const report = await drift({ metadata: file, profile: 'v1.0' });
    expect(report.unexplained.map((f) => `${f.where}: ${f.change}: ${f.graph}`)).toEqual(['vppToken.appleId: length changed: Edm.String, nullable, at most 254 characters']);
  });

  it('the same change in Microsoft\'s OpenAPI is the same finding', async () => {
    const file = changed('v1.0-vppToken.openapi.yaml', '      - assignedToExternalMDM\n', '');
    const report = await drift({ metadata: file, profile: 'v1.0' });
    expect(report.unexplained.map((f) => `${f.where}: ${f.change}: ${f.impact}`)).toEqual(['vppTokenState.assignedToExternalMDM: member removed: breaking for clients and providers']);
  });
});

describe('metadata it cannot use is refused with one line saying why', () => {
  it.each([
    ['not well-formed XML, with the line and column', () => changed('v1.0-vppToken.csdl.xml', '<Property Name="appleId" Type="Edm.String" />', '<Property Name="appleId" Type="Edm.String">'), /is not well-formed XML: line \d+, column \d+/],
    ['XML that is not CSDL', () => { const f = join(dir, 'x.xml'); writeFileSync(f, '<html><body/></html>'); return f; }, /is not CSDL: its root element is <html>/],
    ['CSDL without vppToken', () => changed('v1.0-vppToken.csdl.xml', '<EntityType Name="vppToken" BaseType="graph.entity">', '<EntityType Name="vppTokenRenamed" BaseType="graph.entity">'), /has no vppToken type/],
    ['YAML that is not OpenAPI', () => { const f = join(dir, 'x.yaml'); writeFileSync(f, 'name: x\nlist:\n  - a\n'); return f; }, /neither CSDL \(XML\) nor an OpenAPI document/],
  ])('%s', async (_what, make, message) => {
    await expect(drift({ metadata: make(), profile: 'v1.0' })).rejects.toThrow(message);
  });
});

describe('reading linearly', () => {
  it('stops at the end of the microsoft.graph schema: what follows is never read, even if it is not XML', async () => {
    const file = changed('v1.0-vppToken.csdl.xml', '  </edmx:DataServices>\n</edmx:Edmx>\n', `  </edmx:DataServices>\n</edmx:Edmx>\n${'<<< not XML >>>\n'.repeat(1000)}`);
    expect((await drift({ metadata: file, profile: 'v1.0' })).passed).toBe(true);
  });

  it('finds the types among thousands of others, in chunks split anywhere (a 5 MB file)', async () => {
    const filler = Array.from({ length: 20_000 }, (_, i) => `      <EntityType Name="filler${i}" BaseType="graph.entity">\n        <Property Name="value" Type="Edm.String" />\n      </EntityType>\n`).join('');
    const file = changed('v1.0-vppToken.csdl.xml', '      <EntityType Name="entity" Abstract="true">', `${filler}      <EntityType Name="entity" Abstract="true">`);
    const report = await drift({ metadata: file, profile: 'v1.0' });
    expect(report.passed).toBe(true);
    expect(report.findings.map((f) => f.where)).toEqual(['vppToken.token']);
  });
});
