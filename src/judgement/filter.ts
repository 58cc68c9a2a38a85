import { graphNamespaced, graphTypePattern } from '../schemas';
import { isDateTimeOffset, orderDateTimeOffsets } from '../validation/date-time';
import { QueryOptionError, unknownProperty, type ComplexType, type EdmType, type VppTokenProperties } from './odata';

/** A compiled $filter: whether a vppToken (as answered, a JSON object) matches. */
export type VppTokenPredicate = (vppToken: Readonly<Record<string, unknown>>) => boolean;

type Value = string | number | boolean | null | undefined;
type Evaluate = (vppToken: Readonly<Record<string, unknown>>) => Value;
/** An expression compiled: how to evaluate it, its type when known (`null` for the null literal), and a literal's value. */
interface Compiled {
  evaluate: Evaluate;
  type?: EdmType;
  literal?: Value;
}

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

/**
 * Orders two values as OData does, the one ordering of $filter's comparisons and of $orderby (OData 4.01 URL
 * Conventions §5.1.1.1, Protocol §11.2.6.2): null before everything; an enum member by its value, which is its place
 * in the type's members (Graph's CSDL numbers them 0, 1, ... in the order the schemas list them: `valid` (1) before
 * `duplicateLocationId` (5)); a DateTimeOffset as the instant it names (`04:05:43-12:00` after `10:00:00Z`); a number
 * by its value; strings ordinally. Undefined for values of different types. See docs/decisions/0390.
 */
export function orderValues(left: unknown, right: unknown, type?: EdmType): number | undefined {
  if (left === null || left === undefined || right === null || right === undefined) {
    const [l, r] = [left ?? null, right ?? null];
    return l === r ? 0 : l === null ? -1 : 1;
  }
  const members = type?.members;
  if (members && typeof left === 'string' && typeof right === 'string' && members.includes(left) && members.includes(right)) return Math.sign(members.indexOf(left) - members.indexOf(right));
  const [l, r] = [left as Value, right as Value];
  // Two DateTimeOffsets by their instants, to the digit written (Graph's ticks: seven fraction digits, decision 0471).
  if (typeof l === 'string' && typeof r === 'string' && DATE_TIME_OFFSET.test(l) && DATE_TIME_OFFSET.test(r)) return orderDateTimeOffsets(l, r);
  if (typeof l !== typeof r) return undefined;
  return l === r ? 0 : (l as string | number) < (r as string | number) ? -1 : 1;
}

/**
 * OData's three-valued logic (URL Conventions §5.1.1.3; MS-ODATA §2.2.3.6.1.1.5, "Lifted Operators"; Graph's .NET
 * stack propagates null the same way): a string function of null is null, `not` of null is null, `and` is false when
 * either side is, `or` true when either side is, else null when either side is; a $filter that is null for a
 * vppToken does not select it. So `not startswith(displayName,'Fleet')` lists no vppToken whose displayName is null.
 */
const truth = (value: Value): boolean | null => (value === true ? true : value === false ? false : null);
/** The string functions (OData 4.01 URL Conventions §5.1.1.5), each with what it gives back; every argument is an Edm.String. */
const STRING_METHODS: Readonly<Record<string, { apply: (...args: string[]) => Value; gives: string }>> = {
  startswith: { apply: (a, b) => a.startsWith(b), gives: 'Edm.Boolean' },
  endswith: { apply: (a, b) => a.endsWith(b), gives: 'Edm.Boolean' },
  contains: { apply: (a, b) => a.includes(b), gives: 'Edm.Boolean' },
  tolower: { apply: (a) => a.toLowerCase(), gives: 'Edm.String' },
  toupper: { apply: (a) => a.toUpperCase(), gives: 'Edm.String' },
  trim: { apply: (a) => a.trim(), gives: 'Edm.String' },
  length: { apply: (a) => a.length, gives: 'Edm.Int32' },
  indexof: { apply: (a, b) => a.indexOf(b), gives: 'Edm.Int32' },
};

/** The operator kinds of Microsoft's OData library, as its messages name them. */
const OPERATOR_KINDS: Readonly<Record<string, string>> = {
  EqualsExpression: 'Equal',
  NotEqualsExpression: 'NotEqual',
  LesserThanExpression: 'LessThan',
  LesserOrEqualsExpression: 'LessThanOrEqual',
  GreaterThanExpression: 'GreaterThan',
  GreaterOrEqualsExpression: 'GreaterThanOrEqual',
};

const NUMERIC = /^Edm\.(S?Byte|Int16|Int32|Int64|Decimal|Double|Single)$/;

function literal(node: Node, scope: Scope): Compiled {
  const { raw } = node;
  const type = typeof node.value === 'string' ? node.value : 'unknown';
  let value: Value;
  let edm: EdmType;
  if (raw === 'null') return { evaluate: () => null, literal: null };
  if (type === 'Edm.String') [value, edm] = [raw.slice(1, -1).replace(/''/g, "'"), { name: type }];
  else if (type === 'Edm.Boolean') [value, edm] = [raw.toLowerCase() === 'true', { name: type }];
  else if (type === 'Edm.Guid') [value, edm] = [raw.toLowerCase(), { name: type }];
  else if (type === 'Edm.DateTimeOffset') {
    // The one DateTimeOffset rule of bodies (src/validation/date-time.ts), seconds optional as OData's ABNF has
    // them: Graph's reader parses the literal into .NET's DateTimeOffset, which February 30th, +14:30 or the year
    // 0000 are not (outside tester M12).
    if (!isDateTimeOffset(raw)) {
      throw refuse(`Unrecognized 'Edm.DateTimeOffset' literal '${raw}' in $filter: it names no instant .NET's DateTimeOffset holds (a day the month has, an offset within ±14:00, years 1 to 9999).`);
    }
    [value, edm] = [raw, { name: type }];
  }
  // A whole number is an Edm.Int32 to Graph's reader (the parser names the smallest type that holds it).
  else if (NUMERIC.test(type)) [value, edm] = [Number(raw), { name: /^Edm\.(S?Byte|Int16)$/.test(type) ? 'Edm.Int32' : type }];
  else return notModelled(scope, `A literal of type ${type} (${raw}) in ${scope.option} is not modelled by the mock (docs/decisions/0146).`);
  return { evaluate: () => value, type: edm, literal: value };
}

/**
 * Refuses a comparison Graph's OData reader refuses (Microsoft.OData's binary operator binder): operands of
 * incompatible types, and a string or enum literal that is no member of the property's enum type. Null compares
 * with anything; numbers with numbers; a string with a GUID literal is refused, as Graph's reader refuses it.
 */
function checkComparison(kind: string, left: Compiled, right: Compiled): void {
  const [l, r] = [left.type, right.type];
  if (!l || !r) return;
  for (const [enumSide, other] of [[left, right], [right, left]] as const) {
    const members = enumSide.type?.members;
    if (!members || !other.type) continue;
    if (other.type.name === 'Edm.String' || other.type.name === enumSide.type!.name) {
      if (typeof other.literal === 'string' && !members.includes(other.literal)) throw refuse(`The string '${other.literal}' is not a valid enumeration type constant.`);
      return;
    }
  }
  // A GUID literal (unquoted) is no string: Graph's reader refuses `id eq 262624a3-...` against the Edm.String id
  // (outside tester M13); the id is compared quoted, `id eq '262624a3-...'`.
  if (l.name === r.name || (NUMERIC.test(l.name) && NUMERIC.test(r.name))) return;
  throw refuse(`A binary operator with incompatible types was detected. Found operand types '${l.name}' and '${r.name}' for operator kind '${OPERATOR_KINDS[kind]}'.`);
}

/** The arithmetic operators as the parser names them, each with its operator kind in ODL's messages. */
const ARITHMETIC: Readonly<Record<string, string>> = {
  AddExpression: 'Add',
  SubExpression: 'Subtract',
  MulExpression: 'Multiply',
  DivExpression: 'Divide',
  ModExpression: 'Modulo',
};

