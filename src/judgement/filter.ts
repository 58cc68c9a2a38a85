import { QueryOptionError, unknownProperty, type VppTokenProperties } from './odata';

/** A compiled $filter: whether a vppToken (as answered, a JSON object) matches. */
export type VppTokenPredicate = (vppToken: Readonly<Record<string, unknown>>) => boolean;

type Value = string | number | boolean | null | undefined | { instant: number };
type Evaluate = (vppToken: Readonly<Record<string, unknown>>) => Value;

/** The parser's node (@odata/parser): a type, its raw text, and a value that is a node, nodes or a name. */
interface Node {
  type: string;
  raw: string;
  value: unknown;
}

const refuse = (message: string, status: 400 | 501 = 400): QueryOptionError => new QueryOptionError(message, status);

const COMPARISONS: Readonly<Record<string, (order: number) => boolean>> = {
  EqualsExpression: (order) => order === 0,
  NotEqualsExpression: (order) => order !== 0,
  LesserThanExpression: (order) => order < 0,
  LesserOrEqualsExpression: (order) => order <= 0,
  GreaterThanExpression: (order) => order > 0,
  GreaterOrEqualsExpression: (order) => order >= 0,
};

const DATE_TIME_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const asInstant = (value: Value): Value => (typeof value === 'string' && DATE_TIME_OFFSET.test(value) ? { instant: Date.parse(value) } : value);

/**
 * Compares two values as OData does: null equals only null and orders before everything; a DateTimeOffset as the
 * instant it names; strings ordinally. Undefined (values of different types) matches no comparison but `ne`.
 */
function order(left: Value, right: Value): number | undefined {
  if (left === null || left === undefined || right === null || right === undefined) {
    const [l, r] = [left ?? null, right ?? null];
    return l === r ? 0 : l === null ? -1 : 1;
  }
  const [l, r] = [asInstant(left), asInstant(right)];
  if (typeof l === 'object' && l !== null && typeof r === 'object' && r !== null) return Math.sign(l.instant - r.instant);
  if (typeof l !== typeof r) return undefined;
  return l === r ? 0 : (l as string | number) < (r as string | number) ? -1 : 1;
}

const STRING_METHODS: Readonly<Record<string, (...args: string[]) => Value>> = {
  startswith: (a, b) => a.startsWith(b),
  endswith: (a, b) => a.endsWith(b),
  contains: (a, b) => a.includes(b),
  tolower: (a) => a.toLowerCase(),
  toupper: (a) => a.toUpperCase(),
  trim: (a) => a.trim(),
  length: (a) => a.length,
  indexof: (a, b) => a.indexOf(b),
};

function literal(node: Node): Evaluate {
  const { raw } = node;
  const type = typeof node.value === 'string' ? node.value : 'enum';
  let value: Value;
  if (raw === 'null') value = null;
  else if (type === 'Edm.String') value = raw.slice(1, -1).replace(/''/g, "'");
  else if (type === 'Edm.Boolean') value = raw.toLowerCase() === 'true';
  else if (type === 'Edm.Guid') value = raw.toLowerCase();
  else if (type === 'Edm.DateTimeOffset') value = raw;
  else if (/^Edm\.(S?Byte|Int16|Int32|Int64|Decimal|Double|Single)$/.test(type)) value = Number(raw);
  else if (type === 'enum' && /'([^']*)'$/.test(raw)) value = /'([^']*)'$/.exec(raw)![1]; // microsoft.graph.vppTokenState'valid'
  else throw refuse(`A literal of type ${type} (${raw}) in $filter is not modelled by the mock (docs/decisions/0146).`, 501);
  return () => value;
}

/** Compiles a parsed $filter: the properties it names are the vppToken's (else 400), the constructs are modelled (else 501). */
function compile(node: Node, properties: VppTokenProperties): Evaluate {
  const child = (value: unknown) => compile(value as Node, properties);
  const pair = () => {
    const { left, right } = node.value as { left: Node; right: Node };
    return [child(left), child(right)];
  };
  switch (node.type) {
    case 'CommonExpression':
    case 'BoolParenExpression':
    case 'ParenExpression':
    case 'FirstMemberExpression':
    case 'MemberExpression':
      return child(node.value);
    case 'PropertyPathExpression': {
      const identifier = node.value as Node;
      const name = identifier.type === 'ODataIdentifier' ? (identifier.value as { name?: unknown }).name : undefined;
      if (typeof name !== 'string' || node.raw.includes('/')) throw refuse(`The path ${node.raw} in $filter is not modelled by the mock (a lambda, a cast or a path into a value; docs/decisions/0146).`, 501);
      const property = properties.byName.get(name.toLowerCase());
      if (!property) throw unknownProperty(name);
      if (properties.collections.has(property)) throw refuse(`The property ${property} is a collection: compare its items with any() or all(), which the mock does not model (docs/decisions/0146).`, 501);
      return (token) => token[property] as Value;
    }
    case 'Literal':
      return literal(node);
    case 'AndExpression': {
      const [l, r] = pair();
      return (token) => l(token) === true && r(token) === true;
    }
    case 'OrExpression': {
      const [l, r] = pair();
      return (token) => l(token) === true || r(token) === true;
    }
    case 'NotExpression': {
      const inner = child(node.value);
      return (token) => inner(token) !== true;
    }
    case 'MethodCallExpression': {
      const { method, parameters } = node.value as { method: string; parameters: Node[] };
      const apply = STRING_METHODS[method];
      if (!apply) throw refuse(`The function ${method}() in $filter is not modelled by the mock (docs/decisions/0146).`, 501);
      const args = parameters.map(child);
      return (token) => {
        const values = args.map((arg) => arg(token));
        return values.every((v) => typeof v === 'string') ? apply(...(values as string[])) : null;
      };
    }
    default: {
      const test = COMPARISONS[node.type];
      if (!test) throw refuse(`The expression ${node.raw} (${node.type}) in $filter is not modelled by the mock (docs/decisions/0146).`, 501);
      const [l, r] = pair();
      return (token) => {
        const found = order(l(token), r(token));
        return found === undefined ? node.type === 'NotEqualsExpression' : test(found);
      };
    }
  }
}

/**
 * Reads a $filter with @odata/parser (OData ABNF) and compiles it against the vppToken's properties: comparisons
 * (eq, ne, gt, ge, lt, le), and, or, not, parentheses, the string functions and literals of every primitive type.
 * A syntax error or an unknown property is the client's (400, as Graph answers); what the mock does not model (a
 * lambda, arithmetic, date functions, `in`) is 501, said as such. The parser is loaded on the first $filter.
 */
export function compileFilter(text: string, properties: VppTokenProperties): VppTokenPredicate {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultParser } = require('@odata/parser') as { defaultParser: { filter(text: string): Node & { next: number } } };
  let parsed: Node & { next: number };
  try {
    parsed = defaultParser.filter(text);
  } catch (error) {
    if (/\s(in|has)\s*[(']/i.test(text)) throw refuse(`The operator in or has in $filter is not modelled by the mock (docs/decisions/0146).`, 501);
    const at = /at (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw refuse(`Syntax error${at === undefined ? '' : ` at position ${at}`} in $filter ${JSON.stringify(text)}.`);
  }
  if (parsed.next !== text.length) throw refuse(`Syntax error at position ${parsed.next} in $filter ${JSON.stringify(text)}.`);
  const evaluate = compile(parsed, properties);
  return (token) => evaluate(token) === true;
}
