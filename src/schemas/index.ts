// The JSON Schemas (the single source of truth), their profiles (beta, v1.0) and their unions.
export {
  SCHEMA_DIR,
  SCHEMA_BASE_URI,
  schemaFiles,
  schemaKinds,
  profileBaseUri,
  loadSchemas,
  schemaKindsOf,
  schemaFor,
  derefSchema,
  isReadOnly,
  resolveRef,
  kindProblem,
  toSchemaKind,
  betaOnlyEnumMembers,
  type SchemaKind,
} from './load';
export { PROFILES, DEFAULT_PROFILE, toProfile, type Profile, type ProfileRules } from './profiles';
export type { JsonSchema } from './profiles';
export { branchOf, discriminatedUnion, flattenUnion, type DiscriminatedUnion } from './unions';
export { edmTypeOf, declaredTypeOf, graphNamespaced, graphTypePattern, type EdmType } from './edm';
export {
  type Beta,
  type V1,
  type VppTokenCreateRequestV1,
  type VppTokenStateV1,
  type VppTokenV1,
} from './types';
