// The kit's contract as an OpenAPI 3.1 document, generated from schemas/ (decision 0070).
export {
  OPENAPI_DIR,
  openApiFile,
  PERMISSIONS,
  ERROR_RESPONSES,
  openApiDocument,
  openApiText,
  type ErrorStatus,
  type OpenApiDocument,
} from './document';
