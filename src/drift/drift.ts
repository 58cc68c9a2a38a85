// Compares the kit's schemas with Microsoft's own description of Graph (CSDL or OpenAPI) for vppToken, the
// types it uses and their enums, so a change in Graph is noticed by a test, not by a person reading metadata.
import { DEFAULT_PROFILE, discriminatedUnion, flattenUnion, loadSchemas, schemaFor, toProfile, type JsonSchema, type Profile } from '../schemas';
import { optionsObjectProblem, pathProblem, argumentProblem, refuseArguments, membersProblem, shownArgument } from '../net/option';
import { cannotReadText, systemErrorLine } from '../net/system-error';
import { pointerSegment } from '../validation';
import { readCsdl } from './csdl';
import { MetadataError } from './error';
import { textHead } from './text';
import { readOpenApiMetadata } from './openapi-metadata';
import { allProperties, derivedTypes, kitEnums, propertiesOf, type MetadataModel, type PropertyShape } from './model';
import { KNOWN_DIFFERENCES, type KnownDifference } from './known';
import type { DriftChange, DriftImpact } from './change';

export interface DriftFinding {
  /** `vppToken.displayName`, `vppTokenState`, `vppTokenActionResult` (as Graph names them). */
  where: string;
  change: DriftChange;
  /** What the kit's schemas say, and what the metadata says (`Edm.String, nullable`, a member's name). */
  kit?: string;
  graph?: string;
  impact: DriftImpact;
  /** The kit's schema file and the JSON pointer in it that the finding is about. */
  schema: { file: string; pointer: string };
  /** The decision record that explains the difference, when it is one the kit keeps on purpose. */
  explainedBy?: string;
  why?: string;
}

export interface DriftReport {
  profile: Profile;
  metadata: { file: string; format: 'csdl' | 'openapi' };
  findings: DriftFinding[];
  /** Findings no decision explains: drift. */
  unexplained: DriftFinding[];
  passed: boolean;
}

export interface DriftOptions {
  metadata: string;
  profile?: Profile;
  /** Differences the kit keeps on purpose; default KNOWN_DIFFERENCES. */
  known?: readonly KnownDifference[];
}

/** The Graph types the kit models, by the schema that models them. */
const VIEWS = [
  { kind: 'response', type: 'vppToken' },
  { kind: 'request', type: 'vppToken' },
  { kind: 'actionResult', type: 'vppTokenActionResult' },
] as const;

const describe = (shape: PropertyShape | undefined) => (shape ? `${shape.type}${shape.nullable ? ', nullable' : ''}${shape.maxLength === undefined ? '' : `, at most ${shape.maxLength} characters`}` : undefined);

/** CSDL (XML) or OpenAPI (YAML or JSON), from the file's first characters (UTF-8 or UTF-16). */
export function metadataFormat(file: string): 'csdl' | 'openapi' {
  refuseArguments(pathProblem('file', file));
  const start = readingMetadata(file, () => textHead(file, 512)).replace(/^\uFEFF/, '').trimStart();
  if (start === '') throw new MetadataError(`${file} is empty`);
  return start.startsWith('<') ? 'csdl' : 'openapi';
}

/**
 * What `read` gives, a file that cannot be read said in the one table's words (decision 0355), as compare's and
 * seed's, a MetadataError: `readMetadata('nope.json')` rejected with Node's `ENOENT: no such file or directory, open
 * 'nope.json'` (outside check Y3). Any other error is the reader's own and passes.
 */
function readingMetadata<T>(file: string, read: () => T): T {
  const unreadable = (error: unknown): never => {
    throw systemErrorLine(error) === undefined ? error : new MetadataError(cannotReadText(file, error));
  };
  try {
    const value = read();
    return (value instanceof Promise ? value.catch(unreadable) : value) as T;
  } catch (error) {
    return unreadable(error);
  }
}

/** Reads what a metadata file says about the types the kit models (streaming; see readCsdl and readOpenApiMetadata). */
export async function readMetadata(file: string, profile: Profile = DEFAULT_PROFILE): Promise<{ format: 'csdl' | 'openapi'; model: MetadataModel }> {
  const notPath = pathProblem('file', file);
  if (notPath) throw new TypeError(notPath);
  const wanted = new Set<string>(['entity', ...VIEWS.filter((v) => loadSchemas(profile).has(fileOf(v.kind))).map((v) => v.type)]);
  const format = metadataFormat(file);
  const model = await readingMetadata(file, () => (format === 'csdl' ? readCsdl(file, wanted) : readOpenApiMetadata(file, wanted)));
  if (!model.types.has('vppToken')) throw new MetadataError(`${file} has no vppToken type (microsoft.graph.vppToken): is it Graph's metadata?`);
  return { format, model };
}

const FILES = { response: 'vpp-token.schema.json', request: 'vpp-token-create-request.schema.json', actionResult: 'vpp-token-action-result.schema.json' } as const;
const fileOf = (kind: keyof typeof FILES) => FILES[kind];