/** The numeric types in the order ODL promotes them (an Edm.Int32 to an Edm.Int64, to a Single, a Double, a Decimal). */
const NUMERIC_ORDER = ['Edm.SByte', 'Edm.Byte', 'Edm.Int16', 'Edm.Int32', 'Edm.Int64', 'Edm.Single', 'Edm.Double', 'Edm.Decimal'];

/**
 * The type of an arithmetic expression, or 400 where Graph's binder refuses its operands (Microsoft.OData.Core's
 * BinaryOperatorBinder.PromoteOperandTypes, TypePromotionUtils' arithmetic signatures: `add`, `sub`, `mul`, `div`,
 * `mod` take two numbers, `add` and `sub` also a date or time with a duration; OData URL Conventions 4.01 §5.1.1.2):
 * `MetadataBinder_IncompatibleOperandsError`. Two numbers give the wider one; a null literal takes the other's type.
 * An untyped operand, and two dates or times (ODL's temporal signatures not modelled), claim nothing: untyped.
 */
function arithmeticType(kind: string, left: Compiled, right: Compiled): EdmType | undefined {
  const [l, r] = [left.type?.name, right.type?.name];
  if (l === undefined || r === undefined) {
    const other = l ?? r;
    return (left.literal === null || right.literal === null) && other && NUMERIC.test(other) ? { name: other } : undefined;
  }
  if (NUMERIC.test(l) && NUMERIC.test(r)) return { name: NUMERIC_ORDER.indexOf(l) >= NUMERIC_ORDER.indexOf(r) ? l : r };
  if ((kind === 'AddExpression' || kind === 'SubExpression') && TEMPORAL.test(l) && TEMPORAL.test(r)) return undefined;
  throw refuse(`A binary operator with incompatible types was detected. Found operand types '${l}' and '${r}' for operator kind '${ARITHMETIC[kind]}'.`);
}

/** The vppToken's qualified type name: the type of `$it` alone (decision 1321). */
const VPP_TOKEN_TYPE = 'microsoft.graph.vppToken';

/** Refuses `and` or `or` between operands that are not Boolean, as Graph's reader does (a null literal aside). */
function bothBoolean(kind: 'And' | 'Or', left: Compiled, right: Compiled): void {
  const wrong = [left, right].find((side) => side.type && side.type.name !== 'Edm.Boolean');
  if (wrong) throw refuse(`A binary operator with incompatible types was detected. Found operand types '${left.type?.name ?? 'null'}' and '${right.type?.name ?? 'null'}' for operator kind '${kind}'.`);
}

/** The parser's nodes that only hold another (an expression, parentheses, a member's start): no token of Graph's binder. */
const WRAPPERS: ReadonlySet<string> = new Set(['CommonExpression', 'BoolParenExpression', 'ParenExpression', 'FirstMemberExpression', 'MemberExpression']);

/**
 * What compile() binds a node in: the vppToken's properties, the option read (for its words), the range variables of
 * the lambdas around it (`t` in `roleScopeTagIds/any(t: t eq '0')`, with its element's type when primitive), and the
 * first construct met that the mock does not model (decision 1240).
 */
interface Scope {
  properties: VppTokenProperties;
  option: '$filter' | '$orderby';
  ranges: ReadonlyMap<string, EdmType | undefined>;
  /** The range variables whose items are complex, with their type (`r` in `tokenActionResults/any(r: r/actionName eq 'a')`: decision 1322). */
  items: ReadonlyMap<string, ComplexType>;
  unmodelled: { reason?: string };
  /** The binder's level of the node bound (the root 1), and the refusal a level past the bound meets (decision 1190). */
  level: number;
  tooDeep?: QueryOptionError;
}

/**
 * A construct the mock does not model (0146's 501), bound on as Graph's binder binds the whole expression before
 * anything runs (Microsoft.OData.Core's MetadataBinder): its type when known, so that an operator around it still
 * refuses what Graph refuses, and the first one met kept for the 501 answered when nothing is refused (decision 1240).
 */
function notModelled(scope: Scope, reason: string, type?: EdmType): Compiled {
  scope.unmodelled.reason ??= reason;
  return { evaluate: () => undefined, type };
}

/**
 * What Graph's binder gives back for a canonical function the mock does not evaluate (Microsoft.OData.Core's
 * BuiltInUriFunctions): the date parts an Edm.Int32, now(), maxdatetime() and mindatetime() an Edm.DateTimeOffset,
 * concat and substring an Edm.String. Others (date, time, round, ...) are left untyped: no type error claimed.
 */
const UNMODELLED_FUNCTION_TYPES: Readonly<Record<string, string>> = {
  year: 'Edm.Int32',
  month: 'Edm.Int32',
  day: 'Edm.Int32',
  hour: 'Edm.Int32',
  minute: 'Edm.Int32',
  second: 'Edm.Int32',
  totaloffsetminutes: 'Edm.Int32',
  now: 'Edm.DateTimeOffset',
  maxdatetime: 'Edm.DateTimeOffset',
  mindatetime: 'Edm.DateTimeOffset',
  concat: 'Edm.String',
  substring: 'Edm.String',
  matchespattern: 'Edm.Boolean',
};

/**
 * The signatures Graph's binder matches a canonical function's arguments against, in its order, each parameter as its
 * message writes it (`Edm.String Nullable=true`, `Edm.Int32`): Microsoft.OData.Core's BuiltInUriFunctions (7.6),
 * read by FunctionCallBinder before anything runs; OData URL Conventions 4.01 §5.1.1.7 (string), §5.1.1.8 (date and
 * time), §5.1.1.9 (arithmetic) functions. The functions the mock evaluates and those it binds and answers 501 alike
 * (decisions 1240, 1302).
 */
const SIGNATURES: Readonly<Record<string, readonly (readonly string[])[]>> = (() => {
  const nullable = (type: string) => `${type} Nullable=true`;
  const [string, int, dateTimeOffset] = [nullable('Edm.String'), 'Edm.Int32', 'Edm.DateTimeOffset'];
  /** One parameter of each type, each not nullable, then nullable (ODL's CreateDateTimeFunctionSignatureArray and its like). */
  const oneOf = (...types: string[]) => types.flatMap((type) => [[type], [nullable(type)]]);
  const twoStrings = [[string, string]];
  const math = [['Edm.Double'], ['Edm.Decimal'], [nullable('Edm.Double')], [nullable('Edm.Decimal')]];
  const datePart = oneOf(dateTimeOffset, 'Edm.Date');
  const timePart = oneOf(dateTimeOffset, 'Edm.Duration', 'Edm.TimeOfDay');
  return {
    endswith: twoStrings,
    indexof: twoStrings,
    replace: [[string, string, string]],
    startswith: twoStrings,
    tolower: [[string]],
    toupper: [[string]],
    trim: [[string]],
    substring: [
      [string, int],
      [string, nullable(int)],
      [string, int, int],
      [string, nullable(int), int],
      [string, int, nullable(int)],
      [string, nullable(int), nullable(int)],
    ],
    contains: twoStrings,
    concat: twoStrings,
    length: [[string]],
    year: datePart,
    month: datePart,
    day: datePart,
    hour: timePart,
    minute: timePart,
    second: timePart,
    fractionalseconds: oneOf(dateTimeOffset, 'Edm.TimeOfDay'),
    totaloffsetminutes: oneOf(dateTimeOffset),
    now: [[]],
    maxdatetime: [[]],
    mindatetime: [[]],
    totalseconds: oneOf('Edm.Duration'),
    date: oneOf(dateTimeOffset),
    time: oneOf(dateTimeOffset),
    round: math,
    floor: math,
    ceiling: math,
  };
})();

/** A date or time type: ODL's promotions between them are not modelled, so no 400 is claimed between two of them. */
const TEMPORAL = /^Edm\.(DateTimeOffset|Date|TimeOfDay|Duration)$/;

