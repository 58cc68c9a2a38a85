export * from './validators';
export { formatProblem, formatProblems, pointerSegment, type Problem } from './problems';
export { findJsonSyntaxError, type JsonSyntaxError } from './json-syntax';
export { readRecords, validateRecords, InputError, type InputFormat, type InputRecord, type RecordsSummary } from './records';
