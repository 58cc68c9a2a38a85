import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadSchemas, schemaFiles, SCHEMA_BASE_URI, type SchemaKind } from '../schemas';
import type { GraphError, VppToken, VppTokenActionResult, VppTokenCreateRequest } from '../generated/types';
import { formatProblems, toProblems, type Problem } from './problems';


/** What each schema kind validates to. */
export interface SchemaTypes {
  request: VppTokenCreateRequest;
  response: VppToken;
  actionResult: VppTokenActionResult;
  error: GraphError;
}

export type ValidationResult<T> = { valid: true; value: T; problems: [] } | { valid: false; problems: Problem[] };

/** Thrown by the assert* functions; carries every problem, not just the first. */
export class SchemaValidationError extends Error {
  override readonly name = 'SchemaValidationError';
  constructor(
    readonly kind: SchemaKind,
    readonly problems: Problem[],
  ) {
    super(`invalid ${kind}:\n${formatProblems(problems)}`);
  }
}

interface Compiled {
  /** Stops at the first error: the fast path for the common, valid case. */
  check: ValidateFunction;
  /** Collects every error with its schema, only run when `check` failed. */
  explain: ValidateFunction;
}

function makeAjv(options: { allErrors: boolean; verbose: boolean }): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, ...options });
  addFormats(ajv, ['date-time']);
  ajv.addKeyword('tsType'); // the generated type's annotation, not a rule (docs/decisions/0050)
  for (const [file, schema] of loadSchemas()) ajv.addSchema(schema, `${SCHEMA_BASE_URI}${file}`);
  return ajv;
}

let compiled: Record<SchemaKind, Compiled> | undefined;

function validators(): Record<SchemaKind, Compiled> {
  if (!compiled) {
    const fast = makeAjv({ allErrors: false, verbose: false });
    const full = makeAjv({ allErrors: true, verbose: true });
    const get = (ajv: Ajv2020, kind: SchemaKind) => ajv.getSchema(`${SCHEMA_BASE_URI}${schemaFiles[kind]}`)!;
    compiled = Object.fromEntries(
      (Object.keys(schemaFiles) as SchemaKind[]).map((kind) => [kind, { check: get(fast, kind), explain: get(full, kind) }]),
    ) as Record<SchemaKind, Compiled>;
  }
  return compiled;
}

/** Every problem with `data` as a `kind`, or an empty list when it is valid. */
export function problemsOf(kind: SchemaKind, data: unknown): Problem[] {
  const { check, explain } = validators()[kind];
  if (check(data)) return [];
  explain(data);
  return toProblems(explain.errors ?? []);
}

/** Checks `data` against the schema of `kind` and returns every problem. */
export function validate<K extends SchemaKind>(kind: K, data: unknown): ValidationResult<SchemaTypes[K]> {
  const problems = problemsOf(kind, data);
  return problems.length === 0 ? { valid: true, value: data as SchemaTypes[K], problems: [] } : { valid: false, problems };
}

/** Throws a SchemaValidationError listing every problem unless `data` is a valid `kind`. */
export function assertValid<K extends SchemaKind>(kind: K, data: unknown): asserts data is SchemaTypes[K] {
  const problems = problemsOf(kind, data);
  if (problems.length > 0) throw new SchemaValidationError(kind, problems);
}

/** A type guard: true when `data` is a valid `kind`. The fastest check; it does not say why. */
export function isValid<K extends SchemaKind>(kind: K, data: unknown): data is SchemaTypes[K] {
  return validators()[kind].check(data) as boolean;
}

export const validateCreateRequest = (data: unknown) => validate('request', data);
export const validateVppToken = (data: unknown) => validate('response', data);
export const validateGraphError = (data: unknown) => validate('error', data);
export const validateActionResult = (data: unknown) => validate('actionResult', data);

export const isVppTokenCreateRequest = (data: unknown): data is VppTokenCreateRequest => isValid('request', data);
export const isVppToken = (data: unknown): data is VppToken => isValid('response', data);
export const isGraphError = (data: unknown): data is GraphError => isValid('error', data);

export function assertCreateRequest(data: unknown): asserts data is VppTokenCreateRequest {
  assertValid('request', data);
}
export function assertVppToken(data: unknown): asserts data is VppToken {
  assertValid('response', data);
}
export function assertGraphError(data: unknown): asserts data is GraphError {
  assertValid('error', data);
}