/**
 * Refuses a call of a function in SIGNATURES whose arguments no signature takes, in ODL's words (FunctionCallBinder's
 * MatchSignatureToUriFunction): one of their number whose each parameter takes its argument's type (`No function
 * signature ... matches the specified arguments`, listing them all). A parameter takes an argument of
 * its type, the null literal, one whose type the kit does not know, and (ODL's promotions not being modelled) a
 * number where a number is taken, a date or time where a date or time is: no 400 is claimed for those.
 */
function checkSignature(method: string, args: readonly Compiled[]): void {
  const signatures = SIGNATURES[method.toLowerCase()];
  if (!signatures) return;
  const takes = (parameter: string, arg: Compiled) => {
    const [wanted, given] = [parameter.split(' ')[0], arg.type?.name];
    return given === undefined || given === wanted || [NUMERIC, TEMPORAL].some((family) => family.test(wanted) && family.test(given));
  };
  if (signatures.some((parameters) => parameters.length === args.length && parameters.every((parameter, n) => takes(parameter, args[n])))) return;
  const considered = signatures.map((parameters) => `${method}(${parameters.join(', ')})`).join('; ');
  throw refuse(`No function signature for the function with name '${method}' matches the specified arguments. The function signatures considered are: ${considered}.`);
}

/** A lambda's parts, put on the parser's path node by frameParser: any or all, its variable, its predicate as read. */
interface LambdaNode {
  kind: string;
  variable: string;
  predicate: Node;
}

/**
 * Compiles a parsed $filter (or a $orderby expression): the properties it names are the vppToken's (else 400), the
 * types agree (else 400), each as Graph's binder binds them from the left; a construct the mock does not model is
 * bound on and kept in `scope.unmodelled` (the caller's 501 when nothing is refused).
 */
function compile(node: Node, scope: Scope): Compiled {
  // `$it/displayName`, `microsoft.graph.vppToken/displayName`: a path from the current vppToken (decision 1280).
  const member = memberOfIt(node);
  if (member) return member.cast !== undefined && !OWN_TYPE.test(member.cast) ? notModelledCast(node, member.cast, scope) : path(member.path, scope, true);
  if (WRAPPERS.has(node.type)) return compile(node.value as Node, scope);
  // Graph's binder enters each token a level below the one that holds it and refuses past FilterLimit as it gets there,
  // from the left: what it refuses before that level is what it answers (decision 1190).
  if (scope.tooDeep && scope.level > FILTER_RECURSION_LIMIT) throw scope.tooDeep;
  const { properties } = scope;
  const below = { ...scope, level: scope.level + 1 };
  const child = (value: unknown) => compile(value as Node, below);
  const pair = () => {
    const { left, right } = node.value as { left: Node; right: Node };
    return [child(left), child(right)];
  };
  const boolean: EdmType = { name: 'Edm.Boolean' };
  switch (node.type) {
    case 'PropertyPathExpression':
      return path(node, scope);
    case 'Literal':
      return literal(node, scope);
    case 'NotModelled':
      return notModelled(scope, node.value as string);
    case 'ImplicitVariableExpression':
      // `$it` alone: the vppToken itself, ODL's ResourceRangeVariableReferenceNode typed microsoft.graph.vppToken, so
      // `$it eq 1` is refused as Graph's binder refuses it (decision 1321); what it is compared with otherwise is not modelled.
      if (node.raw !== '$it') return notModelled(scope, `The expression ${node.raw} (${node.type}) in ${scope.option} is not modelled by the mock (docs/decisions/0146).`);
      return notModelled(scope, `The expression $it (the vppToken itself) in ${scope.option} is not modelled by the mock (docs/decisions/0146).`, { name: VPP_TOKEN_TYPE });
    case 'TypeCall': {
      // Its argument bound below it, as a function's (FunctionCallBinder); a cast of a string to Edm.String is the
      // string, and what else cast or isof does is not modelled: isof a Boolean, a cast untyped (decision 1285).
      const { kind, argument, typeName } = node.value as TypeCall;
      const bound = argument && compile(argument, { ...below, level: below.level + 1 });
      if (kind === 'cast' && typeName === 'Edm.String' && bound?.type?.name === 'Edm.String') return bound;
      return notModelled(scope, `The function ${node.raw} in ${scope.option} is not modelled by the mock (docs/decisions/0146).`, kind === 'isof' ? boolean : undefined);
    }
    case 'Enum': {
      // microsoft.graph.vppTokenState'valid': the enum type named, then the member.
      const typed = /^(.*)'([^']*)'$/s.exec(node.raw);
      if (!typed) return notModelled(scope, `The enum value ${node.raw} in ${scope.option} is not modelled by the mock (docs/decisions/0146).`);
      // Its type by Graph's alias (`graph.vppTokenState'valid'`) is the namespace's (CSDL 4.01 §5.1.2; decision 1300).
      const [, written, member] = typed;
      return { evaluate: () => member, type: { name: graphNamespaced(written) }, literal: member };
    }
    case 'AndExpression': {
      const [l, r] = pair();
      bothBoolean('And', l, r);
      return {
        // Its right side read only when its left does not decide (false): the values it reads are those the result
        // depends on (the proxy's proof reads them: decision 1091).
        evaluate: (token) => {
          const a = truth(l.evaluate(token));
          if (a === false) return false;
          const b = truth(r.evaluate(token));
          return b === false ? false : a === null || b === null ? null : true;
        },
        type: boolean,
      };
    }
    case 'OrExpression': {
      const [l, r] = pair();
      bothBoolean('Or', l, r);
      return {
        // Its right side read only when its left does not decide (true), as `and`'s.
        evaluate: (token) => {
          const a = truth(l.evaluate(token));
          if (a === true) return true;
          const b = truth(r.evaluate(token));
          return b === true ? true : a === null || b === null ? null : false;
        },
        type: boolean,
      };
    }
    case 'NotExpression': {
      // @odata/parser reads `not a and b` as `not (a and b)`; OData's `not` binds tighter than `and` and `or` (URL
      // Conventions, operator precedence), so it applies to the left operand alone, as Graph reads it.
      let operand = node.value as Node;
      while (operand.type === 'CommonExpression') operand = operand.value as Node;
      if (operand.type === 'AndExpression' || operand.type === 'OrExpression') {
        const { left, right } = operand.value as { left: Node; right: Node };
        return compile({ ...operand, value: { left: { ...node, value: left }, right } }, scope);
      }
      const inner = child(node.value);
      // `not` takes a Boolean (outside tester M14: `not displayName` listed every vppToken).
      if (inner.type && inner.type.name !== 'Edm.Boolean') throw refuse(`A unary operator with an incompatible type was detected. Found operand type '${inner.type.name}' for operator kind 'Not'.`);
      return {
        evaluate: (token) => {
          const value = truth(inner.evaluate(token));
          return value === null ? null : !value;
        },
        type: boolean,
      };
    }
    case 'MethodCallExpression': {
      // A call of no arguments (`now()`) has no parameters in the parser's node (outside finding R146).
      const { method, parameters = [] } = node.value as { method: string; parameters?: Node[] };
      const known = STRING_METHODS[method];
      // Each argument a FunctionParameterToken, its value bound below it (FunctionCallBinder, BindFunctionParameter).
      const args = parameters.map((parameter) => compile(parameter, { ...below, level: below.level + 1 }));
      // Then matched with Graph's signatures: `substring(automaticallyUpdateApps,1)`, `round(displayName)` are 400
      // whether the mock evaluates the function or not (decision 1302).
      checkSignature(method, args);
      if (!known) {
        const gives = UNMODELLED_FUNCTION_TYPES[method.toLowerCase()];
        return notModelled(scope, `The function ${node.raw} in ${scope.option} is not modelled by the mock (docs/decisions/0146).`, gives ? { name: gives } : undefined);
      }
      return {
        evaluate: (token) => {
          const values = args.map((arg) => arg.evaluate(token));
          return values.every((v) => typeof v === 'string') ? known.apply(...(values as string[])) : null;
        },
        type: { name: known.gives },
      };
    }
    default: {
      const test = COMPARISONS[node.type];
      if (!test) {
        // Arithmetic (`add`, `sub`, ...), `has`: its operands bound (arithmetic's matched as ODL's binder matches them:
        // decision 1320), its value not modelled.
        const { left, right } = (node.value ?? {}) as { left?: Node; right?: Node };
        const operands = left && right && typeof left === 'object' && typeof right === 'object' ? pair() : undefined;
        const type = operands && ARITHMETIC[node.type] ? arithmeticType(node.type, operands[0], operands[1]) : undefined;
        return notModelled(scope, `The expression ${node.raw} (${node.type}) in ${scope.option} is not modelled by the mock (docs/decisions/0146).`, type);
      }
      const [l, r] = pair();
      checkComparison(node.type, l, r);
      const called = booleanCallCompared(node, l, r);
      if (called) return called;
      // An enum is ordered by its members' values, whichever side names the type.
      const type = l.type?.members ? l.type : r.type;
      // lt, le, gt, ge with a null side are false (URL Conventions §5.1.1.1; .NET's lifted operators), but between
      // strings, which Graph's stack compares with string.Compare, null first.
      const lifted = !['EqualsExpression', 'NotEqualsExpression'].includes(node.type) && l.type?.name !== 'Edm.String' && r.type?.name !== 'Edm.String';
      return {
        evaluate: (token) => {
          const [a, b] = [l.evaluate(token), r.evaluate(token)];
          if (lifted && (a === null || a === undefined || b === null || b === undefined)) return false;
          const found = orderValues(a, b, type);
          return found === undefined ? node.type === 'NotEqualsExpression' : test(found);
        },
        type: boolean,
      };
    }
  }
}