/**
 * Whom a difference breaks (docs/decisions/0072). Clients: code built to the kit's schemas and types, now
 * talking to Graph. Providers: a provider that behaves as Graph now does, judged by the kit (verify's schemas,
 * conform's requests, which use every value the schemas allow). A property Graph adds is additive where the
 * kit's schema is open (a vppToken answer) and breaks providers where it is closed (an action result).
 */
function impactOf(change: DriftChange, closed = false): DriftImpact {
  if (change === 'property added') return closed ? 'breaking for providers' : 'additive';
  return 'breaking for clients and providers';
}

/**
 * Compares the kit's schemas of `profile` with a metadata model: every property of vppToken (as answered and as
 * sent), of vppTokenActionResult with its derived types, and every enum they use. Each finding says where, what
 * each side says, and whom it breaks.
 */
export function compareWithMetadata(model: MetadataModel, profile: Profile = DEFAULT_PROFILE, known: readonly KnownDifference[] = KNOWN_DIFFERENCES): DriftFinding[] {
  refuseArguments(argumentProblem('model', model, 'object', "Graph's metadata as read, such as (await readMetadata(file)).model"), argumentProblem('known', known, 'array'));
  refuseArguments(model.types instanceof Map && model.enums instanceof Map ? undefined : `model must be Graph's metadata as read, such as (await readMetadata(file)).model, whose types and enums are Maps (got ${model.types instanceof Map ? 'enums' : 'types'} of ${shownArgument(model.types instanceof Map ? model.enums : model.types)})`);
  const findings: DriftFinding[] = [];
  const schemas = loadSchemas(profile);
  const add = (finding: DriftFinding) => {
    const explanation = known.find((k) => k.where === finding.where && k.change === finding.change && (k.profiles ?? [profile]).includes(profile) && (k.view === undefined || finding.schema.file === FILES[k.view]));
    findings.push(explanation ? { ...finding, explainedBy: explanation.decision, why: explanation.why } : finding);
  };
  const responseShapes = propertiesOf(schemaFor('response', profile));
  for (const view of VIEWS) {
    const file = fileOf(view.kind);
    if (!schemas.has(file)) continue;
    // A discriminated union (the action results) is compared as one type with its derived types' properties;
    // each finding points at the branch that has the property (the base one when neither has it).
    const union = discriminatedUnion(schemas.get(file));
    const kitSchema: JsonSchema = union ? flattenUnion(union) : schemas.get(file)!;
    const kitShapes = propertiesOf(kitSchema);
    const typePointer = union ? `/${union.keyword}` : '/properties/@odata.type/enum';
    const pointerOf = (name: string): string => {
      if (!union) return `/properties/${pointerSegment(name)}`;
      const branch = Math.max(0, union.branches.findIndex((b) => name in ((b.schema.properties ?? {}) as object)));
      return `/${union.keyword}/${branch}/properties/${pointerSegment(name)}`;
    };
    const closed = union ? union.branches.every((b) => b.schema.additionalProperties === false) : schemas.get(file)!.additionalProperties === false;
    if (!model.types.has(view.type)) {
      add({ where: view.type, change: 'type missing', kit: view.type, impact: 'breaking for clients and providers', schema: { file, pointer: '' } });
      continue;
    }
    const graphShapes = allProperties(model, view.type);
    if (view.kind === 'actionResult') {
      const kitDerived = ((kitSchema.properties as Record<string, { enum?: string[] }>)['@odata.type']?.enum ?? [])
        .map((t) => t.replace(/^#?(?:microsoft\.)?graph\./, ''))
        .filter((t, i, all) => t !== view.type && all.indexOf(t) === i);
      const graphDerived = derivedTypes(model, view.type);
      for (const name of graphDerived) {
        for (const [property, shape] of model.types.get(name)!.properties) if (!graphShapes.has(property)) graphShapes.set(property, shape);
        if (!kitDerived.includes(name)) add({ where: view.type, change: 'derived type added', graph: name, impact: impactOf('derived type added'), schema: { file, pointer: typePointer } });
      }
      for (const name of kitDerived.filter((n) => !graphDerived.includes(n))) {
        add({ where: view.type, change: 'derived type removed', kit: name, impact: impactOf('derived type removed'), schema: { file, pointer: typePointer } });
      }
    }
    for (const name of [...new Set([...graphShapes.keys(), ...kitShapes.keys()])].sort()) {
      const kitShape = kitShapes.get(name);
      const graphShape = graphShapes.get(name);
      // The create request repeats the answer's properties: only where it says something else is it compared again.
      if (view.kind === 'request' && describe(kitShape) === describe(responseShapes.get(name))) continue;
      const pointer = pointerOf(name);
      const base = { where: `${view.type}.${name}`, kit: describe(kitShape), graph: describe(graphShape), schema: { file, pointer } };
      let change: DriftChange | undefined;
      if (!kitShape) change = 'property added';
      else if (!graphShape) change = 'property removed';
      else if (kitShape.type !== graphShape.type) change = 'type changed';
      else if (kitShape.nullable !== graphShape.nullable) change = 'nullability changed';
      // A length Graph sets and the kit does not (or another): the kit passes what Graph refuses, or the reverse.
      else if (kitShape.maxLength !== graphShape.maxLength) change = 'length changed';
      if (change) add({ ...base, change, impact: impactOf(change, closed && view.kind !== 'request') });
    }
  }
  // The enums the kit has, against Graph's of the same name.
  for (const [name, { file, members }] of kitEnums(profile)) {
    const graph = model.enums.get(name);
    if (!graph) {
      add({ where: name, change: 'type missing', kit: name, impact: 'breaking for clients and providers', schema: { file, pointer: '/enum' } });
      continue;
    }
    // A flags enum's value is members joined by commas (OData JSON 4.01 §7.1), which a kit enum of single members
    // refuses, and a client built to it cannot read: the kit models none (decision 0640).
    if (model.flagEnums?.has(name)) {
      add({ where: name, change: 'flags changed', kit: 'one member a value', graph: 'flags: members joined by commas', impact: impactOf('flags changed'), schema: { file, pointer: '/enum' } });
    }
    const evolvableFrom = graph.indexOf('unknownFutureValue');
    graph.forEach((member, index) => {
      if (members.includes(member)) return;
      // Graph sends a member added after unknownFutureValue only to clients that ask for it (Prefer: include-unknown-enum-members).
      const impact = evolvableFrom >= 0 && index > evolvableFrom ? 'additive' : impactOf('member added');
      add({ where: `${name}.${member}`, change: 'member added', graph: member, impact, schema: { file, pointer: '/enum' } });
    });
    for (const member of members.filter((m) => !graph.includes(m))) {
      add({ where: `${name}.${member}`, change: 'member removed', kit: member, impact: impactOf('member removed'), schema: { file, pointer: `/enum/${members.indexOf(member)}` } });
    }
  }
  return findings;
}

/** The names DriftOptions takes: any other is refused, never left without a word (decisions 0408, 0760). */
const DRIFT_OPTION_NAMES = Object.keys({ metadata: true, profile: true, known: true } satisfies Record<keyof DriftOptions, true>);

/** Reads `metadata` and compares the kit's schemas of `profile` with it. */
export async function drift(options: DriftOptions): Promise<DriftReport> {
  // Its options' shape by the library's one rule (src/net/option.ts, decision 0760): a bare value or a misspelt name
  // was taken as no options, and the default run made (`drift('x')`).
  const shape = optionsObjectProblem('drift', options, DRIFT_OPTION_NAMES, 'required') ?? membersProblem(options, { known: ['array', 'an array of known differences, such as KNOWN_DIFFERENCES'] });
  if (shape) throw new TypeError(shape);
  const noMetadata = pathProblem('metadata', options.metadata);
  if (noMetadata) throw new TypeError(noMetadata);
  const profile = toProfile(options.profile ?? DEFAULT_PROFILE);
  const { format, model } = await readMetadata(options.metadata, profile);
  const findings = compareWithMetadata(model, profile, options.known);
  const unexplained = findings.filter((f) => !f.explainedBy);
  return { profile, metadata: { file: options.metadata, format }, findings, unexplained, passed: unexplained.length === 0 };
}

/** The report as people read it: one line per finding, unexplained first, then a summary. */
export function formatDrift(report: DriftReport): string {
  refuseArguments(argumentProblem('report', report, 'object', "drift's report"));
  // The members it reads by the one rule (outside check Y3: `formatDrift({})` failed reading 'filter').
  refuseArguments(argumentProblem('report.findings', report.findings, 'array', "an array of drift's findings, such as (await drift(options)).findings"), argumentProblem('report.unexplained', report.unexplained, 'array', "an array of drift's findings, such as (await drift(options)).unexplained"), argumentProblem('report.metadata', report.metadata, 'object', 'an object of file and format'));
  const line = (f: DriftFinding) =>
    `  ${f.where}: ${f.change}${f.kit !== undefined || f.graph !== undefined ? ` (kit: ${f.kit ?? 'none'}; Graph: ${f.graph ?? 'none'})` : ''}: ${f.impact}\n` +
    `    ${f.schema.file}#${f.schema.pointer}${f.explainedBy ? `; kept on purpose, decision ${f.explainedBy}: ${f.why}` : ''}`;
  const explained = report.findings.filter((f) => f.explainedBy);
  const counts = (['breaking for clients and providers', 'breaking for clients', 'breaking for providers', 'additive'] as const)
    .map((impact) => [impact, report.unexplained.filter((f) => f.impact === impact).length] as const)
    .filter(([, n]) => n > 0)
    .map(([impact, n]) => `${n} ${impact}`);
  return [
    ...(report.unexplained.length ? ['Drift:', ...report.unexplained.map(line)] : []),
    ...(explained.length ? ['Explained by a decision:', ...explained.map(line)] : []),
    `vppkit drift: the kit's ${report.profile} schemas against ${report.metadata.file} (${report.metadata.format === 'csdl' ? 'CSDL' : 'OpenAPI'}): ` +
      (report.passed ? 'no drift' : `${report.unexplained.length} difference${report.unexplained.length === 1 ? '' : 's'} (${counts.join(', ')})`) +
      `, ${explained.length} explained`,
  ].join('\n');
}
