import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseYaml } from 'yaml';
import { MetadataError } from './csdl';
import { shortTypeName, type MetadataModel, type PropertyShape, type StructuredType } from './model';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const PREFIX = 'microsoft.graph.';
const refName = (ref: unknown) => (typeof ref === 'string' ? shortTypeName(ref.replace(/^#\/components\/schemas\//, '')) : undefined);

/** An OpenAPI property as an EDM shape: `nullable: true` (3.0), `type: [..., "null"]` (3.1) or an `anyOf` with a null branch. */
function shapeOf(node: Node): PropertyShape {
  const types = Array.isArray(node.type) ? (node.type as string[]) : typeof node.type === 'string' ? [node.type] : [];
  let nullable = node.nullable === true || types.includes('null');
  const ref = refName(node.$ref);
  if (ref) return { type: ref, nullable };
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = Array.isArray(node[key]) ? (node[key] as Node[]).filter(isNode) : [];
    if (branches.length === 0) continue;
    const typed = branches.filter((b) => !(b.nullable === true && !b.$ref && (b.type === 'object' || b.type === undefined)) && b.type !== 'null');
    nullable ||= typed.length < branches.length || branches.some((b) => b.nullable === true);
    if (typed.length === 1) return { ...shapeOf(typed[0]), nullable };
  }
  if (types.includes('array')) {
    const item = shapeOf(isNode(node.items) ? node.items : {});
    return { type: `Collection(${item.type})`, nullable: item.nullable };
  }
  const format = String(node.format ?? '');
  if (types.includes('string')) return { type: format === 'date-time' ? 'Edm.DateTimeOffset' : format === 'uuid' ? 'Edm.Guid' : 'Edm.String', nullable, ...(typeof node.maxLength === 'number' ? { maxLength: node.maxLength } : {}) };
  if (types.includes('boolean')) return { type: 'Edm.Boolean', nullable };
  if (types.includes('integer') || types.includes('number')) {
    const edm = format === 'int32' ? 'Edm.Int32' : format === 'int64' ? 'Edm.Int64' : types.includes('integer') ? 'Edm.Int64' : 'Edm.Double';
    return { type: edm, nullable };
  }
  return { type: 'Edm.Untyped', nullable };
}

/** One components.schemas entry into the model: an enum, or a structured type with its base (allOf's $ref). */
function addSchema(model: MetadataModel, name: string, node: Node): void {
  if (Array.isArray(node.enum)) {
    model.enums.set(name, node.enum.filter((m): m is string => typeof m === 'string'));
    return;
  }
  const parts = Array.isArray(node.allOf) ? (node.allOf as unknown[]).filter(isNode) : [node];
  const type: StructuredType = { name, properties: new Map() };
  for (const part of parts) {
    const base = refName(part.$ref);
    if (base) type.baseType = base;
    for (const [property, schema] of Object.entries(isNode(part.properties) ? part.properties : {})) {
      if (!property.startsWith('@') && isNode(schema)) type.properties.set(property, shapeOf(schema));
    }
  }
  model.types.set(name, type);
}

/** Whether a schema entry's text derives from one of `wanted` (its allOf starts with a $ref to it). */
const derivesFrom = (text: string, wanted: ReadonlySet<string>) =>
  [...wanted].some((name) => text.includes(`#/components/schemas/${PREFIX}${name}'`) || text.includes(`#/components/schemas/${PREFIX}${name}"`)) && /allOf:/.test(text);

/**
 * Reads Microsoft's OpenAPI description of Graph (YAML, as msgraph-metadata and the SDK repositories publish it;
 * or JSON) for the types the kit needs: every enum, `wanted` structured types and those derived from them.
 * YAML is read line by line: only the entries of components.schemas are taken apart, one at a time, and
 * reading stops at the end of that section.
 */
export async function readOpenApiMetadata(file: string, wanted: ReadonlySet<string>): Promise<MetadataModel> {
  const model: MetadataModel = { types: new Map(), enums: new Map() };
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let section: 'before' | 'components' | 'schemas' | 'after' = 'before';
  let sawOpenApi = false;
  let entry: { name: string; lines: string[] } | undefined;
  let lineNumber = 0;
  const close = () => {
    if (!entry) return;
    const { name, lines: text } = entry;
    entry = undefined;
    if (!name.startsWith(PREFIX)) return;
    const short = name.slice(PREFIX.length);
    const joined = text.join('\n');
    if (!wanted.has(short) && !/^ {6}enum:/m.test(joined) && !derivesFrom(joined, wanted)) return;
    let node: unknown;
    try {
      node = parseYaml(`${joined}\n`);
    } catch (error) {
      throw new MetadataError(`${file}: components.schemas.${name} is not YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    const value = isNode(node) ? node[Object.keys(node)[0]] : undefined;
    if (isNode(value)) addSchema(model, short, value);
  };
  try {
    for await (const line of lines) {
      lineNumber++;
      if (lineNumber === 1 && line.trimStart().startsWith('{')) {
        lines.close();
        input.destroy();
        return readJson(file, wanted);
      }
      if (/^(openapi|swagger):/.test(line)) sawOpenApi = true;
      if (line.trim() === '' || /^\s*#/.test(line)) {
        entry?.lines.push(line);
        continue;
      }
      const indent = line.length - line.trimStart().length;
      if (section === 'before' || section === 'after') {
        if (/^components:\s*$/.test(line)) section = 'components';
        continue;
      }
      if (section === 'components') {
        if (indent === 0) section = 'after';
        else if (/^ {2}schemas:\s*$/.test(line)) section = 'schemas';
        continue;
      }
      if (indent < 4) {
        close();
        break; // the end of components.schemas: nothing after it is needed
      }
      if (indent === 4) {
        close();
        const key = line.trim().replace(/:\s*$/, '').replace(/^(['"])(.*)\1$/, '$2');
        entry = { name: key, lines: [`'${key}':`] };
      } else entry?.lines.push(line);
    }
    close();
  } finally {
    lines.close();
    input.destroy();
  }
  if (!sawOpenApi) throw new MetadataError(`${file} is neither CSDL (XML) nor an OpenAPI document (no openapi: line)`);
  if (model.types.size === 0 && model.enums.size === 0) throw new MetadataError(`${file} has no components.schemas of microsoft.graph`);
  return model;
}

function readJson(file: string, wanted: ReadonlySet<string>): MetadataModel {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MetadataError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const schemas = isNode(document) && isNode(document.components) && isNode(document.components.schemas) ? document.components.schemas : undefined;
  if (!schemas || !isNode(document) || !('openapi' in document || 'swagger' in document)) throw new MetadataError(`${file} is not an OpenAPI document with components.schemas`);
  const model: MetadataModel = { types: new Map(), enums: new Map() };
  for (const [name, node] of Object.entries(schemas)) {
    if (!name.startsWith(PREFIX) || !isNode(node)) continue;
    const short = name.slice(PREFIX.length);
    if (wanted.has(short) || Array.isArray(node.enum) || derivesFrom(JSON.stringify(node).replace(/"/g, "'"), wanted)) addSchema(model, short, node);
  }
  return model;
}