/** A node under its wrappers (parentheses, a member's start). */
function unwrapped(node: Node): Node {
  while (WRAPPERS.has(node.type) && node.value && typeof node.value === 'object' && 'type' in node.value) node = node.value as Node;
  return node;
}

/**
 * A Boolean function compared with true or false by eq or ne (`startswith(displayName,'A') eq true`, as generated
 * OData clients write it: outside tester M15, decision 0339): the function or its negation, null kept null (OData's
 * three-valued logic), so `startswith(displayName,'A') ne true` lists no vppToken whose displayName is null, as the
 * kit read it when the parser was given the whole comparison (decision 1241). Undefined for any other comparison.
 */
function booleanCallCompared(node: Node, l: Compiled, r: Compiled): Compiled | undefined {
  if (node.type !== 'EqualsExpression' && node.type !== 'NotEqualsExpression') return undefined;
  const { left, right } = node.value as { left: Node; right: Node };
  for (const [call, callNode, other] of [[l, left, r], [r, right, l]] as const) {
    if (unwrapped(callNode).type !== 'MethodCallExpression' || call.type?.name !== 'Edm.Boolean' || typeof other.literal !== 'boolean') continue;
    const keep = (node.type === 'EqualsExpression') === other.literal;
    return {
      evaluate: (token) => {
        const value = truth(call.evaluate(token));
        return value === null ? null : keep ? value : !value;
      },
      type: { name: 'Edm.Boolean' },
    };
  }
  return undefined;
}

/**
 * A property path, bound as Graph's binder binds it: a vppToken's property (unknown: 400), a lambda's range variable,
 * or a lambda (`roleScopeTagIds/any(t: t eq '0')`): its collection bound first (an unknown one 400; a single value
 * 400 `Any/All may only be used following a collection.`), then its predicate with the variable typed as the
 * collection's items, which must be a Boolean (Microsoft.OData.Core's LambdaBinder). A lambda, a collection alone, a
 * cast or a path into a value is not modelled (0146): 501 when nothing else is refused (decision 1240).
 */
function path(node: Node, scope: Scope, ofIt = false): Compiled {
  const { properties } = scope;
  const identifier = node.value as Node & { current?: Node };
  const first = identifier.type === 'ODataIdentifier' ? identifier : identifier.current;
  const name = first?.type === 'ODataIdentifier' ? (first.value as { name?: unknown }).name : undefined;
  const lambda = (node as Node & { lambda?: LambdaNode }).lambda;
  const unmodelledPath = (type?: EdmType) => notModelled(scope, `The path ${node.raw} in ${scope.option} is not modelled by the mock (a lambda, a cast or a path into a value; docs/decisions/0146).`, type);
  if (typeof name !== 'string') return unmodelledPath();
  if (!ofIt && scope.ranges.has(name)) {
    if (!node.raw.includes('/')) return { evaluate: () => undefined, type: scope.ranges.get(name) };
    const item = scope.items.get(name);
    return (item && itemPath(identifier, item)) ?? unmodelledPath();
  }
  const property = properties.byName.get(name.toLowerCase());
  if (!property) throw unknownProperty(name);
  if (lambda) {
    if (!properties.collections.has(property)) throw refuse('Any/All may only be used following a collection.');
    // The lambda is met before its predicate: the 501 names it.
    const answer = unmodelledPath({ name: 'Edm.Boolean' });
    const ranges = new Map(scope.ranges).set(lambda.variable, properties.elementTypes.get(property));
    const items = new Map(scope.items);
    const item = properties.itemTypes.get(property);
    if (item) items.set(lambda.variable, item);
    else items.delete(lambda.variable);
    const predicate = compile(lambda.predicate, { ...scope, ranges, items, level: scope.level + 1 });
    if (predicate.type && predicate.type.name !== 'Edm.Boolean') throw refuse('The Any/All query expression must evaluate to a single boolean value.');
    return answer;
  }
  if (node.raw.includes('/')) return unmodelledPath();
  if (properties.collections.has(property)) return notModelled(scope, `The property ${property} is a collection: compare its items with any() or all(), which the mock does not model (docs/decisions/0146).`);
  return { evaluate: (token) => token[property] as Value, type: properties.types.get(property) };
}

/**
 * A path from a lambda's range variable into its complex item (`r/actionName`), bound as Graph's binder binds a
 * property of the item's declared type (decision 1322): an undeclared one is `Could not find a property named 'nope' on
 * type 'microsoft.graph.vppTokenActionResult'.` (400), a declared one its type (the lambda, which the mock does not
 * evaluate, being 501). Undefined for a path the kit does not bind (a further segment, a lambda on the property).
 */
function itemPath(identifier: Node & { next?: Node }, item: ComplexType): Compiled | undefined {
  const member = identifier.next?.value as Node | undefined;
  const segment = member?.type === 'MemberExpression' ? (member.value as Node & { lambda?: LambdaNode }) : undefined;
  if (segment?.type !== 'PropertyPathExpression' || segment.lambda) return undefined;
  const value = segment.value as Node & { current?: Node };
  const first = value.type === 'ODataIdentifier' ? value : value.current;
  const name = first?.type === 'ODataIdentifier' ? (first.value as { name?: unknown }).name : undefined;
  if (typeof name !== 'string') return undefined;
  const property = item.byName.get(name.toLowerCase());
  if (!property) throw refuse(`Could not find a property named '${name}' on type '${item.name}'.`);
  return first === value ? { evaluate: () => undefined, type: item.types.get(property) } : undefined;
}

/**
 * The vppToken's own qualified type name, which a type-cast segment before a property may name (decisions 1280, 1286),
 * by Graph's namespace or its alias (`graph.vppToken/displayName`: decision 1300).
 */
export const OWN_TYPE = graphTypePattern('vppToken');

/**
 * A member path that starts at the current vppToken rather than at a property, as the parser reads it: `$it/` then a
 * property (OData URL Conventions 4.01 §5.1.1.12: `$it` is the current instance of the collection the resource path
 * names, the vppToken, inside a lambda too), and a type-cast segment then a property (`microsoft.graph.vppToken/displayName`,
 * also after `$it/`): the property path, and the cast's type name when there is one. Undefined for any other node.
 */
