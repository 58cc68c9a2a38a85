import sax from 'sax';
import { MetadataError } from './error';
import { shortTypeName, type MetadataModel, type StructuredType } from './model';
import { openText } from './text';

/**
 * Reads the types of Graph's CSDL (`$metadata`, msgraph-metadata's *.csdl and clean_*_metadata/*.xml) that
 * the kit needs, streaming: every enum (names and members only), `wanted` entity and complex types, and every
 * type derived from one of them. Reading stops where the microsoft.graph schema ends, so the annotations and
 * other namespaces after it are never read; memory stays small however large the file is.
 */
export async function readCsdl(file: string, wanted: ReadonlySet<string>): Promise<MetadataModel> {
  const model: MetadataModel = { types: new Map(), enums: new Map(), flagEnums: new Set() };
  const parser = sax.createStream(true, { trim: false, normalize: false, position: true });
  const input = openText(file);
  const stack: string[] = [];
  let graphDepth = 0;
  let sawRoot = false;
  let members: string[] | undefined;
  let type: StructuredType | undefined;
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
  return new Promise<MetadataModel>((resolve, reject) => {
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      input.unpipe(parser);
      input.destroy();
      if (error) return reject(error);
      if (!sawRoot) return reject(new MetadataError(`${file} is not CSDL: it has no edmx:Edmx element`));
      if (graphDepth === 0) return reject(new MetadataError(`${file} has no microsoft.graph schema (<Schema Namespace="microsoft.graph">)`));
      resolve(model);
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
      } else if (graphDepth === 0 && name === 'Schema' && attr.Namespace === 'microsoft.graph') {
        graphDepth = depth;
      } else if (graphDepth > 0 && depth === graphDepth + 1) {
        if (name === 'EnumType') {
          model.enums.set(attr.Name, (members = []));
          // IsFlags is a Boolean whose absence is false (CSDL XML 4.01 §10.2).
          if (attr.IsFlags === 'true') model.flagEnums!.add(attr.Name);
        }
        else if (name === 'EntityType' || name === 'ComplexType') {
          const base = attr.BaseType ? typeName(attr.BaseType) : undefined;
          if (wanted.has(attr.Name) || (base !== undefined && wanted.has(base))) type = { name: attr.Name, ...(base ? { baseType: base } : {}), properties: new Map() };
        }
      } else if (graphDepth > 0 && depth === graphDepth + 2) {
        if (name === 'Member' && members) members.push(attr.Name);
        // MaxLength is a number or `max` (unbounded, as when it is left out: CSDL 4.01 §7.2.1).
        else if (name === 'Property' && type) type.properties.set(attr.Name, { type: typeName(attr.Type), nullable: attr.Nullable !== 'false', ...(/^\d+$/.test(attr.MaxLength ?? '') ? { maxLength: Number(attr.MaxLength) } : {}) });
      }
    });
    parser.on('closetag', () => {
      if (done) return;
      const depth = stack.length;
      stack.pop();
      if (graphDepth === 0) return;
      if (depth === graphDepth + 1) {
        if (type) model.types.set(type.name, type);
        type = undefined;
        members = undefined;
      } else if (depth === graphDepth) {
        finish(); // the end of the microsoft.graph schema: nothing after it is needed
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
