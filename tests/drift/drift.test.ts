// drift: the kit's schemas against excerpts of Microsoft's real metadata (tests/drift/metadata/, each with its
// source and commit in its header), and against copies with one change each.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isScalar, parse as parseYaml, parseDocument as parseYamlDocument, stringify as stringifyYaml, visit as visitYaml } from 'yaml';
import { problemsOf, vppTokenFactory } from 'vpptokens-contract-kit';
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

  it('an enum become flags (CSDL IsFlags="true"): Graph may answer members joined by commas, which the kit refuses (decision 0640)', async () => {
    const report = await drift({ metadata: changed(csdl, '<EnumType Name="vppTokenAccountType">', '<EnumType Name="vppTokenAccountType" IsFlags="true">'), profile: 'beta' });
    expect(report.unexplained.map(brief)).toEqual([
      { where: 'vppTokenAccountType', change: 'flags changed', impact: 'breaking for clients and providers', kit: 'one member a value', graph: 'flags: members joined by commas', pointer: 'vpp-token-account-type.schema.json#/enum' },
    ]);
    expect(report.passed).toBe(false);
    expect(formatDrift(report)).toContain('vppTokenAccountType: flags changed (kit: one member a value; Graph: flags: members joined by commas): breaking for clients and providers');
    // Why it breaks: the value such a Graph may send is one the kit's schema refuses.
    const answer = vppTokenFactory.withSeed(3).buildAt(0);
    expect(problemsOf('response', { ...answer, vppTokenAccountType: 'business' })).toEqual([]);
    expect(problemsOf('response', { ...answer, vppTokenAccountType: 'business,education' }).map((p) => p.pointer)).toEqual(['/vppTokenAccountType']);
  });

  it('IsFlags="false", as written by some tools, is the enum the kit has: no drift', async () => {
    const report = await drift({ metadata: changed(csdl, '<EnumType Name="vppTokenAccountType">', '<EnumType Name="vppTokenAccountType" IsFlags="false">'), profile: 'beta' });
    expect(report.unexplained.map(brief)).toEqual([]);
  });

  it.each([
    ['x-ms-enum-flags: isFlags: true (Microsoft\'s spelling, OpenAPI.OData and Kiota)', '      x-ms-enum-flags:\n        isFlags: true\n', ['vppTokenAccountType: flags changed: breaking for clients and providers']],
    ['x-ms-enum-flags in flow style', '      x-ms-enum-flags: { isFlags: true }\n', ['vppTokenAccountType: flags changed: breaking for clients and providers']],
    ['x-ms-enum-flags: isFlags: false (the same as none)', '      x-ms-enum-flags:\n        isFlags: false\n', []],
  ])('in Microsoft\'s OpenAPI, %s', async (_what, extension, expected) => {
    const file = changed('v1.0-vppToken.openapi.yaml', '      description: Possible types of an Apple Volume Purchase Program token.\n', `      description: Possible types of an Apple Volume Purchase Program token.\n${extension}`);
    const report = await drift({ metadata: file, profile: 'v1.0' });
    expect(report.unexplained.map((f) => `${f.where}: ${f.change}: ${f.impact}`)).toEqual(expected);
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

describe('the same metadata spelled another way is the same metadata', () => {
  const csdl = 'beta-vppToken.csdl.xml';
  const same = async (file: string) => {
    const report = await drift({ metadata: file, profile: 'beta' });
    expect(report.unexplained.map(brief)).toEqual([]);
    expect(report.findings.map((f) => `${f.where}: ${f.change}`)).toEqual((await drift({ metadata: metadata(csdl), profile: 'beta' })).findings.map((f) => `${f.where}: ${f.change}`));
  };
  /** The committed CSDL with every `graph.` qualified name spelled `alias.` and the schema's Alias set to it. */
  const aliased = (alias: string) => {
    const file = join(dir, `${alias}-${Math.random().toString(36).slice(2)}.xml`);
    writeFileSync(file, readFileSync(metadata(csdl), 'utf8').replace('Alias="graph"', `Alias="${alias}"`).replace(/"(Collection\()?graph\./g, `"$1${alias}.`));
    return file;
  };

  // CSDL XML 4.01 §3.3 and §5.1.2: a qualified name is the schema's namespace or its alias, a dot, the name.
  it.each(['g', 'msgraph', 'Graph'])('the schema\'s alias spelled %s (CSDL 4.01 §5.1.2: whatever the schema declares)', async (alias) => {
    await same(aliased(alias));
  });

  it('every type spelled with the namespace, no alias declared', async () => {
    const file = join(dir, 'namespace.xml');
    writeFileSync(file, readFileSync(metadata(csdl), 'utf8').replace(' Alias="graph"', '').replace(/"(Collection\()?graph\./g, '"$1microsoft.graph.'));
    await same(file);
  });

  it('a name left by a tool that renamed the alias but not every use of it: `graph`, undeclared, is still Graph\'s', async () => {
    const file = join(dir, 'leftover.xml');
    writeFileSync(file, readFileSync(aliased('g'), 'utf8').replace('Type="Collection(g.vppTokenActionResult)"', 'Type="Collection(graph.vppTokenActionResult)"'));
    await same(file);
  });

  // Outside finding R67 (decision 0643): a document's schemas are one model; a base type declared in another schema
  // (Graph's CSDL has many: microsoft.graph.security, microsoft.graph.callRecords, ...) gives its properties all the same.
  const APPLE_ID = '        <Property Name="appleId" Type="Edm.String">\n          <Annotation Term="Org.OData.Core.V1.Description" String="The apple Id associated with the given Apple Volume Purchase Program Token." />\n        </Property>\n';
  /** The committed CSDL with vppToken's appleId moved to an abstract base type in a schema of its own, placed `where`. */
  const baseElsewhere = (where: 'after' | 'before', baseType: string, declared = true) => {
    const schema = `    <Schema Namespace="microsoft.graph.devices" Alias="dev" xmlns="http://docs.oasis-open.org/odata/ns/edm">\n      <EntityType Name="${declared ? 'appleTokenBase' : 'otherBase'}" BaseType="microsoft.graph.entity" Abstract="true">\n${APPLE_ID}      </EntityType>\n    </Schema>\n`;
    let text = readFileSync(metadata(csdl), 'utf8');
    expect(text.split(APPLE_ID)).toHaveLength(2);
    text = text.replace(APPLE_ID, '').replace('<EntityType Name="vppToken" BaseType="graph.entity">', `<EntityType Name="vppToken" BaseType="${baseType}">`);
    text = where === 'after' ? text.replace('    </Schema>\n', `    </Schema>\n${schema}`) : text.replace('    <Schema Namespace="microsoft.graph"', `${schema}    <Schema Namespace="microsoft.graph"`);
    const file = join(dir, `base-${where}-${Math.random().toString(36).slice(2)}.xml`);
    writeFileSync(file, text);
    return file;
  };

  it.each([
    ['after the microsoft.graph schema, by its alias', 'after', 'dev.appleTokenBase'],
    ['before it, by its alias', 'before', 'dev.appleTokenBase'],
    ['after it, by its namespace', 'after', 'microsoft.graph.devices.appleTokenBase'],
  ] as const)('vppToken\'s base type declared in another schema of the document, %s', async (_what, where, baseType) => {
    await same(baseElsewhere(where, baseType));
  });

  // The other half of R67, kept: an enum moved to another namespace is another type (its qualified name, which a
  // $filter literal and a client's type lookup spell, changed), and the kit's enum is no longer Graph's of that name.
  it('an enum moved to another schema is a change of the property\'s type, and the kit\'s enum is missing from microsoft.graph', async () => {
    const ENUM = '      <EnumType Name="vppTokenAccountType">\n        <Member Name="business" Value="0" />\n        <Member Name="education" Value="1" />\n      </EnumType>\n';
    const text = readFileSync(metadata(csdl), 'utf8');
    expect(text.split(ENUM)).toHaveLength(2);
    const file = join(dir, 'enum-elsewhere.xml');
    writeFileSync(file, text.replace(ENUM, '').replace('Type="graph.vppTokenAccountType"', 'Type="enums.vppTokenAccountType"').replace('    </Schema>\n', `    </Schema>\n    <Schema Namespace="microsoft.graph.enums" Alias="enums" xmlns="http://docs.oasis-open.org/odata/ns/edm">\n${ENUM}    </Schema>\n`));
    const report = await drift({ metadata: file, profile: 'beta' });
    expect(report.unexplained.map((f) => `${f.where}: ${f.change} (${f.graph ?? 'none'})`)).toEqual(['vppToken.vppTokenAccountType: type changed (enums.vppTokenAccountType)', 'vppTokenAccountType: type missing (none)']);
  });

  it('a base type no schema of the document declares gives nothing: its properties are removed, id too', async () => {
    const report = await drift({ metadata: baseElsewhere('after', 'dev.appleTokenBase', false), profile: 'beta' });
    expect(report.unexplained.map((f) => `${f.where}: ${f.change}`)).toEqual(['vppToken.appleId: property removed', 'vppToken.id: property removed']);
  });

  it('a name by a qualifier that is neither declared nor graph resolves to no type of the kit\'s: a change', async () => {
    const file = join(dir, 'undeclared.xml');
    writeFileSync(file, readFileSync(aliased('g'), 'utf8').replace('Type="g.vppTokenState"', 'Type="gr.vppTokenState"'));
    const report = await drift({ metadata: file, profile: 'beta' });
    expect(report.unexplained.map((f) => `${f.where}: ${f.change} (${f.kit}; ${f.graph})`)).toEqual(['vppToken.state: type changed (vppTokenState; gr.vppTokenState)']);
  });

  it('an alias declared for another namespace is that namespace, even when it is spelled graph', async () => {
    const text = readFileSync(aliased('g'), 'utf8')
      .replace('<edmx:DataServices>', '<edmx:Reference Uri="https://example.com/other.xml"><edmx:Include Namespace="contoso.other" Alias="graph" /></edmx:Reference>\n  <edmx:DataServices>')
      .replace('Type="g.vppTokenState"', 'Type="graph.vppTokenState"');
    const file = join(dir, 'other-graph.xml');
    writeFileSync(file, text);
    const report = await drift({ metadata: file, profile: 'beta' });
    expect(report.unexplained.map((f) => `${f.where}: ${f.change} (${f.kit}; ${f.graph})`)).toEqual(['vppToken.state: type changed (vppTokenState; contoso.other.vppTokenState)']);
  });

  // XML 1.0 §4.3.3: every XML processor MUST read UTF-16; Windows PowerShell 5.1's `>` and Out-File write it, with
  // a byte order mark, and leave the download's own declaration (encoding="utf-8") as it was.
  it.each([
    ['UTF-16LE with its byte order mark, declaring utf-16', (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('encoding="utf-8"', 'encoding="utf-16"'), 'utf16le')])],
    ['UTF-16LE with its byte order mark, still declaring utf-8 (PowerShell 5.1 saving $metadata)', (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16BE with its byte order mark', (text: string) => Buffer.from([0xfe, 0xff, ...Buffer.from(text, 'utf16le').swap16()])],
    ['UTF-16LE without a byte order mark (XML 1.0 Appendix F: 3C 00 3F 00)', (text: string) => Buffer.from(text, 'utf16le')],
    ['UTF-8 with a byte order mark', (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
  ])('%s', async (_what, encode) => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.xml`);
    writeFileSync(file, encode(readFileSync(metadata(csdl), 'utf8')));
    await same(file);
  });

  it('a UTF-16 CSDL split across reads anywhere (a 5 MB file: chunks end mid-character)', async () => {
    const filler = Array.from({ length: 20_000 }, (_, i) => `      <EntityType Name="filler\u00e9${i}" BaseType="graph.entity">\n        <Property Name="value\u{1F600}" Type="Edm.String" />\n      </EntityType>\n`).join('');
    const text = readFileSync(metadata(csdl), 'utf8').replace('      <EntityType Name="entity" Abstract="true">', `${filler}      <EntityType Name="entity" Abstract="true">`);
    const file = join(dir, 'big-utf16.xml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    await same(file);
  });

  it('UTF-32, which XML does not require, is named and refused with how to save it as UTF-8', async () => {
    const file = join(dir, 'utf32.xml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x00]), Buffer.from(Array.from('<?xml version="1.0"?>', (c) => [c.charCodeAt(0), 0, 0, 0]).flat())]));
    await expect(drift({ metadata: file, profile: 'beta' })).rejects.toThrow(/is UTF-32LE, not UTF-8 or UTF-16 \(it starts with the byte-order mark FF FE 00 00\): save it as UTF-8, e\.g\. iconv/);
  });

  it('UTF-16 that is not (a lone surrogate) is refused for what it is, not as \'not XML\'', async () => {
    const file = join(dir, 'bad-utf16.xml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0"?>\n<edmx:Edmx', 'utf16le'), Buffer.from([0x00, 0xd8, 0x41, 0x00])]));
    await expect(drift({ metadata: file, profile: 'beta' })).rejects.toThrow(/is not UTF-16LE: /);
  });
});

describe('Microsoft\'s OpenAPI in any YAML spelling is the same document (YAML 1.2: indentation, key order, flow style, quoting are the writer\'s)', () => {
  const yamlFile = 'v1.0-vppToken.openapi.yaml';
  const source = () => readFileSync(metadata(yamlFile), 'utf8');
  const written = (text: string | Buffer, ext = 'yaml') => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.${ext}`);
    writeFileSync(file, text);
    return file;
  };
  const summary = async (file: string) => {
    const report = await drift({ metadata: file, profile: 'v1.0' });
    return { findings: report.findings.map((f) => `${f.where}: ${f.change}: ${f.kit}; ${f.graph}`), passed: report.passed, format: report.metadata.format };
  };
  /** A copy in another spelling must say what the committed spelling says, and that must be something (not nothing). */
  const same = async (file: string) => {
    const expected = await summary(metadata(yamlFile));
    expect(expected.findings).toEqual(['vppToken.token: nullability changed: Edm.String; Edm.String, nullable']);
    expect(await summary(file)).toEqual(expected);
  };
  // A change in the copy must show too: the reader read the copy, not something else.
  const changedToo = async (text: string) => {
    const report = await drift({ metadata: written(text), profile: 'v1.0' });
    expect(report.unexplained.map((f) => `${f.where}: ${f.change}`)).toEqual(['vppTokenState.assignedToExternalMDM: member removed']);
  };
  const withoutMember = () => { const d = parseYaml(source()); d.components.schemas['microsoft.graph.vppTokenState'].enum.pop(); return d; };

  it.each([
    ['indented by 4 (PyYAML\'s indent=4)', { indent: 4 }],
    ['keys sorted, so openapi: comes after components: (PyYAML\'s default dump)', { sortMapEntries: true }],
    ['flow style throughout, which is YAML, not JSON', { collectionStyle: 'flow' }],
    ['keys and strings double-quoted', { defaultKeyType: 'QUOTE_DOUBLE', defaultStringType: 'QUOTE_DOUBLE' }],
    ['keys and strings single-quoted', { defaultKeyType: 'QUOTE_SINGLE', defaultStringType: 'QUOTE_SINGLE' }],
    ['indented by 3, sequences indented under their key', { indent: 3, indentSeq: true }],
  ] as const)('%s', async (_what, options) => {
    await same(written(stringifyYaml(parseYaml(source()), options)));
    await changedToo(stringifyYaml(withoutMember(), options));
  });

  it('collections of scalars in flow style inside block style (older PyYAML\'s default_flow_style=None), an entry on one line', async () => {
    const document = parseYamlDocument(source());
    visitYaml(document, { Seq: (_key, node) => { if (node.items.every((item) => isScalar(item))) node.flow = true; } });
    (document.getIn(['components', 'schemas', 'microsoft.graph.vppTokenSyncStatus']) as { flow: boolean }).flow = true;
    const text = document.toString({ lineWidth: 0 });
    expect(text).toMatch(/^ {4}microsoft\.graph\.vppTokenSyncStatus: \{/m);
    await same(written(text));
  });

  it('an alias to an anchor in another entry of components.schemas (read as the whole document)', async () => {
    const text = source().replace('    microsoft.graph.vppTokenState:\n', '    microsoft.graph.vppTokenState: &state\n') + '';
    const aliased = text.replace('\n  responses:\n', '\n    microsoft.graph.vppTokenStateAgain: *state\n  responses:\n');
    expect(aliased).toContain('*state');
    await same(written(aliased));
  });

  it.each([
    ['as published', {}],
    ['indented by 4', { indent: 4 }],
    ['keys sorted', { sortMapEntries: true }],
    ['keys double-quoted', { defaultKeyType: 'QUOTE_DOUBLE' }],
  ] as const)('block YAML %s is read line by line, up to what is needed: what follows is never read, even if it is not YAML', async (_what, options) => {
    const text = `${stringifyYaml(parseYaml(source()), options)}zzz: [unclosed\n`;
    await same(written(text));
  });

  it('a document marker, a directive and comments at the top level', async () => {
    await same(written(`%YAML 1.2\n---\n# Graph\n${source().replace('components:\n', '# the schemas\ncomponents:  # here\n')}...\n`));
  });

  it.each([
    ['UTF-16LE with its byte order mark (YAML 1.2 §5.2: a reader MUST take UTF-16)', (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-8 with a byte order mark', (text: string) => `\uFEFF${text}`],
  ])('%s', async (_what, encode) => {
    await same(written(encode(source())));
  });

  it('JSON, pretty or on one line', async () => {
    await same(written(JSON.stringify(parseYaml(source()), null, 2), 'json'));
    await same(written(JSON.stringify(parseYaml(source())), 'json'));
  });

  it.each([
    ['YAML that is not YAML, with its line', 'openapi: 3.0.1\ncomponents:\n  schemas: [unclosed\n', /is not YAML: .*line \d+/],
    ['a quoted YAML document that is not OpenAPI', '"name": "x"\n"components":\n  "schemas": {}\n', /neither CSDL \(XML\) nor an OpenAPI document/],
    ['flow YAML that is not OpenAPI', '{name: x, list: [a, b]}\n', /neither CSDL \(XML\) nor an OpenAPI document/],
    ['OpenAPI without Graph\'s schemas', 'openapi: 3.0.1\ncomponents:\n    schemas:\n        Pet: {type: object}\n', /has no components\.schemas of microsoft\.graph/],
  ])('%s is refused for what it is', async (_what, text, message) => {
    await expect(drift({ metadata: written(text), profile: 'v1.0' })).rejects.toThrow(message);
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