function memberOfIt(node: Node): { path: Node; cast?: string } | undefined {
  let member: unknown = node;
  if (node.type === 'FirstMemberExpression' && Array.isArray(node.value)) {
    const [start, next] = node.value as Node[];
    if (start?.type !== 'ImplicitVariableExpression' || next?.type !== 'MemberExpression') return undefined;
    member = next;
  } else if (node.type !== 'MemberExpression') return undefined;
  const inner = (member as Node).value as Node | { name?: Node; value?: Node };
  if ('type' in inner && inner.type === 'PropertyPathExpression') return member === node ? undefined : { path: inner as Node };
  const { name, value } = inner as { name?: Node; value?: Node };
  if (name?.type !== 'QualifiedEntityTypeName' || value?.type !== 'PropertyPathExpression') return undefined;
  return { path: value, cast: name.raw };
}

/** A type-cast segment to another type than the vppToken's (`microsoft.graph.user/displayName`): not modelled (0146). */
const notModelledCast = (node: Node, cast: string, scope: Scope): Compiled =>
  notModelled(scope, `The type cast ${cast} in ${node.raw} in ${scope.option} is not modelled by the mock (only microsoft.graph.vppToken, the vppToken's own type, or graph.vppToken by its alias, is read; docs/decisions/0146).`);

/** OData's operators and literals, which its ABNF writes as case-insensitive strings (RFC 5234 §2.3). */
const KEYWORDS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not', 'has', 'in', 'true', 'false', 'null']);

/**
 * Where the string literal opening at `start` (a `'`) ends: the position of its closing quote, a quote doubled inside
 * it being one character of it (OData ABNF `SQUOTE-in-string`), or the text's length when none closes it. The one
 * reading of a literal for every scan of a $filter's text here.
 */
function closingQuote(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && !(text[end] === "'" && text[end + 1] !== "'")) end += text[end] === "'" ? 2 : 1;
  return end;
}

/**
 * A $filter as Graph's OData reader takes it, in the spelling @odata/parser reads (outside tester I9): operators and
 * literals in any case (`EQ`, `NOT`, `True`), a function name in any case (`startsWith`, as Graph's documentation
 * writes it), and `not(` without a space, which Microsoft.OData.Core reads as the `not` operator. Quoted strings are
 * left as they are. `at` maps a position in the text read back to one in the text given (a space added after `not`).
 */
function asParserReads(text: string): { text: string; at: (position: number) => number } {
  let out = '';
  const added: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] === "'") {
      // A string literal, its quotes doubled inside: as it is.
      const end = closingQuote(text, i);
      out += text.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0];
    if (word === undefined || (i > 0 && /[A-Za-z0-9_.'/]/.test(text[i - 1]))) {
      out += text[i];
      i++;
      continue;
    }
    const lower = word.toLowerCase();
    const call = /^\s*\(/.test(text.slice(i + word.length));
    if (lower === 'not' && text[i + word.length] === '(') {
      out += 'not ';
      added.push(out.length - 1);
    } else out += KEYWORDS.has(lower) || call ? lower : word;
    i += word.length;
  }
  return { text: out, at: (position) => position - added.filter((p) => p < position).length };
}

/**
 * The most steps of recursion Graph's OData reader takes in a $filter: Microsoft.OData.Core's UriQueryExpressionParser
 * counts one step for each parse method it is inside (RecurseEnter) and answers `The recursion limit has been
 * exceeded.` past ODataUriParserSettings.FilterLimit, 800 by default (docs/decisions/0840).
 */
export const FILTER_RECURSION_LIMIT = 800;
/** The steps the reader is inside at an operand: ParseExpression, ParseLogicalOr, ParseLogicalAnd, ParseComparison, ParseAdditive, ParseMultiplicative, ParsePrimary. */
const STEPS_PER_OPERAND = 7;

/**
 * How deep Graph's OData reader recurses to read `text` (FILTER_RECURSION_LIMIT's steps), found by one linear scan,
 * before any parse: each operand is 7 steps below the expression that holds it, a parenthesis or a call's arguments
 * (`tolower(`, `any(`) an expression at its operand's depth, and each `not` before an operand one step more (its
 * ParseUnary stays entered while the operand is read). String literals are skipped, their quotes doubled inside.
 */
export function filterRecursionDepth(text: string): number {
  const levels: { base: number; nots: number }[] = [];
  let [base, nots, deepest] = [0, 0, 0];
  const operand = () => (deepest = Math.max(deepest, base + STEPS_PER_OPERAND + nots));
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === "'") {
      operand();
      nots = 0;
      i = closingQuote(text, i) + 1;
    } else if (c === '(') {
      operand();
      levels.push({ base, nots });
      [base, nots] = [base + STEPS_PER_OPERAND + nots, 0];
      i++;
    } else if (c === ')') {
      base = levels.pop()?.base ?? 0;
      nots = 0;
      i++;
    } else if (/[A-Za-z0-9_]/.test(c)) {
      let end = i + 1;
      while (end < text.length && /[A-Za-z0-9_.:+-]/.test(text[end])) end++;
      const word = text.slice(i, end);
      let next = end;
      while (next < text.length && /\s/.test(text[next])) next++;
      if (word.toLowerCase() === 'not') nots++;
      else if (/^(eq|ne|gt|ge|lt|le|and|or|has|in|add|sub|mul|div|divby|mod)$/i.test(word)) nots = 0;
      else if (text[next] !== '(') {
        // An operand (a property, a literal); a name before `(` is a call, whose `(` counts it.
        operand();
        nots = 0;
      }
      i = end;
    } else i++;
  }
  return deepest;
}

/** What @odata/parser reads a $filter into, with the position after what it read. */
type FilterParser = { filter(text: string): Node & { next: number } };

/**
 * A $filter's frame, read by one linear pass (decisions 1030, 1241): chains of `and`, `or` and the comparisons, `not`,
 * and parentheses around an expression, down to the operands between them (the leaves: a property, a literal, a call,
 * arithmetic), which @odata/parser reads one at a time. The parser reads a chain by recursion, copying the text of
 * each link, so its cost grows with the cube of the chain's length (1,200 operands held the server for seconds,
 * outside finding R111); a leaf holds no chain, except a lambda's predicate, which is read the same way.
 */
type Frame =
  | { kind: 'chain'; type: string; left: Frame; right: Frame; start: number; end: number; depth: number }
  | { kind: 'not'; operand: Frame; start: number; end: number; depth: number }
  | { kind: 'group'; inner: Frame; start: number; end: number; depth: number }
  | { kind: 'leaf'; start: number; end: number; lambdas: Lambda[]; depth: number; node?: Node };
/** A lambda's predicate in a leaf (`any(r: ...)`): read as a frame of its own, and given to the parser as `true`. */
interface Lambda {
  kind: string;
  variable: string;
  bodyStart: number;
  bodyEnd: number;
  body: Frame;
}

/** A syntax error at a position of the text read (asParserReads), refused by the caller in the client's words. */
class FilterSyntaxError extends Error {
  constructor(readonly position: number) {
    super(`Syntax error at ${position}`);
  }
}

/** What @odata/parser reads as whitespace (its RWS and BWS): a space or a tab (its %20 and %09 are refused before, with every %). */
const whitespaceAt = (text: string, i: number): number => (text[i] === ' ' || text[i] === '\t' ? 1 : 0);

/**
 * The positions of a $filter's parentheses and quotes, by one pass: for each `(` the position of its `)` (or -1
 * when it is never closed), and for each `'` that opens a string literal the position after it ends.
 */
