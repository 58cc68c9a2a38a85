export {
  startReferenceProvider,
  GRAPH_JSON,
  DEFAULT_BODY_LIMIT,
  type ReferenceProvider,
  type ReferenceProviderOptions,
  type RecordedRequest,
} from './server';
export { graphError } from './graph-errors';
