import type { ErrorObject } from 'ajv';
import { escapeData, holdsSToken, isSToken, redact, secretValuesIn, type Secrets } from '../net/redact';
import { argumentProblem, refuseArguments, membersProblem, oneOfProblem, optionsObjectProblem, otherKindHint } from '../net/option';

/** One thing wrong with a payload: where (a JSON pointer), what is wrong, and what is allowed. */
export interface Problem {
  /** JSON pointer to the offending value; `""` is the whole document. */
  pointer: string;
  /** What is wrong and what is allowed, for example `must be one of business, education (got "String")`. */
  message: string;
  /** The ajv keyword that failed (`enum`, `required`, `type`, ...), for programs that react to it. */
  keyword: string;
  /** The offending value as the message shows it, `(got ...)` at its end (never a credential's value). */
  got?: string;
  /** The names allowed where the message lists them, `(allowed: ...)` (an unknown property's object's properties). */
  allowed?: string[];
}

/** What a problem's message says and, as fields, the value it shows and the names it lists. */
type Told = Pick<Problem, 'message' | 'got' | 'allowed'>;

/** A message made from what is wrong, the names allowed and the value shown: the one wording of the two parts. */
function told(what: string, parts: { allowed?: string[]; got?: string } = {}): Told {
  const allowed = parts.allowed ? ` (allowed: ${parts.allowed.join(', ')})` : '';
  const got = parts.got !== undefined ? ` (got ${parts.got})` : '';
  return { message: `${what}${allowed}${got}`, ...(parts.allowed ? { allowed: parts.allowed } : {}), ...(parts.got !== undefined ? { got: parts.got } : {}) };
}

/** The value a problem shows and the names it lists, to keep beside its message where it is carried on (a request's, an answer's problem). */
export const shownParts = (p: Problem): Pick<Problem, 'got' | 'allowed'> => ({ ...(p.got !== undefined ? { got: p.got } : {}), ...(p.allowed ? { allowed: p.allowed } : {}) });

/**
 * A problem's message told from its fields for a person reading many: without the value it shows (`got: false`:
 * problems told apart only by their value are one), and with the names allowed listed, said to be as above, or
 * left out. A problem without those fields (made elsewhere) is its message.
 */
export function problemMessage(p: Told, show: { got?: boolean; allowed?: 'listed' | 'as above' | 'left out' } = {}): string {
  refuseArguments(argumentProblem('p', p, 'object', 'a Problem, an object of pointer and message'), argumentProblem('show', show, 'object'));
  // The members it reads (decision 1041: `problemMessage({})` answered undefined for a message).
  refuseArguments(argumentProblem('p.message', p.message, 'string'), argumentProblem('p.got', p.got, 'string', undefined, 'optional'), argumentProblem('p.allowed', p.allowed, 'strings', undefined, 'optional'));
  refuseArguments(optionsObjectProblem("problemMessage's show", show, ['got', 'allowed']), membersProblem(show, { got: 'boolean' }), oneOfProblem('allowed', show.allowed, ['listed', 'as above', 'left out']));
  let message = p.message;
  const got = p.got !== undefined ? ` (got ${p.got})` : '';
  if (got && show.got === false && message.endsWith(got)) message = message.slice(0, -got.length);
  const allowed = p.allowed ? ` (allowed: ${p.allowed.join(', ')})` : '';
  if (allowed && show.allowed && show.allowed !== 'listed') message = message.replace(allowed, show.allowed === 'as above' ? ' (allowed: as above)' : '');
  return message;
}

/** Properties whose values are credentials: never echoed back in a problem. */
const SECRET_PROPERTIES = new Set(['token']);

export function formatProblem(problem: Problem): string {
  refuseArguments(argumentProblem('problem', problem, 'object', 'a Problem, an object of pointer and message'));
  // The members it reads (decision 1041: `formatProblem({})` wrote "(root): undefined").
  refuseArguments(argumentProblem('problem.message', problem.message, 'string'), argumentProblem('problem.pointer', problem.pointer, 'string', 'a JSON pointer, a string', 'optional'));
  return `${problem.pointer || '(root)'}: ${problem.message}`;
}

export function formatProblems(problems: readonly Problem[]): string {
  refuseArguments(argumentProblem('problems', problems, 'array', 'an array of Problems, such as validate(kind, data).problems'));
  return problems.map(formatProblem).join('\n');
}

