// drift: the kit's schemas against Microsoft's own metadata of Graph (CSDL or OpenAPI).
export {
  metadataFormat,
  readMetadata,
  compareWithMetadata,
  drift,
  formatDrift,
  type DriftFinding,
  type DriftReport,
  type DriftOptions,
} from './drift';
export { MetadataError } from './error';
export { KNOWN_DIFFERENCES, type KnownDifference } from './known';
export type { DriftChange, DriftImpact } from './change';
export type { MetadataModel, PropertyShape, StructuredType } from './model';