function scanFilter(text: string): { closeOf: Map<number, number>; stringEnd: Map<number, number> } {
  const closeOf = new Map<number, number>();
  const stringEnd = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] === "'") {
      const end = closingQuote(text, i);
      stringEnd.set(i, Math.min(end + 1, text.length));
      i = end + 1;
    } else {
      if (text[i] === '(') open.push(i);
      else if (text[i] === ')' && open.length > 0) closeOf.set(open.pop()!, i);
      i++;
    }
  }
  for (const i of open) closeOf.set(i, -1);
  return { closeOf, stringEnd };
}

/**
 * Reads a $filter's frame (Frame) from `text` as Graph's reader groups it: `or` below `and` below the comparisons below
 * `not`, each chain from the left (UriQueryExpressionParser's ParseLogicalOr, ParseLogicalAnd and ParseComparison
 * loop; decision 1241). Operators are words between whitespace; a parenthesis is a group where an operand starts and
 * an operator, `)` or the end follows it. Each node carries the depth Graph's binder reaches below it (bindingDepth), a leaf
 * counted 1 until it is read: the chain is refused past the bound before any leaf is parsed. Throws FilterSyntaxError.
 */
const OR: Readonly<Record<string, string>> = { or: 'OrExpression' };
const AND: Readonly<Record<string, string>> = { and: 'AndExpression' };
/** The comparison operators, by the parser's node types (COMPARISONS), read by the frame as ParseComparison reads them. */
const COMPARISON_WORDS: Readonly<Record<string, string>> = {
  eq: 'EqualsExpression',
  ne: 'NotEqualsExpression',
  gt: 'GreaterThanExpression',
  ge: 'GreaterOrEqualsExpression',
  lt: 'LesserThanExpression',
  le: 'LesserOrEqualsExpression',
};
const BINARY_WORDS: Readonly<Record<string, string>> = { ...OR, ...AND, ...COMPARISON_WORDS };

