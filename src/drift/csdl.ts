import sax from 'sax';
import { MetadataError } from './error';
import { shortTypeName, type MetadataModel, type StructuredType } from './model';
import { openText } from './text';

/**
 * Reads the types of Graph's CSDL (`$metadata`, msgraph-metadata's *.csdl and clean_*_metadata/*.xml) that
 * the kit needs, streaming: every enum (names and members only), `wanted` entity and complex types, and every
 * type derived from one of them, from the microsoft.graph schema; and the base types they name from any other schema
 * of the document, which is one model (CSDL XML 4.01 §5.1; outside finding R67, decision 0643). Reading stops once
 * the microsoft.graph schema has ended and every base type it names was found, so the annotations and other
 * namespaces after it are read only while a base type is still wanted; memory stays small however large the file is.
 * Qualified names are resolved once the document is read: an alias may be declared after its first use.
 */
export async function readCsdl(file: string, wanted: ReadonlySet<string>): Promise<MetadataModel> {
  const model: MetadataModel = { types: new Map(), enums: new Map(), flagEnums: new Set() };
  const parser = sax.createStream(true, { trim: false, normalize: false, position: true });
  const input = openText(file);
  const stack: string[] = [];
  /** The schema being read: its depth, namespace and alias. */
  let schema: { depth: number; namespace: string; alias?: string } | undefined;
  let sawGraph = false;
  let graphEnded = false;
  let sawRoot = false;
  let members: string[] | undefined;
  /** The structured type being read, its base type and property types as written (resolved at the end). */
  let type: StructuredType | undefined;
  /** Types of other schemas, by every name they may be written with (`dev.x`, `microsoft.graph.devices.x`). */
  const elsewhere = new Map<string, StructuredType>();
  let done = false;
  // A qualified name is a namespace or an alias, a dot, a name (CSDL XML 4.01 §3.3): the aliases a schema or an
  // included reference declares (§5.1.2, §3.4.2), read back to their namespace.
  const namespaceOf = new Map<string, string>();
  const qualified = (name: string): string => {
    const collection = /^Collection\((.*)\)$/.exec(name);
    if (collection) return `Collection(${qualified(collection[1])})`;
    const dot = name.lastIndexOf('.');
    const namespace = dot > 0 ? namespaceOf.get(name.slice(0, dot)) : undefined;
    return namespace === undefined ? name : `${namespace}${name.slice(dot)}`;
  };
  const typeName = (name: string) => shortTypeName(qualified(name));
  /** The base types the model's types name (as written) that it does not hold yet, taken from other schemas when read. */
  const missingBases = (): string[] => {
    const missing: string[] = [];
    for (let grew = true; grew; ) {
      grew = false;
      missing.length = 0;
      for (const t of model.types.values()) {
        if (t.baseType === undefined || model.types.has(typeName(t.baseType))) continue;
        const found = elsewhere.get(t.baseType) ?? elsewhere.get(qualified(t.baseType));
        if (found) {
          model.types.set(found.name, found);
          grew = true;
        } else missing.push(t.baseType);
      }
    }
    return missing;
  };
  return new Promise<MetadataModel>((resolve, reject) => {
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      input.unpipe(parser);
      input.destroy();
      if (error) return reject(error);
      if (!sawRoot) return reject(new MetadataError(`${file} is not CSDL: it has no edmx:Edmx element`));
      if (!sawGraph) return reject(new MetadataError(`${file} has no microsoft.graph schema (<Schema Namespace="microsoft.graph">)`));
      missingBases();
      // Every name resolved now that every alias the document declares is known.
      const types = new Map<string, StructuredType>();
      for (const t of model.types.values()) {
        const properties = new Map([...t.properties].map(([name, shape]) => [name, { ...shape, type: typeName(shape.type) }]));
        types.set(t.name, { name: t.name, ...(t.baseType === undefined ? {} : { baseType: typeName(t.baseType) }), properties });
      }
      resolve({ ...model, types });
    };
    parser.on('opentag', (node) => {
      if (done) return;
      const name = node.name.replace(/^.*:/, '');
      const attr = node.attributes as Record<string, string>;
      stack.push(name);
      const depth = stack.length;
      if ((name === 'Schema' || name === 'Include') && attr.Alias && attr.Namespace) namespaceOf.set(attr.Alias, attr.Namespace);
      if (depth === 1) {
        if (name !== 'Edmx') return finish(new MetadataError(`${file} is not CSDL: its root element is <${node.name}>, not <edmx:Edmx>`));
        sawRoot = true;
      } else if (schema === undefined && name === 'Schema' && typeof attr.Namespace === 'string') {
        schema = { depth, namespace: attr.Namespace, ...(attr.Alias ? { alias: attr.Alias } : {}) };
        if (schema.namespace === 'microsoft.graph' && !sawGraph) sawGraph = true;
        else if (schema.namespace === 'microsoft.graph') schema = undefined; // a second one: as before, not read
      } else if (schema && depth === schema.depth + 1) {
        const graph = schema.namespace === 'microsoft.graph' && !graphEnded;
        if (graph && name === 'EnumType') {
          model.enums.set(attr.Name, (members = []));
          // IsFlags is a Boolean whose absence is false (CSDL XML 4.01 §10.2).
          if (attr.IsFlags === 'true') model.flagEnums!.add(attr.Name);
        } else if (name === 'EntityType' || name === 'ComplexType') {
          // Names as written; the base's short name decides whether a type derives from a wanted one (Graph's own alias is declared on its schema).
          const base = attr.BaseType;
          if (!graph) type = { name: shortTypeName(`${schema.namespace}.${attr.Name}`), ...(base ? { baseType: base } : {}), properties: new Map() };
          else if (wanted.has(attr.Name) || (base !== undefined && wanted.has(typeName(base)))) type = { name: attr.Name, ...(base ? { baseType: base } : {}), properties: new Map() };
        }
      } else if (schema && depth === schema.depth + 2) {
        if (name === 'Member' && members) members.push(attr.Name);
        // MaxLength is a number or `max` (unbounded, as when it is left out: CSDL 4.01 §7.2.1).
        else if (name === 'Property' && type) type.properties.set(attr.Name, { type: attr.Type, nullable: attr.Nullable !== 'false', ...(/^\d+$/.test(attr.MaxLength ?? '') ? { maxLength: Number(attr.MaxLength) } : {}) });
      }
    });
    parser.on('closetag', () => {
      if (done) return;
      const depth = stack.length;
      stack.pop();
      if (!schema) return;
      if (depth === schema.depth + 1) {
        if (type && schema.namespace === 'microsoft.graph') model.types.set(type.name, type);
        else if (type) {
          const local = type.name.slice(type.name.lastIndexOf('.') + 1);
          for (const qualifier of [schema.namespace, schema.alias]) if (qualifier) elsewhere.set(`${qualifier}.${local}`, type);
        }
        type = undefined;
        members = undefined;
      } else if (depth === schema.depth) {
        if (schema.namespace === 'microsoft.graph') graphEnded = true;
        schema = undefined;
        // Nothing after is needed once the microsoft.graph schema was read and every base type it names was found.
        if (graphEnded && missingBases().length === 0) finish();
      }
    });
    parser.on('error', (error: Error) => {
      const { line, column } = parser._parser;
      finish(new MetadataError(`${file} is not well-formed XML: line ${line + 1}, column ${column + 1}: ${error.message.split('\n')[0]}`));
    });
    parser.on('end', () => finish());
    input.on('error', (error) => finish(error));
    input.pipe(parser);
  });
}