/**
 * Turns ajv's errors (compiled with allErrors and verbose) into one readable problem per location and cause. The
 * credentials `data` holds (its sTokens, and so each one's inner Apple token, in every spelling the one redaction
 * knows) are hidden wherever a problem would show them: a value it quotes, a property name in its pointer
 * (outside tester H12: validate, seed and the matchers quoted the inner token).
 */
export function toProblems(errors: readonly ErrorObject[], data?: unknown): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const values = errors.length > 0 && data !== undefined ? secretValuesIn(data) : [];
  const secrets: Secrets | undefined = values.length > 0 ? { values } : undefined;
  for (const error of errors) {
    const problem = describe(error, secrets);
    if (!problem) continue;
    const key = `${problem.pointer}\u0000${problem.message}`;
    // A DateTimeOffset that fails both its pattern and its format is one problem, not two.
    const locationKey = `${problem.pointer}\u0000${group(problem.keyword)}`;
    if (seen.has(key) || seen.has(locationKey)) continue;
    seen.add(key);
    seen.add(locationKey);
    problems.push(problem);
  }
  // An enum or const already says which values are allowed, so the same location's type error adds nothing.
  const listed = new Set(problems.filter((p) => p.keyword === 'enum' || p.keyword === 'const').map((p) => p.pointer));
  return problems.filter((p) => !(p.keyword === 'type' && listed.has(p.pointer)));
}

function group(keyword: string): string {
  return keyword === 'pattern' || keyword === 'format' ? 'string-shape' : keyword;
}

function describe(error: ErrorObject, secrets?: Secrets): Problem | undefined {
  const problem = describeError(error, secrets);
  // Segment by segment, so that the redaction's edge rule keeps the pointer's slashes.
  return problem && secrets ? { ...problem, pointer: problem.pointer.split('/').map((segment) => redact(segment, secrets)).join('/') } : problem;
}

function describeError(error: ErrorObject, secrets?: Secrets): Problem | undefined {
  const at = shownPointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  const got = show(error.data, at, secrets);
  switch (error.keyword) {
    case 'required':
      return { pointer: `${at}/${pointerSegment(String(params.missingProperty))}`, keyword: 'required', message: 'is required' };
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      if (typeof params.belongsTo === 'string') {
        // A property of another branch of a discriminated union (src/validation/unions.ts): a derived type's own.
        const tag = String(params.tag);
        const given = (error.data as Record<string, unknown> | undefined)?.[tag];
        const type = (params.tagMembers as string[])[0];
        return {
          pointer: `${at}/${pointerSegment(name)}`,
          keyword: 'additionalProperties',
          message: `is a property of ${params.belongsTo} only, and this item is a ${type} (${given === undefined ? `it has no ${tag}` : `its ${tag} is ${JSON.stringify(given)}`}): a derived type's item must name it in ${tag}`,
        };
      }
      const allowed = Object.keys((schema?.properties as object) ?? {});
      return {
        pointer: `${at}/${pointerSegment(name)}`,
        keyword: 'additionalProperties',
        ...told('is not a known property', { allowed }),
      };
    }
    case 'enum':
      return { pointer: at, keyword: 'enum', ...told(`must be one of ${(params.allowedValues as unknown[]).join(', ')}${otherKindHint(error.data, params.allowedValues as unknown[])}`, { got }) };
    case 'const':
      return { pointer: at, keyword: 'const', ...told(`must be ${JSON.stringify(params.allowedValue)}`, { got }) };
    case 'type': {
      const types = ([] as string[]).concat(params.type as string | string[]);
      return { pointer: at, keyword: 'type', ...told(`must be ${types.map(article).join(' or ')}`, { got }) };
    }
    case 'pattern':
    case 'format':
      return { pointer: at, keyword: error.keyword, ...told(`must be ${shapeOf(schema)}`, { got }) };
    case 'minLength':
      return {
        pointer: at,
        keyword: 'minLength',
        ...(params.limit === 1 ? told('must not be empty') : told(`must have at least ${params.limit} characters`, { got })),
      };
    case 'minimum':
    case 'maximum':
      return { pointer: at, keyword: error.keyword, ...told(`must be ${params.comparison} ${params.limit}`, { got }) };
    default:
      return { pointer: at, keyword: error.keyword, ...told(error.message ?? 'is invalid', { got }) };
  }
}

/**
 * A property's type control information that names another type than the one it is declared with (`typeControlProblems`,
 * decision 1231): what it must name, and the value it gave, shown as an enum's is (its credentials hidden).
 */