function readFrame(text: string): Frame {
  const { closeOf, stringEnd } = scanFilter(text);
  let i = 0;
  const skipSpace = (at: number): number => {
    let n: number;
    while ((n = whitespaceAt(text, at)) > 0) at += n;
    return at;
  };
  /** The operator (`and`, `or`, `eq`, ...) at `at`, whitespace before and after it, and where its right operand starts. */
  const operatorAt = (at: number, word: string): number | undefined => {
    const before = skipSpace(at);
    if (before === at || !text.startsWith(word, before)) return undefined;
    const after = skipSpace(before + word.length);
    return after === before + word.length ? undefined : after;
  };
  /** Whether a frame's count is the binder's exact one already: each leaf a single property or literal (1 level). */
  const exact = (frame: Frame): boolean =>
    frame.kind === 'leaf' ? frame.lambdas.length === 0 && /^[^\s()]+$/.test(text.slice(frame.start, frame.end)) : frame.kind === 'chain' ? exact(frame.left) && exact(frame.right) : exact(frame.kind === 'not' ? frame.operand : frame.inner);
  const refuseDepth = (depth: number, ...below: Frame[]): void => {
    if (depth > FILTER_RECURSION_LIMIT) throw bindingTooDeep(depth, !below.every(exact));
  };
  /** The first of `operators` at `at`: the parser's node type and where its right operand starts. */
  const oneOf = (at: number, operators: Readonly<Record<string, string>>): { type: string; next: number } | undefined => {
    for (const word in operators) {
      const next = operatorAt(at, word);
      if (next !== undefined) return { type: operators[word], next };
    }
    return undefined;
  };
  const chain = (operators: Readonly<Record<string, string>>, operand: () => Frame): Frame => {
    let left = operand();
    for (let found: { type: string; next: number } | undefined; (found = oneOf(i, operators)) !== undefined; ) {
      const start = left.start;
      i = found.next;
      const right = operand();
      const depth = 1 + Math.max(left.depth, right.depth);
      refuseDepth(depth, left, right);
      left = { kind: 'chain', type: found.type, left, right, start, end: right.end, depth };
    }
    return left;
  };
  // Comparisons below and, and below or, each from the left: ParseComparison loops as ParseLogicalAnd does (R147).
  const or = (): Frame => chain(OR, () => chain(AND, () => chain(COMPARISON_WORDS, unary)));
  /** An operator that ends an operand: and, or, a comparison. */
  const operatorNext = (at: number): boolean => oneOf(at, BINARY_WORDS) !== undefined;
  /** The operands of a leaf or a lambda's predicate end at `)` of an enclosing group, an operator, or the end. */
  const endsOperand = (at: number): boolean => {
    const next = skipSpace(at);
    return next >= text.length || text[next] === ')' || operatorNext(at);
  };
  const unary = (): Frame => {
    const start = i;
    if (text.startsWith('not', i) && whitespaceAt(text, i + 3) > 0 && !/[A-Za-z0-9_.'/]/.test(text[i - 1] ?? ' ')) {
      i = skipSpace(i + 3);
      const operand = unary();
      refuseDepth(operand.depth + 1, operand);
      return { kind: 'not', operand, start, end: operand.end, depth: operand.depth + 1 };
    }
    const close = closeOf.get(i);
    if (close !== undefined && close >= 0 && endsOperand(close + 1)) {
      i = skipSpace(i + 1);
      const inner = or();
      if (skipSpace(i) !== close) throw new FilterSyntaxError(skipSpace(i));
      i = close + 1;
      return { kind: 'group', inner, start, end: i, depth: inner.depth };
    }
    return leaf();
  };
  const leaf = (): Frame => {
    const start = i;
    const lambdas: Lambda[] = [];
    let end = i;
    while (i < text.length) {
      if (text[i] === ')') break;
      if (whitespaceAt(text, i) > 0) {
        if (operatorNext(i)) break;
        i = skipSpace(i);
        continue;
      }
      const string = stringEnd.get(i);
      if (string !== undefined) {
        i = end = string;
        continue;
      }
      const close = closeOf.get(i);
      if (close === undefined) {
        i = end = i + 1;
        continue;
      }
      if (close < 0) {
        i = end = text.length;
        break;
      }
      // A lambda (`/any(r: ...)`, `/all(r: ...)`): its predicate read as a frame of its own.
      const lambda = /\/(any|all)$/.test(text.slice(Math.max(0, i - 4), i)) ? /^\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*/.exec(text.slice(i, close)) : null;
      if (lambda) {
        const saved = i;
        i = saved + lambda[0].length;
        const body = or();
        if (skipSpace(i) !== close) throw new FilterSyntaxError(skipSpace(i));
        lambdas.push({ kind: text.slice(i - 3, i), variable: lambda[1], bodyStart: saved + lambda[0].length, bodyEnd: close, body });
      }
      i = end = close + 1;
    }
    // Whitespace before and/or or `)` is the parser's RWS or BWS; at the end of the text it is the leaf's (a syntax error).
    if (i >= text.length) end = text.length;
    const depth = 1 + Math.max(0, ...lambdas.map((l) => l.body.depth));
    const frame: Frame = { kind: 'leaf', start, end, lambdas, depth };
    refuseDepth(depth, frame);
    return frame;
  };
  const frame = or();
  if (i < text.length) throw new FilterSyntaxError(i);
  return frame;
}

/** The refusal past the binder's bound (decision 1030): Graph's words, the count and the bound. */
const bindingTooDeep = (depth: number, atLeast = false): QueryOptionError =>
  refuse(`The recursion limit has been exceeded: this $filter binds ${atLeast ? 'at least ' : ''}${depth} levels deep in Graph's OData binder, and it binds ${FILTER_RECURSION_LIMIT} (1 for each operand of a chain of and or or, each not, comparison and call: at most ${FILTER_RECURSION_LIMIT - 1} comparisons joined by and or or).`);

/**
 * How deep Graph's OData binder goes into a node the parser read (MetadataBinder.Bind enters BindingState.RecurseEnter
 * once for each token it binds, refused past FilterLimit, 800): an operator, a not, a comparison, a call and each of its
 * arguments (a FunctionParameterToken, then its value) one level; a property or a literal one; parentheses none.
 */
function bindingDepth(node: Node): number {
  if (WRAPPERS.has(node.type)) return node.value && typeof node.value === 'object' && 'type' in node.value ? bindingDepth(node.value as Node) : 1;
  switch (node.type) {
    case 'NotExpression':
      return 1 + bindingDepth(node.value as Node);
    case 'MethodCallExpression': {
      const { parameters = [] } = node.value as { parameters?: Node[] };
      return 1 + Math.max(0, ...parameters.map((p) => 1 + bindingDepth(p)));
    }
    case 'TypeCall': {
      // Its argument and its type name each a parameter, as a call's (decision 1285).
      const { argument } = node.value as TypeCall;
      return 1 + Math.max(2, argument ? 1 + bindingDepth(argument) : 0);
    }
    default: {
      const value = node.value as { left?: Node; right?: Node } | undefined;
      if (value && typeof value === 'object' && value.left && value.right) return 1 + Math.max(bindingDepth(value.left), bindingDepth(value.right));
      return 1;
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
  const { evaluate, type, unmodelled } = bindExpression(text, properties, '$filter');
  // The whole expression is a Boolean (OData URL Conventions §5.1.1): `displayName` alone selects nothing Graph can say.
  if (type && type.name !== 'Edm.Boolean') throw refuse('The $filter expression must evaluate to a single boolean value.');
  // What the mock does not model, answered only once the whole expression is bound and nothing in it is refused (1240).
  if (unmodelled !== undefined) throw refuse(unmodelled, 501);
  return (token) => evaluate(token) === true;
}

/**
 * A $orderby item's expression other than a property alone (`tolower(displayName)`, `length(displayName)`): OData's
 * `orderbyItem = commonExpr [ RWS ( "asc" / "desc" ) ]`, which Graph's OrderByBinder binds as any single value. Read and
 * bound as a $filter's operand is (400 for what Graph refuses); its value for a vppToken, its type, and what in it the
 * mock does not model (`concat`, a lambda), for the caller's 501 once the rest of the query is read (decision 1242).
 */
export function compileOrderKey(text: string, properties: VppTokenProperties): { evaluate: (vppToken: Readonly<Record<string, unknown>>) => unknown; type?: EdmType; unmodelled?: string } {
  return bindExpression(text, properties, '$orderby');
}

/**
 * An option's comma-separated items ($orderby's), split at the commas outside parentheses and string literals, each
 * trimmed: `concat(displayName,'a'),id desc` is two. An empty item is left for the caller to refuse.
 */
export function splitItems(text: string): string[] {
  const list: string[] = [];
  let [depth, from] = [0, 0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "'") i = closingQuote(text, i);
    else if (text[i] === '(') depth++;
    else if (text[i] === ')') depth = Math.max(0, depth - 1);
    else if (text[i] === ',' && depth === 0) {
      list.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  list.push(text.slice(from).trim());
  return list;
}

/**
 * Reads and binds an expression of `option` ($filter, or a $orderby item) as Graph's reader and binder take it: the
 * % and depth bounds, the frame (1030, 1241), each operand parsed, the binder's bound, then compile() (1240).
 */
function bindExpression(text: string, properties: VppTokenProperties, option: Scope['option']): Compiled & { unmodelled?: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultParser } = require('@odata/parser') as { defaultParser: FilterParser };
  // A % outside a string literal: Graph reads the query decoded once, and its OData lexer takes no percent-encoding
  // ("Syntax error: character '%' is not valid"); @odata/parser would read %20 as a space and %28 as a parenthesis,
  // around the depth bound below (decision 1030).
  const percent = percentOutsideStrings(text);
  if (percent !== undefined) throw refuse(`Syntax error at position ${percent} in ${option} ${JSON.stringify(text)}: the character '%' is not valid outside a string literal (the query is decoded once; write a space, not %20).`);
  // Refused before any parse, as Graph's reader refuses it: the parser's cost grows faster than the depth, and a
  // parse thousands of levels deep overflows the stack (outside finding R96).
  const depth = filterRecursionDepth(text);
  if (depth > FILTER_RECURSION_LIMIT) {
    throw refuse(`The recursion limit has been exceeded: this ${option} nests ${depth} steps of Graph's OData reader deep, and it reads ${FILTER_RECURSION_LIMIT} (7 for each level of parentheses or of a function call's arguments, 1 for each not before an operand: at most 113 levels of parentheses).`);
  }
  const read = asParserReads(text);
  const syntaxError = (position: number) => refuse(`Syntax error at position ${read.at(position)} in ${option} ${JSON.stringify(text)}.`);
  let frame: Frame;
  try {
    frame = readFrame(read.text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw syntaxError(error.position);
    throw error;
  }
  const tree = frameParser(read.text, defaultParser, text, syntaxError)(frame);
  // The binder's depth with each leaf as read (a comparison is 2 deep, a call 3); past the bound, refused where the
  // binder gets past it, unless what it binds before that is refused first (decision 1190).
  const bound = bindingDepthOf(frame);
  const tooDeep = bound > FILTER_RECURSION_LIMIT ? bindingTooDeep(bound) : undefined;
  const unmodelled: Scope['unmodelled'] = {};
  const compiled = compile(tree, { properties, option, ranges: new Map(), items: new Map(), unmodelled, level: 1, ...(tooDeep ? { tooDeep } : {}) });
  // (compile() counts as bindingDepthOf does; were they ever to differ, the bound still holds.)
  if (tooDeep) throw tooDeep;
  return { ...compiled, unmodelled: unmodelled.reason };
}

/** The position of the first % outside a string literal, if any. */
function percentOutsideStrings(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "'") i = closingQuote(text, i);
    else if (text[i] === '%') return i;
  }
  return undefined;
}

/** The binder's depth of a frame whose leaves are read (bindingDepth); the frame is at most the bound deep. */
function bindingDepthOf(frame: Frame): number {
  switch (frame.kind) {
    case 'chain':
      return 1 + Math.max(bindingDepthOf(frame.left), bindingDepthOf(frame.right));
    case 'not':
      // The frame reads a comparison above a not (`not displayName eq tolower('a')` is `(not displayName) eq ...`), so
      // a not is one level above what it binds, as Graph's binder has it (decisions 1190, 1241).
      return 1 + bindingDepthOf(frame.operand);
    case 'group':
      return bindingDepthOf(frame.inner);
    case 'leaf':
      return leafDepth(frame, frame.node);
  }
}

/** A leaf's depth in the binder: its node's as read (1 until it is), or a lambda's predicate's below it. */
const leafDepth = (leaf: Extract<Frame, { kind: 'leaf' }>, node: Node | undefined): number =>
  Math.max(node ? bindingDepth(node) : 1, ...leaf.lambdas.map((l) => 1 + bindingDepthOf(l.body)));

/**
 * The reader of a frame of `source` (the text as the parser reads it, asParserReads): it parses each leaf with
 * @odata/parser and builds the tree compile() reads: the parser's own nodes for the leaves, and AndExpression,
 * OrExpression, NotExpression and BoolParenExpression nodes for the frame. A lambda's predicate is given to the parser
 * as `true` (padded to its length, so positions stay), its own leaves read. `text` is the $filter as given, for the
 * parser's errors; `syntaxError` says one at a position of `source`.
 */
function frameParser(source: string, parser: FilterParser, text: string, syntaxError: (position: number) => QueryOptionError): (frame: Frame) => Node {
  const parseFrame = (frame: Frame): Node => {
    const raw = source.slice(frame.start, frame.end);
    switch (frame.kind) {
      case 'chain':
        return { type: frame.type, raw, value: { left: parseFrame(frame.left), right: parseFrame(frame.right) } };
      case 'not':
        return { type: 'NotExpression', raw, value: parseFrame(frame.operand) };
      case 'group':
        return { type: 'BoolParenExpression', raw, value: parseFrame(frame.inner) };
      case 'leaf': {
        let leafText = raw;
        const predicates = frame.lambdas.map((lambda) => {
          const predicate = parseFrame(lambda.body);
          const [from, to] = [lambda.bodyStart - frame.start, lambda.bodyEnd - frame.start];
          if (to - from >= 4) leafText = leafText.slice(0, from) + ' '.repeat(to - from - 4) + 'true' + leafText.slice(to);
          return predicate;
        });
        const node = parseOperand(leafText, parser, text, (position) => syntaxError(frame.start + position));
        if (leafText !== raw) restoreRaw(node, raw);
        frame.lambdas.forEach((lambda, n) => putLambda(node, lambda.bodyStart - frame.start, { kind: lambda.kind, variable: lambda.variable, predicate: predicates[n] }));
        frame.node = node;
        return node;
      }
    }
  };
  return parseFrame;
}

/** A cast or isof call (OData's castExpr, isofExpr) as read around the parser: its argument, when given, and its type name. */
interface TypeCall {
  kind: 'cast' | 'isof';
  argument?: Node;
  typeName: string;
}

/** OData's qualifiedTypeName: a namespace-qualified name (`Edm.String`, `microsoft.graph.vppToken`) or a collection of one. */
const QUALIFIED_TYPE_NAME = /^(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|Collection\(\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\s*\))$/;

/** A cast or isof call's name and its parenthesis, where a scan stands (sticky). */
const TYPE_CALL = /(cast|isof)\s*\(/y;

/**
 * An operand read by the parser, OData's `cast` and `isof` in it read around it (URL Conventions 4.01 §5.1.1.10; ABNF
 * `castExpr = "cast" OPEN BWS [ firstExpr BWS COMMA BWS ] optionallyQualifiedTypeName BWS CLOSE`, isofExpr alike;
 * decision 1285): @odata/parser tries a member before a cast, so it read `cast(displayName,Edm.String)` as a property
 * named cast and answered a syntax error, and it reads isof only where a Boolean stands. Each call, outermost first,
 * is given to the parser as a string literal of its length (positions stay), its argument read alone the same way,
 * and the call put back on the literal's node as a TypeCall node, which compile() binds as Graph's FunctionCallBinder
 * binds cast and isof (the argument bound, the type name last).
 */
function parseOperand(operand: string, parser: FilterParser, text: string, syntaxError: (position: number) => QueryOptionError): Node {
  const calls: (TypeCall & { start: number; end: number; argumentAt?: [number, number] })[] = [];
  for (let i = 0; i < operand.length; i++) {
    if (operand[i] === "'") {
      i = closingQuote(operand, i);
      continue;
    }
    TYPE_CALL.lastIndex = i;
    const call = TYPE_CALL.exec(operand);
    if (!call || /[A-Za-z0-9_.'/]/.test(operand[i - 1] ?? ' ')) continue;
    // Its closing parenthesis and its last comma outside parentheses and strings.
    let [depth, comma, close] = [0, -1, -1];
    for (let j = i + call[0].length - 1; j < operand.length && close < 0; j++) {
      if (operand[j] === "'") j = closingQuote(operand, j);
      else if (operand[j] === '(') depth++;
      else if (operand[j] === ')' && --depth === 0) close = j;
      else if (operand[j] === ',' && depth === 1) comma = j;
    }
    if (close < 0) break;
    const typeName = operand.slice(comma < 0 ? i + call[0].length : comma + 1, close).trim();
    // A type name that is none: left to the parser, whose syntax error it is.
    if (!QUALIFIED_TYPE_NAME.test(typeName)) continue;
    const found: (typeof calls)[number] = { kind: call[1] as TypeCall['kind'], typeName, start: i, end: close + 1 };
    if (comma >= 0) {
      const written = operand.slice(i + call[0].length, comma);
      const from = i + call[0].length + written.length - written.trimStart().length;
      found.argumentAt = [from, from + written.trim().length];
    }
    calls.push(found);
    i = close;
  }
  let given = operand;
  for (const { start, end } of calls) given = `${given.slice(0, start)}'${'x'.repeat(end - start - 2)}'${given.slice(end)}`;
  const node = parseLeaf(given, parser, text, syntaxError);
  for (const { kind, typeName, start, end, argumentAt } of calls) {
    const value: TypeCall = { kind, typeName };
    if (argumentAt) {
      const [from, to] = argumentAt;
      value.argument = parseOperand(operand.slice(from, to), parser, text, (position) => syntaxError(from + position));
      shiftPositions(value.argument, from);
    }
    literalAt(node, start)?.splice({ type: 'TypeCall', raw: operand.slice(start, end), value });
  }
  // Each node's words are the client's text, never the literal given in a call's place (`cast(displayName,Edm.String)
  // add 1`, not `'xxx...' add 1`, in a 501: outside finding W1, decision 1301).
  if (calls.length > 0) restoreRaw(node, operand);
  return node;
}

/** Moves every node's position in `value` by `by` (an operand read alone, put back into the text that holds it). */
function shiftPositions(value: unknown, by: number): void {
  if (!value || typeof value !== 'object') return;
  const node = value as { position?: unknown; next?: unknown };
  if (typeof node.position === 'number' && typeof node.next === 'number') [node.position, node.next] = [node.position + by, node.next + by];
  for (const child of Object.values(value)) shiftPositions(child, by);
}

/** The literal node the parser read at `start` (a call given to it as a string), to put the call in its place. */
function literalAt(value: unknown, start: number): { splice: (node: Node) => void } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const node = value as Partial<Node> & { position?: unknown };
  if (node.type === 'Literal' && node.position === start) return { splice: (call) => Object.assign(node, call) };
  for (const child of Object.values(value)) {
    const found = literalAt(child, start);
    if (found) return found;
  }
  return undefined;
}

/** One leaf read by the parser, or the client's syntax error (or 501 for what the parser does not read). */
function parseLeaf(leafText: string, parser: FilterParser, text: string, syntaxError: (position: number) => QueryOptionError): Node {
  try {
    const parsed = parser.filter(leafText);
    if (parsed.next !== leafText.length) throw syntaxError(parsed.next);
    return parsed;
  } catch (error) {
    if (error instanceof QueryOptionError) throw error;
    // In the leaf alone: the rest of the $filter is still read and bound (decisions 1193, 1240).
    if (/\s(in|has)\s*[(']/i.test(leafText)) return { type: 'NotModelled', raw: leafText, value: `The operator in or has in $filter is not modelled by the mock (docs/decisions/0146).` };
    const at = /at (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    if (at === undefined) throw refuse(`Syntax error in $filter ${JSON.stringify(text)}.`);
    throw syntaxError(Number(at));
  }
}

/**
 * Puts a lambda's parts on the path node of the leaf that holds it (the innermost path whose text holds the predicate's
 * start `at`), so that compile() binds its predicate as Graph's LambdaBinder does (decision 1240).
 */
function putLambda(value: unknown, at: number, lambda: LambdaNode): boolean {
  if (!value || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => putLambda(item, at, lambda));
  const node = value as Partial<Node> & { position?: unknown; next?: unknown; lambda?: LambdaNode };
  if (typeof node.position === 'number' && typeof node.next === 'number' && (at < node.position || at >= node.next)) return false;
  for (const child of Object.values(node)) if (child && typeof child === 'object' && putLambda(child, at, lambda)) return true;
  if (node.type !== 'PropertyPathExpression') return false;
  node.lambda = lambda;
  return true;
}

/** Each node's text as the client wrote it, where a lambda's predicate was given to the parser as `true`. */
function restoreRaw(value: unknown, raw: string): void {
  if (Array.isArray(value)) {
    for (const item of value) restoreRaw(item, raw);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const node = value as Partial<Node> & { position?: unknown; next?: unknown };
  if (typeof node.raw === 'string' && typeof node.position === 'number' && typeof node.next === 'number') node.raw = raw.slice(node.position, node.next);
  for (const child of Object.values(node)) if (child && typeof child === 'object') restoreRaw(child, raw);
}
