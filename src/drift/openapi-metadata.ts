import { createInterface } from 'node:readline';
import { parse as parseYaml } from 'yaml';
import { MetadataError } from './error';
import { shortTypeName, type MetadataModel, type PropertyShape, type StructuredType } from './model';
import { openText, readText } from './text';

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
    // Microsoft's spelling of CSDL's IsFlags (OpenAPI.OData, read by Kiota): absent or false is not flags.
    const flags = node['x-ms-enum-flags'];
    if (isNode(flags) && flags.isFlags === true) (model.flagEnums ??= new Set()).add(name);
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

/** Whether a schema derives from one of `wanted`: a $ref to it among its allOf. */
const derivesFrom = (node: Node, wanted: ReadonlySet<string>) =>
  Array.isArray(node.allOf) && (node.allOf as unknown[]).some((part) => isNode(part) && wanted.has(refName(part.$ref) ?? ''));

/** One components.schemas entry, if the kit needs it: a microsoft.graph enum, a `wanted` type or one derived from it. */
function take(model: MetadataModel, name: string, node: unknown, wanted: ReadonlySet<string>): void {
  if (!name.startsWith(PREFIX) || !isNode(node)) return;
  const short = name.slice(PREFIX.length);
  if (wanted.has(short) || Array.isArray(node.enum) || derivesFrom(node, wanted)) addSchema(model, short, node);
}

/** A block mapping's key on its own line (`key:`, `"key":`, `'key':`, a comment after), with its indentation. */
function blockKey(line: string): { indent: number; key: string; value: string } | undefined {
  const match = /^( *)(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{}[\],&*!|>%@`?:-][^#:]*?|-[^\s#:][^#:]*?))\s*:(?:\s+(.*))?$/.exec(line);
  if (!match) return undefined;
  const [, spaces, doubled, single, plain, rest = ''] = match;
  if (doubled !== undefined && doubled.includes('\\')) return undefined; // an escape: left to the YAML parser
  return { indent: spaces.length, key: doubled ?? single?.replace(/''/g, "'") ?? plain, value: rest.replace(/(^|\s)#.*$/, '').trim() };
}

/** Why the line reader hands a document over to the whole-document parse (speed only: the answer is the same). */
class NotPlain extends Error {}

/**
 * Reads Microsoft's OpenAPI description of Graph (YAML, as msgraph-metadata and the SDK repositories publish it;
 * or JSON) for the types the kit needs: every enum, `wanted` structured types and those derived from them.
 * Block-style YAML is read line by line, at whatever indentation and key order: only the entries of
 * components.schemas that may be wanted are parsed, one at a time, and reading stops once that section and the
 * `openapi:` line were seen. Any other spelling YAML 1.2 allows (flow style, an alias to another entry, a key the
 * line reader does not take apart) is parsed as a whole document by the YAML parser: slower, the same answer.
 */
export async function readOpenApiMetadata(file: string, wanted: ReadonlySet<string>): Promise<MetadataModel> {
  try {
    return await readBlockYaml(file, wanted);
  } catch (error) {
    if (!(error instanceof NotPlain)) throw error;
    return readDocument(file, wanted);
  }
}

async function readBlockYaml(file: string, wanted: ReadonlySet<string>): Promise<MetadataModel> {
  const model: MetadataModel = { types: new Map(), enums: new Map() };
  const input = openText(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let section: 'top' | 'components' | 'schemas' | 'after' = 'top';
  let sawOpenApi = false;
  let sawSchemas = false;
  let childIndent: number | undefined; // of components' keys
  let entryIndent: number | undefined; // of components.schemas' keys
  let entry: string[] | undefined;
  // Cheap first look: an entry is parsed only if it may be a microsoft.graph enum, a wanted type or derived from one.
  const mentions = [...wanted].map((name) => `${PREFIX}${name}`);
  const close = () => {
    if (!entry) return;
    const text = entry.join('\n');
    entry = undefined;
    if (!text.includes(PREFIX) || (!text.includes('enum') && !mentions.some((m) => text.includes(m)))) return;
    let node: unknown;
    try {
      node = parseYaml(`${text}\n`);
    } catch {
      throw new NotPlain(); // an alias to another entry's anchor, say: the whole document decides
    }
    if (!isNode(node)) throw new NotPlain();
    for (const [name, value] of Object.entries(node)) take(model, name, value, wanted);
  };
  try {
    for await (const line of lines) {
      if (line.trim() === '' || /^\s*#/.test(line)) {
        entry?.push(line);
        continue;
      }
      const indent = line.length - line.trimStart().length;
      if (indent === 0) {
        close();
        if (section === 'schemas') section = 'after';
        if (/^(---|\.\.\.)(\s|$)/.test(line) && line.slice(3).trim() === '') continue;
        if (/^%/.test(line) && section === 'top' && !sawOpenApi && !sawSchemas) continue; // a directive
        const top = blockKey(line);
        if (!top) throw new NotPlain(); // flow style, a complex key, ...
        if (top.key === 'openapi' || top.key === 'swagger') sawOpenApi = true;
        if (top.key === 'components') {
          if (top.value !== '') throw new NotPlain();
          section = 'components';
        } else if (section === 'components') section = 'after';
        if (sawOpenApi && (sawSchemas || section === 'after')) break; // nothing after both is needed
        continue;
      }
      if (section === 'components') {
        childIndent ??= indent;
        if (indent !== childIndent) continue;
        const child = blockKey(line);
        if (!child) throw new NotPlain();
        if (child.key === 'schemas') {
          if (child.value !== '') throw new NotPlain();
          section = 'schemas';
          sawSchemas = true;
        }
        continue;
      }
      if (section !== 'schemas') continue;
      entryIndent ??= indent;
      if (indent <= childIndent!) {
        close();
        section = 'after'; // components' next key: components.schemas has ended
        if (sawOpenApi) break;
        continue;
      }
      if (indent === entryIndent) {
        close();
        entry = [line];
      } else if (indent < entryIndent) throw new NotPlain();
      else entry?.push(line);
    }
    close();
  } finally {
    lines.close();
    input.destroy();
  }
  if (!sawOpenApi || model.types.size === 0) throw new NotPlain(); // the whole document decides, and says why
  return model;
}

const notOpenApi = (file: string) => new MetadataError(`${file} is neither CSDL (XML) nor an OpenAPI document (no openapi: line)`);

/** The whole document, JSON (read fast) or any YAML, taken apart by the parser. */
function readDocument(file: string, wanted: ReadonlySet<string>): MetadataModel {
  const text = readText(file);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    try {
      document = parseYaml(text);
    } catch (error) {
      // A file with no openapi key anywhere (a README given by mistake) is said to be no OpenAPI, not broken YAML.
      if (!/(^|[\s{,])["']?(openapi|swagger)["']?\s*:/m.test(text)) throw notOpenApi(file);
      throw new MetadataError(`${file} is not YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (!isNode(document) || !('openapi' in document || 'swagger' in document)) throw notOpenApi(file);
  const schemas = isNode(document.components) && isNode(document.components.schemas) ? document.components.schemas : {};
  const model: MetadataModel = { types: new Map(), enums: new Map() };
  for (const [name, node] of Object.entries(schemas)) take(model, name, node, wanted);
  if (model.types.size === 0 && model.enums.size === 0) throw new MetadataError(`${file} has no components.schemas of microsoft.graph`);
  return model;
}