export function typeControlProblem(pointer: string, property: string, declared: string, allowed: readonly string[], value: unknown, data: unknown): Problem {
  const values = secretValuesIn(data);
  const got = show(value, pointer, values.length > 0 ? { values } : undefined);
  return { pointer, keyword: 'enum', ...told(`must name the type ${property} is declared with, ${declared}, not contradict it (OData JSON Format 4.01 §4.5.3): one of ${allowed.join(', ')}`, { got }) };
}

/**
 * The object's own type control information under OData 4.01's spelling (`@type`) naming another type than the
 * vppToken's (decision 1310): in the words the schema gives `@odata.type`'s, the value shown as an enum's is.
 */
export function objectTypeProblem(pointer: string, allowed: readonly string[], value: unknown, data: unknown): Problem {
  const values = secretValuesIn(data);
  const got = show(value, pointer, values.length > 0 ? { values } : undefined);
  return { pointer, keyword: 'enum', ...told(`must be one of ${allowed.join(', ')}: OData 4.01's spelling of @odata.type, the object's type (OData JSON Format 4.01 §4.5, §4.5.3)`, { got }) };
}

function shapeOf(schema: Record<string, unknown> | undefined): string {
  switch (schema?.title) {
    case 'DateTimeOffset':
      return 'a DateTimeOffset: RFC 3339 with Z or ±hh:mm (at most ±14:00, years 0001 to 9999; seconds may be left out), e.g. 2026-06-30T12:00:00Z, 2026-06-30T12:00:00.1234567+02:00 or 2026-06-30T12:00Z';
    case 'Guid':
      return 'a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e';
    default:
      return `a string matching ${String(schema?.pattern ?? schema?.format)}`;
  }
}

function article(type: string): string {
  if (type === 'null') return 'null';
  if (type === 'array' || type === 'object' || type === 'integer') return `an ${type}`;
  return `a ${type}`;
}

/** A short, safe rendering of the offending value: never the value of a credential, hidden before it is cut. */
function show(value: unknown, pointer: string, secrets?: Secrets): string {
  const name = pointer.slice(pointer.lastIndexOf('/') + 1);
  if (SECRET_PROPERTIES.has(name) && pointer.split('/').length === 2) {
    return typeof value === 'string' ? `a string of ${value.length} characters, not shown` : `${kindOf(value)}, not shown`;
  }
  // An sToken anywhere (a body that is the token itself, a token in the wrong property) is a credential too.
  if (typeof value === 'string' && isSToken(value)) return `a string of ${value.length} characters that is a VPP token (an sToken), not shown`;
  if (typeof value === 'string' && holdsSToken(value)) return `a string of ${value.length} characters that holds a VPP token (an sToken), not shown`;
  // NaN and ±Infinity as they are: JSON.stringify writes null, a value they are not (outside finding R58).
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'string') {
    const shown = secrets ? redact(value, secrets) : value;
    return shown.length > 60 ? `${JSON.stringify(shown.slice(0, 57))}...` : JSON.stringify(shown);
  }
  return kindOf(value);
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Printable ASCII but `/` and `~`: a name that is its own pointer segment, shown as it is. */
const PLAIN_NAME = /^[\x20-\x2e\x30-\x7d]*$/;

/**
 * A property name as a JSON pointer segment (RFC 6901: ~ as ~0, / as ~1). A name that holds an sToken (a client
 * that keys a map by token) is a credential: it stands in the pointer as `<a name of N characters that holds a VPP
 * token, not shown>`, so that every place the kit shows stays free of it.
 */
export function pointerSegment(segment: string): string {
  refuseArguments(argumentProblem('segment', segment, 'string', 'a property name, a string'));
  if (holdsSToken(segment)) return `<a name of ${segment.length} characters that holds a VPP token, not shown>`;
  // Most names are printable ASCII without ~ or /: nothing to escape (every body's every name is asked).
  if (PLAIN_NAME.test(segment)) return segment;
  // A name's control characters escaped, as a value's are (outside tester H19: `/ctl\u001b]0;t\u0007: ...`).
  return inName(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}


/** A property name as shown: every control character escaped, line ends, tabs and colour codes too (a name has none). */
const inName = escapeData;

/** A JSON pointer as shown: each segment that holds an sToken replaced as pointerSegment replaces it, control characters escaped. */
function shownPointer(pointer: string): string {
  if (!holdsSToken(pointer)) return inName(pointer);
  return pointer
    .split('/')
    .map((segment, i) => (i === 0 ? segment : pointerSegment(segment.replace(/~1/g, '/').replace(/~0/g, '~'))))
    .join('/');
}
